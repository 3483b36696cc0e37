"""The carekg ontology: every term labelled, defined and related to a standard term; a proper header."""

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Literal, URIRef

from carekg.loading import parse_all
from carekg.namespaces import CAREKG, ONTOLOGY_IRI, SCHEMA
from carekg.sources import bundled_data_files
from carekg.validation import builtin_ontology_files, union_graph, validate

SHAPES = Path(__file__).resolve().parent.parent / "shapes" / "ontology-shapes.ttl"
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
NOT_A_REFINEMENT = {OWL.Thing, SCHEMA.Thing, RDFS.Resource}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return union_graph(parse_all(builtin_ontology_files()))


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    return union_graph(parse_all(bundled_data_files()))


def carekg_terms(ontology: rdflib.Graph, *kinds: URIRef) -> list[URIRef]:
    return sorted(
        term
        for kind in kinds
        for term in ontology.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and term.startswith(str(CAREKG))
    )


def reaches_standard_term(graph: rdflib.Graph, term: URIRef, relation: URIRef) -> bool:
    seen: set[URIRef] = set()
    frontier = [term]
    while frontier:
        current = frontier.pop()
        for parent in graph.objects(current, relation):
            if not isinstance(parent, URIRef) or parent in seen:
                continue
            if not parent.startswith("https://w3id.org/carekg/") and parent not in NOT_A_REFINEMENT:
                return True
            seen.add(parent)
            frontier.append(parent)
    return False


def test_the_ontology_declares_its_terms(ontology: rdflib.Graph) -> None:
    assert len(carekg_terms(ontology, OWL.Class)) >= 15
    assert len(carekg_terms(ontology, OWL.ObjectProperty, OWL.DatatypeProperty)) >= 15


def test_every_carekg_term_has_one_english_label_and_definition(ontology: rdflib.Graph) -> None:
    for term in carekg_terms(ontology, *TERM_KINDS):
        for predicate in (RDFS.label, SKOS.definition):
            values = list(ontology.objects(term, predicate))
            assert len(values) == 1, (term, predicate)
            assert isinstance(values[0], Literal) and values[0].language == "en", (term, predicate)
            assert len(values[0]) > 2


def test_every_carekg_class_refines_a_standard_class(ontology: rdflib.Graph) -> None:
    classes = carekg_terms(ontology, OWL.Class)
    missing = [c for c in classes if not reaches_standard_term(ontology, c, RDFS.subClassOf)]
    assert missing == []


def test_every_carekg_property_refines_a_standard_property_or_says_why_none_fits(
    ontology: rdflib.Graph,
) -> None:
    """A parent whose domain or range does not fit is worse than none (issue 8): such a property says why."""
    properties = carekg_terms(ontology, OWL.ObjectProperty, OWL.DatatypeProperty)
    refining = [p for p in properties if reaches_standard_term(ontology, p, RDFS.subPropertyOf)]
    explained = [p for p in properties if (p, SKOS.scopeNote, None) in ontology]
    missing = [p for p in properties if p not in refining and p not in explained]
    assert missing == []
    assert len(refining) >= 8
    assert set(refining).isdisjoint(explained)


def test_the_ontology_passes_the_shapes_that_check_it(ontology: rdflib.Graph) -> None:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    outcome = validate(ontology, shapes=shapes)
    assert outcome.results == []
    assert outcome.conforms


def test_the_ontology_has_a_version_iri_a_licence_and_a_creator(ontology: rdflib.Graph) -> None:
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    version = ontology.value(header, OWL.versionIRI)
    assert isinstance(version, URIRef) and version.startswith(str(CAREKG))
    assert isinstance(ontology.value(header, DCTERMS.license), URIRef)
    assert ontology.value(header, DCTERMS.creator) is not None


def test_every_carekg_term_the_data_uses_is_defined(
    ontology: rdflib.Graph, data: rdflib.Graph
) -> None:
    used = {p for p in data.predicates() if p.startswith(str(CAREKG))}
    used |= {
        o
        for o in data.objects(None, RDF.type)
        if isinstance(o, URIRef) and o.startswith(str(CAREKG))
    }
    used |= {
        o for o in data.objects(None, None) if isinstance(o, URIRef) and o.startswith(str(CAREKG))
    }
    used -= set(ontology.objects(None, OWL.versionIRI)) | set(
        ontology.objects(None, OWL.priorVersion)
    )
    undefined = sorted(t for t in used if (t, RDFS.label, None) not in ontology)
    assert undefined == []
