"""Mixed browsing of the built-in graph, and cheap queries beside one that runs into its timeout.

Run (from the repository root, after `pip install -e '.[dev,bench]'` and Debian's `wrk`):
    .venv/bin/python benchmarks/mixed_browsing.py
    .venv/bin/python benchmarks/mixed_browsing.py --duration 2 --output /tmp/smoke   # a short run

It builds the built-in graph (`carekg build --store DIR`) and serves it as users run it
(`carekg serve --store DIR`: gunicorn, its default workers and query pool), on 127.0.0.1, then:

1. Mixed browsing. A breadth-first crawl from the landing page collects the site's URLs (HTML links,
   same origin), sorted into kinds; the request list takes them in fixed shares (below, MIX), each with
   the Accept header a browser or a linked-data client sends, plus every example query as a GET of
   /sparql (a researcher re-running the examples; the same texts each time, as browsing would).
   `wrk --latency` with many connections cycles through the list (benchmarks/wrk_requests.lua).
2. Cheap queries beside a timeout. A second server with a short --timeout; one client sends a query
   that can only end at that timeout (a count over a three-way cross product), again and again, while
   wrk sends the cheap query of benchmarks/queries (uncached: a new comment each request) from a few
   connections. The same wrk run without the long query is the baseline (after a 2 s warm-up run).

Issue 7's targets: mixed browsing ≥ 1,000 req/s with 32 clients and no error; the cheap queries' p99
under 50 ms while the long query runs. The script prints the figures and writes markdown and JSON to
benchmarks/results/mixed-browsing.*, with the machine, versions and the command. Every server it
starts is stopped by its PID.
"""

import argparse
import http.client
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import measure
import peers
from serve_peers import machine, versions

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
EXAMPLE_QUERIES = ROOT / "server" / "queries"
REQUESTS_SCRIPT = HERE / "wrk_requests.lua"
HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
TURTLE = "text/turtle"
# Shares of the request list by kind (of 100). Pages dominate browsing; linked-data clients ask for
# RDF; a few dumps, dataset descriptions and example queries.
MIX = {"page": 55, "rdf": 15, "dump": 5, "description": 5, "query": 20}
DESCRIPTION_PATHS = ("/.well-known/void", "/sparql")  # VoID and the service description
LONG_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "link"):
            href = dict(attrs).get("href")
            if href:
                self.found.append(href)


def get(
    host: str, port: int, path: str, accept: str, timeout: float = 30
) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def kind_of(path: str) -> str | None:
    """The kind a crawled path is requested as; None: not part of the mix."""
    if path.startswith("/download/"):
        return "dump"
    if path.startswith(("/sparql", "/ui", "/static", "/metrics", "/health")):
        return None
    return "page"


def crawl(host: str, port: int, limit: int) -> dict[str, list[str]]:
    """Same-origin paths reachable from "/" by HTML links (at most ``limit`` fetched), by kind."""
    seen = {"/"}
    queue = ["/"]
    kinds: dict[str, list[str]] = {kind: [] for kind in MIX}
    fetched = 0
    while queue and fetched < limit:
        path = queue.pop(0)
        status, content_type, body = get(host, port, path, HTML)
        fetched += 1
        if status not in (200, 303):  # 303: a thing's IRI redirects to its page (linked data)
            raise SystemExit(f"crawl: GET {path} answered {status}")
        kind = kind_of(path)
        if kind is not None:
            kinds[kind].append(path)
            # The pages that have an RDF representation (the query list, the UI have none: 406).
            if kind == "page" and get(host, port, path, TURTLE)[0] in (200, 303):
                kinds["rdf"].append(path)
        if not content_type.startswith("text/html"):
            continue
        parser = Links()
        parser.feed(body.decode("utf-8", errors="replace"))
        for href in parser.found:
            url = urllib.parse.urlsplit(urllib.parse.urljoin(f"http://{host}:{port}{path}", href))
            if url.netloc != f"{host}:{port}" or url.query:
                continue
            if url.path not in seen and kind_of(url.path) is not None:
                seen.add(url.path)
                queue.append(url.path)
    kinds["description"] = list(DESCRIPTION_PATHS)
    kinds["query"] = [
        "/sparql?" + urllib.parse.urlencode({"query": path.read_text(encoding="utf-8")})
        for path in sorted(EXAMPLE_QUERIES.glob("*.rq"))
    ]
    return kinds


def request_list(kinds: dict[str, list[str]], seed: int) -> list[tuple[str, str]]:
    """Ten requests per path of the longest kind, in MIX's shares, shuffled reproducibly."""
    accept = {
        "page": HTML,
        "rdf": TURTLE,
        "dump": "*/*",
        "description": TURTLE,
        "query": measure.SELECT_ACCEPT,
    }
    rounds = max(len(paths) for paths in kinds.values() if paths)
    requests: list[tuple[str, str]] = []
    for kind, share in MIX.items():
        paths = kinds[kind]
        if not paths:
            raise SystemExit(f"crawl found no {kind} URL")
        requests += [(paths[i % len(paths)], accept[kind]) for i in range(share * rounds // 10)]
    random.Random(seed).shuffle(requests)
    return requests


def wrk(
    script: list[str], url: str, duration: int, threads: int, connections: int
) -> dict[str, Any]:
    """wrk's figures; ``script``: the Lua script's path, then its arguments."""
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    argv += ["--latency", "-s", script[0], url, "--", *script[1:]]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60, check=False)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed: {done.stderr[-500:]}")
    return measure.parse_wrk(done.stdout).as_json()


@contextmanager
def serving(store: Path, work: Path, name: str, extra: list[str]) -> Iterator[peers.Server]:
    port = peers.free_port()
    argv = [peers.venv_tool("carekg"), "serve", "--store", str(store), "--host", peers.HOST]
    argv += ["--port", str(port), *extra]
    server = peers.Server(name, argv, f"http://{peers.HOST}:{port}", work / f"{name}.log")
    server.start()
    try:
        started = server.wait_ready(lambda: _healthy(port), 120)
        print(f"  {name}: answering after {started:.2f} s", flush=True)
        yield server
    finally:
        server.stop()


def _healthy(port: int) -> bool:
    try:
        return get(peers.HOST, port, "/health", "application/json", timeout=2)[0] == 200
    except OSError:
        return False


@dataclass
class LongQueries:
    """One client sending LONG_QUERY again and again until stopped; what it was answered."""

    port: int
    statuses: list[int]
    stop: threading.Event

    def run(self) -> None:
        body = urllib.parse.urlencode({"query": LONG_QUERY})
        while not self.stop.is_set():
            connection = http.client.HTTPConnection(peers.HOST, self.port, timeout=120)
            try:
                connection.request(
                    "POST",
                    "/sparql",
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": measure.SELECT_ACCEPT,
                    },
                )
                response = connection.getresponse()
                response.read()
                self.statuses.append(response.status)
            finally:
                connection.close()


def beside_timeout(
    store: Path, work: Path, args: argparse.Namespace, cheap: measure.Query
) -> dict[str, Any]:
    extra = ["--timeout", str(args.query_timeout)]
    cheap_script = [str(measure.WRK_SCRIPT), str(cheap.path), "uncached", cheap.accept]
    with serving(store, work, "carekg-timeout", extra) as server:
        url = f"{server.url}/sparql"
        # Warm: each worker opens the build and the pool's processes their store on first use.
        wrk(cheap_script, url, 2, 1, args.cheap_clients)
        baseline = wrk(cheap_script, url, args.duration, 1, args.cheap_clients)
        long = LongQueries(int(server.url.rsplit(":", 1)[1]), [], threading.Event())
        runner = threading.Thread(target=long.run, daemon=True)
        runner.start()
        time.sleep(1)  # the long query is running before the measurement starts
        beside = wrk(cheap_script, url, args.duration, 1, args.cheap_clients)
        long.stop.set()
        runner.join(timeout=args.query_timeout + 30)
        if not server.alive():
            raise SystemExit(f"the server died:\n{server.log_tail()}")
    return {
        "query_timeout_s": args.query_timeout,
        "cheap_clients": args.cheap_clients,
        "baseline": baseline,
        "beside_long_query": beside,
        "long_query_statuses": long.statuses,
    }


def mixed(store: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    with serving(store, work, "carekg", []) as server:
        port = int(server.url.rsplit(":", 1)[1])
        kinds = crawl(peers.HOST, port, args.crawl_limit)
        requests = request_list(kinds, args.seed)
        listing = work / "requests.tsv"
        listing.write_text("".join(f"{path}\t{accept}\n" for path, accept in requests), "utf-8")
        warm = wrk([str(REQUESTS_SCRIPT), str(listing)], server.url, 2, 2, args.connections)
        result = wrk(
            [str(REQUESTS_SCRIPT), str(listing)],
            server.url,
            args.duration,
            args.threads,
            args.connections,
        )
        pss = server.pss_mb()
    return {
        "connections": args.connections,
        "threads": args.threads,
        "distinct_paths": {kind: len(set(paths)) for kind, paths in kinds.items()},
        "mix_percent": MIX,
        "requests_in_list": len(requests),
        "warm_up": warm,
        "measured": result,
        "pss_mb_after": round(pss, 1),
    }


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def markdown(report: dict[str, Any]) -> str:
    m = report["mixed"]["measured"]
    t = report["timeout"]
    b, s = t["baseline"], t["beside_long_query"]
    statuses = t["long_query_statuses"]
    lines = [
        "# carekg: mixed browsing, and cheap queries beside a query running into its timeout",
        "",
        f"- when: {report['when']} (UTC)",
        f"- command: `{report['command']}`",
        f"- machine: {json.dumps(report['machine'])}",
        f"- versions: {json.dumps(report['versions'])}",
        "- server: `carekg serve --store DIR` over the built-in graph (`carekg build --store DIR`),"
        " its defaults (gunicorn workers, a query pool of one process per core)",
        "",
        "## Mixed browsing",
        "",
        f"Shares of the request list (percent): {json.dumps(report['mixed']['mix_percent'])}; "
        f"distinct paths by kind: {json.dumps(report['mixed']['distinct_paths'])}; "
        f"wrk -t{report['mixed']['threads']} -c{report['mixed']['connections']} "
        f"-d{report['duration_s']}s after a 2 s warm-up.",
        "",
        "| requests/s | requests | p50 ms | p90 ms | p99 ms | non-2xx/3xx | socket errors | PSS MB after |",
        "|---|---|---|---|---|---|---|---|",
        f"| {fmt(m['requests_per_s'])} | {m['requests']:,} | {fmt(m['p50_ms'], 2)} | "
        f"{fmt(m['p90_ms'], 2)} | {fmt(m['p99_ms'], 2)} | {m['non_2xx']} | {m['socket_errors']} | "
        f"{fmt(report['mixed']['pss_mb_after'])} |",
        "",
        "Target (issue 7): ≥ 1,000 requests/s with no error.",
        "",
        "## Cheap queries beside a query running into its timeout",
        "",
        f"`carekg serve --timeout {t['query_timeout_s']}`; wrk -t1 -c{t['cheap_clients']} "
        f"-d{report['duration_s']}s, the cheap query uncached; beside: one client sends "
        f"`{LONG_QUERY}` in a loop (answers: {', '.join(str(x) for x in sorted(set(statuses)))}; "
        f"{len(statuses)} sent).",
        "",
        "| cheap queries | requests/s | p50 ms | p90 ms | p99 ms | non-2xx/3xx | socket errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for title, row in (("alone", b), ("beside the long query", s)):
        lines.append(
            f"| {title} | {fmt(row['requests_per_s'])} | {fmt(row['p50_ms'], 2)} | "
            f"{fmt(row['p90_ms'], 2)} | {fmt(row['p99_ms'], 2)} | {row['non_2xx']} | "
            f"{row['socket_errors']} |"
        )
    lines += ["", "Target (issue 7): p99 under 50 ms beside the long query.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--cheap-clients", type=int, default=4)
    parser.add_argument("--query-timeout", type=float, default=3.0)
    parser.add_argument("--crawl-limit", type=int, default=600, help="pages fetched by the crawl")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=RESULTS / "mixed-browsing")
    args = parser.parse_args(argv)
    cheap = next(q for q in measure.load_queries(HERE / "queries") if q.name.startswith("0-"))
    report: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "command": shlex.join(["python", "benchmarks/mixed_browsing.py", *(argv or sys.argv[1:])]),
        "machine": machine(),
        "versions": versions(),
        "duration_s": args.duration,
    }
    with tempfile.TemporaryDirectory(prefix="carekg-mixed-") as folder:
        work = Path(folder)
        store = work / "store"
        carekg = peers.venv_tool("carekg")
        subprocess.run([carekg, "build", "--store", str(store)], check=True, capture_output=True)
        print("mixed browsing", flush=True)
        report["mixed"] = mixed(store, work, args)
        print("cheap queries beside a timeout", flush=True)
        report["timeout"] = beside_timeout(store, work, args, cheap)
    report["machine"]["load_average_at_end"] = os.getloadavg()
    text = markdown(report)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.with_suffix(".md").write_text(text, encoding="utf-8")
    args.output.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
