"""A store served from a build on disk: the manifest says what it holds, the on-disk Oxigraph store
answers pattern reads and in-app queries, and the query pool answers clients' queries.

The Oxigraph store is opened read-only lazily, once in each process that reads it (``Store.read_only``
starts RocksDB's threads: the gunicorn master, which forks the workers, must never open it). Opening
takes milliseconds, so ``carekg serve`` starts in well under a second whatever the data's size.

A process that uses a build holds its lease (see carekg.store.manifest) from its first use of the
BuiltStore until it closes or drops it, also when the pool answers its queries: a request that started
on a build that is no longer current still finds the build's store when a pool process opens it.
"""

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from ..sparql.execution import QueryJob
from ..sparql.results import Serialized
from .embedded import evaluate, match
from .manifest import (
    REPORT_FILE,
    STORE_FOLDER,
    DumpFile,
    Lease,
    Manifest,
    current_build,
    read_manifest,
)
from .pool import QueryPool
from .protocol import GraphName, QueryResult, Subject, Term


class BuiltStore:
    """One build of a store directory, served read-only."""

    def __init__(self, build: Path, pool: QueryPool | None, store_dir: Path | None = None):
        self._lock = threading.RLock()  # oxigraph() takes the lease while it holds the lock
        self._lease: tuple[int, Lease] | None = None  # the process that holds it, and the lease
        self._opened: tuple[int, ox.Store] | None = (
            None  # the process that opened it, and the store
        )
        self.build = build
        self.store_dir = store_dir
        self.manifest: Manifest = read_manifest(build)
        self.version = self.manifest.version
        self.built_at: datetime = self.manifest.built_at_datetime
        self.pool = pool

    def health(self) -> dict[str, object]:
        """What ``/health`` says of this store beyond the dataset's version and graphs."""
        body: dict[str, object] = {"triples": self.manifest.triples, "store_path": str(self.build)}
        if self.pool is not None:
            stats = self.pool.stats()
            body["pool"] = {"size": stats.size, "busy": stats.busy, "waiting": stats.waiting}
        return body

    # ---------------------------------------------------------------- the Store protocol

    def named_graphs(self) -> list[str]:
        return sorted(self.manifest.graphs)

    def quads(
        self,
        graph: str | GraphName | None = None,
        *,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
    ) -> Iterator[ox.Quad]:
        return match(self.oxigraph(), graph, subject, predicate, object)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        union_default: bool = True,
    ) -> QueryResult:
        return evaluate(self.oxigraph(), sparql, default_graphs, named_graphs, union_default)

    def answer(self, job: QueryJob, timeout: float) -> Serialized:
        if self.pool is None:
            raise RuntimeError("this store was opened without a query pool")
        self.hold()
        return self.pool.answer(job, self.build / STORE_FOLDER, timeout)

    # ---------------------------------------------------------------- what the build computed

    def dump_file(
        self, format_name: str, graph: str | None, gz: bool
    ) -> tuple[Path, DumpFile] | None:
        dump = self.manifest.dump(format_name, graph, gz)
        return (self.build / dump.path, dump) if dump is not None else None

    @property
    def validation_report(self) -> Path | None:
        path = self.build / REPORT_FILE
        return path if self.manifest.validated and path.is_file() else None

    # ---------------------------------------------------------------- opening and switching

    def hold(self) -> bool:
        """Hold this process's lease on the build (taken once, kept until close): while any process
        holds it, no build prunes the build's store. False if the store is gone already (the build was
        replaced and pruned before this process held it)."""
        pid = os.getpid()
        held = self._lease
        if held is not None and held[0] == pid:
            return True
        with self._lock:
            if self._lease is not None and self._lease[0] == pid:
                return True
            try:
                lease = Lease(self.build).acquire()
            except FileNotFoundError:  # the whole build folder was pruned
                return False
            except OSError:  # no lease can be written here (a read-only folder): serve it unleased
                return (self.build / STORE_FOLDER).is_dir()
            if not (self.build / STORE_FOLDER).is_dir():
                lease.release()
                return False
            self._lease = (pid, lease)
            return True

    def oxigraph(self) -> ox.Store:
        """The read-only Oxigraph store, opened in this process on first use (and leased)."""
        pid = os.getpid()
        opened = self._opened
        if opened is not None and opened[0] == pid:
            return opened[1]
        with self._lock:
            if self._opened is None or self._opened[0] != pid:
                self.hold()
                self._opened = (pid, ox.Store.read_only(str(self.build / STORE_FOLDER)))
            return self._opened[1]

    def successor(self) -> "BuiltStore | None":
        """The store directory's current build, if it is no longer this one."""
        if self.store_dir is None:
            return None
        latest = current_build(self.store_dir)
        if latest == self.build:
            return None
        return BuiltStore(latest, self.pool, self.store_dir)

    def close(self) -> None:
        """Release this process's lease (and its store): a build that no process holds may be pruned."""
        with self._lock:
            if self._lease is not None and self._lease[0] == os.getpid():
                self._lease[1].release()
            self._lease = None
            self._opened = None

    def __del__(self) -> None:
        # A store the server followed away from is dropped once the last request using it has ended.
        self.close()


def open_current(store_dir: Path, pool: QueryPool | None) -> BuiltStore:
    """The store directory's current build."""
    return BuiltStore(current_build(store_dir), pool, store_dir)


LOAD_CHUNK = 50_000


def load_on_disk(
    path: Path, quads: Sequence[ox.Quad], progress: Callable[[int], object] = lambda _n: None
) -> dict[str, int]:
    """Bulk-load quads into a new on-disk store at ``path`` and close it; the triples of each named
    graph, counted. ``progress`` is told how many quads each chunk held."""
    store = ox.Store(str(path))
    for start in range(0, len(quads), LOAD_CHUNK):
        chunk = quads[start : start + LOAD_CHUNK]
        store.bulk_extend(chunk)
        progress(len(chunk))
    store.flush()
    store.optimize()
    del store  # closes RocksDB before the build folder is renamed
    return graph_sizes(quads)


def graph_sizes(quads: Sequence[ox.Quad]) -> dict[str, int]:
    """The number of quads in each named graph."""
    counts: dict[str, int] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    return counts
