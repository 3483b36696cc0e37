"""The Store protocol: the embedded store satisfies it, its methods answer from the built-in data, and
nothing above store.py reaches the Oxigraph store behind it."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from carekg.rdf.formats import by_name
from carekg.sparql.execution import QueryJob, QuerySyntaxError
from carekg.store.embedded import EmbeddedStore
from carekg.store.protocol import Store

SERVER = Path(__file__).resolve().parent.parent / "server"
REPORT_GRAPH = "https://w3id.org/carekg/graph/south-lanarkshire-2014"
ONTOLOGY_GRAPH = "https://w3id.org/carekg/graph/ontology"
INSPECTION = ox.NamedNode("https://w3id.org/carekg/id/inspection/south-lanarkshire-2014")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

# Modules allowed to reach the embedded Oxigraph store directly: the store itself and the forked
# query runner it hands the store to.
# The modules that may touch the Oxigraph store itself: the embedded store, a build's on-disk store
# and the query processes that open it, and the query execution that evaluates on the store it is handed.
STORE_MODULES = {
    "store/embedded.py",
    "store/remote.py",  # scratch in-memory stores: parsing a query, canonical literals
    "store/built.py",
    "store/query_process.py",
    "sparql/execution.py",
}
OXIGRAPH_STORE_ACCESS = re.compile(r"\.inner\b|\.pyoxigraph\(\)|\b(?:ox|pyoxigraph)\.Store\b")


def store_of(store: Store) -> Store:
    """Typed as the protocol: mypy checks that EmbeddedStore satisfies it where it is passed."""
    return store


def test_the_embedded_store_satisfies_the_protocol(builtin_store: EmbeddedStore) -> None:
    assert isinstance(store_of(builtin_store), Store)


def test_the_remote_store_satisfies_the_protocol(remote_builtin_store: Store) -> None:
    assert isinstance(store_of(remote_builtin_store), Store)
    assert remote_builtin_store.named_graphs() == sorted(remote_builtin_store.named_graphs())


def test_an_object_without_the_query_methods_is_not_a_store() -> None:
    assert not isinstance(ox.Store(), Store)


def test_named_graphs_are_sorted_iris_of_the_bundled_files(builtin_store: EmbeddedStore) -> None:
    graphs = builtin_store.named_graphs()
    assert graphs == sorted(graphs)
    assert {REPORT_GRAPH, ONTOLOGY_GRAPH} <= set(graphs)
    assert all(g.startswith("https://w3id.org/carekg/graph/") for g in graphs)


def test_quads_filter_by_each_position(builtin_store: EmbeddedStore) -> None:
    everything = list(builtin_store.quads())
    in_report = list(builtin_store.quads(REPORT_GRAPH))
    about_inspection = list(builtin_store.quads(subject=INSPECTION))
    typed = list(builtin_store.quads(subject=INSPECTION, predicate=RDF_TYPE))
    pointing_at = list(builtin_store.quads(object=INSPECTION))

    assert 0 < len(in_report) < len(everything)
    assert all(q.graph_name == ox.NamedNode(REPORT_GRAPH) for q in in_report)
    assert about_inspection and all(q.subject == INSPECTION for q in about_inspection)
    assert typed and all(q.predicate == RDF_TYPE for q in typed)
    assert ox.NamedNode("https://w3id.org/carekg/def/JointInspection") in {q.object for q in typed}
    assert pointing_at and all(q.object == INSPECTION for q in pointing_at)
    # a graph given as a term answers as the same graph given as an IRI string
    assert set(builtin_store.quads(ox.NamedNode(REPORT_GRAPH))) == set(in_report)


def test_query_defaults_to_the_union_of_the_graphs(builtin_store: EmbeddedStore) -> None:
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    union = builtin_store.query(count)
    store_default = builtin_store.query(count, union_default=False)
    one_graph = builtin_store.query(count, default_graphs=[REPORT_GRAPH])
    assert isinstance(union, ox.QuerySolutions)
    assert isinstance(store_default, ox.QuerySolutions)
    assert isinstance(one_graph, ox.QuerySolutions)
    total = sum(1 for _ in builtin_store.quads())
    in_report = sum(1 for _ in builtin_store.quads(REPORT_GRAPH))

    def n(result: ox.QuerySolutions) -> int:
        term = next(iter(result))["n"]
        assert isinstance(term, ox.Literal)
        return int(term.value)

    # the bundled files share no triple, so the union's size is the sum of the graphs'
    assert n(union) == total
    assert n(store_default) == 0  # every bundled triple sits in a named graph
    assert n(one_graph) == in_report


def test_query_with_named_graphs_only_sees_those(builtin_store: EmbeddedStore) -> None:
    result = builtin_store.query(
        "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", named_graphs=[ONTOLOGY_GRAPH]
    )
    assert isinstance(result, ox.QuerySolutions)
    assert [row["g"] for row in result] == [ox.NamedNode(ONTOLOGY_GRAPH)]


def test_query_answers_ask_and_construct(builtin_store: EmbeddedStore) -> None:
    ask = builtin_store.query(f"ASK {{ {INSPECTION} a ?type }}")
    construct = builtin_store.query(
        f"CONSTRUCT {{ {INSPECTION} a ?t }} WHERE {{ {INSPECTION} a ?t }}"
    )
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)
    assert isinstance(construct, ox.QueryTriples)
    assert {t.object for t in construct} == {
        q.object for q in builtin_store.quads(subject=INSPECTION, predicate=RDF_TYPE)
    }


def test_answer_serializes_the_result_in_the_chosen_format(builtin_store: EmbeddedStore) -> None:
    job = QueryJob(
        query=f"SELECT ?type WHERE {{ {INSPECTION} a ?type }}",
        results_type=by_name("csv"),
        graph_type=None,
    )
    outcome = builtin_store.answer(job, timeout=10)
    lines = outcome.body.decode("utf-8").splitlines()
    assert lines[0] == "type"
    assert "https://w3id.org/carekg/def/JointInspection" in lines[1:]
    assert outcome.rows == len(lines) - 1 and not outcome.truncated


def test_answer_reports_a_malformed_query_with_its_position(builtin_store: EmbeddedStore) -> None:
    job = QueryJob(
        query="SELECT ?s WHERE {\n  ?s ?p }", results_type=by_name("json"), graph_type=None
    )
    with pytest.raises(QuerySyntaxError) as raised:
        builtin_store.answer(job, timeout=10)
    assert raised.value.line == 2


def python_modules() -> list[str]:
    return sorted(str(path.relative_to(SERVER)) for path in SERVER.rglob("*.py"))


def modules_reaching_the_oxigraph_store() -> set[str]:
    return {
        module
        for module in python_modules()
        if OXIGRAPH_STORE_ACCESS.search((SERVER / module).read_text(encoding="utf-8"))
    }


def test_only_the_store_modules_reach_the_oxigraph_store() -> None:
    reaching = modules_reaching_the_oxigraph_store()
    assert reaching <= STORE_MODULES, sorted(reaching - STORE_MODULES)
    # The pattern does find the access it looks for: the embedded store's own uses of it.
    assert "store/embedded.py" in reaching
    for line in ("store.inner.query(q)", "store.pyoxigraph().query(q)", "ox.Store()"):
        assert OXIGRAPH_STORE_ACCESS.search(line), line


def test_rdflib_api_runs_on_the_same_oxigraph_store(builtin_store: EmbeddedStore) -> None:
    dataset = builtin_store.rdflib_dataset()
    rows = list(
        dataset.query(
            "SELECT ?r WHERE { ?r a <https://w3id.org/carekg/def/Recommendation> }"  # a string
        )
    )
    assert len(rows) == 9
    report_graph = dataset.graph(
        rdflib.URIRef("https://w3id.org/carekg/graph/south-lanarkshire-2014")
    )
    assert len(report_graph) == sum(
        1 for _ in builtin_store.quads("https://w3id.org/carekg/graph/south-lanarkshire-2014")
    )
