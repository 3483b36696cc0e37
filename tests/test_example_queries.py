"""Every example query in server/queries/ runs on the built-in graph and returns the rows it should.

Queries run on the real Oxigraph store with the default graph as the union of all graphs and no
prefixes predefined, as a client's query would on /sparql.
"""

# The data quotes its sources with typographic quotes and dashes; expected values keep them.
# ruff: noqa: RUF001

import re

import pyoxigraph as ox
import pytest

from carekg.namespaces import PREFIXES
from carekg.store import EmbeddedStore
from carekg.ui.examples import ExampleQuery, ExampleQueryError, example_queries, parse_example

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


def run(store: EmbeddedStore, name: str) -> list[Row]:
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
    example: ExampleQuery, builtin_store: EmbeddedStore
) -> None:
    result = builtin_store.query(example.text)
    assert isinstance(result, ox.QuerySolutions)
    assert list(result), f"{example.name} returned no rows"


def test_example_queries_fail_without_their_own_prefixes(builtin_store: EmbeddedStore) -> None:
    """The store predefines no prefix, so the tests above prove each query brings its own."""
    with pytest.raises(SyntaxError):
        builtin_store.query("SELECT * WHERE { ?s carekg:level ?o }")


def test_grade_counts_lists_all_six_grades_in_order_of_level(builtin_store: EmbeddedStore) -> None:
    rows = run(builtin_store, "grade-counts")
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
    builtin_store: EmbeddedStore,
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


def test_strengths_lists_the_four_key_strengths(builtin_store: EmbeddedStore) -> None:
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


def test_quotations_by_speaker_tells_people_from_the_report(builtin_store: EmbeddedStore) -> None:
    rows = run(builtin_store, "quotations-by-speaker")
    by_speaker = [(r["speaker"], r["speakerKind"], r["quotation"]) for r in rows]
    assert by_speaker == [
        *[("Annette Bruton", "person", f"{QUOTATION}{n}") for n in range(7, 11)],
        *[(REPORT, "report", f"{QUOTATION}{n}") for n in range(1, 7)],
    ]
    assert rows[-2]["text"] == "accelerated pace"


def test_inspectorates_and_roles_names_one_lead_and_three_partners(
    builtin_store: EmbeddedStore,
) -> None:
    rows = run(builtin_store, "inspectorates-and-roles")
    assert [(r["inspectorate"], r["role"]) for r in rows] == [
        ("Care Inspectorate", "lead inspectorate"),
        ("Education Scotland", "partner inspectorate"),
        ("Healthcare Improvement Scotland", "partner inspectorate"),
        ("Her Majesty’s Inspectorate of Constabulary for Scotland", "partner inspectorate"),
    ]


def test_area_links_gives_codes_and_statistics_gov_scot(builtin_store: EmbeddedStore) -> None:
    assert run(builtin_store, "area-links") == [
        {
            "area": "https://w3id.org/carekg/id/area/south-lanarkshire",
            "name": "South Lanarkshire",
            "gssCode": "S12000029",
            "isoCode": "GB-SLK",
            "sameAs": "http://statistics.gov.scot/id/statistical-geography/S12000029",
            "seeAlso": "http://statistics.gov.scot/def/foi/collection/council-areas",
        }
    ]


def test_recommendation_evidence_quotes_the_source_passage(builtin_store: EmbeddedStore) -> None:
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
    builtin_store: EmbeddedStore,
) -> None:
    rows = run(builtin_store, "care-leavers")
    assert [(r["partnership"], r["addressee"], r["recommendation"]) for r in rows] == [
        (PARTNERSHIP, "carekg's reading", f"{RECOMMENDATION}3"),
        (PARTNERSHIP, "carekg's reading", f"{RECOMMENDATION}9"),
    ]
    assert all("care leavers" in (r["text"] or "") for r in rows)


def test_fieldwork_and_report_gives_two_separate_months(builtin_store: EmbeddedStore) -> None:
    rows = run(builtin_store, "fieldwork-and-report")
    assert [
        (r["fieldworkMonth"], r["year"], r["month"], r["report"], r["issued"]) for r in rows
    ] == [
        ("June 2014", "2014", "--06", REPORT, "2015-02-23"),
        ("August 2014", "2014", "--08", REPORT, "2015-02-23"),
    ]


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
