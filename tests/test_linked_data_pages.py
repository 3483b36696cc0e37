"""HTML pages: what a resource page shows, the home page, well-formed HTML, and no unescaped data even
when the data is hostile (tests/data/hostile.ttl)."""

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest
from flask import Flask
from flask.testing import FlaskClient
from site_crawler import crawl

from carekg.config import Config
from carekg.web.app import create_app

HOSTILE = Path(__file__).parent / "data" / "hostile.ttl"
INSPECTION = "/doc/id/inspection/south-lanarkshire-2014"
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
PAGES = [
    "/",
    "/inspections",
    "/resources",
    "/downloads",
    INSPECTION,
    "/doc/id/source/care-inspectorate-news-2109",
    "/doc/id/recommendation/south-lanarkshire-2014/6",
    "/doc/def",
    "/doc/def/JointInspection",
    "/doc/graph/south-lanarkshire-2014",
    "/.well-known/void",
    "/validation",
    "/id/no/such/thing",
]


def strict_parse(html: str) -> Element:
    """The page's DOM; html5lib's strict mode raises on any parse error (unclosed or stray tags...)."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    document: Element = parser.parse(html)
    return document


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code in (200, 404), path
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_page_is_well_formed_html(client: FlaskClient, path: str) -> None:
    document = strict_parse(page(client, path))
    assert document.find(f".//{XHTML}title") is not None
    assert document.find(f".//{XHTML}h1") is not None


def test_inspection_page_shows_title_types_properties_evidence_and_formats(
    client: FlaskClient,
) -> None:
    html = page(client, INSPECTION)
    document = strict_parse(html)
    title = document.find(f".//{XHTML}h1")
    assert title is not None and title.text == (
        "Joint inspection of services for children and young people in South Lanarkshire, 2014"
    )
    assert 'href="/def/JointInspection"' in html  # its type, linked
    assert ">lead inspectorate</a>" in html  # a property by its label
    assert 'href="/id/organisation/care-inspectorate"' in html  # the value, linked
    assert "Across nine quality indicators, one was found to be" in html  # evidence quotation
    assert 'href="/id/source/care-inspectorate-news-2109"' in html  # with its source
    assert "Referenced by" in html
    alternates = {
        link.get("type"): link.get("href")
        for link in document.iter(f"{XHTML}link")
        if link.get("rel") == "alternate"
    }
    assert alternates["text/turtle"] == INSPECTION + ".ttl"
    assert set(alternates) >= {
        "application/ld+json",
        "application/rdf+xml",
        "application/n-triples",
        "application/trig",
    }


def test_inspection_page_has_a_server_rendered_chart_of_its_grade_counts(
    client: FlaskClient,
) -> None:
    document = strict_parse(page(client, INSPECTION))
    bars = [g for g in document.iter(f"{SVG}g") if g.get("class") == "bar"]
    counts = {bar.get("data-grade"): bar.get("data-count") for bar in bars}
    assert counts == {
        "excellent": "0", "very good": "1", "good": "4", "adequate": "4", "weak": "0", "unsatisfactory": "0",
    }  # fmt: skip
    for bar in bars:  # readable as text: a title and visible label and count
        texts = ["".join(t.itertext()) for t in bar if t.tag.endswith("text")]
        assert texts == [bar.get("data-grade"), bar.get("data-count")]


def test_source_document_page_lists_the_evidence_passages_in_it(client: FlaskClient) -> None:
    html = page(client, "/doc/id/source/care-inspectorate-news-2109")
    assert "Evidence passages in this document" in html
    assert html.count("<blockquote>") >= 25
    assert (
        'href="/id/recommendation/south-lanarkshire-2014/6"' in html
    )  # a passage's citing resource


def test_home_page_explains_and_links_everything(client: FlaskClient) -> None:
    html = page(client, "/")
    for href in ("/inspections", "/sparql", "/queries", "/def", "/downloads", "/.well-known/void",
                 "/id/inspection/south-lanarkshire-2014"):  # fmt: skip
        assert f'href="{href}"' in html, href
    assert "joint inspections" in html.lower()


@pytest.fixture(scope="module")
def hostile_site() -> Iterator[Flask]:
    application = create_app(Config(data=(HOSTILE,)))
    application.config["TESTING"] = True
    yield application


def test_hostile_literals_render_as_text(hostile_site: Flask) -> None:
    client = hostile_site.test_client()
    document = strict_parse(page(client, "/doc/id/inspection/hostile"))
    title = document.find(f".//{XHTML}h1")
    assert title is not None
    assert "".join(title.itertext()) == "<script>alert('label')</script> & \"quoted\" <b>bold</b>"
    grades = [g.get("data-grade") for g in document.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert grades == ["<svg onload=alert('grade')>"]


def test_no_page_of_the_hostile_site_carries_active_content(hostile_site: Flask) -> None:
    result = crawl(
        hostile_site.test_client(), start=["/", "/resources", "/doc/id/inspection/hostile"]
    )
    assert result.broken == []
    assert len(result.pages) > 10
    for url, html in result.pages.items():
        if url.startswith(("/sparql", "/queries", "/yasgui")):
            continue  # the query UI's pages carry its own scripts
        document = strict_parse(html)
        for element in document.iter():
            tag = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
            assert tag not in ("script", "img", "iframe", "b", "i", "u"), (url, tag)
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (url, name)
                assert not value.lower().startswith("javascript:"), (url, name, value)
