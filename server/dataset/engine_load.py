"""`carekg build --into`: load a build's graphs into a remote engine, then switch the engine to it at once.

Readers must never see a mix of versions, and a load that fails or is killed half-way must leave the
old version serving whole. Neither the Graph Store Protocol (no MOVE) nor one graph at a time can
promise that, so every graph of a build is loaded under a *versioned* name that no reader uses yet
(carekg.store.engine_manifest); only once all are in is the engine manifest replaced, in one write,
and from then on ``carekg serve --backend sparql`` pins its queries to the new names. Graphs of
builds other than the live one and the one before it (kept for queries still running on it, and
any left by a load that was killed) are dropped afterwards.
"""

import json
import time
from collections.abc import Callable

import pyoxigraph as ox

from ..store.engine_manifest import (
    MANIFEST_GRAPH,
    VERSIONED_PREFIX,
    EngineLoad,
    EngineManifest,
    build_of_versioned,
)
from ..store.remote import GraphNames, read_engine_manifest
from ..store.sparql_client import RESULTS_JSON, SparqlClient
from .inference import INFERRED_GRAPH
from .writing import BuildResult, progress_bar

GRAPH_STORE_CHUNK = 50_000  # triples per Graph Store request
UPDATE_CHUNK = (
    500  # triples per INSERT DATA: Virtuoso refuses one whose generated SQL passes 10,000 lines
)
LOAD_TIMEOUT_SECONDS = 600.0

LIST_GRAPHS = f"""SELECT DISTINCT ?g WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{VERSIONED_PREFIX}"))
}}"""


def load_into_engine(
    client: SparqlClient,
    result: BuildResult,
    quads: list[ox.Quad],
    on_graph_loaded: Callable[[str], object] = lambda _name: None,
) -> EngineLoad:
    """Load the build's ``quads`` under versioned names, switch the engine manifest, drop old graphs.
    Raises carekg.store.sparql_client's EngineUnreachable naming the request that failed; until the
    switch nothing a reader sees has changed."""
    started = time.monotonic()
    previous = read_engine_manifest(client)
    public = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
    has_default = any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
    manifest = EngineManifest.for_build(
        result.build.name,
        result.manifest.version,
        public,
        has_default,
        previous.build if previous is not None else None,
        # The inferred graph stays out of the union, so that /sparql/asserted too is one graph.
        outside_union=(INFERRED_GRAPH,),
    )
    names = GraphNames(manifest)
    by_graph: dict[str, list[ox.Triple]] = {g: [] for g in manifest.engine_graphs}
    for quad in quads:
        engine_quad = names.engine_quad(quad)
        assert isinstance(engine_quad.graph_name, ox.NamedNode)
        by_graph[engine_quad.graph_name.value].append(engine_quad.triple)
    assert manifest.union is not None
    left_out = {manifest.graphs[g] for g in manifest.outside_union}
    by_graph[manifest.union] = list(
        dict.fromkeys(t for g in list(by_graph) if g not in left_out for t in by_graph[g])
    )
    with progress_bar(len(by_graph), "loading into the engine", "graphs") as bar:
        for graph, triples in by_graph.items():
            _load_graph(client, graph, triples)
            on_graph_loaded(graph)
            bar.update(1)
    switch_engine_manifest(client, manifest, previous)
    dropped = drop_stale_graphs(client, manifest)
    return EngineLoad(manifest, dropped, time.monotonic() - started)


def _load_graph(client: SparqlClient, graph: str, triples: list[ox.Triple]) -> None:
    # Blank-node labels are scoped to one request: a graph with blank nodes goes in one piece.
    whole = any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    )
    if client.graph_store_url is not None:
        size = len(triples) if whole else GRAPH_STORE_CHUNK
        chunks = [triples[i : i + size] for i in range(0, len(triples), size)] or [[]]
        for number, chunk in enumerate(chunks):
            client.put_graph(graph, _ntriples(chunk), LOAD_TIMEOUT_SECONDS, replace=number == 0)
        return
    client.update(f"DROP SILENT GRAPH <{graph}>", LOAD_TIMEOUT_SECONDS)
    size = len(triples) if whole else UPDATE_CHUNK
    # Virtuoso 7.2's INSERT DATA gives literals of one lexical form one datatype per request (with
    # "1"^^xsd:nonNegativeInteger and true, both become one of them), so each request holds the
    # literals of one datatype only; the Graph Store Protocol's loader has no such fault.
    by_datatype: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        kind = triple.object.datatype.value if isinstance(triple.object, ox.Literal) else ""
        by_datatype.setdefault(kind, []).append(triple)
    for group in by_datatype.values():
        for start in range(0, len(group), size):
            body = _ntriples(group[start : start + size]).decode("utf-8")
            client.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}", LOAD_TIMEOUT_SECONDS)


def switch_engine_manifest(
    client: SparqlClient, manifest: EngineManifest, replaces: EngineManifest | None
) -> None:
    """Replace the engine manifest (``replaces``: the one it holds now) in one write: one SPARQL
    Update operation where there is an update endpoint, else a Graph Store PUT of its one triple (a
    reader may then briefly find no manifest, which it takes as "no change")."""
    quad = manifest.as_quad()
    subject, predicate = quad.subject, quad.predicate
    graph = f"GRAPH <{MANIFEST_GRAPH}>"
    if client.update_url is None:
        literal = turtle_long_string(manifest.to_json())
        client.put_graph(
            MANIFEST_GRAPH, f"{subject} {predicate} {literal} .\n".encode(), LOAD_TIMEOUT_SECONDS
        )
    elif replaces is None:
        client.update(
            f"INSERT DATA {{ {graph} {{ {subject} {predicate} {quad.object} }} }}",
            LOAD_TIMEOUT_SECONDS,
        )
    else:
        # The WHERE clause must match: Virtuoso inserts nothing when it matches no row, even with an
        # OPTIONAL that should give one empty row (seen with 7.2.5 on an empty manifest graph).
        client.update(
            f"DELETE {{ {graph} {{ {subject} {predicate} ?old }} }}\n"
            f"INSERT {{ {graph} {{ {subject} {predicate} {quad.object} }} }}\n"
            f"WHERE {{ {graph} {{ {subject} {predicate} ?old }} }}",
            LOAD_TIMEOUT_SECONDS,
        )


def turtle_long_string(text: str) -> str:
    """``text`` as a Turtle long string, its line breaks kept: Virtuoso 7.2.5's Graph Store refuses a
    Turtle body with a line of 64 KiB or more ("unsupported type text/plain"), which the manifest's
    literal, about 130 bytes a graph, passes at some 500 graphs when written on one line."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"""{escaped}"""'


def drop_stale_graphs(client: SparqlClient, manifest: EngineManifest) -> list[str]:
    """Drop the versioned graphs of every build but the live one and the one before it."""
    keep = {manifest.build, manifest.previous}
    reply = client.query(LIST_GRAPHS, RESULTS_JSON, LOAD_TIMEOUT_SECONDS)
    if reply.status != 200:
        return []  # nothing is lost: the next build tries again
    stale = [
        row["g"]["value"]
        for row in json.loads(reply.body)["results"]["bindings"]
        if build_of_versioned(row["g"]["value"]) not in keep
    ]
    for graph in stale:
        if client.update_url is not None:
            client.update(f"DROP SILENT GRAPH <{graph}>", LOAD_TIMEOUT_SECONDS)
        else:
            client.delete_graph(graph, LOAD_TIMEOUT_SECONDS)
    return stale


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return "".join(f"{t} .\n" for t in triples).encode("utf-8")
