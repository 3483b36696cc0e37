"""Where carekg's own data lives: the ontology, the SKOS schemes and one Turtle file per report.

Each bundled file becomes one named graph, ``<https://w3id.org/carekg/graph/{file stem}>``.
"""

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from ..rdf.namespaces import GRAPH_BASE

DATA_PACKAGES = ("carekg.ontology", "carekg.graph")


@dataclass(frozen=True)
class DataFile:
    """One RDF document to load: a name for messages, its bytes, and the graph its triples go to.

    ``graph_iri`` None sends triples to the default graph (quad formats keep their own graphs);
    ``base_iri`` resolves relative IRIs (carekg's own files have none).
    """

    name: str
    data: bytes
    graph_iri: str | None
    base_iri: str | None = None


def graph_iri_for(stem: str) -> str:
    return GRAPH_BASE + stem


def bundled_turtle() -> list[Traversable]:
    files: list[Traversable] = []
    for package in DATA_PACKAGES:
        files.extend(
            sorted(
                (f for f in resources.files(package).iterdir() if f.name.endswith(".ttl")),
                key=lambda f: f.name,
            )
        )
    return files


def bundled_data_files() -> list[DataFile]:
    """The built-in dataset: every bundled Turtle file, each in the named graph of its stem."""
    return [
        DataFile(name=str(f), data=f.read_bytes(), graph_iri=graph_iri_for(stem(f)))
        for f in bundled_turtle()
    ]


def stem(f: Traversable) -> str:
    return f.name.rsplit(".", 1)[0]
