"""Every refusal of /sparql has the status and message a client can act on; none is a 5xx."""

import json

import pytest
from endpoint_data import EX, small_store
from flask import Flask
from flask.testing import FlaskClient

from carekg.config import Config
from carekg.web.app import create_app

ASK = "ASK { ?s ?p ?o }"


def make_client(**settings: object) -> FlaskClient:
    app: Flask = create_app(Config(**settings), store=small_store())  # type: ignore[arg-type]
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture
def small_client() -> FlaskClient:
    return make_client()


def text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined, no-any-return]


def test_malformed_query_is_400_with_line_and_column(small_client: FlaskClient) -> None:
    response = small_client.get("/sparql", query_string={"query": "SELECT *\nWHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "line 2, column 16" in text(response)


def test_error_body_is_json_when_the_client_prefers_json(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE {"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 400
    body = json.loads(response.data)
    assert body["status"] == 400 and "malformed query" in body["message"]


def test_two_query_parameters_are_400(small_client: FlaskClient) -> None:
    response = small_client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400
    assert "exactly one 'query'" in text(response)


def test_query_in_url_and_body_is_400(small_client: FlaskClient) -> None:
    response = small_client.post(
        "/sparql?query=ASK%7B%7D", data=ASK, content_type="application/sparql-query"
    )
    assert response.status_code == 400
    assert "both as the request body and as a 'query' parameter" in text(response), text(response)


def test_query_mixed_with_update_is_400(small_client: FlaskClient) -> None:
    response = small_client.post("/sparql", data={"query": ASK, "update": "CLEAR ALL"})
    assert response.status_code == 400
    assert "not both" in text(response)


def test_form_with_neither_query_nor_update_is_400(small_client: FlaskClient) -> None:
    response = small_client.post("/sparql", data={"default-graph-uri": EX + "g"})
    assert response.status_code == 400
    assert "no 'query'" in text(response)


def test_empty_query_is_400(small_client: FlaskClient) -> None:
    response = small_client.get("/sparql?query=")
    assert response.status_code == 400
    assert "empty" in text(response), text(response)


def test_graph_parameter_that_is_not_an_iri_is_400(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql", query_string={"query": ASK, "default-graph-uri": "not an iri"}
    )
    assert response.status_code == 400
    assert "default-graph-uri" in text(response)


def test_nothing_acceptable_is_406_listing_what_can_be_produced(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql", query_string={"query": ASK}, headers={"Accept": "image/png"}
    )
    assert response.status_code == 406
    assert "application/sparql-results+json" in text(response)
    assert "text/csv" in text(response)


def test_select_asked_for_as_turtle_is_406(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/turtle"},
    )
    assert response.status_code == 406
    assert "application/sparql-results+json" in text(response), text(response)


def test_construct_asked_for_as_csv_is_406_naming_rdf_formats(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "csv"},
    )
    assert response.status_code == 406
    assert "text/turtle" in text(response)


def test_unknown_format_parameter_is_406(small_client: FlaskClient) -> None:
    response = small_client.get("/sparql", query_string={"query": ASK, "format": "pdf"})
    assert response.status_code == 406
    assert "'pdf'" in text(response)


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_unsupported_post_body_type_is_415(
    small_client: FlaskClient, content_type: str | None
) -> None:
    response = small_client.post("/sparql", data=b"query=ASK%20%7B%7D", content_type=content_type)
    assert response.status_code == 415
    assert "application/sparql-query" in text(response)


def test_non_utf8_query_body_is_refused(small_client: FlaskClient) -> None:
    response = small_client.post(
        "/sparql",
        data=ASK.encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    )
    assert response.status_code == 415
    response = small_client.post(
        "/sparql", data=b"ASK { \xff }", content_type="application/sparql-query"
    )
    assert response.status_code == 400
    assert "UTF-8" in text(response)


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": "INSERT DATA { <a:s> <a:p> <a:o> }", "content_type": "application/sparql-update"},
        {"data": {"update": "INSERT DATA { <a:s> <a:p> <a:o> }"}},
        {"data": {"query": "INSERT DATA { <a:s> <a:p> <a:o> }"}},
        {"data": {"query": "PREFIX ex: <http://e/> DELETE WHERE { ?s ?p ?o }"}},
    ],
    ids=["sparql-update body", "update field", "update as query", "update after prologue"],
)
def test_any_update_is_403_read_only(
    small_client: FlaskClient, request_kwargs: dict[str, object]
) -> None:
    response = small_client.post("/sparql", **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert "read-only" in text(response)
    assert small_client.get("/sparql", query_string={"query": ASK}).status_code == 200


def test_update_by_get_is_403(small_client: FlaskClient) -> None:
    response = small_client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert response.status_code == 403
    assert "read-only" in text(response)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(small_client: FlaskClient, method: str) -> None:
    response = small_client.open("/sparql", method=method, data=ASK)
    assert response.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_oversized_request_is_413() -> None:
    client = make_client(max_request_bytes=2000)
    big = "ASK { ?s ?p ?o }" + " " * 5000
    assert (
        client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    )
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.get("/sparql", query_string={"query": big}).status_code == 413
    assert client.get("/sparql", query_string={"query": ASK}).status_code == 200


def test_service_is_refused_by_default(small_client: FlaskClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = small_client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert "SERVICE <http://127.0.0.1:9/sparql> is refused" in text(response)
    assert "allow-list" in text(response)


def test_service_written_as_a_prefixed_name_or_in_lower_case_is_refused(
    small_client: FlaskClient,
) -> None:
    query = "PREFIX r: <http://remote.example/> SELECT * { service silent r:sparql { ?s ?p ?o } }"
    response = small_client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert "<http://remote.example/sparql>" in text(response)


def test_variable_service_is_refused_even_with_an_allow_list() -> None:
    client = make_client(service_allowlist=("http://127.0.0.1:9/sparql",))
    query = "SELECT * WHERE { VALUES ?e { <http://127.0.0.1:9/sparql> } SERVICE ?e { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert "SERVICE ?e is refused" in text(response)


def test_service_word_inside_strings_comments_and_iris_is_not_a_service(
    small_client: FlaskClient,
) -> None:
    query = (
        "# SERVICE <http://x.example/> in a comment\n"
        'SELECT ?x WHERE { BIND("SERVICE <http://y.example/>" AS ?x) '
        "OPTIONAL { ?x <http://e/SERVICE> ?y } }"
    )
    assert small_client.get("/sparql", query_string={"query": query}).status_code == 200


def test_allow_listed_service_passes_the_check() -> None:
    """Nothing listens on the allowed endpoint, so the call fails: a 502, not a refusal."""
    client = make_client(service_allowlist=("http://127.0.0.1:1/sparql",))
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 502
    assert "refused" not in text(response)


def test_service_description_requested_in_an_unknown_format_is_406(
    small_client: FlaskClient,
) -> None:
    response = small_client.get("/sparql", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in text(response)
