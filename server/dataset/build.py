"""Build the store a server answers from: parse, validate carekg's own data, then fill a new store.

Everything that can fail happens before the new store exists, so a failed build (or rebuild) leaves the
store that was serving untouched.
"""

import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from ..config import Config
from ..errors import CarekgError
from ..store.embedded import EmbeddedStore, store_from_quads
from ..store.manifest import CACHE_FOLDER
from ..store.remote import read_engine_manifest
from ..store.sparql_client import SparqlClient
from .checking import check_units
from .engine_load import load_into_engine
from .inference import inferred_quads
from .loading import parse_all, read_data_files
from .sources import DataFile, bundled_data_files
from .units import builtin_units, file_units, split_context
from .validation import ValidationResult, shape_files, shapes_version
from .writing import BuildResult, parse_each, write_build

MAX_LISTED_VIOLATIONS = 5


class DataInvalidError(CarekgError):
    """carekg's own data breaks its shapes: it is not served."""


def data_files(config: Config) -> list[DataFile]:
    """The files named in ``config.data``, or the built-in graph."""
    return read_data_files(config.data) if config.data else bundled_data_files()


def build_store(config: Config, validate_builtin: bool = True) -> EmbeddedStore:
    """A new store for ``config``; the built-in graph must conform to the shapes to be served.

    Files named with ``--data`` may be any RDF (a W3C test graph, another project's data), so they are
    only parsed; ``carekg validate FILE`` checks them against carekg's shapes.
    """
    files = data_files(config)
    quads = parse_all(files)
    if validate_builtin and not config.data:
        # Imported here: pySHACL is slow to import and only this path needs it.
        from .validation import locate_results, union_graph, validate

        outcome = locate_results(validate(union_graph(quads)), files)
        if not outcome.conforms:
            raise DataInvalidError(_violations_message(outcome.results))
    if not config.data:
        quads += inferred_quads(quads)
    return store_from_quads(quads)


def build_embedded_store(files: Iterable[DataFile]) -> EmbeddedStore:
    """Parse every file first, then fill a new store: a parse error leaves no half-built store."""
    return store_from_quads(parse_all(files))


def build_into(
    store_dir: Path,
    paths: Sequence[Path] = (),
    validate: bool | None = None,
    engine: SparqlClient | None = None,
) -> BuildResult:
    """``carekg build``: the built-in graph (validated), or the files at ``paths`` (validated only if
    ``validate``), as a new build of ``store_dir``. Raises RdfSyntaxError (file:line:column),
    DataInvalidError (each violation with its file:line) or BuildError; the previous build stays current.

    With ``engine`` (``carekg build --into``) the data goes to that remote engine instead of an
    Oxigraph store (carekg.dataset.engine_load); the dumps and report still go to ``store_dir``."""
    started = time.monotonic()
    if engine is not None:
        read_engine_manifest(engine)  # an engine that cannot be reached fails the build at once
    files = read_data_files(paths) if paths else bundled_data_files()
    check = (not paths) if validate is None else validate
    parsed = parse_each(files)
    quads = [quad for file_quads in parsed for quad in file_quads]
    report: bytes | None = None
    conforms: bool | None = None
    if check:
        if paths:
            context, _ = split_context(bundled_data_files())
            units = file_units(files, parsed, context)
        else:
            units = builtin_units(files, parsed)
        checked = check_units(units, cache_dir=store_dir / CACHE_FOLDER, located_in=files)
        if not checked.conforms:
            raise DataInvalidError(_violations_message(checked.results))
        conforms = True
        report = checked.report.serialize(format="nt", encoding="utf-8")
    if not paths:  # carekg's own data: its RDFS entailments in a graph of their own
        quads += inferred_quads(quads)
    result = write_build(
        store_dir,
        quads,
        validated=check,
        conforms=conforms,
        report_ntriples=report,
        shapes_version=shapes_version(shape_files()) if check else None,
        for_engine=engine is not None,
    )
    if engine is not None:
        result = replace(result, engine_load=load_into_engine(engine, result, quads))
    return replace(result, seconds=time.monotonic() - started)  # parsing and validation included


def _violations_message(all_results: Sequence[ValidationResult]) -> str:
    # sh:Info results (recorded conflicts between sources) do not fail a build: list the others.
    results = [r for r in all_results if not str(r.severity).endswith("#Info")]
    listed = [
        f"{result.location or 'built-in data'}: {result.message}"
        for result in results[:MAX_LISTED_VIOLATIONS]
    ]
    more = len(results) - len(listed)
    return (
        "the data breaks carekg's shapes (run `carekg validate` for the report):\n  "
        + "\n  ".join(listed)
        + (f"\n  … and {more} more" if more > 0 else "")
    )
