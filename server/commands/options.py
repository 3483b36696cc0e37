"""What the commands share: the Config from options and environment, and loading the store."""

import click

from ..config import Config
from ..dataset.build import build_store
from ..errors import CarekgError
from ..store.embedded import EmbeddedStore


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
    return config


def load_store(config: Config, *, validate_builtin: bool, command: str) -> EmbeddedStore:
    """The built-in graph or ``config.data``; a bad file exits with file:line:column and status 2,
    its message prefixed with ``carekg {command}``.

    ``validate_builtin``: check the built-in graph against the shapes (``serve`` does: it publishes it).
    """
    try:
        return build_store(config, validate_builtin=validate_builtin)
    except CarekgError as exc:
        click.echo(f"carekg {command}: {exc}", err=True)
        raise SystemExit(2) from None
