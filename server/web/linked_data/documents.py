"""Turning a set of statements into a response: negotiated RDF or an HTML page, with alternates.

A document is one RDF graph in every format: the statements' named graphs are dropped (TriG and N-Quads
write them in the default graph, JSON-LD as a top-level ``@graph``), so that a client that reads a
description into a single graph (``rdflib.Graph().parse(url)``) gets all of it. Which named graph a
statement comes from is in the dumps and the Graph Store, which keep their quads.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Response, request

from ...dataset.dumps import serialize
from ...rdf.formats import HTML, JSON_LD, N_QUADS, N_TRIPLES, RDF_XML, TRIG, TURTLE, MediaType
from ..negotiation import choose

# Server preference first: a client that accepts anything (or says nothing) gets the HTML page.
DOCUMENT_FORMATS: tuple[MediaType, ...] = (HTML, TURTLE, JSON_LD, RDF_XML, N_TRIPLES, TRIG, N_QUADS)
DOCUMENT_EXTENSIONS = {m.extension: m for m in DOCUMENT_FORMATS}


@dataclass(frozen=True)
class Alternate:
    label: str
    media_type: str
    href: str


def negotiated_format() -> MediaType:
    """The document format the client prefers (Accept, or ``?format=``); NotAcceptable if none."""
    return choose(request.headers.get("Accept"), request.args.get("format"), DOCUMENT_FORMATS)


def alternates(path_without_extension: str) -> list[Alternate]:
    """The document in every format, at ``{path}.{extension}``."""
    root = request.script_root
    return [
        Alternate(m.label, m.mime, f"{root}{path_without_extension}.{m.extension}")
        for m in DOCUMENT_FORMATS
    ]


def as_one_graph(statements: list[ox.Quad] | list[ox.Triple]) -> list[ox.Triple]:
    """The statements as triples of one graph (a triple stated in two named graphs is one triple)."""
    return list(dict.fromkeys(s.triple if isinstance(s, ox.Quad) else s for s in statements))


def document_response(
    media_type: MediaType,
    statements: list[ox.Quad] | list[ox.Triple],
    page: Callable[[], str],
    path_without_extension: str,
    negotiated: bool,
) -> Response:
    """The document as ``media_type``; ``page`` renders the HTML. Negotiated answers say where the
    chosen representation lives (Content-Location) and that it varies with Accept."""
    if media_type == HTML:
        response = Response(page(), content_type=HTML.content_type)
    else:
        body = serialize(as_one_graph(statements), media_type)
        response = Response(body, content_type=media_type.content_type)
    if negotiated:
        response.headers["Content-Location"] = (
            f"{request.script_root}{path_without_extension}.{media_type.extension}"
        )
        response.vary.add("Accept")
    links = [
        f'<{a.href}>; rel="alternate"; type="{a.media_type}"'
        for a in alternates(path_without_extension)
        if a.media_type != media_type.mime
    ]
    response.headers["Link"] = ", ".join(links)
    return response
