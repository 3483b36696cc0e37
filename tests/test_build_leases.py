"""A server's process holds the lease of every build it hands out until it drops it: a query that
started on a build that is no longer current is still answered from that build, also by a pool process
that has moved on to the new one; a build no process holds any more is pruned by the next build; and a
served build pruned before its process could hold it is followed at once."""

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from carekg.commands.serve import start_supervisor
from carekg.dataset.build import build_into
from carekg.rdf.formats import SPARQL_JSON
from carekg.sparql.execution import QueryJob
from carekg.sparql.jobs import prepare_job
from carekg.store.built import BuiltStore, open_current
from carekg.store.manifest import STORE_FOLDER, current_build
from carekg.store.pool import QueryPool
from carekg.web.context import DatasetState

TRIPLE = '<http://example.org/a> <http://example.org/p> "{n}" .\n'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def build(store_dir: Path, triples: int) -> Path:
    data = store_dir.parent / f"data-{triples}.nt"
    data.write_text("".join(TRIPLE.format(n=n) for n in range(triples)), encoding="utf-8")
    return build_into(store_dir, [data]).build


def count_job() -> QueryJob:
    return prepare_job(COUNT, lambda _scan: (SPARQL_JSON, None), max_rows=10)


def counted(store: BuiltStore) -> int:
    body = json.loads(store.answer(count_job(), timeout=10).body)
    return int(body["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def one_process_pool(tmp_path: Path) -> Iterator[QueryPool]:
    folder = tmp_path / "pool"
    folder.mkdir()
    supervisor = start_supervisor(folder, 1, 1 << 30)
    try:
        yield QueryPool(folder, 1)
    finally:
        supervisor.terminate()
        supervisor.wait(timeout=10)


@pytest.mark.slow
def test_a_query_on_a_replaced_build_is_answered_from_it_after_the_pool_moved_on(
    tmp_path: Path, one_process_pool: QueryPool
) -> None:
    store_dir = tmp_path / "store"
    build(store_dir, 3)
    old = open_current(store_dir, one_process_pool)
    assert counted(old) == 3  # the pool's one process has the first build open
    build(store_dir, 5)
    assert (old.build / STORE_FOLDER).is_dir(), "a build this process holds is not pruned"
    new = old.successor()
    assert new is not None and counted(new) == 5  # the process has moved on to the new build
    assert counted(old) == 3  # and opens the old one again for a query that started on it


def test_a_build_no_process_holds_any_more_is_pruned_by_the_next_build(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    first = build(store_dir, 3)
    held = BuiltStore(first, pool=None, store_dir=store_dir)
    assert held.hold()
    build(store_dir, 4)
    assert (first / STORE_FOLDER).is_dir()
    del held  # the last request using it has ended
    build(store_dir, 5)
    assert not (first / STORE_FOLDER).exists()


def test_a_served_build_pruned_before_its_process_held_it_is_followed_at_once(
    tmp_path: Path,
) -> None:
    store_dir = tmp_path / "store"
    first = build(store_dir, 3)
    state = DatasetState(BuiltStore(first, pool=None, store_dir=store_dir))
    state._next_look = time.monotonic() + 60  # as in a worker that looked a moment ago
    build(store_dir, 4)  # nothing held the first build: its store is pruned
    assert not (first / STORE_FOLDER).exists()
    store = state.store
    assert isinstance(store, BuiltStore)
    assert store.build == current_build(store_dir)
    assert (store.build / STORE_FOLDER).is_dir()
