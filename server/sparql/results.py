"""Serialize a pyoxigraph query result in a chosen format, capped at a number of rows.

The cap is announced, never silent: ``Serialized.truncated`` (sent as a response header by the
endpoint) and, where the format has comments, a comment at the top of the document.
"""

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox

from ..errors import CarekgError
from ..rdf.formats import RDF_GRAPH_FORMATS, RESULT_FORMATS, MediaType, describe_offered
from ..rdf.writing import serialize_rdf

ResultKind = Literal["bindings", "boolean", "graph"]
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
# What write_result takes: a query's result, or triples already read (a remote engine's CONSTRUCT).
WritableResult = QueryResult | list[ox.Triple]


class UnproducibleFormat(CarekgError):
    """The query's result kind has no format the client accepts."""

    def __init__(self, kind: ResultKind):
        self.kind = kind
        if kind == "graph":
            what, offered = "a CONSTRUCT or DESCRIBE result (an RDF graph)", RDF_GRAPH_FORMATS
        else:
            what, offered = "a SELECT or ASK result", RESULT_FORMATS
        super().__init__(
            f"{what} cannot be given in any acceptable format; " + describe_offered(offered)
        )


class FormatCannotHold(UnproducibleFormat):
    """The chosen format cannot hold this particular result (its serializer refused it)."""

    def __init__(self, kind: ResultKind, media_type: MediaType, reason: str):
        self.media_type = media_type
        self.reason = reason
        offered = RDF_GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS
        others = tuple(m for m in offered if m != media_type)
        CarekgError.__init__(
            self,
            f"this result cannot be written as {media_type.label}: {reason}; ask for another "
            "format, " + describe_offered(others),
        )
        self.kind = kind


@dataclass(frozen=True)
class Serialized:
    body: bytes
    media_type: MediaType
    kind: ResultKind
    rows: int  # solutions or triples written
    truncated: bool
    row_cap: int | None = (
        None  # where the store's cap is below the one asked for (a remote engine's)
    )


def kind_of(result: WritableResult) -> ResultKind:
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    if isinstance(result, ox.QuerySolutions):
        return "bindings"
    return "graph"


def write_result(
    result: WritableResult,
    results_type: MediaType | None,
    graph_type: MediaType | None,
    max_rows: int,
    prefixes: dict[str, str] | None = None,
    cut_before: bool = False,
) -> Serialized:
    """Serialize ``result`` in ``results_type`` (SELECT, ASK) or ``graph_type`` (CONSTRUCT, DESCRIBE).

    ``cut_before``: the result was already cut at ``max_rows`` where it came from (a remote engine's
    row limit), so it is announced as truncated like one this function cuts."""
    kind = kind_of(result)
    media_type = graph_type if kind == "graph" else results_type
    if media_type is None:
        raise UnproducibleFormat(kind)
    if isinstance(result, ox.QueryBoolean):
        results_format = media_type.results_format
        assert results_format is not None
        body = _serialize(lambda: result.serialize(format=results_format), kind, media_type)
        return Serialized(body, media_type, kind, 1, False)
    if isinstance(result, ox.QuerySolutions):
        return _write_solutions(result, media_type, max_rows, cut_before)
    return _write_triples(result, media_type, max_rows, prefixes or {}, cut_before)


def _write_solutions(
    result: ox.QuerySolutions, media_type: MediaType, max_rows: int, cut_before: bool
) -> Serialized:
    assert media_type.results_format is not None
    variables = result.variables
    rows = list(itertools.islice(result, max_rows + 1))
    truncated = cut_before or len(rows) > max_rows
    rows = rows[:max_rows]
    # pyoxigraph cannot serialize a list of solutions, but it parses the TSV results format, whose
    # cells are N-Triples terms (str() of a term, with tabs and newlines escaped): go through it.
    lines = ["\t".join(f"?{v.value}" for v in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_cell(row[v]) for v in variables))
    tsv = ("\n".join(lines) + "\n").encode("utf-8")
    try:
        capped = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    except (SyntaxError, ValueError) as exc:  # a term this module failed to write: carekg's bug
        raise RuntimeError(f"could not re-read capped results: {exc}") from None
    results_format = media_type.results_format
    body = _serialize(lambda: capped.serialize(format=results_format), "bindings", media_type)
    if truncated and media_type.is_xml:
        body = _xml_comment(body, _truncation_note(max_rows, "solutions"))
    return Serialized(body, media_type, "bindings", len(rows), truncated)


def _tsv_cell(term: object) -> str:
    """A term as a TSV results cell: N-Triples syntax, triple terms wrapped in <<( )>>."""
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        parts = (_tsv_cell(term.subject), _tsv_cell(term.predicate), _tsv_cell(term.object))
        return "<<( " + " ".join(parts) + " )>>"
    return str(term)


def _write_triples(
    result: Iterable[ox.Triple],
    media_type: MediaType,
    max_rows: int,
    prefixes: dict[str, str],
    cut_before: bool,
) -> Serialized:
    triples = list(itertools.islice(result, max_rows + 1))
    truncated = cut_before or len(triples) > max_rows
    triples = triples[:max_rows]
    if media_type.rdf_format == ox.RdfFormat.RDF_XML:
        _check_rdf_xml_predicates(triples, media_type)
    body = _serialize(lambda: serialize_rdf(triples, media_type, prefixes), "graph", media_type)
    if truncated:
        note = _truncation_note(max_rows, "triples")
        if media_type.supports_comments:
            body = f"# {note}\n".encode() + body
        elif media_type.is_xml:
            body = _xml_comment(body, note)
    return Serialized(body, media_type, "graph", len(triples), truncated)


def _serialize(write: Callable[[], bytes | None], kind: ResultKind, media_type: MediaType) -> bytes:
    """Run a pyoxigraph serializer (given no output file, it returns bytes). It raises OSError when
    the format cannot hold the result (JSON-LD and triple terms): the client's choice, not a fault."""
    try:
        body = write()
    except OSError as exc:
        raise FormatCannotHold(kind, media_type, str(exc)) from None
    assert body is not None
    if media_type.is_xml:
        _check_xml_characters(body, kind, media_type)
    return body


# Characters XML 1.0 cannot hold, even escaped, as UTF-8 (C0 controls but tab, LF and CR; U+FFFE,
# U+FFFF); pyoxigraph writes them as they are, which makes the document unreadable.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def _check_xml_characters(body: bytes, kind: ResultKind, media_type: MediaType) -> None:
    found = _NOT_XML.search(body)
    if found:
        code = ord(found.group().decode("utf-8"))
        raise FormatCannotHold(
            kind, media_type, f"the result holds the character U+{code:04X}, which XML 1.0 cannot"
        )


def _predicates(triples: list[ox.Triple]) -> set[str]:
    """The predicate IRIs of ``triples`` and of the triple terms they hold."""
    found: set[str] = set()
    pending = list(triples)
    while pending:
        triple = pending.pop()
        found.add(triple.predicate.value)
        pending.extend(t for t in (triple.subject, triple.object) if isinstance(t, ox.Triple))
    return found


# XML name characters (XML 1.0, 5th edition) without the colon: an RDF/XML property element is
# named by the predicate IRI split into a namespace and a local name that is an XML NCName.
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + "\\-.0-9\u00b7\u0300-\u036f\u203f\u2040"
_LOCAL_NAME = re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*\\Z")


def _check_rdf_xml_predicates(triples: list[ox.Triple], media_type: MediaType) -> None:
    """Refuse a predicate IRI that does not end in an XML name (e.g. ``http://example.org/1``):
    pyoxigraph would write a property element with an empty local name, which is not XML."""
    for predicate in _predicates(triples):
        if not _LOCAL_NAME.search(predicate):
            raise FormatCannotHold(
                "graph",
                media_type,
                f"the predicate <{predicate}> does not end in an XML name, so RDF/XML cannot "
                "write it as a property element",
            )


def _truncation_note(max_rows: int, unit: str) -> str:
    return (
        f"carekg: results truncated to the first {max_rows} {unit} by the server's row cap "
        "(see the X-Carekg-Row-Cap and X-Carekg-Truncated response headers)"
    )


def _xml_comment(body: bytes, note: str) -> bytes:
    comment = f"<!-- {note} -->".encode()
    if body.startswith(b"<?xml"):
        end = body.index(b"?>") + 2
        return body[:end] + comment + body[end:]
    return comment + body
