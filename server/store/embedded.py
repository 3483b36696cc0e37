"""The embedded store: Oxigraph in memory, filled once from parsed quads.

It answers the endpoint in a forked child per query (see carekg.sparql.execution), which is why
``answer`` belongs to the store: a remote store sends the query with an HTTP timeout instead.
"""

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore

from ..sparql.execution import QueryJob, run_query_with_timeout
from ..sparql.results import Serialized
from .protocol import GraphName, QueryResult, Subject, Term


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
        return match(self.inner, graph, subject, predicate, object)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        union_default: bool = True,
    ) -> QueryResult:
        return evaluate(self.inner, sparql, default_graphs, named_graphs, union_default)

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


def store_from_quads(quads: list[ox.Quad]) -> EmbeddedStore:
    inner = ox.Store()
    inner.extend(quads)
    return EmbeddedStore(inner=inner, version=dataset_version(quads))


def match(
    store: ox.Store,
    graph: str | GraphName | None,
    subject: Subject | None,
    predicate: ox.NamedNode | None,
    obj: Term | None,
) -> Iterator[ox.Quad]:
    """``Store.quads`` on an Oxigraph store (the embedded one and a build's read the same way)."""
    graph_name = ox.NamedNode(graph) if isinstance(graph, str) else graph
    return iter(store.quads_for_pattern(subject, predicate, obj, graph_name))


def evaluate(
    store: ox.Store,
    sparql: str,
    default_graphs: Sequence[str],
    named_graphs: Sequence[str],
    union_default: bool,
) -> QueryResult:
    """``Store.query`` on an Oxigraph store."""
    if default_graphs or named_graphs:
        return store.query(
            sparql,
            default_graph=[ox.NamedNode(g) for g in default_graphs],
            named_graphs=[ox.NamedNode(g) for g in named_graphs],
        )
    return store.query(sparql, use_default_graph_as_union=union_default)
