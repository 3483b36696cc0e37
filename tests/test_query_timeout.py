"""A query past its deadline is really stopped (its process killed) and answered 503, while other
queries keep being answered. Bounds are generous: these check behaviour, not speed."""

import http.client
import os
import select
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from carekg_process import RunningServer, carekg_serve
from endpoint_data import small_store

from carekg.config import Config
from carekg.rdf.formats import SPARQL_JSON
from carekg.sparql.execution import QueryJob, QueryTimeout
from carekg.store.embedded import EmbeddedStore
from carekg.web.app import create_app

# Four unrelated triple patterns over the union graph: about 10^12 rows for the built-in graph,
# 10^6+ for any data; COUNT(*) must see them all before it yields its one row.
CROSS_JOIN = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
)
TIMEOUT_SECONDS = 1.0


def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) for every process visible in /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended while we looked
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        table[int(entry.name)] = (parent, cmdline)
    return table


def children_of(pid: int) -> set[int]:
    return {child for child, (parent, _) in process_table().items() if parent == pid}


QUERY_PROCESS = "carekg.store.query_process"


def server_processes(port: int) -> tuple[set[int], set[int], dict[int, tuple[int, str]]]:
    """The gunicorn workers of the server on ``port``, its query processes (children of the pool's
    supervisor, itself a child of the master), and the process table they were read from."""
    table = process_table()
    marker = f"--port {port} "
    server = {pid for pid, (_, cmdline) in table.items() if marker in cmdline + " "}
    masters = {pid for pid in server if table[pid][0] not in server}
    workers = {pid for pid in server if table[pid][0] in masters}
    supervisors = {pid for pid, (parent, _) in table.items() if parent in masters} - workers
    queries = {
        pid
        for pid, (parent, cmdline) in table.items()
        if parent in supervisors and QUERY_PROCESS in cmdline
    }
    return workers, queries, table


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1
    return int(fields[11]) + int(fields[12])  # utime + stime


def state_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def session_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[3])
    except OSError:
        return None


def busy_query_processes(port: int, window: float = 0.2) -> set[int]:
    """The server's query processes that used CPU during ``window`` seconds."""
    _, queries, _ = server_processes(port)
    before = {pid: cpu_ticks(pid) for pid in queries}
    time.sleep(window)
    return {pid for pid, ticks in before.items() if cpu_ticks(pid) > ticks >= 0}


def get(server: RunningServer, query: str, timeout: float = 30) -> tuple[int, bytes, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        connection.request("GET", "/sparql?" + urlencode({"query": query}))
        response = connection.getresponse()
        return response.status, response.read(), time.monotonic() - started
    finally:
        connection.close()


@pytest.fixture(scope="module")
def timed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One worker only, so the concurrent query is served by another thread of the same process;
    two query processes, so one is free while the other runs the heavy query."""
    log = tmp_path_factory.mktemp("timeout") / "serve.log"
    arguments = ["--timeout", str(TIMEOUT_SECONDS), "--workers", "1", "--pool-size", "2"]
    with carekg_serve(arguments, log) as server:
        yield server


@pytest.mark.slow
def test_cross_join_is_answered_503_within_timeout_plus_one_second(
    timed_server: RunningServer,
) -> None:
    status, body, elapsed = get(timed_server, CROSS_JOIN)
    assert status == 503, body
    assert b"did not finish within 1 s" in body
    assert elapsed < TIMEOUT_SECONDS + 1.0


@pytest.mark.slow
def test_the_timed_out_query_process_is_killed_replaced_and_reaped(
    timed_server: RunningServer,
) -> None:
    workers, before, _ = server_processes(timed_server.port)
    assert workers, "the server's worker processes were found"
    assert len(before) == 2, "the pool's two query processes were found"
    status, _, _ = get(timed_server, CROSS_JOIN + " # leftover check")
    assert status == 503
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        _, after, table = server_processes(timed_server.port)
        if len(after) == 2 and after != before:
            break
        time.sleep(0.05)
    killed = before - after
    assert len(killed) == 1, (before, after)  # the one that ran the query, and only that one
    assert all(state_of(pid) == "gone" for pid in killed)  # reaped: not even a zombie is left
    # Nor is any process of the server's session a zombie (other processes of the machine are not
    # the server's: a test running beside this one may have a zombie for a moment).
    assert not any(state_of(pid) == "Z" for pid in table if session_of(pid) == timed_server.pid)
    time.sleep(1.0)  # the replacement's own start-up (imports) uses CPU for a moment
    assert busy_query_processes(timed_server.port) == set()  # nothing is left computing


@pytest.mark.slow
def test_other_queries_are_answered_while_a_heavy_one_runs(timed_server: RunningServer) -> None:
    heavy: dict[str, tuple[int, bytes, float]] = {}
    thread = threading.Thread(target=lambda: heavy.update(result=get(timed_server, CROSS_JOIN)))
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not busy_query_processes(timed_server.port, 0.05) and time.monotonic() < deadline:
            pass
        assert busy_query_processes(timed_server.port, 0.05), "the heavy query is running"
        status, body, elapsed = get(timed_server, "ASK { ?s ?p ?o } # concurrent")
        assert status == 200 and b"true" in body
        assert elapsed < 1.0
    finally:
        thread.join()
    assert heavy["result"][0] == 503


def test_timeout_in_process_kills_the_query_process_it_started(
    builtin_store: EmbeddedStore,
) -> None:
    before = children_of(os.getpid())
    job = QueryJob(CROSS_JOIN, SPARQL_JSON, None)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"did not finish within 0\.5 s"):
        builtin_store.answer(job, 0.5)
    assert time.monotonic() - started < 1.5
    assert children_of(os.getpid()) - before == set()


def test_flask_app_answers_503_and_says_why() -> None:
    app = create_app(Config(timeout=0.5), store=small_store())
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(16))  # 6^16 rows
    heavy = f"SELECT (COUNT(*) AS ?n) WHERE {{ {patterns} }}"
    response = app.test_client().get("/sparql", query_string={"query": heavy})
    assert response.status_code == 503
    assert "did not finish within 0.5 s" in response.get_data(as_text=True)


def test_query_process_holds_none_of_the_parents_descriptors(builtin_store: EmbeddedStore) -> None:
    """A connection another request closes must close now, not when a running query ends."""
    before = children_of(os.getpid())
    read_end, write_end = os.pipe()  # stands for another request's socket
    job = QueryJob(CROSS_JOIN + " # descriptors", SPARQL_JSON, None)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            builtin_store.answer(job, 2.0)
        except QueryTimeout as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        deadline = time.monotonic() + 2
        while not children_of(os.getpid()) - before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert children_of(os.getpid()) - before, "the query process is running"
        os.close(write_end)
        ready, _, _ = select.select([read_end], [], [], 1.0)
        assert ready and os.read(read_end, 1) == b"", "end of file while the query still runs"
        assert thread.is_alive()
    finally:
        thread.join()
        os.close(read_end)
    assert len(outcome) == 1
