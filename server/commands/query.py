"""`carekg query`: answer a SPARQL query from the shell with the endpoint's execution and serializers."""

import sys
from pathlib import Path

import click

from ..errors import CarekgError
from ..rdf.formats import RDF_GRAPH_FORMATS, RESULT_FORMATS, MediaType, named
from ..sparql.jobs import UpdateRefused, prepare_job
from .options import config_from_options, load_store

FORMAT_NAMES = sorted(
    {name for m in (*RESULT_FORMATS, *RDF_GRAPH_FORMATS) for name in m.format_names}
)


@click.command("query")
@click.argument("query")
@click.option(
    "--format",
    "format_name",
    type=click.Choice(FORMAT_NAMES, case_sensitive=False),
    help="Output format. SELECT/ASK: json (default), xml, csv, tsv. CONSTRUCT/DESCRIBE: turtle "
    "(default), nt, nq, trig, jsonld, xml (RDF/XML).",
)
@click.option(
    "--data",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Query exactly these RDF files instead of the built-in graph (repeatable). [env CAREKG_DATA]",
)
@click.option("--default-graph", multiple=True, metavar="IRI", help="A default graph (repeatable).")
@click.option("--named-graph", multiple=True, metavar="IRI", help="A named graph (repeatable).")
@click.option(
    "--timeout", type=float, help="Seconds before the query is stopped. [env CAREKG_TIMEOUT]"
)
@click.option("--max-rows", type=int, help="Row cap. [env CAREKG_MAX_ROWS; default 10000]")
def query_command(
    query: str,
    format_name: str | None,
    data: tuple[Path, ...],
    default_graph: tuple[str, ...],
    named_graph: tuple[str, ...],
    timeout: float | None,
    max_rows: int | None,
) -> None:
    """Run QUERY (SPARQL text, '-' for standard input, or a path to a .rq file) and print the result.

    Without --default-graph or --named-graph (or FROM in the query) the default graph is the union
    of all graphs, as on the endpoint.
    """
    text = _query_text(query)
    config = config_from_options(data=data or None, timeout=timeout, max_rows=max_rows)
    store = load_store(config, validate_builtin=False, command="query")
    try:
        job = prepare_job(
            text,
            lambda _scan: (
                _pick(format_name, RESULT_FORMATS),
                _pick(format_name, RDF_GRAPH_FORMATS),
            ),
            default_graphs=default_graph,
            named_graphs=named_graph,
            max_rows=config.max_rows,
            service_allowlist=config.service_allowlist,
        )
    except UpdateRefused:
        raise click.UsageError("carekg is read-only: SPARQL Update is not supported") from None
    except CarekgError as exc:
        click.echo(f"carekg query: {exc}", err=True)
        raise SystemExit(1) from None
    try:
        outcome = store.answer(job, config.timeout)
    except CarekgError as exc:
        click.echo(f"carekg query: {exc}", err=True)
        raise SystemExit(1) from None
    sys.stdout.buffer.write(outcome.body)
    if outcome.body and not outcome.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    if outcome.truncated:
        click.echo(
            f"carekg query: results truncated to {config.max_rows} rows (--max-rows)", err=True
        )


def _query_text(query: str) -> str:
    if query == "-":
        return sys.stdin.read()
    if query.endswith(".rq") and Path(query).is_file():
        return Path(query).read_text(encoding="utf-8")
    return query


def _pick(format_name: str | None, offered: tuple[MediaType, ...]) -> MediaType | None:
    """The format ``--format`` names among ``offered``; without it, the first offered."""
    return offered[0] if format_name is None else named(format_name, offered)
