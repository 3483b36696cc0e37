"""Writing a build: parse, validate, bulk-load a new on-disk store, write every dump and the validation
report, then switch the store directory's ``current`` build to it at once.

Everything that can fail (a malformed file, a shape violation, a full disk, ``kill -9``) fails before the
switch: the new build is written in ``builds/<id>.partial`` and only renamed into place, with its manifest
written last, once complete; ``current`` is a symbolic link replaced by ``rename``. The previous build keeps
serving until the switch, and stays on disk while any server holds its lease.
"""

import contextlib
import fcntl
import gzip
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from tqdm import tqdm

from .. import __version__
from ..errors import CarekgError
from ..rdf.formats import RDF_GRAPH_FORMATS
from ..store.built import graph_sizes, load_on_disk
from ..store.embedded import EmbeddedStore, dataset_version, store_from_quads
from ..store.engine_manifest import EngineLoad
from ..store.manifest import (
    BUILDS_FOLDER,
    CURRENT_LINK,
    DUMPS_FOLDER,
    MANIFEST_FILE,
    REPORT_FILE,
    STORE_FOLDER,
    DumpFile,
    Manifest,
    builds,
    current_build,
    exclusive,
    read_manifest,
)
from .dumps import serialize_each
from .loading import parse_quads
from .sources import DataFile
from .statistics import statistics

BUILD_LOCK = ".build.lock"
GZIP_LEVEL = 6  # zlib's default: level 9 took twice as long for files a few per cent smaller
PARTIAL_SUFFIX = ".partial"
KEEP_DUMPS_OF = 3  # the dumps of the newest builds stay downloadable by their versioned URLs


class BuildError(CarekgError):
    """A build that could not be written; the previous build (if any) is still current."""


@dataclass(frozen=True)
class BuildResult:
    build: Path
    manifest: Manifest
    seconds: float  # build_into: the whole build, parsing, validation and an engine load included
    engine_load: EngineLoad | None = None  # with ``carekg build --into``: what went to the engine


def progress_bar(total: int | None, description: str, unit: str) -> "tqdm[object]":
    """A progress bar on a terminal, nothing elsewhere (CI logs, pipes)."""
    return tqdm(
        total=total,
        desc=description,
        unit=unit,
        unit_scale=True,
        disable=not sys.stderr.isatty(),
        leave=False,
    )


@contextlib.contextmanager
def build_lock(store_dir: Path) -> Iterator[None]:
    """One build at a time per store directory (a second one waits)."""
    store_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(store_dir / BUILD_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def parse_each(files: Sequence[DataFile]) -> list[list[ox.Quad]]:
    """Each file's quads (a list per file)."""
    parsed: list[list[ox.Quad]] = []
    with progress_bar(len(files), "parsing", "files") as bar:
        for index, file in enumerate(files):
            parsed.append(parse_quads(file, index))
            bar.update(1)
    return parsed


def write_build(
    store_dir: Path,
    quads: list[ox.Quad],
    *,
    validated: bool,
    conforms: bool | None,
    report_ntriples: bytes | None,
    shapes_version: str | None,
    for_engine: bool = False,
) -> BuildResult:
    """Write ``quads`` (already parsed and, where wanted, validated) as a new build of ``store_dir``
    and make it current. Raises BuildError naming the cause; the previous build stays current.

    ``for_engine``: the build's data goes to a remote engine (``carekg build --into``), so no Oxigraph
    store is written and ``current`` is left alone: the engine's manifest names the build it serves."""
    started = time.monotonic()
    with build_lock(store_dir):
        _remove_stale_partials(store_dir)
        version = dataset_version(quads)
        built_at = datetime.now(UTC).replace(microsecond=0)
        # Names sort by time; the nanoseconds keep two builds of one version in one second apart.
        build_id = f"{built_at.strftime('%Y%m%dT%H%M%SZ')}-{time.time_ns() % 10**9:09d}-{version}"
        partial = store_dir.resolve() / BUILDS_FOLDER / (build_id + PARTIAL_SUFFIX)
        final = store_dir.resolve() / BUILDS_FOLDER / build_id
        try:
            partial.mkdir(parents=True)
            if for_engine:
                graphs = graph_sizes(quads)
            else:
                with progress_bar(len(quads), "loading", "triples") as bar:
                    graphs = load_on_disk(partial / STORE_FOLDER, quads, bar.update)
            hashes = _graph_hashes(quads)
            dumps = _write_dumps(partial, quads, version, hashes, _previous_manifest(store_dir))
            if report_ntriples is not None:
                _write_file(partial / REPORT_FILE, report_ntriples)
            manifest = Manifest(
                version=version,
                built_at=built_at.isoformat(),
                carekg_version=__version__,
                triples=len({q.triple for q in quads}),
                graphs=graphs,
                graph_hashes=hashes,
                dumps=dumps,
                validated=validated,
                conforms=conforms,
                shapes_version=shapes_version,
                statistics=_statistics(quads),
            )
            _write_file(partial / MANIFEST_FILE, manifest.to_json().encode("utf-8"))
            _fsync_dir(partial)
            os.rename(partial, final)
            if not for_engine:
                _switch_current(store_dir, final)
        except OSError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise BuildError(
                f"could not write the build in {store_dir}: {exc.strerror or exc}"
                + (f" ({exc.filename})" if exc.filename else "")
                + "; the previous build is still current"
            ) from None
        prune(store_dir)
    return BuildResult(final, manifest, time.monotonic() - started)


def _statistics(quads: list[ox.Quad]) -> dict[str, dict[str, Any]]:
    """VoID's figures as the store will answer them (Oxigraph stores integer-derived literals as
    xsd:integer, so they are counted from a store, not from the parsed quads)."""
    store = store_from_quads(quads)
    out = {
        graph: statistics(q.triple for q in store.quads(graph)).to_dict()
        for graph in store.named_graphs()
    }
    out[""] = statistics(q.triple for q in store.quads()).to_dict()
    return out


def _graph_hashes(quads: Iterable[ox.Quad]) -> dict[str, str]:
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            by_graph.setdefault(quad.graph_name.value, []).append(str(quad.triple))
    return {
        graph: hashlib.sha256("\n".join(sorted(set(lines))).encode()).hexdigest()[:32]
        for graph, lines in by_graph.items()
    }


def _previous_manifest(store_dir: Path) -> tuple[Path, Manifest] | None:
    try:
        build = current_build(store_dir)
        return build, read_manifest(build)
    except CarekgError:
        return None


def _write_dumps(
    build: Path,
    quads: list[ox.Quad],
    version: str,
    hashes: dict[str, str],
    previous: tuple[Path, Manifest] | None,
) -> list[DumpFile]:
    """Every dump in every format, plain and gzipped. What is unchanged since the previous build reuses
    that build's files (hard links) instead of being serialized again: a named graph whose content is
    the same, and the whole dataset's dumps when the dataset is (the same version, by the same carekg).

    The named graphs' dumps are written by worker processes (spawned: this process may run RocksDB
    threads), each handed its graphs as N-Quads, while this process writes the whole dataset's."""
    written: list[DumpFile] = []
    todo: list[str] = []
    for graph in sorted(hashes):
        reused = [_reuse(build, graph, f.dump_name, hashes, previous) for f in RDF_GRAPH_FORMATS]
        if all(reused):
            written += [file for files in reused if files for file in files]
        else:
            todo.append(graph)
    whole = [_reuse_whole(build, f.dump_name, version, previous) for f in RDF_GRAPH_FORMATS]
    whole_reused = all(whole)
    if whole_reused:
        written += [file for files in whole if files for file in files]
    by_graph: dict[str, list[str]] = {}
    wanted = set(todo)
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in wanted:
            by_graph.setdefault(quad.graph_name.value, []).append(f"{quad} .\n")
    workers = max(1, min(os.cpu_count() or 1, len(todo) // DUMP_GRAPHS_PER_TASK))
    chunks = [todo[i::workers] for i in range(workers)] if todo else []
    with progress_bar(len(todo) + 1, "dumps", "graphs") as bar:
        if len(chunks) > 1:
            with ProcessPoolExecutor(
                max_workers=len(chunks), mp_context=get_context("spawn")
            ) as pool:
                futures = [
                    pool.submit(
                        _dump_graphs,
                        str(build),
                        chunk,
                        "".join(line for g in chunk for line in by_graph[g]).encode("utf-8"),
                    )
                    for chunk in chunks
                ]
                if not whole_reused:
                    written += _dump_graph(build, store_from_quads(quads), None)
                bar.update(1)
                for future in futures:
                    files = future.result()
                    written += files
                    bar.update(len(files) // (2 * len(RDF_GRAPH_FORMATS)))
        elif todo or not whole_reused:
            store = store_from_quads(quads)
            for name in ([] if whole_reused else [None]) + todo:
                written += _dump_graph(build, store, name)
                bar.update(1)
    return written


DUMP_GRAPHS_PER_TASK = 16  # fewer graphs than this per worker are not worth a process


def _dump_graphs(build: str, graphs: list[str], nquads: bytes) -> list[DumpFile]:
    """In a worker process: the dumps of ``graphs``, whose statements ``nquads`` holds."""
    store = store_from_quads(list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)))
    return [file for graph in graphs for file in _dump_graph(Path(build), store, graph)]


def _dump_graph(build: Path, store: EmbeddedStore, graph: str | None) -> list[DumpFile]:
    files: list[DumpFile] = []
    for rdf_format, data in serialize_each(store.quads(graph), RDF_GRAPH_FORMATS):
        files += _write_dump_pair(build, graph, rdf_format.dump_name, rdf_format.extension, data)
    return files


def _dump_name(graph: str | None, extension: str) -> str:
    if graph is None:
        return f"carekg.{extension}"
    digest = hashlib.sha256(graph.encode()).hexdigest()[:16]
    return f"graph/{digest}.{extension}"


def _write_dump_pair(
    build: Path, graph: str | None, format_name: str, extension: str, data: bytes
) -> list[DumpFile]:
    out = []
    for gz, body in ((False, data), (True, gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))):
        relative = f"{DUMPS_FOLDER}/{_dump_name(graph, extension)}" + (".gz" if gz else "")
        _write_file(build / relative, body)
        out.append(
            DumpFile(
                format=format_name,
                graph=graph,
                gz=gz,
                path=relative,
                bytes=len(body),
                sha256=hashlib.sha256(body).hexdigest(),
            )
        )
    return out


def _reuse(
    build: Path,
    graph: str,
    format_name: str,
    hashes: dict[str, str],
    previous: tuple[Path, Manifest] | None,
) -> list[DumpFile] | None:
    if previous is None or previous[1].graph_hashes.get(graph) != hashes[graph]:
        return None
    return _link_previous(build, previous, format_name, graph)


def _reuse_whole(
    build: Path, format_name: str, version: str, previous: tuple[Path, Manifest] | None
) -> list[DumpFile] | None:
    if previous is None:
        return None
    old = previous[1]
    if old.version != version or old.carekg_version != __version__:
        return None
    return _link_previous(build, previous, format_name, None)


def _link_previous(
    build: Path, previous: tuple[Path, Manifest], format_name: str, graph: str | None
) -> list[DumpFile] | None:
    """The previous build's dumps of ``graph`` in one format (plain and gzipped), linked into ``build``."""
    old_build, old = previous
    files = [old.dump(format_name, graph, gz) for gz in (False, True)]
    if any(f is None for f in files):
        return None
    out = []
    for file in files:
        assert file is not None
        target = build / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old_build / file.path, target)
        except OSError:
            shutil.copyfile(old_build / file.path, target)
        out.append(file)
    return out


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _switch_current(store_dir: Path, build: Path) -> None:
    """Point ``current`` at ``build`` in one step: a new link, renamed over the old one."""
    link = store_dir / CURRENT_LINK
    temporary = store_dir / f".{CURRENT_LINK}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    os.symlink(os.path.relpath(build, store_dir), temporary)
    os.replace(temporary, link)
    _fsync_dir(store_dir)


def _remove_stale_partials(store_dir: Path) -> None:
    """Builds left half-written by a build that was killed (we hold the build lock: none is running)."""
    folder = store_dir / BUILDS_FOLDER
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name.endswith(PARTIAL_SUFFIX):
                shutil.rmtree(path, ignore_errors=True)


def prune(store_dir: Path, keep_dumps: int = KEEP_DUMPS_OF) -> list[Path]:
    """Remove old builds no server uses: the store and report of every build but the current one,
    and the dumps of all but the newest ``keep_dumps`` builds (whose versioned URLs stay valid)."""
    try:
        current = current_build(store_dir)
    except CarekgError:
        return []
    complete = [b for b in builds(store_dir) if (b / MANIFEST_FILE).is_file()]
    keep_dump_folders = set(complete[-keep_dumps:])
    removed = []
    for build in complete:
        if build == current:
            continue
        with exclusive(build) as free:
            if not free:
                continue
            if build in keep_dump_folders:
                shutil.rmtree(build / STORE_FOLDER, ignore_errors=True)
            else:
                shutil.rmtree(build, ignore_errors=True)
                removed.append(build)
    return removed
