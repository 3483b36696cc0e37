"""`carekg export`: the whole dataset, or one named graph, in an RDF format.

The bytes are those the server gives for the same dump (/download/carekg.{ext},
/download/graph/{slug}.{ext}): both call carekg.dumps. An output file ending in ``.gz`` is gzipped.
"""

import sys
from pathlib import Path

import click

from ..config import Config
from ..dataset.build import build_store
from ..dataset.dumps import FORMATS_BY_NAME, UnknownGraphError, dump, gzipped
from ..errors import CarekgError


@click.command("export")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(list(FORMATS_BY_NAME)),
    default="nq",
    show_default=True,
    help="RDF format; nq, trig and jsonld keep each statement's graph, the others hold the union.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (gzipped if it ends in .gz); default: standard output.",
)
@click.option("--graph", "graph", metavar="IRI", help="Export only this named graph.")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Export these RDF files instead of the built-in dataset (repeatable).",
)
def export_command(
    format_name: str, output: Path | None, graph: str | None, data: tuple[Path, ...]
) -> None:
    """Write the dataset (ontology, schemes, report graphs) in an RDF format."""
    try:
        store = build_store(Config(data=data), validate_builtin=False)
    except CarekgError as error:
        click.echo(f"carekg export: {error}", err=True)
        sys.exit(2)
    try:
        body = dump(store, FORMATS_BY_NAME[format_name], graph)
    except UnknownGraphError as error:
        graphs = "\n  ".join(store.named_graphs()) or "(none)"
        click.echo(f"carekg export: {error}; the named graphs are:\n  {graphs}", err=True)
        sys.exit(2)
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(gzipped(body) if output.name.endswith(".gz") else body)
    except OSError as error:
        click.echo(f"carekg export: cannot write {output}: {error.strerror or error}", err=True)
        sys.exit(2)
