"""The grade counts of every inspection as one tidy table: CSV, its CSV on the Web metadata, and the Data Cube.

  /download/grade-counts.csv                 one row per inspection and grade (an observation of the cube)
  /download/grade-counts.csv-metadata.json   W3C CSVW metadata naming and describing every column
  /download/grade-counts.{ttl,nt,rdf,jsonld} the Data Cube: the qb:DataSet, its structure and observations

The table is one SPARQL query, GRADE_TABLE_QUERY (edit it there when the model's property names change); the
comparison page reads the same rows. A row's figure "has a conflicting figure" when a resource typed
carekg:ConflictingClaim refers to the row's observation (by any property: carekg:conflictsWith,
rdf:subject ...); the conflicting claims of the inspection are those that refer to the inspection itself.
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from flask import Response
from werkzeug.exceptions import NotFound

from ...dataset.dumps import serialize
from ...rdf.formats import JSON_LD, N_TRIPLES, RDF_XML, TURTLE, MediaType
from ...store.protocol import Store
from ..context import current_store
from .iris import base_iri, server_url
from .memo import memoized
from .sparql import select

CSV_PATH = "/download/grade-counts.csv"
METADATA_PATH = "/download/grade-counts.csv-metadata.json"
CUBE_STEM = "/download/grade-counts"
CUBE_FORMATS: tuple[MediaType, ...] = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD)
DATA_LICENCE = "https://creativecommons.org/licenses/by/4.0/"  # as the DCAT description states
GRADE_COUNTS_DATASET_PATH = "id/dataset/grade-counts"

# One row per observation of the grade-counts cube. Everything about the model is in this query.
GRADE_TABLE_QUERY = """
PREFIX carekg: <https://w3id.org/carekg/def/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?observation ?inspection ?inspectionLabel ?area ?areaLabel ?partnership ?partnershipLabel
       ?reportIssued ?grade ?gradeLabel ?level ?count ?evaluated ?obtainedBy ?sources
       ?conflictingFigure ?inspectionConflicts
WHERE {
  {
    SELECT ?observation ?inspection ?grade
        (MIN(?inspectionLabel1) AS ?inspectionLabel) (MIN(?area1) AS ?area)
        (MIN(?areaLabel1) AS ?areaLabel) (MIN(?partnership1) AS ?partnership)
        (MIN(?partnershipLabel1) AS ?partnershipLabel) (MIN(STR(?issued1)) AS ?reportIssued)
        (MIN(?gradeLabel1) AS ?gradeLabel) (MIN(?level1) AS ?level) (MIN(?count1) AS ?count)
        (MIN(?evaluated1) AS ?evaluated) (MIN(?obtainedBy1) AS ?obtainedBy)
        (GROUP_CONCAT(DISTINCT STR(?source1); separator=" ") AS ?sources)
    WHERE {
      ?observation a qb:Observation ;
          qb:dataSet ?dataset ;
          carekg:inspection ?inspection ;
          carekg:grade ?grade ;
          carekg:indicatorCount ?count1 .
      ?dataset qb:structure carekg:GradeCountsStructure .
      OPTIONAL { ?inspection rdfs:label ?inspectionLabel1 }
      OPTIONAL { ?inspection dct:spatial ?area1 . OPTIONAL { ?area1 rdfs:label ?areaLabel1 } }
      OPTIONAL { ?inspection carekg:partnershipInspected ?partnership1 .
                 OPTIONAL { ?partnership1 rdfs:label ?partnershipLabel1 } }
      OPTIONAL { ?inspection prov:generated ?report . ?report dct:issued ?issued1 }
      OPTIONAL { ?inspection carekg:indicatorsEvaluated ?evaluated1 }
      OPTIONAL { ?grade skos:prefLabel ?gradeLabel1 }
      OPTIONAL { ?grade carekg:level ?level1 }
      OPTIONAL { ?observation carekg:countObtainedBy ?obtainedBy1 }
      OPTIONAL { ?observation dct:source ?source1 }
    }
    GROUP BY ?observation ?inspection ?grade
  }
  BIND(EXISTS {
    ?claim a/rdfs:subClassOf* carekg:ConflictingClaim ; ?refersToFigure ?observation
  } AS ?conflictingFigure)
  OPTIONAL {
    SELECT ?inspection (COUNT(DISTINCT ?claim) AS ?inspectionConflicts) WHERE {
      ?claim a/rdfs:subClassOf* carekg:ConflictingClaim ; ?refersToInspection ?inspection .
    }
    GROUP BY ?inspection
  }
}
"""

# The Data Cube: the data set, its structure (components and their properties) and its observations.
CUBE_QUERY = """
PREFIX carekg: <https://w3id.org/carekg/def/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?s ?p ?o } WHERE {
  ?dataset a qb:DataSet ; qb:structure carekg:GradeCountsStructure .
  {
    BIND(?dataset AS ?s) ?s ?p ?o
  } UNION {
    ?dataset qb:structure ?s . ?s ?p ?o
  } UNION {
    ?dataset qb:structure/qb:component ?s . ?s ?p ?o
  } UNION {
    ?dataset qb:structure/qb:component ?spec .
    ?spec qb:dimension|qb:measure|qb:attribute ?s . ?s ?p ?o
  } UNION {
    ?s qb:dataSet ?dataset ; ?p ?o
  } UNION {
    ?observation qb:dataSet ?dataset ; carekg:inspection|carekg:grade ?s .
    VALUES ?p { rdfs:label skos:prefLabel }
    ?s ?p ?o
  }
}
"""


@dataclass(frozen=True)
class Column:
    name: str
    datatype: str  # a CSVW built-in datatype
    description: str
    required: bool = False
    separator: str | None = None


COLUMNS = (
    Column("observation", "anyURI", "The Data Cube observation of this row (its IRI).", True),
    Column("inspection", "anyURI", "The inspection (carekg:inspection of the observation).", True),
    Column("inspection_label", "string", "The inspection's label."),
    Column("area", "anyURI", "The council area inspected (dct:spatial of the inspection)."),
    Column("area_label", "string", "The council area's name."),
    Column("partnership", "anyURI", "The partnership inspected (carekg:partnershipInspected)."),
    Column("partnership_label", "string", "The partnership's name, as its source gives it."),
    Column(
        "report_issued",
        "string",
        "When the inspection's report was issued (dct:issued of the report it generated), as stated: "
        "a date or a year and month.",
    ),
    Column("grade", "anyURI", "The grade of the six-point scale (carekg:grade).", True),
    Column("grade_label", "string", "The grade's name."),
    Column("grade_level", "integer", "The grade's level, 1 (unsatisfactory) to 6 (excellent)."),
    Column(
        "indicators_at_grade",
        "integer",
        "How many quality indicators the inspection gave this grade (carekg:indicatorCount).",
        True,
    ),
    Column(
        "indicators_evaluated",
        "integer",
        "How many quality indicators the inspection evaluated (carekg:indicatorsEvaluated).",
    ),
    Column(
        "count_obtained_by",
        "anyURI",
        "How the count was obtained (carekg:countObtainedBy): stated in the source, or carekg's "
        "arithmetic; empty where the data does not say.",
    ),
    Column(
        "source",
        "anyURI",
        "The source document(s) the figure comes from (dct:source of the observation), separated by "
        "spaces.",
        separator=" ",
    ),
    Column(
        "conflicting_figure",
        "boolean",
        "true when another page gives a different figure for this row: a carekg:ConflictingClaim "
        "refers to this observation.",
        True,
    ),
    Column(
        "conflicting_claims_on_inspection",
        "integer",
        "How many carekg:ConflictingClaim resources refer to the inspection itself (any figure, date "
        "or name another page gives differently).",
        True,
    ),
)


@dataclass(frozen=True)
class GradeRow:
    observation: str
    inspection: str
    inspection_label: str
    area: str | None
    area_label: str | None
    partnership: str | None
    partnership_label: str | None
    report_issued: str | None
    grade: str
    grade_label: str
    grade_level: int | None
    indicators_at_grade: int
    indicators_evaluated: int | None
    count_obtained_by: str | None
    sources: tuple[str, ...]
    conflicting_figure: bool
    conflicting_claims_on_inspection: int

    def cells(self) -> list[str]:
        """The row as CSV cells, in the order of COLUMNS (empty for a value the data does not give)."""
        values: list[object] = [
            self.observation, self.inspection, self.inspection_label, self.area, self.area_label,
            self.partnership, self.partnership_label, self.report_issued, self.grade,
            self.grade_label, self.grade_level, self.indicators_at_grade, self.indicators_evaluated,
            self.count_obtained_by, " ".join(self.sources),
            "true" if self.conflicting_figure else "false", self.conflicting_claims_on_inspection,
        ]  # fmt: skip
        return ["" if v is None else str(v) for v in values]


def grade_rows(store: Store) -> list[GradeRow]:
    """Every observation of the grade-counts cube, by inspection label then grade, highest first."""
    return memoized(store, "grade-table-rows", lambda: _rows(store))


def _rows(store: Store) -> list[GradeRow]:
    rows = []
    for solution in select(store, GRADE_TABLE_QUERY):
        text = _reader(solution)
        observation, inspection, grade = text("observation"), text("inspection"), text("grade")
        count = _integer(text("count"))
        if observation is None or inspection is None or grade is None or count is None:
            continue
        rows.append(
            GradeRow(
                observation=observation,
                inspection=inspection,
                inspection_label=text("inspectionLabel") or inspection,
                area=text("area"),
                area_label=text("areaLabel"),
                partnership=text("partnership"),
                partnership_label=text("partnershipLabel"),
                report_issued=text("reportIssued"),
                grade=grade,
                grade_label=text("gradeLabel") or grade,
                grade_level=_integer(text("level")),
                indicators_at_grade=count,
                indicators_evaluated=_integer(text("evaluated")),
                count_obtained_by=text("obtainedBy"),
                sources=tuple(sorted((text("sources") or "").split())),
                conflicting_figure=text("conflictingFigure") == "true",
                conflicting_claims_on_inspection=_integer(text("inspectionConflicts")) or 0,
            )
        )
    return sorted(
        rows, key=lambda r: (r.inspection_label.lower(), r.inspection, -(r.grade_level or 0))
    )


def _reader(solution: ox.QuerySolution) -> Callable[[str], str | None]:
    def text(variable: str) -> str | None:
        term = solution[variable]
        return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None

    return text


def _integer(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def csv_bytes(rows: list[GradeRow]) -> bytes:
    """RFC 4180 CSV, UTF-8, a header row of the column names, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    writer.writerows(row.cells() for row in rows)
    return buffer.getvalue().encode("utf-8")


def csvw_metadata(csv_url: str, base: str) -> dict[str, Any]:
    """The CSV on the Web metadata of the table at ``csv_url`` (W3C Metadata Vocabulary for Tabular
    Data): its columns, their datatypes and meanings, its primary key, licence and provenance."""
    columns = []
    for column in COLUMNS:
        description: dict[str, Any] = {
            "name": column.name,
            "titles": column.name,
            "datatype": column.datatype,
            "required": column.required,
            "dc:description": column.description,
        }
        if column.separator is not None:
            description["separator"] = column.separator
        columns.append(description)
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_url,
        "dc:title": "Quality indicators at each grade, by inspection",
        "dc:description": (
            "carekg's grade-count Data Cube as a tidy table: one row per inspection and grade of the "
            "six-point scale, with the number of indicators evaluated, the source of the figure and "
            "whether another page gives a conflicting figure."
        ),
        "dc:license": {"@id": DATA_LICENCE},
        "prov:wasDerivedFrom": {"@id": base + GRADE_COUNTS_DATASET_PATH},
        "dialect": {"header": True, "encoding": "utf-8", "delimiter": ","},
        "tableSchema": {
            "columns": columns,
            "primaryKey": ["inspection", "grade"],
            "aboutUrl": "{+observation}",
        },
    }


def cube_statements(store: Store) -> list[ox.Triple]:
    result = store.query(CUBE_QUERY)
    assert isinstance(result, ox.QueryTriples)
    return list(dict.fromkeys(result))


# ---- routes


def grade_counts_csv() -> Response:
    store = current_store()
    data = memoized(store, "grade-table-csv", lambda: csv_bytes(grade_rows(store)))
    response = Response(data, content_type="text/csv; charset=utf-8; header=present")
    metadata = server_url(METADATA_PATH)
    response.headers["Link"] = f'<{metadata}>; rel="describedby"; type="application/csvm+json"'
    return response


def grade_counts_metadata() -> Response:
    body = json.dumps(csvw_metadata(server_url(CSV_PATH), base_iri()), indent=2) + "\n"
    return Response(body, content_type="application/csvm+json")


def grade_counts_cube(extension: str) -> Response:
    media_type = next((m for m in CUBE_FORMATS if m.extension == extension), None)
    if media_type is None:
        endings = ", ".join(f"{CUBE_STEM}.{m.extension}" for m in CUBE_FORMATS)
        raise NotFound(f"the grade counts are served as {CSV_PATH} and {endings}")
    store = current_store()
    data = memoized(
        store,
        ("grade-table-cube", extension),
        lambda: serialize(cube_statements(store), media_type),
    )
    return Response(data, content_type=media_type.content_type)
