"""`carekg serve`: the SPARQL endpoint and linked-data pages on gunicorn.

The dataset is loaded in the master process before any worker is forked, so a bad data file stops the
command at once (file:line:column, exit status 2) and every worker shares the store copy-on-write.
"""

from pathlib import Path
from typing import Any

import click
import gunicorn.http.message
from flask import Flask
from gunicorn.app.base import BaseApplication

from ..config import Config
from ..dataset.build import build_store
from ..errors import CarekgError
from ..web.app import create_app
from ..web.context import DatasetState, config_of
from ..web.linked_data import warm_caches
from .options import config_from_options, load_store

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


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn run from Python with an app that is already built."""

    def __init__(self, app: Flask, options: dict[str, Any]):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        # Raise the clamp gunicorn applies to limit_request_line (see MAX_REQUEST_LINE_BYTES).
        gunicorn.http.message.MAX_REQUEST_LINE = MAX_REQUEST_LINE_BYTES
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application

    def reload(self) -> None:
        """On SIGHUP, rebuild the store from the same files before gunicorn forks new workers.

        A file that no longer parses (or a built-in graph that breaks the shapes) is reported and the
        store that was serving keeps serving; the new workers inherit whichever store is current.
        """
        super().reload()
        state: DatasetState = self.application.extensions["carekg"]
        config = config_of(self.application)
        old_version = state.store.version
        try:
            new_store = state.rebuild(lambda: build_store(config))
        except CarekgError as exc:
            click.echo(f"carekg serve: reload failed, still serving {old_version}: {exc}", err=True)
        else:
            warm_caches(self.application)
            click.echo(f"carekg serve: reloaded, serving {new_store.version}", err=True)


def gunicorn_options(config: Config) -> dict[str, Any]:
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
    }


@click.command("serve")
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
    host: str | None,
    port: int | None,
    data: tuple[Path, ...],
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
        host=host,
        port=port,
        data=data or None,
        timeout=timeout,
        workers=workers,
        service_allowlist=service_allowlist or None,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        proxy_hops=proxy_hops,
        base_iri=base_iri,
        ui_assets=ui_assets,
    )
    app = build_app(config)
    GunicornServer(app, gunicorn_options(config)).run()


def build_app(config: Config) -> Flask:
    app = create_app(config, store=load_store(config, validate_builtin=True, command="serve"))
    warm_caches(app)  # in the master, before gunicorn forks: every worker inherits the same results
    return app
