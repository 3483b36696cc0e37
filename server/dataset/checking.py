"""Validation for a build: units of files with the context they need, cached, on every core.

A unit validates the target nodes of its ``files`` (all of them, or those its ``focus`` names) against
its files, its ``context`` files and its ``descriptions`` (more context, as N-Triples); units.py says how
carekg's own data is split. A unit's outcome is cached under a key of everything it depends on (those
bytes, the focus, the shapes, the pySHACL and carekg versions), so an unchanged unit is not validated
again. The units to validate run in parallel worker processes when there are enough of them to pay for
starting the processes, and idle cores to run them on.
"""

import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path, PurePath

import pyoxigraph as ox
import rdflib

from .. import __version__
from ..rdf.namespaces import RDF, SH
from ..rdf.terms import to_rdflib
from .focus import FocusNodes
from .loading import parse_quads
from .sources import DataFile
from .validation import (
    ValidationOutcome,
    ValidationResult,
    is_shape_blank_node,
    load_shapes,
    locate_results,
    read_results,
    shape_files,
    union_graph,
    validate,
)

CACHE_SUBFOLDER = "validation"
DESCRIPTIONS_NAME = "descriptions.nt"  # .nt: the loader picks a format by the name
# A worker process first imports pySHACL and parses the shapes and their SPARQL queries: 2-3 s on this
# project's 2-core machines, as long as validating some 8 reports. Up to this many units are validated
# in this process, whose caches are warm after the first.
UNITS_IN_PROCESS = 8
# Part of every key: bump it when how a unit is validated, or what its cached outcome holds, changes.
CACHE_FORMAT = "units-2"


@dataclass(frozen=True)
class Unit:
    """What is validated together: the target nodes of ``files`` (those in ``focus``, and their blank
    nodes; every target when ``focus`` is None) against ``files``, ``context`` and ``descriptions``."""

    files: tuple[DataFile, ...]
    context: tuple[DataFile, ...]
    descriptions: bytes = b""
    focus: FocusNodes | None = None

    @property
    def name(self) -> str:
        return "+".join(PurePath(f.name).name for f in self.files)

    def key(self, shapes: Sequence[tuple[str, bytes]]) -> str:
        digest = hashlib.sha256()
        for part in (
            CACHE_FORMAT,
            __version__,
            metadata.version("pyshacl"),
            *(name for name, _ in shapes),
        ):
            digest.update(part.encode() + b"\0")
        for _, data in shapes:
            digest.update(hashlib.sha256(data).digest())
        for role, files in ((b"context", self.context), (b"files", self.files)):
            digest.update(role + b"\0")
            for file in files:
                digest.update(PurePath(file.name).name.encode() + b"\0")
                digest.update(hashlib.sha256(file.data).digest())
        digest.update(b"descriptions\0" + hashlib.sha256(self.descriptions).digest())
        if self.focus is not None:
            digest.update(b"focus\0" + (b"all but\0" if self.focus.all_but else b"only\0"))
            for iri in sorted(self.focus.iris):
                digest.update(iri.encode() + b"\0")
        return digest.hexdigest()


@dataclass(frozen=True)
class CheckedBuild:
    conforms: bool
    report: rdflib.Graph  # one sh:ValidationReport holding every unit's results
    results: list[ValidationResult]  # located in the files (file:line)
    units: int
    cached: int  # how many units' outcomes came from the cache
    validated: tuple[str, ...]  # the names of the units validated afresh


def check_units(
    units: Sequence[Unit],
    cache_dir: Path | None,
    workers: int | None = None,
    located_in: Sequence[DataFile] | None = None,
) -> CheckedBuild:
    """Validate ``units`` (those not in the cache at ``cache_dir``) and merge their outcomes; results are
    located in ``located_in`` (default: the units' files), the first file describing a node first."""
    shapes = shape_files()
    keys = [unit.key(shapes) for unit in units]
    outcomes: list[tuple[bool, bytes] | None] = [
        _cached(cache_dir, key) if cache_dir is not None else None for key in keys
    ]
    # The largest first, so that no worker is left with a long one at the end.
    todo = sorted(
        (i for i, outcome in enumerate(outcomes) if outcome is None), key=lambda i: -_size(units[i])
    )
    workers = min(len(todo), workers or _idle_cores())
    if workers > 1 and len(todo) > UNITS_IN_PROCESS:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            fresh = list(pool.map(_validate_unit, [units[i] for i in todo]))
    else:
        fresh = [_validate_unit(units[i]) for i in todo]
    for index, outcome in zip(todo, fresh, strict=True):
        outcomes[index] = outcome
        if cache_dir is not None:
            _store(cache_dir, keys[index], *outcome)
    return _merge(
        [(unit, *outcome) for unit, outcome in zip(units, outcomes, strict=True) if outcome],
        located_in or [f for unit in units for f in unit.files],
        cached=len(units) - len(todo),
        validated=tuple(units[i].name for i in sorted(todo)),
    )


def _idle_cores() -> int:
    """The cores no other process keeps busy, by the last minute's load: on a shared machine, worker
    processes on busy cores would only take turns with the other processes there. The load counts
    this process too (it has been parsing until now), so one process's worth is not held against it:
    else a build on an idle 2-core machine validated in one process."""
    try:
        busy = max(0.0, os.getloadavg()[0] - 1)
    except OSError:
        busy = 0.0
    return max(1, round((os.cpu_count() or 1) - busy))


def _size(unit: Unit) -> int:
    return sum(len(f.data) for f in (*unit.context, *unit.files)) + len(unit.descriptions)


def _validate_unit(unit: Unit) -> tuple[bool, bytes]:
    documents = [*unit.context, *unit.files]
    if unit.descriptions:
        documents.append(DataFile(DESCRIPTIONS_NAME, unit.descriptions, graph_iri=None))
    quads = [parse_quads(document, index) for index, document in enumerate(documents)]
    focus = None
    if unit.focus is not None:
        own = quads[len(unit.context) : len(unit.context) + len(unit.files)]
        focus = replace(unit.focus, blank_nodes=frozenset(_blank_nodes(own)))
    data = union_graph(q for document in quads for q in document)
    outcome = validate(data, shapes=_shapes(), focus=focus)
    return outcome.conforms, outcome.report_graph.serialize(format="nt", encoding="utf-8")


def _blank_nodes(quads: Sequence[Sequence[ox.Quad]]) -> set[rdflib.BNode]:
    return {
        to_rdflib(term)  # type: ignore[misc]
        for document in quads
        for q in document
        for term in (q.subject, q.object)
        if isinstance(term, ox.BlankNode)
    }


@cache
def _shapes() -> rdflib.Graph:
    """The shapes, parsed once per process (a worker validates several units)."""
    return load_shapes()


def _cached(cache_dir: Path, key: str) -> tuple[bool, bytes] | None:
    path = cache_dir / CACHE_SUBFOLDER / f"{key}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        return bool(entry["conforms"]), str(entry["report"]).encode("utf-8")
    except (OSError, ValueError, KeyError):
        return None


def _store(cache_dir: Path, key: str, conforms: bool, report: bytes) -> None:
    folder = cache_dir / CACHE_SUBFOLDER
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{key}.{os.getpid()}"
    temporary.write_text(json.dumps({"conforms": conforms, "report": report.decode("utf-8")}))
    temporary.replace(folder / f"{key}.json")


def _merge(
    outcomes: Sequence[tuple[Unit, bool, bytes]],
    files: Sequence[DataFile],
    cached: int,
    validated: tuple[str, ...],
) -> CheckedBuild:
    """One report for the build: every unit's results under a single sh:ValidationReport."""
    merged = rdflib.Graph()
    conforms = all(conforms for _, conforms, _ in outcomes)
    report_node = rdflib.BNode()
    merged.add((report_node, RDF.type, SH.ValidationReport))
    merged.add((report_node, SH.conforms, rdflib.Literal(conforms)))
    shapes = _shapes()
    shape_nodes = {str(n): str(n) for n in shapes.all_nodes() if is_shape_blank_node(n)}
    for _, _, report in outcomes:
        # Fresh blank nodes per part, but the shapes' own (sh:sourceShape) keep naming the shapes.
        part = rdflib.Graph().parse(data=report, format="nt", bnode_context=dict(shape_nodes))
        for unit_report in list(part.subjects(RDF.type, SH.ValidationReport)):
            for result in part.objects(unit_report, SH.result):
                merged.add((report_node, SH.result, result))
            part.remove((unit_report, None, None))
        merged += part
    results = read_results(merged, shapes)
    located = locate_results(
        ValidationOutcome(conforms=conforms, report_graph=merged, results=results), files
    )
    return CheckedBuild(
        conforms=conforms,
        report=merged,
        results=located.results,
        units=len(outcomes),
        cached=cached,
        validated=validated,
    )
