"""A GET on /sparql with no query describes the service (RDF by negotiation) or shows the query UI."""

import pytest
import rdflib
from endpoint_data import G1, G2, small_store
from flask.testing import FlaskClient
from rdflib import RDF, Namespace

from carekg.config import Config
from carekg.web.app import create_app

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
PARSERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}


def describe(client: FlaskClient, accept: str) -> rdflib.Graph:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == accept
    assert "Accept" in response.headers["Vary"]
    dataset = rdflib.Dataset()
    dataset.parse(data=response.data, format=PARSERS[accept])
    graph = rdflib.Graph()
    for triple in dataset.triples((None, None, None)):
        graph.add(triple)
    return graph


@pytest.fixture
def small_client() -> FlaskClient:
    return create_app(Config(), store=small_store()).test_client()


@pytest.mark.parametrize("accept", sorted(PARSERS))
def test_description_names_the_endpoint_language_and_formats(
    small_client: FlaskClient, accept: str
) -> None:
    graph = describe(small_client, accept)
    endpoint = rdflib.URIRef("http://localhost/sparql")
    assert (endpoint, RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in graph
    formats = set(graph.objects(endpoint, SD.resultFormat))
    assert {FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_CSV, FORMATS.Turtle} <= formats
    assert (endpoint, SD.feature, SD.BasicFederatedQuery) not in graph


def test_description_gives_each_named_graph_and_the_default_graph_their_sizes(
    small_client: FlaskClient,
) -> None:
    graph = describe(small_client, "text/turtle")
    sizes = {}
    for named in graph.objects(None, SD.namedGraph):
        name = graph.value(named, SD.name)
        sizes[str(name)] = int(graph.value(graph.value(named, SD.graph), VOID.triples))  # type: ignore[arg-type]
    assert sizes == {G1: 2, G2: 2}
    dataset = graph.value(rdflib.URIRef("http://localhost/sparql"), SD.defaultDataset)
    default_graph = graph.value(dataset, SD.defaultGraph)
    assert int(graph.value(default_graph, VOID.triples)) == 6  # type: ignore[arg-type]


def test_description_announces_federation_only_with_an_allow_list() -> None:
    client = create_app(
        Config(service_allowlist=("http://127.0.0.1:1/sparql",)), store=small_store()
    ).test_client()
    graph = describe(client, "text/turtle")
    assert (None, SD.feature, SD.BasicFederatedQuery) in graph


def test_description_is_turtle_when_anything_is_accepted(small_client: FlaskClient) -> None:
    response = small_client.get("/sparql", headers={"Accept": "*/*"})
    assert response.mimetype == "text/turtle"


def test_browser_gets_the_query_ui(small_client: FlaskClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = small_client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert b"<html" in response.data.lower()
