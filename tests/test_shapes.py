"""The SHACL shapes: each shape's passing and failing examples, with the exact violations expected
(and `carekg validate` exits 1 on each failing example).

Each node shape with a target has tests/shape_examples/<Shape>_PASS.ttl, which conforms, and <Shape>_XFAIL.ttl,
whose violations are listed in tests/shape_examples/expected-violations.toml. A shape may have more passing
examples, <Shape>_PASS_<what>.ttl, for a case of its own (such as a whole report sourced without evidence passages). An example is validated together
with the shipped dataset (ontology, schemes and the South Lanarkshire graph), whose nodes it may refer to.
"""

import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, URIRef
from validation_memo import remember_validations_of_the_command, shapes_graph, validated

from carekg.commands.cli import main
from carekg.dataset.loading import parse_all, read_data_files
from carekg.dataset.report_formats import TermWriter
from carekg.dataset.sources import DataFile, bundled_data_files
from carekg.dataset.validation import (
    NodeFinder,
    ValidationOutcome,
    ValidationResult,
    builtin_ontology_files,
    union_graph,
    validate,
    validate_files,
)
from carekg.rdf.namespaces import PREFIXES

EXAMPLES = Path(__file__).parent / "shape_examples"
EXPECTED = EXAMPLES / "expected-violations.toml"
EXAMPLE_PREFIXES = {
    **PREFIXES,
    "ex": "http://example.org/carekg-test/",
    "sh": str(SH),
    "cks": "https://w3id.org/carekg/shapes/",
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
SHAPE_NAMES = sorted(p.name.removesuffix("_XFAIL.ttl") for p in EXAMPLES.glob("*_XFAIL.ttl"))
PASSING_EXAMPLES = sorted(p.name for p in EXAMPLES.glob("*_PASS*.ttl"))

# (focus node, path, constraint component, message): the message only for SPARQL-based constraints,
# whose component alone cannot tell one rule from another.
Violation = tuple[URIRef, str, URIRef, str]


def expand(term: str) -> URIRef:
    if term.startswith("<") and term.endswith(">"):
        return URIRef(term[1:-1])
    prefix, _, local = term.partition(":")
    return URIRef(EXAMPLE_PREFIXES[prefix] + local)


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return shapes_graph()  # the bundled shapes, as load_shapes() reads them


@pytest.fixture(scope="module")
def shipped_files() -> list[DataFile]:
    return bundled_data_files()


@pytest.fixture(scope="module")
def expected_violations() -> dict[str, Counter[Violation]]:
    table = tomllib.loads(EXPECTED.read_text(encoding="utf-8"))
    return {
        name: Counter(
            (expand(row[0]), row[1], expand(row[2]), row[3] if len(row) > 3 else "")
            for row in entry["violations"]
        )
        for name, entry in table.items()
    }


def validate_example(
    name: str, shapes: rdflib.Graph, shipped_files: list[DataFile]
) -> ValidationOutcome:
    # As `carekg validate EXAMPLE` does it: the example with the built-in data it may refer to;
    # against ``shapes`` (validated() validates with that graph), once per test process.
    assert shapes is shapes_graph()
    return validated(read_data_files([EXAMPLES / name]))


def not_info(outcome: ValidationOutcome) -> list[ValidationResult]:
    """The results that fail validation: sh:Info results (the conflicts between sources that the corpus
    records, listed by cks:ConflictingClaimShape) are listed in every report but do not fail it."""
    return [r for r in outcome.results if r.severity != SH.Info]


def violations_of(outcome: ValidationOutcome) -> Counter[Violation]:
    writer = TermWriter(outcome.report_graph)
    return Counter(
        (
            URIRef(str(r.focus_node)),
            writer.path(r.path),
            r.constraint_component,
            r.message if r.constraint_component == SH.SPARQLConstraintComponent else "",
        )
        for r in not_info(outcome)
    )


def targeted_node_shapes(shapes: rdflib.Graph) -> set[str]:
    return {
        str(shape).rsplit("/", 1)[-1]
        for shape in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(shape, URIRef) and any(shapes.value(shape, t) is not None for t in TARGETS)
    }


def test_every_targeted_node_shape_has_a_passing_and_a_failing_example(
    shapes: rdflib.Graph,
) -> None:
    names = targeted_node_shapes(shapes)
    passing = {p.name.removesuffix("_PASS.ttl") for p in EXAMPLES.glob("*_PASS.ttl")}
    assert names == set(SHAPE_NAMES)
    assert names == passing
    assert {name.split("_PASS")[0] for name in PASSING_EXAMPLES} == names


def test_every_failing_example_has_its_expected_violations_listed(
    expected_violations: dict[str, Counter[Violation]],
) -> None:
    assert set(expected_violations) == set(SHAPE_NAMES)
    assert all(expected_violations.values()), "an XFAIL example must expect at least one violation"


def test_every_shape_has_a_message(shapes: rdflib.Graph) -> None:
    shape_nodes: set[rdflib.term.Node] = set(shapes.subjects(RDF.type, SH.NodeShape))
    shape_nodes |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    shape_nodes |= set(shapes.subjects(SH.path, None))
    shape_nodes |= set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    for member_list in [*shapes.objects(None, SH["or"]), *shapes.objects(None, SH.xone)]:
        shape_nodes |= set(rdflib.collection.Collection(shapes, member_list))
    missing = sorted(str(s) for s in shape_nodes if shapes.value(s, SH.message) is None)
    assert len(shape_nodes) > 100
    assert missing == []


@pytest.mark.parametrize("name", PASSING_EXAMPLES)
def test_passing_example_conforms(
    name: str, shapes: rdflib.Graph, shipped_files: list[DataFile]
) -> None:
    outcome = validate_example(name, shapes, shipped_files)
    assert violations_of(outcome) == Counter()
    assert outcome.conforms


@pytest.mark.parametrize("name", SHAPE_NAMES)
def test_failing_example_gives_exactly_the_expected_violations(
    name: str,
    shapes: rdflib.Graph,
    shipped_files: list[DataFile],
    expected_violations: dict[str, Counter[Violation]],
) -> None:
    outcome = validate_example(f"{name}_XFAIL.ttl", shapes, shipped_files)
    assert not outcome.conforms
    assert violations_of(outcome) == expected_violations[name]
    shape = URIRef(EXAMPLE_PREFIXES["cks"] + name)
    own = [
        r
        for r in outcome.results
        if r.source_shape == shape or (shape, SH.property, r.source_shape) in shapes
    ]
    assert own, f"the example does not exercise {name} itself"
    assert all(r.message for r in outcome.results)


@pytest.mark.parametrize(
    "example", sorted(EXAMPLES.glob("*_XFAIL.ttl")), ids=lambda p: p.name.removesuffix(".ttl")
)
def test_every_failing_shape_example_exits_1(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `carekg validate` validates as validate_example does: the outcome computed above is reused.
    remember_validations_of_the_command(monkeypatch)
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(example)])
    assert result.exit_code == 1, result.output
    assert json.loads(result.output), "exit 1 must come with violations"


def test_violations_of_a_named_file_are_located_at_their_subject(
    shapes: rdflib.Graph, shipped_files: list[DataFile]
) -> None:
    outcome = validate_example("MonthShape_XFAIL.ttl", shapes, shipped_files)
    lines = (EXAMPLES / "MonthShape_XFAIL.ttl").read_text(encoding="utf-8").splitlines()
    for result in not_info(outcome):
        assert result.location is not None
        assert result.location.file.endswith("MonthShape_XFAIL.ttl")
        local = str(result.focus_node).rsplit("/", 1)[-1]
        assert lines[result.location.line - 1] == f"ex:{local}"


def test_node_finder_prefers_the_subject_line_and_reads_full_iris() -> None:
    text = (
        "@prefix ex: <http://example.org/> .\n"
        "ex:b ex:p ex:a .\n"
        "ex:a10 ex:p 1 .\n"
        "ex:a\n    ex:p 2 .\n"
        "<http://example.org/c> ex:p 3 .\n"
    )
    finder = NodeFinder([DataFile(name="t.ttl", data=text.encode(), graph_iri=None)])
    assert str(finder.find(URIRef("http://example.org/a"))) == "t.ttl:4"
    assert str(finder.find(URIRef("http://example.org/c"))) == "t.ttl:6"
    assert str(finder.find(URIRef("http://example.org/b"))) == "t.ttl:2"
    assert finder.find(URIRef("http://example.org/missing")) is None
    assert finder.find(BNode()) is None


def test_shipped_dataset_conforms(shapes: rdflib.Graph, shipped_files: list[DataFile]) -> None:
    outcome = validate_files(shipped_files, with_builtin_data=False, shapes=shapes)
    assert not_info(outcome) == []
    assert outcome.conforms


def test_shipped_dataset_as_an_rdflib_dataset_conforms(shipped_files: list[DataFile]) -> None:
    """validate() takes an rdflib Dataset of named graphs and checks the union of its graphs."""
    dataset = rdflib.Dataset()
    for file in shipped_files:
        assert file.graph_iri is not None
        dataset.graph(URIRef(file.graph_iri)).parse(data=file.data, format="turtle")
    outcome = validate(dataset)
    assert outcome.conforms
    assert (None, RDF.type, SH.ValidationReport) in outcome.report_graph


def test_a_dataset_that_breaks_a_shape_does_not_conform(shipped_files: list[DataFile]) -> None:
    dataset = rdflib.Dataset()
    for file in shipped_files:
        assert file.graph_iri is not None
        dataset.graph(URIRef(file.graph_iri)).parse(data=file.data, format="turtle")
    inspection = URIRef("https://w3id.org/carekg/id/inspection/south-lanarkshire-2014")
    indicators = URIRef(PREFIXES["carekg"] + "indicatorsEvaluated")
    report_graph = dataset.graph(
        URIRef(PREFIXES["id"].replace("/id/", "/graph/") + "south-lanarkshire-2014")
    )
    report_graph.remove((inspection, indicators, None))
    report_graph.add(
        (inspection, indicators, rdflib.Literal(8, datatype=rdflib.XSD.nonNegativeInteger))
    )
    outcome = validate(dataset)
    failing = {str(r.focus_node): r.message for r in not_info(outcome)}
    assert all(r.constraint_component == SH.SPARQLConstraintComponent for r in not_info(outcome))
    assert "add up to 9" in failing.pop(str(inspection))
    # The three zeros derived by arithmetic no longer follow from stated counts that add up (9, not 8).
    observation = "https://w3id.org/carekg/id/observation/grade-counts/south-lanarkshire-2014/"
    assert set(failing) == {observation + g for g in ("excellent", "weak", "unsatisfactory")}
    assert all("they add up to 9, not 8" in m for m in failing.values())


def test_ontology_passes_the_ontology_shapes() -> None:
    ontology_shapes = rdflib.Graph()
    ontology_shapes.parse(
        Path(__file__).parent.parent / "shapes" / "ontology-shapes.ttl", format="turtle"
    )
    outcome = validate(union_graph(parse_all(builtin_ontology_files())), shapes=ontology_shapes)
    assert outcome.results == []
    assert outcome.conforms
