"""Converting RDF terms between rdflib (validation, JSON-LD) and pyoxigraph (the store, serializers)."""

from collections.abc import Callable

import pyoxigraph as ox
from rdflib.term import BNode, Literal, Node, URIRef

from .namespaces import XSD

_XSD_STRING = str(XSD.string)

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: object) -> Node:
    """The rdflib term for a pyoxigraph term (plain literals stay plain, as rdflib parses them)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    # Loading refuses triple terms, so none can reach here from the data.
    raise TypeError(f"cannot convert an RDF 1.2 triple term: {term}")


def to_oxigraph(
    node: Node, blank: Callable[[BNode], OxTerm] = lambda b: ox.BlankNode(str(b))
) -> OxTerm:
    """The pyoxigraph term for an rdflib term; ``blank`` decides what a blank node becomes."""
    if isinstance(node, BNode):
        return blank(node)
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"unexpected RDF term: {node!r}")
