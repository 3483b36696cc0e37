"""Operations: Prometheus metrics at /metrics, the server's state at /health, and the slow-query log.

Metrics use prometheus_client. Under ``carekg serve`` every gunicorn worker counts into its own files in
``PROMETHEUS_MULTIPROC_DIR`` (set by the serve command before anything imports prometheus_client) and
/metrics adds them up, so the figures are the server's, whichever worker answers. Elsewhere (tests, an
app embedded in another program) each app counts in a registry of its own.

The slow-query log (logger ``carekg.slow_queries``) has one line per query slower than
``slow_query_seconds``: a hash of its text, its duration, its rows and its status; never the client's
address nor the text itself.
"""

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, jsonify, request

from .. import __version__
from ..store.built import BuiltStore
from .context import current_config, current_store, dataset_state

METRICS_KEY = "carekg.metrics"
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
slow_log = logging.getLogger("carekg.slow_queries")
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


@dataclass
class Metrics:
    registry: Any
    requests: Any
    query_seconds: Any
    timeouts: Any
    cache_hits: Any
    queue_depth: Any
    started: float


def install_metrics(app: Flask) -> None:
    """Create the app's metrics (prometheus_client is imported here, after the serve command has
    chosen its mode) and count every response by route template and status."""
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

    registry = CollectorRegistry()
    app.extensions[METRICS_KEY] = Metrics(
        registry=registry,
        requests=Counter(
            "carekg_http_requests", "HTTP requests by route template and status.",
            ["route", "method", "status"], registry=registry,
        ),
        query_seconds=Histogram(
            "carekg_query_seconds", "Time to answer a SPARQL query (evaluation and writing).",
            buckets=LATENCY_BUCKETS, registry=registry,
        ),
        timeouts=Counter(
            "carekg_query_timeouts", "Queries stopped at their deadline.", registry=registry
        ),
        cache_hits=Counter(
            "carekg_query_cache_hits", "Queries answered from the result cache.", registry=registry
        ),
        queue_depth=Gauge(
            "carekg_pool_waiting", "Requests waiting for a free query process.",
            registry=registry, multiprocess_mode="livesum",
        ),
        started=time.time(),
    )  # fmt: skip
    app.after_request(_count_response)
    store = dataset_state(app).served  # in gunicorn's master: neither followed nor held
    if isinstance(store, BuiltStore) and store.pool is not None:
        store.pool.on_waiting = app.extensions[METRICS_KEY].queue_depth.set


def metrics_of(app: Flask) -> Metrics:
    metrics: Metrics = app.extensions[METRICS_KEY]
    return metrics


def _count_response(response: Response) -> Response:
    route = request.url_rule.rule if request.url_rule is not None else "(no route)"
    metrics_of(current_app).requests.labels(route, request.method, str(response.status_code)).inc()  # type: ignore[arg-type]
    return response


def record_query(seconds: float, query: str, rows: int | None, status: int, cached: bool) -> None:
    """Count one answered (or refused) query, and log it if it was slow."""
    metrics = metrics_of(current_app)  # type: ignore[arg-type]
    if cached:
        metrics.cache_hits.inc()
    else:
        metrics.query_seconds.observe(seconds)
    if status == 503:
        metrics.timeouts.inc()
    threshold = current_config().slow_query_seconds
    if threshold > 0 and seconds >= threshold:
        slow_log.warning(
            "slow query %s: %.3f s, %s rows, status %d",
            hashlib.sha256(query.encode("utf-8")).hexdigest()[:16],
            seconds,
            "-" if rows is None else rows,
            status,
        )


def metrics_view() -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    metrics = metrics_of(current_app)  # type: ignore[arg-type]
    if os.environ.get(MULTIPROCESS_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = metrics.registry
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def health_view() -> Response:
    store = current_store()
    metrics = metrics_of(current_app)  # type: ignore[arg-type]
    body: dict[str, object] = {
        "status": "ok",
        "carekg_version": __version__,
        "dataset_version": store.version,
        "built_at": store.built_at.isoformat(),
        "uptime_seconds": round(time.time() - metrics.started, 1),
        "named_graphs": len(store.named_graphs()),
    }
    if isinstance(store, BuiltStore):
        body.update(store.health())
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def register_operations(app: Flask) -> None:
    install_metrics(app)
    app.add_url_rule("/metrics", "metrics", metrics_view)
    app.add_url_rule("/health", "health", health_view)
