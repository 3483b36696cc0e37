"""`carekg export` writes the same bytes the server gives for the same dump."""

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from carekg.commands.cli import main
from carekg.dataset.dumps import FORMATS
from carekg.rdf.formats import MediaType

GRAPH = "https://w3id.org/carekg/graph/south-lanarkshire-2014"
# The names README documents for ``carekg export --format``, and the dump each one writes.
DOCUMENTED_NAMES = {
    "turtle": "ttl",
    "nt": "nt",
    "nq": "nq",
    "trig": "trig",
    "jsonld": "jsonld",
    "xml": "rdf",
}


def export(*args: str) -> bytes:
    result = CliRunner().invoke(main, ["export", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize(("name", "extension"), DOCUMENTED_NAMES.items())
def test_export_of_the_dataset_equals_the_server_dump(
    client: FlaskClient, name: str, extension: str
) -> None:
    served = client.get(f"/download/carekg.{extension}").data
    assert export("--format", name) == served
    assert len(served) > 1000


@pytest.mark.parametrize("rdf_format", FORMATS, ids=lambda f: f.dump_name)
def test_export_of_a_named_graph_equals_the_server_dump(
    client: FlaskClient, rdf_format: MediaType
) -> None:
    served = client.get(f"/download/graph/south-lanarkshire-2014.{rdf_format.extension}").data
    assert export("--format", rdf_format.dump_name, "--graph", GRAPH) == served


def test_export_to_a_gz_file_equals_the_served_gz(client: FlaskClient, tmp_path: Path) -> None:
    target = tmp_path / "carekg.trig.gz"
    export("--format", "trig", "-o", str(target))
    assert target.read_bytes() == client.get("/download/carekg.trig.gz").data
    assert gzip.decompress(target.read_bytes()) == client.get("/download/carekg.trig").data


def test_export_from_the_installed_command_matches_in_another_process(
    client: FlaskClient, tmp_path: Path
) -> None:
    carekg = Path(sys.executable).with_name("carekg")
    target = tmp_path / "out.ttl"
    subprocess.run(
        [str(carekg), "export", "--format", "turtle", "-o", str(target)], check=True, cwd=tmp_path
    )
    assert target.read_bytes() == client.get("/download/carekg.ttl").data


def test_export_of_an_unknown_graph_lists_the_graphs_and_exits_2() -> None:
    result = CliRunner().invoke(main, ["export", "--graph", "https://example.org/none"])
    assert result.exit_code == 2
    assert "no named graph <https://example.org/none>" in result.stderr
    assert GRAPH in result.stderr


def test_export_of_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n")
    result = CliRunner().invoke(main, ["export", "--data", str(broken)])
    assert result.exit_code == 2
    assert "broken.ttl:1" in result.stderr
    assert "Traceback" not in result.output
