"""The grade-count chart of an inspection: one bar per grade of its scale, drawn as SVG on the server.

This module only computes the bars and their geometry; templates/chart.svg.html draws them (escaped by
Jinja), so the chart reads without JavaScript and each bar carries its grade and count as text.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from ...store.protocol import Store
from .sparql import select

GRADE_COUNTS_QUERY = """
PREFIX carekg: <https://w3id.org/carekg/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?grade ?count ?scheme WHERE {
  INSPECTION carekg:gradeCounts ?observation .
  ?observation carekg:grade ?grade ; carekg:indicatorCount ?count .
  OPTIONAL { ?grade skos:inScheme ?scheme }
}
"""

SCALE_QUERY = """
PREFIX carekg: <https://w3id.org/carekg/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?grade ?level WHERE {
  ?grade skos:inScheme SCHEME .
  OPTIONAL { ?grade carekg:level ?level }
}
"""

BAR_HEIGHT = 28
BAR_GAP = 10
LABEL_WIDTH = 130
PLOT_WIDTH = 300
COUNT_WIDTH = 50
TOP = 10


@dataclass(frozen=True)
class Bar:
    grade_iri: str
    grade: str  # the grade's label
    level: int | None
    count: int | None  # None: the data states no count for this grade
    y: float
    width: float

    @property
    def count_text(self) -> str:
        return "not stated" if self.count is None else str(self.count)

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2 + 5


@dataclass(frozen=True)
class GradeChart:
    bars: list[Bar]
    total: int
    width: int = LABEL_WIDTH + PLOT_WIDTH + COUNT_WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return TOP * 2 + len(self.bars) * (BAR_HEIGHT + BAR_GAP)

    @property
    def summary(self) -> str:
        stated = [f"{bar.count_text} {bar.grade}" for bar in self.bars]
        return f"{self.total} quality indicators by grade: " + ", ".join(stated)


def grade_chart(
    store: Store, inspection: str, label: Callable[[str], str], scale: int | None = None
) -> GradeChart | None:
    """The chart of ``inspection``'s grade counts, highest grade first; None if it has none.

    ``label`` gives each grade's label. Grades of the same scheme without an observation get a bar
    marked "not stated" rather than a zero the data does not give. A bar of ``scale`` indicators fills
    the plot (default: the inspection's largest count); charts drawn side by side share one scale.
    """
    subject = ox.NamedNode(inspection)
    counts: dict[str, int] = {}
    schemes: set[ox.NamedNode] = set()
    # str() of a NamedNode is its validated <IRI>, safe to put in a query.
    query = GRADE_COUNTS_QUERY.replace("INSPECTION", str(subject))
    for row in select(store, query):
        grade, count, scheme = row["grade"], row["count"], row["scheme"]
        if isinstance(grade, ox.NamedNode) and isinstance(count, ox.Literal):
            counts[grade.value] = _integer(count.value) or 0
        if isinstance(scheme, ox.NamedNode):
            schemes.add(scheme)
    if not counts:
        return None
    levels: dict[str, int | None] = {grade: None for grade in counts}
    for scheme in schemes:
        query = SCALE_QUERY.replace("SCHEME", str(scheme))
        for row in select(store, query):
            grade, level = row["grade"], row["level"]
            if isinstance(grade, ox.NamedNode):
                value = _integer(level.value) if isinstance(level, ox.Literal) else None
                levels[grade.value] = value if value is not None else levels.get(grade.value)
    ordered = sorted(levels, key=lambda g: (-(levels[g] or 0), label(g)))
    largest = max(scale or 0, max(counts.values())) or 1
    bars = []
    for index, grade in enumerate(ordered):
        count = counts.get(grade)
        bars.append(
            Bar(
                grade_iri=grade,
                grade=label(grade),
                level=levels[grade],
                count=count,
                y=TOP + index * (BAR_HEIGHT + BAR_GAP),
                width=round(PLOT_WIDTH * (count or 0) / largest, 1),
            )
        )
    return GradeChart(bars=bars, total=sum(counts.values()))


def _integer(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None
