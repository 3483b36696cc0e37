"""`carekg serve` (placeholder until its issue lands)."""

import click


@click.command("serve")
def serve_command() -> None:
    """Not built yet."""
    raise click.ClickException("carekg serve is not built yet")
