"""Read a SPARQL 1.1 Protocol query request (GET, POST form, POST application/sparql-query) or refuse it."""

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Request
from werkzeug.exceptions import BadRequest, Forbidden, RequestEntityTooLarge, UnsupportedMediaType

from ...sparql.jobs import READ_ONLY

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
ParamGetter = Callable[[str], list[str]]  # a parameter name -> all its values


@dataclass(frozen=True)
class ProtocolRequest:
    """A query operation; ``query`` is None for a GET with no query (the service description)."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()  # `format` parameter values, tried in order


def read_protocol_request(request: Request, max_query_bytes: int) -> ProtocolRequest:
    if request.method == "GET":
        return parse_query_params(request.args.getlist, max_query_bytes, allow_no_query=True)
    mimetype = request.mimetype
    if mimetype == FORM:
        form = request.form

        def params(name: str) -> list[str]:
            return request.args.getlist(name) + form.getlist(name)

        return parse_query_params(params, max_query_bytes)
    if mimetype == SPARQL_QUERY:
        return parse_query_params(request.args.getlist, max_query_bytes, query=_body_text(request))
    if mimetype == SPARQL_UPDATE:
        raise Forbidden(READ_ONLY)
    got = f"Content-Type {request.content_type!r}" if request.content_type else "no Content-Type"
    raise UnsupportedMediaType(
        f"a POST query needs Content-Type {FORM} or {SPARQL_QUERY} (UTF-8); got {got}"
    )


def parse_query_params(
    params: ParamGetter,
    max_query_bytes: int,
    *,
    allow_no_query: bool = False,
    query: str | None = None,
    query_source: str = "the request body",
) -> ProtocolRequest:
    """Check a query operation's parameters and read them into a ProtocolRequest.

    ``query``, when given, is the query text from elsewhere than a ``query`` parameter (a direct
    POST's body, a named example query), which ``query_source`` names in the refusal of a request
    that sends a ``query`` parameter as well."""
    queries = params("query")
    updates = params("update")
    if query is not None:
        if queries:
            raise BadRequest(f"a query was sent both as {query_source} and as a 'query' parameter")
        queries = [query]
    if queries and updates:
        raise BadRequest("a request may hold a query or an update, not both")
    if updates:
        raise Forbidden(READ_ONLY)
    if len(queries) > 1:
        raise BadRequest(f"exactly one 'query' parameter is allowed; got {len(queries)}")
    formats = tuple(params("format"))
    default_graphs = tuple(_checked_iris(params("default-graph-uri"), "default-graph-uri"))
    named_graphs = tuple(_checked_iris(params("named-graph-uri"), "named-graph-uri"))
    if not queries:
        if allow_no_query:
            return ProtocolRequest(None, default_graphs, named_graphs, formats)
        raise BadRequest("the request holds no 'query' parameter")
    text = queries[0]
    if not text.strip():
        raise BadRequest("the query is empty")
    if len(text.encode("utf-8")) > max_query_bytes:
        raise RequestEntityTooLarge(
            f"the query is longer than the limit of {max_query_bytes} bytes"
        )
    return ProtocolRequest(text, default_graphs, named_graphs, formats)


def _checked_iris(values: list[str], parameter: str) -> list[str]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise BadRequest(f"{parameter}={value!r} is not an absolute IRI: {exc}") from None
    return values


def _body_text(request: Request) -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"{SPARQL_QUERY} bodies must be UTF-8; got charset={charset}")
    data = request.get_data(cache=True)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the query body is not valid UTF-8 (byte {exc.start})") from None
