"""The SPARQL 1.1 Protocol at /sparql through Flask's test client, answers parsed by real parsers."""

import io
from urllib.parse import urlencode

import pytest
import rdflib
from endpoint_data import EX, G1, G2, small_store
from flask import Flask
from flask.testing import FlaskClient
from rdflib.query import Result
from werkzeug.test import TestResponse

from carekg.config import Config
from carekg.web.app import create_app

NAMES_QUERY = f"SELECT ?name WHERE {{ ?person <{EX}name> ?name }} ORDER BY ?name"
CONSTRUCT_QUERY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s <{EX}name> ?n . ?s ?p ?o }}"
RESULT_PARSERS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_PARSERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


@pytest.fixture
def small_app() -> Flask:
    app = create_app(Config(), store=small_store())
    app.config["TESTING"] = True
    return app


@pytest.fixture
def small_client(small_app: Flask) -> FlaskClient:
    return small_app.test_client()


def names(response: TestResponse) -> list[str]:
    """The ?name column of a SPARQL results document, parsed by rdflib for its media type."""
    assert response.status_code == 200, response.get_data(as_text=True)
    parser = RESULT_PARSERS[response.mimetype]
    result = Result.parse(io.BytesIO(response.data), format=parser)
    return sorted(str(row[0]) for row in result)  # type: ignore[index]


def graph_of(response: TestResponse) -> rdflib.Dataset:
    assert response.status_code == 200, response.get_data(as_text=True)
    dataset = rdflib.Dataset()
    dataset.parse(data=response.data, format=GRAPH_PARSERS[response.mimetype])
    return dataset


def test_get_query_answers_with_the_union_of_all_graphs_by_default(
    small_client: FlaskClient,
) -> None:
    response = small_client.get("/sparql", query_string={"query": NAMES_QUERY})
    assert response.mimetype == "application/sparql-results+json"
    assert names(response) == ["Alice", "Bob", "Carol"]


def test_post_form_and_post_direct_give_the_same_answer_as_get(small_client: FlaskClient) -> None:
    form = small_client.post("/sparql", data={"query": NAMES_QUERY})
    direct = small_client.post(
        "/sparql", data=NAMES_QUERY.encode(), content_type="application/sparql-query"
    )
    assert names(form) == names(direct) == ["Alice", "Bob", "Carol"]


def test_trailing_slash_address_answers_too(small_client: FlaskClient) -> None:
    assert names(small_client.get("/sparql/", query_string={"query": NAMES_QUERY})) == [
        "Alice",
        "Bob",
        "Carol",
    ]


@pytest.mark.parametrize("media_type", sorted(RESULT_PARSERS))
def test_select_results_parse_in_every_results_format(
    small_client: FlaskClient, media_type: str
) -> None:
    response = small_client.get(
        "/sparql", query_string={"query": NAMES_QUERY}, headers={"Accept": media_type}
    )
    assert response.mimetype == media_type
    assert names(response) == ["Alice", "Bob", "Carol"]


@pytest.mark.parametrize("media_type", sorted(RESULT_PARSERS))
def test_ask_answers_in_every_results_format(small_client: FlaskClient, media_type: str) -> None:
    query = f"ASK {{ <{EX}bob> <{EX}age> 41 }}"
    response = small_client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": media_type}
    )
    assert response.status_code == 200
    assert response.mimetype == media_type
    if media_type in ("text/csv", "text/tab-separated-values"):
        assert response.get_data(as_text=True).strip() == "true"
    else:
        result = Result.parse(io.BytesIO(response.data), format=RESULT_PARSERS[media_type])
        assert result.askAnswer is True


def test_special_characters_survive_the_results_formats(small_client: FlaskClient) -> None:
    query = f"SELECT ?note WHERE {{ ?s <{EX}note> ?note }}"
    for media_type in ("application/sparql-results+json", "application/sparql-results+xml"):
        response = small_client.get(
            "/sparql", query_string={"query": query}, headers={"Accept": media_type}
        )
        result = Result.parse(io.BytesIO(response.data), format=RESULT_PARSERS[media_type])
        assert [str(row[0]) for row in result] == ['tab\there\nnew line "quoted"']  # type: ignore[index]


@pytest.mark.parametrize("media_type", sorted(GRAPH_PARSERS))
def test_construct_results_parse_in_every_rdf_format(
    small_client: FlaskClient, media_type: str
) -> None:
    response = small_client.get(
        "/sparql", query_string={"query": CONSTRUCT_QUERY}, headers={"Accept": media_type}
    )
    assert response.mimetype == media_type
    dataset = graph_of(response)
    triples = set(dataset.triples((None, None, None)))
    bob = rdflib.URIRef(EX + "bob")
    assert (bob, rdflib.URIRef(EX + "age"), rdflib.Literal(41)) in triples
    assert len(triples) == 6


def test_describe_returns_rdf(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql", query_string={"query": f"DESCRIBE <{EX}bob>"}, headers={"Accept": "text/turtle"}
    )
    graph = graph_of(response)
    assert (rdflib.URIRef(EX + "bob"), rdflib.URIRef(EX + "name"), rdflib.Literal("Bob")) in graph


def test_default_graph_uri_selects_the_default_graph(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql", query_string={"query": NAMES_QUERY, "default-graph-uri": G1}
    )
    assert names(response) == ["Bob"]


def test_several_default_graph_uris_are_merged(small_client: FlaskClient) -> None:
    body = urlencode([("query", NAMES_QUERY), ("default-graph-uri", G1), ("default-graph-uri", G2)])
    response = small_client.post(
        "/sparql", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert names(response) == ["Bob", "Carol"]


def test_named_graph_uri_limits_the_named_graphs(small_client: FlaskClient) -> None:
    query = f"SELECT ?name WHERE {{ GRAPH ?g {{ ?s <{EX}name> ?name }} }}"
    response = small_client.get("/sparql", query_string={"query": query, "named-graph-uri": G2})
    assert names(response) == ["Carol"]
    # With only named graphs given, the default graph is empty.
    response = small_client.get(
        "/sparql", query_string={"query": NAMES_QUERY, "named-graph-uri": G2}
    )
    assert names(response) == []


def test_direct_post_takes_dataset_parameters_from_the_url(small_client: FlaskClient) -> None:
    response = small_client.post(
        "/sparql?" + urlencode({"default-graph-uri": G2}),
        data=NAMES_QUERY.encode(),
        content_type="application/sparql-query",
    )
    assert names(response) == ["Carol"]


def test_from_clause_in_the_query_is_honoured_without_protocol_graphs(
    small_client: FlaskClient,
) -> None:
    query = f"SELECT ?name FROM <{G2}> WHERE {{ ?s <{EX}name> ?name }}"
    assert names(small_client.get("/sparql", query_string={"query": query})) == ["Carol"]


def test_protocol_dataset_wins_over_the_query_dataset(small_client: FlaskClient) -> None:
    query = f"SELECT ?name FROM <{G2}> WHERE {{ ?s <{EX}name> ?name }}"
    response = small_client.get("/sparql", query_string={"query": query, "default-graph-uri": G1})
    assert names(response) == ["Bob"]


def test_relative_iris_resolve_against_the_endpoint(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql", query_string={"query": "SELECT ?x WHERE { BIND(<thing> AS ?x) }"}
    )
    assert names(response) == ["http://localhost/thing"]


def test_q_values_and_wildcards_decide_the_format(small_client: FlaskClient) -> None:
    cases = {
        "text/csv;q=0.5, application/sparql-results+xml;q=0.9": "application/sparql-results+xml",
        "text/*": "text/csv",
        "*/*;q=0.1, text/tab-separated-values": "text/tab-separated-values",
        "application/sparql-results+json;q=0, */*": "application/sparql-results+xml",
    }
    for accept, expected in cases.items():
        response = small_client.get(
            "/sparql", query_string={"query": NAMES_QUERY}, headers={"Accept": accept}
        )
        assert response.mimetype == expected, accept
        assert names(response) == ["Alice", "Bob", "Carol"]


def test_format_parameter_overrides_the_accept_header(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql",
        query_string={"query": NAMES_QUERY, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.mimetype == "text/csv"
    response = small_client.get("/sparql", query_string={"query": CONSTRUCT_QUERY, "format": "nt"})
    assert response.mimetype == "application/n-triples"
    response = small_client.get("/sparql", query_string={"query": CONSTRUCT_QUERY, "format": "xml"})
    assert response.mimetype == "application/rdf+xml"
    assert len(graph_of(response)) == 6


def test_responses_vary_on_accept_and_allow_any_origin(small_client: FlaskClient) -> None:
    response = small_client.get("/sparql", query_string={"query": NAMES_QUERY})
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Carekg-Row-Cap"] == "10000"
    assert response.headers["X-Carekg-Truncated"] == "false"
    assert "ETag" not in response.headers or response.headers.get(
        "ETag"
    )  # set by others, never here


def test_cors_preflight_is_answered(small_client: FlaskClient) -> None:
    response = small_client.options(
        "/sparql",
        headers={
            "Origin": "https://example.net",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"]


def test_repeated_query_is_served_from_the_cache(small_app: Flask) -> None:
    from carekg.web.endpoint.views import result_cache

    client = small_app.test_client()
    first = client.get("/sparql", query_string={"query": NAMES_QUERY})
    assert len(result_cache(small_app)) == 1
    second = client.get("/sparql", query_string={"query": NAMES_QUERY})
    assert len(result_cache(small_app)) == 1
    assert first.data == second.data
    client.get("/sparql", query_string={"query": NAMES_QUERY}, headers={"Accept": "text/csv"})
    assert len(result_cache(small_app)) == 2  # the media type is part of the key
