"""Validation for a build: each report file with the context it needs, cached, on every core.

A report graph is validated together with the context it refers to (the ontology, the SKOS schemes and
the shared bodies), not with the other reports, so validation is linear in the number of reports and its
units run in parallel. A unit's outcome is cached under a key of everything it depends on (the file, the
context, the shapes, the pySHACL and carekg versions), so an unchanged report is not validated again. The
context itself is validated once, alone.
"""

import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path, PurePath

import rdflib

from .. import __version__
from ..rdf.namespaces import RDF, SH
from .loading import parse_all
from .sources import DataFile
from .validation import (
    ValidationOutcome,
    ValidationResult,
    load_shapes,
    locate_results,
    read_results,
    shape_files,
    union_graph,
    validate,
)

CONTEXT_FILE_NAMES = ("shared.ttl",)  # report-independent files in graph/ (beside the ontology)
CACHE_SUBFOLDER = "validation"


@dataclass(frozen=True)
class Unit:
    """What is validated together: ``files`` (reports, or the context alone) with ``context``."""

    files: tuple[DataFile, ...]
    context: tuple[DataFile, ...]

    def key(self, shapes: Sequence[tuple[str, bytes]]) -> str:
        digest = hashlib.sha256()
        for part in (
            __version__,
            metadata.version("pyshacl"),
            *(name for name, _ in shapes),
        ):
            digest.update(part.encode() + b"\0")
        for _, data in shapes:
            digest.update(hashlib.sha256(data).digest())
        for file in (*self.context, *self.files):
            digest.update(PurePath(file.name).name.encode() + b"\0")
            digest.update(hashlib.sha256(file.data).digest())
        return digest.hexdigest()


@dataclass(frozen=True)
class CheckedBuild:
    conforms: bool
    report: rdflib.Graph  # one sh:ValidationReport holding every unit's results
    results: list[ValidationResult]  # located in the files (file:line)
    units: int
    cached: int


def split_context(files: Sequence[DataFile]) -> tuple[list[DataFile], list[DataFile]]:
    """(context, reports) of the built-in data: ontology files and graph/shared.ttl are context."""
    context = [
        f
        for f in files
        if "ontology" in PurePath(f.name).parts or PurePath(f.name).name in CONTEXT_FILE_NAMES
    ]
    return context, [f for f in files if f not in context]


def check_units(
    units: Sequence[Unit], cache_dir: Path | None, workers: int | None = None
) -> CheckedBuild:
    shapes = shape_files()
    outcomes: list[tuple[Unit, bool, bytes] | None] = [None] * len(units)
    todo: list[int] = []
    cached = 0
    for index, unit in enumerate(units):
        hit = _cached(cache_dir, unit.key(shapes)) if cache_dir is not None else None
        if hit is not None:
            outcomes[index] = (unit, *hit)
            cached += 1
        else:
            todo.append(index)
    workers = min(len(todo), workers or os.cpu_count() or 1)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            fresh = list(pool.map(_validate_unit, [units[i] for i in todo]))
    else:
        fresh = [_validate_unit(units[i]) for i in todo]
    for index, (conforms, report) in zip(todo, fresh, strict=True):
        outcomes[index] = (units[index], conforms, report)
        if cache_dir is not None:
            _store(cache_dir, units[index].key(shapes), conforms, report)
    return _merge([o for o in outcomes if o is not None], cached)


def _validate_unit(unit: Unit) -> tuple[bool, bytes]:
    outcome = validate(union_graph(parse_all([*unit.context, *unit.files])), shapes=load_shapes())
    return outcome.conforms, outcome.report_graph.serialize(format="nt", encoding="utf-8")


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


def _merge(outcomes: Sequence[tuple[Unit, bool, bytes]], cached: int) -> CheckedBuild:
    """One report for the build: every unit's results under a single sh:ValidationReport."""
    merged = rdflib.Graph()
    conforms = all(conforms for _, conforms, _ in outcomes)
    report_node = rdflib.BNode()
    merged.add((report_node, RDF.type, SH.ValidationReport))
    merged.add((report_node, SH.conforms, rdflib.Literal(conforms)))
    for _, _, report in outcomes:
        part = rdflib.Graph().parse(data=report, format="nt")  # fresh blank nodes per part
        for unit_report in list(part.subjects(RDF.type, SH.ValidationReport)):
            for result in part.objects(unit_report, SH.result):
                merged.add((report_node, SH.result, result))
            part.remove((unit_report, None, None))
        merged += part
    files = [f for unit, _, _ in outcomes for f in unit.files]
    results = read_results(merged, load_shapes())
    located = locate_results(
        ValidationOutcome(conforms=conforms, report_graph=merged, results=results), files
    )
    return CheckedBuild(
        conforms=conforms,
        report=merged,
        results=located.results,
        units=len(outcomes),
        cached=cached,
    )
