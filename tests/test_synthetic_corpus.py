"""benchmarks/synthetic_corpus.py: a small synthetic corpus conforms to carekg's shapes, is reproducible from
its seed, reaches its size and is marked synthetic; a broken copy of it does not conform."""

import re
from types import ModuleType

import pyoxigraph as ox
import pytest
import synthetic_corpora
from synthetic_corpora import nquads, with_a_recommendation_not_in_its_evidence

from carekg.dataset.sources import DataFile
from carekg.dataset.validation import validate_files

# The ontology (~430 triples), the common graph with its 72 calendar months (~660) and three reports: enough
# for every template, and fast.
SMALL = 2_000
DCT_DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
CALENDAR_MONTH = r"https://w3id\.org/carekg/id/month/20[0-9]{2}-[0-9]{2}(-description)?"
ONTOLOGY_GRAPHS = {
    "https://w3id.org/carekg/graph/" + stem
    for stem in ("evaluation-scale", "grade-counts", "ontology", "quality-indicators")
}


@pytest.fixture(scope="module")
def corpus_module() -> ModuleType:
    return synthetic_corpora.corpus_module()


@pytest.fixture(scope="module")
def small(corpus_module: ModuleType) -> bytes:
    return nquads(corpus_module, SMALL, seed=1)


def test_small_corpus_conforms_to_carekg_shapes_with_the_builtin_data(small: bytes) -> None:
    outcome = validate_files([DataFile("small.nq", small, graph_iri=None)])
    assert outcome.conforms, [r.message for r in outcome.results[:5]]


def test_a_recommendation_whose_text_is_not_in_its_evidence_does_not_conform(small: bytes) -> None:
    # The same corpus with one recommendation's text changed: the check above can fail.
    broken = with_a_recommendation_not_in_its_evidence(small)
    outcome = validate_files([DataFile("broken.nq", broken, graph_iri=None)])
    assert not outcome.conforms
    assert any("does not occur verbatim" in r.message for r in outcome.results)


def test_same_seed_gives_the_same_bytes_and_another_seed_other_data(
    corpus_module: ModuleType, small: bytes
) -> None:
    assert nquads(corpus_module, SMALL, seed=1) == small
    assert nquads(corpus_module, SMALL, seed=2) != small


def test_corpus_reaches_the_size_asked_for_within_one_report(corpus_module: ModuleType) -> None:
    quads = list(ox.parse(nquads(corpus_module, 5_000, seed=1), format=ox.RdfFormat.N_QUADS))
    assert 5_000 <= len(quads) < 5_000 + 1_000


def test_every_graph_but_carekg_ontology_is_synthetic_and_described_so(small: bytes) -> None:
    quads = list(ox.parse(small, format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    synthetic = graphs - ONTOLOGY_GRAPHS
    assert graphs >= ONTOLOGY_GRAPHS
    assert len(synthetic) >= 3  # the common graph and at least two reports
    assert all(g.startswith("https://w3id.org/carekg/graph/synthetic-") for g in synthetic)
    described = {
        q.subject.value
        for q in quads
        if q.predicate == DCT_DESCRIPTION
        and q.object == ox.Literal("synthetic benchmark data")
        and q.subject == q.graph_name
    }
    assert described == synthetic
    minted = {
        term.value
        for q in quads
        if q.graph_name.value in synthetic
        for term in (q.subject,)
        if isinstance(term, ox.NamedNode)
    }
    # Calendar months are the one exception: the corpus uses carekg's own month IRIs (one IRI per month, as
    # carekg's shapes require), stating what graph/shared.ttl states about them.
    unmarked = {iri for iri in minted if "synthetic" not in iri}
    assert unmarked, "the corpus should define its calendar months"
    assert all(re.fullmatch(CALENDAR_MONTH, iri) for iri in unmarked), sorted(unmarked)[:5]
    labels = {
        q.object
        for q in quads
        if q.graph_name.value in synthetic
        and q.predicate == RDFS_LABEL
        and q.subject.value not in unmarked
    }
    assert labels and all(label.value.endswith(" (synthetic)") for label in labels)


def test_size_suffixes_are_read(corpus_module: ModuleType) -> None:
    assert [corpus_module.parse_size(s) for s in ("10k", "100k", "1M", "2500")] == [
        10_000,
        100_000,
        1_000_000,
        2_500,
    ]
