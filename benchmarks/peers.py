"""The servers benchmarks/serve_peers.py compares: how each is built and launched, and how it is stopped.

Every server listens on 127.0.0.1 only and is started in its own session, so that a Ctrl-C in the terminal
reaches the benchmark alone; ``Server.stop`` then stops it by its PID (SIGTERM, then SIGKILL after a grace
period), and any descendant still left (a gunicorn worker, a query process) by its own PID.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

HOST = "127.0.0.1"
STOP_GRACE_SECONDS = 10.0
# carekg serve's default --timeout; carekg over an engine passes it, and its engine stops queries then too.
CAREKG_TIMEOUT_S = 30


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def venv_tool(name: str) -> str:
    """A command installed beside this Python (the venv's bin), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name}: not installed (pip install -e '.[dev,bench]')")
    return found


# ---------------------------------------------------------------- carekg: the one place that says how to run it


def carekg_commands(
    mode: str, data: Path, store: Path, port: int
) -> tuple[list[str] | None, list[str]]:
    """The command that builds carekg's store (None: nothing to build) and the one that serves it.

    ``data``: today's ``carekg serve --data FILE`` (parses at start-up). ``store``: ``carekg build --store DIR
    FILE``, then ``carekg serve --store DIR`` (issue 7's build once, serve from what was built).
    """
    carekg = venv_tool("carekg")
    listen = ["--host", HOST, "--port", str(port)]
    if mode == "data":
        return None, [carekg, "serve", "--data", str(data), *listen]
    if mode == "store":
        return [carekg, "build", "--store", str(store), str(data)], [
            carekg,
            "serve",
            "--store",
            str(store),
            *listen,
        ]
    raise ValueError(f"unknown carekg mode {mode!r}: data or store")


@dataclass(frozen=True)
class EngineEndpoints:
    """Where carekg loads a remote engine and reads it back (Virtuoso's URLs), and the account it loads with."""

    graph_store: str  # SPARQL 1.1 Graph Store Protocol, with the loader's account
    authenticated_query: (
        str  # queries with the loader's account (build reads the engine's manifest)
    )
    query: str  # anonymous, select-only: what `carekg serve` reads
    loader_user: str
    loader_password: str
    max_rows: int  # the engine's own row limit (Virtuoso's ResultSetMaxRows)


def carekg_environment(**extra: str) -> dict[str, str]:
    """This process's environment without any CAREKG_ setting (the command line says all), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREKG_")}
    return {**env, **extra}


def carekg_engine_commands(
    data: Path, store: Path, engine: EngineEndpoints, port: int
) -> tuple[list[str], dict[str, str], list[str], dict[str, str]]:
    """carekg over a remote engine: ``carekg build FILE --into GSP --query-endpoint URL --store DIR`` (the
    README's faster loader) with the loader's account, then ``carekg serve --backend sparql`` reading the
    engine's anonymous endpoint. The build's command and environment, then the server's."""
    carekg = venv_tool("carekg")
    build = [
        carekg,
        "build",
        str(data),
        *("--store", str(store)),
        *("--into", engine.graph_store),
        *("--query-endpoint", engine.authenticated_query),
    ]
    credentials = {
        "CAREKG_REMOTE_USER": engine.loader_user,
        "CAREKG_REMOTE_PASSWORD": engine.loader_password,
    }
    serve = [
        carekg,
        "serve",
        *("--backend", "sparql"),
        *("--query-endpoint", engine.query),
        *("--store", str(store)),
        *("--engine-max-rows", str(engine.max_rows)),
        *("--timeout", str(CAREKG_TIMEOUT_S)),
        *("--host", HOST),
        *("--port", str(port)),
    ]
    return build, carekg_environment(**credentials), serve, carekg_environment()


def oxigraph_commands(data: Path, store: Path, port: int) -> tuple[list[str], list[str]]:
    oxigraph = venv_tool("oxigraph")
    return [oxigraph, "load", "--location", str(store), "--file", str(data)], [
        oxigraph,
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"{HOST}:{port}",
        "--union-default-graph",
        # No --timeout-s: with it, oxigraph 0.5.13 keeps one thread per query alive for the whole timeout,
        # so at thousands of queries a second it ran out of threads ("Resource temporarily unavailable
        # (os error 11)") and then aborted (seen here with --timeout-s 600 under wrk -c8).
    ]


def rdflib_endpoint_command(data: Path, port: int) -> list[str]:
    """rdflib-endpoint's own command: an rdflib Dataset (memory store, union default graph) under uvicorn."""
    return [venv_tool("rdflib-endpoint"), "serve", "--host", HOST, "--port", str(port), str(data)]


# ---------------------------------------------------------------- processes and their memory


def children_of() -> dict[int, list[int]]:
    """Every process's children, from /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                text = stat.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the fields after its ')' are fixed.
        parent = int(text[text.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry))
    return children


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    children = children_of()
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def pss_kib(pids: Sequence[int]) -> int:
    """Proportional set size of the processes, summed (kB, from /proc/<pid>/smaps_rollup)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue  # the process ended meanwhile
    return total


def tree_pss_mb(pid: int) -> float:
    return pss_kib(process_tree(pid)) / 1024


class Served(Protocol):
    """What the benchmark needs of a running peer: its URL, whether it runs, its memory, how to stop it."""

    name: str
    argv: list[str]
    url: str

    def alive(self) -> bool: ...

    def pss_mb(self) -> float: ...

    def log_tail(self, lines: int = 15) -> str: ...

    def stop(self) -> None: ...


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as stat:
            text = stat.read()
    except OSError:
        return False
    return text[text.rindex(")") + 2 :].split()[0] != "Z"


@dataclass
class Server:
    """One server process the benchmark started. ``engine_pid``: a remote engine it serves from (not
    started here): its memory counts with the server's, and the server is alive only while it runs."""

    name: str
    argv: list[str]
    url: str
    log: Path
    env: Mapping[str, str] | None = None
    engine_pid: int | None = None
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    pids_seen: set[int] = field(default_factory=set)

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.started_at = time.perf_counter()
            self.process = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=None if self.env is None else dict(self.env),
            )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        engine_runs = self.engine_pid is None or process_alive(self.engine_pid)
        return self.process is not None and self.process.poll() is None and engine_runs

    def wait_ready(self, probe: Callable[[], bool], timeout: float) -> float:
        """Seconds from the start until ``probe`` first succeeds; SystemExit if the server dies or times out."""
        deadline = self.started_at + timeout
        while time.perf_counter() < deadline:
            if not self.alive():
                raise SystemExit(f"{self.name} exited during start-up:\n{self.log_tail()}")
            self.pids_seen.update(process_tree(self.pid))
            if probe():
                return time.perf_counter() - self.started_at
            time.sleep(0.05)
        raise SystemExit(f"{self.name} gave no answer within {timeout:.0f} s:\n{self.log_tail()}")

    def pss_mb(self) -> float:
        tree = process_tree(self.pid)
        self.pids_seen.update(tree)
        engine = process_tree(self.engine_pid) if self.engine_pid is not None else []
        return pss_kib(tree + engine) / 1024

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to the server's PID, SIGKILL after the grace period; then any descendant left, by PID."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.pids_seen.update(process_tree(self.pid))
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_GRACE_SECONDS)
        for pid in sorted(self.pids_seen - {self.pid}):
            if _is_descendant_left(pid, self.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def _is_descendant_left(pid: int, leader: int) -> bool:
    """Whether ``pid`` still runs in the session the benchmark started (so it is not a reused PID)."""
    try:
        return os.getsid(pid) == leader
    except ProcessLookupError:
        return False


def run_timed(
    argv: list[str], log: Path, timeout: float, env: Mapping[str, str] | None = None
) -> float:
    """Run a build command to its end; its seconds. SystemExit with the log's tail if it fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("wb") as out:
        try:
            completed = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                env=None if env is None else dict(env),
            )
        except subprocess.TimeoutExpired:
            raise SystemExit(f"{argv[0]}: no end within {timeout:.0f} s (log: {log})") from None
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise SystemExit(f"{' '.join(argv)} failed ({completed.returncode}):\n{tail}")
    return seconds
