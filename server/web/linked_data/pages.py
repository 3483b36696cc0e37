"""What an HTML resource page shows, gathered from the data (the templates only lay it out)."""

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ...rdf.namespaces import CAREKG, OA
from ...store.protocol import Store
from .chart import GradeChart, grade_chart
from .comparison import PointingInspection, inspections_pointing_at
from .describe import RDF_TYPE, Term
from .labels import Labeller, Value

EVIDENCE = ox.NamedNode(str(CAREKG.evidence))
HAS_SOURCE = ox.NamedNode(str(OA.hasSource))
HAS_SELECTOR = ox.NamedNode(str(OA.hasSelector))
EXACT = ox.NamedNode(str(OA.exact))
PREFIX = ox.NamedNode(str(OA.prefix))
SUFFIX = ox.NamedNode(str(OA.suffix))
DESCRIPTION_PREDICATES = tuple(
    ox.NamedNode(iri)
    for iri in (
        "http://www.w3.org/2004/02/skos/core#definition",
        "http://purl.org/dc/terms/description",
        "http://www.w3.org/2000/01/rdf-schema#comment",
    )
)
REFERENCED_BY_LIMIT = 500


@dataclass(frozen=True)
class Property:
    predicate: Value
    values: list[Value]


@dataclass(frozen=True)
class Passage:
    """A quoted passage of a source document, with its surrounding words."""

    evidence: Value
    exact: str
    prefix: str
    suffix: str
    source: Value | None
    cited_by: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class Reference:
    subject: Value
    predicate: Value


@dataclass
class ResourcePage:
    iri: str
    title: str
    types: list[Value]
    summary: list[str]
    properties: list[Property]
    evidence: list[Passage]
    passages: list[Passage]  # for a source document: the evidence passages quoted from it
    referenced_by: list[Reference]
    referenced_by_total: int
    graphs: list[Value]
    chart: GradeChart | None
    # the inspections whose statements point at this resource (its area's, its partnership's page ...)
    inspections: list[PointingInspection] = field(default_factory=list)


def resource_page(
    store: Store, iri: str, statements: list[ox.Quad], served: Store | None = None
) -> ResourcePage:
    """The page of ``iri``; ``statements`` are what its document holds (used for its own properties).

    ``store`` answers the lookups (labels, references); ``served`` (default: ``store``) is the data the
    server dereferences, so that only IRIs it can answer for become links."""
    labeller = Labeller(store, served)
    node = ox.NamedNode(iri)
    own = [q for q in statements if q.subject == node]
    types = sorted(
        {labeller.value(q.object) for q in own if q.predicate == RDF_TYPE}, key=_value_key
    )
    by_predicate: dict[ox.NamedNode, set[Term]] = defaultdict(set)
    for quad in own:
        if quad.predicate != RDF_TYPE:
            by_predicate[quad.predicate].add(quad.object)
    properties = sorted(
        (
            Property(
                labeller.value(predicate),
                sorted((labeller.value(o) for o in objects), key=_value_key),
            )
            for predicate, objects in by_predicate.items()
        ),
        key=lambda p: (p.predicate.text.lower(), p.predicate.iri or ""),
    )
    summary = sorted(
        {
            q.object.value
            for q in own
            if q.predicate in DESCRIPTION_PREDICATES and isinstance(q.object, ox.Literal)
        }
    )
    references = _referenced_by(store, node, labeller)
    graphs = sorted(
        {labeller.value(q.graph_name) for q in own if isinstance(q.graph_name, ox.NamedNode)},
        key=_value_key,
    )
    return ResourcePage(
        iri=iri,
        title=labeller.label(iri),
        types=types,
        summary=summary,
        properties=properties,
        evidence=_evidence_of(store, node, labeller),
        passages=_passages_from(store, node, labeller),
        referenced_by=references[:REFERENCED_BY_LIMIT],
        referenced_by_total=len(references),
        graphs=graphs,
        chart=grade_chart(store, iri, labeller.label),
        inspections=inspections_pointing_at(store, iri, labeller),
    )


def _referenced_by(store: Store, node: ox.NamedNode, labeller: Labeller) -> list[Reference]:
    pairs = {
        (q.subject, q.predicate)
        for q in store.quads(object=node)
        if isinstance(q.subject, ox.NamedNode)
    }
    references = [Reference(labeller.value(s), labeller.value(p)) for s, p in pairs]
    return sorted(references, key=lambda r: (_value_key(r.predicate), _value_key(r.subject)))


def _evidence_of(store: Store, node: ox.NamedNode, labeller: Labeller) -> list[Passage]:
    passages = []
    for quad in store.quads(subject=node, predicate=EVIDENCE):
        if isinstance(quad.object, ox.NamedNode):
            passages.extend(_passages(store, quad.object, labeller, with_citations=False))
    unique = {(p.evidence.iri, p.exact): p for p in passages}
    return sorted(unique.values(), key=lambda p: (p.exact, p.evidence.iri or ""))


def _passages_from(store: Store, node: ox.NamedNode, labeller: Labeller) -> list[Passage]:
    passages = []
    for quad in store.quads(predicate=HAS_SOURCE, object=node):
        if isinstance(quad.subject, ox.NamedNode):
            passages.extend(_passages(store, quad.subject, labeller, with_citations=True))
    return sorted(passages, key=lambda p: (p.exact, p.evidence.iri or ""))


def _passages(
    store: Store, evidence: ox.NamedNode, labeller: Labeller, with_citations: bool
) -> list[Passage]:
    sources = [q.object for q in store.quads(subject=evidence, predicate=HAS_SOURCE)]
    source = labeller.value(min(sources, key=str)) if sources else None
    cited_by: list[Value] = []
    if with_citations:
        cited_by = sorted(
            {labeller.value(q.subject) for q in store.quads(predicate=EVIDENCE, object=evidence)},
            key=_value_key,
        )
    passages = []
    for quad in store.quads(subject=evidence, predicate=HAS_SELECTOR):
        selector = quad.object
        if not isinstance(selector, ox.NamedNode):
            continue
        exact = _text(store, selector, EXACT)
        if exact is None:
            continue
        passages.append(
            Passage(
                evidence=labeller.value(evidence),
                exact=exact,
                prefix=_text(store, selector, PREFIX) or "",
                suffix=_text(store, selector, SUFFIX) or "",
                source=source,
                cited_by=cited_by,
            )
        )
    return passages


def _text(store: Store, node: ox.NamedNode, predicate: ox.NamedNode) -> str | None:
    values = sorted(
        q.object.value
        for q in store.quads(subject=node, predicate=predicate)
        if isinstance(q.object, ox.Literal)
    )
    return values[0] if values else None


def _value_key(value: Value) -> tuple[str, str]:
    return (value.text.lower(), value.iri or value.text)
