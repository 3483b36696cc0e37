"""Validation outcomes written for people (text) and for machines (Turtle, JSON, JUnit XML)."""

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from itertools import groupby

import rdflib
from rdflib.collection import Collection
from rdflib.term import BNode, Literal, Node, URIRef

from ..rdf.namespaces import PREFIXES, SH
from .validation import ValidationOutcome, ValidationResult

SHAPES_PREFIX = ("cks", "https://w3id.org/carekg/shapes/")
FORMATS = ("text", "turtle", "json", "junit")


def namespace_manager() -> rdflib.namespace.NamespaceManager:
    graph = rdflib.Graph(bind_namespaces="none")
    for prefix, namespace in [*PREFIXES.items(), SHAPES_PREFIX, ("sh", str(SH))]:
        graph.bind(prefix, namespace)
    return graph.namespace_manager


class TermWriter:
    """Short, readable forms of terms: prefixed names where a prefix fits, paths as SPARQL paths."""

    def __init__(self, report_graph: rdflib.Graph):
        self.graph = report_graph
        self._names = namespace_manager()

    def term(self, node: Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node, URIRef):
            try:
                return self._names.normalizeUri(node)
            except ValueError:
                return f"<{node}>"
        if isinstance(node, Literal):
            return node.n3(self._names)
        return f"_:{node}"

    def path(self, node: Node | None) -> str:
        """A SHACL property path in SPARQL syntax (sequence, alternatives, inverse, repetition)."""
        if node is None:
            return ""
        if not isinstance(node, BNode):
            return self.term(node)
        graph = self.graph
        if graph.value(node, rdflib.RDF.first) is not None:
            return "/".join(self.path(step) for step in Collection(graph, node))
        for predicate, render in _PATH_FORMS.items():
            inner = graph.value(node, predicate)
            if inner is not None:
                return render(self, inner)
        return self.term(node)


_PATH_FORMS: dict[URIRef, Callable[[TermWriter, Node], str]] = {
    SH.inversePath: lambda w, n: "^" + w.path(n),
    SH.alternativePath: lambda w, n: "|".join(w.path(step) for step in Collection(w.graph, n)),
    SH.zeroOrMorePath: lambda w, n: f"({w.path(n)})*",
    SH.oneOrMorePath: lambda w, n: f"({w.path(n)})+",
    SH.zeroOrOnePath: lambda w, n: f"({w.path(n)})?",
}


def display_file(name: str) -> str:
    """A file name relative to the working directory where it lies below it."""
    try:
        relative = os.path.relpath(name)
    except ValueError:
        return name
    return name if relative.startswith("..") else relative


def location_text(result: ValidationResult) -> str:
    if result.location is None:
        return ""
    return f"{display_file(result.location.file)}:{result.location.line}"


def failing(outcome: ValidationOutcome) -> list[ValidationResult]:
    """The results that make data fail: all but sh:Info ones (the conflicts between sources the corpus
    records are listed at sh:Info, and the data still conform)."""
    return [r for r in outcome.results if r.severity != SH.Info]


def as_text(outcome: ValidationOutcome, checked: str) -> str:
    """The human report: violations grouped by focus node, each with message, path, value and place."""
    infos = len(outcome.results) - len(failing(outcome))
    noted = f" ({infos} recorded conflict(s) at sh:Info: see --format json)" if infos else ""
    if outcome.conforms:
        return f"Conforms: {checked} satisfies every carekg shape.{noted}\n"
    writer = TermWriter(outcome.report_graph)
    lines = []
    focus_count = 0
    for focus, group in groupby(failing(outcome), key=lambda r: r.focus_node):
        results = list(group)
        focus_count += 1
        where = location_text(results[0])
        lines.append(f"{writer.term(focus)}" + (f"  ({where})" if where else ""))
        for result in results:
            lines.append(f"  - {result.message or 'constraint violated'}")
            details = []
            if result.path is not None:
                details.append(f"path {writer.path(result.path)}")
            if result.value is not None and result.value != result.focus_node:
                details.append(f"value {writer.term(result.value)}")
            details.append(f"shape {writer.term(result.shape_name())}")
            details.append(f"constraint {writer.term(result.constraint_component)}")
            lines.append("    " + "; ".join(details))
        lines.append("")
    count = len(failing(outcome))
    noun = "violation" if count == 1 else "violations"
    nodes = "node" if focus_count == 1 else "nodes"
    header = f"Does not conform: {count} {noun} on {focus_count} {nodes} in {checked}{noted}.\n"
    return header + "\n" + "\n".join(lines)


def as_turtle(outcome: ValidationOutcome) -> str:
    graph = outcome.report_graph
    for prefix, namespace in [*PREFIXES.items(), SHAPES_PREFIX, ("sh", str(SH))]:
        graph.bind(prefix, namespace, replace=True)
    return graph.serialize(format="turtle")


def result_record(result: ValidationResult, writer: TermWriter) -> dict[str, object]:
    return {
        "focus_node": str(result.focus_node),
        "path": writer.path(result.path) if result.path is not None else None,
        "constraint_component": str(result.constraint_component),
        "severity": str(result.severity),
        "message": result.message,
        "source_shape": str(result.source_shape)
        if isinstance(result.source_shape, URIRef)
        else None,
        "value": None if result.value is None else str(result.value),
        "file": result.location.file if result.location else None,
        "line": result.location.line if result.location else None,
    }


def as_json(outcome: ValidationOutcome) -> str:
    writer = TermWriter(outcome.report_graph)
    records = [result_record(r, writer) for r in outcome.results]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def as_junit(outcome: ValidationOutcome, checked: str) -> str:
    """JUnit XML: one failed test case per violation, or one passing case when the data conforms."""
    writer = TermWriter(outcome.report_graph)
    count = len(failing(outcome))
    suites = ET.Element("testsuites", name="carekg validate", tests=str(max(count, 1)))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="carekg SHACL validation",
        tests=str(max(count, 1)),
        failures=str(count),
        errors="0",
    )
    if outcome.conforms:
        ET.SubElement(suite, "testcase", classname="carekg.validate", name=f"{checked} conforms")
    for result in failing(outcome):
        name = f"{writer.term(result.focus_node)} {writer.path(result.path)}".strip()
        case = ET.SubElement(
            suite, "testcase", classname=writer.term(result.shape_name()), name=name
        )
        if result.location is not None:
            case.set("file", display_file(result.location.file))
            case.set("line", str(result.location.line))
        failure = ET.SubElement(
            case,
            "failure",
            message=result.message,
            type=writer.term(result.constraint_component),
        )
        detail = [f"focus node: {result.focus_node}"]
        if result.path is not None:
            detail.append(f"path: {writer.path(result.path)}")
        if result.value is not None:
            detail.append(f"value: {writer.term(result.value)}")
        if result.location is not None:
            detail.append(f"at: {location_text(result)}")
        failure.text = "\n".join(detail)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def render(outcome: ValidationOutcome, output_format: str, checked: str) -> str:
    if output_format == "turtle":
        return as_turtle(outcome)
    if output_format == "json":
        return as_json(outcome)
    if output_format == "junit":
        return as_junit(outcome, checked)
    return as_text(outcome, checked)
