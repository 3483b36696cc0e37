"""The ``carekg`` command: build, validate, export, query and serve the knowledge graph."""

import click

from .. import __version__
from .build import build_command
from .export import export_command
from .query import query_command
from .serve import serve_command
from .validate import validate_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="carekg")
def main() -> None:
    """carekg: Scotland's joint inspections of children's services as a linked-data knowledge graph."""


main.add_command(build_command)
main.add_command(validate_command)
main.add_command(export_command)
main.add_command(query_command)
main.add_command(serve_command)
