"""`carekg export` (placeholder until its issue lands)."""

import click


@click.command("export")
def export_command() -> None:
    """Not built yet."""
    raise click.ClickException("carekg export is not built yet")
