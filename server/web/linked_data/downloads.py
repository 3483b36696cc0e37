"""Dumps of the whole dataset and of each named graph, the JSON-LD context, and the read side of the
SPARQL 1.1 Graph Store HTTP Protocol.

``/download/carekg.{ext}`` is the whole dataset, ``/download/graph/{slug}.{ext}`` one named graph; add
``.gz`` for a gzip file. Uncompressed dumps are gzip-encoded for clients that accept it. The bytes are
those of ``carekg export`` (both call carekg.dumps).

Graph Store Protocol: ``/rdf-graph-store?default`` is the default graph, which carekg defines as the
union of all its named graphs (the same default graph the query endpoint answers from: the bundled files
are all named graphs, so the store's own default graph is empty); ``?graph=IRI`` is one named graph.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flask import Response, render_template, request, send_file
from werkzeug.exceptions import BadRequest, NotFound

from ...dataset.dumps import (
    FORMATS,
    FORMATS_BY_EXTENSION,
    UnknownGraphError,
    context_bytes,
    dump,
    gzipped,
    serialize,
)
from ...rdf.formats import JSON_LD, N_QUADS, N_TRIPLES, RDF_XML, TRIG, TURTLE, MediaType
from ...store.built import BuiltStore
from ...store.manifest import build_of_version
from ...store.protocol import Store
from ..context import current_store
from ..negotiation import choose
from .memo import memoized
from .void import dump_path, graph_slug

GRAPH_STORE_FORMATS: tuple[MediaType, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, TRIG, N_QUADS)


@dataclass(frozen=True)
class Dump:
    """One file the server offers: the whole dataset (``graph`` None) or one named graph, in one
    format, plain or gzipped."""

    rdf_format: MediaType
    graph: str | None
    gz: bool

    @property
    def path(self) -> str:
        slug = graph_slug(self.graph) if self.graph is not None else None
        return dump_path(self.rdf_format, slug, gz=self.gz)


@dataclass(frozen=True)
class DumpLink:
    name: str
    href: str
    gz_href: str


@dataclass(frozen=True)
class DumpRow:
    title: str
    links: list[DumpLink]


@dataclass(frozen=True)
class GraphStoreLink:
    label: str
    href: str


def offered_dumps(store: Store) -> list[Dump]:
    """Every dump the server offers, the whole dataset's first: what /downloads links and DCAT lists."""
    return [
        Dump(rdf_format, graph, gz)
        for graph in (None, *store.named_graphs())
        for rdf_format in FORMATS
        for gz in (False, True)
    ]


def dump_bytes(store: Store, rdf_format: MediaType, graph: str | None, gz: bool = False) -> bytes:
    """A dump, serialized (and gzipped) once per dataset version."""
    data = memoized(store, ("dump", rdf_format.name, graph), lambda: dump(store, rdf_format, graph))
    if not gz:
        return data
    return memoized(store, ("dump.gz", rdf_format.name, graph), lambda: gzipped(data))


def dataset_dump(filename: str) -> Response:
    if _split(filename)[0] != "carekg":
        raise NotFound(f"no dump called {filename!r}; the dumps are listed at /downloads")
    return _dump_response(filename, graph=None)


def graph_dump(filename: str) -> Response:
    store = current_store()
    stem = _split(filename)[0]
    graphs = {graph_slug(g): g for g in store.named_graphs()}
    if stem not in graphs:
        raise NotFound(
            f"no named graph is dumped as {filename!r}; the graphs are listed at /downloads"
        )
    return _dump_response(filename, graph=graphs[stem])


def _split(filename: str) -> tuple[str, MediaType | None, bool]:
    gz = filename.endswith(".gz")
    name = filename.removesuffix(".gz")
    stem, _, extension = name.rpartition(".")
    return stem, FORMATS_BY_EXTENSION.get(extension), gz


def _dump_response(filename: str, graph: str | None, store: Store | None = None) -> Response:
    _, rdf_format, gz = _split(filename)
    if rdf_format is None:
        known = ", ".join(f".{f.extension}" for f in FORMATS)
        raise NotFound(f"no dump called {filename!r}: the endings are {known}, each also with .gz")
    store = store or current_store()
    if isinstance(store, BuiltStore):
        return _file_response(store, filename, rdf_format, graph, gz)
    if gz:
        response = Response(
            dump_bytes(store, rdf_format, graph, gz=True), mimetype="application/gzip"
        )
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return _encoded(
        lambda: dump_bytes(store, rdf_format, graph),
        lambda: dump_bytes(store, rdf_format, graph, gz=True),
        rdf_format,
    )


def _file_response(
    store: BuiltStore, filename: str, rdf_format: MediaType, graph: str | None, gz: bool
) -> Response:
    """A dump the build wrote, sent from its file (conditional requests and byte ranges included):
    the gzipped file for a .gz name, and for a plain name to a client that accepts gzip."""
    encode = not gz and request.accept_encodings.quality("gzip") > 0
    found = store.dump_file(rdf_format.dump_name, graph, gz or encode)
    if found is None:
        raise NotFound(f"the build being served has no dump {filename!r}")
    path, facts = found
    if gz:
        response = send_file(
            path, mimetype="application/gzip", as_attachment=True, download_name=filename,
            conditional=True, etag=f"{store.version}-{facts.sha256[:20]}", max_age=None,
        )  # fmt: skip
    else:
        response = send_file(
            path,
            mimetype=rdf_format.content_type,
            conditional=True,
            etag=facts.sha256,
            max_age=None,
        )
        if encode:
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
    return response


def versioned_dump(version: str, filename: str) -> Response:
    """``/download/v/{version}/…``: a dump of a dataset version, current or one of the last few
    builds (the URL a citation can name: DCAT gives it with the dump's SHA-256 and size)."""
    store = current_store()
    served: Store | None = store if version == store.version else None
    if served is None and isinstance(store, BuiltStore) and store.store_dir is not None:
        build = build_of_version(store.store_dir, version)
        if build is not None:
            served = BuiltStore(build, pool=None, store_dir=None)
    if served is None:
        raise NotFound(
            f"the dumps of dataset version {version!r} are not kept here; the current version is "
            f"{store.version}, listed at /downloads"
        )
    name = filename.removeprefix("graph/")
    if name == filename:
        if _split(filename)[0] != "carekg":
            raise NotFound(f"no dump called {filename!r} in version {version}")
        return _dump_response(filename, graph=None, store=served)
    graphs = {graph_slug(g): g for g in served.named_graphs()}
    stem = _split(name)[0]
    if stem not in graphs:
        raise NotFound(f"no named graph is dumped as {name!r} in version {version}")
    return _dump_response(name, graph=graphs[stem], store=served)


def dump_facts(store: Store, dump: "Dump") -> tuple[int, str]:
    """(size in bytes, SHA-256) of a dump: from the build's manifest, else of the bytes made now."""
    if isinstance(store, BuiltStore):
        found = store.dump_file(dump.rdf_format.dump_name, dump.graph, dump.gz)
        if found is not None:
            return found[1].bytes, found[1].sha256
    data = dump_bytes(store, dump.rdf_format, dump.graph, gz=dump.gz)
    key = ("dump.sha256", dump.rdf_format.name, dump.graph, dump.gz)
    return len(data), memoized(store, key, lambda: hashlib.sha256(data).hexdigest())


def _encoded(
    data: Callable[[], bytes], gzipped_data: Callable[[], bytes], media_type: MediaType
) -> Response:
    """The bytes gzip-encoded when the client accepts gzip, else as they are (both memoized)."""
    if request.accept_encodings.quality("gzip") > 0:
        response = Response(gzipped_data(), content_type=media_type.content_type)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(data(), content_type=media_type.content_type)
    response.vary.add("Accept-Encoding")
    return response


def downloads_page() -> Response:
    store = current_store()
    root = request.script_root
    by_graph: dict[str | None, dict[str, dict[bool, Dump]]] = {}
    for offered in offered_dumps(store):
        formats = by_graph.setdefault(offered.graph, {})
        formats.setdefault(offered.rdf_format.extension, {})[offered.gz] = offered
    rows = [
        DumpRow(
            "The whole dataset" if graph is None else f"Named graph {graph}",
            [
                DumpLink(extension, root + pair[False].path, root + pair[True].path)
                for extension, pair in formats.items()
            ],
        )
        for graph, formats in by_graph.items()
    ]
    # Each link names its format: a browser's "Accept: text/html" alone would otherwise get 406.
    graph_store = [
        GraphStoreLink(m.label, f"{root}/rdf-graph-store?default&format={m.extension}")
        for m in GRAPH_STORE_FORMATS
    ]
    body = render_template(
        "downloads.html", rows=rows, formats=FORMATS, graph_store=graph_store, alternates=[]
    )
    return Response(body, content_type="text/html; charset=utf-8")


def context_document() -> Response:
    return Response(context_bytes(), mimetype="application/ld+json")


def graph_store() -> Response:
    """GET/HEAD of the Graph Store Protocol: ``?default`` (the union) or ``?graph=IRI``."""
    store = current_store()
    has_default = "default" in request.args
    graph = request.args.get("graph")
    if has_default == (graph is not None):
        raise BadRequest("give exactly one of ?default (the union of all graphs) or ?graph=IRI")
    media_type = choose(
        request.headers.get("Accept"), request.args.get("format"), GRAPH_STORE_FORMATS
    )
    key = ("graph-store", media_type.name, graph)
    try:
        data = memoized(store, key, lambda: _graph_triples(store, media_type, graph))
    except UnknownGraphError as error:
        raise NotFound(str(error)) from None
    response = _encoded(
        lambda: data,
        lambda: memoized(store, (*key, "gz"), lambda: gzipped(data)),
        media_type,
    )
    response.vary.add("Accept")
    return response


def _graph_triples(store: Store, rdf_format: MediaType, graph: str | None) -> bytes:
    if graph is not None and graph not in store.named_graphs():
        raise UnknownGraphError(graph)
    return serialize((q.triple for q in store.quads(graph)), rdf_format)
