"""The dataset description (VoID and DCAT) at /.well-known/void and the validation report at /validation.

Both are negotiated like resource documents (HTML, Turtle, JSON-LD, RDF/XML, N-Triples, TriG, N-Quads) and
have one URL per format (``/.well-known/void.ttl``). Their links to dumps, the endpoint and the report use
the server being browsed (X-Forwarded-* honoured); the things they describe keep their canonical IRIs.
"""

import pyoxigraph as ox
from flask import Response, render_template
from werkzeug.exceptions import NotFound

from ...rdf.namespaces import SH
from ...store.embedded import store_from_quads
from ...store.protocol import Store
from ..context import current_store
from .dcat import dcat_triples
from .describe import Term
from .documents import (
    DOCUMENT_EXTENSIONS,
    alternates,
    document_response,
    negotiated_format,
)
from .iris import base_iri, server_url
from .labels import Labeller
from .memo import memoized
from .pages import resource_page
from .validation_report import report_triples, validation_of
from .void import dataset_iri, void_triples

LABEL_PREDICATES = (
    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
)
VOID_PATH = "/.well-known/void"
VALIDATION_PATH = "/validation"


def description_triples() -> list[ox.Triple]:
    store = current_store()
    base = base_iri()
    root = server_url("")

    def compute() -> list[ox.Triple]:
        return void_triples(store, base, server_url) + dcat_triples(store, base, server_url)

    return memoized(store, ("dataset-description", base, root), compute)


def dataset_description(extension: str | None = None) -> Response:
    return _answer(VOID_PATH, extension, dataset_iri(base_iri()), description_triples)


def validation_report(extension: str | None = None) -> Response:
    store = current_store()

    def triples() -> list[ox.Triple]:
        return report_triples(store, base_iri(), server_url)

    return _answer(VALIDATION_PATH, extension, server_url(VALIDATION_PATH) + "#report", triples)


def _answer(path: str, extension: str | None, subject: str, triples_of: object) -> Response:
    assert callable(triples_of)
    if extension is None:
        media_type, negotiated = negotiated_format(), True
    else:
        found = DOCUMENT_EXTENSIONS.get(extension)
        if found is None:
            raise NotFound(f"no {path}.{extension}; the endings are " + ", ".join(
                "." + e for e in DOCUMENT_EXTENSIONS))  # fmt: skip
        media_type, negotiated = found, False
    triples: list[ox.Triple] = triples_of()

    def page() -> str:
        if path == VALIDATION_PATH:
            return _validation_html(triples)
        store = _page_store(triples)
        statements = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        return render_template(
            "resource.html",
            page=resource_page(store, subject, statements, current_store()),
            alternates=alternates(path),
        )

    return document_response(media_type, triples, page, path, negotiated)


def _page_store(triples: list[ox.Triple]) -> Store:
    """The description with the labels of carekg's terms, to render as a resource page."""
    served = current_store()
    quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    for predicate in LABEL_PREDICATES:
        quads.extend(served.quads(predicate=predicate))
    return store_from_quads(quads)


def _validation_html(triples: list[ox.Triple]) -> str:
    store = current_store()
    validation = validation_of(store)
    labeller = Labeller(_page_store(triples), store)
    results = []
    for result in sorted(validation_results(triples), key=lambda r: (r["focus"], r["message"])):
        focus = result["focus"]
        results.append(
            {
                "focus": labeller.value(ox.NamedNode(focus)) if focus else None,
                "path": result["path"],
                "message": result["message"],
                "severity": result["severity"],
            }
        )
    return render_template(
        "validation.html",
        validation=validation,
        results=results,
        alternates=alternates(VALIDATION_PATH),
    )


def validation_results(triples: list[ox.Triple]) -> list[dict[str, str]]:
    by_node: dict[Term, dict[str, str]] = {}
    wanted = {
        SH + "focusNode": "focus",
        SH + "resultPath": "path",
        SH + "resultMessage": "message",
        SH + "resultSeverity": "severity",
    }
    results = {
        t.subject
        for t in triples
        if t.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        and t.object == ox.NamedNode(SH + "ValidationResult")
    }
    for t in triples:
        if t.subject in results and t.predicate.value in wanted:
            value = t.object.value if isinstance(t.object, ox.NamedNode | ox.Literal) else ""
            by_node.setdefault(t.subject, {})[wanted[t.predicate.value]] = value
    return [
        {key: row.get(key, "") for key in ("focus", "path", "message", "severity")}
        for row in by_node.values()
    ]
