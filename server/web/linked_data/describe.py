"""The concise bounded description of a resource: what its document at /doc/... holds.

Rule for what a resource owns (documented in docs/linked-data.md):
  1. its own statements (it is the subject), in every named graph;
  2. the statements of every node it owns, recursively: a node is owned when it is the object of
     carekg:evidence, oa:hasSelector, prov:qualifiedAssociation or carekg:gradeCounts from the resource or
     an owned node, or when its IRI extends the resource's IRI with ``/`` or ``#`` (list cells, parts);
     a source document (the object of oa:hasSource) also owns the evidence passages quoted from it, the
     subjects of ``oa:hasSource <resource>``, and so their selectors: the places in it that the data cites;
  3. the rdfs:label and skos:prefLabel of every other IRI the statements above link to.
An ontology (an owl:Ontology) is described by the whole named graph that declares it.
The description keeps each statement's graph (the HTML page names them); its RDF documents hold it as
one graph in every format (see documents.py).
"""

from collections.abc import Iterator

import pyoxigraph as ox

from ...dataset.inference import INFERRED_GRAPH
from ...rdf.namespaces import CAREKG, OA
from ...store.protocol import GraphName, Store

# Any RDF term that can be an object (pyoxigraph has no common base class).
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

INFERRED = ox.NamedNode(INFERRED_GRAPH)
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL_ONTOLOGY = ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
HAS_SOURCE = ox.NamedNode(str(OA.hasSource))
LABEL_PREDICATES = (RDFS_LABEL, SKOS_PREF_LABEL)
OWNING_PREDICATES = frozenset(
    {
        ox.NamedNode(str(CAREKG.evidence)),
        ox.NamedNode(str(OA.hasSelector)),
        ox.NamedNode("http://www.w3.org/ns/prov#qualifiedAssociation"),
        ox.NamedNode(str(CAREKG.gradeCounts)),
    }
)


def statements_about(store: Store, node: ox.NamedNode) -> list[ox.Quad]:
    return list(_match(store, subject=node))


def is_known(store: Store, iri: str) -> bool:
    """True when the IRI occurs in the data as a subject or an object (never for a malformed IRI,
    such as a request path with a space: that is a 404, not an error)."""
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return _any(_match(store, subject=node)) or _any(_match(store, obj=node))


def describe(store: Store, iri: str) -> list[ox.Quad]:
    """The resource's concise bounded description, as quads (empty when the data never mentions it)."""
    root = ox.NamedNode(iri)
    if _any(_match(store, subject=root, predicate=RDF_TYPE, obj=OWL_ONTOLOGY)):
        return _declaring_graphs(store, root)
    described: set[ox.NamedNode] = set()
    pending = [root, *_passages_quoted_from(store, root)]
    quads: list[ox.Quad] = []
    while pending:
        node = pending.pop()
        if node in described:
            continue
        described.add(node)
        for quad in statements_about(store, node):
            quads.append(quad)
            target = quad.object
            if isinstance(target, ox.NamedNode) and _owned(root, quad.predicate, target):
                pending.append(target)
    linked = {
        q.object for q in quads if isinstance(q.object, ox.NamedNode) and q.object not in described
    }
    for node in sorted(linked, key=str):
        for predicate in LABEL_PREDICATES:
            quads.extend(_match(store, subject=node, predicate=predicate))
    return quads


def _owned(root: ox.NamedNode, predicate: ox.NamedNode, target: ox.NamedNode) -> bool:
    if predicate in OWNING_PREDICATES:
        return True
    return target.value.startswith((root.value + "/", root.value + "#"))


def _passages_quoted_from(store: Store, source: ox.NamedNode) -> list[ox.NamedNode]:
    """The evidence passages whose oa:hasSource is ``source`` (none unless it is a source document)."""
    return sorted(
        {
            q.subject
            for q in _match(store, predicate=HAS_SOURCE, obj=source)
            if isinstance(q.subject, ox.NamedNode)
        },
        key=str,
    )


def _declaring_graphs(store: Store, ontology: ox.NamedNode) -> list[ox.Quad]:
    declarations = _match(store, subject=ontology, predicate=RDF_TYPE, obj=OWL_ONTOLOGY)
    graphs = {q.graph_name for q in declarations}
    quads: list[ox.Quad] = []
    for graph in sorted(graphs, key=str):
        quads.extend(_match(store, graph=graph))
    return quads


def _match(
    store: Store,
    subject: ox.NamedNode | None = None,
    predicate: ox.NamedNode | None = None,
    obj: Term | None = None,
    graph: GraphName | None = None,
) -> Iterator[ox.Quad]:
    """The asserted statements matching the pattern: a description says what the sources say, not
    what the inferred graph entails (SPARQL over the default graph has both)."""
    return (
        q
        for q in store.quads(graph, subject=subject, predicate=predicate, object=obj)
        if q.graph_name != INFERRED
    )


def _any(quads: Iterator[ox.Quad]) -> bool:
    return next(quads, None) is not None
