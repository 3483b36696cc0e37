"""Issue 9, point 6, for researchers, on a store of N inspections (the bundled one and three synthetic ones,
tests/data/synthetic-inspections.trig): the home page lists every inspection; /inspections compares them
(ordered by the share graded good or better, one server-rendered SVG chart each, no script); area and
partnership pages list their inspections; the grade counts download as a tidy CSV described by CSVW
metadata, and as the Data Cube in RDF. Page and CSV are checked against SPARQL written here, over the same
store."""

import csv
import io
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import csvw
import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib.compare import isomorphic
from site_crawler import links_in
from synthetic_inspections import SOUTH_LANARKSHIRE, SYNTHETIC_INSPECTIONS, synthetic_store

from carekg.config import Config
from carekg.store.embedded import EmbeddedStore
from carekg.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PREFIXES = """
PREFIX carekg: <https://w3id.org/carekg/def/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# The observations, as this test reads the model (independently of carekg's GRADE_TABLE_QUERY).
OBSERVATIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?observation ?inspection ?grade ?count ?level ?evaluated ?label WHERE {
  GRAPH ?g { ?observation a qb:Observation ; carekg:inspection ?inspection ; carekg:grade ?grade ;
                          carekg:indicatorCount ?count }
  GRAPH ?h { ?grade carekg:level ?level }
  GRAPH ?i { ?inspection carekg:indicatorsEvaluated ?evaluated ; rdfs:label ?label }
}"""
)
SOURCES = (
    PREFIXES
    + "SELECT DISTINCT ?observation ?source WHERE { GRAPH ?g { ?observation a qb:Observation ; dct:source ?source } }"
)
CONFLICTS = (
    PREFIXES
    + "SELECT DISTINCT ?claim ?target WHERE { GRAPH ?g { ?claim a carekg:ConflictingClaim ; ?p ?target } }"
)
CSVW_DATATYPES = {"anyURI", "string", "integer", "boolean", "date", "decimal", "double"}


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return synthetic_store()


@pytest.fixture
def several(store: EmbeddedStore) -> FlaskClient:
    application = create_app(Config(), store=store)
    application.config["TESTING"] = True
    return application.test_client()


def solutions(store: EmbeddedStore, query: str) -> Iterator[dict[str, str]]:
    result = store.pyoxigraph().query(query)
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    for row in result:
        yield {v: row[v].value for v in variables if row[v] is not None}  # type: ignore[union-attr]


def expected_table(store: EmbeddedStore) -> dict[tuple[str, str], dict[str, str]]:
    """(inspection, grade) -> count, level, evaluated, label, sources, whether a claim conflicts."""
    sources: dict[str, set[str]] = {}
    for row in solutions(store, SOURCES):
        sources.setdefault(row["observation"], set()).add(row["source"])
    conflicted = {row["target"] for row in solutions(store, CONFLICTS)}
    table = {}
    for row in solutions(store, OBSERVATIONS):
        table[(row["inspection"], row["grade"])] = {
            "observation": row["observation"],
            "count": row["count"],
            "level": row["level"],
            "evaluated": row["evaluated"],
            "label": row["label"],
            "sources": " ".join(sorted(sources.get(row["observation"], ()))),
            "conflicting": "true" if row["observation"] in conflicted else "false",
        }
    return table


def expected_order(store: EmbeddedStore) -> list[tuple[str, int, int]]:
    """(inspection, good or better, evaluated), by share good or better, then label."""
    table = expected_table(store)
    good: dict[str, int] = {}
    evaluated: dict[str, int] = {}
    labels: dict[str, str] = {}
    for (inspection, _), row in table.items():
        good[inspection] = good.get(inspection, 0) + (
            int(row["count"]) if int(row["level"]) >= 4 else 0
        )
        evaluated[inspection] = int(row["evaluated"])
        labels[inspection] = row["label"]
    ordered = sorted(good, key=lambda i: (-good[i] / evaluated[i], labels[i].lower()))
    return [(i, good[i], evaluated[i]) for i in ordered]


class Rows(HTMLParser):
    """The comparison table's rows: data-* of each <tr>, and the counts of its grade cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.counts: list[dict[str, str]] = []
        self.conflicting: list[set[str]] = []
        self._cell: str | None = None
        self._text = ""
        self.in_table = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table" and "comparison" in a.get("class", ""):
            self.in_table = True
        if not self.in_table:
            return
        if tag == "tr" and "data-inspection" in a:
            self.rows.append(a)
            self.counts.append({})
            self.conflicting.append(set())
        elif tag == "td" and "data-grade" in a and self.rows:
            self._cell, self._text = a["data-grade"], ""
            if a.get("data-conflicting") == "true":
                self.conflicting[-1].add(a["data-grade"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.in_table = False
        if tag == "td" and self._cell is not None:
            self.counts[-1][self._cell] = self._text.replace("†", "").strip()
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text += data


def comparison_rows(client: FlaskClient) -> tuple[Rows, str]:
    response = client.get("/inspections", headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    parser = Rows()
    parser.feed(html)
    return parser, html


def test_the_fixture_holds_four_inspections(store: EmbeddedStore) -> None:
    inspections = {i for i, _ in expected_table(store)}
    assert inspections == {SOUTH_LANARKSHIRE, *SYNTHETIC_INSPECTIONS}


def test_the_home_page_lists_every_inspection(several: FlaskClient, store: EmbeddedStore) -> None:
    links = set(links_in(several.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)))
    for inspection in {i for i, _ in expected_table(store)}:
        assert inspection.replace("https://w3id.org/carekg", "") in links, inspection


def test_the_comparison_page_agrees_with_sparql_over_the_same_store(
    several: FlaskClient, store: EmbeddedStore
) -> None:
    parsed, _ = comparison_rows(several)
    order = expected_order(store)
    assert [r["data-inspection"] for r in parsed.rows] == [i for i, _, _ in order]
    assert [(int(r["data-good-or-better"]), int(r["data-out-of"])) for r in parsed.rows] == [
        (g, e) for _, g, e in order
    ]
    table = expected_table(store)
    for row, counts, conflicting in zip(
        parsed.rows, parsed.counts, parsed.conflicting, strict=True
    ):
        inspection = row["data-inspection"]
        expected = {g: v["count"] for (i, g), v in table.items() if i == inspection}
        assert counts == expected, inspection
        assert conflicting == {
            g for (i, g), v in table.items() if i == inspection and v["conflicting"] == "true"
        }
    # the fixture's orders: A (7 of 9) first, B (2 of 9) last, South Lanarkshire and C (5 of 9) by label
    assert order[0][0].endswith("synthetic-a-2013") and order[-1][0].endswith("synthetic-b-2015")
    assert parsed.conflicting[-1] == {"https://w3id.org/carekg/id/grade/weak"}


def test_each_inspection_has_its_svg_chart_in_the_html_without_script(
    several: FlaskClient, store: EmbeddedStore
) -> None:
    parsed, html = comparison_rows(several)
    assert "<script" not in html.lower()
    sections = html.split('<section class="inspection-chart" data-inspection="')[1:]
    assert [s.split('"', 1)[0] for s in sections] == [r["data-inspection"] for r in parsed.rows]
    table = expected_table(store)
    ids = set()
    for section in sections:
        inspection = section.split('"', 1)[0]
        svg = section.split("<svg", 1)[1].split("</svg>", 1)[0]
        bars = [
            b.split('data-count="', 1)[1].split('"', 1)[0] for b in svg.split('<g class="bar"')[1:]
        ]
        expected = sorted(
            ((int(v["level"]), v["count"]) for (i, _), v in table.items() if i == inspection),
            reverse=True,
        )
        assert bars == [count for _, count in expected], inspection
        ids.add(svg.split('aria-labelledby="', 1)[1].split(" ", 1)[0])
    assert len(ids) == len(sections)  # every chart's title has its own id


def test_area_and_partnership_pages_list_their_inspections(
    several: FlaskClient, store: EmbeddedStore
) -> None:
    query = (
        PREFIXES
        + """SELECT DISTINCT ?inspection ?place WHERE { GRAPH ?g {
        { ?inspection dct:spatial ?place } UNION { ?inspection carekg:partnershipInspected ?place } } }"""
    )
    pairs = list(solutions(store, query))
    assert len(pairs) == 8
    for pair in pairs:
        path = "/doc" + pair["place"].removeprefix("https://w3id.org/carekg")
        page = several.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        section = page.split('<section id="inspections">', 1)[1].split("</section>", 1)[0]
        assert f'data-inspection="{pair["inspection"]}"' in section, path


def csv_rows(client: FlaskClient) -> list[dict[str, str]]:
    response = client.get("/download/grade-counts.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "grade-counts.csv-metadata.json" in response.headers["Link"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_has_one_row_per_inspection_and_grade_agreeing_with_sparql(
    several: FlaskClient, store: EmbeddedStore
) -> None:
    rows = csv_rows(several)
    table = expected_table(store)
    assert len(rows) == len(table) == 24
    got = {
        (r["inspection"], r["grade"]): {
            "observation": r["observation"],
            "count": r["indicators_at_grade"],
            "level": r["grade_level"],
            "evaluated": r["indicators_evaluated"],
            "label": r["inspection_label"],
            "sources": r["source"],
            "conflicting": r["conflicting_figure"],
        }
        for r in rows
    }
    assert got == table
    claims = {r["inspection"]: r["conflicting_claims_on_inspection"] for r in rows}
    conflicts_on = {row["target"] for row in solutions(store, CONFLICTS)}
    for inspection, n in claims.items():
        expected = sum(1 for row in solutions(store, CONFLICTS) if row["target"] == inspection)
        assert int(n) == expected, inspection
    assert any(i in conflicts_on for i in claims)  # the fixture has conflicts on inspections


def test_the_csv_of_the_bundled_graph_holds_the_seed_reports_six_grade_counts(
    client: FlaskClient,
) -> None:
    rows = [r for r in csv_rows(client) if r["inspection"] == SOUTH_LANARKSHIRE]
    assert len(rows) == 6
    counts = {r["grade_label"]: int(r["indicators_at_grade"]) for r in rows}
    assert counts == {
        "excellent": 0,
        "very good": 1,
        "good": 4,
        "adequate": 4,
        "weak": 0,
        "unsatisfactory": 0,
    }
    assert {r["conflicting_figure"] for r in rows} == {"false"}


def test_the_csvw_metadata_names_every_csv_column_and_validates_the_csv(
    several: FlaskClient, tmp_path: Path
) -> None:
    response = several.get("/download/grade-counts.csv-metadata.json")
    assert response.status_code == 200
    assert response.mimetype == "application/csvm+json"
    metadata = json.loads(response.data)
    assert "http://www.w3.org/ns/csvw" in metadata["@context"]
    assert metadata["url"] == "http://localhost/download/grade-counts.csv"
    data = several.get("/download/grade-counts.csv").data
    header = next(csv.reader(io.StringIO(data.decode())))
    columns = metadata["tableSchema"]["columns"]
    assert [c["name"] for c in columns] == header
    for column in columns:
        assert column["titles"] == column["name"]
        assert column["datatype"] in CSVW_DATATYPES
        assert column["dc:description"]
    assert set(metadata["tableSchema"]["primaryKey"]) <= set(header)
    # A CSVW processor (the csvw package) validates the table against it, and rejects a broken copy.
    (tmp_path / "grade-counts.csv").write_bytes(data)
    local = {**metadata, "url": "grade-counts.csv"}
    (tmp_path / "grade-counts.csv-metadata.json").write_text(json.dumps(local))
    assert csvw.CSVW(str(tmp_path / "grade-counts.csv"),
                     md_url=str(tmp_path / "grade-counts.csv-metadata.json"), validate=True).is_valid  # fmt: skip
    broken = tmp_path / "broken"
    broken.mkdir()
    lines = data.decode().split("\r\n")
    cells = lines[1].split(",")
    index = header.index("indicators_at_grade")
    lines[1] = ",".join([*cells[:index], "many", *cells[index + 1 :]])
    (broken / "grade-counts.csv").write_text("\r\n".join(lines))
    (broken / "grade-counts.csv-metadata.json").write_text(json.dumps(local))
    try:
        valid = csvw.CSVW(str(broken / "grade-counts.csv"),
                          md_url=str(broken / "grade-counts.csv-metadata.json"), validate=True).is_valid  # fmt: skip
    except ValueError:
        valid = False
    assert not valid


def test_the_data_cube_download_holds_the_dataset_its_structure_and_every_observation(
    several: FlaskClient, store: EmbeddedStore
) -> None:
    qb = rdflib.Namespace("http://purl.org/linked-data/cube#")
    carekg = rdflib.Namespace("https://w3id.org/carekg/def/")
    response = several.get("/download/grade-counts.ttl")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    cube = rdflib.Graph().parse(data=response.data, format="turtle")
    datasets = set(cube.subjects(rdflib.RDF.type, qb.DataSet))
    assert datasets == {rdflib.URIRef("https://w3id.org/carekg/id/dataset/grade-counts")}
    assert (None, qb.structure, carekg.GradeCountsStructure) in cube
    assert (carekg.GradeCountsStructure, rdflib.RDF.type, qb.DataStructureDefinition) in cube
    assert len(set(cube.objects(carekg.GradeCountsStructure, qb.component))) >= 3
    observations = set(cube.subjects(rdflib.RDF.type, qb.Observation))
    table = expected_table(store)
    assert {str(o) for o in observations} == {v["observation"] for v in table.values()}
    for (inspection, grade), row in table.items():
        node = rdflib.URIRef(row["observation"])
        assert str(cube.value(node, carekg.indicatorCount)) == row["count"]
        assert cube.value(node, carekg.inspection) == rdflib.URIRef(inspection)
        assert cube.value(node, carekg.grade) == rdflib.URIRef(grade)
    for extension, parser in (("nt", "nt"), ("rdf", "xml"), ("jsonld", "json-ld")):
        other = several.get(f"/download/grade-counts.{extension}")
        assert other.status_code == 200, extension
        assert isomorphic(rdflib.Graph().parse(data=other.data, format=parser), cube), extension
