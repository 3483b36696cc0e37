"""The units data is validated in: one per report file (or graph), and one for the shared nodes.

Every node is validated in exactly one unit, its owner's, against data that holds what its shapes look at:

- A report file owns the IRIs it describes (is the subject of) that no context file describes, and its
  blank nodes. Its unit validates those nodes with the context (the ontology, the SKOS schemes and
  graph/shared.ttl) and, from the other report files, the description of every IRI the context mentions
  (a shared publisher cites a page that a report describes; the seed report adds to shared nodes). Report
  files that describe the same node, or mention a node another one owns, are one unit: no report file
  outside a unit mentions a node the unit owns.
- The shared unit validates every other node (those the context describes, and any node no report owns)
  against all the data, so the shared nodes are checked exactly as in one validation of everything.

A report's unit therefore depends on its own file, the context and those descriptions, not on the other
reports: when one report changes, its unit and the shared unit are validated again and the other reports'
outcomes come from the cache (unless the change is to a description the context's nodes need, which every
unit holds). The split relies on what carekg's shapes do: from a report's node, a constraint follows links
to and from that node and the nodes it links to, and so stays within the unit's data. A constraint that
joined two reports' own nodes by a shared value (two reports each describing a calendar month with the same
year and month, say) would see only one of them; carekg's months, grades and schemes are shared nodes,
validated against all the data. tests/test_validation_units.py checks that the units find what one
validation of everything finds.
"""

from collections.abc import Sequence
from pathlib import PurePath

import pyoxigraph as ox

from .checking import Unit
from .focus import FocusNodes
from .loading import parse_quads
from .sources import DataFile

CONTEXT_FILE_NAMES = ("shared.ttl",)  # report-independent files in graph/ (beside the ontology)


def is_context(file: DataFile) -> bool:
    """Ontology files and graph/shared.ttl are the context every report is validated with."""
    path = PurePath(file.name)
    return "ontology" in path.parts or path.name in CONTEXT_FILE_NAMES


def split_context(files: Sequence[DataFile]) -> tuple[list[DataFile], list[DataFile]]:
    """(context, reports) of the built-in data."""
    return [f for f in files if is_context(f)], [f for f in files if not is_context(f)]


def builtin_units(files: Sequence[DataFile], quads: Sequence[Sequence[ox.Quad]]) -> list[Unit]:
    """The units of the built-in data ``files``, whose parsed quads are ``quads`` (one list per file)."""
    context = [i for i, f in enumerate(files) if is_context(f)]
    reports = [i for i, f in enumerate(files) if not is_context(f)]
    described = [_described(q) for q in quads]
    context_described = set().union(*(described[i] for i in context))
    context_mentioned = set().union(*(_mentioned(quads[i]) for i in context))
    owned = {i: described[i] - context_described for i in reports}
    groups = _groups(reports, owned, [_mentioned(q) for q in quads])
    descriptions = {i: _descriptions(quads[i], context_mentioned) for i in reports}
    units = [
        Unit(
            files=tuple(files[i] for i in group),
            context=tuple(files[i] for i in context),
            descriptions="".join(
                sorted(line for i in reports if i not in group for line in descriptions[i])
            ).encode("utf-8"),
            focus=FocusNodes(iris=frozenset().union(*(owned[i] for i in group))),
        )
        for group in groups
    ]
    shared = Unit(
        files=tuple(files[i] for i in context),
        context=tuple(files[i] for i in reports),
        focus=FocusNodes(iris=frozenset().union(*owned.values()), all_but=True),
    )
    return [shared, *units]


def file_units(
    files: Sequence[DataFile], quads: Sequence[Sequence[ox.Quad]], context: Sequence[DataFile]
) -> list[Unit]:
    """The units of files named on the command line, validated with the built-in ``context`` (whose
    own nodes the built-in data's build checks).

    A file of one graph is one unit. A file of several named graphs (an N-Quads or TriG corpus of many
    reports) is split into its graphs, so that validation stays linear in reports (pySHACL over the
    100k-triple benchmark corpus as one graph took 100 s; split, 33 units took 2.3 s for the shared one
    and about 1 s each). As with the built-in data, a graph describing a node that two or more other
    graphs mention without describing it (the ontology's terms, the council areas) is *shared*, and its
    nodes are validated against all the data; every other graph is validated with the shared graphs,
    the context and what the others say of the nodes those mention, together with the graphs it shares
    a node with. A file whose graphs share a blank node is not split (that would make two nodes of it).
    """
    documents: list[DataFile] = []
    parts: list[list[ox.Quad]] = []
    for file, file_quads in zip(files, quads, strict=True):
        graphs = _by_graph(file_quads)
        if len(graphs) < 2 or _blank_nodes_shared(graphs):
            documents.append(file)
            parts.append(list(file_quads))
            continue
        for graph, graph_quads in graphs.items():
            label = graph.value if isinstance(graph, ox.NamedNode) else "default graph"
            data = "".join(f"{q} .\n" for q in graph_quads).encode("utf-8")
            documents.append(DataFile(f"{file.name}#{label}.nq", data, graph_iri=None))
            parts.append(graph_quads)
    if len(documents) == len(files):
        return [
            Unit(
                files=(file,),
                context=tuple(context),
                focus=FocusNodes(iris=frozenset(_described(q))),
            )
            for file, q in zip(documents, parts, strict=True)
        ]
    context_quads = [parse_quads(f, i) for i, f in enumerate(context)]
    context_described = set().union(*(_described(q) for q in context_quads))
    described = [_described(q) for q in parts]
    mentioned = [_mentioned(q) for q in parts]
    # Graphs that describe a node are grouped with one another below; only mentions by graphs that
    # do not describe it make its describer shared (the ontology's classes, the council areas).
    mentions: dict[str, int] = {}
    for i, iris in enumerate(mentioned):
        for iri in iris - described[i]:
            mentions[iri] = mentions.get(iri, 0) + 1
    shared = [
        i for i, iris in enumerate(described) if any(mentions.get(iri, 0) >= 2 for iri in iris)
    ]
    reports = [i for i in range(len(documents)) if i not in set(shared)]
    around = context_described.union(*(described[i] for i in shared))
    owned = {i: described[i] - around for i in reports}
    groups = _groups(reports, owned, mentioned)
    context_mentioned = set().union(
        *(_mentioned(q) for q in context_quads), *(mentioned[i] for i in shared)
    )
    descriptions = {i: _descriptions(parts[i], context_mentioned) for i in reports}
    shared_context = (*context, *(documents[i] for i in shared))
    units = [
        Unit(
            files=tuple(documents[i] for i in group),
            context=shared_context,
            descriptions="".join(
                sorted(line for i in reports if i not in group for line in descriptions[i])
            ).encode("utf-8"),
            focus=FocusNodes(iris=frozenset().union(*(owned[i] for i in group))),
        )
        for group in groups
    ]
    # The rest of the file's nodes (the shared graphs', and those a report describes that the
    # context describes too) against all the data.
    rest = frozenset().union(*described) - frozenset().union(*owned.values())
    if not shared and not rest:
        return units
    shared_unit = Unit(
        files=tuple(documents[i] for i in shared),
        context=(*context, *(documents[i] for i in reports)),
        focus=FocusNodes(iris=rest),
    )
    return [shared_unit, *units]


def _by_graph(quads: Sequence[ox.Quad]) -> dict[ox.NamedNode | ox.DefaultGraph, list[ox.Quad]]:
    graphs: dict[ox.NamedNode | ox.DefaultGraph, list[ox.Quad]] = {}
    for quad in quads:
        graphs.setdefault(quad.graph_name, []).append(quad)  # type: ignore[arg-type]
    return graphs


def _blank_nodes_shared(graphs: dict[ox.NamedNode | ox.DefaultGraph, list[ox.Quad]]) -> bool:
    seen: dict[ox.BlankNode, object] = {}
    for graph, graph_quads in graphs.items():
        for quad in graph_quads:
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.BlankNode) and seen.setdefault(term, graph) != graph:
                    return True
    return False


def _described(quads: Sequence[ox.Quad]) -> set[str]:
    return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}


def _mentioned(quads: Sequence[ox.Quad]) -> set[str]:
    return {
        term.value
        for q in quads
        for term in (q.subject, q.predicate, q.object)
        if isinstance(term, ox.NamedNode)
    }


def _groups(
    reports: Sequence[int], owned: dict[int, set[str]], mentioned: Sequence[set[str]]
) -> list[list[int]]:
    """The report files, grouped so that no file mentions a node owned by a file of another group."""
    parent = {i: i for i in reports}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owners: dict[str, int] = {}
    for i in reports:
        for iri in owned[i]:
            parent[root(i)] = root(owners.setdefault(iri, i))
    for i in reports:
        for iri in mentioned[i]:
            if iri in owners:
                parent[root(i)] = root(owners[iri])
    groups: dict[int, list[int]] = {}
    for i in reports:
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _descriptions(quads: Sequence[ox.Quad], iris: set[str]) -> list[str]:
    """N-Triples lines: what ``quads`` say of the IRIs in ``iris``, with the blank nodes they lead to."""
    by_subject: dict[ox.NamedNode | ox.BlankNode, list[ox.Quad]] = {}
    for quad in quads:
        if isinstance(quad.subject, ox.NamedNode | ox.BlankNode):
            by_subject.setdefault(quad.subject, []).append(quad)
    todo: list[ox.NamedNode | ox.BlankNode] = [
        s for s in by_subject if isinstance(s, ox.NamedNode) and s.value in iris
    ]
    seen = set(todo)
    lines = []
    while todo:
        for quad in by_subject[todo.pop()]:
            lines.append(f"{quad.triple} .\n")
            if isinstance(quad.object, ox.BlankNode) and quad.object not in seen:
                seen.add(quad.object)
                if quad.object in by_subject:
                    todo.append(quad.object)
    return lines
