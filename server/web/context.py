"""What a Flask app carries for carekg: its Config and the dataset it serves, and their accessors."""

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app

from ..config import Config
from ..errors import CarekgError
from ..store.built import BuiltStore
from ..store.protocol import Store

log = logging.getLogger(__name__)
FOLLOW_SECONDS = 1.0

APP_CONFIG_KEY = "CAREKG"  # where create_app keeps the Config in app.config
DATASET_KEY = "carekg"  # where create_app keeps the DatasetState in app.extensions


class DatasetState:
    """The dataset an app serves, swapped whole: a failed rebuild leaves the previous store serving.

    A store served from a build follows its store directory: at most once every ``FOLLOW_SECONDS`` it
    looks whether another build has become current and, if so, serves that one from the next request
    on; requests already running finish on the build they started with. The process that hands a
    BuiltStore out holds its build's lease until the last request using it has dropped it, so that
    no build prunes its store meanwhile (the query pool's processes open it by its path).
    """

    def __init__(self, store: Store):
        self._store = store
        self._lock = threading.Lock()
        self._next_look = 0.0

    @property
    def store(self) -> Store:
        """The store to answer a request from (held by this process, if it is a BuiltStore)."""
        store = self._store
        if isinstance(store, BuiltStore):
            gone = not store.hold()  # replaced and pruned before this process held it
            if gone or time.monotonic() >= self._next_look:
                self._follow(store, at_once=gone)
        return self._store

    @property
    def served(self) -> Store:
        """The store being served, as it is: without looking for a newer build or holding it (for
        code that runs outside requests, such as gunicorn's master before it forks its workers)."""
        return self._store

    def _follow(self, store: BuiltStore, at_once: bool = False) -> None:
        with self._lock:
            if self._store is not store or (not at_once and time.monotonic() < self._next_look):
                return  # another request has followed, or looked, meanwhile
            self._next_look = time.monotonic() + FOLLOW_SECONDS
            try:
                successor = store.successor()
            except (CarekgError, OSError) as exc:  # the directory lost its build: keep this one
                log.warning("carekg: cannot follow the store directory: %s", exc)
                return
            if successor is not None and successor.hold():
                log.warning(
                    "carekg: now serving build %s (%s)", successor.build.name, successor.version
                )
                self._store = successor

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
