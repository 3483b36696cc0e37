"""Store access: one small interface, whatever store answers.

The embedded store is Oxigraph in memory, reached through rdflib's API (oxrdflib) for graph work and
through pyoxigraph itself for SPARQL, which takes per-query datasets and streams results (see DESIGN.md).
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore

from .loading import parse_all
from .sources import DataFile


class Store(Protocol):
    """What the server and the CLI need of a store."""

    version: str
    built_at: datetime

    def pyoxigraph(self) -> ox.Store: ...

    def rdflib_dataset(self) -> rdflib.Dataset: ...

    def named_graphs(self) -> list[str]: ...

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]: ...


@dataclass
class EmbeddedStore:
    """Oxigraph in memory, filled once from parsed quads; never written to afterwards."""

    dataset: rdflib.Dataset
    inner: ox.Store
    version: str
    built_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def pyoxigraph(self) -> ox.Store:
        return self.inner

    def rdflib_dataset(self) -> rdflib.Dataset:
        return self.dataset

    def named_graphs(self) -> list[str]:
        return sorted(
            g.value for g in self.pyoxigraph().named_graphs() if isinstance(g, ox.NamedNode)
        )

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        graph_name = ox.NamedNode(graph) if graph else None
        return iter(self.pyoxigraph().quads_for_pattern(None, None, None, graph_name))


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
    dataset = rdflib.Dataset(store=OxigraphStore(store=inner), default_union=True)
    return EmbeddedStore(dataset=dataset, inner=inner, version=dataset_version(quads))
