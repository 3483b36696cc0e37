"""Configuration: one frozen dataclass, filled from defaults, environment variables and command-line
options. Every layer may read it (the build needs the store path without Flask); only its accessor on a
Flask app lives in the web layer (``carekg.web.context``)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from .rdf.namespaces import BASE_IRI

ENV_PREFIX = "CAREKG_"
BACKENDS = ("embedded", "sparql")


@dataclass(frozen=True)
class Config:
    host: str = "127.0.0.1"
    port: int = 5000
    data: tuple[Path, ...] = ()  # empty: the built-in graph
    timeout: float = 30.0  # seconds a query may run
    workers: int = 2
    base_iri: str = BASE_IRI
    service_allowlist: tuple[str, ...] = ()
    max_rows: int = 10000
    max_request_bytes: int = 1_000_000
    ui_assets: Path | None = None  # folder holding YASGUI's files; None: carekg/static/yasgui
    proxy_hops: int = 0  # reverse proxies whose X-Forwarded-* headers are trusted; 0: ignore them
    store: Path = Path(".carekg/store")  # the store directory `carekg build` writes, `serve` reads
    pool_size: int = 0  # query processes of the whole server; 0: one per core
    query_memory_mb: int = 2048  # address space one query process may use (RLIMIT_AS)
    queue_limit: int = 64  # requests of one worker that may wait for a free query process
    slow_query_seconds: float = 1.0  # queries slower than this are logged (0: none)
    backend: str = "embedded"  # "embedded" (Oxigraph, built locally) or "sparql" (a remote engine)
    query_endpoint: str | None = None  # the remote engine's SPARQL query endpoint
    engine_max_rows: int = 0  # the engine's own row limit (Virtuoso's ResultSetMaxRows); 0: unknown
    remote_user: str | None = None  # the engine's account (else the netrc entry of its host)
    remote_password: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "Config":
        """Defaults, then CAREKG_* environment variables, then explicit overrides (None is ignored)."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _convert(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _convert(name: str, raw: str) -> object:
    if name in (
        "port",
        "workers",
        "max_rows",
        "max_request_bytes",
        "proxy_hops",
        "pool_size",
        "query_memory_mb",
        "queue_limit",
        "engine_max_rows",
    ):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(
                f"{ENV_PREFIX}{name.upper()}={raw!r}: expected a whole number"
            ) from None
    if name in ("timeout", "slow_query_seconds"):
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r}: expected seconds") from None
    if name == "data":
        return tuple(Path(p) for p in raw.split(os.pathsep) if p)
    if name == "service_allowlist":
        return tuple(s for s in raw.split() if s)
    if name in ("ui_assets", "store"):
        return Path(raw)
    if name == "backend" and raw not in BACKENDS:
        raise ValueError(f"{ENV_PREFIX}BACKEND={raw!r}: expected one of {', '.join(BACKENDS)}")
    return raw


def pool_size_of(config: Config) -> int:
    return config.pool_size or os.cpu_count() or 1
