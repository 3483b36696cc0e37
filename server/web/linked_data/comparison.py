"""The inspections compared side by side at /inspections, and the inspections that point at a resource.

The comparison reads the rows of the grade-counts table (grade_table.GRADE_TABLE_QUERY, the same rows the
CSV holds), one summary per inspection, ordered by the share of its indicators graded good or better
(highest first; ties by label). The share is of the indicators the inspection evaluated where the data
states that number, else of the sum of its counts. Each inspection gets the server-rendered SVG chart of
chart.py, all drawn on one scale so that bars compare across charts; the page needs no JavaScript.
"""

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Response, render_template

from ...rdf.formats import HTML
from ...store.protocol import Store
from ..context import current_store
from .chart import GradeChart, grade_chart
from .grade_table import CSV_PATH, CUBE_FORMATS, CUBE_STEM, METADATA_PATH, GradeRow, grade_rows
from .labels import Labeller, Value
from .sparql import select

# "Good or better": level 4 (good), 5 (very good) and 6 (excellent) of the six-point scale
# (carekg:level in ontology/evaluation-scale.ttl).
GOOD_OR_BETTER_LEVEL = 4

INSPECTIONS_POINTING_AT_QUERY = """
PREFIX carekg: <https://w3id.org/carekg/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?inspection ?predicate WHERE {
  ?inspection ?predicate NODE .
  ?inspection a ?class .
  ?class rdfs:subClassOf* carekg:Inspection .
}
"""


@dataclass(frozen=True)
class GradeColumn:
    iri: str
    label: str
    level: int | None


@dataclass(frozen=True)
class InspectionSummary:
    inspection: Value
    area: Value | None
    partnership: Value | None
    report_issued: str | None
    evaluated: int | None  # as the data states it
    counts: dict[str, int]  # grade IRI -> indicators at that grade
    good_or_better: int
    out_of: int  # the indicators evaluated, or the sum of the counts where that is not stated
    conflicted: frozenset[str]  # the grades whose count another page gives differently
    conflicting_claims: int  # conflicting claims that refer to the inspection
    chart: GradeChart | None
    chart_id: str

    @property
    def share(self) -> float:
        return self.good_or_better / self.out_of if self.out_of else 0.0

    @property
    def share_percent(self) -> str:
        return f"{round(100 * self.share)}%"


@dataclass(frozen=True)
class Comparison:
    grades: list[GradeColumn]  # highest first
    inspections: list[InspectionSummary]  # by share good or better, highest first


def comparison(store: Store, charts: bool = True) -> Comparison:
    """Every inspection with grade counts, summarised; ``charts`` False skips drawing their charts."""
    labeller = Labeller(store)
    rows = grade_rows(store)
    by_inspection: dict[str, list[GradeRow]] = {}
    grades: dict[str, GradeColumn] = {}
    for row in rows:
        by_inspection.setdefault(row.inspection, []).append(row)
        grades.setdefault(row.grade, GradeColumn(row.grade, row.grade_label, row.grade_level))
    scale = max((row.indicators_at_grade for row in rows), default=0)
    summaries = [
        _summary(store, labeller, iri, own, scale if charts else None, index)
        for index, (iri, own) in enumerate(sorted(by_inspection.items()))
    ]
    summaries.sort(key=lambda s: (-s.share, s.inspection.text.lower(), s.inspection.iri or ""))
    columns = sorted(grades.values(), key=lambda g: (-(g.level or 0), g.label))
    return Comparison(columns, summaries)


def _summary(
    store: Store, labeller: Labeller, iri: str, rows: list[GradeRow], scale: int | None, index: int
) -> InspectionSummary:
    """``scale`` None: no chart."""
    first = rows[0]
    counts = {row.grade: row.indicators_at_grade for row in rows}
    good = sum(
        row.indicators_at_grade
        for row in rows
        if row.grade_level is not None and row.grade_level >= GOOD_OR_BETTER_LEVEL
    )
    evaluated = first.indicators_evaluated
    return InspectionSummary(
        inspection=labeller.value(ox.NamedNode(iri)),
        area=labeller.value(ox.NamedNode(first.area)) if first.area else None,
        partnership=labeller.value(ox.NamedNode(first.partnership)) if first.partnership else None,
        report_issued=first.report_issued,
        evaluated=evaluated,
        counts=counts,
        good_or_better=good,
        out_of=evaluated if evaluated is not None else sum(counts.values()),
        conflicted=frozenset(row.grade for row in rows if row.conflicting_figure),
        conflicting_claims=first.conflicting_claims_on_inspection,
        chart=grade_chart(store, iri, labeller.label, scale=scale) if scale is not None else None,
        chart_id=f"grade-chart-{index}",
    )


@dataclass(frozen=True)
class PointingInspection:
    """An inspection whose statements point at a resource (its area, its partnership, an inspectorate)."""

    inspection: Value
    predicates: list[Value]
    summary: InspectionSummary | None


def inspections_pointing_at(store: Store, iri: str, labeller: Labeller) -> list[PointingInspection]:
    """The inspections that have ``iri`` as the object of one of their statements, with how."""
    node = ox.NamedNode(iri)
    found: dict[str, set[str]] = {}
    # str() of a NamedNode is its validated <IRI>, safe to put in a query.
    for row in select(store, INSPECTIONS_POINTING_AT_QUERY.replace("NODE", str(node))):
        inspection, predicate = row["inspection"], row["predicate"]
        if isinstance(inspection, ox.NamedNode) and isinstance(predicate, ox.NamedNode):
            found.setdefault(inspection.value, set()).add(predicate.value)
    if not found:
        return []
    summaries = {s.inspection.iri: s for s in comparison(store, charts=False).inspections}
    pointing = [
        PointingInspection(
            labeller.value(ox.NamedNode(inspection)),
            sorted((labeller.value(ox.NamedNode(p)) for p in predicates), key=lambda v: v.text),
            summaries.get(inspection),
        )
        for inspection, predicates in found.items()
    ]
    return sorted(pointing, key=lambda p: (p.inspection.text.lower(), p.inspection.iri or ""))


def comparison_page() -> Response:
    body = render_template(
        "inspections.html",
        comparison=comparison(current_store()),
        good_level=GOOD_OR_BETTER_LEVEL,
        csv_path=CSV_PATH,
        metadata_path=METADATA_PATH,
        cube_paths=[(m.label, f"{CUBE_STEM}.{m.extension}") for m in CUBE_FORMATS],
        alternates=[],
    )
    return Response(body, content_type=HTML.content_type)
