"""`carekg validate`: exit codes, the human report and the machine formats, in-process and as a real command."""

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner, Result
from rdflib.namespace import RDF, SH
from validation_memo import remember_validations_of_the_command

from carekg.commands.cli import main

REPO = Path(__file__).resolve().parent.parent
SHIPPED_GRAPH = REPO / "graph" / "south-lanarkshire-2014.ttl"
EXAMPLES = Path(__file__).parent / "shape_examples"
MONTHS_XFAIL = EXAMPLES / "MonthShape_XFAIL.ttl"
CAREKG = Path(sys.executable).with_name("carekg")

MALFORMED_TURTLE = """@prefix ex: <http://example.org/> .
ex:a ex:b ex:c .
ex:d ex:e "unterminated ;
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["validate", *args])


@pytest.fixture(autouse=True)
def validations_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several tests check different report formats of the same data: it is validated once
    (tests/validation_memo.py). The installed-command tests below run their own process."""
    remember_validations_of_the_command(monkeypatch)


@pytest.fixture
def malformed(tmp_path: Path) -> Path:
    path = tmp_path / "broken.ttl"
    path.write_text(MALFORMED_TURTLE, encoding="utf-8")
    return path


def test_builtin_dataset_conforms_with_exit_0() -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Conforms: the built-in carekg dataset")


def test_named_report_file_conforms_with_the_builtin_data() -> None:
    result = run(str(SHIPPED_GRAPH))
    assert result.exit_code == 0, result.output


def test_an_edited_copy_of_a_bundled_report_replaces_it(tmp_path: Path) -> None:
    edited = tmp_path / SHIPPED_GRAPH.name
    text = SHIPPED_GRAPH.read_text(encoding="utf-8")
    # Recommendation 3 loses its position in the source: the bundled original must not hide that.
    broken = text.replace(
        'schema:text "They should pay particular attention to improving support for care leavers."@en ;\n'
        "    schema:position 2 ;\n",
        'schema:text "They should pay particular attention to improving support for care leavers."@en ;\n',
    )
    assert broken != text
    edited.write_text(broken, encoding="utf-8")
    result = run("--format", "json", str(edited))
    assert result.exit_code == 1, result.output
    focus_nodes = {r["focus_node"] for r in json.loads(result.output)}
    assert "https://w3id.org/carekg/id/recommendation/south-lanarkshire-2014/3" in focus_nodes


def test_alone_a_report_file_lacks_its_grades() -> None:
    result = run("--alone", "--format", "json", str(SHIPPED_GRAPH))
    assert result.exit_code == 1
    focus_nodes = {r["focus_node"] for r in json.loads(result.output)}
    assert (
        "https://w3id.org/carekg/id/observation/grade-counts/south-lanarkshire-2014/good"
        in focus_nodes
    )


def test_a_folder_stands_for_the_rdf_files_in_it() -> None:
    result = run(str(REPO / "graph"))
    assert result.exit_code == 0, result.output


def test_a_folder_without_rdf_files_gives_exit_2(tmp_path: Path) -> None:
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert "no RDF files" in result.output


def test_violations_give_exit_1_and_a_report_grouped_by_focus_node() -> None:
    result = run(str(SHIPPED_GRAPH), str(MONTHS_XFAIL))
    assert result.exit_code == 1
    output = result.output
    assert output.startswith("Does not conform: 5 violations on 3 nodes")
    lines = MONTHS_XFAIL.read_text(encoding="utf-8").splitlines()
    for month in ("month-a", "month-b", "month-c"):
        line = lines.index(f"ex:{month}") + 1
        header = re.compile(
            rf"^<http://example\.org/carekg-test/{month}>  \(\S*MonthShape_XFAIL\.ttl:{line}\)$",
            re.M,
        )
        assert len(header.findall(output)) == 1, header
    assert "A month needs exactly one time:hasDateTimeDescription" in output
    assert "time:inXSDgYearMonth belongs to a time:Instant" in output
    assert (
        "path time:hasDateTimeDescription; value <http://example.org/carekg-test/month-b-description>"
        in output
    )
    assert "constraint sh:MaxCountConstraintComponent" in output


def test_malformed_turtle_gives_exit_2_with_file_line_and_column(malformed: Path) -> None:
    result = run(str(malformed))
    assert result.exit_code == 2
    assert re.match(rf"{re.escape(str(malformed))}:3:\d+: \S", result.output)
    assert "Traceback" not in result.output


def test_a_missing_file_gives_exit_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.ttl"))
    assert result.exit_code == 2
    assert "absent.ttl" in result.output


def test_a_file_of_unknown_format_gives_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not RDF", encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 2
    assert "cannot tell the RDF format" in result.output


# The corpus's conflicting claims, one sh:Info result per page of each (tests/test_corpus_reports.py).
RECORDED_CONFLICTS = 14


def test_json_lists_every_violation() -> None:
    result = run("--format", "json", str(SHIPPED_GRAPH), str(MONTHS_XFAIL))
    assert result.exit_code == 1
    every = json.loads(result.output)
    # The corpus's recorded conflicts are listed too, at sh:Info; they fail nothing.
    records = [r for r in every if r["severity"] != str(SH.Info)]
    assert len(every) - len(records) == RECORDED_CONFLICTS
    assert len(records) == 5
    first = records[0]
    assert first["focus_node"] == "http://example.org/carekg-test/month-a"
    assert first["path"] == "time:hasDateTimeDescription"
    assert first["severity"] == str(SH.Violation)
    assert first["file"].endswith("MonthShape_XFAIL.ttl")
    assert isinstance(first["line"], int)
    assert {r["constraint_component"] for r in records} == {
        str(SH.MinCountConstraintComponent),
        str(SH.MaxCountConstraintComponent),
        str(SH.NodeConstraintComponent),
        str(SH.SPARQLConstraintComponent),
    }


def test_json_of_a_conforming_dataset_is_an_empty_list() -> None:
    result = run("--format", "json")
    assert result.exit_code == 0
    records = json.loads(result.output)
    assert [r for r in records if r["severity"] != str(SH.Info)] == []
    assert len(records) == RECORDED_CONFLICTS


def test_turtle_is_the_shacl_validation_report() -> None:
    result = run("--format", "turtle", str(SHIPPED_GRAPH), str(MONTHS_XFAIL))
    assert result.exit_code == 1
    report = rdflib.Graph().parse(data=result.output, format="turtle")
    report_node = report.value(predicate=RDF.type, object=SH.ValidationReport)
    assert report_node is not None
    assert report.value(report_node, SH.conforms) == rdflib.Literal(False)
    results = list(report.objects(report_node, SH.result))
    infos = [r for r in results if report.value(r, SH.resultSeverity) == SH.Info]
    assert (len(results) - len(infos), len(infos)) == (5, RECORDED_CONFLICTS)


def test_turtle_of_a_conforming_dataset_says_it_conforms() -> None:
    result = run("--format", "turtle")
    assert result.exit_code == 0
    report = rdflib.Graph().parse(data=result.output, format="turtle")
    assert (None, SH.conforms, rdflib.Literal(True)) in report


def test_junit_has_one_failed_case_per_violation() -> None:
    result = run("--format", "junit", str(SHIPPED_GRAPH), str(MONTHS_XFAIL))
    assert result.exit_code == 1
    root = ET.fromstring(result.output)
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 5
    assert all(case.find("failure") is not None for case in cases)
    assert root.find("testsuite").get("failures") == "5"  # type: ignore[union-attr]
    assert all(case.get("file", "").endswith("MonthShape_XFAIL.ttl") for case in cases)


def test_junit_of_a_conforming_dataset_has_one_passing_case() -> None:
    result = run("--format", "junit")
    assert result.exit_code == 0
    cases = ET.fromstring(result.output).findall("./testsuite/testcase")
    assert len(cases) == 1
    assert cases[0].find("failure") is None


def test_output_file_receives_the_report(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run("--format", "json", "-o", str(target), str(SHIPPED_GRAPH), str(MONTHS_XFAIL))
    assert result.exit_code == 1
    records = json.loads(target.read_text(encoding="utf-8"))
    assert len([r for r in records if r["severity"] != str(SH.Info)]) == 5


@pytest.mark.parametrize(
    ("arguments", "exit_code"),
    [
        ((), 0),
        ((str(SHIPPED_GRAPH), str(MONTHS_XFAIL)), 1),
    ],
)
def test_installed_command_exit_codes(
    arguments: tuple[str, ...], exit_code: int, tmp_path: Path
) -> None:
    completed = subprocess.run(
        [str(CAREKG), "validate", *arguments],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert completed.returncode == exit_code, completed.stderr
    assert "Traceback" not in completed.stderr


def test_installed_command_reports_malformed_turtle_without_traceback(malformed: Path) -> None:
    completed = subprocess.run(
        [str(CAREKG), "validate", str(malformed)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert re.match(rf"{re.escape(str(malformed))}:3:\d+: \S", completed.stderr)
    assert "Traceback" not in completed.stderr
    assert completed.stdout == ""
