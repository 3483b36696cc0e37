"""For a sample of IRIs of every class, every RDF format of the description parses and is isomorphic
to the expected description (a golden file under tests/golden/describe/).

To regenerate the golden files after a deliberate change: CAREKG_REGENERATE_GOLDEN=1 pytest this file,
then read the diff.
"""

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from carekg.dataset.build import build_embedded_store
from carekg.dataset.sources import bundled_data_files
from carekg.rdf.namespaces import BASE_IRI
from carekg.store.embedded import EmbeddedStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

GOLDEN = Path(__file__).parent / "golden" / "describe"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = {  # extension -> rdflib parser
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "rdf": "xml",
    "trig": "trig",
    "nq": "nquads",
}
DATASET_FORMATS = {"trig", "nq", "jsonld"}


def sample_iris() -> list[str]:
    """The first carekg IRI (in sorted order) of every class in the shipped data, plus the seed inspection."""
    store = build_embedded_store(bundled_data_files()).pyoxigraph()
    first: dict[str, str] = {}
    for quad in store.quads_for_pattern(None, RDF_TYPE, None, None):
        subject = quad.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(BASE_IRI):
            cls = str(quad.object)
            if cls not in first or subject.value < first[cls]:
                first[cls] = subject.value
    # The seed report's inspection too: the corpus's first inspection (by IRI) is another one.
    return sorted(set(first.values()) | {BASE_IRI + "id/inspection/south-lanarkshire-2014"})


def golden_file(iri: str) -> Path:
    return GOLDEN / (iri.removeprefix(BASE_IRI).replace("/", "__") + ".ttl")


def parse(data: bytes, extension: str) -> rdflib.Graph:
    """The description's triples (the union of its graphs, for dataset formats)."""
    if extension in DATASET_FORMATS:
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=FORMATS[extension])
        union = rdflib.Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return rdflib.Graph().parse(data=data, format=FORMATS[extension])


SAMPLE = sample_iris()


def test_the_sample_covers_many_classes() -> None:
    assert len(SAMPLE) >= 20
    assert BASE_IRI + "id/inspection/south-lanarkshire-2014" in SAMPLE


@pytest.mark.parametrize("iri", SAMPLE, ids=lambda i: i.removeprefix(BASE_IRI))
def test_every_format_of_the_description_matches_the_golden_file(
    client: FlaskClient, iri: str
) -> None:
    path = "/doc/" + iri.removeprefix(BASE_IRI)
    expected_file = golden_file(iri)
    if os.environ.get("CAREKG_REGENERATE_GOLDEN"):
        turtle = client.get(path + ".ttl")
        assert turtle.status_code == 200
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_bytes(turtle.data)
    expected = rdflib.Graph().parse(expected_file, format="turtle")
    assert len(expected) > 0
    for extension in FORMATS:
        response = client.get(f"{path}.{extension}")
        assert response.status_code == 200, (extension, response.data[:300])
        got = parse(response.data, extension)
        if not isomorphic(got, expected):
            _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
            pytest.fail(
                f"{path}.{extension} differs from {expected_file.name}:\n"
                f"only served:\n{only_got.serialize(format='nt')}\n"
                f"only expected:\n{only_expected.serialize(format='nt')}"
            )


def test_inspection_description_holds_what_it_owns_and_only_labels_of_what_it_links_to(
    client: FlaskClient,
) -> None:
    response = client.get("/doc/id/inspection/south-lanarkshire-2014.nt")
    graph = rdflib.Graph().parse(data=response.data, format="nt")
    ns = rdflib.Namespace(BASE_IRI + "id/")
    carekg = rdflib.Namespace(BASE_IRI + "def/")
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    observation = ns["observation/grade-counts/south-lanarkshire-2014/very-good"]
    association = ns["inspection/south-lanarkshire-2014-association-hmics"]
    selector = ns["evidence/south-lanarkshire-2014/grade-counts-selector"]
    # owned: grade-count observations, qualified associations, evidence and its selectors
    assert (
        observation,
        carekg.indicatorCount,
        rdflib.Literal(1, datatype=rdflib.XSD.nonNegativeInteger),
    ) in graph or any(graph.triples((observation, carekg.indicatorCount, None)))
    assert (association, prov.hadRole, carekg.PartnerInspectorate) in graph
    assert any(
        "Across nine quality indicators" in str(o) for o in graph.objects(selector, oa.exact)
    )
    # linked, not owned: only its label
    inspectorate = ns["organisation/care-inspectorate"]
    assert (
        inspectorate,
        rdflib.RDFS.label,
        rdflib.Literal("Care Inspectorate", lang="en"),
    ) in graph
    assert set(graph.predicates(inspectorate)) == {rdflib.RDFS.label}


def test_source_document_description_holds_the_evidence_quoted_from_it_with_selectors(
    client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    source = BASE_IRI + "id/source/care-inspectorate-news-2109"
    response = client.get("/doc/id/source/care-inspectorate-news-2109.ttl")
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    quoting = {
        q.subject.value
        for q in builtin_store.quads()
        if q.predicate.value == str(oa.hasSource)
        and q.object == ox.NamedNode(source)
        and isinstance(q.subject, ox.NamedNode)
    }
    assert len(quoting) > 20
    described = {str(e) for e in graph.subjects(oa.hasSource, rdflib.URIRef(source))}
    assert described == quoting
    for evidence in described:
        selectors = list(graph.objects(rdflib.URIRef(evidence), oa.hasSelector))
        assert selectors, evidence
        for selector in selectors:
            assert graph.value(selector, oa.exact) is not None, selector
