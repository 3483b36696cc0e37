"""HTTP to a SPARQL 1.1 engine: queries, updates and the Graph Store Protocol (the remote store's edge).

Credentials come from ``CAREKG_REMOTE_USER`` / ``CAREKG_REMOTE_PASSWORD`` (carried in Config) or, when
those are unset, from the netrc file's entry for the endpoint's host; never from the command line. The
engine's challenge decides between HTTP Digest (Virtuoso) and Basic (Fuseki, GraphDB). Each thread of
each process has its own connection pool, so that no socket or digest nonce is shared across a fork
or between threads.
"""

import contextlib
import netrc
import os
import threading
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpcore
import httpx

from ..errors import CarekgError

FORM = "application/x-www-form-urlencoded"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
# Turtle is a superset of N-Triples: engines that do not list N-Triples for the Graph Store still take it.
UPLOAD_TYPE = "text/turtle"
CONNECT_SECONDS = 10.0
# Virtuoso echoes each default-graph-uri and named-graph-uri of a query back as a response header of its own
# (X-SPARQL-default-graph, X-SPARQL-named-graph). For a build of 2,400 graphs, both lists, that is about
# 300 KB of headers, past httpcore's 100 KiB limit on a response's head: every query failed with "Receive
# buffer too long". httpx has no setting for that limit; httpcore reads it from this class constant.
RESPONSE_HEAD_LIMIT_BYTES = 64 * 1024 * 1024


class EngineUnreachable(CarekgError):
    """The engine did not answer (refused, reset, a DNS failure) or answered with an error."""


class EngineTimeout(CarekgError):
    """The engine did not answer within the time allowed."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)


def credentials_for(url: str, user: str | None, password: str | None) -> Credentials | None:
    """The account for ``url``: the given user and password, else the netrc entry of its host."""
    if user:
        return Credentials(user, password or "")
    host = urlsplit(url).hostname or ""
    try:
        entry = netrc.netrc(os.environ.get("NETRC")).authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError):
        return None
    if entry is None:
        return None
    login, _account, secret = entry
    return Credentials(login, secret or "")


class ChallengeAuth(httpx.Auth):
    """Digest or Basic, whichever the server's first 401 asks for; remembered afterwards."""

    requires_request_body = True

    def __init__(self, credentials: Credentials):
        self._digest = httpx.DigestAuth(credentials.user, credentials.password)
        self._basic = httpx.BasicAuth(credentials.user, credentials.password)
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.sync_auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
        if scheme not in ("digest", "basic"):
            return
        self._chosen = self._digest if scheme == "digest" else self._basic
        flow = self._chosen.sync_auth_flow(request)
        next(flow)  # the unauthenticated request, already answered
        try:
            retry = flow.send(response)
        except StopIteration:
            return
        response = yield retry
        with contextlib.suppress(StopIteration):
            flow.send(response)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class SparqlClient:
    """One engine's endpoints: SPARQL query, and (for loading) SPARQL Update or the Graph Store."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        credentials: Credentials | None = None,
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        self.credentials = credentials
        self._local = threading.local()

    def _client(self) -> httpx.Client:
        client: httpx.Client | None = getattr(self._local, "client", None)
        if client is None or getattr(self._local, "pid", None) != os.getpid():
            limit = httpcore.HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE
            httpcore.HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE = max(
                limit, RESPONSE_HEAD_LIMIT_BYTES
            )
            auth = ChallengeAuth(self.credentials) if self.credentials else None
            client = httpx.Client(auth=auth, trust_env=False)
            self._local.client, self._local.pid = client, os.getpid()
        return client

    def _send(
        self,
        method: str,
        url: str,
        timeout: float,
        *,
        params: Sequence[tuple[str, str]] = (),
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> Reply:
        try:
            response = self._client().request(
                method,
                url,
                params=list(params) or None,
                content=body or None,
                headers=headers,
                timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_SECONDS)),
            )
        except httpx.TimeoutException:
            raise EngineTimeout(f"{url} did not answer within {timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise EngineUnreachable(f"{url}: {exc}") from None
        return Reply(response.status_code, response.headers, response.content)

    def query(
        self,
        query: str,
        accept: str,
        timeout: float,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> Reply:
        """POST a query with its dataset as protocol parameters (form-encoded: some engines answer no
        ``application/sparql-query`` POST)."""
        form = [("query", query)]
        form += [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in named_graphs]
        return self._send(
            "POST",
            self.query_url,
            timeout,
            body=urlencode(form).encode("ascii"),
            headers={"Content-Type": FORM, "Accept": accept},
        )

    def update(self, update: str, timeout: float) -> Reply:
        if self.update_url is None:
            raise EngineUnreachable("no SPARQL Update endpoint was given (--update-endpoint)")
        reply = self._send(
            "POST",
            self.update_url,
            timeout,
            body=urlencode([("update", update)]).encode("utf-8"),
            headers={"Content-Type": FORM},
        )
        _check(reply, self.update_url, "update")
        return reply

    def put_graph(self, graph: str, ntriples: bytes, timeout: float, replace: bool = True) -> None:
        """Graph Store Protocol: replace (PUT) or add to (POST) ``graph``."""
        if self.graph_store_url is None:
            raise EngineUnreachable("no Graph Store Protocol endpoint was given (--into)")
        reply = self._send(
            "PUT" if replace else "POST",
            self.graph_store_url,
            timeout,
            params=[("graph", graph)],
            body=ntriples,
            headers={"Content-Type": UPLOAD_TYPE},
        )
        _check(reply, self.graph_store_url, f"{'PUT' if replace else 'POST'} of <{graph}>")

    def delete_graph(self, graph: str, timeout: float) -> None:
        if self.graph_store_url is None:
            raise EngineUnreachable("no Graph Store Protocol endpoint was given (--into)")
        reply = self._send("DELETE", self.graph_store_url, timeout, params=[("graph", graph)])
        if reply.status != 404:
            _check(reply, self.graph_store_url, f"DELETE of <{graph}>")


def _check(reply: Reply, url: str, what: str) -> None:
    if reply.status >= 400:
        raise EngineUnreachable(f"{url}: the {what} failed with {reply.status}: {reply.text[:500]}")
