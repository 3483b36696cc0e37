"""`carekg build`: parse, validate, bulk-load a new on-disk store and write its dumps, then switch."""

from pathlib import Path

import click

from ..dataset.build import build_into
from ..errors import CarekgError
from .options import config_from_options, engine_client


@click.command("build")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--store",
    "store_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="The store directory to build into. [env CAREKG_STORE; default ./.carekg/store]",
)
@click.option(
    "--validate/--no-validate",
    default=None,
    help="Check the data against carekg's shapes (default: the built-in graph is checked, files "
    "named on the command line are only parsed).",
)
@click.option(
    "--into",
    "graph_store_url",
    metavar="URL",
    help="Load the graphs into a remote engine by this SPARQL 1.1 Graph Store Protocol endpoint "
    "(needs --query-endpoint too). Account: CAREKG_REMOTE_USER / CAREKG_REMOTE_PASSWORD or netrc.",
)
@click.option(
    "--update-endpoint",
    "update_url",
    metavar="URL",
    help="Load the graphs into a remote engine by this SPARQL 1.1 Update endpoint (also its query "
    "endpoint unless --query-endpoint is given).",
)
@click.option(
    "--query-endpoint",
    metavar="URL",
    help="The remote engine's SPARQL query endpoint. [env CAREKG_QUERY_ENDPOINT]",
)
def build_command(
    files: tuple[Path, ...],
    store_dir: Path | None,
    validate: bool | None,
    graph_store_url: str | None,
    update_url: str | None,
    query_endpoint: str | None,
) -> None:
    """Build FILES (default: the built-in graph) into a new build of the store directory.

    The new build becomes current only once it is complete: a malformed file, a shape violation or a
    full disk leaves the previous build serving, and the error names the file and line or the cause.
    With --into or --update-endpoint the data goes to that engine under versioned graph names, and
    the engine switches to the new build at once when all its graphs are in (see the README).
    """
    config = config_from_options(store=store_dir, query_endpoint=query_endpoint)
    engine = None
    if graph_store_url or update_url:
        engine = engine_client(config, update_url=update_url, graph_store_url=graph_store_url)
    try:
        result = build_into(config.store, files, validate, engine=engine)
    except CarekgError as exc:
        click.echo(f"carekg build: {exc}", err=True)
        raise SystemExit(2) from None
    if result.engine_load is not None:
        load = result.engine_load
        click.echo(
            f"carekg build: {len(load.manifest.engine_graphs)} graphs loaded into "
            f"{engine.query_url if engine else ''} as build {load.manifest.build} in "
            f"{load.seconds:.1f} s; {len(load.dropped)} stale graphs dropped",
            err=True,
        )
    manifest = result.manifest
    click.echo(
        f"carekg build: {manifest.triples} triples in {len(manifest.graphs)} graphs, "
        f"version {manifest.version}, {'validated' if manifest.validated else 'not validated'}, "
        f"in {result.seconds:.1f} s -> {result.build}",
        err=True,
    )
