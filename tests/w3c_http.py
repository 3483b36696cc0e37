"""Send a request exactly as written (no client adds a content type or an Accept header) and read the reply.

The same request goes to a real server over HTTP or, in process, through Flask's test client.
"""

import http.client
import io
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from carekg_process import RunningServer
from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.query import Result

# Media types a client may get back, and the rdflib parser for each.
RESULT_PARSERS = {
    "application/sparql-results+xml": "xml",
    "application/sparql-results+json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RDF_PARSERS = {
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}
REDIRECTS = (301, 302, 303, 307, 308)
Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Reply:
    status: int
    media_type: str  # lower case, without parameters; "" when absent
    headers: dict[str, str]  # names in lower case; repeated headers joined with ", "
    body: bytes

    def describe(self) -> str:
        return f"{self.status} {self.media_type or '(no content type)'}: {self.body[:500]!r}"


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _joined(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    joined: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return joined


def _exchange_over_http(
    server: RunningServer, method: str, path: str, headers: Headers, body: bytes | None
) -> Reply:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=dict(headers))
        response = connection.getresponse()
        return Reply(
            status=response.status,
            media_type=_media_type(response.getheader("Content-Type")),
            headers=_joined(response.getheaders()),
            body=response.read(),
        )
    finally:
        connection.close()


def _exchange_in_process(
    client: FlaskClient, method: str, path: str, headers: Headers, body: bytes | None
) -> Reply:
    response = client.open(path, method=method, headers=list(headers), data=body)
    return Reply(
        status=response.status_code,
        media_type=_media_type(response.content_type),
        headers=_joined(response.headers.items()),
        body=response.get_data(),
    )


def send(
    target: RunningServer | FlaskClient,
    method: str,
    path: str,
    headers: Headers = (),
    body: bytes | None = None,
    follow_redirects: int = 3,
) -> Reply:
    """One request, written exactly as given, to a real server or through Flask's test client."""
    if isinstance(target, RunningServer):
        reply = _exchange_over_http(target, method, path, headers, body)
    else:
        reply = _exchange_in_process(target, method, path, headers, body)
    location = reply.headers.get("location")
    if reply.status in REDIRECTS and location and follow_redirects > 0:
        target_url = urlsplit(location)
        next_path = (target_url.path or "/") + (f"?{target_url.query}" if target_url.query else "")
        if reply.status in (307, 308):
            return send(target, method, next_path, headers, body, follow_redirects - 1)
        return send(target, "GET", next_path, (), None, follow_redirects - 1)
    return reply


def parse_results(reply: Reply) -> Result:
    """The reply's SPARQL results, read by rdflib's parser for its content type."""
    assert reply.media_type in RESULT_PARSERS, f"not SPARQL results: {reply.describe()}"
    return Result.parse(io.BytesIO(reply.body), format=RESULT_PARSERS[reply.media_type])


def parse_graph(reply: Reply) -> Graph:
    """The reply's RDF graph, read by rdflib's parser for its content type."""
    assert reply.media_type in RDF_PARSERS, f"not an RDF graph: {reply.describe()}"
    return Graph().parse(data=reply.body, format=RDF_PARSERS[reply.media_type])
