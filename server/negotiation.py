"""The one media-type table, content negotiation (q-values, wildcards and a ``format`` parameter) and
the one pyoxigraph writer of RDF statements.

Views offer an ordered tuple of ``MediaType``s (server preference first) and call ``choose``; when nothing
offered is acceptable it raises ``NotAcceptable`` whose message lists what could be produced.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pyoxigraph as ox

from .http_errors import NotAcceptable

Kind = Literal["results", "graph", "page"]
FORMATS_NS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class MediaType:
    """A format carekg can produce: its media types, short names and serializer."""

    name: str  # the short name shown to people, e.g. "turtle"
    mime: str  # the canonical media type, sent in Content-Type
    kind: Kind
    label: str
    aliases: tuple[str, ...] = ()  # further media types a client may ask for it by
    format_names: tuple[str, ...] = ()  # values of the ``format`` parameter naming it
    extension: str = ""
    format_iri: str | None = None  # http://www.w3.org/ns/formats/... (SPARQL SD, VoID, DCAT)
    dump_name: str = ""  # in ``carekg export --format`` and in DCAT distribution IRIs
    results_format: ox.QueryResultsFormat | None = field(default=None, compare=False)
    rdf_format: ox.RdfFormat | None = field(default=None, compare=False)

    @property
    def content_type(self) -> str:
        """The Content-Type header value; textual types say their charset."""
        return f"{self.mime}; charset=utf-8" if self.mime.startswith("text/") else self.mime

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.mime, *self.aliases)

    @property
    def holds_graphs(self) -> bool:
        """A dataset format (N-Quads, TriG, JSON-LD): each statement keeps its graph."""
        return self.rdf_format is not None and self.rdf_format.supports_datasets

    @property
    def supports_comments(self) -> bool:
        """Formats where a ``#`` line is a comment (used to announce a truncated result)."""
        return self.name in ("turtle", "ntriples", "nquads", "trig")

    @property
    def is_xml(self) -> bool:
        return self.name in ("xml", "rdfxml")


SPARQL_JSON = MediaType(
    "json", "application/sparql-results+json", "results", "SPARQL 1.1 Query Results JSON",
    aliases=("application/json",), format_names=("json", "srj"), extension="srj",
    format_iri=FORMATS_NS + "SPARQL_Results_JSON", results_format=ox.QueryResultsFormat.JSON,
)  # fmt: skip
SPARQL_XML = MediaType(
    "xml", "application/sparql-results+xml", "results", "SPARQL Query Results XML",
    aliases=("application/xml", "text/xml"), format_names=("xml", "srx"), extension="srx",
    format_iri=FORMATS_NS + "SPARQL_Results_XML", results_format=ox.QueryResultsFormat.XML,
)  # fmt: skip
SPARQL_CSV = MediaType(
    "csv", "text/csv", "results", "SPARQL 1.1 Query Results CSV",
    format_names=("csv",), extension="csv",
    format_iri=FORMATS_NS + "SPARQL_Results_CSV", results_format=ox.QueryResultsFormat.CSV,
)  # fmt: skip
SPARQL_TSV = MediaType(
    "tsv", "text/tab-separated-values", "results", "SPARQL 1.1 Query Results TSV",
    format_names=("tsv",), extension="tsv",
    format_iri=FORMATS_NS + "SPARQL_Results_TSV", results_format=ox.QueryResultsFormat.TSV,
)  # fmt: skip
TURTLE = MediaType(
    "turtle", "text/turtle", "graph", "Turtle",
    aliases=("application/x-turtle", "application/turtle"), format_names=("turtle", "ttl", "n3"),
    extension="ttl", format_iri=FORMATS_NS + "Turtle", dump_name="turtle",
    rdf_format=ox.RdfFormat.TURTLE,
)  # fmt: skip
N_TRIPLES = MediaType(
    "ntriples", "application/n-triples", "graph", "N-Triples",
    format_names=("nt", "ntriples", "n-triples"), extension="nt",
    format_iri=FORMATS_NS + "N-Triples", dump_name="nt", rdf_format=ox.RdfFormat.N_TRIPLES,
)  # fmt: skip
N_QUADS = MediaType(
    "nquads", "application/n-quads", "graph", "N-Quads",
    format_names=("nq", "nquads", "n-quads"), extension="nq",
    format_iri=FORMATS_NS + "N-Quads", dump_name="nq", rdf_format=ox.RdfFormat.N_QUADS,
)  # fmt: skip
TRIG = MediaType(
    "trig", "application/trig", "graph", "TriG",
    format_names=("trig",), extension="trig",
    format_iri=FORMATS_NS + "TriG", dump_name="trig", rdf_format=ox.RdfFormat.TRIG,
)  # fmt: skip
JSON_LD = MediaType(
    "jsonld", "application/ld+json", "graph", "JSON-LD",
    aliases=("application/json",), format_names=("jsonld", "json-ld", "json"), extension="jsonld",
    format_iri=FORMATS_NS + "JSON-LD", dump_name="jsonld", rdf_format=ox.RdfFormat.JSON_LD,
)  # fmt: skip
RDF_XML = MediaType(
    "rdfxml", "application/rdf+xml", "graph", "RDF/XML",
    aliases=("application/xml", "text/xml"), format_names=("rdfxml", "rdf", "xml", "rdf-xml", "rdf+xml"),
    extension="rdf", format_iri=FORMATS_NS + "RDF_XML", dump_name="xml",
    rdf_format=ox.RdfFormat.RDF_XML,
)  # fmt: skip
HTML = MediaType(
    "html", "text/html", "page", "HTML", aliases=("application/xhtml+xml",),
    format_names=("html",), extension="html",
)  # fmt: skip

# Server preference first: what a client that accepts anything gets.
RESULT_FORMATS: tuple[MediaType, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
RDF_GRAPH_FORMATS: tuple[MediaType, ...] = (TURTLE, N_TRIPLES, N_QUADS, TRIG, JSON_LD, RDF_XML)
ALL_FORMATS: tuple[MediaType, ...] = (*RESULT_FORMATS, *RDF_GRAPH_FORMATS, HTML)


def by_name(name: str) -> MediaType:
    """The format whose short ``name`` is given (e.g. ``"turtle"``); KeyError if there is none."""
    for media_type in ALL_FORMATS:
        if media_type.name == name:
            return media_type
    raise KeyError(name)


def serialize_rdf(
    statements: Iterable[ox.Quad | ox.Triple],
    media_type: MediaType,
    prefixes: Mapping[str, str] | None = None,
    xml_namespaces: bool = False,
) -> bytes:
    """``statements``, in the order given, written by pyoxigraph in the RDF format ``media_type``.

    A dataset format keeps each quad's graph (a triple is in the default graph); a graph format
    writes the triples alone. Turtle and TriG declare ``prefixes``; RDF/XML declares them as XML
    namespaces only when ``xml_namespaces`` is set (the dumps do; query answers never have).
    Raises OSError when the format cannot hold the statements (JSON-LD and triple terms).
    """
    rdf_format = media_type.rdf_format
    if rdf_format is None:
        raise ValueError(f"{media_type.label} is not an RDF format")
    written: list[ox.Quad] | list[ox.Triple]
    if rdf_format.supports_datasets:
        written = [
            s if isinstance(s, ox.Quad) else ox.Quad(s.subject, s.predicate, s.object)
            for s in statements
        ]
    else:
        written = [s.triple if isinstance(s, ox.Quad) else s for s in statements]
    declares_prefixes = rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) or (
        xml_namespaces and rdf_format == ox.RdfFormat.RDF_XML
    )
    declared = dict(prefixes or {}) if declares_prefixes else None
    output = ox.serialize(written, format=rdf_format, prefixes=declared)
    assert output is not None  # no output file given: pyoxigraph returns the bytes
    return output


@dataclass(frozen=True)
class AcceptRange:
    type: str
    subtype: str
    quality: float
    position: int

    def specificity(self, mime: str) -> int:
        """-1 if this range does not match ``mime``; else 0 for */*, 1 for type/*, 2 for exact."""
        main, _, sub = mime.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[AcceptRange]:
    """The media ranges of an Accept header; malformed entries are skipped."""
    ranges: list[AcceptRange] = []
    for position, item in enumerate((header or "").split(",")):
        parts = [p.strip() for p in item.split(";")]
        media, _, sub = parts[0].lower().partition("/")
        if not media or not sub or " " in parts[0]:
            continue
        quality = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
                break  # parameters after q are accept-extensions
        ranges.append(AcceptRange(media, sub, quality, position))
    return ranges


def quality_of(media_type: MediaType, ranges: list[AcceptRange]) -> tuple[float, int]:
    """The quality the client gives ``media_type`` by its most specific matching range, and that
    specificity: 3 the canonical type, 2 an alias, 1 ``type/*``, 0 ``*/*``; (0, -1) if none matches.
    """
    best_specificity, best_quality = -1, 0.0
    for mime in media_type.media_types:
        for accept_range in ranges:
            specificity = accept_range.specificity(mime)
            if mime == media_type.mime:
                specificity = 3 if specificity == 2 else specificity
            elif specificity < 2:
                continue  # wildcards match canonical types only: text/* is CSV, not text/xml
            if specificity > best_specificity or (
                specificity == best_specificity and accept_range.quality > best_quality
            ):
                best_specificity, best_quality = specificity, accept_range.quality
    return (best_quality, best_specificity) if best_specificity >= 0 else (0.0, -1)


def choose(
    accept_header: str | None,
    format_param: str | Sequence[str] | None,
    offered: tuple[MediaType, ...],
) -> MediaType:
    """The offered format the client wants most.

    ``format_param`` (a short name such as ``turtle`` or a media type; several values are tried in
    order, as some clients send a name and a media type) overrides the Accept header. Without an
    Accept header the first offered format is chosen. Ties go to the more specific match, then to
    the server's order.
    """
    if not offered:
        raise ValueError("choose() needs at least one offered format")
    wanted = [format_param] if isinstance(format_param, str) else list(format_param or ())
    wanted = [w for w in wanted if w.strip()]
    if wanted:
        for name in wanted:
            for media_type in offered:
                if _names(media_type, name):
                    return media_type
        shown = ", ".join(repr(w) for w in wanted)
        raise NotAcceptable(f"format={shown} cannot be produced here; " + describe_offered(offered))
    ranges = parse_accept(accept_header)
    if not accept_header or not accept_header.strip() or not ranges:
        return offered[0]
    scored = [
        (quality_of(media_type, ranges), -index, media_type)
        for index, media_type in enumerate(offered)
    ]
    (quality, _), _, best = max(scored, key=lambda item: (item[0][0], item[0][1], item[1]))
    if quality <= 0:
        raise NotAcceptable(
            f"nothing acceptable to 'Accept: {accept_header}' can be produced; "
            + describe_offered(offered)
        )
    return best


def _names(media_type: MediaType, wanted: str) -> bool:
    key = wanted.strip().lower()
    return key in media_type.format_names or key in media_type.media_types


def describe_offered(offered: tuple[MediaType, ...]) -> str:
    listed = ", ".join(f"{m.mime} (format={m.format_names[0]})" for m in offered)
    return f"available: {listed}"
