"""The built-in data is validated in units: each report file's own nodes, and the shared nodes. The units
find exactly what one validation of everything finds (on the shipped data, and when a report breaks a
shared node's shape or describes another report's node), every node is validated in one unit only, and
after one report changes only its unit and the shared unit are validated again. Narrowing a validation to
some target nodes still checks the nodes their constraints lead to."""

import dataclasses
from pathlib import Path, PurePath

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF
from synthetic_corpora import corpus_module, nquads, with_a_recommendation_not_in_its_evidence

from carekg.dataset.checking import CheckedBuild, Unit, check_units
from carekg.dataset.focus import FocusNodes
from carekg.dataset.loading import parse_quads
from carekg.dataset.sources import DataFile, bundled_data_files
from carekg.dataset.units import builtin_units, file_units, is_context, split_context
from carekg.dataset.validation import ValidationResult, validate, validate_files

EX = rdflib.Namespace("http://example.org/")
EAST_AYRSHIRE_PAGE = (
    b"source:ayrshire-daily-news-east-ayrshire\n    a carekg:SourceDocument, schema:NewsArticle ;"
)


def replaced(files: list[DataFile], name: str, old: bytes, new: bytes) -> list[DataFile]:
    """``files`` with ``old`` replaced by ``new`` in the file called ``name`` (which must hold it)."""
    out = []
    for file in files:
        if PurePath(file.name).name == name:
            assert old in file.data
            file = dataclasses.replace(file, data=file.data.replace(old, new))
        out.append(file)
    return out


# Moray's file gives East Ayrshire's inspection a second English label (it describes another's node).
MORAY_LABELS_EAST_AYRSHIRE = b'inspection:east-ayrshire-2017 rdfs:label "A second label"@en .'
# Moray's inspection claims South Lanarkshire's summary of recommendations (it points at another's node),
# which then summarises two inspections.
MORAY_CLAIMS_A_SUMMARY = (
    b"inspection:moray-2016 carekg:recommendationsSummary"
    b" inspection:south-lanarkshire-2014-recommendations-summary ."
)


def moray_adding(files: list[DataFile], statement: bytes) -> list[DataFile]:
    """``files`` with ``statement`` appended to Moray's file."""
    return [
        dataclasses.replace(f, data=f.data + b"\n" + statement + b"\n")
        if PurePath(f.name).name == "moray-2016.ttl"
        else f
        for f in files
    ]


def checked_in_units(files: list[DataFile], cache_dir: Path | None = None) -> CheckedBuild:
    quads = [parse_quads(f, i) for i, f in enumerate(files)]
    return check_units(builtin_units(files, quads), cache_dir=cache_dir, located_in=files)


def comparable(results: list[ValidationResult]) -> list[tuple[str, ...]]:
    return sorted(
        tuple(
            str(part)
            for part in (
                r.focus_node,
                r.path,
                r.constraint_component,
                r.severity,
                r.message,
                r.shape_name(),
                r.value,
                r.location,
            )
        )
        for r in results
    )


def test_every_node_is_validated_in_one_unit_and_no_file_mentions_another_units_nodes() -> None:
    files = bundled_data_files()
    units = builtin_units(files, [parse_quads(f, i) for i, f in enumerate(files)])
    shared, reports = units[0], units[1:]
    assert shared.files == tuple(f for f in files if is_context(f))
    assert shared.focus is not None and shared.focus.all_but
    assert sorted(f.name for unit in reports for f in unit.files) == sorted(
        f.name for f in files if not is_context(f)
    )
    owned = [unit.focus.iris for unit in reports if unit.focus is not None]
    assert len(owned) == len(reports)
    assert sum(len(iris) for iris in owned) == len(frozenset().union(*owned))  # no node twice
    assert frozenset().union(*owned) == shared.focus.iris  # the shared unit takes all the others
    for unit, iris in zip(reports, owned, strict=True):
        others = frozenset().union(*(other for other in owned if other is not iris))
        mentioned = {
            term.value
            for f in unit.files
            for q in parse_quads(f)
            for term in (q.subject, q.predicate, q.object)
            if isinstance(term, ox.NamedNode)
        }
        assert not mentioned & others, unit.name


@pytest.mark.parametrize(
    ("statement", "other"),
    [
        (MORAY_LABELS_EAST_AYRSHIRE, "east-ayrshire-2017.ttl"),
        (MORAY_CLAIMS_A_SUMMARY, "south-lanarkshire-2014.ttl"),
    ],
)
def test_a_report_describing_or_pointing_at_another_reports_node_is_validated_with_it(
    statement: bytes, other: str
) -> None:
    files = moray_adding(bundled_data_files(), statement)
    units = builtin_units(files, [parse_quads(f, i) for i, f in enumerate(files)])
    names = [unit.name for unit in units]
    assert "+".join(sorted([other, "moray-2016.ttl"])) in names
    assert "moray-2016.ttl" not in names and other not in names


@pytest.mark.parametrize(
    ("change", "conforms"),
    [
        ("none", True),
        ("a shared node is typed in a report only", True),
        ("a report stops typing the page a shared publisher cites", False),
        ("a report describes another's node", False),
        ("a report points at another's node", False),
    ],
)
def test_the_units_find_what_one_validation_of_everything_finds(
    change: str, conforms: bool
) -> None:
    files = bundled_data_files()
    if change == "a shared node is typed in a report only":
        # Every report citing statistics.gov.scot then needs South Lanarkshire's file to see a source.
        shared_page, typed = b"source:statistics-gov-scot\n", b"    a carekg:SourceDocument ;\n"
        files = replaced(files, "shared.ttl", shared_page + typed, shared_page)
        files = replaced(files, "south-lanarkshire-2014.ttl", shared_page, shared_page + typed)
    elif change == "a report stops typing the page a shared publisher cites":
        files = replaced(
            files,
            "east-ayrshire-2017.ttl",
            EAST_AYRSHIRE_PAGE,
            EAST_AYRSHIRE_PAGE.replace(b"carekg:SourceDocument, ", b""),
        )
    elif change == "a report describes another's node":
        files = moray_adding(files, MORAY_LABELS_EAST_AYRSHIRE)
    elif change == "a report points at another's node":
        files = moray_adding(files, MORAY_CLAIMS_A_SUMMARY)
    whole = validate_files(files, with_builtin_data=False)
    units = checked_in_units(files)
    assert units.conforms == whole.conforms == conforms
    assert comparable(units.results) == comparable(whole.results)
    if not conforms:
        violations = [r for r in units.results if not str(r.severity).endswith("#Info")]
        assert violations and all(r.location is not None for r in violations)


def test_after_one_report_changes_only_its_unit_and_the_shared_unit_are_validated_again(
    tmp_path: Path,
) -> None:
    files = bundled_data_files()
    first = checked_in_units(files, tmp_path)
    assert first.cached == 0 and len(first.validated) == first.units
    changed = replaced(
        files,
        "moray-2016.ttl",
        b'"Moray 2016: indicators graded excellent"@en',
        b'"Moray 2016: the indicators graded excellent"@en',
    )
    second = checked_in_units(changed, tmp_path)
    shared_unit = "+".join(PurePath(f.name).name for f in files if is_context(f))
    assert sorted(second.validated) == sorted([shared_unit, "moray-2016.ttl"])
    assert second.units == first.units and second.cached == first.units - 2
    assert second.conforms
    again = checked_in_units(changed, tmp_path)
    assert again.validated == () and again.cached == again.units


def test_narrowing_the_targets_still_checks_the_nodes_their_constraints_lead_to() -> None:
    shapes = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:AShape a sh:NodeShape ; sh:targetClass ex:A ;
            sh:property [ sh:path ex:p ; sh:node ex:BShape ] .
        ex:BShape a sh:NodeShape ; sh:class ex:B .
        """,
        format="turtle",
    )
    data = rdflib.Graph()
    blank = rdflib.BNode()
    for focus in (EX.a1, EX.a2, blank):
        data.add((focus, RDF.type, EX.A))
        data.add((focus, EX.p, EX.notAB))  # ex:notAB is no ex:B, and is not among the focus nodes
    narrowed = FocusNodes(iris=frozenset({str(EX.a1)}), blank_nodes=frozenset({blank}))
    outcome = validate(data, shapes=shapes, focus=narrowed)
    assert not outcome.conforms
    assert sorted(str(r.focus_node) for r in outcome.results) == sorted([str(EX.a1), str(blank)])
    assert all(r.value == EX.notAB for r in outcome.results)


# ---------------------------------------------------------------- a file of many graphs


@pytest.fixture(scope="module")
def corpus_nquads() -> bytes:
    """A synthetic corpus of a few reports in one N-Quads file (the ontology and a shared graph in it)."""
    return nquads(corpus_module(), 4_000, seed=1)


@pytest.mark.parametrize("broken", [False, True], ids=["as written", "one report broken"])
def test_a_file_of_many_graphs_is_validated_graph_by_graph_finding_what_one_validation_finds(
    corpus_nquads: bytes, broken: bool
) -> None:
    data = with_a_recommendation_not_in_its_evidence(corpus_nquads) if broken else corpus_nquads
    files = [DataFile("corpus.nq", data, graph_iri=None)]
    quads = [parse_quads(f, i) for i, f in enumerate(files)]
    context, _ = split_context(bundled_data_files())
    units = file_units(files, quads, context)
    graphs = {q.graph_name.value for q in quads[0] if isinstance(q.graph_name, ox.NamedNode)}
    reports = {g for g in graphs if "/graph/synthetic-0" in g}
    assert len(reports) >= 4
    in_units = [f.name.partition("#")[2].removesuffix(".nq") for u in units for f in u.files]
    assert sorted(in_units) == sorted(graphs)  # every graph in exactly one unit
    shared = units[0]
    assert {f.name.partition("#")[2].removesuffix(".nq") for f in shared.files} == graphs - reports
    assert len(units) == 1 + len(reports)  # one unit per report: none shares a node with another
    described = frozenset(q.subject.value for q in quads[0] if isinstance(q.subject, ox.NamedNode))
    one_unit = Unit(files=tuple(files), context=tuple(context), focus=FocusNodes(iris=described))
    split = check_units(units, cache_dir=None, located_in=files)
    whole = check_units([one_unit], cache_dir=None, located_in=files)
    assert split.conforms == whole.conforms == (not broken)
    assert comparable(split.results) == comparable(whole.results)
    if broken:
        assert any("does not occur verbatim" in r.message for r in split.results)


def test_a_file_of_report_graphs_alone_is_split_and_still_finds_what_one_validation_finds(
    corpus_nquads: bytes,
) -> None:
    """No graph of the file is shared (its areas and ontology are missing, which both ways report)."""
    lines = [line for line in corpus_nquads.decode().splitlines() if "/graph/synthetic-0" in line]
    files = [DataFile("reports.nq", ("\n".join(lines) + "\n").encode(), graph_iri=None)]
    quads = [parse_quads(f, i) for i, f in enumerate(files)]
    context, _ = split_context(bundled_data_files())
    units = file_units(files, quads, context)
    assert len(units) >= 4 and all(len(u.files) <= 1 for u in units)
    described = frozenset(q.subject.value for q in quads[0] if isinstance(q.subject, ox.NamedNode))
    one_unit = Unit(files=tuple(files), context=tuple(context), focus=FocusNodes(iris=described))
    split = check_units(units, cache_dir=None, located_in=files)
    whole = check_units([one_unit], cache_dir=None, located_in=files)
    assert not whole.conforms
    assert split.conforms == whole.conforms
    assert comparable(split.results) == comparable(whole.results)
