"""Serialize a pyoxigraph query result in a chosen format, capped at a number of rows.

The cap is announced, never silent: ``Serialized.truncated`` (sent as a response header by the
endpoint) and, where the format has comments, a comment at the top of the document.
"""

import itertools
from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox

from .errors import CarekgError
from .negotiation import RDF_GRAPH_FORMATS, RESULT_FORMATS, MediaType, describe_offered

ResultKind = Literal["bindings", "boolean", "graph"]
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


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


@dataclass(frozen=True)
class Serialized:
    body: bytes
    media_type: MediaType
    kind: ResultKind
    rows: int  # solutions or triples written
    truncated: bool


def kind_of(result: QueryResult) -> ResultKind:
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    if isinstance(result, ox.QuerySolutions):
        return "bindings"
    return "graph"


def write_result(
    result: QueryResult,
    results_type: MediaType | None,
    graph_type: MediaType | None,
    max_rows: int,
    prefixes: dict[str, str] | None = None,
) -> Serialized:
    """Serialize ``result`` in ``results_type`` (SELECT, ASK) or ``graph_type`` (CONSTRUCT, DESCRIBE)."""
    kind = kind_of(result)
    media_type = graph_type if kind == "graph" else results_type
    if media_type is None:
        raise UnproducibleFormat(kind)
    if isinstance(result, ox.QueryBoolean):
        assert media_type.results_format is not None
        body = _bytes(result.serialize(format=media_type.results_format))
        return Serialized(body, media_type, kind, 1, False)
    if isinstance(result, ox.QuerySolutions):
        return _write_solutions(result, media_type, max_rows)
    return _write_triples(result, media_type, max_rows, prefixes or {})


def _write_solutions(result: ox.QuerySolutions, media_type: MediaType, max_rows: int) -> Serialized:
    assert media_type.results_format is not None
    variables = result.variables
    rows = list(itertools.islice(result, max_rows + 1))
    truncated = len(rows) > max_rows
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
    body = _bytes(capped.serialize(format=media_type.results_format))
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
    result: ox.QueryTriples, media_type: MediaType, max_rows: int, prefixes: dict[str, str]
) -> Serialized:
    rdf_format = media_type.rdf_format
    assert rdf_format is not None
    triples = list(itertools.islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    triples = triples[:max_rows]
    statements: list[ox.Triple] | list[ox.Quad] = triples
    if rdf_format.supports_datasets:
        statements = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    wants_prefixes = rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    body = _bytes(
        ox.serialize(statements, format=rdf_format, prefixes=prefixes if wants_prefixes else None)
    )
    if truncated:
        note = _truncation_note(max_rows, "triples")
        if media_type.supports_comments:
            body = f"# {note}\n".encode() + body
        elif media_type.is_xml:
            body = _xml_comment(body, note)
    return Serialized(body, media_type, "graph", len(triples), truncated)


def _bytes(serialized: bytes | None) -> bytes:
    """pyoxigraph's serializers return bytes when given no output file."""
    assert serialized is not None
    return serialized


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
