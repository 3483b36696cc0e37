"""The protocol end to end through a real `carekg serve` (gunicorn) on a loopback port."""

import http.client
import io
from urllib.parse import urlencode, urlsplit

import pytest
import rdflib
from rdflib.query import Result
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from carekg.store.embedded import EmbeddedStore

pytestmark = pytest.mark.slow

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def request(
    base_url: str,
    method: str,
    target: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def sizes_in(body: bytes, parser: str) -> dict[str, int]:
    result = Result.parse(io.BytesIO(body), format=parser)
    return {str(row[0]): int(row[1]) for row in result}  # type: ignore[index, call-overload]


def store_sizes(store: EmbeddedStore) -> dict[str, int]:
    return {g: sum(1 for _ in store.quads(g)) for g in store.named_graphs()}


def test_get_query_of_more_than_8_kb_is_answered(
    live_server: str, builtin_store: EmbeddedStore
) -> None:
    query = GRAPH_SIZES + "\n# " + "padding " * 1200
    target = "/sparql?" + urlencode({"query": query})
    assert len(query.encode()) > 8192 and len(target) > 8192
    status, _, body = request(live_server, "GET", target)
    assert status == 200, body[:300]
    assert sizes_in(body, "json") == store_sizes(builtin_store)


@pytest.mark.parametrize(
    "accept, parser",
    [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ],
)
def test_post_form_and_direct_answer_in_each_results_format(
    live_server: str, builtin_store: EmbeddedStore, accept: str, parser: str
) -> None:
    expected = store_sizes(builtin_store)
    form = urlencode({"query": GRAPH_SIZES}).encode()
    status, headers, body = request(
        live_server,
        "POST",
        "/sparql",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
    )
    assert status == 200 and headers["content-type"].startswith(accept)
    assert "accept" in headers["vary"].lower()
    assert sizes_in(body, parser) == expected
    status, _, body = request(
        live_server,
        "POST",
        "/sparql",
        GRAPH_SIZES.encode(),
        {"Content-Type": "application/sparql-query", "Accept": accept},
    )
    assert status == 200 and sizes_in(body, parser) == expected


def test_default_graph_uri_over_http(live_server: str, builtin_store: EmbeddedStore) -> None:
    graph, size = next(iter(store_sizes(builtin_store).items()))
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, _, body = request(
        live_server, "GET", "/sparql?" + urlencode({"query": query, "default-graph-uri": graph})
    )
    assert status == 200
    assert [int(row[0]) for row in Result.parse(io.BytesIO(body), format="json")] == [size]  # type: ignore[index, call-overload]


def test_service_description_names_the_address_it_was_fetched_from(
    live_server: str, builtin_store: EmbeddedStore
) -> None:
    status, headers, body = request(
        live_server, "GET", "/sparql", headers={"Accept": "text/turtle"}
    )
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    endpoint = rdflib.URIRef(live_server + "/sparql")
    assert (None, SD.endpoint, endpoint) in graph
    described = {
        str(graph.value(named, SD.name)): int(
            graph.value(graph.value(named, SD.graph), VOID.triples)
        )  # type: ignore[arg-type]
        for named in graph.objects(None, SD.namedGraph)
    }
    assert described == store_sizes(builtin_store)


@pytest.mark.parametrize(
    "method, target, body, headers, status",
    [
        ("GET", "/sparql?query=SELECT%20*%20WHERE%20%7B", None, {}, 400),
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400),
        ("GET", "/sparql?query=ASK%7B%7D", None, {"Accept": "image/png"}, 406),
        ("POST", "/sparql", b"query=ASK%7B%7D", {"Content-Type": "text/plain"}, 415),
        ("POST", "/sparql", b"CLEAR ALL", {"Content-Type": "application/sparql-update"}, 403),
        (
            "POST",
            "/sparql",
            b"update=CLEAR%20ALL",
            {"Content-Type": "application/x-www-form-urlencoded"},
            403,
        ),
        ("PUT", "/sparql", b"ASK {}", {"Content-Type": "application/sparql-query"}, 405),
        (
            "POST",
            "/sparql",
            b"ASK {}" + b" " * 1_100_000,
            {"Content-Type": "application/sparql-query"},
            413,
        ),
        (
            "GET",
            "/sparql?" + urlencode({"query": "SELECT * { SERVICE <http://127.0.0.1:1/> {} }"}),
            None,
            {},
            400,
        ),
    ],
    ids=[
        "syntax",
        "two queries",
        "406",
        "415",
        "update body",
        "update form",
        "405",
        "413",
        "service",
    ],
)
def test_client_mistakes_get_4xx_over_http(
    live_server: str,
    method: str,
    target: str,
    body: bytes | None,
    headers: dict[str, str],
    status: int,
) -> None:
    got, response_headers, text = request(live_server, method, target, body, headers)
    assert got == status, text[:300]
    assert response_headers["content-type"].startswith("text/plain")
    assert text.startswith(f"{status} ".encode())


def test_cors_preflight_over_http(live_server: str) -> None:
    status, headers, _ = request(
        live_server,
        "OPTIONS",
        "/sparql",
        headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert status == 204
    assert headers["access-control-allow-origin"] == "*"
    assert "POST" in headers["access-control-allow-methods"]


def test_sparqlwrapper_reads_json_results_and_turtle_graphs(
    live_server: str, builtin_store: EmbeddedStore
) -> None:
    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery(GRAPH_SIZES)
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index, call-overload]
    assert {b["g"]["value"]: int(b["n"]["value"]) for b in bindings} == store_sizes(builtin_store)

    client.setQuery("CONSTRUCT { ?g a <http://example.org/Graph> } WHERE { GRAPH ?g { } }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert {str(s) for s in graph.subjects()} == set(builtin_store.named_graphs())
