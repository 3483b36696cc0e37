"""`carekg serve` reloads its data on SIGHUP, and a failed reload leaves the previous graph serving."""

import json
import os
import signal
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from carekg_process import RunningServer, carekg_serve

pytestmark = pytest.mark.slow

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RELOAD_WAIT_SECONDS = 30.0


def triples(server: RunningServer) -> int:
    url = server.endpoint_url + "?" + urllib.parse.urlencode({"query": COUNT})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    return int(body["results"]["bindings"][0]["n"]["value"])


def wait_for_log(log: Path, text: str) -> str:
    deadline = time.monotonic() + RELOAD_WAIT_SECONDS
    while time.monotonic() < deadline:
        content = log.read_text(errors="replace")
        if text in content:
            return content
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in the server log:\n{log.read_text(errors='replace')}")


def test_sighup_serves_the_changed_file_and_a_broken_one_keeps_the_last_good_graph(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    log = tmp_path / "serve.log"
    with carekg_serve(["--workers", "1", "--data", str(data)], log) as server:
        assert triples(server) == 1

        data.write_text(
            "<http://example.org/a> <http://example.org/p> 1 .\n"
            "<http://example.org/b> <http://example.org/p> 2 .\n",
            encoding="utf-8",
        )
        os.kill(server.pid, signal.SIGHUP)
        wait_for_log(log, "carekg serve: reloaded, serving")
        deadline = time.monotonic() + RELOAD_WAIT_SECONDS
        while triples(server) != 2 and time.monotonic() < deadline:
            time.sleep(0.1)  # the old worker may answer until the new one has taken over
        assert triples(server) == 2

        data.write_text("<http://example.org/a> <http://example.org/p> .\n", encoding="utf-8")
        os.kill(server.pid, signal.SIGHUP)
        content = wait_for_log(log, "carekg serve: reload failed")
        assert f"{data}:1:" in content  # file:line:column of the syntax error
        for _ in range(5):
            assert triples(server) == 2
            time.sleep(0.2)
