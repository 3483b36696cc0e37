"""Issue 8, point 8: the Service Description and the VoID link the example queries (/queries) and describe
the link sets to statistics.gov.scot and Wikidata as void:Linkset resources, counted from the data."""

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient

from carekg.config import Config
from carekg.dataset.build import build_embedded_store
from carekg.dataset.sources import DataFile
from carekg.rdf.namespaces import BASE_IRI
from carekg.sparql.examples import example_queries
from carekg.store.embedded import EmbeddedStore
from carekg.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = rdflib.Namespace("https://schema.org/")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
DATASET = rdflib.URIRef(BASE_IRI + "id/dataset/carekg")
ENDPOINT = rdflib.URIRef("http://localhost/sparql")
QUERIES = rdflib.URIRef("http://localhost/queries")
TARGET_SPACES = {
    "statistics.gov.scot": "http://statistics.gov.scot/",
    "Wikidata": "http://www.wikidata.org/entity/",
}


def void_of(client: FlaskClient) -> rdflib.Graph:
    response = client.get("/.well-known/void.ttl")
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.data, format="turtle")


def service_description_of(client: FlaskClient) -> rdflib.Graph:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.data, format="turtle")


def links_in_store(store: EmbeddedStore, space: str) -> dict[str, int]:
    """Distinct (carekg subject, predicate, object in ``space``) triples per predicate, over every graph."""
    query = f"""
    SELECT ?p (COUNT(*) AS ?n) WHERE {{
      SELECT DISTINCT ?s ?p ?o WHERE {{
        {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }}
        FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{space}") && STRSTARTS(STR(?s), "{BASE_IRI}"))
      }}
    }} GROUP BY ?p"""
    result = store.pyoxigraph().query(query)
    assert isinstance(result, ox.QuerySolutions)
    return {row["p"].value: int(row["n"].value) for row in result}  # type: ignore[union-attr]


def described_linksets(graph: rdflib.Graph) -> dict[tuple[str, str], int]:
    """(target title, link predicate) -> void:triples of every void:Linkset in ``graph``."""
    found = {}
    for linkset in graph.subjects(rdflib.RDF.type, VOID.Linkset):
        target = graph.value(linkset, VOID.objectsTarget)
        assert target is not None, linkset
        assert graph.value(linkset, VOID.subjectsTarget) == DATASET
        assert set(graph.objects(linkset, VOID.target)) == {DATASET, target}
        title = str(graph.value(target, DCT.title))
        assert str(graph.value(target, VOID.uriSpace)) == TARGET_SPACES[title]
        predicate = str(graph.value(linkset, VOID.linkPredicate))
        found[(title, predicate)] = int(graph.value(linkset, VOID.triples))  # type: ignore[arg-type]
    return found


def expected_linksets(store: EmbeddedStore) -> dict[tuple[str, str], int]:
    return {
        (title, predicate): n
        for title, space in TARGET_SPACES.items()
        for predicate, n in links_in_store(store, space).items()
    }


def test_the_void_describes_a_linkset_per_target_and_predicate_with_the_stores_count(
    client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    graph = void_of(client)
    expected = expected_linksets(builtin_store)
    same_as = "http://www.w3.org/2002/07/owl#sameAs"
    assert expected[("statistics.gov.scot", same_as)] >= 1
    assert expected[("Wikidata", same_as)] >= 1
    assert described_linksets(graph) == expected
    for linkset in graph.subjects(rdflib.RDF.type, VOID.Linkset):
        assert (DATASET, VOID.subset, linkset) in graph


def test_the_service_description_has_the_same_linksets_under_its_default_graph(
    client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    graph = service_description_of(client)
    assert described_linksets(graph) == expected_linksets(builtin_store)
    dataset = graph.value(ENDPOINT, SD.defaultDataset)
    default_graph = graph.value(dataset, SD.defaultGraph)
    subsets = set(graph.objects(default_graph, VOID.subset))
    assert subsets == set(graph.subjects(rdflib.RDF.type, VOID.Linkset)) and subsets
    assert subsets == set(void_of(client).subjects(rdflib.RDF.type, VOID.Linkset))


def test_a_link_in_two_graphs_counts_once_and_an_unlinked_target_has_no_linkset() -> None:
    wikidata = "http://www.wikidata.org/entity/Q1"
    area = BASE_IRI + "id/area/somewhere"
    trig = f"""
    <{BASE_IRI}graph/a> {{ <{area}> <http://www.w3.org/2002/07/owl#sameAs> <{wikidata}> . }}
    <{BASE_IRI}graph/b> {{ <{area}> <http://www.w3.org/2002/07/owl#sameAs> <{wikidata}> .
      <{area}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <http://www.wikidata.org/entity/Q2> .
      <http://example.org/x> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q3> . }}
    """.encode()
    store = build_embedded_store([DataFile(name="links.trig", data=trig, graph_iri=None)])
    client = create_app(Config(), store=store).test_client()
    expected = {
        ("Wikidata", "http://www.w3.org/2002/07/owl#sameAs"): 1,
        ("Wikidata", "http://www.w3.org/2000/01/rdf-schema#seeAlso"): 1,
    }
    assert described_linksets(void_of(client)) == expected
    assert described_linksets(service_description_of(client)) == expected


def check_examples(graph: rdflib.Graph, client: FlaskClient, linked_from: rdflib.URIRef) -> None:
    assert (linked_from, rdflib.RDFS.seeAlso, QUERIES) in graph
    examples = example_queries()
    assert examples
    for example in examples:
        node = rdflib.URIRef(f"http://localhost/queries/{example.name}")
        assert (QUERIES, DCT.hasPart, node) in graph
        assert (node, rdflib.RDF.type, SH.SPARQLExecutable) in graph
        assert (node, rdflib.RDF.type, SH.SPARQLSelectExecutable) in graph
        assert str(graph.value(node, SH.select)) == example.text
        assert str(graph.value(node, rdflib.RDFS.label)) == example.title
        assert graph.value(node, SCHEMA.target) == ENDPOINT
        answer = client.get(f"/queries/{example.name}", headers={"Accept": "text/csv"})
        assert answer.status_code == 200, example.name
    assert client.get("/queries", headers={"Accept": "text/html"}).status_code == 200


def test_the_void_links_every_example_query_with_its_text_and_endpoint(client: FlaskClient) -> None:
    check_examples(void_of(client), client, DATASET)


def test_the_service_description_links_every_example_query(client: FlaskClient) -> None:
    check_examples(service_description_of(client), client, ENDPOINT)
