"""Crawl the whole site from the home page, on each backend: no broken links, and every /id/ IRI of the
data reached."""

from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

import pytest
from flask import Flask
from site_crawler import CrawlResult, crawl

from carekg.config import Config
from carekg.rdf.namespaces import BASE_IRI
from carekg.store.protocol import Store
from carekg.web.app import create_app


@pytest.fixture(scope="module")
def site(any_builtin_store: Store) -> Iterator[Flask]:
    application = create_app(Config(), store=any_builtin_store)
    application.config["TESTING"] = True
    yield application


@pytest.fixture(scope="module")
def crawled(site: Flask) -> CrawlResult:
    return crawl(site.test_client())


@pytest.fixture(scope="module")
def crawled_accepting_only_html(site: Flask) -> CrawlResult:
    """The crawl of a client whose Accept header names HTML and nothing else."""
    return crawl(site.test_client(), accept="text/html")


def data_iris_under(store: Store, root: str) -> set[str]:
    iris = set()
    for quad in store.quads():
        for term in (quad.subject, quad.object):
            value = getattr(term, "value", "")
            if type(term).__name__ == "NamedNode" and value.startswith(root):
                iris.add(value.split("#", 1)[0])
    return iris


def test_crawl_from_the_home_page_finds_no_broken_link(crawled: CrawlResult) -> None:
    assert crawled.broken == []
    assert len(crawled.pages) > 100  # the crawl really went through the site


def test_crawl_reaches_every_id_iri_of_the_data(
    crawled: CrawlResult, any_builtin_store: Store
) -> None:
    wanted = data_iris_under(any_builtin_store, BASE_IRI + "id/")
    reached = {
        BASE_IRI + unquote(urlsplit(url).path).lstrip("/")
        for url, status in crawled.visited.items()
        if url.startswith("/id/") and status == 303
    }
    assert wanted, "the data has /id/ IRIs"
    assert sorted(wanted - reached) == []


def test_crawl_reaches_every_ontology_term_and_named_graph(
    crawled: CrawlResult, any_builtin_store: Store
) -> None:
    wanted = data_iris_under(any_builtin_store, BASE_IRI + "def/") | set(
        any_builtin_store.named_graphs()
    )
    wanted.discard(BASE_IRI + "def/")  # the namespace itself, reached as /def
    reached = {BASE_IRI + unquote(url).lstrip("/") for url in crawled.visited}
    assert sorted(wanted - reached) == []


def test_crawl_visits_the_pages_the_home_page_promises(crawled: CrawlResult) -> None:
    for url in ("/inspections", "/sparql", "/queries", "/def", "/downloads", "/.well-known/void"):
        assert url in crawled.visited, url
        assert crawled.visited[url] < 400, url


def test_crawl_reaches_the_validation_report_and_the_shapes_it_names(
    crawled: CrawlResult,
) -> None:
    assert crawled.visited["/validation"] == 200
    assert crawled.redirects["/shapes"] == "/doc/shapes"
    assert crawled.visited["/doc/shapes"] == 200
    assert crawled.visited["/doc/shapes.ttl"] == 200


def test_a_client_accepting_only_html_finds_no_broken_link(
    crawled_accepting_only_html: CrawlResult,
) -> None:
    """Every link on the site (the Downloads page's Graph Store links included) answers a client
    whose Accept header names nothing but HTML: links to other formats name their format."""
    result = crawled_accepting_only_html
    assert result.broken == []
    graph_store = [url for url in result.visited if url.startswith("/rdf-graph-store?default")]
    assert "/rdf-graph-store?default&format=ttl" in graph_store
    assert all(result.visited[url] == 200 for url in graph_store)
    assert len(result.pages) > 100


@pytest.mark.slow
def test_key_pages_and_their_links_answer_over_real_http(live_server: str) -> None:
    """The home page's links, followed through the session's real `carekg serve` (redirects included)."""
    import urllib.request

    from site_crawler import links_in

    def fetch(path: str) -> tuple[int, str, bytes]:
        request = urllib.request.Request(live_server + path, headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.url, response.read()

    status, _, home = fetch("/")
    assert status == 200
    links = sorted({h for h in links_in(home.decode()) if h.startswith("/")})
    assert "/id/inspection/south-lanarkshire-2014" in links
    for path in [*links, "/doc/id/source/care-inspectorate-news-2109", "/validation"]:
        status, final_url, body = fetch(path)
        assert status == 200, path
        assert body, path
    _, final_url, _ = fetch("/id/inspection/south-lanarkshire-2014")
    assert final_url == live_server + "/doc/id/inspection/south-lanarkshire-2014"
