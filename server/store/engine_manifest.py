"""What a remote engine holds of carekg: which build is live, and the versioned names of its graphs.

``carekg build --into`` loads each of carekg's graphs under a versioned name (``versioned_name``), then
switches, in one write, the *engine manifest*: one triple in the graph ``MANIFEST_GRAPH`` whose literal
is this JSON. ``carekg serve --backend sparql`` reads it to know which graphs make the dataset and
follows it when it changes. One triple is written or not, so a reader sees the old manifest, the new
one, or (between a Graph Store PUT's delete and insert) none, which it takes as "no change".
"""

import json
from dataclasses import dataclass, field

import pyoxigraph as ox

MANIFEST_GRAPH = "urn:carekg:manifest"
MANIFEST_SUBJECT = ox.NamedNode(MANIFEST_GRAPH)
MANIFEST_PREDICATE = ox.NamedNode("urn:carekg:manifest#build")
VERSIONED_PREFIX = "urn:carekg:build:"
ENGINE_MANIFEST_FORMAT = 1

MANIFEST_QUERY = f"SELECT ?m WHERE {{ GRAPH <{MANIFEST_GRAPH}> {{ {MANIFEST_SUBJECT} {MANIFEST_PREDICATE} ?m }} }}"


def versioned_name(build_id: str, index: int | None) -> str:
    """The engine's name for graph number ``index`` (in the order of the public names) of a build
    (None: the default graph's triples). Zero-padded, so that ``ORDER BY ?g`` in the engine sorts the
    graphs as their public names sort."""
    return f"{VERSIONED_PREFIX}{build_id}:{'default' if index is None else f'{index:08d}'}"


def union_name(build_id: str) -> str:
    """The engine's name for the graph that holds every triple of the build's graphs once: the
    default graph of a query that names no dataset. Listing a build's thousands of graphs as the
    default graph costs Virtuoso 7.2 about a millisecond of compilation per graph and query."""
    return f"{VERSIONED_PREFIX}{build_id}:union"


def build_of_versioned(name: str) -> str | None:
    """The build id in a versioned graph name, or None for a graph that is not carekg's."""
    if not name.startswith(VERSIONED_PREFIX):
        return None
    build_id, _, _index = name[len(VERSIONED_PREFIX) :].rpartition(":")
    return build_id or None


@dataclass(frozen=True)
class EngineManifest:
    build: str  # the build's id: its folder under DIR/builds holds its dumps and report
    version: str  # the dataset version (the local manifest's)
    graphs: dict[str, str]  # public named-graph IRI -> versioned name in the engine
    default: str | None = None  # the versioned graph holding the default graph's triples, if any
    previous: str | None = None  # the build that was live before, whose graphs are kept a while
    union: str | None = None  # the versioned graph holding all the build's triples (older: none)
    outside_union: tuple[
        str, ...
    ] = ()  # public graphs whose triples the union leaves out (inferred)
    format: int = field(default=ENGINE_MANIFEST_FORMAT)

    @classmethod
    def for_build(
        cls,
        build_id: str,
        version: str,
        public_graphs: list[str],
        has_default: bool,
        previous: str | None,
        outside_union: tuple[str, ...] = (),
    ) -> "EngineManifest":
        return cls(
            build=build_id,
            version=version,
            graphs={g: versioned_name(build_id, i) for i, g in enumerate(sorted(public_graphs))},
            default=versioned_name(build_id, None) if has_default else None,
            previous=previous,
            union=union_name(build_id),
            outside_union=tuple(g for g in outside_union if g in public_graphs),
        )

    def to_json(self) -> str:
        """One key, and one graph, a line (``indent=0``): the Graph Store write keeps those lines."""
        return json.dumps(
            {
                "format": self.format,
                "build": self.build,
                "version": self.version,
                "graphs": self.graphs,
                "default": self.default,
                "previous": self.previous,
                "union": self.union,
                "outside_union": list(self.outside_union),
            },
            sort_keys=True,
            indent=0,
        )

    @classmethod
    def from_json(cls, text: str) -> "EngineManifest":
        data = json.loads(text)
        if data.get("format") != ENGINE_MANIFEST_FORMAT:
            raise ValueError(
                f"engine manifest format {data.get('format')!r} is not {ENGINE_MANIFEST_FORMAT}"
            )
        return cls(
            build=data["build"],
            version=data["version"],
            graphs=dict(data["graphs"]),
            default=data.get("default"),
            previous=data.get("previous"),
            union=data.get("union"),
            outside_union=tuple(data.get("outside_union", ())),
        )

    def as_quad(self) -> ox.Quad:
        return ox.Quad(
            MANIFEST_SUBJECT,
            MANIFEST_PREDICATE,
            ox.Literal(self.to_json()),
            ox.NamedNode(MANIFEST_GRAPH),
        )

    @property
    def engine_graphs(self) -> list[str]:
        """Every versioned graph of this build, the default graph's included (not the union)."""
        return [*self.graphs.values(), *([self.default] if self.default else [])]

    @property
    def graph_prefix(self) -> str:
        """What the versioned names of this build's graphs (and its union's) start with."""
        return f"{VERSIONED_PREFIX}{self.build}:"


@dataclass(frozen=True)
class EngineLoad:
    """What ``carekg build --into`` did in the engine."""

    manifest: EngineManifest
    dropped: list[str]  # versioned graphs removed after the switch
    seconds: float
