"""The corpus of joint inspections (issue 9): each report states what its pages state, and nothing else.

The expected figures below were typed from the researchers' notes on the stored pages
(/work/scratch/corpus/facts-1.md and facts-2.md, read 2026-12-01), not generated from the Turtle files:
a report whose file drifts from its pages fails here. Across the corpus: every resource names its source, no
literal of a report sourced from third-party pages is long enough to carry a copied sentence, named grades
never outnumber the counts, and each set of counts adds up to its number of indicators or carries the flag.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS, SH, XSD

from carekg.dataset.loading import parse_all, read_data_files
from carekg.dataset.sources import bundled_data_files
from carekg.dataset.validation import union_graph, validate_files

GRAPH_DIR = Path(__file__).parent.parent / "graph"
ONTOLOGY_DIR = Path(__file__).parent.parent / "ontology"
ID = "https://w3id.org/carekg/id/"
CAREKG = rdflib.Namespace("https://w3id.org/carekg/def/")
SCHEMA = rdflib.Namespace("https://schema.org/")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
TIME = rdflib.Namespace("http://www.w3.org/2006/time#")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
GRADES = ("excellent", "very-good", "good", "adequate", "weak", "unsatisfactory")
SEED = "south-lanarkshire-2014"
# A literal of a report sourced from third-party pages holds a name, a title, a date, a number or carekg's own
# short wording: at most this many characters, too few for a copied paragraph. The longest such literal the
# corpus needs is a page title with its publisher (about 110 characters).
MAX_LITERAL = 120


@dataclass(frozen=True)
class Expected:
    """What the pages state about one inspection (from the facts files)."""

    area: str
    gss: str
    evaluated: int
    counts: dict[str, int]
    count_source: str  # the URL of the page whose counts are in the data set
    partnership: str | None
    months: tuple[str, ...] = ()  # stated fieldwork months
    months_read: tuple[
        str, ...
    ] = ()  # months carekg reads (between stated months, or year inferred)
    named: dict[str, str] = field(default_factory=dict)  # indicator slug -> grade
    issued: str | None = None  # as stated: xsd:date or xsd:gYearMonth lexical form
    issued_read: str | None = None
    lead: bool = (
        False  # a page states the Care Inspectorate led, with the three partner inspectorates
    )
    gss_successor: str | None = None


CA = "https://careappointments.com/"
CI = "https://www.careinspectorate.com/index.php/news/"
EXPECTED: dict[str, Expected] = {
    "aberdeen-city-2014": Expected(
        "Aberdeen City",
        "S12000033",
        9,
        {"good": 6, "adequate": 3},
        CI + "2103-joint-inspection-of-services-for-children-and-young-people-aberdeen-city",
        "Community Planning Aberdeen",
        ("2014-08", "2014-10"),
        ("2014-09",),
        issued="2015-03-04",
        lead=True,
    ),
    "aberdeenshire-2015": Expected(
        "Aberdeenshire",
        "S12000034",
        9,
        {"very-good": 2, "good": 5, "adequate": 1, "weak": 1},
        CA
        + "care-news/scotland/96869/children-s-service-staff-praised-improvement-urged-in-management-at-aberdeenshire",
        "Aberdeenshire Community Planning Partnership",
        ("2015-04", "2015-06"),
        ("2015-05",),
        {
            "leadership-of-improvement-and-change": "adequate",
            "planning-and-improving-services": "weak",
        },
        lead=True,
    ),
    "dumfries-and-galloway-2014": Expected(
        "Dumfries and Galloway",
        "S12000006",
        9,
        {"adequate": 5, "weak": 3, "unsatisfactory": 1},
        CA
        + "care-news/scotland/93704/inspectors-lack-confidence-in-dumfries-galloway-s-children-s-service/",
        "Dumfries and Galloway Community Planning Partnership",
        ("2014-01", "2014-02"),
        named={"assessing-and-responding-to-risks-and-needs": "unsatisfactory"},
        issued="2014-04",
        lead=True,
    ),
    "east-ayrshire-2017": Expected(
        "East Ayrshire",
        "S12000008",
        9,
        {"excellent": 2, "very-good": 5, "good": 2},
        CA
        + "care-news/scotland/102153/joint-inspection-finds-services-for-children-performing-well-in-east-ayrshire",
        "East Ayrshire Community Planning Partnership",
        ("2017-08", "2017-11"),
        ("2017-09", "2017-10"),
        issued="2018-03",
        lead=True,
    ),
    "east-lothian-2013": Expected(
        "East Lothian",
        "S12000010",
        9,
        {"very-good": 3, "good": 2, "adequate": 3, "weak": 1},
        CA + "care-news/scotland/93689/positive-report-for-east-lothian-children-s-services/",
        None,
        ("2013-10", "2013-11"),
        named={"planning-and-improving-services": "weak"},
        lead=True,
    ),
    "falkirk-2015": Expected(
        "Falkirk",
        "S12000014",
        9,
        {"good": 5, "adequate": 4},
        CA + "?p=98328",
        "Falkirk Community Planning Partnership",
        ("2015-11", "2015-12"),
        lead=True,
    ),
    "fife-2015": Expected(
        "Fife",
        "S12000015",
        9,
        {"very-good": 3, "good": 5, "adequate": 1},
        "https://www.fifetoday.co.uk/news/children-s-services-in-fife-given-seal-of-approval-1-4080763",
        "Fife Community Planning Partnership",
        (),
        ("2015-08", "2015-09", "2015-10"),
        {"planning-for-individual-children": "adequate"},
        issued_read="2016-03-23",
        lead=True,
        gss_successor="S12000047",
    ),
    "highland-2013": Expected(
        "Highland",
        "S12000017",
        9,
        {"very-good": 7, "good": 2},
        "https://caithness-business.co.uk/article/4819",
        None,
        ("2013-10", "2013-11"),
    ),
    "inverclyde-2017": Expected(
        "Inverclyde",
        "S12000018",
        9,
        {"excellent": 1, "very-good": 5, "good": 2, "adequate": 1},
        "http://careinspectorate.com/index.php/news/4110-services-for-children-and-young-people-in-inverclyde",
        "Inverclyde Alliance",
        ("2017-05", "2017-06"),
        named={
            "participation": "excellent",
            "assessing-and-responding-to-risks-and-needs": "adequate",
        },
        issued="2017-10-31",
        lead=True,
    ),
    "moray-2016": Expected(
        "Moray",
        "S12000020",
        9,
        {"adequate": 5, "weak": 4},
        CA + "?p=99809",
        "Moray Community Planning Partnership",
        issued="2017-02",
        issued_read="2017-02-16",
    ),
    "na-h-eileanan-siar-2016": Expected(
        "Na h-Eileanan Siar",
        "S12000013",
        9,
        {"good": 4, "adequate": 3, "weak": 2},
        "https://pressandjournal.co.uk/fp/news/highlands-islands/809375/western-isles-care-criticised-despite-changes-after-murder",
        "Outer Hebrides Community Planning Partnership",
        named={
            "planning-and-improving-services": "weak",
            "leadership-of-improvement-and-change": "weak",
        },
        issued="2016-01",
    ),
    "north-lanarkshire-2014": Expected(
        "North Lanarkshire",
        "S12000044",
        10,
        {"very-good": 7, "good": 3},
        CI + "2339-services-for-children-and-young-people-in-north-lanarkshire",
        "North Lanarkshire Community Planning Partnership",
        ("2014-10", "2014-11"),
        gss_successor="S12000050",
    ),
    "perth-and-kinross-2017": Expected(
        "Perth and Kinross",
        "S12000024",
        9,
        {"excellent": 2, "very-good": 6, "good": 1},
        "https://nhstaysidelowdown.com/2018/04/18/delivering-excellence-for-children-and-young-people-in-perth-and-kinross/",
        "Perth and Kinross Community Planning Partnership",
        ("2017-08", "2017-11"),
        ("2017-09", "2017-10"),
        {
            "planning-and-improving-services": "excellent",
            "leadership-of-improvement-and-change": "excellent",
        },
        issued="2018-04",
        lead=True,
        gss_successor="S12000048",
    ),
    "renfrewshire-2014": Expected(
        "Renfrewshire",
        "S12000038",
        9,
        {"very-good": 6, "good": 2, "adequate": 1},
        "https://www.paisley.org.uk/2015/12/report-reveals-services-improve-the-lives-of-renfrewshire-children/?share=pinterest",
        "Community Planning Partnership (Renfrewshire)",
        ("2014-12", "2015-02"),
        ("2015-01",),
    ),
    "scottish-borders-2015": Expected(
        "Scottish Borders",
        "S12000026",
        9,
        {"very-good": 1, "good": 4, "adequate": 4},
        CI
        + "3279-joint-inspection-of-services-for-children-and-young-people-in-the-scottish-borders",
        "Scottish Borders Community Planning Partnership",
        ("2015-12", "2016-02"),
        ("2016-01",),
        {
            "improvements-in-wellbeing": "good",
            "help-and-support-at-an-early-stage": "good",
            "leadership-of-improvement-and-change": "adequate",
            "assessing-and-responding-to-risks-and-needs": "adequate",
            "planning-for-individual-children": "adequate",
            "planning-and-improving-services": "adequate",
        },
        issued="2016-06-28",
        lead=True,
    ),
    "shetland-islands-2015": Expected(
        "Shetland Islands",
        "S12000027",
        9,
        {"good": 6, "adequate": 2, "weak": 1},
        CA + "?p=96425",
        "Shetland Community Planning Partnership",
        ("2015-01", "2015-03"),
        ("2015-02",),
        {"assessing-and-responding-to-risks-and-needs": "weak"},
        issued_read="2015-07-31",
    ),
    "south-ayrshire-2016": Expected(
        "South Ayrshire",
        "S12000028",
        9,
        {"good": 3, "adequate": 4, "weak": 2},
        CI + "3404-services-for-children-and-young-people-in-south-ayrshire",
        "South Ayrshire Community Planning Partnership",
        ("2016-04", "2016-06"),
        ("2016-05",),
        {
            "impact-on-children-and-young-people": "good",
            "impact-on-families": "good",
            "assessing-and-responding-to-risks-and-needs": "good",
            "planning-and-improving-services": "weak",
            "leadership-of-improvement-and-change": "weak",
        },
        issued_read="2016-10-04",
        lead=True,
    ),
    "west-dunbartonshire-2017": Expected(
        "West Dunbartonshire",
        "S12000039",
        9,
        {"very-good": 3, "good": 4, "adequate": 2},
        "https://mail.careappointments.co.uk/care-news/scotland/item/41395-inspectors-find-children-s-services-in-west-dunbartonshire-performing-well",
        "West Dunbartonshire Community Planning Partnership",
    ),
    "west-lothian-2017": Expected(
        "West Lothian",
        "S12000040",
        9,
        {"very-good": 3, "good": 5, "adequate": 1},
        CA
        + "care-news/scotland/100893/inspectors-find-services-for-children-and-young-people-in-west-lothian-improving/",
        "West Lothian Community Planning Partnership",
        ("2017-03", "2017-04"),
        named={"assessing-and-responding-to-risks-and-needs": "adequate"},
        issued="2017-08",
        lead=True,
    ),
}
CORPUS_FILES = sorted(EXPECTED)


@pytest.fixture(scope="module")
def union() -> rdflib.Graph:
    return union_graph(parse_all(bundled_data_files()))


def inspection(slug: str) -> URIRef:
    return URIRef(f"{ID}inspection/{slug}")


def month(ym: str) -> URIRef:
    return URIRef(f"{ID}month/{ym}")


def test_every_inspection_with_stated_counts_has_its_own_file() -> None:
    files = {p.stem for p in GRAPH_DIR.glob("*.ttl")} - {"shared"}
    assert files == set(EXPECTED) | {SEED}
    assert len(files) == 20


@pytest.mark.parametrize("slug", CORPUS_FILES)
def test_report_states_its_pages_figures(slug: str, union: rdflib.Graph) -> None:
    expected = EXPECTED[slug]
    own = rdflib.Graph().parse(GRAPH_DIR / f"{slug}.ttl")
    node = inspection(slug)
    assert (node, RDF.type, CAREKG.JointInspection) in own
    assert own.value(node, CAREKG.indicatorsEvaluated) == Literal(
        expected.evaluated, datatype=XSD.nonNegativeInteger
    )
    counts = {}
    for observation in own.objects(node, CAREKG.gradeCounts):
        grade = str(own.value(observation, CAREKG.grade)).rsplit("/", 1)[-1]
        counts[grade] = int(own.value(observation, CAREKG.indicatorCount))  # type: ignore[arg-type]
        how = own.value(observation, CAREKG.countObtainedBy)
        if grade in expected.counts:
            assert how == CAREKG.statedInSource, (slug, grade)
            sources = {
                str(union.value(s, SCHEMA.url)) for s in own.objects(observation, DCTERMS.source)
            }
            assert expected.count_source in sources
        else:
            assert how == CAREKG.derivedByArithmetic, (slug, grade)
    assert counts == {g: expected.counts.get(g, 0) for g in GRADES}
    area = own.value(node, DCTERMS.spatial)
    assert own.value(area, rdflib.RDFS.label) == Literal(expected.area, lang="en")
    assert own.value(area, CAREKG.gssCode) == Literal(expected.gss)
    assert (
        area,
        rdflib.OWL.sameAs,
        URIRef(f"http://statistics.gov.scot/id/statistical-geography/{expected.gss}"),
    ) in own
    partnership = own.value(node, CAREKG.partnershipInspected)
    if expected.partnership is None:
        assert partnership is None
    else:
        assert own.value(partnership, rdflib.RDFS.label) == Literal(expected.partnership, lang="en")
        assert own.value(partnership, SCHEMA.areaServed) == area
    assert set(own.objects(node, CAREKG.fieldworkMonth)) == {month(m) for m in expected.months}
    assert set(own.objects(node, CAREKG.fieldworkMonthAsRead)) == {
        month(m) for m in expected.months_read
    }
    named = {
        str(own.value(g, DQV.isMeasurementOf)).rsplit("/", 1)[-1]: str(
            own.value(g, CAREKG.grade)
        ).rsplit("/", 1)[-1]
        for g in own.subjects(PROV.wasGeneratedBy, node)
        if (g, RDF.type, CAREKG.IndicatorGrade) in own
    }
    assert named == expected.named
    report = own.value(node, PROV.generated)
    issued = None if report is None else own.value(report, DCTERMS.issued)
    issued_read = None if report is None else own.value(report, CAREKG.issuedAsRead)
    assert (None if issued is None else str(issued)) == expected.issued
    assert (None if issued_read is None else str(issued_read)) == expected.issued_read
    lead = own.value(node, CAREKG.leadInspectorate)
    assert (lead == URIRef(f"{ID}organisation/care-inspectorate")) is expected.lead
    if expected.lead:
        assert len(set(own.objects(node, PROV.qualifiedAssociation))) == 4


@pytest.mark.parametrize("slug", [s for s, e in EXPECTED.items() if e.gss_successor])
def test_recoded_area_has_both_codes_with_their_periods(slug: str) -> None:
    expected = EXPECTED[slug]
    own = rdflib.Graph().parse(GRAPH_DIR / f"{slug}.ttl")
    area = own.value(inspection(slug), DCTERMS.spatial)
    periods = {
        str(own.value(a, SCHEMA.value)): str(own.value(a, DCTERMS.valid))
        for a in own.objects(area, CAREKG.gssCodeAssignment)
    }
    assert set(periods) == {expected.gss, expected.gss_successor}
    assert periods[expected.gss].startswith("end=")
    assert periods[str(expected.gss_successor)].startswith("start=")
    assert (
        periods[expected.gss].split(";")[0][4:]
        == periods[str(expected.gss_successor)].split(";")[0][6:]
    )


def test_inverclyde_council_counts_are_kept_as_stated_and_flagged(union: rdflib.Graph) -> None:
    node = URIRef(f"{ID}claim/inverclyde-2017/inverclyde-council-2017-oct-grade-counts")
    assert union.value(node, CAREKG.countsDoNotAddUp) == Literal(True)
    stated = {
        str(union.value(c, RDF.subject)).rsplit("/", 1)[-1]: int(union.value(c, RDF.object))  # type: ignore[arg-type]
        for c in union.objects(node, CAREKG.statedCount)
    }
    assert stated == {"excellent": 1, "very-good": 4, "good": 2, "adequate": 1}
    assert sum(stated.values()) == 8
    conflicting = [
        c
        for c in union.objects(node, CAREKG.statedCount)
        if (c, RDF.type, CAREKG.ConflictingClaim) in union
    ]
    assert [str(union.value(c, RDF.object)) for c in conflicting] == ["4"]
    very_good = URIRef(f"{ID}observation/grade-counts/inverclyde-2017/very-good")
    assert union.value(very_good, CAREKG.indicatorCount) == Literal(
        5, datatype=XSD.nonNegativeInteger
    )
    assert (node, QB.dataSet, None) not in union


EXPECTED_CONFLICTS = {
    # claim IRI (under id/claim/) -> URLs of the pages making the claim
    "aberdeen-city-2014/partnership-name-variant": {
        CI + "2103-joint-inspection-of-services-for-children-and-young-people-aberdeen-city"
    },
    "aberdeenshire-2015/indicator-name-variant": {
        "https://pressandjournal.co.uk/fp/news/aberdeen-aberdeenshire/717847/room-to-improve-says-inspectors-for-aberdeenshire-services"
    },
    "aberdeenshire-2015/inspectorate-name-variant": {
        "https://pressandjournal.co.uk/fp/news/aberdeen-aberdeenshire/717847/room-to-improve-says-inspectors-for-aberdeenshire-services"
    },
    "dumfries-and-galloway-2014/fieldwork-began-december-2013": {
        "https://dgwgo.com/dumfries-galloway-news/dumfries-and-galloway-childrens-services-plan"
    },
    "dumfries-and-galloway-2014/indicator-name-variant": {
        "https://www.scotsman.com/news/corner-scotland-where-children-left-risk-1539497"
    },
    "fife-2015/partnership-name-variant": {
        "https://www.fifechildprotection.org.uk/minisites/index.cfm?fuseaction=page.display&pageid=87869CA0-F6AD-01B5-9693637250B27492&siteID=AA73CD9C-E7FE-C7EA-06436BFC786E1C8E"
    },
    "inverclyde-2017/inverclyde-council-2017-oct-very-good": {
        "https://www.inverclyde.gov.uk/news/2017/oct/children-and-young-people-s-services-sector-leading"
    },
    "karen-anderson": {
        CI + "2335-services-for-children-and-young-people-in-dumfries-and-galloway",
        CI + "2339-services-for-children-and-young-people-in-north-lanarkshire",
    },
    "moray-2016/inspection-in-february-2017": {
        "https://careinspectoratelive2.mtcserver.com/index.php/news/4153-services-for-children-and-young-people-in-moray"
    },
    "shetland-islands-2015/inspection-in-july-2015": {
        CI + "3650-services-for-children-and-young-people-in-shetland-progress-review"
    },
    "shetland-islands-2015/partnership-name-variant": {CA + "?p=96425"},
    "south-ayrshire-2016/report-published-october-2017": {
        "https://careinspectorate.com/index.php/news/4357-services-for-children-and-young-people-in-south-ayrshire-progress-review-pressrelease",
        CA
        + "care-news/scotland/102548/follow-up-review-of-children-s-services-in-south-ayrshire-shows-improving-picture/",
    },
}


def test_every_conflict_found_is_a_claim_of_its_pages(union: rdflib.Graph) -> None:
    claims = {
        str(c).removeprefix(f"{ID}claim/"): {
            str(union.value(s, SCHEMA.url)) for s in union.objects(c, DCTERMS.source)
        }
        for c in union.subjects(RDF.type, CAREKG.ConflictingClaim)
    }
    assert claims == EXPECTED_CONFLICTS
    for claim in union.subjects(RDF.type, CAREKG.ConflictingClaim):
        assert union.value(claim, CAREKG.conflictsWith) is not None
        assert (claim, QB.dataSet, None) not in union


def test_validation_report_lists_each_conflict_and_the_graph_conforms() -> None:
    outcome = validate_files(bundled_data_files(), with_builtin_data=False)
    assert outcome.conforms
    assert {r.severity for r in outcome.results} == {SH.Info}
    listed = {str(r.focus_node).removeprefix(f"{ID}claim/") for r in outcome.results}
    assert listed == set(EXPECTED_CONFLICTS)
    # one result per page of a claim
    assert len(outcome.results) == sum(len(p) for p in EXPECTED_CONFLICTS.values())


def test_chief_executives_hold_the_post_only_for_the_dates_of_the_pages_naming_them(
    union: rdflib.Graph,
) -> None:
    def period(person: str) -> tuple[str, str]:
        membership = union.value(predicate=ORG.member, object=URIRef(f"{ID}person/{person}"))
        interval = union.value(membership, ORG.memberDuring)
        ends = []
        for edge in (TIME.hasBeginning, TIME.hasEnd):
            instant = union.value(interval, edge)
            date = union.value(instant, TIME.inXSDDate) or union.value(instant, CAREKG.dateAsRead)
            ends.append(str(date))
        return ends[0], ends[1]

    # Annette Bruton: the Argyll and Bute release of Wednesday 18 September (2013 is carekg's reading).
    assert period("annette-bruton") == ("2013-09-18", "2013-09-18")
    # Karen Reid: Fife Today, Wednesday 23 March (2016, a reading), to the page of 28 February 2017.
    assert period("karen-reid") == ("2016-03-23", "2017-02-28")
    holders = set(union.objects(URIRef(f"{ID}post/care-inspectorate-chief-executive"), ORG.heldBy))
    assert holders == {URIRef(f"{ID}person/annette-bruton"), URIRef(f"{ID}person/karen-reid")}
    assert not list(union.subjects(SCHEMA.name, Literal("Karen Anderson")))


def corpus_graph(name: str) -> rdflib.Graph:
    """A corpus file; for graph/shared.ttl only its corpus section (the model's part has its own tests)."""
    path = ONTOLOGY_DIR / name if name == "quality-indicators.ttl" else GRAPH_DIR / name
    return rdflib.Graph().parse(path)


CORPUS_TURTLE = [f"{s}.ttl" for s in CORPUS_FILES] + ["shared.ttl", "quality-indicators.ttl"]
CALENDAR = {TIME.DateTimeInterval, TIME.DateTimeDescription}


@pytest.mark.parametrize("name", CORPUS_TURTLE)
def test_every_resource_of_a_corpus_file_names_its_source(name: str, union: rdflib.Graph) -> None:
    graph = corpus_graph(name)
    unsourced = []
    for subject in set(graph.subjects()):
        types = set(union.objects(subject, RDF.type))
        if types & CALENDAR or CAREKG.SourceDocument in types or not isinstance(subject, URIRef):
            continue
        if str(subject).startswith("https://w3id.org/carekg/def"):
            continue
        if not list(union.objects(subject, DCTERMS.source)) and not list(
            union.objects(subject, rdflib.RDFS.isDefinedBy)
        ):
            unsourced.append(str(subject))
    assert unsourced == []


def test_every_page_records_its_address_publisher_title_and_the_day_it_was_read(
    union: rdflib.Graph,
) -> None:
    pages = [s for s in union.subjects(CAREKG.readFromStoredCopyOn, None)]
    assert len(pages) >= 50
    for page in pages:
        assert isinstance(union.value(page, SCHEMA.url), URIRef), page
        assert union.value(page, DCTERMS.title) is not None, page
        publisher = union.value(page, DCTERMS.publisher)
        assert union.value(publisher, rdflib.RDFS.label) is not None, page
        assert union.value(page, CAREKG.readFromStoredCopyOn) == Literal(
            "2026-12-01", datatype=XSD.date
        )
    cited = {s for s in union.objects(None, DCTERMS.source) if str(s).startswith(f"{ID}source/")}
    for name in CORPUS_TURTLE:
        for source in corpus_graph(name).objects(None, DCTERMS.source):
            assert source in cited
            assert (source, RDF.type, CAREKG.SourceDocument) in union, source


@pytest.mark.parametrize("name", CORPUS_TURTLE)
def test_no_literal_of_a_third_party_sourced_file_could_hold_a_copied_sentence(name: str) -> None:
    graph = corpus_graph(name)
    text = (
        GRAPH_DIR / name if name != "quality-indicators.ttl" else ONTOLOGY_DIR / name
    ).read_text("utf-8")
    if name == "shared.ttl":
        text = text.split("the corpus of reports (issue 9)", 1)[1]
    too_long = [
        str(o) for o in graph.objects() if isinstance(o, Literal) and len(str(o)) > MAX_LITERAL
    ]
    assert too_long == []
    for forbidden in ("schema:text", "oa:exact", "schema:Quotation", "carekg:evidence"):
        assert forbidden not in text, forbidden


def test_named_grades_never_outnumber_the_counts_and_counts_add_up_or_are_flagged(
    union: rdflib.Graph,
) -> None:
    over = union.query(
        """SELECT ?inspection ?grade (COUNT(?named) AS ?n) ?count WHERE {
            ?named a carekg:IndicatorGrade ; prov:wasGeneratedBy ?inspection ; carekg:grade ?grade .
            ?observation carekg:inspection ?inspection ; carekg:grade ?grade ; carekg:indicatorCount ?count .
        } GROUP BY ?inspection ?grade ?count HAVING (COUNT(?named) > ?count)""",
        initNs={"carekg": CAREKG, "prov": PROV},
    )
    assert list(over) == []
    sums = union.query(
        """SELECT ?inspection ?evaluated (SUM(?count) AS ?total) WHERE {
            ?inspection carekg:indicatorsEvaluated ?evaluated .
            ?observation carekg:inspection ?inspection ; carekg:indicatorCount ?count .
        } GROUP BY ?inspection ?evaluated""",
        initNs={"carekg": CAREKG},
    )
    rows = list(sums)
    assert len(rows) == 20
    assert all(int(r.total) == int(r.evaluated) for r in rows)  # type: ignore[union-attr]
    for stated in union.subjects(RDF.type, CAREKG.GradeCountsAsStated):
        total = sum(
            int(union.value(c, RDF.object)) for c in union.objects(stated, CAREKG.statedCount)
        )  # type: ignore[arg-type]
        evaluated = int(union.value(union.value(stated, SCHEMA.about), CAREKG.indicatorsEvaluated))  # type: ignore[arg-type]
        assert union.value(stated, CAREKG.countsDoNotAddUp) == Literal(total != evaluated)


def messages_of_edited_copy(tmp_path: Path, slug: str, old: str, new: str) -> list[str]:
    """Validate an edited copy of a bundled report in its place (as `carekg validate graph/<file>` does)."""
    text = (GRAPH_DIR / f"{slug}.ttl").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    copy = tmp_path / f"{slug}.ttl"
    copy.write_text(text.replace(old, new), encoding="utf-8")
    outcome = validate_files(read_data_files([copy]))
    assert not outcome.conforms
    return [r.message for r in outcome.results if r.severity == SH.Violation]


def test_a_copy_with_a_count_below_its_named_grades_fails(tmp_path: Path) -> None:
    # South Ayrshire: three indicators are named good; a copy that counts two good must fail.
    messages = messages_of_edited_copy(
        tmp_path,
        "south-ayrshire-2016",
        'carekg:grade grade:good ;\n    carekg:indicatorCount "3"',
        'carekg:grade grade:good ;\n    carekg:indicatorCount "2"',
    )
    assert any(
        "give 3 indicators grade https://w3id.org/carekg/id/grade/good, more than its grade count 2"
        in m
        for m in messages
    )
    assert any("add up to 8, not to its carekg:indicatorsEvaluated 9" in m for m in messages)


def test_a_copy_whose_flag_hides_counts_that_do_not_add_up_fails(tmp_path: Path) -> None:
    messages = messages_of_edited_copy(
        tmp_path, "inverclyde-2017", "carekg:countsDoNotAddUp true", "carekg:countsDoNotAddUp false"
    )
    assert messages == [
        "The stated counts add up to 8 and the inspection evaluated 9, but carekg:countsDoNotAddUp is false."
    ]


def test_the_authoring_template_validates_and_lists_its_example_conflict() -> None:
    template = Path(__file__).parent.parent / "docs" / "report-template.ttl"
    outcome = validate_files(read_data_files([template]))
    assert outcome.conforms
    assert [r for r in outcome.results if r.severity != SH.Info] == []
    template_claim = URIRef(f"{ID}claim/example-area-2099/other-page-very-good")
    assert template_claim in {r.focus_node for r in outcome.results}
