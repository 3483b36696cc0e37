"""carekg is consistent under the vocabularies it reuses, and its sub-properties fit their parents.

``ontology/reused/vocabularies.ttl`` holds the axioms of PROV-O, ORG, OWL-Time, DQV, Data Cube, SKOS and Web
Annotation that matter to carekg (hierarchies, disjointness, domains and ranges), written from their W3C
specifications. An OWL 2 RL closure (owlrl) of those axioms with the ontology and the data must find no node in
two disjoint classes and no ill-typed literal: owlrl does not raise on an inconsistency, it adds an error node
to the graph, which these tests read. Schema.org's domainIncludes / rangeIncludes carry no entailment, so
borrowing a schema.org property for a thing it is not meant for is no inconsistency: the sub-property test
checks, for every parent a carekg property names, that carekg's own declared domain and range fit the
parent's (subclass-wise).
"""

import re
from collections.abc import Iterable
from importlib import resources

import owlrl
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Literal, Node, URIRef

from carekg.loading import parse_all
from carekg.namespaces import CAREKG, SCHEMA
from carekg.sources import bundled_data_files
from carekg.validation import builtin_ontology_files, union_graph

ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
ERROR_MESSAGE = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
REUSED = {
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "dqv": "http://www.w3.org/ns/dqv#",
    "qb": "http://purl.org/linked-data/cube#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "oa": "http://www.w3.org/ns/oa#",
}
# The classes every resource or every literal belongs to: any class fits them.
TOP = {RDFS.Resource, OWL.Thing, SCHEMA.Thing}
# schema.org's data types, and the XSD datatypes whose values they hold.
SCHEMA_DATATYPES = {
    SCHEMA.Text: {XSD.string},
    SCHEMA.Integer: {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int},
    SCHEMA.Number: {XSD.integer, XSD.nonNegativeInteger, XSD.decimal, XSD.double, XSD.int},
}
Pair = tuple[URIRef, URIRef]


def vocabularies() -> rdflib.Graph:
    text = resources.files("carekg.ontology").joinpath("reused/vocabularies.ttl").read_bytes()
    return rdflib.Graph().parse(data=text, format="turtle")


def closure_of(*graphs: rdflib.Graph) -> rdflib.Graph:
    """The OWL 2 RL closure of the graphs, leaving rdflib's lexical-to-value conversions as they were.

    owlrl 7.6 replaces rdflib's process-wide conversion table while it reasons (improved_datatypes) and does not
    restore it fully: its xsd:gMonth converter, which rejects the valid "--06", stayed behind and made later
    SHACL validations in the same process see carekg's months as ill-typed. Its own ill-typed-literal rule
    does not need that table, so it is not switched on, and the table is restored whatever happens.
    """
    graph = rdflib.Graph()
    for part in graphs:
        for triple in part:
            graph.add(triple)
    saved = dict(rdflib.term._toPythonMapping)
    try:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, improved_datatypes=False).expand(graph)
    finally:
        rdflib.term._toPythonMapping.clear()
        rdflib.term._toPythonMapping.update(saved)
    return graph


def errors_in(graph: rdflib.Graph) -> list[str]:
    return sorted(str(graph.value(node, ERROR)) for node in graph.subjects(RDF.type, ERROR_MESSAGE))


def nodes_in_disjoint_classes(graph: rdflib.Graph) -> list[tuple[Node, Node, Node]]:
    found = []
    for first, _, second in graph.triples((None, OWL.disjointWith, None)):
        both = set(graph.subjects(RDF.type, first)) & set(graph.subjects(RDF.type, second))
        found += [(node, first, second) for node in both]
    return sorted(found)


GREGORIAN = {
    XSD.gYear: re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"),
    XSD.gMonth: re.compile(r"--(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?"),
    XSD.gYearMonth: re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?"),
}


def ill_typed_literals(graph: rdflib.Graph) -> list[Literal]:
    """Literals rdflib cannot read as their datatype, and Gregorian ones whose form is not the datatype's."""
    found = set()
    for o in graph.objects():
        if not isinstance(o, Literal):
            continue
        pattern = GREGORIAN.get(o.datatype) if o.datatype is not None else None
        if o.ill_typed or (pattern is not None and not pattern.fullmatch(str(o))):
            found.add(o)
    return sorted(found)


@pytest.fixture(scope="module")
def reused() -> rdflib.Graph:
    return vocabularies()


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return union_graph(parse_all(builtin_ontology_files()))


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    return union_graph(parse_all(bundled_data_files()))


@pytest.fixture(scope="module")
def closure(reused: rdflib.Graph, data: rdflib.Graph) -> rdflib.Graph:
    return closure_of(reused, data)


def test_the_owl_rl_closure_records_no_inconsistency(closure: rdflib.Graph) -> None:
    assert errors_in(closure) == []


def test_no_node_is_in_two_disjoint_classes(closure: rdflib.Graph) -> None:
    assert len(set(closure.subjects(OWL.disjointWith, None))) >= 4
    assert nodes_in_disjoint_classes(closure) == []


def test_no_literal_is_ill_typed(closure: rdflib.Graph, data: rdflib.Graph) -> None:
    assert ill_typed_literals(data) == []
    assert not [e for e in errors_in(closure) if "Lexical value" in e or "datatype" in e]


def test_the_closure_leaves_rdflib_reading_months_as_before(reused: rdflib.Graph) -> None:
    before = dict(rdflib.term._toPythonMapping)
    closure_of(reused)
    assert dict(rdflib.term._toPythonMapping) == before
    assert not Literal("--06", datatype=XSD.gMonth).ill_typed


def test_the_inconsistency_checks_catch_what_they_look_for(reused: rdflib.Graph) -> None:
    """An activity derived from a passage, an instant that is a proper interval, a month 13: all reported."""
    # rdflib and owlrl check the lexical forms of xsd:date and the numeric types, not xsd:gYearMonth: the
    # gYear / gMonth / gYearMonth forms are checked by ill_typed_literals itself.
    ex = rdflib.Namespace("http://example.org/carekg-test/")
    prov = rdflib.Namespace(REUSED["prov"])
    time = rdflib.Namespace(REUSED["time"])
    broken = rdflib.Graph()
    broken.add((ex.inspection, RDF.type, prov.Activity))
    broken.add((ex.inspection, prov.wasDerivedFrom, ex.passage))
    broken.add((ex.month, RDF.type, time.DateTimeInterval))
    broken.add((ex.month, time.inXSDgYearMonth, Literal("2014-06", datatype=XSD.gYearMonth)))
    broken.add((ex.other, time.inXSDDate, Literal("2014-13-01", datatype=XSD.date)))
    broken.add((ex.other, time.inXSDgYearMonth, Literal("2014-13", datatype=XSD.gYearMonth)))
    closure = closure_of(reused, broken)
    disjoint = {(str(n), str(a), str(b)) for n, a, b in nodes_in_disjoint_classes(closure)}
    assert (str(ex.inspection), prov.Activity, prov.Entity) in {
        (n, URIRef(a), URIRef(b)) for n, a, b in disjoint
    } or (str(ex.inspection), prov.Entity, prov.Activity) in {
        (n, URIRef(a), URIRef(b)) for n, a, b in disjoint
    }
    assert any(n == str(ex.month) for n, _, _ in disjoint)
    errors = errors_in(closure)
    assert any("Disjoint" in e or "disjoint" in e for e in errors), errors
    assert any("2014-13-01" in e for e in errors), errors
    assert set(ill_typed_literals(broken)) == {
        Literal("2014-13", datatype=XSD.gYearMonth),
        Literal("2014-13-01", datatype=XSD.date),
    }


# ---------------------------------------------------------------- sub-properties fit their parents


def superclasses(graph: rdflib.Graph, cls: Node) -> set[Node]:
    return set(graph.transitive_objects(cls, RDFS.subClassOf))


def superproperties(graph: rdflib.Graph, prop: Node) -> set[Node]:
    return set(graph.transitive_objects(prop, RDFS.subPropertyOf))


def fits(graph: rdflib.Graph, cls: Node, required: Node) -> bool:
    """A carekg domain or range class fits a parent's: it is a subclass of it, or a datatype of it."""
    if required in TOP or required in superclasses(graph, cls):
        return True
    is_datatype = isinstance(cls, URIRef) and (cls.startswith(str(XSD)) or cls == RDFS.Literal)
    if required == RDFS.Literal and is_datatype:
        return True
    return cls in SCHEMA_DATATYPES.get(required, set())  # type: ignore[call-overload]


def misfits(graph: rdflib.Graph, properties: Iterable[URIRef]) -> list[tuple[str, str, str]]:
    """(carekg property, parent, what does not fit) for every parent of every carekg property."""
    found = []
    for prop in properties:
        for parent in sorted(superproperties(graph, prop) - {prop}):
            if str(parent).startswith(str(CAREKG)):
                continue
            if (parent, RDF.type, None) not in graph:
                found.append((str(prop), str(parent), "parent not described"))
                continue
            for axiom, includes, name in (
                (RDFS.domain, SCHEMA.domainIncludes, "domain"),
                (RDFS.range, SCHEMA.rangeIncludes, "range"),
            ):
                declared = set(graph.objects(prop, axiom))
                # Every domain (range) the parent has in RDFS must be met by one carekg declares ...
                for required in graph.objects(parent, axiom):
                    if required in TOP:
                        continue
                    if not any(fits(graph, c, required) for c in declared):
                        found.append((str(prop), str(parent), f"rdfs:{name} not within {required}"))
                # ... and, where schema.org lists the classes it is meant for, one of them.
                meant = set(graph.objects(parent, includes))
                if meant and not any(fits(graph, c, m) for c in declared for m in meant):
                    found.append(
                        (str(prop), str(parent), f"rdfs:{name} not within schema:{name}Includes")
                    )
    return sorted(found)


def carekg_properties(graph: rdflib.Graph) -> list[URIRef]:
    return sorted(
        {
            p
            for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
            for p in graph.subjects(RDF.type, kind)
            if isinstance(p, URIRef) and p.startswith(str(CAREKG))
        }
    )


def test_every_sub_property_fits_its_parents_domain_and_range(
    reused: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    graph = reused + ontology
    properties = carekg_properties(graph)
    assert len(properties) >= 15
    assert misfits(graph, properties) == []


def test_the_sub_property_check_catches_a_misfit(
    reused: rdflib.Graph, ontology: rdflib.Graph
) -> None:
    """prov:used would make a partnership an entity; schema:size is the size of a product."""
    graph = reused + ontology
    used, size = CAREKG.exampleUsed, CAREKG.exampleSize
    graph.add((used, RDFS.subPropertyOf, URIRef(REUSED["prov"] + "used")))
    graph.add((used, RDFS.domain, CAREKG.Inspection))
    graph.add((used, RDFS.range, CAREKG.CommunityPlanningPartnership))
    graph.add((size, RDFS.subPropertyOf, SCHEMA.size))
    graph.add((size, RDFS.domain, CAREKG.Inspection))
    graph.add((size, RDFS.range, XSD.nonNegativeInteger))
    assert misfits(graph, [used, size]) == [
        (str(size), str(SCHEMA.size), "rdfs:domain not within schema:domainIncludes"),
        (str(size), str(SCHEMA.size), "rdfs:range not within schema:rangeIncludes"),
        (str(used), REUSED["prov"] + "used", f"rdfs:range not within {REUSED['prov']}Entity"),
    ]


def test_the_vocabulary_file_describes_every_reused_term_carekg_uses(
    reused: rdflib.Graph, ontology: rdflib.Graph, data: rdflib.Graph
) -> None:
    used: set[URIRef] = set()
    schema_axioms = (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)
    for _, p, o in ontology + data:
        used.add(p)  # type: ignore[arg-type]
        if p in schema_axioms and isinstance(o, URIRef):
            used.add(o)
    reused_terms = {t for t in used if any(t.startswith(ns) for ns in REUSED.values())}
    assert len(reused_terms) >= 30
    undescribed = sorted(t for t in reused_terms if (t, None, None) not in reused)
    assert undescribed == []
