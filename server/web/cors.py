"""CORS for the query answers: any origin may query (the data is public and the endpoint read-only)."""

from flask import Flask, Response, request

ROW_CAP_HEADER = "X-Carekg-Row-Cap"
TRUNCATED_HEADER = "X-Carekg-Truncated"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": f"{ROW_CAP_HEADER}, {TRUNCATED_HEADER}, Content-Type, Vary",
}
# The views whose responses carry CORS headers: /sparql and the example queries' results.
CORS_VIEWS = frozenset({"endpoint.sparql", "endpoint.sparql_asserted", "ui.show_query"})


def add_cors(response: Response) -> Response:
    """after_request: CORS headers on the views that answer queries."""
    if request.endpoint in CORS_VIEWS:
        for name, value in CORS_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def preflight() -> Response:
    """The answer to a CORS preflight (OPTIONS) request."""
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    requested = request.headers.get("Access-Control-Request-Headers")
    response.headers["Access-Control-Allow-Headers"] = requested or "Accept, Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Allow"] = "GET, POST, OPTIONS"
    return response


def register_cors(app: Flask) -> None:
    app.after_request(add_cors)
