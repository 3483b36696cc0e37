"""`carekg serve`: options and environment, fail-fast data loading, and serving exactly --data files."""

import http.client
import io
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from urllib.parse import urlencode

import pytest
from carekg_process import RunningServer, carekg_executable, carekg_serve
from click.testing import CliRunner
from rdflib.query import Result

from carekg.commands.cli import main
from carekg.commands.serve import MAX_REQUEST_LINE_BYTES, config_from_options, gunicorn_options
from carekg.config import Config

EX = "http://example.org/"
DATA_FILES = {
    "people.ttl": f'@prefix ex: <{EX}> . ex:ann ex:name "Ann" .\n',
    "people.nt": f'<{EX}ben> <{EX}name> "Ben" .\n',
    "people.jsonld": json.dumps({"@id": EX + "cat", EX + "name": "Cat"}),
    "people.rdf": (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:ex="{EX}"><rdf:Description rdf:about="{EX}dan"><ex:name>Dan</ex:name>'
        "</rdf:Description></rdf:RDF>"
    ),
    "people.nq": f'<{EX}eve> <{EX}name> "Eve" <{EX}graph/nq> .\n',
    "people.trig": f'<{EX}graph/trig> {{ <{EX}fay> <{EX}name> "Fay" . }}\n',
}


def run_serve(*args: str) -> subprocess.CompletedProcess[str]:
    """`carekg serve` in a subprocess that is expected to stop before serving."""
    return subprocess.run(
        [str(carekg_executable()), "serve", "--port", "1", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bad_data_file_fails_fast_with_its_position_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = run_serve("--data", str(bad))
    assert result.returncode == 2
    assert f"{bad}:2:" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreadable_and_unknown_files_fail_with_exit_2(tmp_path: Path) -> None:
    missing = run_serve("--data", str(tmp_path / "missing.ttl"))
    assert missing.returncode == 2
    assert "missing.ttl" in missing.stderr and "Traceback" not in missing.stderr
    odd = tmp_path / "data.xyz"
    odd.write_text("whatever")
    unknown = run_serve("--data", str(odd))
    assert unknown.returncode == 2
    assert "cannot tell the RDF format" in unknown.stderr


def test_help_documents_every_setting_as_an_option_and_an_environment_variable_credentials_as_variables_only() -> (
    None
):
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    help_text = " ".join(result.output.split())
    option_names = {"service_allowlist": "--service-allow"}
    environment_only = {"remote_user", "remote_password"}  # credentials never go on a command line
    for setting in fields(Config):
        option = option_names.get(setting.name, "--" + setting.name.replace("_", "-"))
        if setting.name in environment_only:
            assert option not in help_text, option
        else:
            assert option in help_text, option
        assert f"CAREKG_{setting.name.upper()}" in help_text, setting.name


def test_environment_sets_options_and_the_command_line_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CAREKG_TIMEOUT", "7.5")
    monkeypatch.setenv("CAREKG_MAX_ROWS", "20")
    monkeypatch.setenv(
        "CAREKG_SERVICE_ALLOWLIST", "http://a.example/sparql http://b.example/sparql"
    )
    config = config_from_options(max_rows=5)
    assert config.timeout == 7.5
    assert config.max_rows == 5
    assert config.service_allowlist == ("http://a.example/sparql", "http://b.example/sparql")


def test_bad_environment_value_is_a_usage_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CAREKG_TIMEOUT", "soon")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "CAREKG_TIMEOUT='soon'" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_gunicorn_accepts_request_lines_far_longer_than_its_default_but_bounded() -> None:
    options = gunicorn_options(Config())
    # 0 would be gunicorn's "unlimited"; gunicorn's own ceiling is 8190 (raised at start-up).
    assert 8190 < options["limit_request_line"] == MAX_REQUEST_LINE_BYTES
    assert options["preload_app"] is True
    assert options["worker_class"] == "gthread"


@pytest.fixture(scope="module")
def data_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    folder = tmp_path_factory.mktemp("serve-data")
    args: list[str] = []
    for name, text in DATA_FILES.items():
        (folder / name).write_text(text)
        args += ["--data", str(folder / name)]
    with carekg_serve([*args, "--max-rows", "3"], folder / "serve.log") as server:
        yield server


def select(server: RunningServer, query: str) -> tuple[list[tuple[str, ...]], dict[str, str]]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request(
            "GET",
            "/sparql?" + urlencode({"query": query}),
            headers={"Accept": "application/sparql-results+json"},
        )
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, body
        headers = {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()
    result = Result.parse(io.BytesIO(body), format="json")
    return [tuple(str(v) for v in row) for row in result], headers  # type: ignore[union-attr]


@pytest.mark.slow
def test_serves_exactly_the_data_files_in_every_format(data_server: RunningServer) -> None:
    rows, headers = select(
        data_server, f"SELECT ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY ?name LIMIT 3"
    )
    assert rows == [("Ann",), ("Ben",), ("Cat",)]
    assert headers["x-carekg-row-cap"] == "3"
    rows, _ = select(
        data_server, f"SELECT ?name WHERE {{ ?s <{EX}name> ?name }} ORDER BY DESC(?name) LIMIT 3"
    )
    assert rows == [("Fay",), ("Eve",), ("Dan",)]
    rows, _ = select(
        data_server,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",  # nothing of the built-in graph
    )
    assert rows == [("6",)]


@pytest.mark.slow
def test_quads_keep_their_graphs_and_triples_go_to_the_default_graph(
    data_server: RunningServer,
) -> None:
    rows, _ = select(
        data_server,
        f"SELECT ?g ?name WHERE {{ GRAPH ?g {{ ?s <{EX}name> ?name }} }} ORDER BY ?name",
    )
    assert rows == [(EX + "graph/nq", "Eve"), (EX + "graph/trig", "Fay")]


@pytest.mark.slow
def test_row_cap_option_truncates_and_announces(data_server: RunningServer) -> None:
    rows, headers = select(data_server, f"SELECT ?name WHERE {{ ?s <{EX}name> ?name }}")
    assert len(rows) == 3
    assert headers["x-carekg-truncated"] == "true"


def processes_in_group(group: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields_after_name = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        state, process_group = fields_after_name[0], int(fields_after_name[2])
        if process_group == group and state != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
def test_sigterm_stops_the_server_and_every_process_it_started_within_seconds(
    tmp_path: Path,
) -> None:
    # A build in the master once left RocksDB's thread pool to the forked workers, whose exit then
    # waited for threads they did not have, until gunicorn killed them at its graceful timeout (10 s).
    data = tmp_path / "people.nt"
    data.write_text(DATA_FILES["people.nt"])
    with carekg_serve(["--data", str(data)], tmp_path / "serve.log") as server:
        rows, _ = select(server, f"SELECT ?name WHERE {{ ?s <{EX}name> ?name }}")
        assert rows == [("Ben",)]
        # the master, its two workers, the pool's supervisor and its query processes
        assert len(processes_in_group(server.pid)) >= 5
        started = time.monotonic()
        os.kill(server.pid, signal.SIGTERM)
        while processes_in_group(server.pid) and time.monotonic() - started < 30:
            time.sleep(0.05)
        seconds = time.monotonic() - started
    assert processes_in_group(server.pid) == []
    assert seconds < gunicorn_options(Config())["graceful_timeout"] / 2, (
        tmp_path / "serve.log"
    ).read_text()
