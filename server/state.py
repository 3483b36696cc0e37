"""The dataset an app serves, swapped whole: a failed rebuild leaves the previous store serving."""

import threading
from collections.abc import Callable

from flask import Flask, current_app

from .store import Store


class DatasetState:
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


def current_store(app: Flask | None = None) -> Store:
    state: DatasetState = (app or current_app).extensions["carekg"]
    return state.store
