"""The example queries as RDF, for the Service Description and the VoID to link them.

Each example is described the way SPARQL example collections are commonly published (SHACL's
``sh:SPARQLExecutable`` classes, the query text in ``sh:select``/``sh:construct``/``sh:ask``, the endpoint it
runs on in ``schema:target``), at the URL that runs it, ``{root}/queries/{name}``; the list of them,
``{root}/queries``, ``dct:hasPart`` each.
"""

from collections.abc import Callable, Sequence

import pyoxigraph as ox

from ..rdf.namespaces import DCT, RDF, RDFS, SCHEMA, SH
from .examples import ExampleQuery
from .scan import scan_query

QUERIES_PATH = "/queries"

# The query form -> its SHACL executable class and the property holding the query text.
EXECUTABLES = {
    "SELECT": ("SPARQLSelectExecutable", "select"),
    "CONSTRUCT": ("SPARQLConstructExecutable", "construct"),
    "ASK": ("SPARQLAskExecutable", "ask"),
}


def queries_list_url(url_for: Callable[[str], str]) -> str:
    return url_for(QUERIES_PATH)


def example_query_url(url_for: Callable[[str], str], example: ExampleQuery) -> str:
    return url_for(f"{QUERIES_PATH}/{example.name}")


def example_triples(
    examples: Sequence[ExampleQuery], url_for: Callable[[str], str], endpoint: str
) -> list[ox.Triple]:
    """The list of example queries and each example, runnable on ``endpoint``.

    ``url_for`` turns a server path into an absolute URL on the server being browsed."""
    listing = ox.NamedNode(queries_list_url(url_for))
    target = ox.NamedNode(endpoint)
    out = [_t(listing, RDFS.label, ox.Literal("carekg's example queries", language="en"))]
    for example in examples:
        node = ox.NamedNode(example_query_url(url_for, example))
        out += [
            _t(listing, DCT.hasPart, node),
            _t(node, RDF.type, ox.NamedNode(SH + "SPARQLExecutable")),
            _t(node, RDFS.label, ox.Literal(example.title, language="en")),
            _t(node, RDFS.comment, ox.Literal(example.description, language="en")),
            _t(node, SCHEMA.target, target),
        ]
        executable = EXECUTABLES.get(scan_query(example.text).form or "")
        if executable is not None:
            cls, text_property = executable
            out += [
                _t(node, RDF.type, ox.NamedNode(SH + cls)),
                _t(node, SH + text_property, ox.Literal(example.text)),
            ]
    return out


def _t(subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(subject, ox.NamedNode(predicate), obj)
