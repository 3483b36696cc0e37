"""What a Flask app carries for carekg: its Config and the dataset it serves, and their accessors."""

import threading
from collections.abc import Callable

from flask import Flask, current_app

from ..config import Config
from ..store.protocol import Store

APP_CONFIG_KEY = "CAREKG"  # where create_app keeps the Config in app.config
DATASET_KEY = "carekg"  # where create_app keeps the DatasetState in app.extensions


class DatasetState:
    """The dataset an app serves, swapped whole: a failed rebuild leaves the previous store serving."""

    def __init__(self, store: Store):
        self._store = store
        self._lock = threading.Lock()

    @property
    def store(self) -> Store:
        return self._store

    def rebuild(self, build: Callable[[], Store]) -> Store:
        """Build a new store and swap it in; if ``build`` raises, the old store keeps serving."""
        with self._lock:
            new_store = build()
            self._store = new_store
            return new_store


def config_of(app: Flask) -> Config:
    """The carekg Config an app was created with."""
    config: Config = app.config[APP_CONFIG_KEY]
    return config


def current_config() -> Config:
    """The carekg Config of the app handling the current request."""
    return config_of(current_app)  # type: ignore[arg-type]


def dataset_state(app: Flask) -> DatasetState:
    state: DatasetState = app.extensions[DATASET_KEY]
    return state


def current_store(app: Flask | None = None) -> Store:
    return dataset_state(app or current_app).store  # type: ignore[arg-type]
