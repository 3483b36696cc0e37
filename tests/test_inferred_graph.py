"""The inferred graph (RDFS rules 7 and 9 over carekg's and the reused vocabularies' hierarchies): queries
by the reused vocabularies find things, nothing in it is asserted elsewhere, every example query answers
the same with and without it, and /sparql/asserted leaves it out."""

import json

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from carekg.config import Config
from carekg.dataset.build import build_embedded_store
from carekg.dataset.inference import INFERRED_GRAPH
from carekg.dataset.sources import bundled_data_files
from carekg.sparql.examples import example_queries
from carekg.store.embedded import EmbeddedStore
from carekg.web.app import create_app

INSPECTION = "https://w3id.org/carekg/id/inspection/south-lanarkshire-2014"


@pytest.fixture(scope="module")
def asserted_only() -> EmbeddedStore:
    return build_embedded_store(bundled_data_files())


def ask(store: EmbeddedStore, query: str) -> bool:
    result = store.query(query)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def rows(store: EmbeddedStore, query: str) -> list[tuple[str, ...]]:
    result = store.query(query)
    if isinstance(result, ox.QueryBoolean):
        return [(str(bool(result)),)]
    if isinstance(result, ox.QueryTriples):
        return sorted((str(t),) for t in result)
    return sorted(tuple(str(v) for v in row) for row in result)


@pytest.mark.parametrize(
    "query",
    [
        f"ASK {{ <{INSPECTION}> a <http://www.w3.org/ns/prov#Activity> }}",
        "ASK { ?x a <http://www.w3.org/ns/org#Organization> }",
        "ASK { ?x a <https://w3id.org/carekg/def/Finding> }",
        f"ASK {{ <{INSPECTION}> <http://www.w3.org/ns/prov#wasAssociatedWith> ?agent }}",
    ],
)
def test_queries_by_the_reused_vocabularies_find_what_only_the_hierarchy_states(
    builtin_store: EmbeddedStore, asserted_only: EmbeddedStore, query: str
) -> None:
    assert ask(builtin_store, query)
    if "wasAssociatedWith" not in query:  # asserted as such; the classes only by entailment
        assert not ask(asserted_only, query)


def test_the_inferred_graph_holds_only_triples_asserted_nowhere_else(
    builtin_store: EmbeddedStore,
) -> None:
    inferred = {q.triple for q in builtin_store.quads(INFERRED_GRAPH)}
    asserted = {
        q.triple for q in builtin_store.quads() if q.graph_name != ox.NamedNode(INFERRED_GRAPH)
    }
    assert inferred and not inferred & asserted
    types = {t.predicate.value for t in inferred}
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" in types
    # Only rules 7 and 9: no domain or range rule re-types the partnership as a prov:Entity.
    partnership = ox.NamedNode(
        "https://w3id.org/carekg/id/organisation/south-lanarkshire-community-planning-partnership"
    )
    entity = ox.NamedNode("http://www.w3.org/ns/prov#Entity")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert ox.Triple(partnership, rdf_type, entity) not in inferred


def test_every_example_query_answers_the_same_with_the_inferred_graph(
    builtin_store: EmbeddedStore, asserted_only: EmbeddedStore
) -> None:
    examples = example_queries()
    assert examples
    for example in examples:
        assert rows(builtin_store, example.text) == rows(asserted_only, example.text), example.name


def test_sparql_asserted_leaves_the_inferred_graph_out(builtin_store: EmbeddedStore) -> None:
    client: FlaskClient = create_app(Config(), store=builtin_store).test_client()
    query = f"ASK {{ <{INSPECTION}> a <http://www.w3.org/ns/prov#Activity> }}"
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    headers = {"Accept": "application/sparql-results+json"}
    full = client.get("/sparql", query_string={"query": query}, headers=headers)
    asserted = client.get("/sparql/asserted", query_string={"query": query}, headers=headers)
    assert json.loads(full.data)["boolean"] is True
    assert json.loads(asserted.data)["boolean"] is False
    named = client.get("/sparql/asserted", query_string={"query": graphs}, headers=headers)
    listed = {b["g"]["value"] for b in json.loads(named.data)["results"]["bindings"]}
    assert INFERRED_GRAPH not in listed and listed == set(builtin_store.named_graphs()) - {
        INFERRED_GRAPH
    }
