"""The one place that maps errors to HTTP responses.

Views raise werkzeug's HTTP exceptions (``BadRequest("…")``) where a status and a message are all they
need; the core raises carekg's own errors, which know nothing of HTTP, and ``STATUS_OF`` gives each its
status. Every error body is short plain text, or JSON when the client prefers it. Anything unexpected
becomes a 500 whose body names no internals.
"""

import json
import logging
from collections.abc import Iterable

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, NotAcceptable
from werkzeug.http import HTTP_STATUS_CODES

from ..errors import CarekgError, RdfSyntaxError, UnreadableInputError
from ..rdf.formats import MediaType
from ..sparql.execution import (
    InvalidDatasetIri,
    QueryCrashed,
    QueryFailed,
    QueryOutOfMemory,
    QuerySyntaxError,
    QueryTimeout,
)
from ..sparql.jobs import ServiceRefused, UpdateRefused
from ..sparql.results import UnproducibleFormat
from ..sparql.scan import QueryTooComplex
from ..store.pool import PoolBusy
from .context import current_config
from .negotiation import choose

log = logging.getLogger(__name__)
QUERY_CRASHED_MESSAGE = (
    "the query could not be answered because of a fault on the server (not in the query); "
    "see the server's log"
)

# carekg's errors by the status they deserve; a subclass takes its nearest listed ancestor's status.
STATUS_OF: dict[type[CarekgError], int] = {
    RdfSyntaxError: 400,
    UnreadableInputError: 400,
    QuerySyntaxError: 400,
    InvalidDatasetIri: 400,
    QueryTooComplex: 400,
    ServiceRefused: 400,
    UpdateRefused: 403,
    UnproducibleFormat: 406,
    QueryCrashed: 500,
    QueryFailed: 502,
    # No Retry-After: the same query would be stopped again; the message says to narrow it.
    QueryTimeout: 503,
    QueryOutOfMemory: 503,
    PoolBusy: 503,
}

# The two formats of an error body, plain text first (what a client accepting anything gets).
PLAIN_TEXT = MediaType("text", "text/plain", "page", "Plain text", format_names=("text",))
JSON_BODY = MediaType(
    "json", "application/json", "page", "JSON",
    aliases=("application/sparql-results+json",), format_names=("json",),
)  # fmt: skip


def status_of(error: CarekgError) -> int | None:
    """The status ``STATUS_OF`` gives the error's class or its nearest listed ancestor; None if none."""
    for cls in type(error).__mro__:
        if cls in STATUS_OF:
            return STATUS_OF[cls]
    return None


def error_response(status: int, message: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """A plain-text error body, or JSON if the client ranks JSON above plain text."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    if _prefers_json():
        body = json.dumps(
            {"status": status, "error": title, "message": message}, ensure_ascii=False
        )
        response = Response(body + "\n", status=status, mimetype="application/json")
    else:
        body = f"{status} {title}: {message}\n"
        response = Response(body, status=status, content_type="text/plain; charset=utf-8")
    for name, value in headers:
        response.headers[name] = value
    return response


def _prefers_json() -> bool:
    """Whether the Accept header ranks JSON above plain text (carekg's own negotiation decides)."""
    try:
        return choose(request.headers.get("Accept"), None, (PLAIN_TEXT, JSON_BODY)) is JSON_BODY
    except NotAcceptable:
        return False


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on ``app``: carekg errors, werkzeug's HTTP errors, and the unexpected."""

    @app.errorhandler(CarekgError)
    def handle_carekg_error(error: CarekgError) -> Response:
        status = status_of(error)
        if status is None:
            return handle_unexpected(error)
        if isinstance(error, QueryCrashed):  # the detail is the server's, not the client's
            current_app.logger.error(
                "query process failed answering %s %s: %s", request.method, request.path, error
            )
            return error_response(status, QUERY_CRASHED_MESSAGE)
        headers = [("Retry-After", str(error.retry_after))] if isinstance(error, PoolBusy) else []
        return error_response(status, str(error), headers)

    @app.errorhandler(HTTPException)
    def handle_werkzeug_error(error: HTTPException) -> Response:
        response = error_response(error.code or 500, _werkzeug_message(error))
        if error.response is None:
            for name, value in error.get_headers():
                if name.lower() != "content-type":
                    response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Response:
        if isinstance(error, HTTPException):  # pragma: no cover - routed above
            return handle_werkzeug_error(error)
        log.exception("unexpected error answering %s %s", request.method, request.path)
        return error_response(500, "the server failed to answer; see its log")


def _werkzeug_message(error: HTTPException) -> str:
    """The exception's own message; werkzeug's generic ones replaced by ones that say what to do."""
    if error.description != type(error).description:  # raised by a view with its own message
        return error.description or error.name
    if error.code == 413:
        limit = current_config().max_request_bytes
        return f"the request body is larger than the limit of {limit} bytes; send a shorter request"
    if error.code == 405:
        allowed = error.valid_methods if hasattr(error, "valid_methods") else None
        if allowed:
            return f"{request.method} is not allowed here; use {', '.join(sorted(allowed))}"
    return error.description or error.name
