"""Every example query in server/queries/ runs on the built-in graph and returns the rows it should.

Queries run on each backend (the embedded Oxigraph store, and carekg over a real Virtuoso) with the
default graph as the union of all graphs and no prefixes predefined, as a client's query would on
/sparql.
"""

# The data quotes its sources with typographic quotes and dashes; expected values keep them.
# ruff: noqa: RUF001

import re

import pyoxigraph as ox
import pytest

from carekg.rdf.namespaces import PREFIXES
from carekg.sparql.examples import ExampleQuery, ExampleQueryError, example_queries, parse_example
from carekg.store.protocol import Store

INSPECTION = "Joint inspection of services for children and young people in South Lanarkshire, 2014"
PARTNERSHIP = "South Lanarkshire Community Planning Partnership"
BOARD = "Getting it Right for South Lanarkshire’s Children Board"
REPORT = (
    "Services for children and young people in South Lanarkshire – Report of a joint inspection"
)
RECOMMENDATION = "https://w3id.org/carekg/id/recommendation/south-lanarkshire-2014/"
STRENGTH = "https://w3id.org/carekg/id/strength/south-lanarkshire-2014/"
QUOTATION = "https://w3id.org/carekg/id/quotation/south-lanarkshire-2014/"

Row = dict[str, str | None]


@pytest.fixture
def builtin_store(any_builtin_store: Store) -> Store:
    """Every example runs on both backends: the embedded store and carekg over Virtuoso."""
    return any_builtin_store


def run(store: Store, name: str) -> list[Row]:
    """The rows of example ``name``, each variable mapped to its term's lexical value."""
    example = next(q for q in example_queries() if q.name == name)
    solutions = store.query(example.text)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [
        {n: (None if s[n] is None else s[n].value) for n in names}  # type: ignore[union-attr]
        for s in solutions
    ]


def test_there_are_at_least_eight_example_queries_with_titles_and_descriptions() -> None:
    examples = example_queries()
    assert len(examples) >= 8
    for example in examples:
        assert example.title and example.description, example.name
        assert len(example.description) > len(example.title)


@pytest.mark.parametrize("example", example_queries(), ids=lambda q: q.name)
def test_example_parses_without_predefined_prefixes(
    example: ExampleQuery, builtin_store: Store
) -> None:
    result = builtin_store.query(example.text)
    assert isinstance(result, ox.QuerySolutions)
    assert list(result), f"{example.name} returned no rows"


def test_example_queries_fail_without_their_own_prefixes(builtin_store: Store) -> None:
    """The store predefines no prefix, so the tests above prove each query brings its own."""
    with pytest.raises(SyntaxError):
        builtin_store.query("SELECT * WHERE { ?s carekg:level ?o }")


def test_grade_counts_lists_all_six_grades_in_order_of_level(builtin_store: Store) -> None:
    every = run(builtin_store, "grade-counts")
    assert len(every) == 20 * 6  # twenty inspections (the seed and the corpus), six grades each
    assert len({r["inspection"] for r in every}) == 20
    rows = [r for r in every if r["inspection"] == INSPECTION]
    assert [(r["grade"], r["level"], r["indicators"]) for r in rows] == [
        ("excellent", "6", "0"),
        ("very good", "5", "1"),
        ("good", "4", "4"),
        ("adequate", "3", "4"),
        ("weak", "2", "0"),
        ("unsatisfactory", "1", "0"),
    ]
    assert {r["inspection"] for r in rows} == {INSPECTION}
    assert sum(int(r["indicators"] or 0) for r in rows) == 9


def bodies(value: str | None) -> set[str]:
    return set(value.split(" | ")) if value else set()


def test_recommendations_lists_nine_with_stated_and_read_addressees_apart(
    builtin_store: Store,
) -> None:
    """Only recommendation 6 names its bodies; 5 names none; the others are carekg's reading (issue 8)."""
    rows = run(builtin_store, "recommendations")
    assert [r["recommendation"] for r in rows] == [f"{RECOMMENDATION}{n}" for n in range(2, 11)]
    assert [r["position"] for r in rows] == [str(n) for n in range(1, 10)]
    stated = [bodies(r["addressedTo"]) for r in rows]
    read = [bodies(r["addresseeAsRead"]) for r in rows]
    assert stated == [set()] * 4 + [{PARTNERSHIP, BOARD}] + [set()] * 4
    assert read == [{PARTNERSHIP}] * 3 + [set(), set()] + [{PARTNERSHIP, BOARD}] * 4
    assert (
        rows[1]["text"]
        == "They should pay particular attention to improving support for care leavers."
    )


def test_strengths_lists_the_four_key_strengths(builtin_store: Store) -> None:
    rows = run(builtin_store, "strengths")
    assert [r["strength"] for r in rows] == [f"{STRENGTH}{n}" for n in range(1, 5)]
    assert [r["position"] for r in rows] == ["1", "2", "3", "4"]
    assert [r["strengthOf"] for r in rows] == [None] * 4
    assert [r["strengthOfAsRead"] for r in rows] == [PARTNERSHIP, None, None, PARTNERSHIP]
    assert rows[0]["text"] == (
        "partners were ensuring new born babies get the best possible start in life, "
        "including those in need of protection"
    )
    assert rows[3]["text"] == (
        "the determination of partners to reduce the impact of poverty on the lives of children, "
        "young people and families"
    )


def test_quotations_by_speaker_tells_people_from_the_report(builtin_store: Store) -> None:
    rows = run(builtin_store, "quotations-by-speaker")
    by_speaker = [(r["speaker"], r["speakerKind"], r["quotation"]) for r in rows]
    assert by_speaker == [
        *[("Annette Bruton", "person", f"{QUOTATION}{n}") for n in range(7, 11)],
        *[(REPORT, "report", f"{QUOTATION}{n}") for n in range(1, 7)],
    ]
    assert rows[-2]["text"] == "accelerated pace"


def test_inspectorates_and_roles_names_one_lead_and_three_partners(
    builtin_store: Store,
) -> None:
    every = run(builtin_store, "inspectorates-and-roles")
    # Only where a page states the lead and partners: 13 of the 20 inspections (12 of the corpus, the seed).
    assert len({r["inspection"] for r in every}) == 13
    assert {r["role"] for r in every if r["inspectorate"] == "Care Inspectorate"} == {
        "lead inspectorate"
    }
    rows = [r for r in every if r["inspection"] == INSPECTION]
    assert [(r["inspectorate"], r["role"]) for r in rows] == [
        ("Care Inspectorate", "lead inspectorate"),
        ("Education Scotland", "partner inspectorate"),
        ("Healthcare Improvement Scotland", "partner inspectorate"),
        ("Her Majesty’s Inspectorate of Constabulary for Scotland", "partner inspectorate"),
    ]


def test_area_links_gives_codes_and_statistics_gov_scot(builtin_store: Store) -> None:
    every = run(builtin_store, "area-links")
    assert len(every) == 20
    assert all(
        r["sameAs"] == f"http://statistics.gov.scot/id/statistical-geography/{r['gssCode']}"
        for r in every
    )
    assert [r for r in every if r["name"] == "South Lanarkshire"] == [
        {
            "area": "https://w3id.org/carekg/id/area/south-lanarkshire",
            "name": "South Lanarkshire",
            "gssCode": "S12000029",
            "isoCode": "GB-SLK",
            "sameAs": "http://statistics.gov.scot/id/statistical-geography/S12000029",
            "seeAlso": "http://statistics.gov.scot/def/foi/collection/council-areas",
        }
    ]


def test_recommendation_evidence_quotes_the_source_passage(builtin_store: Store) -> None:
    rows = run(builtin_store, "recommendation-evidence")
    assert [r["recommendation"] for r in rows] == [f"{RECOMMENDATION}{n}" for n in range(2, 11)]
    assert {r["source"] for r in rows} == {
        "Joint inspection of services for children and young people in South Lanarkshire"
    }
    second = rows[1]
    assert (
        second["passage"]
        == "They should pay particular attention to improving support for care leavers."
    )
    assert second["before"] == "come gaps more successfully.\xa0\n\n“"  # a no-break space
    assert second["after"] == " They need to further strengthen"
    for row in rows:
        assert row["text"] and row["passage"] and row["before"]


def test_care_leavers_finds_the_two_recommendations_that_mention_them(
    builtin_store: Store,
) -> None:
    rows = run(builtin_store, "care-leavers")
    assert [(r["partnership"], r["addressee"], r["recommendation"]) for r in rows] == [
        (PARTNERSHIP, "carekg's reading", f"{RECOMMENDATION}3"),
        (PARTNERSHIP, "carekg's reading", f"{RECOMMENDATION}9"),
    ]
    assert all("care leavers" in (r["text"] or "") for r in rows)


def test_fieldwork_and_report_gives_two_separate_months(builtin_store: Store) -> None:
    every = run(builtin_store, "fieldwork-and-report")
    # Stated months of inspections whose report has a title from a report copy: five inspections.
    assert len({r["inspection"] for r in every}) == 5
    rows = [r for r in every if r["inspection"] == INSPECTION]
    assert [
        (r["fieldworkMonth"], r["year"], r["month"], r["report"], r["issued"]) for r in rows
    ] == [
        ("June 2014", "2014", "--06", REPORT, "2015-02-23"),
        ("August 2014", "2014", "--08", REPORT, "2015-02-23"),
    ]


def test_grades_by_year_sums_the_counts_of_each_years_inspections(
    builtin_store: Store,
) -> None:
    rows = run(builtin_store, "grades-by-year")
    by_year = {
        year: {r["grade"]: int(r["indicators"] or 0) for r in rows if r["year"] == year}
        for year in {r["year"] for r in rows}
    }
    inspections = {r["year"]: int(r["inspections"] or 0) for r in rows}
    # From the pages: 2013 East Lothian (3 VG 2 G 3 A 1 W) and Highland (7 VG 2 G); 2016 Moray (5 A 4 W,
    # year from the Care Inspectorate's second progress review) and South Ayrshire (3 G 4 A 2 W).
    assert inspections == {"2013": 2, "2014": 5, "2015": 5, "2016": 2, "2017": 4}
    assert by_year["2013"] == {
        "excellent": 0,
        "very good": 10,
        "good": 4,
        "adequate": 3,
        "weak": 1,
        "unsatisfactory": 0,
    }
    assert by_year["2016"] == {
        "excellent": 0,
        "very good": 0,
        "good": 3,
        "adequate": 9,
        "weak": 6,
        "unsatisfactory": 0,
    }
    # 2014: Aberdeen City, Dumfries and Galloway, North Lanarkshire (ten indicators), Renfrewshire and
    # South Lanarkshire: 9 + 9 + 10 + 9 + 9 indicators.
    assert sum(by_year["2014"].values()) == 46
    assert by_year["2014"]["unsatisfactory"] == 1
    assert by_year["2017"]["excellent"] == 5  # East Ayrshire 2, Inverclyde 1, Perth and Kinross 2


def test_weak_or_unsatisfactory_lists_the_eight_inspections_with_a_low_grade(
    builtin_store: Store,
) -> None:
    rows = run(builtin_store, "weak-or-unsatisfactory")
    assert [(r["area"], r["grade"], r["indicators"]) for r in rows] == [
        ("Aberdeenshire", "weak", "1"),
        ("Dumfries and Galloway", "unsatisfactory", "1"),
        ("Dumfries and Galloway", "weak", "3"),
        ("East Lothian", "weak", "1"),
        ("Moray", "weak", "4"),
        ("Na h-Eileanan Siar", "weak", "2"),
        ("Shetland Islands", "weak", "1"),
        ("South Ayrshire", "weak", "2"),
    ]
    assert rows[3]["partnership"] is None  # no East Lothian page seen names the partnership
    assert rows[5]["partnership"] == "Outer Hebrides Community Planning Partnership"


def test_named_indicators_gives_each_named_grade_once_with_its_pages(
    builtin_store: Store,
) -> None:
    rows = run(builtin_store, "named-indicators")
    assert len(rows) == 24  # 2+1+1+1+2+2+2+6+1+5+1 named grades in eleven inspections
    dg = [r for r in rows if "Dumfries" in (r["inspection"] or "")]
    assert [(r["indicator"], r["grade"], r["level"]) for r in dg] == [
        ("Assessing and responding to risks and needs", "unsatisfactory", "1")
    ]
    pk = {(r["indicator"], r["grade"]) for r in rows if "Perth" in (r["inspection"] or "")}
    assert pk == {
        ("Planning and improving services", "excellent"),
        ("Leadership of improvement and change", "excellent"),
    }
    sa = [r for r in rows if "South Ayrshire" in (r["inspection"] or "")]
    assert [r["grade"] for r in sa] == ["good", "good", "good", "weak", "weak"]
    assert all((r["pages"] or "").startswith("http") for r in rows)


def test_conflicting_sources_lists_each_claim_with_its_page(builtin_store: Store) -> None:
    rows = run(builtin_store, "conflicting-sources")
    assert len(rows) == 14  # twelve claims, two of them made by two pages
    inverclyde = [r for r in rows if "Inverclyde" in (r["inspection"] or "")]
    assert [(r["property"], r["claimed"]) for r in inverclyde] == [
        ("https://w3id.org/carekg/def/indicatorCount", "4")
    ]
    assert inverclyde[0]["conflictsWith"] == (
        "https://w3id.org/carekg/id/observation/grade-counts/inverclyde-2017/very-good"
    )
    anderson = [r for r in rows if r["claimed"] == "Karen Anderson"]
    assert len(anderson) == 2
    assert {r["conflictsWith"] for r in anderson} == {
        "https://w3id.org/carekg/id/person/karen-reid"
    }
    south_ayrshire = {r["claimed"] for r in rows if "South Ayrshire" in (r["inspection"] or "")}
    assert south_ayrshire == {"2017-10"}


def test_every_example_has_an_exact_row_test() -> None:
    """A new .rq file needs its own test above, not only the generic checks."""
    tested = {
        "grade-counts",
        "recommendations",
        "strengths",
        "quotations-by-speaker",
        "inspectorates-and-roles",
        "area-links",
        "recommendation-evidence",
        "care-leavers",
        "fieldwork-and-report",
        "grades-by-year",
        "weak-or-unsatisfactory",
        "named-indicators",
        "conflicting-sources",
    }
    assert {q.name for q in example_queries()} == tested


def test_prefixes_offered_to_people_cover_those_the_examples_declare() -> None:
    for example in example_queries():
        for prefix, iri in re.findall(r"PREFIX\s+([\w-]+):\s*<([^>]*)>", example.text):
            assert PREFIXES.get(prefix) == iri, f"{example.name}: {prefix}: <{iri}>"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# description: only this\nSELECT * {}", "no '# title: ...' line"),
        ("# title: only this\nSELECT * {}", "no '# description: ...' line"),
        ("SELECT * {}\n# title: too late\n# description: too late", "no '# title: ...' line"),
    ],
)
def test_a_query_file_without_its_heading_is_refused_by_name(text: str, message: str) -> None:
    with pytest.raises(ExampleQueryError, match=re.escape(f"broken.rq: {message}")):
        parse_example("broken", text)


def test_a_description_may_run_over_several_comment_lines() -> None:
    example = parse_example(
        "two-lines", "# title: T\n# description: first part,\n#   second part.\nSELECT * {}"
    )
    assert example.description == "first part, second part."
