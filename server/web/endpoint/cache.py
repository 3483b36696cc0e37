"""A bounded LRU cache of serialized query results, keyed by everything that decides the bytes."""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from ...sparql.results import Serialized


@dataclass(frozen=True)
class CacheKey:
    store_version: str
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    results_type: str | None
    graph_type: str | None
    max_rows: int
    base_iri: str


class ResultCache:
    """Least recently used entries go first once either bound is passed."""

    def __init__(self, max_entries: int = 256, max_bytes: int = 32 * 1024 * 1024):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[CacheKey, Serialized] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: CacheKey) -> Serialized | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: CacheKey, value: Serialized) -> None:
        if len(value.body) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = value
            self._bytes += len(value.body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
