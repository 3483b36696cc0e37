"""Values computed once per dataset version (descriptions of the whole dataset, indexes, dumps)."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

from ...store.protocol import Store

T = TypeVar("T")
_EXTENSION_KEY = "carekg_linked_data_memo"
# Some keys hold the address the server is reached at (descriptions name it), which a client chooses
# with its Host header: the memo keeps only the most recently used entries, so it cannot grow unbounded.
# It must still hold every dump warm_caches computes: 6 formats x plain/gzip x (the dataset + each graph),
# 324 with the corpus's 26 graphs.
MAX_ENTRIES = 1024


class VersionMemo:
    """A cache emptied whenever the dataset version changes; one per app, least recently used out."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._version: str | None = None
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get(self, store: Store, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if self._version != store.version:
                self._version = store.version
                self._values = OrderedDict()
            if key in self._values:
                self._values.move_to_end(key)
                value: T = self._values[key]
                return value
        value = compute()
        with self._lock:
            if self._version == store.version:
                self._values[key] = value
                while len(self._values) > self._max_entries:
                    self._values.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._values)


def memoized(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    memo: VersionMemo = current_app.extensions.setdefault(_EXTENSION_KEY, VersionMemo())
    return memo.get(store, key, compute)
