"""The SHACL shapes the served data is validated against, published at ``{base}shapes``.

``{base}shapes`` (the owl:Ontology of the bundled carekg-shapes.ttl) and every shape IRI under
``{base}shapes/`` answer 303 See Other to one document, /doc/shapes, negotiated like every other document
(HTML, Turtle, JSON-LD, RDF/XML, N-Triples, TriG, N-Quads; one URL per format, /doc/shapes.ttl). It holds
every statement of the bundled shapes files (the files carekg.validation reads) and one more: the shapes'
version, ``{base}shapes owl:versionInfo``, a hash of those files that the validation report states too.

The shapes have blank nodes (property shapes, lists, prefix declarations). They keep them, labelled
canonically (rdflib's canonical labelling), so that every worker serves the same bytes under one ETag.
"""

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from flask import Response, redirect, render_template
from rdflib.compare import to_canonical_graph
from werkzeug.exceptions import NotFound

from ...dataset.validation import load_shapes, shape_files, shapes_version
from ...rdf.namespaces import SH
from ...rdf.terms import to_oxigraph
from .documents import (
    DOCUMENT_EXTENSIONS,
    alternates,
    document_response,
    negotiated_format,
)
from .iris import base_iri, compact, server_url
from .resources import not_found

SHAPES_PATH = "shapes"
DOCUMENT_PATH = "/doc/shapes"
OWL_VERSION_INFO = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")
TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Short names in the HTML view for the shapes' own namespaces, which carekg's data does not use.
VIEW_PREFIXES = {"sh": str(SH), "cks": "https://w3id.org/carekg/shapes/"}


@dataclass(frozen=True)
class NodeShape:
    """What the HTML view lists of one node shape."""

    name: str
    targets: list[str]
    messages: list[str]
    property_shapes: int
    sparql_constraints: int


@dataclass(frozen=True)
class BundledShapes:
    version: str
    triples: tuple[ox.Triple, ...]  # blank nodes canonically labelled
    files: tuple[tuple[str, str], ...]  # (file name, Turtle text)
    node_shapes: tuple[NodeShape, ...]


def shapes_iri(base: str) -> str:
    return base + SHAPES_PATH


@lru_cache(maxsize=1)
def bundled_shapes_version() -> str:
    """The bundled shapes' version, read once per process: a hash of the files, cheap to compute where
    bundled_shapes() also labels every blank node (seconds), so that the ETag of a process's first
    response does not wait for that."""
    return shapes_version(shape_files())


@lru_cache(maxsize=1)
def bundled_shapes() -> BundledShapes:
    """The bundled shapes, read once per process (they are package data: fixed while it runs)."""
    files = shape_files()
    graph = load_shapes()
    return BundledShapes(
        version=bundled_shapes_version(),
        triples=tuple(sorted(_canonical_triples(graph), key=str)),
        files=tuple((name, data.decode("utf-8")) for name, data in files),
        node_shapes=tuple(_node_shapes(graph)),
    )


def shapes_statements(base: str) -> list[ox.Triple]:
    """The shapes document: every statement of the bundled shapes, and their version."""
    shapes = bundled_shapes()
    version = ox.Triple(
        ox.NamedNode(shapes_iri(base)), OWL_VERSION_INFO, ox.Literal(shapes.version)
    )
    return [*shapes.triples, version]


def dereference_shapes(rest: str | None = None) -> Response:
    """303 See Other from the shapes' IRI, or a shape's IRI under it, to the shapes document."""
    iri = shapes_iri(base_iri()) + ("/" + rest if rest is not None else "")
    if rest is not None and not _names_a_shape(iri):
        return not_found(iri)
    response = redirect(server_url(DOCUMENT_PATH), code=303)
    response.vary.add("Accept")
    return response  # type: ignore[return-value]


def shapes_document(extension: str | None = None) -> Response:
    """The shapes document: negotiated at /doc/shapes, one format at /doc/shapes.{extension}."""
    if extension is None:
        media_type, negotiated = negotiated_format(), True
    else:
        found = DOCUMENT_EXTENSIONS.get(extension)
        if found is None:
            endings = ", ".join("." + e for e in DOCUMENT_EXTENSIONS)
            raise NotFound(f"no {DOCUMENT_PATH}.{extension}; the endings are {endings}")
        media_type, negotiated = found, False
    base = base_iri()

    def page() -> str:
        return render_template(
            "shapes.html",
            iri=shapes_iri(base),
            shapes=bundled_shapes(),
            alternates=alternates(DOCUMENT_PATH),
        )

    return document_response(media_type, shapes_statements(base), page, DOCUMENT_PATH, negotiated)


def _names_a_shape(iri: str) -> bool:
    try:
        node = ox.NamedNode(iri)
    except ValueError:  # a request path that is no IRI names no shape
        return False
    return any(t.subject == node for t in bundled_shapes().triples)


def _canonical_triples(graph: rdflib.Graph) -> list[ox.Triple]:
    triples = []
    for s, p, o in to_canonical_graph(graph):
        subject = to_oxigraph(s)
        assert not isinstance(subject, ox.Literal)
        triples.append(ox.Triple(subject, ox.NamedNode(str(p)), to_oxigraph(o)))
    return triples


def _node_shapes(graph: rdflib.Graph) -> list[NodeShape]:
    shapes = []
    for shape in set(graph.subjects(rdflib.RDF.type, SH.NodeShape)):
        if not isinstance(shape, rdflib.URIRef):
            continue
        targets = sorted(
            f"{_short(str(p))} {_short(str(o))}"
            for p in TARGET_PREDICATES
            for o in graph.objects(shape, p)
        )
        if any(True for _ in graph.objects(shape, SH.target)):
            targets.append("sh:target (SPARQL-based)")
        shapes.append(
            NodeShape(
                name=_short(str(shape)),
                targets=targets,
                messages=sorted(str(m) for m in graph.objects(shape, SH.message)),
                property_shapes=len(set(graph.objects(shape, SH.property))),
                sparql_constraints=len(set(graph.objects(shape, SH.sparql))),
            )
        )
    return sorted(shapes, key=lambda s: s.name)


def _short(iri: str) -> str:
    for prefix, namespace in VIEW_PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return compact(iri)
