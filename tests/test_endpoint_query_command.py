"""`carekg query` answers from the shell with the endpoint's execution and serializers."""

import io
import json
from pathlib import Path

import rdflib
from click.testing import CliRunner
from endpoint_data import EX, TRIG
from rdflib.query import Result

from carekg.commands.cli import main

NAMES = f"SELECT ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?name"


def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.trig"
    path.write_bytes(TRIG)
    return path


def test_select_prints_json_results_by_default(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", NAMES, "--data", str(data_file(tmp_path))])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["name"]["value"] for b in bindings] == ["Alice", "Bob", "Carol"]


def test_format_option_picks_results_or_rdf_serializer(tmp_path: Path) -> None:
    data = str(data_file(tmp_path))
    csv = CliRunner().invoke(main, ["query", NAMES, "--format", "csv", "--data", data])
    rows = Result.parse(io.BytesIO(csv.stdout_bytes), format="csv")
    assert [str(row[0]) for row in rows] == ["Alice", "Bob", "Carol"]  # type: ignore[index]
    construct = f"CONSTRUCT {{ ?s <{EX}name> ?n }} WHERE {{ ?s <{EX}name> ?n }}"
    xml = CliRunner().invoke(main, ["query", construct, "--format", "xml", "--data", data])
    assert len(rdflib.Graph().parse(data=xml.stdout, format="xml")) == 3
    turtle = CliRunner().invoke(main, ["query", construct, "--data", data])
    assert len(rdflib.Graph().parse(data=turtle.stdout, format="turtle")) == 3


def test_default_graph_option_and_query_file(tmp_path: Path) -> None:
    query_file = tmp_path / "names.rq"
    query_file.write_text(NAMES)
    result = CliRunner().invoke(
        main,
        ["query", str(query_file), "--format", "tsv", "--data", str(data_file(tmp_path)),
         "--default-graph", EX + "graph/one"],
    )  # fmt: skip
    assert result.stdout.splitlines() == ["?name", '"Bob"']


def test_builtin_graph_is_queried_without_data() -> None:
    result = CliRunner().invoke(main, ["query", "ASK { ?s ?p ?o }", "--format", "tsv"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "true"


def test_malformed_query_exits_1_with_the_position() -> None:
    result = CliRunner().invoke(main, ["query", "SELECT * WHERE {"])
    assert result.exit_code == 1
    assert "malformed query at line 1, column 17" in result.stderr
    assert "Traceback" not in result.output


def test_update_is_refused() -> None:
    result = CliRunner().invoke(main, ["query", "CLEAR ALL"])
    assert result.exit_code == 2
    assert "read-only" in result.output


def test_truncation_is_reported_on_stderr(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["query", NAMES, "--max-rows", "2", "--data", str(data_file(tmp_path))]
    )
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 2
    assert "truncated to 2 rows" in result.stderr
