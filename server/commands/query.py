"""`carekg query` (placeholder until its issue lands)."""

import click


@click.command("query")
def query_command() -> None:
    """Not built yet."""
    raise click.ClickException("carekg query is not built yet")
