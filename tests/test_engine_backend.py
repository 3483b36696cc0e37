"""carekg over a real Virtuoso (`carekg build --update-endpoint`, `carekg serve --backend sparql`): the
dataset is pinned to carekg's graphs, a switch of builds is whole, a load killed half-way loses nothing,
and the engine's traps (silent row cuts, partial "anytime" answers, its timeout) reach no client as
wrong answers. The tests shared with the embedded store (example queries, the crawl, the W3C protocol
and service description cases) run on both backends through the ``any_builtin_store`` and
``w3c_server`` fixtures."""

import json
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from engine_backend import SETTINGS, EngineBuild, carekg_build_into, engine_build, loader_env
from flask.testing import FlaskClient
from rdflib.compare import isomorphic
from test_dumps import RDFLIB_FORMATS
from virtuoso_process import (
    VirtuosoUnavailable,
    ensure_virtuoso_installed,
    graph_store_put,
    start_virtuoso,
)

from carekg.config import Config
from carekg.dataset.engine_load import switch_engine_manifest
from carekg.rdf.formats import RDF_GRAPH_FORMATS, by_name
from carekg.rdf.terms import to_rdflib
from carekg.sparql.execution import QueryJob, QuerySyntaxError, QueryTimeout
from carekg.sparql.renaming import NO_GRAPH
from carekg.store.embedded import EmbeddedStore
from carekg.store.engine_manifest import VERSIONED_PREFIX, EngineManifest
from carekg.store.remote import (
    PartialAnswer,
    RemoteStore,
    _raise_for,
    open_remote,
    read_engine_manifest,
)
from carekg.store.sparql_client import RESULTS_JSON, Credentials, Reply, SparqlClient
from carekg.web.app import create_app
from carekg.web.errors import status_of

FOREIGN_GRAPH = "urn:publisher:other-data"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def count(store: RemoteStore | EmbeddedStore, query: str = COUNT_ALL) -> int:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    term = next(iter(solutions))["n"]
    assert isinstance(term, ox.Literal)
    return int(term.value)


def graphs_seen(store: RemoteStore | EmbeddedStore) -> list[str]:
    solutions = store.query(GRAPHS)
    assert isinstance(solutions, ox.QuerySolutions)
    return [row["g"].value for row in solutions]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def remote_store(virtuoso_builtin: EngineBuild) -> RemoteStore:
    return virtuoso_builtin.open_store()


@pytest.fixture(scope="module")
def remote_client(remote_store: RemoteStore) -> FlaskClient:
    app = create_app(Config(backend="sparql"), store=remote_store)
    app.config["TESTING"] = True
    return app.test_client()


def test_the_engine_holds_versioned_graphs_but_clients_see_only_public_names(
    virtuoso_builtin: EngineBuild, remote_store: RemoteStore, builtin_store: EmbeddedStore
) -> None:
    raw = SparqlClient(virtuoso_builtin.virtuoso.query_endpoint).query(
        GRAPHS, "application/sparql-results+json", 30
    )
    in_engine = [b["g"]["value"] for b in json.loads(raw.body)["results"]["bindings"]]
    manifest = remote_store.engine_manifest
    assert len(manifest.graphs) == len(builtin_store.named_graphs())
    assert manifest.union is not None
    assert {g for g in in_engine if g.startswith(VERSIONED_PREFIX)} == {
        *manifest.engine_graphs,
        manifest.union,
    }
    seen = graphs_seen(remote_store)
    assert seen == graphs_seen(builtin_store) == sorted(builtin_store.named_graphs())
    assert not any(VERSIONED_PREFIX in g for g in seen)
    assert count(remote_store) == count(builtin_store)


def test_the_publishers_other_graphs_stay_out_of_every_query(
    virtuoso_builtin: EngineBuild, remote_store: RemoteStore, builtin_store: EmbeddedStore
) -> None:
    answer = graph_store_put(
        virtuoso_builtin.virtuoso, FOREIGN_GRAPH, b"<urn:x:s> <urn:x:p> <urn:x:o> .\n"
    )
    assert answer.status in (200, 201, 204), answer.text
    assert count(remote_store) == count(builtin_store)
    assert FOREIGN_GRAPH not in graphs_seen(remote_store)
    from_foreign = f"SELECT (COUNT(*) AS ?n) FROM <{FOREIGN_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert count(remote_store, from_foreign) == 0
    in_foreign = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{FOREIGN_GRAPH}> {{ ?s ?p ?o }} }}"
    assert count(remote_store, in_foreign) == 0
    assert not bool(remote_store.query(f"ASK {{ GRAPH <{FOREIGN_GRAPH}> {{ ?s ?p ?o }} }}"))
    rows = remote_store.query(f"SELECT * WHERE {{ GRAPH <{FOREIGN_GRAPH}> {{ ?s ?p ?o }} }}")
    assert isinstance(rows, ox.QuerySolutions) and list(rows) == []
    # Virtuoso's own system graph, visible to a query without a dataset, is not either.
    system = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }"
    assert count(remote_store, system) == 0


def test_a_client_query_naming_a_graph_by_its_public_iri_reads_that_graph(
    remote_client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    graph = "https://w3id.org/carekg/graph/south-lanarkshire-2014"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    reply = remote_client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.status_code == 200
    n = int(reply.get_json()["results"]["bindings"][0]["n"]["value"])
    assert n == len(list(builtin_store.quads(graph))) > 0


def test_health_names_the_engine_and_the_build_it_serves(
    remote_client: FlaskClient, remote_store: RemoteStore
) -> None:
    health = remote_client.get("/health").get_json()
    assert health["engine"] == {
        "query_endpoint": remote_store.client.query_url,
        "build": remote_store.engine_manifest.build,
    }
    assert health["dataset_version"] == remote_store.version
    assert "pool" not in health  # the engine evaluates: there is no query pool


def test_a_malformed_query_is_refused_with_the_same_position_on_both_backends(
    remote_store: RemoteStore, builtin_store: EmbeddedStore
) -> None:
    job = QueryJob("SELECT * WHERE {\n  ?s ?p ", by_name("json"), None)
    with pytest.raises(QuerySyntaxError) as remote:
        remote_store.answer(job, 10)
    with pytest.raises(QuerySyntaxError) as embedded:
        builtin_store.answer(job, 10)
    assert (remote.value.line, remote.value.column) == (embedded.value.line, embedded.value.column)
    assert remote.value.line == 2


def test_a_select_the_engine_cut_at_its_row_limit_is_announced_as_truncated(
    remote_client: FlaskClient,
) -> None:
    # Far more rows than Virtuoso's ResultSetMaxRows: it stops there and says so only in a header.
    query = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y }"
    reply = remote_client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.status_code == 200
    assert len(reply.get_json()["results"]["bindings"]) == SETTINGS.result_set_max_rows
    assert reply.headers["X-Carekg-Truncated"] == "true"
    assert reply.headers["X-Carekg-Row-Cap"] == str(SETTINGS.result_set_max_rows)


def test_a_construct_the_engine_cut_silently_is_announced_as_truncated(
    remote_client: FlaskClient,
) -> None:
    # Twice the triples of the built-in graph: more than Virtuoso's ResultSetMaxRows.
    query = "CONSTRUCT { ?s ?p ?o . ?s <urn:x:copy> ?o } WHERE { ?s ?p ?o }"
    reply = remote_client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/n-triples"}
    )
    assert reply.status_code == 200
    assert reply.headers["X-Carekg-Truncated"] == "true"
    assert reply.data.startswith(b"# ")  # the truncation note, as for carekg's own cap


def test_a_result_within_the_engines_limit_is_not_marked_truncated(
    remote_client: FlaskClient,
) -> None:
    reply = remote_client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.status_code == 200
    assert len(reply.get_json()["results"]["bindings"]) == 5
    assert reply.headers["X-Carekg-Truncated"] == "false"


def test_a_slow_query_is_stopped_by_the_http_timeout_and_answered_503(
    remote_store: RemoteStore,
) -> None:
    # Tens of millions of rows to filter: seconds in Virtuoso, within its own cost estimate.
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y FILTER (STR(?x) < STR(?y)) }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as stopped:
        remote_store.answer(QueryJob(slow, by_name("json"), None), 1.0)
    assert time.monotonic() - started < 5
    assert status_of(stopped.value) == 503


@pytest.mark.parametrize(
    ("status", "headers"),
    [(200, {"X-SQL-State": "S1TAT"}), (206, {}), (206, {"X-SQL-State": "S1TAT"})],
)
def test_an_anytime_partial_answer_is_never_passed_on(status: int, headers: dict[str, str]) -> None:
    """Virtuoso's "anytime" mode answers part of a result with these marks (carekg never asks for it:
    it sends no `timeout` parameter); whatever the engine's settings, such an answer is a 503."""
    reply = Reply(
        status, httpx.Headers(headers), b'{"head":{"vars":["n"]},"results":{"bindings":[]}}'
    )
    with pytest.raises(PartialAnswer) as refused:
        _raise_for(reply, 30)
    assert status_of(refused.value) == 503
    assert "partial" in str(refused.value)


def test_queries_sent_to_the_engine_carry_no_timeout_parameter(
    virtuoso_builtin: EngineBuild, sent_forms: list[dict[str, list[str]]]
) -> None:
    store = virtuoso_builtin.open_store()
    sent_forms.clear()  # the manifest read: carekg's own, not a client's query
    store.answer(QueryJob("SELECT * WHERE { ?s ?p ?o } LIMIT 1", by_name("json"), None), 30)
    assert sent_forms and all("timeout" not in form for form in sent_forms)
    assert all("default-graph-uri" in form and "named-graph-uri" in form for form in sent_forms)


@pytest.fixture
def sent_forms(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, list[str]]]:
    """The form fields of every request carekg's engine client sends while the test runs."""
    sent: list[dict[str, list[str]]] = []
    original = httpx.Client.request

    def spy(self: httpx.Client, method: str, url: str, **kwargs: object) -> httpx.Response:
        sent.append(urllib.parse.parse_qs((kwargs.get("content") or b"").decode()))  # type: ignore[union-attr]
        return original(self, method, url, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx.Client, "request", spy)
    return sent


def test_the_default_graph_goes_as_the_union_graph_and_named_graphs_only_with_a_graph_pattern(
    remote_store: RemoteStore, builtin_store: EmbeddedStore, sent_forms: list[dict[str, list[str]]]
) -> None:
    """Virtuoso compiles each graph a dataset lists in about a millisecond: a query names the build's
    union graph (and the inferred graph, which it leaves out), the named graphs only when it has
    GRAPH; carekg's own reads name none."""
    manifest = remote_store.engine_manifest
    union = [manifest.union, *(manifest.graphs[g] for g in manifest.outside_union)]
    every = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # a new text"
    answered = remote_store.answer(QueryJob(every, by_name("json"), None), 30)
    assert sent_forms[-1]["default-graph-uri"] == union
    assert sent_forms[-1]["named-graph-uri"] == [NO_GRAPH]
    assert json.loads(answered.body)["results"]["bindings"][0]["n"]["value"] == str(
        count(builtin_store)
    )
    by_graph = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } # a new text"
    answered = remote_store.answer(QueryJob(by_graph, by_name("json"), None), 30)
    assert sent_forms[-1]["default-graph-uri"] == union
    assert set(sent_forms[-1]["named-graph-uri"]) == {*manifest.graphs.values(), NO_GRAPH}
    rows = json.loads(answered.body)["results"]["bindings"]
    assert sorted(r["g"]["value"] for r in rows) == sorted(builtin_store.named_graphs())
    sent_forms.clear()
    fresh = RemoteStore(remote_store.store_dir, remote_store.client, manifest)  # nothing remembered
    subject = ox.NamedNode("https://w3id.org/carekg/id/inspection/south-lanarkshire-2014")
    assert set(fresh.quads(subject=subject)) == set(builtin_store.quads(subject=subject))
    typed = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert set(fresh.quads(predicate=typed)) == set(builtin_store.quads(predicate=typed))
    assert sent_forms and all(
        "default-graph-uri" not in form and "named-graph-uri" not in form for form in sent_forms
    )


@pytest.mark.parametrize("path", ["/sparql", "/sparql/asserted"])
def test_with_or_without_the_inferred_graph_the_default_graph_goes_as_the_union_graph(
    remote_client: FlaskClient,
    remote_store: RemoteStore,
    client: FlaskClient,
    sent_forms: list[dict[str, list[str]]],
    path: str,
) -> None:
    """The union graph leaves the inferred graph out: /sparql sends it and the inferred graph,
    /sparql/asserted the union graph alone; both count what the embedded store counts."""
    query = {"query": f"{COUNT_ALL} # {path}"}
    accept = {"Accept": "application/sparql-results+json"}
    over_engine = remote_client.get(path, query_string=query, headers=accept)
    embedded = client.get(path, query_string=query, headers=accept)
    assert over_engine.status_code == embedded.status_code == 200
    counted = [
        r.get_json()["results"]["bindings"][0]["n"]["value"] for r in (over_engine, embedded)
    ]
    assert counted[0] == counted[1]
    manifest = remote_store.engine_manifest
    inferred = [manifest.graphs[g] for g in manifest.outside_union]
    assert len(inferred) == 1
    expected = [manifest.union] if path.endswith("asserted") else [manifest.union, *inferred]
    assert sent_forms[-1]["default-graph-uri"] == expected
    assert sent_forms[-1]["named-graph-uri"] == [NO_GRAPH]


def test_a_manifest_naming_thousands_of_graphs_is_switched_by_the_graph_store_and_read_back(
    tmp_path: Path,
) -> None:
    try:
        ensure_virtuoso_installed()
    except VirtuosoUnavailable as reason:
        pytest.skip(str(reason))
    with start_virtuoso(tmp_path, SETTINGS) as virtuoso:
        loader = SparqlClient(
            virtuoso.authenticated_query_endpoint,
            graph_store_url=virtuoso.graph_store_endpoint,
            credentials=Credentials(virtuoso.loader.user, virtuoso.loader.password),
        )
        graphs = [f"https://w3id.org/carekg/graph/test-{n:05d}" for n in range(2400)]
        manifest = EngineManifest.for_build("test", "1", graphs, has_default=False, previous=None)
        assert len(manifest.to_json()) > 64 * 1024
        switch_engine_manifest(loader, manifest, None)
        assert read_engine_manifest(SparqlClient(virtuoso.query_endpoint)) == manifest


def test_a_dataset_of_many_graphs_is_answered_although_the_engine_echoes_each_as_a_header(
    virtuoso_builtin: EngineBuild,
) -> None:
    # 1,500 default and 1,500 named graphs: about 150 KB of X-SPARQL-* headers, past httpcore's 100 KiB.
    graphs = [f"{VERSIONED_PREFIX}test:{n}" for n in range(1500)]
    reply = virtuoso_builtin.reader().query("ASK {}", RESULTS_JSON, 60, graphs, graphs)
    assert reply.status == 200
    assert len(reply.headers.get_list("X-SPARQL-named-graph")) == len(graphs)
    assert json.loads(reply.body)["boolean"] is True


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's parsers, on their own API
@pytest.mark.parametrize("rdf_format", RDF_GRAPH_FORMATS, ids=lambda f: f.dump_name)
def test_the_dumps_served_over_the_engine_hold_what_the_engine_holds(
    remote_client: FlaskClient, remote_store: RemoteStore, rdf_format: object
) -> None:
    reply = remote_client.get(f"/download/carekg.{rdf_format.extension}")  # type: ignore[attr-defined]
    assert reply.status_code == 200
    in_engine = rdflib.Graph()
    for quad in remote_store.quads():
        in_engine.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))  # type: ignore[arg-type]
    dataset = rdflib.Dataset()
    dataset.parse(data=reply.data, format=RDFLIB_FORMATS[rdf_format.dump_name])  # type: ignore[attr-defined]
    union = rdflib.Graph()
    for subject, predicate, obj, _graph in dataset.quads((None, None, None, None)):
        union.add((subject, predicate, obj))
    assert isomorphic(union, in_engine)


# ---------------------------------------------------------------- switching builds


@pytest.fixture(scope="module")
def switching(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineBuild]:
    """A Virtuoso of its own, for the tests that replace its build."""
    with engine_build(tmp_path_factory.mktemp("virtuoso-switch"), []) as build:
        yield build


def write_many(path: Path, graphs: int, per_graph: int) -> Path:
    """N-Quads of ``graphs`` graphs of ``per_graph`` statements each."""
    lines = [
        f'<urn:t:s{i}> <urn:t:p> "{i}" <urn:t:g{i % graphs}> .\n' for i in range(graphs * per_graph)
    ]
    path.write_text("".join(lines))
    return path


def builds_in_engine(build: EngineBuild) -> set[str]:
    """The builds whose versioned graphs the engine holds."""
    raw = build.reader().query(GRAPHS, "application/sparql-results+json", 30)
    names = [b["g"]["value"] for b in json.loads(raw.body)["results"]["bindings"]]
    return {
        n[len(VERSIONED_PREFIX) :].rsplit(":", 1)[0]
        for n in names
        if n.startswith(VERSIONED_PREFIX)
    }


def test_a_new_build_switches_readers_at_once_and_drops_the_graphs_of_older_builds(
    switching: EngineBuild, tmp_path: Path
) -> None:
    store = switching.open_store()
    first = store.engine_manifest.build
    done = carekg_build_into(
        switching.virtuoso, switching.store_dir, [write_many(tmp_path / "a.nq", 3, 10)]
    )
    assert done.returncode == 0, done.stderr
    second = store.successor()
    assert second is not None and second.engine_manifest.previous == first
    assert graphs_seen(second) == ["urn:t:g0", "urn:t:g1", "urn:t:g2"]
    assert count(second) == 30
    assert store.successor() is not None  # the old store's view follows the engine, not itself
    done = carekg_build_into(
        switching.virtuoso, switching.store_dir, [write_many(tmp_path / "b.nq", 2, 5)]
    )
    assert done.returncode == 0, done.stderr
    third = second.successor()
    assert third is not None and count(third) == 10
    # The first build's graphs are dropped; the one before the live one stays for running queries.
    assert builds_in_engine(switching) == {
        second.engine_manifest.build,
        third.engine_manifest.build,
    }


def test_a_load_killed_half_way_leaves_the_previous_build_serving_whole(
    switching: EngineBuild, tmp_path: Path
) -> None:
    before = open_remote(switching.store_dir, switching.reader())
    expected = count(before)
    big = write_many(tmp_path / "big.nq", 400, 100)  # 400 graphs: the load takes seconds
    carekg = Path(sys.executable).with_name("carekg")
    process = subprocess.Popen(
        [str(carekg), "build", str(big), "--store", str(switching.store_dir),
         "--update-endpoint", switching.virtuoso.update_endpoint],
        env=loader_env(switching.virtuoso), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        known = {before.engine_manifest.build, before.engine_manifest.previous}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # until graphs of the new build are in the engine
            if builds_in_engine(switching) - known:
                break
            assert process.poll() is None, "the load finished before it could be killed"
            time.sleep(0.05)
        else:
            pytest.fail("the load never started")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert before.successor() is None  # the engine still serves the build it served
    assert count(before) == expected
    # The next build completes and drops what the killed one left behind.
    done = carekg_build_into(
        switching.virtuoso, switching.store_dir, [write_many(tmp_path / "c.nq", 2, 3)]
    )
    assert done.returncode == 0, done.stderr
    after = before.successor()
    assert after is not None and count(after) == 6
    assert builds_in_engine(switching) == {
        before.engine_manifest.build,
        after.engine_manifest.build,
    }


# ---------------------------------------------------------------- the command line


def carekg(*args: str, env: dict[str, str] | None = None) -> "subprocess.CompletedProcess[str]":
    command = [str(Path(sys.executable).with_name("carekg")), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def test_serve_over_an_engine_whose_build_is_not_in_the_store_directory_exits_2_saying_so(
    switching: EngineBuild, tmp_path: Path
) -> None:
    # The engine holds a build, but not one of this (empty) store directory.
    done = carekg(
        "serve", "--backend", "sparql", "--query-endpoint", switching.virtuoso.query_endpoint,
        "--store", str(tmp_path / "elsewhere"), "--port", "0",
    )  # fmt: skip
    assert done.returncode == 2
    assert "not in" in done.stderr and "--store" in done.stderr


def test_build_into_a_graph_store_needs_the_query_endpoint_too(tmp_path: Path) -> None:
    done = carekg("build", "--into", "http://127.0.0.1:9/graph-store", "--store", str(tmp_path))
    assert done.returncode == 2
    assert "--query-endpoint" in done.stderr


def test_service_allow_is_refused_with_the_sparql_backend(tmp_path: Path) -> None:
    done = carekg(
        "serve", "--backend", "sparql", "--query-endpoint", "http://127.0.0.1:9/sparql",
        "--service-allow", "http://example.org/sparql", "--store", str(tmp_path),
    )  # fmt: skip
    assert done.returncode == 2
    assert "SERVICE" in done.stderr


def test_an_unreachable_engine_is_named_in_the_error(tmp_path: Path) -> None:
    done = carekg(
        "build", "--update-endpoint", "http://127.0.0.1:9/sparql-auth", "--store", str(tmp_path)
    )
    assert done.returncode == 2
    assert "http://127.0.0.1:9/sparql-auth" in done.stderr
