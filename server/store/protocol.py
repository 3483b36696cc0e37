"""Store access: one small interface, whatever store answers.

Everything above this package reaches the data through ``Store``: pattern reads (``quads``), in-app
SPARQL (``query``: page lookups, counts) and the endpoint's timed, serialized answers (``answer``).
carekg's term model is pyoxigraph's term classes: the embedded store yields them as they are, and a
remote SPARQL 1.1 store can build them from its results with ``pyoxigraph.parse_query_results``.
Graphs are named by their IRIs as strings.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from ..sparql.execution import QueryJob
from ..sparql.results import Serialized

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
        (raises carekg.sparql.execution's QueryTimeout, QuerySyntaxError, InvalidDatasetIri, QueryFailed or
        QueryCrashed, carekg.sparql.scan's QueryTooComplex, or carekg.sparql.results' UnproducibleFormat)."""
        ...
