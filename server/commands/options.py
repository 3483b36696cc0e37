"""What the commands share: the Config from options and environment, and loading the store."""

from typing import TYPE_CHECKING

import click

from ..config import BACKENDS, Config
from ..errors import CarekgError

if TYPE_CHECKING:  # at run time imported where used: serve's start-up needs neither
    from ..store.embedded import EmbeddedStore
    from ..store.sparql_client import SparqlClient


def config_from_options(**overrides: object) -> Config:
    """Defaults, then CAREKG_* variables, then the options; a bad value is a usage error."""
    try:
        config = Config.from_env(None, **overrides)
    except (ValueError, TypeError) as exc:
        raise click.UsageError(str(exc)) from None
    if config.timeout <= 0:
        raise click.UsageError(f"the timeout must be positive; got {config.timeout:g}")
    if config.max_rows < 1:
        raise click.UsageError(f"the row cap must be at least 1; got {config.max_rows}")
    if config.workers < 1:
        raise click.UsageError(f"at least one worker is needed; got {config.workers}")
    if config.backend not in BACKENDS:
        raise click.UsageError(
            f"--backend must be one of {', '.join(BACKENDS)}; got {config.backend}"
        )
    return config


def engine_client(
    config: Config, *, update_url: str | None = None, graph_store_url: str | None = None
) -> "SparqlClient":
    """The remote engine's client: its endpoints, and the account from CAREKG_REMOTE_USER /
    CAREKG_REMOTE_PASSWORD or the netrc file (credentials never come from the command line)."""
    from ..store.sparql_client import SparqlClient, credentials_for

    query_url = config.query_endpoint or update_url
    if query_url is None:
        raise click.UsageError("the remote engine needs --query-endpoint URL")
    for url in (query_url, update_url, graph_store_url):
        if url is not None and not url.startswith(("http://", "https://")):
            raise click.UsageError(f"{url!r} is not an http(s) URL")
    credentials = credentials_for(
        update_url or graph_store_url or query_url, config.remote_user, config.remote_password
    )
    return SparqlClient(
        query_url, update_url=update_url, graph_store_url=graph_store_url, credentials=credentials
    )


def load_store(config: Config, *, validate_builtin: bool, command: str) -> "EmbeddedStore":
    """The built-in graph or ``config.data``; a bad file exits with file:line:column and status 2,
    its message prefixed with ``carekg {command}``.

    ``validate_builtin``: check the built-in graph against the shapes (``serve`` does: it publishes it).
    """
    from ..dataset.build import build_store  # the build pipeline's imports cost serve's start-up

    try:
        return build_store(config, validate_builtin=validate_builtin)
    except CarekgError as exc:
        click.echo(f"carekg {command}: {exc}", err=True)
        raise SystemExit(2) from None
