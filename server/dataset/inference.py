"""The inferred graph: what RDFS rules 7 and 9 entail from carekg's hierarchy and the reused vocabularies'.

Rule 9 (``x a C``, C ⊑ D ⇒ ``x a D``) and rule 7 (``x P y``, P ⊑ Q ⇒ ``x Q y``), over the transitive
``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` of ``ontology/ontology.ttl`` and ``ontology/reused/``
(the W3C vocabularies' axioms carekg ships). Not the domain and range rules, which would re-type nodes by
PROV-O's domains. The graph holds only triples asserted in no other graph: Oxigraph's union default graph
does not remove duplicates across graphs, so a triple in two graphs would count twice.
"""

from collections.abc import Iterable
from importlib import resources

import pyoxigraph as ox

from ..rdf.namespaces import GRAPH_BASE, RDF, RDFS
from .loading import parse_quads
from .sources import DataFile

INFERRED_GRAPH = GRAPH_BASE + "inferred"
HIERARCHY_FILES = ("ontology.ttl", "reused/vocabularies.ttl")
RDF_TYPE = ox.NamedNode(RDF.type)
SUBCLASS = ox.NamedNode(RDFS.subClassOf)
SUBPROPERTY = ox.NamedNode(RDFS.subPropertyOf)


def hierarchy_quads() -> list[ox.Quad]:
    folder = resources.files("carekg.ontology")
    quads: list[ox.Quad] = []
    for index, name in enumerate(HIERARCHY_FILES):
        file = folder.joinpath(name)
        if file.is_file():
            quads += parse_quads(
                DataFile(name=str(file), data=file.read_bytes(), graph_iri=None), index
            )
    return quads


def _closure(
    pairs: Iterable[tuple[ox.NamedNode, ox.NamedNode]],
) -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """Each term's strict ancestors under the transitive relation ``pairs`` (child, parent)."""
    parents: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for child, parent in pairs:
        if child != parent:
            parents.setdefault(child, set()).add(parent)
    ancestors: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for term in parents:
        seen: set[ox.NamedNode] = set()
        todo = list(parents[term])
        while todo:
            current = todo.pop()
            if current in seen or current == term:
                continue
            seen.add(current)
            todo.extend(parents.get(current, ()))
        ancestors[term] = seen
    return ancestors


def inferred_quads(asserted: list[ox.Quad]) -> list[ox.Quad]:
    """The triples rules 7 and 9 entail from ``asserted``, not asserted in any graph, in the inferred graph."""
    hierarchy = [*hierarchy_quads(), *asserted]

    def pairs(predicate: ox.NamedNode) -> list[tuple[ox.NamedNode, ox.NamedNode]]:
        return [
            (q.subject, q.object)
            for q in hierarchy
            if q.predicate == predicate
            and isinstance(q.subject, ox.NamedNode)
            and isinstance(q.object, ox.NamedNode)
        ]

    superclasses = _closure(pairs(SUBCLASS))
    superproperties = _closure(pairs(SUBPROPERTY))
    present = {q.triple for q in asserted}
    graph = ox.NamedNode(INFERRED_GRAPH)
    entailed: set[ox.Triple] = set()
    for quad in asserted:
        subject, predicate, obj = quad.subject, quad.predicate, quad.object
        if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
            for cls in superclasses.get(obj, ()):
                entailed.add(ox.Triple(subject, RDF_TYPE, cls))
        for parent in superproperties.get(predicate, ()):
            entailed.add(ox.Triple(subject, parent, obj))
    return [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in sorted(entailed - present, key=str)
    ]
