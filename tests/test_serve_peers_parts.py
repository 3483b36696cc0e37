"""Parts of benchmarks/serve_peers.py that its numbers rest on: reading wrk's report, counting answers,
making uncached texts, and stopping a server's whole process tree by PID. (The benchmark itself is a
script, run by `make bench-smoke`, not a test.)"""

import importlib
import time
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:7979/query
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.52ms    1.53ms  19.98ms   90.02%
    Req/Sec     3.14k     1.15k    5.66k    60.66%
  Latency Distribution
     50%  850.00us
     75%    1.90ms
     90%    3.10ms
     99%    1.20s
  19066 requests in 3.10s, 75.48MB read
  Non-2xx or 3xx responses: 12
  Socket errors: connect 0, read 8, write 3, timeout 1
Requests/sec:   6150.15
Transfer/sec:     24.35MB
"""


@pytest.fixture(scope="module")
def measure() -> ModuleType:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("measure")


@pytest.fixture(scope="module")
def peers() -> ModuleType:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("peers")


def test_wrk_report_gives_rate_requests_errors_and_latency_percentiles(measure: ModuleType) -> None:
    result = measure.parse_wrk(WRK_OUTPUT)
    assert result.requests_per_s == 6150.15
    assert result.requests == 19066
    assert result.non_2xx == 12
    assert result.socket_errors == 12
    assert result.p50_ms == pytest.approx(0.85)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.p90_ms == pytest.approx(3.10)


def test_uncached_texts_differ_but_answer_the_same(measure: ModuleType) -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    queries = {q.name: q for q in measure.load_queries(BENCHMARKS / "queries")}
    cheap = queries["0-cheap"]
    first, second = measure.uncached(cheap.text, "a 1"), measure.uncached(cheap.text, "a 2")
    assert first != second
    run = measure.in_process(store)
    answers = [
        measure.count_answers(run(text, cheap)[1], construct=False) for text in (first, second)
    ]
    assert answers == [1, 1]


def test_queries_are_the_cheap_one_and_six_researcher_questions_one_a_construct(
    measure: ModuleType,
) -> None:
    queries = measure.load_queries(BENCHMARKS / "queries")
    assert len(queries) == 7
    assert queries[0].name == "0-cheap"
    assert [q.name for q in queries if q.construct] == ["5-construct-inspection"]
    assert queries[5].accept == "application/n-triples"
    assert queries[1].accept == "application/sparql-results+json"


def test_construct_answers_are_counted_as_triples(measure: ModuleType) -> None:
    body = b"<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> <http://e/d> .\n"
    assert measure.count_answers(body, construct=True) == 2


def test_stop_ends_the_server_and_the_descendants_it_left(
    peers: ModuleType, tmp_path: Path
) -> None:
    # A "server" whose child outlives it: bash exits on SIGTERM, its background sleep does not.
    server = peers.Server(
        "toy", ["bash", "-c", "sleep 60 & wait"], "http://127.0.0.1:1/", tmp_path / "toy.log"
    )
    server.start()
    deadline = time.monotonic() + 5
    while len(peers.process_tree(server.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    tree = peers.process_tree(server.pid)
    assert len(tree) == 2
    assert peers.tree_pss_mb(server.pid) > 0
    server.stop()
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.02)
    left = [pid for pid in tree if Path(f"/proc/{pid}").exists() and _not_zombie(pid)]
    assert left == []


def _not_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_carekg_launch_modes_are_today_serve_data_and_later_build_then_serve_store(
    peers: ModuleType, tmp_path: Path
) -> None:
    data, store = tmp_path / "kg.nq", tmp_path / "store"
    build, serve = peers.carekg_commands("data", data, store, 5555)
    assert build is None
    assert serve[1:] == ["serve", "--data", str(data), "--host", "127.0.0.1", "--port", "5555"]
    build, serve = peers.carekg_commands("store", data, store, 5555)
    assert build is not None
    assert build[1:] == ["build", "--store", str(store), str(data)]
    assert serve[1:] == ["serve", "--store", str(store), "--host", "127.0.0.1", "--port", "5555"]
