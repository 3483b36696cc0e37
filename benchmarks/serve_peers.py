"""carekg against its peers, on the same synthetic data and the same queries, in one interleaved run.

Run (from the repository root, after `pip install -e '.[dev,bench]'` and Debian's `wrk`):
    .venv/bin/python benchmarks/serve_peers.py                 # 100k and 1M triples
    .venv/bin/python benchmarks/serve_peers.py --sizes 10k     # a smoke run (shorter runs; CI)
    .venv/bin/python benchmarks/serve_peers.py --peers oxigraph,carekg,virtuoso,carekg-virtuoso

Peers, all on 127.0.0.1, all answering the queries with the union of the named graphs as default graph:
  pyoxigraph   pyoxigraph called in this process on an on-disk store (bulk-loaded by pyoxigraph): the floor
  oxigraph     Oxigraph's own server, `oxigraph serve-read-only` on a store built by `oxigraph load`
  rdflib       rdflib-endpoint's `rdflib-endpoint serve FILE` (rdflib memory store, uvicorn, 1 process)
  carekg       `carekg serve --data FILE` (--carekg-mode data), or `carekg build --store DIR FILE` then
               `carekg serve --store DIR` (--carekg-mode store); see peers.carekg_commands
  virtuoso     Virtuoso's own /sparql (a private virtuoso-t, benchmarks/virtuoso_peer.py), loaded by its bulk
               loader under the data's own graph names and, every triple once more, into one union graph;
               every query pins the dataset as carekg over Virtuoso does: default-graph-uri that union
               graph (POST form). (Until 2026-12-02 carekg listed every graph, and a peer
               `virtuoso-unpinned` showed what that cost: see results/serve-peers-100k.md.)
  carekg-virtuoso  `carekg build FILE --into GSP --query-endpoint URL --store DIR` into a private Virtuoso
               of its own, then `carekg serve --backend sparql` over that Virtuoso's anonymous /sparql

For each size it writes the corpus (benchmarks/synthetic_corpus.py), builds and starts every peer one at a
time (build time; start-up time until the first answer), then for each query of benchmarks/queries/*.rq in
turn, and the peers in a rotating order: serial latency over one keep-alive connection (uncached: each
request's text ends in a new comment), then throughput with wrk (POST application/sparql-query, the comment
varied by benchmarks/wrk_sparql.lua), and for the cheap query also with one repeated text (cached).
Memory is the PSS of each server's whole process tree (/proc/<pid>/smaps_rollup). The answers' sizes are
compared with pyoxigraph's. Results: a table on standard output, and markdown + JSON in benchmarks/results/.
Every server the script starts is stopped by its PID when it ends, also on Ctrl-C or SIGTERM. Where Virtuoso
is not installed, its peers are skipped with the reason (the smoke run too).
"""

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

import measure
import peers
import pyoxigraph as ox
import synthetic_corpus
import virtuoso_peer

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries"
RESULTS = HERE / "results"
PEERS = (
    "pyoxigraph",
    "oxigraph",
    "rdflib",
    "carekg",
    "virtuoso",
    "carekg-virtuoso",
)
TITLES = {
    "pyoxigraph": "pyoxigraph in process",
    "oxigraph": "Oxigraph server",
    "rdflib": "rdflib-endpoint",
    "carekg": "carekg",
    "virtuoso": "Virtuoso /sparql",
    "carekg-virtuoso": "carekg over Virtuoso",
}
HTTP_PEERS = ("oxigraph", "rdflib", "carekg", "virtuoso", "carekg-virtuoso")
VIRTUOSO_PEERS = ("virtuoso", "carekg-virtuoso")
# The ratio columns: carekg against each peer it is an alternative to, carekg over Virtuoso against the
# same Virtuoso asked the same dataset directly (what carekg adds: its HTTP hop, renaming, checks).
RATIOS = (
    ("carekg", "pyoxigraph"),
    ("carekg", "oxigraph"),
    ("carekg", "rdflib"),
    ("carekg-virtuoso", "virtuoso"),
)
SMOKE_MAX_TRIPLES = 10_000
# A query whose serial median is above this is not run under wrk: 8 connections would queue minutes of work.
WRK_MAX_SERIAL_MS = 5_000.0
VERSIONS_OF = (
    "carekg",
    "pyoxigraph",
    "oxigraph",
    "rdflib",
    "rdflib-endpoint",
    "fastapi",
    "uvicorn",
    "flask",
    "gunicorn",
    "pyshacl",
    "oxrdflib",
)


class Stopped(BaseException):  # not an Exception: no handler of failed requests may swallow it
    """SIGINT (Ctrl-C), SIGTERM or SIGHUP: end, stopping every server."""


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


# ---------------------------------------------------------------- one size


@dataclass
class PeerRun:
    name: str
    build_s: float | None = None
    start_s: float | None = None
    pss_start_mb: float | None = None
    pss_max_mb: float | None = None
    serial: dict[str, measure.Serial] = field(default_factory=dict)
    wrk: dict[str, measure.Throughput] = field(default_factory=dict)
    runner: measure.Runner | None = None
    server: peers.Served | None = None
    encoding: measure.Encoding = measure.DIRECT
    note: str = ""
    failed: str = ""  # why it could not be built or started (its row is then empty)

    def as_json(self) -> dict[str, Any]:
        return {
            "build_s": self.build_s,
            "start_s": self.start_s,
            "pss_start_mb": self.pss_start_mb,
            "pss_max_mb": self.pss_max_mb,
            "serial": {k: v.as_json() for k, v in self.serial.items()},
            "wrk": {k: v.as_json() for k, v in self.wrk.items()},
            "command": self.server.argv if self.server else None,
            "note": self.note,
            "failed": self.failed,
        }


@dataclass
class Settings:
    sizes: list[int]
    seed: int
    carekg_mode: str
    duration_s: int
    threads: int
    connections: int
    serial_count: int
    serial_budget_s: float
    request_timeout_s: float
    start_timeout_s: float
    peers: tuple[str, ...]
    smoke: bool


def size_name(triples: int) -> str:
    if triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    if triples % 1_000 == 0:
        return f"{triples // 1_000}k"
    return str(triples)


def build_floor_store(data: Path, location: Path, log: Path, timeout: float) -> float:
    """pyoxigraph's bulk load of the corpus into an on-disk store, in a child process (timed)."""
    code = (
        "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
        "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); s.flush()"
    )
    return peers.run_timed([sys.executable, "-c", code, str(location), str(data)], log, timeout)


def start_http_peer(
    run: PeerRun,
    server: peers.Server,
    cheap: measure.Query,
    settings: Settings,
) -> None:
    run.server = server
    client = measure.HttpSparql(server.url, timeout=5.0)
    server.start()
    run.start_s = server.wait_ready(measure.probe(client, cheap, [0]), settings.start_timeout_s)
    client.close()
    run.runner = measure.HttpSparql(server.url, timeout=settings.request_timeout_s)
    run.pss_start_mb = run.pss_max_mb = server.pss_mb()
    print(f"  {TITLES[run.name]}: answering after {run.start_s:.2f} s", file=sys.stderr)


def http_server(name: str, argv: list[str], url: str, work: Path) -> peers.Server:
    return peers.Server(name, argv, url, work / f"{name}.log")


def prepare_peers(
    settings: Settings, data: Path, work: Path, cheap: measure.Query, runs: dict[str, PeerRun]
) -> None:
    """Build and start each peer in turn (so that their start-ups do not compete)."""
    timeout = settings.start_timeout_s
    if "pyoxigraph" in settings.peers:
        run = runs["pyoxigraph"] = PeerRun("pyoxigraph")
        location = work / "pyoxigraph-store"
        run.build_s = build_floor_store(data, location, work / "pyoxigraph-build.log", timeout)
        started = time.perf_counter()
        store = ox.Store.read_only(str(location))
        run.runner = measure.in_process(store)
        run.runner(cheap.text, cheap)
        run.start_s = time.perf_counter() - started
        run.note = "in this process: no server, no memory of its own measured"
        print(
            f"  pyoxigraph: built in {run.build_s:.2f} s, opened in {run.start_s:.3f} s",
            file=sys.stderr,
        )
    if "oxigraph" in settings.peers:
        run = runs["oxigraph"] = PeerRun("oxigraph")
        port = peers.free_port()
        load, serve = peers.oxigraph_commands(data, work / "oxigraph-store", port)
        run.build_s = peers.run_timed(load, work / "oxigraph-build.log", timeout)
        url = f"http://{peers.HOST}:{port}/query"
        start_http_peer(run, http_server(run.name, serve, url, work), cheap, settings)
    if "rdflib" in settings.peers:
        run = runs["rdflib"] = PeerRun("rdflib")
        port = peers.free_port()
        argv = peers.rdflib_endpoint_command(data, port)
        url = f"http://{peers.HOST}:{port}/"
        start_http_peer(run, http_server(run.name, argv, url, work), cheap, settings)
        run.note = "parses the file at start-up: start-up includes the load"
    if "carekg" in settings.peers:
        run = runs["carekg"] = PeerRun("carekg")
        port = peers.free_port()
        build, serve = peers.carekg_commands(
            settings.carekg_mode, data, work / "carekg-store", port
        )
        if build is not None:
            run.build_s = peers.run_timed(build, work / "carekg-build.log", timeout)
        else:
            run.note = "carekg serve --data parses the file at start-up: start-up includes the load"
        url = f"http://{peers.HOST}:{port}/sparql"
        start_http_peer(run, http_server(run.name, serve, url, work), cheap, settings)


def prepare_virtuoso_peers(
    settings: Settings,
    triples: int,
    data: Path,
    work: Path,
    cheap: measure.Query,
    runs: dict[str, PeerRun],
    engines: contextlib.ExitStack,
) -> None:
    """Virtuoso's own /sparql and carekg over a Virtuoso of its own.

    A peer that cannot be loaded or started is marked failed and the others run on: the run ends with
    an error once its results are written."""
    own: list[str] = [p for p in ("virtuoso",) if p in settings.peers]
    groups: list[tuple[list[str], Callable[..., None]]] = [
        (own, prepare_virtuoso),
        (["carekg-virtuoso"], prepare_carekg_virtuoso),
    ]
    for names, prepare in groups:
        if not set(names) & set(settings.peers):
            continue
        try:
            prepare(settings, triples, data, work, cheap, runs, engines, names)
        except (SystemExit, Exception) as exc:  # recorded; the run fails at its end
            reason = f"{type(exc).__name__}: {exc}".strip()
            for name in names:
                runs.setdefault(name, PeerRun(name)).failed = reason
            print(f"  {', '.join(names)}: failed: {reason}", file=sys.stderr)


def prepare_virtuoso(
    settings: Settings,
    triples: int,
    data: Path,
    work: Path,
    cheap: measure.Query,
    runs: dict[str, PeerRun],
    engines: contextlib.ExitStack,
    own: list[str],
) -> None:
    """Virtuoso's own /sparql, bulk-loaded (``own``: ["virtuoso"])."""
    timeout = settings.start_timeout_s
    own_settings = virtuoso_peer.settings_for(triples, settings.request_timeout_s)
    engine = virtuoso_peer.Engine(engines, work / "virtuoso", own_settings)
    build_s = engine.bulk_load(data, union_graph=virtuoso_peer.UNION_GRAPH)
    loaded = engine.pages()
    graphs = virtuoso_peer.corpus_graphs(data)
    server = virtuoso_peer.EngineServer(
        "virtuoso", engine, engine.argv, engine.running.query_endpoint
    )
    for name in own:
        run = runs[name] = PeerRun(name, build_s=build_s, server=server)
        run.encoding = measure.Encoding(form=True, default_graphs=(virtuoso_peer.UNION_GRAPH,))
        run.runner = measure.HttpSparql(server.url, settings.request_timeout_s, run.encoding)
    first = runs[own[0]]
    assert first.runner is not None
    first.start_s = server.restart_until(measure.probe(first.runner, cheap, [0]), timeout)
    for name in own:
        run = runs[name]
        run.start_s = first.start_s
        run.pss_start_mb = run.pss_max_mb = server.pss_mb()
        run.note = f"loaded by Virtuoso's bulk loader: {loaded}. {engine.describe()}."
    if "virtuoso" in runs:
        runs["virtuoso"].note += (
            " Each query pinned as carekg over Virtuoso pins it: the default graph one graph "
            f"holding the triples of the data's {len(graphs)} graphs (loaded with them), no "
            "named graphs (no query has GRAPH)."
        )
    engines.callback(note_engine_pages, first, engine)
    print(
        f"  Virtuoso: bulk-loaded in {build_s:.2f} s ({loaded}), answering "
        f"{first.start_s:.2f} s after a restart",
        file=sys.stderr,
    )


def prepare_carekg_virtuoso(
    settings: Settings,
    triples: int,
    data: Path,
    work: Path,
    cheap: measure.Query,
    runs: dict[str, PeerRun],
    engines: contextlib.ExitStack,
    _names: list[str],
) -> None:
    """carekg built into a Virtuoso of its own, then served over it."""
    timeout = settings.start_timeout_s
    run = runs["carekg-virtuoso"] = PeerRun("carekg-virtuoso")
    # The engine's own limit is carekg's timeout (the README's advice): a query carekg gave up on
    # does not run on there, sharing the CPU with the next measurement.
    carekg_engine = virtuoso_peer.settings_for(triples, peers.CAREKG_TIMEOUT_S)
    engine = virtuoso_peer.Engine(engines, work / "carekg-virtuoso-engine", carekg_engine)
    port = peers.free_port()
    build, build_env, serve, serve_env = peers.carekg_engine_commands(
        data, work / "carekg-virtuoso-store", engine.endpoints(), port
    )
    run.build_s = peers.run_timed(build, work / "carekg-virtuoso-build.log", timeout, build_env)
    loaded = engine.pages()
    engine.stop()
    restarted = time.perf_counter()
    engine.start_again()
    restart_s = time.perf_counter() - restarted
    carekg = peers.Server(
        run.name,
        serve,
        f"http://{peers.HOST}:{port}/sparql",
        work / f"{run.name}.log",
        env=serve_env,
        engine_pid=engine.running.pid,
    )
    start_http_peer(run, carekg, cheap, settings)
    loaded_graphs = re.search(
        r"(\d+) graphs loaded into", (work / "carekg-virtuoso-build.log").read_text()
    )
    run.note = (
        f"carekg sends each query with its build's union graph as the default graph (named "
        f"graphs, {loaded_graphs.group(1) if loaded_graphs else '?'} loaded, only with GRAPH). "
        f"Build = carekg build into its own Virtuoso ({loaded}), which was then restarted "
        f"({restart_s:.2f} s until it answered, not in the start-up: carekg serve's alone). "
        f"Memory: carekg's process tree and virtuoso-t. {engine.describe()}."
    )
    engines.callback(note_engine_pages, run, engine)


def note_engine_pages(run: PeerRun, engine: virtuoso_peer.Engine) -> None:
    """At the end of a size, before its engine stops: how full the buffer pool became."""
    with contextlib.suppress(Exception):
        run.note += f" At the end: {engine.pages()}."


def measure_queries(
    settings: Settings, queries: list[measure.Query], runs: dict[str, PeerRun]
) -> None:
    names = [name for name in PEERS if name in runs and not runs[name].failed]
    cheap = queries[0]
    for index, query in enumerate(queries):
        order = names[index % len(names) :] + names[: index % len(names)]
        for name in order:
            run = runs[name]
            assert run.runner is not None
            if run.server is not None and not run.server.alive():
                if "exited" not in run.note:
                    run.note += f" exited before {query.name}:\n{run.server.log_tail(5)}"
                continue
            result = measure.serial(
                run.runner, query, f"serial {name}", settings.serial_count, settings.serial_budget_s
            )
            run.serial[query.name] = result
            print(
                f"  {query.name:<28} {name:<10} serial median "
                f"{fmt_ms(result.median_ms)} ms, {result.answers} answers"
                + (f", {result.errors} errors: {result.first_error}" if result.errors else ""),
                file=sys.stderr,
            )
            if run.server is None:
                continue
            if result.errors and not measure.drain(
                run.runner, cheap, settings.request_timeout_s, run.server.alive
            ):
                # A timed-out request may still be running there: the next peer must not share the CPU.
                run.note += f" no answer to a cheap query after the serial {query.name}."
                continue
            modes = ["uncached", "cached"] if query is cheap else ["uncached"]
            for mode in modes:
                key = query.name if mode == "uncached" else f"{query.name} (cached)"
                if result.median_ms is None or result.median_ms > WRK_MAX_SERIAL_MS:
                    run.wrk[key] = measure.Throughput(
                        None,
                        0,
                        0,
                        0,
                        None,
                        None,
                        skipped=f"serial median {fmt_ms(result.median_ms)} ms: not run under wrk",
                    )
                    continue
                if mode == "cached":
                    run.runner(query.text, query)  # the repeated text, answered once before
                wrk = measure.throughput(
                    run.server.url,
                    query,
                    mode,
                    settings.duration_s,
                    settings.threads,
                    settings.connections,
                    int(settings.request_timeout_s),
                    run.encoding,
                )
                run.wrk[key] = wrk
                if not measure.drain(
                    run.runner, cheap, settings.request_timeout_s, run.server.alive
                ):
                    run.note += f" no answer to a cheap query after wrk ({key})."
                    break
                run.pss_max_mb = max(run.pss_max_mb or 0.0, run.server.pss_mb())
                print(
                    f"  {key:<28} {name:<10} {fmt_rate(wrk.requests_per_s)} req/s"
                    + (f", {wrk.non_2xx} non-2xx" if wrk.non_2xx else "")
                    + (f", {wrk.socket_errors} socket errors" if wrk.socket_errors else ""),
                    file=sys.stderr,
                )


@contextmanager
def stopping(runs: dict[str, PeerRun]) -> Iterator[None]:
    try:
        yield
    finally:
        for run in runs.values():
            if isinstance(run.runner, measure.HttpSparql):
                run.runner.close()
            if run.server is not None:
                run.server.stop()


def run_size(
    settings: Settings, triples: int, queries: list[measure.Query], work: Path
) -> dict[str, Any]:
    name = size_name(triples)
    print(f"{name}: writing the corpus", file=sys.stderr)
    data = work / f"kg-{name}.nq"
    stats = synthetic_corpus.write_corpus_file(data, triples, settings.seed)
    runs: dict[str, PeerRun] = {}
    skipped: dict[str, str] = {}
    wanted_engines = [p for p in VIRTUOSO_PEERS if p in settings.peers]
    reason = virtuoso_peer.unavailable() if wanted_engines else None
    if reason:
        skipped = dict.fromkeys(wanted_engines, reason)
        print(f"  skipped {', '.join(wanted_engines)}: {reason}", file=sys.stderr)
    # The engines stop last: carekg over Virtuoso is stopped before the Virtuoso it reads.
    with contextlib.ExitStack() as engines, stopping(runs):
        prepare_peers(settings, data, work, queries[0], runs)
        if wanted_engines and not reason:
            prepare_virtuoso_peers(settings, stats.triples, data, work, queries[0], runs, engines)
        measure_queries(settings, queries, runs)
    for run in runs.values():
        if run.server is not None:
            run.server.argv = shown_command(run.server.argv, work)
    return {
        "size": name,
        "triples": stats.triples,
        "reports": stats.reports,
        "corpus_s": stats.seconds,
        "peers": {k: v.as_json() for k, v in runs.items()},
        "skipped": skipped,
        "queries": [q.name for q in queries],
    }


# ---------------------------------------------------------------- reporting


def shown_command(argv: list[str], work: Path) -> list[str]:
    """A command as reported: the repository's paths relative, the work folder as $WORK."""
    repo = str(HERE.parent) + os.sep
    return [
        a.removeprefix(repo) if a.startswith(repo) else a.replace(str(work), "$WORK") for a in argv
    ]


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def fmt_rate(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def fmt_s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def fmt_mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def ratio(mine: float | None, theirs: float | None) -> str:
    if mine is None or theirs is None or theirs == 0:
        return "-"
    value = mine / theirs
    return f"{value:.2f}x" if value < 100 else f"{value:.0f}x"


def ratio_pairs(present: list[str]) -> list[tuple[str, str]]:
    return [(mine, theirs) for mine, theirs in RATIOS if mine in present and theirs in present]


def ratio_title(mine: str, theirs: str) -> str:
    return f"{TITLES[mine]} ÷ {TITLES[theirs]}"


def markdown_size(size: dict[str, Any]) -> list[str]:
    present = [p for p in PEERS if p in size["peers"]]
    pairs = ratio_pairs(present)
    data: dict[str, dict[str, Any]] = size["peers"]
    header = ["", *(TITLES[p] for p in present), *(ratio_title(*pair) for pair in pairs)]

    def table(rows: list[list[str]]) -> list[str]:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return lines

    def row(label: str, values: dict[str, float | None], shown: Any) -> list[str]:
        return [
            label,
            *(shown(values.get(p)) for p in present),
            *(ratio(values.get(mine), values.get(theirs)) for mine, theirs in pairs),
        ]

    out = [
        f"## {size['size']}: {size['triples']:,} triples, {size['reports']} synthetic reports",
        "",
        *table(
            [
                row("build / load, s", {p: data[p]["build_s"] for p in present}, fmt_s),
                row(
                    "start-up until the first answer, s",
                    {p: data[p]["start_s"] for p in present},
                    fmt_s,
                ),
                row(
                    "memory after start-up, PSS MB (process tree)",
                    {p: data[p]["pss_start_mb"] for p in present},
                    fmt_mb,
                ),
                row(
                    "memory, largest PSS seen, MB",
                    {p: data[p]["pss_max_mb"] for p in present},
                    fmt_mb,
                ),
            ]
        ),
    ]
    out += [
        "",
        "Serial latency, uncached, one keep-alive connection: median ms (p90 ms); "
        "answers = rows or triples (≠ where they differ from pyoxigraph's)",
        "",
    ]
    rows = []
    for query in size["queries"]:
        serials = {p: data[p]["serial"].get(query, {}) for p in present}
        floor = serials.get("pyoxigraph", {}).get("answers")

        def shown(p: str, serials: dict[str, dict[str, Any]] = serials, floor: Any = floor) -> str:
            s = serials[p]
            text = f"{fmt_ms(s.get('median_ms'))} ({fmt_ms(s.get('p90_ms'))})"
            if s.get("errors"):
                text += f" {s['errors']} err"
            if floor is not None and s.get("answers") not in (None, floor):
                text += f" ≠{s['answers']}"
            return text

        medians = {p: serials[p].get("median_ms") for p in present}
        answers = (
            floor
            if floor is not None
            else next(
                (s.get("answers") for s in serials.values() if s.get("answers") is not None), None
            )
        )
        rows.append(
            [
                f"{query} ({answers} answers)",
                *(shown(p) for p in present),
                *(ratio(medians.get(mine), medians.get(theirs)) for mine, theirs in pairs),
            ]
        )
    out += table(rows)
    http = [p for p in present if p in HTTP_PEERS]
    http_pairs = ratio_pairs(http)
    keys: list[str] = []
    for p in http:
        keys += [k for k in data[p]["wrk"] if k not in keys]
    header_wrk = ["", *(TITLES[p] for p in http), *(ratio_title(*pair) for pair in http_pairs)]
    out += [
        "",
        "Throughput under wrk, requests per second (uncached unless marked cached); "
        "errors = non-2xx answers and socket errors",
        "",
        "| " + " | ".join(header_wrk) + " |",
        "|" + "---|" * len(header_wrk),
    ]
    for key in keys:
        rates = {p: data[p]["wrk"].get(key, {}).get("requests_per_s") for p in http}
        cells = []
        for p in http:
            w = data[p]["wrk"].get(key, {})
            cell = fmt_rate(w.get("requests_per_s"))
            errors = (w.get("non_2xx") or 0) + (w.get("socket_errors") or 0)
            if errors:
                cell += f" ({errors} errors)"
            if w.get("skipped"):
                cell = f"- ({w['skipped']})"
            cells.append(cell)
        ratios = [ratio(rates.get(mine), rates.get(theirs)) for mine, theirs in http_pairs]
        out.append("| " + " | ".join([key, *cells, *ratios]) + " |")
    notes = [
        f"- {TITLES[p]}: {data[p]['note'].strip()}" for p in present if data[p]["note"].strip()
    ]
    notes += [
        f"- {TITLES[p]}: **failed**: {data[p]['failed']}" for p in present if data[p].get("failed")
    ]
    notes += [f"- {TITLES[p]}: skipped: {why}" for p, why in size.get("skipped", {}).items()]
    commands = [
        f"- {TITLES[p]}: `{shlex.join(data[p]['command'])}`" for p in present if data[p]["command"]
    ]
    out += ["", "Servers as started:", "", *commands]
    if notes:
        out += ["", "Notes:", "", *notes]
    return out


def machine() -> dict[str, Any]:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        total_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "memory_gib": round(total_kib / 1024 / 1024, 1),
        "cpu": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
    }


def versions() -> dict[str, str]:
    found = {}
    for name in VERSIONS_OF:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    try:
        wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10)
        line = (wrk.stdout or wrk.stderr).splitlines()[0]
        found["wrk"] = line.split(" Copyright")[0].removeprefix("wrk ")
    except (OSError, subprocess.TimeoutExpired, IndexError):
        found["wrk"] = "not found"
    try:
        head = subprocess.run(
            ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        found["carekg commit"] = head.stdout.strip() or "unknown"
    except OSError:
        found["carekg commit"] = "unknown"
    found["virtuoso"] = virtuoso_peer.version()
    return found


def markdown(report: dict[str, Any]) -> str:
    s = report["settings"]
    m = report["machine"]
    title = "Smoke run" if s["smoke"] else "Benchmark"
    lines = [
        f"# carekg and its peers: {title.lower()}, {', '.join(x['size'] for x in report['sizes'])}",
        "",
    ]
    if s["smoke"]:
        lines += [
            "**A smoke run** on a machine shared with other jobs: it shows that the benchmark works "
            "end to end, not how fast anything is. Short runs (wrk "
            f"{s['duration_s']} s, at most {s['serial_count']} serial requests per query); "
            "do not read the figures as results.",
            "",
        ]
    lines += [
        f"- when: {report['started']} (UTC), {report['elapsed_s']:.0f} s in all",
        f"- command: `{report['command']}`",
        f"- machine: {m['nproc']} CPUs ({m['usable_cpus']} usable), {m['memory_gib']} GiB, {m['cpu']}, "
        f"Linux {m['kernel']}, Python {m['python']}; load average at start "
        f"{' '.join(f'{x:.2f}' for x in m['load_average_at_start'])}, at end "
        f"{' '.join(f'{x:.2f}' for x in report['load_average_at_end'])}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()),
        f"- carekg mode: {s['carekg_mode']}; seed {s['seed']}; wrk -t{s['threads']} -c{s['connections']} "
        f"-d{s['duration_s']}s, POST application/sparql-query, Accept application/sparql-results+json "
        "(CONSTRUCT: application/n-triples); serial: up to "
        f"{s['serial_count']} requests or {s['serial_budget_s']:g} s per query and peer",
        "- ratios: carekg's figure divided by the peer's, and carekg over Virtuoso's divided by "
        "Virtuoso's own (latency: above 1x carekg is slower; throughput: above 1x carekg is faster)",
        "",
    ]
    for size in report["sizes"]:
        lines += [*markdown_size(size), ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- command line


def parse_args(argv: list[str] | None) -> tuple[Settings, Path | None, Path | None, bool]:
    parser = argparse.ArgumentParser(
        description="Benchmark carekg against pyoxigraph, Oxigraph's server, rdflib-endpoint and "
        "Virtuoso, and carekg over Virtuoso.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    parser.add_argument("--sizes", default="100k,1M", help="triples, comma-separated (10k,100k,1M)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--carekg-mode", choices=("data", "store"), default="store")
    parser.add_argument(
        "--peers",
        help=f"a subset of {','.join(PEERS)} [all]",
    )
    parser.add_argument("--duration", type=int, help="seconds of each wrk run [10; smoke run 1]")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--serial", type=int, help="serial requests per query and peer [100; smoke 10]"
    )
    parser.add_argument(
        "--serial-seconds", type=float, help="time budget of each serial run [10; smoke 0.75]"
    )
    parser.add_argument("--request-timeout", type=float, default=120.0)
    parser.add_argument("--start-timeout", type=float, default=900.0)
    parser.add_argument(
        "--workdir", type=Path, help="where corpora and stores go [a temporary folder]"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--output",
        type=Path,
        help="results file stem [benchmarks/results/smoke-SIZE or serve-peers-SIZES]",
    )
    args = parser.parse_args(argv)
    sizes = [synthetic_corpus.parse_size(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes:
        parser.error("no sizes")
    smoke = max(sizes) <= SMOKE_MAX_TRIPLES
    if args.peers is None:
        chosen = PEERS
    else:
        chosen = tuple(p.strip() for p in args.peers.split(",") if p.strip())
    unknown = [p for p in chosen if p not in PEERS]
    if unknown or not chosen:
        parser.error(f"unknown peers {unknown}" if unknown else "no peers")
    settings = Settings(
        sizes=sizes,
        seed=args.seed,
        carekg_mode=args.carekg_mode,
        duration_s=args.duration or (1 if smoke else 10),
        threads=args.threads,
        connections=args.connections,
        serial_count=args.serial or (10 if smoke else 100),
        serial_budget_s=args.serial_seconds or (0.75 if smoke else 10.0),
        request_timeout_s=args.request_timeout,
        start_timeout_s=args.start_timeout,
        peers=chosen,
        smoke=smoke,
    )
    return settings, args.workdir, args.output, args.keep


def main(argv: list[str] | None = None) -> None:
    settings, workdir, output, keep = parse_args(argv)
    # SIGINT too: a shell that starts the script in the background has it ignored, and Ctrl-C must work.
    for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, _stop)
    queries = measure.load_queries(QUERIES)
    started = time.time()
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M", time.gmtime(started)),
        "command": shlex.join(
            ["python", os.path.relpath(__file__), *(sys.argv[1:] if argv is None else argv)]
        ),
        "machine": machine(),
        "versions": versions(),
        "settings": {**settings.__dict__, "sizes": [size_name(s) for s in settings.sizes]},
        "queries": {q.name: q.text for q in queries},
        "sizes": [],
    }
    work_root = Path(tempfile.mkdtemp(prefix="carekg-bench-", dir=workdir))
    try:
        for triples in settings.sizes:
            report["sizes"].append(
                run_size(settings, triples, queries, work_root / size_name(triples))
            )
    except Stopped as exc:
        print(f"stopped by {exc}; every server started was stopped", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        if keep:
            print(f"work folder kept: {work_root}", file=sys.stderr)
        else:
            subprocess.run(["rm", "-rf", "--one-file-system", str(work_root)], check=False)
    report["elapsed_s"] = time.time() - started
    report["load_average_at_end"] = os.getloadavg()
    names = "-".join(size_name(s) for s in settings.sizes)
    stem = output or RESULTS / (f"smoke-{names}" if settings.smoke else f"serve-peers-{names}")
    stem.parent.mkdir(parents=True, exist_ok=True)
    text = markdown(report)
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(text)
    print(
        f"written: {stem.with_suffix('.md')} and .json ({report['elapsed_s']:.0f} s)",
        file=sys.stderr,
    )
    failures = [
        f"{size['size']} {name}: {run['failed']}"
        for size in report["sizes"]
        for name, run in size["peers"].items()
        if run.get("failed")
    ]
    if failures:
        raise SystemExit("peers that failed:\n" + "\n".join(failures))


if __name__ == "__main__":
    main()
