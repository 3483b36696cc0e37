"""The Virtuoso peers of benchmarks/serve_peers.py: a private Virtuoso per peer, its buffers sized for the data.

Each instance is the tests' own (tests/virtuoso_process.py, imported from there): a generated virtuoso.ini and
database under the benchmark's work folder, SQL and HTTP ports on 127.0.0.1, a generated dba password, a
loader account with SPARQL_UPDATE, anonymous /sparql select-only; it is stopped by its PID when the block
that started it ends (and gets SIGTERM if the benchmark dies first).

Each peer's instance is loaded, checkpointed, stopped and started again on what was loaded, so that, as for
the other peers, start-up is a server starting on a built database and the queries meet the buffers cold.
"""

import contextlib
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import peers
import pyoxigraph as ox

sys.path.append(str(Path(__file__).resolve().parent.parent / "tests"))
import virtuoso_process as vp  # tests/ holds the one helper that runs a private Virtuoso

# ResultSetMaxRows, far above any answer of the benchmark's queries (carekg is told it: --engine-max-rows).
ENGINE_MAX_ROWS = 1_000_000
UNION_GRAPH = "urn:carekg:bench:union"  # every triple of the corpus once: the pinned default graph
# The buffer pool (NumberOfBuffers, 8 KiB pages) holds the whole database BUFFER_HEADROOM times over: the
# bulk load need not write pages out to make room, no query reads a page from disk twice, and what the pool
# costs in memory (Virtuoso touches all of it at start-up) stays in proportion to the data. Never less than
# 20,000 buffers, the least 7.2.5 runs with: status('') reports 20,000 for any smaller setting (tried: 2,490,
# 10,043, 16,601; Debian's shipped ini has 10,000). The database's size is estimated before the load from
# what was measured here (7.2.5, this corpus, pages in use after the load and its checkpoint): about 800
# pages for an empty database, about 33 bytes a quad more (every index and the literals; 1,167 pages at
# 100k quads). The shipped ini sizes the pool by free memory instead (2/3 of it), which on a shared machine
# says nothing of the data. MaxDirtyBuffers keeps the shipped ini's ratio (130,000 of 170,000).
EMPTY_DATABASE_PAGES = 800
DATABASE_BYTES_PER_QUAD = 40
BUFFER_HEADROOM = 4
MIN_BUFFERS = 20_000
PAGE_BYTES = 8192
STOP_TIMEOUT_SECONDS = 30.0


def unavailable() -> str | None:
    """Why the Virtuoso peers cannot run here (None: they can)."""
    if vp.virtuoso_installed():
        return None
    return (
        f"{vp.SERVER_BINARY} or {vp.ISQL_BINARY} not found "
        "(scripts/install_virtuoso.sh installs Debian's virtuoso-opensource)"
    )


def version() -> str:
    binary = shutil.which(vp.SERVER_BINARY)
    if binary is None:
        return "not installed"
    try:
        done = subprocess.run([binary, "-?"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    found = re.search(r"^Version (\S+)", done.stdout + done.stderr, re.MULTILINE)
    return found.group(1) if found else "unknown"


def buffers_for(quads: int) -> int:
    """NumberOfBuffers for a database of this many quads (see BUFFER_HEADROOM)."""
    pages = EMPTY_DATABASE_PAGES + math.ceil(quads * DATABASE_BYTES_PER_QUAD / PAGE_BYTES)
    return max(MIN_BUFFERS, BUFFER_HEADROOM * pages)


def settings_for(quads: int, query_timeout_s: float) -> vp.VirtuosoSettings:
    # VirtuosoSettings takes the pool's size in MiB, converted at the shipped ini's 170,000 buffers per 2 GiB.
    buffers = buffers_for(quads)
    megabytes = math.ceil(buffers * vp.SHIPPED_MEGABYTES / vp.SHIPPED_BUFFERS)
    return vp.VirtuosoSettings(
        buffer_memory_megabytes=megabytes,
        result_set_max_rows=ENGINE_MAX_ROWS,
        max_query_execution_time_seconds=math.ceil(query_timeout_s),
    )


def write_triples_of(quads: Path, triples: Path) -> None:
    """The N-Quads file's statements as N-Triples, graph names dropped (every synthetic quad ends
    in a graph IRI, and no IRI of the corpus holds a space)."""
    with quads.open(encoding="utf-8") as source, triples.open("w", encoding="utf-8") as target:
        for line in source:
            statement = line.rstrip()
            if statement:
                target.write(statement[: statement.rstrip(" .").rindex(" ")] + " .\n")


def corpus_graphs(data: Path) -> tuple[str, ...]:
    """The named graphs of an N-Quads file, sorted (every quad of the synthetic corpus is in one)."""
    graphs = {
        quad.graph_name.value
        for quad in ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS)
        if isinstance(quad.graph_name, ox.NamedNode)
    }
    return tuple(sorted(graphs))


@dataclass(frozen=True)
class Pages:
    """From Virtuoso's status(''): the database's pages (8 KiB) in use, and the buffer pool's use."""

    database_in_use: int
    buffers: int
    buffers_used: int

    def __str__(self) -> str:
        return (
            f"database {self.database_in_use:,} pages in use "
            f"({self.database_in_use * 8 / 1024:.0f} MiB), "
            f"buffers {self.buffers_used:,} used of {self.buffers:,}"
        )


class Engine:
    """A private Virtuoso for one peer, until ``stack`` closes."""

    def __init__(self, stack: contextlib.ExitStack, directory: Path, settings: vp.VirtuosoSettings):
        self.settings = settings
        self._stack = stack
        self.running = stack.enter_context(vp.start_virtuoso(directory, settings))

    @property
    def argv(self) -> list[str]:
        return [vp.SERVER_BINARY, "+foreground", "+configfile", str(self.ini)]

    @property
    def ini(self) -> Path:
        return self.running.directory / "virtuoso.ini"

    def endpoints(self) -> peers.EngineEndpoints:
        return peers.EngineEndpoints(
            graph_store=self.running.graph_store_endpoint,
            authenticated_query=self.running.authenticated_query_endpoint,
            query=self.running.query_endpoint,
            loader_user=self.running.loader.user,
            loader_password=self.running.loader.password,
            max_rows=self.settings.result_set_max_rows,
        )

    def bulk_load(self, data: Path, union_graph: str | None = None) -> float:
        """Virtuoso's bulk loader (ld_dir, rdf_loader_run, checkpoint) on the N-Quads file: its seconds.

        Each quad goes to its own graph; with ``union_graph``, every triple also goes to that graph
        (as carekg's build loads its union graph). The files are put in the instance's folder, which
        the ini's DirsAllowed lets the server read."""
        folder = self.running.directory / "load"
        folder.mkdir()
        try:
            os.link(data, folder / data.name)
        except OSError:
            shutil.copyfile(data, folder / data.name)
        started = time.perf_counter()
        load = f"ld_dir('{folder}', '{data.name}', 'urn:carekg:bench:no-graph');\n"
        names = [data.name]
        if union_graph is not None:
            union = folder / f"{data.stem}-union.nt"
            write_triples_of(data, union)
            load += f"ld_dir('{folder}', '{union.name}', '{union_graph}');\n"
            names.append(union.name)
        self.running.isql(f"{load}rdf_loader_run();\ncheckpoint;")
        seconds = time.perf_counter() - started
        failed = self.running.isql(
            "select ll_file, ll_error from DB.DBA.LOAD_LIST where ll_error is not null;"
        )
        if any(name in failed for name in names):
            raise SystemExit(f"Virtuoso's bulk loader failed on {data}:\n{failed}")
        return seconds

    def checkpoint(self) -> None:
        self.running.isql("checkpoint;")

    def stop(self) -> None:
        """SIGTERM to the server's PID (Virtuoso shuts down at once); SIGKILL if it outstays the timeout."""
        pid = self.running.pid
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while vp.process_alive(pid):
            if time.monotonic() > deadline:
                vp.kill_hard(self.running)
                break
            time.sleep(0.05)

    def start_again(self) -> None:
        """Start the stopped server on the same database (ini, ports, accounts); return once it answers."""
        self.running = self._stack.enter_context(vp.restarted(self.running))

    def pages(self) -> Pages | None:
        status = self.running.isql("status('');")
        database = re.search(r"File size \d+, (\d+) pages, (\d+) free", status)
        buffers = re.search(r"(\d+) buffers, (\d+) used", status)
        if database is None or buffers is None:
            return None
        return Pages(
            database_in_use=int(database.group(1)) - int(database.group(2)),
            buffers=int(buffers.group(1)),
            buffers_used=int(buffers.group(2)),
        )

    def describe(self) -> str:
        s = self.settings
        return (
            f"virtuoso.ini: NumberOfBuffers {s.number_of_buffers:,} "
            f"(pages of {s.number_of_buffers * PAGE_BYTES / 2**20:.0f} MiB; rule: "
            f"benchmarks/virtuoso_peer.py), "
            f"MaxDirtyBuffers {s.max_dirty_buffers:,}, ThreadsPerQuery {s.threads_per_query}, "
            f"[HTTPServer] ServerThreads {s.http_server_threads}, "
            f"ResultSetMaxRows {s.result_set_max_rows:,}, "
            f"MaxQueryExecutionTime {s.max_query_execution_time_seconds} s"
        )


@dataclass
class EngineServer:
    """Virtuoso's own /sparql as a peer (peers.Served). The engine's block stops it, after every carekg."""

    name: str
    engine: Engine
    argv: list[str]
    url: str
    started_at: float = 0.0
    notes: list[str] = field(default_factory=list)

    def alive(self) -> bool:
        return vp.process_alive(self.engine.running.pid)

    def pss_mb(self) -> float:
        return peers.tree_pss_mb(self.engine.running.pid)

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.engine.running.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Nothing here: the engine's own block stops it by its PID."""

    def restart_until(self, probe: Callable[[], bool], timeout: float) -> float:
        """Stop the engine and start it again; seconds from the new start until ``probe`` first succeeds."""
        self.engine.stop()
        self.started_at = time.perf_counter()
        self.engine.start_again()
        deadline = self.started_at + timeout
        while time.perf_counter() < deadline:
            if not self.alive():
                raise SystemExit(f"{self.name} exited during start-up:\n{self.log_tail()}")
            if probe():
                return time.perf_counter() - self.started_at
            time.sleep(0.05)
        raise SystemExit(f"{self.name} gave no answer within {timeout:.0f} s:\n{self.log_tail()}")
