"""`carekg build`: parse, validate, bulk-load a new on-disk store and write its dumps, then switch."""

from pathlib import Path

import click

from ..dataset.build import build_into
from ..errors import CarekgError
from .options import config_from_options


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
def build_command(files: tuple[Path, ...], store_dir: Path | None, validate: bool | None) -> None:
    """Build FILES (default: the built-in graph) into a new build of the store directory.

    The new build becomes current only once it is complete: a malformed file, a shape violation or a
    full disk leaves the previous build serving, and the error names the file and line or the cause.
    """
    config = config_from_options(store=store_dir)
    try:
        result = build_into(config.store, files, validate)
    except CarekgError as exc:
        click.echo(f"carekg build: {exc}", err=True)
        raise SystemExit(2) from None
    manifest = result.manifest
    click.echo(
        f"carekg build: {manifest.triples} triples in {len(manifest.graphs)} graphs, "
        f"version {manifest.version}, {'validated' if manifest.validated else 'not validated'}, "
        f"in {result.seconds:.1f} s -> {result.build}",
        err=True,
    )
