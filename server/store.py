"""Store access: one small interface, whatever store answers.

Everything above this module reaches the data through ``Store``: pattern reads (``quads``), in-app
SPARQL (``query``: page lookups, counts) and the endpoint's timed, serialized answers (``answer``).
carekg's term model is pyoxigraph's term classes: the embedded store yields them as they are, and a
remote SPARQL 1.1 store can build them from its results with ``pyoxigraph.parse_query_results``.
Graphs are named by their IRIs as strings.

The embedded store is Oxigraph in memory; it answers the endpoint in a forked child per query (see
query_exec), which is why ``answer`` belongs to the store: a remote store sends the query with an
HTTP timeout instead.
"""

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore

from .loading import parse_all
from .query_exec import QueryJob, run_query_with_timeout
from .result_writer import Serialized
from .sources import DataFile

Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@runtime_checkable
class Store(Protocol):
    """What the server and the CLI need of a store (read-only)."""

    version: str  # changes whenever the data does: a cache key
    built_at: datetime

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        ...

    def quads(
        self,
        graph: str | GraphName | None = None,
        *,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads matching a pattern (None matches anything; ``graph=None``: every graph)."""
        ...

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        union_default: bool = True,
    ) -> QueryResult:
        """Evaluate an in-app query. Without ``default_graphs`` or ``named_graphs`` the default graph
        is the union of all graphs when ``union_default``, else the store's own default graph."""
        ...

    def answer(self, job: QueryJob, timeout: float) -> Serialized:
        """Evaluate and serialize a client's query, stopping it at ``timeout`` seconds
        (raises query_exec's QueryTimeout, QuerySyntaxError, InvalidDatasetIri, QueryFailed or
        QueryCrashed, query_scan's QueryTooComplex, or result_writer's UnproducibleFormat)."""
        ...


@dataclass
class EmbeddedStore:
    """Oxigraph in memory, filled once from parsed quads; never written to afterwards."""

    inner: ox.Store
    version: str
    built_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.inner.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(
        self,
        graph: str | GraphName | None = None,
        *,
        subject: Subject | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
    ) -> Iterator[ox.Quad]:
        graph_name = ox.NamedNode(graph) if isinstance(graph, str) else graph
        return iter(self.inner.quads_for_pattern(subject, predicate, object, graph_name))

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        union_default: bool = True,
    ) -> QueryResult:
        if default_graphs or named_graphs:
            return self.inner.query(
                sparql,
                default_graph=[ox.NamedNode(g) for g in default_graphs],
                named_graphs=[ox.NamedNode(g) for g in named_graphs],
            )
        return self.inner.query(sparql, use_default_graph_as_union=union_default)

    def answer(self, job: QueryJob, timeout: float) -> Serialized:
        return run_query_with_timeout(self.inner, job, timeout)

    def pyoxigraph(self) -> ox.Store:
        """The Oxigraph store itself, for tests and benchmarks; not part of the Store protocol."""
        return self.inner

    def rdflib_dataset(self) -> rdflib.Dataset:
        """rdflib's API over this same Oxigraph store (oxrdflib, no copy), for Python users of carekg.

        The default graph is the union of all graphs, as on the endpoint. Pass queries as strings: a
        prepared query object makes oxrdflib fall back to rdflib's own, much slower, engine.
        """
        return rdflib.Dataset(store=OxigraphStore(store=self.inner), default_union=True)


def dataset_version(quads: Iterable[ox.Quad]) -> str:
    """A hash of the dataset's canonical N-Quads (sorted lines; the data has no blank nodes)."""
    lines = sorted(str(q) + " .\n" for q in quads)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()[:16]


def build_embedded_store(files: Iterable[DataFile]) -> EmbeddedStore:
    """Parse every file first, then fill a new store: a parse error leaves no half-built store."""
    return store_from_quads(parse_all(files))


def store_from_quads(quads: list[ox.Quad]) -> EmbeddedStore:
    inner = ox.Store()
    inner.extend(quads)
    return EmbeddedStore(inner=inner, version=dataset_version(quads))
