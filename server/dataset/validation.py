"""Validate RDF data against carekg's SHACL shapes (pySHACL), in memory.

The data is always validated as one in-memory rdflib graph, the union of all its named graphs: pySHACL over
an Oxigraph-backed graph is far slower (at 100k triples: 1.8 s in memory, over 300 s on Oxigraph). The shapes are written so that no inference is needed;
``sh:targetClass`` and ``sh:class`` follow ``rdfs:subClassOf`` in the data graph itself, which is why the
ontology is validated together with the data.
"""

import contextlib
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import PurePath
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.plugins.stores.memory import Memory
from rdflib.query import Result
from rdflib.term import BNode, Node, URIRef

from ..rdf.namespaces import SH
from ..rdf.terms import to_rdflib
from .focus import FocusNodes, validating_only
from .loading import parse_all, parse_quads
from .sources import DataFile, bundled_data_files, graph_iri_for

SHAPES_PACKAGE = "carekg.shapes"
ONTOLOGY_PACKAGE = "carekg.ontology"
SHAPE_BLANK_NODE_PREFIX = "shape"


@dataclass(frozen=True)
class SourceLocation:
    """Where a statement about a node was found: a file and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult, flattened."""

    focus_node: Node
    path: Node | None
    constraint_component: URIRef
    severity: URIRef
    message: str
    source_shape: Node
    value: Node | None
    location: SourceLocation | None = None
    # The named node shape that holds source_shape, when source_shape is an anonymous property shape.
    node_shape: Node | None = None

    def shape_name(self) -> Node:
        """The shape to name in a report: the source shape, or its node shape if it has no IRI."""
        return self.node_shape if self.node_shape is not None else self.source_shape


@dataclass(frozen=True)
class ValidationOutcome:
    conforms: bool
    report_graph: rdflib.Graph
    results: list[ValidationResult]


def shape_files() -> list[tuple[str, bytes]]:
    """The bundled shapes files, as (name, bytes), in a stable order."""
    folder = resources.files(SHAPES_PACKAGE)
    return sorted((f.name, f.read_bytes()) for f in folder.iterdir() if f.name.endswith(".ttl"))


def shapes_version(files: list[tuple[str, bytes]]) -> str:
    """A fingerprint of shapes files (their names and bytes)."""
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:16]


def load_shapes() -> rdflib.Graph:
    """All bundled shapes (data shapes and ontology shapes) in one graph.

    The shapes' blank nodes get the same labels in every process, so the sh:sourceShape of a report
    made by a worker process (or read from the validation cache) names the same shape here."""
    shapes = rdflib.Graph()
    for index, (name, data) in enumerate(shape_files()):
        for quad in parse_quads(DataFile(name=f"shapes/{name}", data=data, graph_iri=None), index):
            triple = (
                _shape_term(quad.subject),
                _shape_term(quad.predicate),
                _shape_term(quad.object),
            )
            shapes.add(triple)  # type: ignore[arg-type]
    return shapes


def is_shape_blank_node(node: Node) -> bool:
    """Whether ``node`` is one of the bundled shapes' blank nodes (as load_shapes labels them)."""
    return isinstance(node, BNode) and str(node).startswith(SHAPE_BLANK_NODE_PREFIX)


def _shape_term(term: object) -> Node:
    # Data blank nodes are labelled f{file}b{n} too (loading.parse_quads): a report holds both kinds.
    if isinstance(term, ox.BlankNode):
        return BNode(SHAPE_BLANK_NODE_PREFIX + term.value)
    return to_rdflib(term)


def builtin_ontology_files() -> list[DataFile]:
    """The bundled ontology and SKOS schemes: the context that report files are validated with."""
    folder = resources.files(ONTOLOGY_PACKAGE)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)
    return [
        DataFile(name=str(f), data=f.read_bytes(), graph_iri=graph_iri_for(f.name[: -len(".ttl")]))
        for f in files
    ]


@lru_cache(maxsize=512)
def prepared_query(text: str, namespaces: tuple[tuple[str, str], ...] = ()) -> Query:
    """A SPARQL query parsed once: prepared queries are rdflib's way to run one query many times."""
    return prepareQuery(text, initNs=dict(namespaces))


class PreparedQueryGraph(rdflib.Graph):
    """An in-memory graph that parses each SPARQL query text once.

    pySHACL sends the text of a SPARQL constraint once per focus node, and rdflib parses it every time:
    parsing took about 80% of the validation of the built-in dataset.
    """

    def query(  # type: ignore[override]
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Node] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and processor == "sparql" and not kwargs:
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            query_object = prepared_query(query_object, namespaces)
        return super().query(
            query_object,
            processor,
            result,
            initNs,
            initBindings,  # type: ignore[arg-type]
            use_store_provided,
            **kwargs,
        )


def union_graph(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """One in-memory rdflib graph holding the triples of every graph of the quads."""
    graph = PreparedQueryGraph()
    for quad in quads:
        graph.add(
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))  # type: ignore[arg-type]
        )
    return graph


def _in_memory(data: rdflib.Graph) -> rdflib.Graph:
    """The data as an in-memory graph (the union, for a dataset); a copy unless it already is one."""
    if isinstance(data, PreparedQueryGraph) and isinstance(data.store, Memory):
        return data
    graph = PreparedQueryGraph()
    if isinstance(data, rdflib.Dataset):
        for named_graph in data.graphs():
            for triple in named_graph:
                graph.add(triple)
    else:
        for triple in data:
            graph.add(triple)
    return graph


def validate(
    data: rdflib.Graph | rdflib.Dataset,
    shapes: rdflib.Graph | None = None,
    focus: FocusNodes | None = None,
) -> ValidationOutcome:
    """Validate data (a graph, or the union of a dataset's graphs) against the shapes (default: bundled),
    at every target node or, given ``focus``, at the targets among those nodes only."""
    from pyshacl import validate as pyshacl_validate  # here: pages and serving never validate

    shapes_graph = shapes if shapes is not None else load_shapes()
    with validating_only(focus) if focus is not None else contextlib.nullcontext():
        conforms, report_graph, _text = pyshacl_validate(
            _in_memory(data),
            shacl_graph=shapes_graph,
            inference="none",
            advanced=True,
            allow_warnings=False,
            # sh:Info results (the conflicts between sources the corpus records) are listed but do not
            # fail.
            allow_infos=True,
            # The graph is our own copy and the shapes have no rules: without inference or an ontology
            # to mix in, pySHACL need not clone it again (its clone would also lose the prepared-query
            # cache).
            inplace=True,
        )
    assert isinstance(report_graph, rdflib.Graph)
    results = read_results(report_graph, shapes_graph)
    return ValidationOutcome(conforms=bool(conforms), report_graph=report_graph, results=results)


def validate_files(
    files: Sequence[DataFile],
    with_builtin_data: bool = True,
    shapes: rdflib.Graph | None = None,
) -> ValidationOutcome:
    """Parse and validate files (raises RdfSyntaxError), locating each focus node in the files.

    With ``with_builtin_data`` the files are validated together with carekg's built-in data (ontology,
    schemes and report graphs), as they would be served: a new report can refer to the grades, the
    inspectorates and the sources already there. A bundled file with the same file name as one of
    ``files`` is left out, so an edited copy of a bundled report replaces it.
    """
    all_files = list(files)
    if with_builtin_data:
        named = {PurePath(f.name).name for f in all_files}
        all_files = [
            f for f in bundled_data_files() if PurePath(f.name).name not in named
        ] + all_files
    outcome = validate(union_graph(parse_all(all_files)), shapes=shapes)
    return locate_results(outcome, files)


def read_results(
    report_graph: rdflib.Graph, shapes_graph: rdflib.Graph | None = None
) -> list[ValidationResult]:
    """The report's results, sorted, without duplicates.

    pySHACL gives a SPARQL constraint's result both the constraint's message and its node shape's; where
    the shapes are at hand, the node shape's general message is dropped in favour of the specific one.
    """
    results = set()
    # Only the report's own results: nested results (sh:detail, and pySHACL's results for the value nodes
    # of sh:node) are not violations of the data in their own right.
    for result in report_graph.objects(None, SH.result):
        source_shape = report_graph.value(result, SH.sourceShape)
        messages = sorted({str(m) for m in report_graph.objects(result, SH.resultMessage)})
        if len(messages) > 1 and shapes_graph is not None and source_shape is not None:
            general = {str(m) for m in shapes_graph.objects(source_shape, SH.message)}
            messages = [m for m in messages if m not in general] or messages
        component = report_graph.value(result, SH.sourceConstraintComponent)
        severity = report_graph.value(result, SH.resultSeverity)
        results.add(
            ValidationResult(
                focus_node=report_graph.value(result, SH.focusNode),  # type: ignore[arg-type]
                path=report_graph.value(result, SH.resultPath),
                constraint_component=URIRef(str(component)),
                severity=URIRef(str(severity)),
                message="; ".join(messages),
                source_shape=source_shape,  # type: ignore[arg-type]
                value=report_graph.value(result, SH.value),
                node_shape=_named_parent_shape(shapes_graph, source_shape),
            )
        )
    return sorted(results, key=_sort_key)


def _named_parent_shape(shapes_graph: rdflib.Graph | None, shape: Node | None) -> Node | None:
    if shapes_graph is None or not isinstance(shape, BNode):
        return None
    parents = sorted(p for p in shapes_graph.subjects(SH.property, shape) if isinstance(p, URIRef))
    return parents[0] if parents else None


def _sort_key(result: ValidationResult) -> tuple[str, str, str, str]:
    return (
        str(result.focus_node),
        str(result.path or ""),
        str(result.constraint_component),
        str(result.value or ""),
    )


# ---------------------------------------------------------------- finding the offending statement

_PREFIX_LINE = re.compile(
    r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE
)
_LOCAL_NAME_END = r"(?=[\s;,.\]\)]|$)"


def locate_results(outcome: ValidationOutcome, files: Sequence[DataFile]) -> ValidationOutcome:
    """The outcome with each result's focus node located in the files (where it is an IRI found there)."""
    finder = NodeFinder(files)
    located = [replace(r, location=finder.find(r.focus_node)) for r in outcome.results]
    return replace(outcome, results=located)


class NodeFinder:
    """Finds the first line of a file where a node is described.

    A heuristic, good enough for hand-written Turtle, TriG and N-Triples: it looks for the node's full
    ``<IRI>`` or for a prefixed name made from the file's ``@prefix``/``PREFIX`` lines, preferring a line
    that starts with it (the subject of a statement block), else its first mention. Blank nodes and
    JSON-LD or RDF/XML files are not located.
    """

    def __init__(self, files: Sequence[DataFile]):
        self._texts = [(f.name, f.data.decode("utf-8", errors="replace")) for f in files]
        self._cache: dict[Node, SourceLocation | None] = {}

    def find(self, node: Node) -> SourceLocation | None:
        if not isinstance(node, URIRef):
            return None
        if node not in self._cache:
            self._cache[node] = self._search(str(node))
        return self._cache[node]

    def _search(self, iri: str) -> SourceLocation | None:
        fallback: SourceLocation | None = None
        for name, text in self._texts:
            lines = text.splitlines()
            patterns = self._patterns(iri, lines)
            for number, line in enumerate(lines, start=1):
                for pattern in patterns:
                    match = pattern.search(line)
                    if match is None:
                        continue
                    if not line[: match.start()].strip():
                        return SourceLocation(name, number)
                    if fallback is None:
                        fallback = SourceLocation(name, number)
        return fallback

    @staticmethod
    def _patterns(iri: str, lines: list[str]) -> list[re.Pattern[str]]:
        patterns = [re.compile(re.escape(f"<{iri}>"))]
        for line in lines:
            declared = _PREFIX_LINE.match(line)
            if declared is None:
                continue
            prefix, namespace = declared.group(1) or "", declared.group(2)
            local = iri[len(namespace) :]
            if namespace and iri.startswith(namespace) and re.fullmatch(r"[\w.-]*", local):
                patterns.append(
                    re.compile(r"(?<![\w:<])" + re.escape(f"{prefix}:{local}") + _LOCAL_NAME_END)
                )
        return patterns
