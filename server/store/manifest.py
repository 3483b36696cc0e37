"""A build on disk: its layout, its manifest, which build is current, and the leases that keep it.

A store directory holds builds; ``current`` is a symbolic link to the one being served, replaced with
``rename`` so that a reader sees the old build or the new one, never a mix::

    DIR/current -> builds/<id>
    DIR/builds/<id>/manifest.json     written last: a build without it is incomplete and never served
    DIR/builds/<id>/oxigraph/         the on-disk Oxigraph store (opened read-only by servers)
    DIR/builds/<id>/dumps/...         every dump, plain and gzipped
    DIR/builds/<id>/validation.nt     the SHACL validation report of the data (pySHACL's report graph)
    DIR/builds/<id>/lease             servers hold a shared flock on it while they use the build
    DIR/cache/                        what a later build may reuse (per-file validation results)

A server holds a shared lock on the ``lease`` of each build it has open; pruning removes a build only if
it can take the lock exclusively, so no build disappears under a server.
"""

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import CarekgError

MANIFEST_FILE = "manifest.json"
STORE_FOLDER = "oxigraph"
DUMPS_FOLDER = "dumps"
REPORT_FILE = "validation.nt"
LEASE_FILE = "lease"
BUILDS_FOLDER = "builds"
CURRENT_LINK = "current"
CACHE_FOLDER = "cache"
MANIFEST_FORMAT = 1


class NoBuildError(CarekgError):
    """The store directory holds no complete build."""


class BuildUnreadableError(CarekgError):
    """A build's manifest is missing or malformed."""


@dataclass(frozen=True)
class DumpFile:
    """One dump file of a build: the whole dataset (``graph`` None) or one named graph."""

    format: str  # the format's dump name (MediaType.dump_name): turtle, nt, nq, trig, jsonld, xml
    graph: str | None
    gz: bool
    path: str  # relative to the build directory
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    version: str  # the dataset version: a hash of the data, a cache key
    built_at: str  # ISO 8601, UTC
    carekg_version: str
    triples: int
    graphs: dict[str, int]  # named graph IRI -> its number of triples
    graph_hashes: dict[
        str, str
    ]  # named graph IRI -> hash of its content (reuse of per-graph dumps)
    dumps: list[DumpFile] = field(default_factory=list)
    validated: bool = False  # whether the data was checked against the shapes at build time
    conforms: bool | None = None
    shapes_version: str | None = None
    # VoID statistics: "" for the union of all graphs, else a named graph's IRI
    statistics: dict[str, dict[str, Any]] = field(default_factory=dict)
    format: int = MANIFEST_FORMAT

    @property
    def built_at_datetime(self) -> datetime:
        return datetime.fromisoformat(self.built_at)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        data["dumps"] = [DumpFile(**d) for d in data.get("dumps", [])]
        return cls(**data)

    def dump(self, format_name: str, graph: str | None, gz: bool) -> DumpFile | None:
        for dump in self.dumps:
            if dump.format == format_name and dump.graph == graph and dump.gz == gz:
                return dump
        return None


def read_manifest(build: Path) -> Manifest:
    path = build / MANIFEST_FILE
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildUnreadableError(
            f"{build}: no {MANIFEST_FILE}: the build is incomplete"
        ) from None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise BuildUnreadableError(f"{path}: not a carekg build manifest: {exc}") from None


def current_build(store_dir: Path) -> Path:
    """The build ``DIR/current`` points at, resolved; NoBuildError if there is none."""
    link = store_dir / CURRENT_LINK
    try:
        target = link.resolve(strict=True)
    except (FileNotFoundError, RuntimeError):
        raise NoBuildError(
            f"{store_dir}: no build yet; run `carekg build --store {store_dir}` first"
        ) from None
    if not (target / MANIFEST_FILE).is_file():
        raise NoBuildError(f"{target}: the current build has no manifest")
    return target


def builds(store_dir: Path) -> list[Path]:
    """Every build folder of the store directory, oldest first (by name, which starts with a time)."""
    folder = (store_dir / BUILDS_FOLDER).resolve()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir())


def build_of_version(store_dir: Path, version: str) -> Path | None:
    """The newest complete build of a dataset version, or None."""
    for build in reversed(builds(store_dir)):
        if (build / MANIFEST_FILE).is_file():
            with contextlib.suppress(BuildUnreadableError):
                if read_manifest(build).version == version:
                    return build
    return None


class Lease:
    """A shared lock on a build's lease file, held while the build is in use (by pid: fork-safe)."""

    def __init__(self, build: Path):
        self.build = build
        self._fd: int | None = None

    def acquire(self) -> "Lease":
        if self._fd is None:
            self._fd = os.open(
                self.build / LEASE_FILE, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644
            )
            fcntl.flock(self._fd, fcntl.LOCK_SH)
        return self

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None


@contextlib.contextmanager
def exclusive(build: Path) -> Iterator[bool]:
    """Whether no process holds a lease on ``build`` (tried without waiting); while the context is
    open the build stays locked, so no server can take it up while it is being removed."""
    try:
        fd = os.open(build / LEASE_FILE, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
