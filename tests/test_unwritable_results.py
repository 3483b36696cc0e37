"""A result the chosen format cannot hold is refused as the client's choice (406, saying why and
what else to ask for), never answered as a 5xx nor as a malformed document."""

import json
import xml.dom.minidom

import pytest
import rdflib
from endpoint_data import small_store
from flask.testing import FlaskClient

from carekg.config import Config
from carekg.rdf.formats import JSON_LD, SPARQL_JSON
from carekg.sparql.execution import QueryJob, run_query
from carekg.sparql.results import FormatCannotHold
from carekg.web.app import create_app

TRIPLE_TERM = (
    "CONSTRUCT { <http://a> <http://b> <<( <http://c> <http://d> <http://e> )>> } WHERE {}"
)
# RDF/XML names a property element by the predicate's IRI split into namespace and local name;
# an IRI ending in a digit or a slash has no XML name to end in.
UNNAMEABLE_PREDICATES = ("http://example.org/1", "http://example.org/", "urn:isbn:0451450523")
CONTROL_CHARACTER = 'SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }'


@pytest.fixture
def small_client() -> FlaskClient:
    app = create_app(Config(), store=small_store())
    app.config["TESTING"] = True
    return app.test_client()


def test_a_triple_term_asked_for_as_json_ld_is_406_with_the_serializers_reason(
    small_client: FlaskClient,
) -> None:
    response = small_client.get("/sparql", query_string={"query": TRIPLE_TERM, "format": "jsonld"})
    assert response.status_code == 406, response.text
    assert "JSON-LD does not support RDF 1.2" in response.text
    assert "text/turtle" in response.text  # what to ask for instead
    assert "application/ld+json" not in response.text


def test_the_same_triple_term_is_answered_in_turtle(small_client: FlaskClient) -> None:
    response = small_client.get("/sparql", query_string={"query": TRIPLE_TERM, "format": "turtle"})
    assert response.status_code == 200
    assert b"<<( <http://c> <http://d> <http://e> )>>" in response.data


def test_the_refusal_is_json_for_a_client_preferring_json(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql", query_string={"query": TRIPLE_TERM}, headers={"Accept": "application/ld+json"}
    )
    assert response.status_code == 406
    assert response.mimetype == "text/plain"  # JSON-LD is not a JSON error body
    response = small_client.get(
        "/sparql",
        query_string={"query": TRIPLE_TERM, "format": "jsonld"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 406
    assert "JSON-LD does not support RDF 1.2" in json.loads(response.data)["message"]


@pytest.mark.parametrize("predicate", UNNAMEABLE_PREDICATES)
def test_a_predicate_rdf_xml_cannot_name_is_406_naming_it(
    small_client: FlaskClient, predicate: str
) -> None:
    query = f"CONSTRUCT {{ <http://a> <{predicate}> <http://e> }} WHERE {{}}"
    response = small_client.get("/sparql", query_string={"query": query, "format": "rdfxml"})
    assert response.status_code == 406, response.text
    assert f"<{predicate}>" in response.text and "XML name" in response.text
    turtle = small_client.get("/sparql", query_string={"query": query, "format": "turtle"})
    assert turtle.status_code == 200


def test_a_predicate_inside_a_triple_term_is_checked_too(small_client: FlaskClient) -> None:
    query = (
        "CONSTRUCT { <http://a> <http://b> <<( <http://c> <http://d/1> <http://e> )>> } WHERE {}"
    )
    response = small_client.get("/sparql", query_string={"query": query, "format": "rdfxml"})
    assert response.status_code == 406
    assert "<http://d/1>" in response.text


def test_predicates_rdf_xml_can_name_give_well_formed_rdf_xml(small_client: FlaskClient) -> None:
    predicates = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#_1", "http://b/a.b-1", "urn:x:é_1")
    template = " ".join(f"<http://a> <{p}> <http://e> ." for p in predicates)
    query = f"CONSTRUCT {{ {template} }} WHERE {{}}"
    response = small_client.get("/sparql", query_string={"query": query, "format": "rdfxml"})
    assert response.status_code == 200, response.text
    graph = rdflib.Graph().parse(data=response.data, format="xml")
    assert {str(p) for p in graph.predicates()} == set(predicates)


@pytest.mark.parametrize("result_format", ["xml", "rdfxml"])
def test_a_character_xml_cannot_hold_is_406_in_xml_formats(
    small_client: FlaskClient, result_format: str
) -> None:
    query = (
        CONTROL_CHARACTER
        if result_format == "xml"
        else 'CONSTRUCT { <http://a> <http://b/p> "a\\u0001b" } WHERE {}'
    )
    response = small_client.get("/sparql", query_string={"query": query, "format": result_format})
    assert response.status_code == 406, response.text
    assert "U+0001" in response.text and "XML 1.0" in response.text


def test_the_same_character_is_answered_in_json(small_client: FlaskClient) -> None:
    response = small_client.get(
        "/sparql", query_string={"query": CONTROL_CHARACTER, "format": "json"}
    )
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"][0]["x"]["value"] == "a\x01b"


def test_well_formed_xml_results_still_pass_the_character_check(small_client: FlaskClient) -> None:
    query = 'SELECT ?x WHERE { VALUES ?x { "tab\\there" "line\\nbreak" "é ☃ \\U0001F600" } }'
    response = small_client.get("/sparql", query_string={"query": query, "format": "xml"})
    assert response.status_code == 200, response.text
    xml.dom.minidom.parseString(response.data)


def test_in_process_evaluation_raises_the_refusal_not_a_query_failure() -> None:
    job = QueryJob(TRIPLE_TERM, results_type=SPARQL_JSON, graph_type=JSON_LD)
    with pytest.raises(FormatCannotHold) as refused:
        run_query(small_store().pyoxigraph(), job)
    assert refused.value.media_type is JSON_LD
    assert "JSON-LD does not support RDF 1.2" in refused.value.reason
