"""The one table of the formats carekg reads and writes: media types, short names, file extensions.

Everything that names a format (content negotiation, dumps, documents, ``carekg export``, the parser's
choice by file name) looks it up here.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from ..errors import UnreadableInputError

# A plain string, not rdf.namespaces' rdflib Namespace: the query processes import this module, and
# rdflib would be most of a replacement process's start-up (about 70 of 110 ms).
FORMATS = "http://www.w3.org/ns/formats/"

Kind = Literal["results", "graph", "page"]


@dataclass(frozen=True)
class MediaType:
    """A format carekg can produce: its media types, short names and serializer."""

    name: str  # the short name shown to people, e.g. "turtle"
    mime: str  # the canonical media type, sent in Content-Type
    kind: Kind
    label: str
    aliases: tuple[str, ...] = ()  # further media types a client may ask for it by
    format_names: tuple[str, ...] = ()  # values of the ``format`` parameter naming it
    extension: str = ""  # the ending carekg writes it with
    read_extensions: tuple[str, ...] = ()  # further endings a file in this format is read by
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
    format_iri=FORMATS + "SPARQL_Results_JSON", results_format=ox.QueryResultsFormat.JSON,
)  # fmt: skip
SPARQL_XML = MediaType(
    "xml", "application/sparql-results+xml", "results", "SPARQL Query Results XML",
    aliases=("application/xml", "text/xml"), format_names=("xml", "srx"), extension="srx",
    format_iri=FORMATS + "SPARQL_Results_XML", results_format=ox.QueryResultsFormat.XML,
)  # fmt: skip
SPARQL_CSV = MediaType(
    "csv", "text/csv", "results", "SPARQL 1.1 Query Results CSV",
    format_names=("csv",), extension="csv",
    format_iri=FORMATS + "SPARQL_Results_CSV", results_format=ox.QueryResultsFormat.CSV,
)  # fmt: skip
SPARQL_TSV = MediaType(
    "tsv", "text/tab-separated-values", "results", "SPARQL 1.1 Query Results TSV",
    format_names=("tsv",), extension="tsv",
    format_iri=FORMATS + "SPARQL_Results_TSV", results_format=ox.QueryResultsFormat.TSV,
)  # fmt: skip
TURTLE = MediaType(
    "turtle", "text/turtle", "graph", "Turtle",
    aliases=("application/x-turtle", "application/turtle"), format_names=("turtle", "ttl", "n3"),
    extension="ttl", read_extensions=("turtle",), format_iri=FORMATS + "Turtle", dump_name="turtle",
    rdf_format=ox.RdfFormat.TURTLE,
)  # fmt: skip
N_TRIPLES = MediaType(
    "ntriples", "application/n-triples", "graph", "N-Triples",
    format_names=("nt", "ntriples", "n-triples"), extension="nt",
    format_iri=FORMATS + "N-Triples", dump_name="nt", rdf_format=ox.RdfFormat.N_TRIPLES,
)  # fmt: skip
N_QUADS = MediaType(
    "nquads", "application/n-quads", "graph", "N-Quads",
    format_names=("nq", "nquads", "n-quads"), extension="nq",
    format_iri=FORMATS + "N-Quads", dump_name="nq", rdf_format=ox.RdfFormat.N_QUADS,
)  # fmt: skip
TRIG = MediaType(
    "trig", "application/trig", "graph", "TriG",
    format_names=("trig",), extension="trig",
    format_iri=FORMATS + "TriG", dump_name="trig", rdf_format=ox.RdfFormat.TRIG,
)  # fmt: skip
JSON_LD = MediaType(
    "jsonld", "application/ld+json", "graph", "JSON-LD",
    aliases=("application/json",), format_names=("jsonld", "json-ld", "json"), extension="jsonld",
    read_extensions=("json",), format_iri=FORMATS + "JSON-LD", dump_name="jsonld", rdf_format=ox.RdfFormat.JSON_LD,
)  # fmt: skip
RDF_XML = MediaType(
    "rdfxml", "application/rdf+xml", "graph", "RDF/XML",
    aliases=("application/xml", "text/xml"), format_names=("rdfxml", "rdf", "xml", "rdf-xml", "rdf+xml"),
    extension="rdf", read_extensions=("owl", "xml"), format_iri=FORMATS + "RDF_XML", dump_name="xml",
    rdf_format=ox.RdfFormat.RDF_XML,
)  # fmt: skip
N3 = MediaType(  # read only: carekg parses N3 files but writes no N3
    "n3", "text/n3", "graph", "N3", extension="n3", rdf_format=ox.RdfFormat.N3,
)  # fmt: skip
HTML = MediaType(
    "html", "text/html", "page", "HTML", aliases=("application/xhtml+xml",),
    format_names=("html",), extension="html",
)  # fmt: skip

# Server preference first: what a client that accepts anything gets.
RESULT_FORMATS: tuple[MediaType, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
RDF_GRAPH_FORMATS: tuple[MediaType, ...] = (TURTLE, N_TRIPLES, N_QUADS, TRIG, JSON_LD, RDF_XML)
ALL_FORMATS: tuple[MediaType, ...] = (*RESULT_FORMATS, *RDF_GRAPH_FORMATS, HTML)
READABLE_FORMATS: tuple[MediaType, ...] = (*RDF_GRAPH_FORMATS, N3)


def by_extension(formats: Iterable[MediaType]) -> dict[str, MediaType]:
    """``formats`` by the file ending carekg writes each with (``ttl``, ``nq``, ``html`` …)."""
    return {m.extension: m for m in formats}


# Every file ending the parser knows, with its dot: ``.ttl`` and ``.turtle`` are both Turtle.
FORMATS_BY_SUFFIX: dict[str, ox.RdfFormat] = {
    "." + ending: m.rdf_format
    for m in READABLE_FORMATS
    if m.rdf_format is not None
    for ending in (m.extension, *m.read_extensions)
}


def format_for(name: str) -> ox.RdfFormat:
    """The RDF format of a file, by its name (a trailing ``.gz`` is looked through)."""
    suffix = Path(name.removesuffix(".gz")).suffix.lower()
    try:
        return FORMATS_BY_SUFFIX[suffix]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise UnreadableInputError(
            f"{name}: cannot tell the RDF format from the file name (known endings: {known})"
        ) from None


def named(wanted: str, offered: Iterable[MediaType]) -> MediaType | None:
    """The offered format that a ``format`` value names (a short name or a media type), or None."""
    key = wanted.strip().lower()
    for media_type in offered:
        if key in media_type.format_names or key in media_type.media_types:
            return media_type
    return None


def by_name(name: str) -> MediaType:
    """The format whose short ``name`` is given (e.g. ``"turtle"``); KeyError if there is none."""
    for media_type in ALL_FORMATS:
        if media_type.name == name:
            return media_type
    raise KeyError(name)


def describe_offered(offered: tuple[MediaType, ...]) -> str:
    """The offered formats, as a 406 message lists them."""
    listed = ", ".join(f"{m.mime} (format={m.format_names[0]})" for m in offered)
    return f"available: {listed}"
