"""Dereferencing: /id/..., /def/... and /graph/... answer 303 See Other to their document at /doc/...

One Cool-URIs pattern everywhere: the IRI ``{base}{path}`` names a thing; ``/{path}`` on the server
redirects (303) to ``/doc/{path}``, which answers by content negotiation (HTML, Turtle, JSON-LD, RDF/XML,
N-Triples, TriG, N-Quads) with ``Vary: Accept`` and a ``Content-Location`` naming the chosen
representation, ``/doc/{path}.{extension}``, which answers in that one format.
"""

import difflib
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Response, redirect, render_template

from ...rdf.formats import HTML, MediaType
from ...store.protocol import Store
from ..context import current_store
from .describe import describe, is_known
from .documents import (
    DOCUMENT_EXTENSIONS,
    alternates,
    document_response,
    negotiated_format,
)
from .iris import (
    THING_ROOTS,
    base_iri,
    document_path,
    iri_for_path,
    local_path,
    server_url,
)
from .labels import Labeller, Value
from .memo import memoized
from .ontology_doc import ontology_doc
from .pages import resource_page
from .void import dataset_iri, subset_triples

SUGGESTIONS = 8


def dereference(path: str) -> Response:
    """303 See Other from a thing's IRI path to its document; a helpful 404 for an unknown IRI."""
    iri = iri_for_path(path)
    if iri == dataset_iri(base_iri()):
        target = "/.well-known/void"
    elif _resolvable(iri):
        target = document_path(iri)
    else:
        return not_found(iri)
    response = redirect(server_url(target), code=303)
    response.vary.add("Accept")
    return response  # type: ignore[return-value]


def document(path: str) -> Response:
    """The document of a thing: negotiated at /doc/{path}, one format at /doc/{path}.{extension}."""
    if path.startswith(("def", *THING_ROOTS)):
        iri = iri_for_path(path)
        if _resolvable(iri):
            return _document(iri, negotiated_format(), negotiated=True)
        stem, _, extension = path.rpartition(".")
        media_type = DOCUMENT_EXTENSIONS.get(extension)
        if stem and media_type is not None and _resolvable(iri_for_path(stem)):
            return _document(iri_for_path(stem), media_type, negotiated=False)
        return not_found(iri_for_path(stem) if media_type is not None and stem else iri)
    return not_found(iri_for_path(path))


def _document(iri: str, media_type: MediaType, negotiated: bool) -> Response:
    store = current_store()
    statements = _statements(iri)
    doc_path = document_path(iri)
    ontology = iri == base_iri() + "def"

    def page() -> str:
        if ontology and media_type == HTML:
            return render_template(
                "ontology.html", doc=ontology_doc(store, iri, statements),
                alternates=alternates(doc_path),
            )  # fmt: skip
        return render_template(
            "resource.html",
            page=resource_page(store, iri, statements),
            alternates=alternates(doc_path),
        )

    return document_response(media_type, statements, page, doc_path, negotiated)


def _statements(iri: str) -> list[ox.Quad]:
    store = current_store()
    statements = describe(store, iri)
    if iri in store.named_graphs():
        statements += [
            ox.Quad(t.subject, t.predicate, t.object)
            for t in subset_triples(store, iri, server_url)
        ]
    return statements


def _resolvable(iri: str) -> bool:
    store = current_store()
    return iri in store.named_graphs() or is_known(store, iri)


def not_found(iri: str) -> Response:
    """404 with the resources whose IRIs look most like the one asked for."""
    store = current_store()
    known = memoized(store, "known-iris", lambda: _local_iris(store))
    labeller = Labeller(store)
    close = difflib.get_close_matches(iri, known, n=SUGGESTIONS, cutoff=0.6)
    suggestions = [labeller.value(ox.NamedNode(c)) for c in close]
    body = render_template("not_found.html", iri=iri, suggestions=suggestions, alternates=[])
    response = Response(body, status=404, content_type=HTML.content_type)
    return response


def _local_iris(store: Store) -> list[str]:
    iris: set[str] = set()
    for quad in store.quads():
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and local_path(term.value) is not None:
                iris.add(term.value)
    return sorted(iris)


@dataclass(frozen=True)
class Group:
    cls: Value
    members: list[Value]
    total: int


BROWSE_LIMIT = 1000


def browse() -> Response:
    """Every carekg resource, grouped by class (the crawl start for things nothing links to)."""
    store = current_store()
    labeller = Labeller(store)
    members: dict[str, set[str]] = {}
    typed: set[str] = set()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for quad in store.quads(predicate=rdf_type):
        subject, cls = quad.subject, quad.object
        if (
            isinstance(subject, ox.NamedNode)
            and isinstance(cls, ox.NamedNode)
            and local_path(subject.value) is not None
        ):
            members.setdefault(cls.value, set()).add(subject.value)
            typed.add(subject.value)
    groups = []
    for class_iri, iris in members.items():
        values = sorted((labeller.value(ox.NamedNode(i)) for i in iris), key=_key)
        groups.append(
            Group(labeller.value(ox.NamedNode(class_iri)), values[:BROWSE_LIMIT], len(values))
        )
    groups.sort(key=lambda g: _key(g.cls))
    known = memoized(store, "known-iris", lambda: _local_iris(store))
    untyped = sorted(
        (
            labeller.value(ox.NamedNode(i))
            for i in known
            if i not in typed and _is_thing_iri(i) and "#" not in i
        ),
        key=_key,
    )
    return Response(
        render_template("resources.html", groups=groups, untyped=untyped[:BROWSE_LIMIT]),
        content_type=HTML.content_type,
    )


def _is_thing_iri(iri: str) -> bool:
    path = local_path(iri)
    return path is not None and (path == "/def" or path.lstrip("/").startswith(THING_ROOTS))


def _key(value: Value) -> tuple[str, str]:
    return (value.text.lower(), value.iri or "")
