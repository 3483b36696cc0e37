"""Shared fixtures. Each helper module may add its own fixtures in its test files; shared ones live here."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from carekg.app import create_app
from carekg.config import Config
from carekg.sources import bundled_data_files
from carekg.store import EmbeddedStore, build_embedded_store

REPO_ROOT = Path(__file__).resolve().parent.parent
RELEASE_TEXT = REPO_ROOT / "graph" / "sources" / "care-inspectorate-news-2109.txt"


@pytest.fixture(scope="session")
def builtin_store() -> EmbeddedStore:
    """The shipped dataset in a read-only embedded store, built once per test run."""
    return build_embedded_store(bundled_data_files())


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
