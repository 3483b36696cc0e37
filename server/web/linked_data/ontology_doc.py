"""The ontology's HTML documentation, generated from the ontology in the store.

Each term is listed with its label, definition and its super-terms, domain and range; every term links to
its own page at /def/{Term}, where the term dereferences like any other resource.
"""

from dataclasses import dataclass

import pyoxigraph as ox

from ...rdf.namespaces import OWL, RDFS
from ...store.protocol import Store
from .describe import RDF_TYPE
from .iris import compact
from .labels import Labeller, Value
from .pages import Property, resource_page

SKOS_DEFINITION = ox.NamedNode("http://www.w3.org/2004/02/skos/core#definition")
RDFS_COMMENT = ox.NamedNode(RDFS + "comment")
SECTIONS = (
    ("classes", "Classes", (OWL + "Class", RDFS + "Class")),
    ("object-properties", "Object properties", (OWL + "ObjectProperty",)),
    ("datatype-properties", "Datatype properties", (OWL + "DatatypeProperty",)),
    ("properties", "Other properties", ("http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",)),
    ("individuals", "Named individuals", (OWL + "NamedIndividual",)),
)
RELATIONS = (
    ("subclass of", RDFS + "subClassOf"),
    ("subproperty of", RDFS + "subPropertyOf"),
    ("domain", RDFS + "domain"),
    ("range", RDFS + "range"),
    ("type", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
)


@dataclass(frozen=True)
class Relation:
    name: str
    values: list[Value]


@dataclass(frozen=True)
class TermDoc:
    term: Value
    compact: str
    anchor: str
    definition: str | None
    relations: list[Relation]


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    terms: list[TermDoc]


@dataclass(frozen=True)
class OntologyDoc:
    iri: str
    title: str
    metadata: list[Property]
    sections: list[Section]


def ontology_doc(store: Store, ontology_iri: str, statements: list[ox.Quad]) -> OntologyDoc:
    labeller = Labeller(store)
    header = resource_page(store, ontology_iri, statements)
    namespace = ontology_iri.rstrip("/#") + "/"
    graph_terms = {q.subject for q in statements if isinstance(q.subject, ox.NamedNode)}
    seen: set[ox.NamedNode] = set()
    sections = []
    for anchor, title, classes in SECTIONS:
        terms = sorted(
            {
                q.subject
                for cls in classes
                for q in store.quads(predicate=RDF_TYPE, object=ox.NamedNode(cls))
                if q.subject in graph_terms
                and isinstance(q.subject, ox.NamedNode)
                and q.subject.value.startswith(namespace)
                and q.subject not in seen
            },
            key=lambda node: labeller.label(node.value).lower(),
        )
        seen.update(terms)
        if terms:
            sections.append(Section(anchor, title, [_term(store, t, labeller) for t in terms]))
    return OntologyDoc(
        iri=ontology_iri, title=header.title, metadata=header.properties, sections=sections
    )


def _term(store: Store, term: ox.NamedNode, labeller: Labeller) -> TermDoc:
    definitions = sorted(
        q.object.value
        for predicate in (SKOS_DEFINITION, RDFS_COMMENT)
        for q in store.quads(subject=term, predicate=predicate)
        if isinstance(q.object, ox.Literal)
    )
    relations = []
    for name, predicate in RELATIONS:
        values = sorted(
            {labeller.value(q.object)
             for q in store.quads(subject=term, predicate=ox.NamedNode(predicate))},
            key=lambda v: v.text.lower(),
        )  # fmt: skip
        if values:
            relations.append(Relation(name, values))
    local = term.value.rsplit("/", 1)[-1]
    return TermDoc(
        term=labeller.value(term),
        compact=compact(term.value),
        anchor=local,
        definition=definitions[0] if definitions else None,
        relations=relations,
    )
