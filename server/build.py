"""Build the store a server answers from: parse, validate carekg's own data, then fill a new store.

Everything that can fail happens before the new store exists, so a failed build (or rebuild) leaves the
store that was serving untouched.
"""

from .config import Config
from .errors import CarekgError
from .loading import parse_all, read_data_files
from .sources import DataFile, bundled_data_files
from .store import EmbeddedStore, store_from_quads

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
            # sh:Info results (recorded conflicts between sources) do not fail the build: list the others.
            failing = [r for r in outcome.results if not str(r.severity).endswith("#Info")]
            listed = [
                f"{result.location or 'built-in data'}: {result.message}"
                for result in failing[:MAX_LISTED_VIOLATIONS]
            ]
            more = len(failing) - len(listed)
            raise DataInvalidError(
                "the built-in graph breaks carekg's shapes (run `carekg validate` for the report):\n  "
                + "\n  ".join(listed)
                + (f"\n  … and {more} more" if more > 0 else "")
            )
    return store_from_quads(quads)
