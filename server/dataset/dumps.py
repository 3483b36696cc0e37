"""The one serializer of carekg's data: the whole dataset, one named graph, or any set of quads.

Every output is deterministic, so that ``carekg export`` and the server give the same bytes and a dump's
ETag can be derived from the dataset version: statements are sorted by their N-Triples form (the data has
no blank nodes, so that order is total), gzip is written without a timestamp, and JSON-LD is compacted with
carekg's own context object (embedded, never fetched) and its arrays sorted.

Dataset formats (N-Quads, TriG, JSON-LD) keep each statement's graph; graph formats (Turtle, N-Triples,
RDF/XML) hold the union of the graphs, like the SPARQL endpoint's default graph.
"""

import gzip
import json
import warnings
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from typing import Any

import pyoxigraph as ox
import rdflib

from ..rdf.formats import JSON_LD, N_QUADS, N_TRIPLES, RDF_GRAPH_FORMATS, MediaType
from ..rdf.namespaces import PREFIXES
from ..rdf.terms import to_rdflib
from ..rdf.writing import serialize_rdf
from ..store.protocol import Store

CONTEXT_PACKAGE = "carekg"
CONTEXT_FILE = "contexts/carekg.jsonld"


# Every RDF format, in the order /downloads, VoID and DCAT list them.
FORMATS: tuple[MediaType, ...] = RDF_GRAPH_FORMATS
FORMATS_BY_NAME = {f.dump_name: f for f in FORMATS}  # the names ``carekg export --format`` takes
FORMATS_BY_EXTENSION = {f.extension: f for f in FORMATS}

# ``id:`` would give names like ``id:inspection\/x`` (a slash must be escaped in a prefixed name).
SERIALIZATION_PREFIXES = {prefix: iri for prefix, iri in PREFIXES.items() if prefix != "id"}


class UnknownGraphError(LookupError):
    """A named graph the store does not hold."""

    def __init__(self, graph: str):
        self.graph = graph
        super().__init__(f"no named graph <{graph}> in the dataset")


def jsonld_context() -> dict[str, Any]:
    """carekg's JSON-LD context document (``{"@context": {...}}``), read from the package."""
    text = resources.files(CONTEXT_PACKAGE).joinpath(CONTEXT_FILE).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def context_bytes() -> bytes:
    return resources.files(CONTEXT_PACKAGE).joinpath(CONTEXT_FILE).read_bytes()


def dump(store: Store, rdf_format: MediaType, graph: str | None = None) -> bytes:
    """The whole dataset (``graph`` None) or one named graph, serialized."""
    if graph is not None and graph not in store.named_graphs():
        raise UnknownGraphError(graph)
    return serialize(store.quads(graph), rdf_format)


def serialize(quads: Iterable[ox.Quad | ox.Triple], rdf_format: MediaType) -> bytes:
    """Statements in ``rdf_format``; triples are statements of the default graph."""
    return next(serialize_each(quads, [rdf_format]))[1]


def serialize_each(
    quads: Iterable[ox.Quad | ox.Triple], rdf_formats: Sequence[MediaType]
) -> Iterator[tuple[MediaType, bytes]]:
    """The statements in each of ``rdf_formats``, sorted once for all of them (sorting is most of
    the cost of the N-Triples, N-Quads and TriG dumps)."""
    statements = sorted(set(_as_quads(quads)), key=quad_sort_key)
    as_triples: list[ox.Quad] | None = None
    for rdf_format in rdf_formats:
        written = statements
        if not rdf_format.holds_graphs:
            if as_triples is None:
                triples = sorted({q.triple for q in statements}, key=triple_sort_key)
                as_triples = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
            written = as_triples
        yield rdf_format, _written(written, rdf_format)


def _written(statements: list[ox.Quad], rdf_format: MediaType) -> bytes:
    if rdf_format == JSON_LD:
        return _jsonld(statements)
    if rdf_format in (N_TRIPLES, N_QUADS):
        return _lines(statements, rdf_format)
    return serialize_rdf(statements, rdf_format, SERIALIZATION_PREFIXES, xml_namespaces=True)


def gzipped(data: bytes) -> bytes:
    """gzip without a timestamp or file name: the same input always gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def triple_sort_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def quad_sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    return (graph, str(quad.subject), str(quad.predicate), str(quad.object))


def _as_quads(statements: Iterable[ox.Quad | ox.Triple]) -> Iterable[ox.Quad]:
    for statement in statements:
        if isinstance(statement, ox.Triple):
            yield ox.Quad(statement.subject, statement.predicate, statement.object)
        else:
            yield statement


def _lines(statements: list[ox.Quad], rdf_format: MediaType) -> bytes:
    if rdf_format.holds_graphs:
        return "".join(f"{q} .\n" for q in statements).encode("utf-8")
    return "".join(f"{q.triple} .\n" for q in statements).encode("utf-8")


def _jsonld(statements: list[ox.Quad]) -> bytes:
    named = any(not isinstance(q.graph_name, ox.DefaultGraph) for q in statements)
    data: rdflib.Graph = rdflib.Dataset() if named else rdflib.Graph()
    graphs: dict[str, rdflib.Graph] = {}  # Dataset.graph() costs more than the add itself
    for quad in statements:
        triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        if isinstance(data, rdflib.Dataset) and not isinstance(quad.graph_name, ox.DefaultGraph):
            name = quad.graph_name.value
            graph = graphs.get(name)
            if graph is None:
                graph = graphs[name] = data.graph(rdflib.URIRef(name))
            graph.add(triple)  # type: ignore[arg-type]
        elif isinstance(data, rdflib.Dataset):
            data.default_graph.add(triple)  # type: ignore[arg-type]
        else:
            data.add(triple)  # type: ignore[arg-type]
    context = jsonld_context()["@context"]
    with warnings.catch_warnings():
        # rdflib's JSON-LD serializer calls its own deprecated Dataset methods.
        warnings.simplefilter("ignore", DeprecationWarning)
        text = data.serialize(format="json-ld", context=context, auto_compact=True)
    document = _sorted_jsonld(json.loads(text))
    if isinstance(document, dict) and "@context" not in document:
        document = {"@context": context, **document}
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _sorted_jsonld(value: Any, in_list: bool = False) -> Any:
    """JSON-LD with every unordered array sorted (``@list`` arrays keep their order)."""
    if isinstance(value, dict):
        return {key: _sorted_jsonld(item, in_list=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_jsonld(item) for item in value]
        if in_list:
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
