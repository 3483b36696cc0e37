"""The one place that maps carekg's errors to HTTP responses.

Views raise an ``HttpError`` subclass (or a carekg error); the handlers registered by
``register_error_handlers`` turn it into a short plain-text body, or JSON when the client prefers it.
Anything unexpected becomes a 500 whose body names no internals.
"""

import functools
import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from .errors import CarekgError, RdfSyntaxError, UnreadableInputError

if TYPE_CHECKING:
    from .negotiation import MediaType

log = logging.getLogger(__name__)
QUERY_CRASHED_MESSAGE = (
    "the query could not be answered because of a fault on the server (not in the query); "
    "see the server's log"
)


class HttpError(CarekgError):
    """An error with the HTTP status it deserves and a message a client can act on."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, message: str, headers: Iterable[tuple[str, str]] = ()):
        super().__init__(message)
        self.message = message
        self.headers = list(headers)


class BadRequest(HttpError):
    status = 400
    title = "Bad Request"


class Forbidden(HttpError):
    status = 403
    title = "Forbidden"


class NotFound(HttpError):
    status = 404
    title = "Not Found"


class NotAcceptable(HttpError):
    status = 406
    title = "Not Acceptable"


class PayloadTooLarge(HttpError):
    status = 413
    title = "Payload Too Large"


class UnsupportedMediaType(HttpError):
    status = 415
    title = "Unsupported Media Type"


class BadGateway(HttpError):
    status = 502
    title = "Bad Gateway"


class ServiceUnavailable(HttpError):
    status = 503
    title = "Service Unavailable"


def error_response(
    status: int, title: str, message: str, headers: Iterable[tuple[str, str]] = ()
) -> Response:
    """A plain-text error body, or JSON if the client ranks JSON above plain text."""
    wants_json = _prefers_json()
    if wants_json:
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
    from .negotiation import choose  # late: negotiation imports this module for NotAcceptable

    plain, json_body = _error_formats()
    try:
        return choose(request.headers.get("Accept"), None, (plain, json_body)) is json_body
    except NotAcceptable:
        return False


@functools.cache
def _error_formats() -> "tuple[MediaType, MediaType]":
    """The two formats of an error body, plain text first (what a client accepting anything gets)."""
    from .negotiation import MediaType

    plain = MediaType("text", "text/plain", "page", "Plain text", format_names=("text",))
    json_body = MediaType(
        "json", "application/json", "page", "JSON",
        aliases=("application/sparql-results+json",), format_names=("json",),
    )  # fmt: skip
    return plain, json_body


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on ``app``: carekg errors, werkzeug's HTTP errors, and the unexpected."""

    @app.errorhandler(HttpError)
    def handle_http_error(error: HttpError) -> Response:
        return error_response(error.status, error.title, error.message, error.headers)

    @app.errorhandler(RdfSyntaxError)
    def handle_rdf_syntax_error(error: RdfSyntaxError) -> Response:
        return error_response(400, BadRequest.title, str(error))

    @app.errorhandler(UnreadableInputError)
    def handle_unreadable_input(error: UnreadableInputError) -> Response:
        return error_response(400, BadRequest.title, str(error))

    # Imported here: these modules import this one for the HttpError classes.
    from .query_exec import (
        InvalidDatasetIri,
        QueryCrashed,
        QueryFailed,
        QuerySyntaxError,
        QueryTimeout,
    )
    from .query_scan import QueryTooComplex
    from .result_writer import UnproducibleFormat

    @app.errorhandler(QuerySyntaxError)
    def handle_query_syntax(error: QuerySyntaxError) -> Response:
        return error_response(400, BadRequest.title, str(error))

    @app.errorhandler(InvalidDatasetIri)
    def handle_invalid_dataset_iri(error: InvalidDatasetIri) -> Response:
        return error_response(400, BadRequest.title, str(error))

    @app.errorhandler(QueryTooComplex)
    def handle_query_too_complex(error: QueryTooComplex) -> Response:
        return error_response(400, BadRequest.title, str(error))

    @app.errorhandler(UnproducibleFormat)
    def handle_unproducible(error: UnproducibleFormat) -> Response:
        return error_response(406, NotAcceptable.title, str(error))

    @app.errorhandler(QueryTimeout)
    def handle_timeout(error: QueryTimeout) -> Response:
        # No Retry-After: the same query would be stopped again; the message says to narrow it.
        return error_response(503, ServiceUnavailable.title, str(error))

    @app.errorhandler(QueryFailed)
    def handle_query_failed(error: QueryFailed) -> Response:
        return error_response(502, BadGateway.title, str(error))

    @app.errorhandler(QueryCrashed)
    def handle_query_crashed(error: QueryCrashed) -> Response:
        current_app.logger.error(
            "query process failed answering %s %s: %s", request.method, request.path, error
        )
        return error_response(500, HttpError.title, QUERY_CRASHED_MESSAGE)

    @app.errorhandler(HTTPException)
    def handle_werkzeug_error(error: HTTPException) -> Response:
        status = error.code or 500
        message = _werkzeug_message(error)
        response = error_response(status, error.name, message)
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
        return error_response(500, HttpError.title, "the server failed to answer; see its log")


def _werkzeug_message(error: HTTPException) -> str:
    if error.code == 413:
        limit = _max_content_length()
        return f"the request body is larger than the limit of {limit} bytes; send a shorter request"
    if error.code == 405:
        allowed = error.valid_methods if hasattr(error, "valid_methods") else None
        if allowed:
            return f"{request.method} is not allowed here; use {', '.join(sorted(allowed))}"
    return error.description or error.name


def _max_content_length() -> int:
    from .config import current_config

    return current_config().max_request_bytes
