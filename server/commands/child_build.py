"""``build_into`` run in a child process, for a process that forks afterwards (gunicorn's master).

Writing a build opens an on-disk Oxigraph store, which starts RocksDB's background threads; they keep
running after the store is closed. A process forked from one inherits the thread pool's state but not its
threads, and its exit then waits forever for them (RocksDB joins its pool in an exit handler): every
gunicorn worker hung on SIGTERM until gunicorn killed it at its graceful timeout. Building in a spawned
process keeps the master free of those threads; the child's errors come back as their messages.
"""

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from ..errors import CarekgError


class ChildBuildError(CarekgError):
    """The build in the child process failed; the message is the child's error message."""


def build_in_child_process(
    store_dir: Path, paths: Sequence[Path] = (), validate: bool | None = None
) -> None:
    """``build_into(store_dir, paths, validate)`` in a spawned process; its CarekgError, raised here
    as a ChildBuildError with the same message."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as executor:
        error = executor.submit(_build, store_dir, tuple(paths), validate).result()
    if error is not None:
        raise ChildBuildError(error)


def _build(store_dir: Path, paths: tuple[Path, ...], validate: bool | None) -> str | None:
    # Imported in the child only: serve's master never needs the build pipeline.
    from ..dataset.build import build_into

    try:
        build_into(store_dir, paths, validate)
    except CarekgError as exc:
        return str(exc)
    return None
