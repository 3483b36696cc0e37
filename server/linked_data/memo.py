"""Values computed once per dataset version (descriptions of the whole dataset, indexes, dumps)."""

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

from ..store import Store

T = TypeVar("T")
_EXTENSION_KEY = "carekg_linked_data_memo"


class VersionMemo:
    """A cache emptied whenever the dataset version changes; one per app."""

    def __init__(self) -> None:
        self._version: str | None = None
        self._values: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def get(self, store: Store, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if self._version != store.version:
                self._version = store.version
                self._values = {}
            if key in self._values:
                value: T = self._values[key]
                return value
        value = compute()
        with self._lock:
            if self._version == store.version:
                self._values[key] = value
        return value


def memoized(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    memo: VersionMemo = current_app.extensions.setdefault(_EXTENSION_KEY, VersionMemo())
    return memo.get(store, key, compute)
