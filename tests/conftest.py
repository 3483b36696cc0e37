"""Shared fixtures. Each helper module may add its own fixtures in its test files; shared ones live here."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from carekg_process import RunningServer
from engine_backend import BACKENDS, EngineBuild, engine_build
from flask import Flask
from flask.testing import FlaskClient

from carekg.config import Config
from carekg.dataset.build import build_store
from carekg.store.embedded import EmbeddedStore
from carekg.store.protocol import Store
from carekg.web.app import create_app

REPO_ROOT = Path(__file__).resolve().parent.parent
RELEASE_TEXT = REPO_ROOT / "graph" / "sources" / "care-inspectorate-news-2109.txt"


@pytest.fixture(scope="session")
def embedded_builtin_store() -> EmbeddedStore:
    """The shipped dataset (with its inferred graph) in a read-only embedded store, built once per
    test run, as `carekg build` builds it."""
    return build_store(Config(), validate_builtin=False)


@pytest.fixture(scope="session")
def builtin_store(embedded_builtin_store: EmbeddedStore) -> EmbeddedStore:
    """The built-in graph on the embedded store (a module that runs on both backends overrides this
    name with ``any_builtin_store``)."""
    return embedded_builtin_store


# ---- The same built-in graph served by a real Virtuoso (the remote backend, `--backend sparql`)


@pytest.fixture(scope="session")
def virtuoso_builtin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineBuild]:
    """A private Virtuoso on loopback holding the built-in graph as `carekg build --update-endpoint`
    loads it, and the store directory with that build's dumps and report."""
    with engine_build(tmp_path_factory.mktemp("virtuoso-builtin"), []) as build:
        yield build


@pytest.fixture(scope="session")
def remote_builtin_store(virtuoso_builtin: EngineBuild) -> Store:
    return virtuoso_builtin.open_store()


@pytest.fixture(scope="session", params=BACKENDS)
def any_builtin_store(request: pytest.FixtureRequest) -> Store:
    """The built-in graph on each backend in turn: the embedded store, then carekg over Virtuoso."""
    name = "embedded_builtin_store" if request.param == "embedded" else "remote_builtin_store"
    store: Store = request.getfixturevalue(name)
    return store


@pytest.fixture
def config() -> Config:
    return Config()


@pytest.fixture
def app(config: Config, builtin_store: EmbeddedStore) -> Iterator[Flask]:
    application = create_app(config, store=builtin_store)
    application.config["TESTING"] = True
    yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# ---- W3C SPARQL 1.1 Protocol and Service Description cases (tests/w3c/): one server for both modules


@pytest.fixture(scope="session")
def w3c_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The protocol cases' data as N-Quads, each file in the named graph the manifest labels it with."""
    from w3c_manifest import write_protocol_dataset

    target = tmp_path_factory.mktemp("w3c") / "protocol-dataset.nq"
    write_protocol_dataset(target)
    return target


@pytest.fixture(scope="session")
def w3c_graphs() -> dict[str, str]:
    """Data file name -> graph IRI for the W3C protocol data."""
    from w3c_manifest import graph_data_of, read_protocol_cases

    return graph_data_of(read_protocol_cases())


@pytest.fixture(scope="session")
def w3c_embedded_server(w3c_dataset: Path) -> Iterator[RunningServer]:
    """A real `carekg serve --data <W3C dataset>` on a free loopback port, for the whole run."""
    from carekg_process import carekg_serve

    with carekg_serve(["--data", str(w3c_dataset)], w3c_dataset.with_suffix(".log")) as server:
        yield server


@pytest.fixture(scope="session")
def w3c_remote_server(
    w3c_dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A real `carekg serve --backend sparql` over a Virtuoso that `carekg build <W3C dataset>
    --update-endpoint` loaded, for the whole run."""
    from carekg_process import carekg_serve

    log = w3c_dataset.with_name("serve-virtuoso.log")
    with (
        engine_build(tmp_path_factory.mktemp("virtuoso-w3c"), [w3c_dataset]) as build,
        carekg_serve(build.serve_args, log) as server,
    ):
        yield server


W3C_SERVERS = {"embedded": "w3c_embedded_server", "virtuoso": "w3c_remote_server"}


@pytest.fixture(scope="session", params=BACKENDS)
def w3c_server(request: pytest.FixtureRequest) -> RunningServer:
    """The W3C dataset's real server on each backend in turn."""
    server: RunningServer = request.getfixturevalue(W3C_SERVERS[request.param])
    return server


# ---- A real `carekg serve` of the built-in graph, shared by the endpoint, UI and client tests


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:<port>``) of `carekg serve` on the built-in graph."""
    from carekg_process import carekg_serve

    log = tmp_path_factory.mktemp("live-server") / "serve.log"
    with carekg_serve(["--workers", "2", "--timeout", "20"], log) as server:
        yield server.base_url


@pytest.fixture
def proxied_client(builtin_store: EmbeddedStore) -> FlaskClient:
    """A client of an app that trusts one reverse proxy's X-Forwarded-* headers."""
    application = create_app(Config(proxy_hops=1), store=builtin_store)
    application.config["TESTING"] = True
    return application.test_client()
