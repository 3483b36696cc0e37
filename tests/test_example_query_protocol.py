"""/queries/<name> reads its parameters with /sparql's own protocol checks, giving the same refusals
with the same messages; a graph IRI that is not an IRI is reported as such wherever it comes from."""

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from carekg.commands.cli import main
from carekg.config import Config
from carekg.sparql.examples import example_query
from carekg.store.embedded import EmbeddedStore
from carekg.web.app import create_app

EXAMPLE = "area-links"
JSON = {"Accept": "application/sparql-results+json"}
HTML = {"Accept": "text/html"}


def make_client(store: EmbeddedStore, **settings: object) -> FlaskClient:
    app = create_app(Config(**settings), store=store)  # type: ignore[arg-type]
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture
def example_client(builtin_store: EmbeddedStore) -> FlaskClient:
    return make_client(builtin_store)


def example_text() -> str:
    example = example_query(EXAMPLE)
    assert example is not None
    return example.text


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_a_graph_parameter_that_is_not_an_iri_is_400_naming_the_parameter(
    example_client: FlaskClient, parameter: str
) -> None:
    response = example_client.get(
        f"/queries/{EXAMPLE}", query_string={parameter: "not an iri"}, headers=JSON
    )
    assert response.status_code == 400
    message = response.get_json()["message"]
    assert f"{parameter}='not an iri' is not an absolute IRI" in message
    assert "malformed query" not in message


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_the_example_and_sparql_refuse_a_bad_graph_parameter_alike(
    example_client: FlaskClient, parameter: str
) -> None:
    example = example_client.get(f"/queries/{EXAMPLE}", query_string={parameter: "not an iri"})
    endpoint = example_client.get(
        "/sparql", query_string={"query": example_text(), parameter: "not an iri"}
    )
    assert (example.status_code, example.text) == (endpoint.status_code, endpoint.text)


@pytest.mark.parametrize("headers", [JSON, HTML], ids=["results", "page"])
def test_an_update_parameter_is_refused_as_sparql_refuses_it_beside_a_query(
    example_client: FlaskClient, headers: dict[str, str]
) -> None:
    response = example_client.get(
        f"/queries/{EXAMPLE}", query_string={"update": "CLEAR ALL"}, headers=headers
    )
    assert response.status_code == 400
    assert "a query or an update, not both" in response.text
    endpoint = example_client.get(
        "/sparql", query_string={"query": example_text(), "update": "CLEAR ALL"}, headers=headers
    )
    assert (response.status_code, response.text) == (endpoint.status_code, endpoint.text)


def test_a_query_parameter_next_to_the_example_is_400_naming_the_example(
    example_client: FlaskClient,
) -> None:
    response = example_client.get(f"/queries/{EXAMPLE}", query_string={"query": "ASK {}"})
    assert response.status_code == 400
    assert f"both as the example query '{EXAMPLE}' and as a 'query' parameter" in response.text


def test_an_example_longer_than_the_query_limit_is_413(builtin_store: EmbeddedStore) -> None:
    limit = len(example_text().encode("utf-8")) - 1
    client = make_client(builtin_store, max_request_bytes=limit)
    response = client.get(f"/queries/{EXAMPLE}", headers=JSON)
    assert response.status_code == 413
    assert f"longer than the limit of {limit} bytes" in response.text


def test_valid_graph_parameters_still_reach_the_example(example_client: FlaskClient) -> None:
    only_ontology = "https://w3id.org/carekg/graph/ontology"
    response = example_client.get(
        f"/queries/{EXAMPLE}", query_string={"default-graph-uri": only_ontology}, headers=JSON
    )
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"] == []


def test_query_command_reports_a_default_graph_that_is_not_an_iri() -> None:
    """The CLI's options reach the query process unchecked by the protocol: they are checked there."""
    result = CliRunner().invoke(main, ["query", "ASK {}", "--default-graph", "not an iri"])
    assert result.exit_code == 1
    assert "the default graph 'not an iri' is not an absolute IRI" in result.output
    assert "malformed query" not in result.output
    assert "Traceback" not in result.output
