"""The inspection page in headless Chromium with JavaScript off, served by the session's real `carekg serve`:
the grade chart's bars read 1 very good, 4 good, 4 adequate and 0 at the other grades."""

import pytest
from chromium import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from expected import GRADE_COUNTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    needs_chromium,
]


def test_inspection_chart_reads_the_grade_counts_without_javascript(live_server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                java_script_enabled=False, viewport={"width": 1100, "height": 1400}
            )
            page = context.new_page()
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            response = page.goto(live_server + "/id/inspection/south-lanarkshire-2014")
            assert response is not None and response.status == 200
            assert page.url == live_server + "/doc/id/inspection/south-lanarkshire-2014"
            assert page.title().startswith(
                "Joint inspection of services for children and young people"
            )

            bars = page.locator("svg.grade-chart g.bar")
            assert bars.count() == 6
            shown: dict[str, int] = {}
            for index in range(bars.count()):
                bar = bars.nth(index)
                label = bar.locator("text.bar-label").text_content() or ""
                count = int(bar.locator("text.bar-count").text_content() or "-1")
                assert bar.get_attribute("data-grade") == label
                assert bar.get_attribute("data-count") == str(count)
                fill = bar.locator("rect.bar-fill").bounding_box()
                assert fill is not None
                assert (fill["width"] > 0) == (count > 0), label
                shown[label] = count
            assert shown == GRADE_COUNTS
            # the chart is visible on the page, and the page loaded nothing from elsewhere
            assert page.locator("svg.grade-chart").is_visible()
            assert all(url.startswith(live_server) for url in requested), requested

            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "inspection-page.png"), full_page=True)
            page.locator("figure.grade-chart").screenshot(
                path=str(ARTIFACTS / "inspection-chart.png")
            )
        finally:
            browser.close()
    assert (ARTIFACTS / "inspection-page.png").stat().st_size > 10_000
