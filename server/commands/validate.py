"""`carekg validate` (placeholder until its issue lands)."""

import click


@click.command("validate")
def validate_command() -> None:
    """Not built yet."""
    raise click.ClickException("carekg validate is not built yet")
