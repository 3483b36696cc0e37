"""The query UI in a real headless Chromium against a real `carekg serve` on a loopback port.

Each test opens /sparql as a browser does, works YASGUI (run button, tabs, typing) and reads what it
shows, while every request the page makes is recorded: none may leave the loopback host. Needs
Debian's chromium (never a downloaded browser) and the UI's files (scripts/install_ui_assets.sh).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from chromium import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium

from carekg.rdf.namespaces import PREFIXES
from carekg.web.ui.assets import INSTALL_SCRIPT, assets_present, default_assets_dir

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

WAIT_MS = 30_000
LOOPBACK = "127.0.0.1"
LOCAL_SCHEMES = {"data", "blob", "about"}
YASQE_VALUE = "() => window.carekgYasgui.getTab().getYasqe().getValue()"

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


def on_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == LOOPBACK


@dataclass
class RecordedPage:
    """A page and every request it made, with those that failed."""

    page: "Page"
    base_url: str
    urls: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def assert_stayed_on_loopback(self) -> None:
        off_host = [url for url in self.urls if not on_loopback(url)]
        assert off_host == [], f"requests off {LOOPBACK}: {off_host}"
        assert self.failed == [], f"failed requests: {self.failed}"


def lexical(cell: str) -> str:
    """The lexical form of a literal as YASR's table shows it ("very good"@en, "1"^^xsd:integer)."""
    match = re.fullmatch(r'"(.*)"(?:@[A-Za-z-]+|\^\^\S+)?', cell)
    assert match, f"not a literal: {cell!r}"
    return match.group(1)


def shown_rows(page: "Page") -> list[list[str]]:
    """The cells of the result table in the active tab, once the query has answered."""
    rows = page.locator(".tabPanel.active .yasr table.dataTable tbody tr")
    rows.first.wait_for(timeout=WAIT_MS)
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]


@pytest.fixture(scope="module")
def chromium() -> Iterator["Browser"]:
    from playwright.sync_api import sync_playwright

    if not assets_present(default_assets_dir()):
        pytest.fail(f"the query UI's files are not in {default_assets_dir()}: run {INSTALL_SCRIPT}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def recorded(chromium: "Browser", live_server: str) -> Iterator[RecordedPage]:
    context = chromium.new_context()

    def stop_off_host(route: "Route") -> None:
        # page.on("request") records it first; stopping it keeps a failing test off the network.
        if on_loopback(route.request.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", stop_off_host)
    page = context.new_page()
    recorded_page = RecordedPage(page, live_server)
    page.on("request", lambda request: recorded_page.urls.append(request.url))
    page.on("requestfailed", lambda request: recorded_page.failed.append(request.url))
    try:
        yield recorded_page
    finally:
        context.close()


def test_ui_runs_the_grade_counts_query_and_shows_its_rows(recorded: RecordedPage) -> None:
    page = recorded.page
    endpoint_url = recorded.base_url + "/sparql"
    page.goto(endpoint_url, wait_until="load")
    page.locator(".yasgui .tabsList .tab", has_text="Grade counts on the six-point scale").click()
    assert page.locator(".tabPanel.active .controlbar input").first.input_value() == endpoint_url
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.locator(".tabPanel.active .yasr table.dataTable tbody tr").nth(5).wait_for(timeout=WAIT_MS)
    rows = shown_rows(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-grade-counts.png"), full_page=True)

    # The first inspection by name is Aberdeen City 2014: 6 good and 3 adequate of nine (CI release 2103).
    assert [(lexical(row[2]), lexical(row[4])) for row in rows[:6]] == [
        ("excellent", "0"),
        ("very good", "0"),
        ("good", "6"),
        ("adequate", "3"),
        ("weak", "0"),
        ("unsatisfactory", "0"),
    ]
    assert "Aberdeen City" in lexical(rows[0][1])
    assert endpoint_url in recorded.urls, "the query went to this server's /sparql"
    recorded.assert_stayed_on_loopback()


def test_ui_opens_the_example_named_in_the_address(recorded: RecordedPage) -> None:
    page = recorded.page
    page.goto(recorded.base_url + "/sparql#care-leavers", wait_until="load")
    active = page.locator(".yasgui .tabsList .tab.active")
    assert active.inner_text().startswith("What the partnership must do about care leavers")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    rows = shown_rows(page)
    assert [row[2].rsplit("/", 1)[-1] for row in rows] == ["3", "9"]
    recorded.assert_stayed_on_loopback()


def test_new_tab_has_carekg_prefixes_and_completes_offline(recorded: RecordedPage) -> None:
    """Typing a prefixed name adds its prefix from YASGUI's bundled list, and asking for
    completions (Ctrl-Space) after a class and a property stays on this server: stock YASGUI
    would ask Linked Open Vocabularies over the network at both places."""
    page = recorded.page
    page.goto(recorded.base_url + "/sparql", wait_until="load")
    page.locator(".yasgui .tabsList .addTab").click()
    starting_query = page.evaluate(YASQE_VALUE)
    page.locator(".tabPanel.active .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("SELECT ?person ?name WHERE { ?person a foaf:")
    page.wait_for_function(
        YASQE_VALUE + ".includes('PREFIX foaf: <http://xmlns.com/foaf/0.1/>')", timeout=WAIT_MS
    )
    page.keyboard.type("Pers")
    page.keyboard.press("Control+Space")
    page.keyboard.type("on ; foaf:na")
    page.keyboard.press("Control+Space")
    page.keyboard.type("me ?name }")
    query = page.evaluate(YASQE_VALUE)
    # Running the query lets anything the completers started reach the recorder first.
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.locator(".tabPanel.active .yasr", has_text="0 results").wait_for(timeout=WAIT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-new-tab.png"), full_page=True)

    for prefix, iri in PREFIXES.items():
        assert f"PREFIX {prefix}: <{iri}>" in starting_query
    assert query.endswith("SELECT ?person ?name WHERE { ?person a foaf:Person ; foaf:name ?name }")
    recorded.assert_stayed_on_loopback()
