"""The warm query pool under a real `carekg serve --store`: a full wait queue answers 503 with
Retry-After, a query that needs too much memory fails alone with a clear message while the pool keeps
answering, and a new build under load is picked up between requests without a single error."""

import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from carekg_process import RunningServer, carekg_serve

from carekg.dataset.build import build_into

pytestmark = pytest.mark.slow

CROSS_JOIN = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
)
# Every row of a cross product held at once to be sorted: memory grows until something stops it.
EXPLOSIVE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def write_data(path: Path, triples: int) -> Path:
    lines = (f'<http://example.org/s{n}> <http://example.org/p> "{n}" .\n' for n in range(triples))
    path.write_text("".join(lines), encoding="utf-8")
    return path


def get(
    server: RunningServer, query: str, timeout: float = 30
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        connection.request(
            "GET",
            "/sparql?" + urlencode({"query": query}),
            headers={"Accept": "application/sparql-results+json"},
        )
        response = connection.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        connection.close()


def count(server: RunningServer, tag: str = "") -> int:
    status, _, body = get(server, COUNT + (f" # {tag}" if tag else ""))
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def wait_for_pool(server: RunningServer, busy: int, waiting: int) -> None:
    """Until the server's /health reports the pool's busy processes and waiting requests (its one
    worker's); fixed sleeps were too short on a loaded machine."""
    deadline = time.monotonic() + 5
    while True:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
        try:
            connection.request("GET", "/health")
            pool = json.loads(connection.getresponse().read())["pool"]
        finally:
            connection.close()
        if (pool["busy"], pool["waiting"]) == (busy, waiting):
            return
        assert time.monotonic() < deadline, pool
        time.sleep(0.02)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pool")
    build_into(folder / "store", [write_data(folder / "data.nt", 300)])
    return folder / "store"


@pytest.fixture(scope="module")
def one_process_server(
    store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("pool-log") / "serve.log"
    arguments = [
        "--store", str(store_dir), "--workers", "1", "--pool-size", "1", "--queue-limit", "1",
        "--timeout", "10", "--query-memory-mb", "1024",
    ]  # fmt: skip
    with carekg_serve(arguments, log) as server:
        yield server


def test_a_full_wait_queue_answers_503_with_retry_after(one_process_server: RunningServer) -> None:
    results: dict[str, tuple[int, dict[str, str], bytes]] = {}
    heavy = threading.Thread(
        target=lambda: results.update(heavy=get(one_process_server, CROSS_JOIN))
    )
    heavy.start()
    wait_for_pool(one_process_server, busy=1, waiting=0)  # its only process runs the heavy query
    waiting = threading.Thread(
        target=lambda: results.update(waiting=get(one_process_server, "ASK { ?s ?p ?o } # waits"))
    )
    waiting.start()
    wait_for_pool(one_process_server, busy=1, waiting=1)  # the queue's one place is taken
    status, headers, body = get(one_process_server, "ASK { ?s ?p ?o } # refused")
    heavy.join()
    waiting.join()
    assert status == 503, body
    assert headers.get("retry-after", "").isdigit()
    assert b"busy" in body
    assert results["heavy"][0] == 503 and b"did not finish within 10 s" in results["heavy"][2]
    # It waited its 5 s for a free process (the heavy query holds the only one for 10 s), then was told
    # the server is busy, with Retry-After too.
    assert results["waiting"][0] == 503 and b"busy" in results["waiting"][2]
    assert results["waiting"][1].get("retry-after", "").isdigit()


def test_a_query_needing_too_much_memory_fails_alone(one_process_server: RunningServer) -> None:
    status, _, body = get(one_process_server, EXPLOSIVE)
    assert status == 503, body
    assert b"more memory than a query may use" in body
    assert count(one_process_server, "after the explosive one") == 300


def test_a_new_build_under_load_is_served_without_an_error(
    store_dir: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    log = tmp_path_factory.mktemp("reload-log") / "serve.log"
    with carekg_serve(["--store", str(store_dir), "--workers", "2"], log) as server:
        before = count(server)
        seen: list[int] = []
        errors: list[str] = []
        stop = threading.Event()

        def client() -> None:
            n = 0
            while not stop.is_set():
                n += 1
                status, _, body = get(server, COUNT + f" # load {n}")
                if status != 200:
                    errors.append(f"{status} {body[:200]!r}")
                else:
                    seen.append(int(json.loads(body)["results"]["bindings"][0]["n"]["value"]))

        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(1.0)
            build_into(store_dir, [write_data(tmp_path / "more.nt", before + 50)])
            deadline = time.monotonic() + 20
            while (not seen or seen[-1] != before + 50) and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.0)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    assert errors == []
    carekg_lines = [line for line in log.read_text().splitlines() if '"GET /' not in line]
    assert seen[0] == before, (seen[:5], carekg_lines)
    assert seen[-1] == before + 50, (seen[-20:], carekg_lines)
    assert set(seen) == {before, before + 50}
