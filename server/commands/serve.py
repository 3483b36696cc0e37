"""`carekg serve`: the SPARQL endpoint and linked-data pages on gunicorn, over a build.

It serves the current build of a store directory (``carekg build`` writes it): nothing is parsed,
validated or serialized at start-up. ``--data FILE…`` first builds the files into a temporary store
directory, so a bad data file stops the command at once (file:line:column, exit status 2). Builds run
in a child process (carekg.commands.child_build), so the master never starts RocksDB's threads.

Before gunicorn forks its workers, the master starts the query pool's supervisor (fork and exec) and
never opens the store itself: each worker opens the build read-only on its first request, and clients'
queries run in the pool's processes (see carekg.store.pool for why one pool serves all workers).
"""

import contextlib
import ctypes
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import gunicorn.http.message
from flask import Flask
from gunicorn.app.base import BaseApplication

from ..config import BACKENDS, Config, pool_size_of
from ..errors import CarekgError
from ..store.built import open_current
from ..store.manifest import NoBuildError, current_build
from ..store.pool import QueryPool
from ..store.protocol import Store
from ..web.app import create_app
from ..web.context import dataset_state
from ..web.metrics import MULTIPROCESS_ENV
from .child_build import build_in_child_process
from .options import config_from_options, engine_client

THREADS_PER_WORKER = 8  # requests mostly wait on a query's child process, so threads are cheap
# The longest request line (method, URL, version) gunicorn reads: room for a GET query of well over
# 8 KB once URL-encoded; longer queries go by POST, whose body the app bounds (max_request_bytes).
# Why not gunicorn's own setting alone: it clamps limit_request_line to its module constant
# MAX_REQUEST_LINE (8190), too short for an 8 KB query, and 0 ("unlimited") lets one client send a
# request line of any length, which gunicorn's parser re-copies on every read (quadratic: a 200 MB
# line holds a worker for minutes). gunicorn compares against the module global each time it reads
# a request, so raising that constant before the server starts raises the clamp; a longer line is
# refused by gunicorn itself (414 URI Too Long) as soon as it has read this many bytes.
MAX_REQUEST_LINE_BYTES = 64 * 1024


M_ARENA_MAX = -8  # glibc's mallopt parameter
MALLOC_ARENAS = 2


def limit_malloc_arenas() -> None:
    """Cap glibc's malloc arenas in this process and the workers it forks. glibc gives each thread
    that allocates an arena of its own (up to 8 a core); a gthread worker's 8 threads, each passing
    large query answers through, leave memory spread over arenas it does not give back."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, MALLOC_ARENAS)


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn run from Python with an app that is already built."""

    def __init__(self, app: Flask, options: dict[str, Any], reopen: Callable[[], Store]):
        self.application = app
        self.options = options
        self.reopen = reopen
        super().__init__()

    def load_config(self) -> None:
        # Raise the clamp gunicorn applies to limit_request_line (see MAX_REQUEST_LINE_BYTES).
        gunicorn.http.message.MAX_REQUEST_LINE = MAX_REQUEST_LINE_BYTES
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application

    def reload(self) -> None:
        """On SIGHUP: ``reopen`` the store (with ``--data``, it rebuilds the files into the temporary
        store directory first; a file that no longer parses is reported and the build that was
        serving keeps serving). With ``--store`` or a remote engine, workers follow a new build by
        themselves; SIGHUP makes gunicorn start fresh workers on it."""
        super().reload()
        state = dataset_state(self.application)
        old_version = state.store.version
        try:
            new_store = state.rebuild(self.reopen)
        except CarekgError as exc:
            click.echo(f"carekg serve: reload failed, still serving {old_version}: {exc}", err=True)
        else:
            click.echo(f"carekg serve: reloaded, serving {new_store.version}", err=True)


def worker_exited(_arbiter: object, worker: Any) -> None:
    """gunicorn's child_exit hook: a dead worker's live gauges no longer count."""
    if os.environ.get(MULTIPROCESS_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def gunicorn_options(config: Config, on_exit: Callable[[], None] = lambda: None) -> dict[str, Any]:
    def when_ready(_arbiter: object) -> None:
        # Said once gunicorn listens, so a port that is taken never gets a "serving" line.
        click.echo(f"carekg: serving http://{config.host}:{config.port}/sparql", err=True)

    return {
        "bind": f"{config.host}:{config.port}",
        "workers": config.workers,
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
        "preload_app": True,
        "limit_request_line": MAX_REQUEST_LINE_BYTES,
        # gthread workers keep beating while a request waits; this only catches a stuck worker.
        "timeout": int(config.timeout) + 30,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "proc_name": "carekg",
        # gunicorn's control socket has one default path per user: two servers would collide.
        "control_socket_disable": True,
        "when_ready": when_ready,
        "on_exit": lambda _arbiter: on_exit(),
        "child_exit": worker_exited,
    }


@click.command("serve")
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    help="embedded: the store directory's Oxigraph build; sparql: a remote engine that `carekg "
    "build --into` loaded (dumps and report still come from --store). [env CAREKG_BACKEND; "
    "default embedded]",
)
@click.option(
    "--query-endpoint",
    metavar="URL",
    help="With --backend sparql: the engine's SPARQL query endpoint (give carekg's account no "
    "update role). Account: CAREKG_REMOTE_USER / CAREKG_REMOTE_PASSWORD or netrc. "
    "[env CAREKG_QUERY_ENDPOINT]",
)
@click.option(
    "--engine-max-rows",
    type=int,
    help="With --backend sparql: the engine's own row limit (Virtuoso's ResultSetMaxRows), so that "
    "a result it cut is announced as truncated. [env CAREKG_ENGINE_MAX_ROWS; default 0: unknown]",
)
@click.option("--host", help="Interface to listen on. [env CAREKG_HOST; default 127.0.0.1]")
@click.option("--port", type=int, help="TCP port. [env CAREKG_PORT; default 5000]")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Serve exactly these RDF files instead of the built-in graph (Turtle, N-Triples, N-Quads, "
    "TriG, JSON-LD, RDF/XML; triples go to the default graph, quads keep their graphs). Repeat "
    "for several files. [env CAREKG_DATA, paths separated by ':']",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="The store directory whose current build is served (`carekg build` writes it; with no "
    "build yet, the built-in graph is built first). [env CAREKG_STORE; default ./.carekg/store]",
)
@click.option(
    "--pool-size",
    type=int,
    help="Query processes of the whole server. [env CAREKG_POOL_SIZE; default: one per core]",
)
@click.option(
    "--query-memory-mb",
    type=int,
    help="Address space one query process may use, in MiB; a query that needs more fails alone "
    "with 503. [env CAREKG_QUERY_MEMORY_MB; default 2048]",
)
@click.option(
    "--queue-limit",
    type=int,
    help="Requests of one worker that may wait for a free query process; more get 503 with "
    "Retry-After. [env CAREKG_QUEUE_LIMIT; default 64]",
)
@click.option(
    "--slow-query-seconds",
    type=float,
    help="Queries slower than this are logged (hash, duration, rows, status; 0: none). "
    "[env CAREKG_SLOW_QUERY_SECONDS; default 1]",
)
@click.option(
    "--timeout",
    type=float,
    help="Seconds a query may run before it is stopped and answered 503. "
    "[env CAREKG_TIMEOUT; default 30]",
)
@click.option(
    "--workers", type=int, help="gunicorn worker processes. [env CAREKG_WORKERS; default 2]"
)
@click.option(
    "--service-allow",
    "service_allowlist",
    multiple=True,
    metavar="IRI",
    help="A SERVICE endpoint IRI federated queries may call (repeatable; none by default, so "
    "SERVICE is refused). [env CAREKG_SERVICE_ALLOWLIST, IRIs separated by spaces]",
)
@click.option(
    "--max-rows",
    type=int,
    help="Row cap: results longer than this are truncated, announced by the X-Carekg-Row-Cap and "
    "X-Carekg-Truncated headers and a comment where the format has one. "
    "[env CAREKG_MAX_ROWS; default 10000]",
)
@click.option(
    "--max-request-bytes",
    type=int,
    help="Largest request body or query accepted; larger ones get 413. "
    "[env CAREKG_MAX_REQUEST_BYTES; default 1000000]",
)
@click.option(
    "--proxy-hops",
    type=int,
    help="Reverse proxies in front whose X-Forwarded-* headers are trusted (0: ignore them). "
    "[env CAREKG_PROXY_HOPS; default 0: clients reach the server directly]",
)
@click.option(
    "--base-iri",
    help="The IRI base the data's things and terms are minted under; request paths map onto it. "
    "[env CAREKG_BASE_IRI; default https://w3id.org/carekg/]",
)
@click.option(
    "--ui-assets",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder holding the query UI's YASGUI files. [env CAREKG_UI_ASSETS; default: the "
    "files installed by scripts/install_ui_assets.sh]",
)
def serve_command(
    backend: str | None,
    query_endpoint: str | None,
    engine_max_rows: int | None,
    host: str | None,
    port: int | None,
    data: tuple[Path, ...],
    store_dir: Path | None,
    pool_size: int | None,
    query_memory_mb: int | None,
    queue_limit: int | None,
    slow_query_seconds: float | None,
    timeout: float | None,
    workers: int | None,
    service_allowlist: tuple[str, ...],
    max_rows: int | None,
    max_request_bytes: int | None,
    proxy_hops: int | None,
    base_iri: str | None,
    ui_assets: Path | None,
) -> None:
    """Serve the SPARQL 1.1 endpoint (/sparql) and the linked-data pages with gunicorn.

    Every option can also be set by the CAREKG_* environment variable named in its help; an option
    given on the command line wins.
    """
    config = config_from_options(
        backend=backend,
        query_endpoint=query_endpoint,
        engine_max_rows=engine_max_rows,
        host=host,
        port=port,
        data=data or None,
        store=store_dir,
        pool_size=pool_size,
        query_memory_mb=query_memory_mb,
        queue_limit=queue_limit,
        slow_query_seconds=slow_query_seconds,
        timeout=timeout,
        workers=workers,
        service_allowlist=service_allowlist or None,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        proxy_hops=proxy_hops,
        base_iri=base_iri,
        ui_assets=ui_assets,
    )
    if config.backend == "sparql":
        serve_over_engine(config)
        return
    with serving_store(config) as (store_dir, pool, stop):

        def reopen() -> Store:
            if config.data:
                build_in_child_process(store_dir, config.data, validate=False)
            return open_current(store_dir, pool)

        app = create_app(config, store=open_current(store_dir, pool))
        limit_malloc_arenas()
        GunicornServer(app, gunicorn_options(config, on_exit=stop), reopen).run()


def serve_over_engine(config: Config) -> None:
    """``--backend sparql``: the engine's live build (``carekg build --into`` loaded it), with its
    dumps and report from the store directory; no query pool (the engine evaluates)."""
    if config.data:
        raise click.UsageError(
            "--data builds an embedded store; with --backend sparql use "
            "`carekg build FILE… --into URL` first"
        )
    if config.service_allowlist:
        raise click.UsageError(
            "--service-allow has no effect with --backend sparql: SERVICE is "
            "refused before anything reaches the engine"
        )
    from ..store.remote import open_remote  # httpx and the renaming: only over an engine

    client = engine_client(config)

    def reopen() -> Store:
        return open_remote(config.store, client, config.engine_max_rows)

    try:
        store = reopen()
    except CarekgError as exc:
        click.echo(f"carekg serve: {exc}", err=True)
        raise SystemExit(2) from None
    app = create_app(config, store=store)
    GunicornServer(app, gunicorn_options(config), reopen).run()


@contextlib.contextmanager
def serving_store(config: Config) -> Iterator[tuple[Path, QueryPool, Callable[[], None]]]:
    """The store directory to serve (``--data`` files built into a temporary one; the built-in graph
    built first if there is no build yet) and the query pool, whose supervisor runs until the end.

    gunicorn's workers are forked from inside this block and leave by SystemExit through the same
    frames: only the process that set things up may tear them down."""
    owner = os.getpid()
    with contextlib.ExitStack() as stack:

        def cleanup_callback(function: Callable[..., object], *args: object) -> None:
            stack.callback(lambda: function(*args) if os.getpid() == owner else None)

        store_dir = config.store
        try:
            if config.data:
                store_dir = Path(tempfile.mkdtemp(prefix="carekg-serve-"))
                cleanup_callback(shutil.rmtree, store_dir, True)
                build_in_child_process(store_dir, config.data, validate=False)
            else:
                try:
                    current_build(store_dir)
                except NoBuildError:
                    click.echo(
                        f"carekg serve: no build in {store_dir} yet: building the built-in graph",
                        err=True,
                    )
                    build_in_child_process(store_dir)
        except CarekgError as exc:
            click.echo(f"carekg serve: {exc}", err=True)
            raise SystemExit(2) from None
        # Before create_app imports prometheus_client: every worker then counts into shared files.
        metrics_dir = Path(tempfile.mkdtemp(prefix="carekg-metrics-"))
        cleanup_callback(shutil.rmtree, metrics_dir, True)
        os.environ[MULTIPROCESS_ENV] = str(metrics_dir)
        size = pool_size_of(config)
        pool_dir = Path(tempfile.mkdtemp(prefix="carekg-pool-"))
        cleanup_callback(shutil.rmtree, pool_dir, True)
        supervisor = start_supervisor(pool_dir, size, config.query_memory_mb * 1024 * 1024)
        stop = functools.partial(stop_supervisor, supervisor, owner)
        cleanup_callback(stop)
        yield store_dir, QueryPool(pool_dir, size, config.queue_limit), stop


def start_supervisor(folder: Path, size: int, memory_bytes: int) -> "subprocess.Popen[bytes]":
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "carekg.store.supervisor",
            str(folder),
            str(size),
            str(memory_bytes),
        ],
        stdin=subprocess.DEVNULL,
        close_fds=True,
    )


def stop_supervisor(supervisor: "subprocess.Popen[bytes]", owner: int) -> None:
    """Stop the pool (from the process that started it only: workers run gunicorn's hooks too)."""
    if os.getpid() == owner and supervisor.poll() is None:
        supervisor.terminate()
        try:
            supervisor.wait(timeout=10)
        except subprocess.TimeoutExpired:
            supervisor.kill()
            supervisor.wait()
