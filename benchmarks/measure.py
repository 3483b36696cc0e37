"""What benchmarks/serve_peers.py measures: serial latency (a keep-alive client, or pyoxigraph in process)
and throughput under wrk. Every loop is bounded in requests and in seconds."""

import http.client
import json
import math
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pyoxigraph as ox

WRK_SCRIPT = Path(__file__).with_name("wrk_sparql.lua")
SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"
FORM = "application/x-www-form-urlencoded"
# Virtuoso echoes each default-graph-uri / named-graph-uri back as a response header of its own; http.client
# refuses more than 100 headers unless this module-wide limit is raised.
http.client._MAXHEADERS = 1_000_000  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Query:
    name: str  # the file's stem
    path: Path
    text: str
    construct: bool

    @property
    def accept(self) -> str:
        return GRAPH_ACCEPT if self.construct else SELECT_ACCEPT


def load_queries(folder: Path) -> list[Query]:
    queries = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        construct = re.search(r"\bCONSTRUCT\b", body, re.IGNORECASE) is not None
        queries.append(Query(path.stem, path, text, construct))
    return queries


def uncached(text: str, tag: str) -> str:
    """The query with a trailing comment: a new text for every result cache, the same query."""
    return f"{text.rstrip()}\n# {tag}\n"


def count_answers(body: bytes, construct: bool) -> int:
    """Rows of a JSON result, or triples of an N-Triples graph."""
    if construct:
        return sum(
            1
            for line in body.decode("utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        )
    bindings: list[Any] = json.loads(body)["results"]["bindings"]
    return len(bindings)


Answer = tuple[int, bytes]  # HTTP status (200 for an in-process answer) and body
Runner = Callable[[str, Query], Answer]


@dataclass(frozen=True)
class Encoding:
    """How a query is POSTed: as application/sparql-query (``form`` False), or as a form whose fields are
    the dataset's ``default-graph-uri``s, then ``query`` (Virtuoso 7.2 answers no application/sparql-query
    POST). ``query`` comes last so that wrk can append a comment to it already encoded."""

    form: bool = False
    default_graphs: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return FORM if self.form else "application/sparql-query"

    def form_prefix(self) -> str:
        """The form up to the query's encoded text."""
        fields = urlencode([("default-graph-uri", g) for g in self.default_graphs])
        return f"{fields}&query=" if fields else "query="

    def body(self, text: str) -> bytes:
        if not self.form:
            return text.encode("utf-8")
        return (self.form_prefix() + quote(text, safe="")).encode("ascii")


DIRECT = Encoding()


class HttpSparql:
    """A keep-alive HTTP client that POSTs queries (application/sparql-query unless ``encoding`` says)."""

    def __init__(self, url: str, timeout: float, encoding: Encoding = DIRECT):
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.path = parts.path or "/"
        self.timeout = timeout
        self.encoding = encoding
        self.connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def __call__(self, text: str, query: Query) -> Answer:
        headers = {"Content-Type": self.encoding.content_type, "Accept": query.accept}
        body = self.encoding.body(text)
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request("POST", self.path, body=body, headers=headers)
                response = connection.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed a kept-alive connection: one new connection, then give up.
                self.close()
                if attempt == 2:
                    raise
            except (OSError, http.client.HTTPException):
                self.close()
                raise
        raise AssertionError("unreachable")


def in_process(store: ox.Store) -> Runner:
    """pyoxigraph called in this process: evaluate and serialize the whole answer, as a server must."""

    def run(text: str, query: Query) -> Answer:
        results = store.query(text, use_default_graph_as_union=True)
        if isinstance(results, ox.QueryTriples):
            return 200, results.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
        if isinstance(results, ox.QuerySolutions):
            return 200, results.serialize(format=ox.QueryResultsFormat.JSON) or b""
        return 200, json.dumps({"boolean": bool(results)}).encode()

    return run


def probe(run: Runner, cheap: Query, counter: list[int]) -> Callable[[], bool]:
    """A start-up probe: True once the cheap query is answered 200 (each probe a new text)."""

    def answered() -> bool:
        counter[0] += 1
        try:
            status, _ = run(uncached(cheap.text, f"probe {counter[0]}"), cheap)
        except OSError:
            return False
        return status == 200

    return answered


@dataclass
class Serial:
    requests: int
    errors: int
    median_ms: float | None
    p90_ms: float | None
    answers: int | None  # rows or triples of the first answer
    first_error: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = max(0, min(len(sorted_values) - 1, math.ceil(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def serial(run: Runner, query: Query, tag: str, count: int, budget_s: float) -> Serial:
    """Up to ``count`` uncached requests one after another, stopping once ``budget_s`` is spent."""
    times: list[float] = []
    errors = 0
    answers: int | None = None
    first_error = ""
    started = time.perf_counter()
    for n in range(count):
        if n and time.perf_counter() - started > budget_s:
            break
        text = uncached(query.text, f"{tag} {n}")
        before = time.perf_counter()
        try:
            status, body = run(text, query)
        except Exception as exc:  # a failed request is counted and reported
            errors += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"
            if isinstance(exc, TimeoutError):
                break  # the server is still busy with it: do not queue more
            continue
        elapsed = time.perf_counter() - before
        if status != 200:
            errors += 1
            first_error = first_error or f"HTTP {status}: {body[:200]!r}"
            continue
        times.append(elapsed * 1000)
        if answers is None:
            try:
                answers = count_answers(body, query.construct)
            except (ValueError, KeyError) as exc:
                first_error = first_error or f"unreadable answer: {exc}"
    times.sort()
    return Serial(
        requests=len(times) + errors,
        errors=errors,
        median_ms=statistics.median(times) if times else None,
        p90_ms=percentile(times, 0.9) if times else None,
        answers=answers,
        first_error=first_error,
    )


@dataclass
class Throughput:
    requests_per_s: float | None
    requests: int
    non_2xx: int
    socket_errors: int
    p50_ms: float | None
    p99_ms: float | None
    skipped: str = ""
    p90_ms: float | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _latency_ms(output: str, percent: str) -> float | None:
    match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    return float(match.group(1)) * _UNITS_MS[match.group(2)] if match else None


def parse_wrk(output: str) -> Throughput:
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Throughput(
        requests_per_s=float(rate.group(1)) if rate else None,
        requests=int(total.group(1)) if total else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        p50_ms=_latency_ms(output, "50"),
        p99_ms=_latency_ms(output, "99"),
        p90_ms=_latency_ms(output, "90"),
    )


def wrk_command(
    url: str,
    query: Query,
    mode: str,
    duration_s: int,
    threads: int,
    connections: int,
    timeout_s: int,
    form_prefix: Path | None = None,
) -> list[str]:
    """wrk's command; ``form_prefix``: a file holding :meth:`Encoding.form_prefix` (a form POST)."""
    return [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration_s}s",
        "--timeout",
        f"{timeout_s}s",
        "--latency",
        "-s",
        str(WRK_SCRIPT),
        url,
        "--",
        str(query.path),
        mode,
        query.accept,
        *([str(form_prefix)] if form_prefix else []),
    ]


def throughput(
    url: str,
    query: Query,
    mode: str,
    duration_s: int,
    threads: int,
    connections: int,
    timeout_s: int,
    encoding: Encoding = DIRECT,
) -> Throughput:
    with tempfile.TemporaryDirectory(prefix="carekg-wrk-") as folder:
        prefix = None
        if encoding.form:
            prefix = Path(folder) / "form-prefix.txt"
            prefix.write_text(encoding.form_prefix(), encoding="ascii")
        argv = wrk_command(url, query, mode, duration_s, threads, connections, timeout_s, prefix)
        try:
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=duration_s + timeout_s + 30,
                check=False,
            )
        except subprocess.TimeoutExpired:
            done = None
    if done is None:
        return Throughput(None, 0, 0, 0, None, None, skipped="wrk did not end in time")
    if done.returncode != 0:
        return Throughput(None, 0, 0, 0, None, None, skipped=f"wrk failed: {done.stderr[-300:]}")
    return parse_wrk(done.stdout)


def drain(run: Runner, cheap: Query, timeout_s: float, alive: Callable[[], bool]) -> bool:
    """Wait until the server answers a cheap query again (it may still be busy with queued requests)."""
    deadline = time.perf_counter() + timeout_s
    n = 0
    while time.perf_counter() < deadline and alive():
        n += 1
        try:
            status, _ = run(uncached(cheap.text, f"drain {n}"), cheap)
            if status == 200:
                return True
        except OSError:
            time.sleep(0.2)
    return False
