"""The home page, which lists every inspection."""

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Response, render_template

from ...rdf.formats import HTML
from ..context import current_store
from .iris import base_iri
from .labels import Labeller, Value
from .memo import memoized
from .sparql import select
from .void import statistics_of

INSPECTIONS_QUERY = """
PREFIX carekg: <https://w3id.org/carekg/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT DISTINCT ?inspection ?area WHERE {
  ?inspection a ?class .
  ?class rdfs:subClassOf* carekg:Inspection .
  OPTIONAL { ?inspection dct:spatial ?area }
}
"""


@dataclass(frozen=True)
class InspectionRow:
    inspection: Value
    area: Value | None


def inspection_rows() -> list[InspectionRow]:
    store = current_store()
    labeller = Labeller(store)
    rows = {}
    for row in select(store, INSPECTIONS_QUERY):
        inspection, area = row["inspection"], row["area"]
        if isinstance(inspection, ox.NamedNode) and inspection.value not in rows:
            rows[inspection.value] = InspectionRow(
                labeller.value(inspection),
                labeller.value(area) if isinstance(area, ox.NamedNode) else None,
            )
    return sorted(rows.values(), key=lambda r: r.inspection.text.lower())


def home() -> Response:
    store = current_store()
    stats = memoized(store, "statistics", lambda: statistics_of(store))
    body = render_template(
        "home.html",
        stats=stats,
        graphs=store.named_graphs(),
        inspections=[row.inspection for row in inspection_rows()],
        base_iri=base_iri(),
        alternates=[],
    )
    return Response(body, content_type=HTML.content_type)
