"""`carekg validate`: check the built-in graph, or RDF files, against carekg's SHACL shapes."""

from pathlib import Path

import click

from ..dataset.loading import read_data_files
from ..dataset.report_formats import FORMATS, render
from ..dataset.sources import DataFile, bundled_data_files
from ..dataset.validation import validate_files
from ..errors import CarekgError, UnreadableInputError
from ..rdf.formats import FORMATS_BY_SUFFIX

EXIT_CONFORMS = 0
EXIT_VIOLATIONS = 1
EXIT_UNREADABLE = 2


def expand_paths(paths: tuple[Path, ...]) -> list[Path]:
    """Files as named; a folder stands for the RDF files below it (by known file ending)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS_BY_SUFFIX
            )
            if not found:
                raise UnreadableInputError(f"{path}: no RDF files in this folder")
            files.extend(found)
        else:
            files.append(path)
    return files


def data_to_check(paths: tuple[Path, ...]) -> tuple[list[DataFile], str, bool]:
    """The files to validate, a description for the report, and whether they are the built-in data."""
    if not paths:
        return bundled_data_files(), "the built-in carekg dataset", True
    files = read_data_files(expand_paths(paths))
    names = ", ".join(str(p) for p in paths)
    return files, names, False


@click.command("validate")
@click.argument("paths", metavar="[PATH]...", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: a report for people; turtle: the SHACL validation report graph; "
    "json: a list of results; junit: JUnit XML, one failed test case per violation.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--alone",
    is_flag=True,
    help="Validate the named files alone, without carekg's built-in ontology, schemes and reports.",
)
@click.pass_context
def validate_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    alone: bool,
) -> None:
    """Validate the built-in graph, or the RDF files PATH... (folders: the RDF files in them).

    Named files are validated together with carekg's built-in data, as they would be served: the
    ontology and SKOS schemes (the shapes look up grades, their levels and the class hierarchy there)
    and the bundled reports (a new report may cite their inspectorates and sources); a bundled file
    with the same name as a named one is replaced by it. --alone validates the named files only.
    The union of all graphs is checked against every bundled shape.

    Exit status: 0 conforms, 1 violations, 2 unreadable input or malformed RDF (reported as
    file:line:column: message).
    """
    try:
        files, checked, builtin = data_to_check(paths)
        outcome = validate_files(files, with_builtin_data=not (builtin or alone))
    except CarekgError as exc:
        click.echo(f"{exc}", err=True)
        ctx.exit(EXIT_UNREADABLE)
    report = render(outcome, output_format, checked)
    if output is None:
        click.echo(report, nl=False)
    else:
        try:
            output.write_text(report, encoding="utf-8")
        except OSError as exc:
            click.echo(f"{output}: cannot write the report: {exc.strerror or exc}", err=True)
            ctx.exit(EXIT_UNREADABLE)
        summary = "conforms" if outcome.conforms else f"{len(outcome.results)} violation(s)"
        click.echo(f"{checked}: {summary}; report written to {output}", err=True)
    ctx.exit(EXIT_CONFORMS if outcome.conforms else EXIT_VIOLATIONS)
