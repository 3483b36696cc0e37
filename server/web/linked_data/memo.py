"""Values computed once per dataset version (descriptions of the whole dataset, indexes, dumps)."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, g, request

from ...store.protocol import Store
from ..context import current_store

T = TypeVar("T")
_EXTENSION_KEY = "carekg_linked_data_memo"
# Some keys hold the address the server is reached at (descriptions name it), which a client chooses
# with its Host header: the memo keeps only the most recently used entries, so it cannot grow unbounded.
# It must still hold every dump warm_caches computes: 6 formats x plain/gzip x (the dataset + each graph),
# 324 with the corpus's 26 graphs.
MAX_ENTRIES = 1024


class VersionMemo:
    """A cache emptied whenever the dataset version changes; one per app, least recently used out."""

    def __init__(
        self,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int | None = None,
        size_of: Callable[[Any], int] = lambda _value: 0,
    ) -> None:
        """``max_bytes``: also bound the values' total ``size_of``."""
        self._version: str | None = None
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._bytes = 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._size_of = size_of
        self._lock = threading.Lock()

    def _start(self, version: str) -> None:
        self._version = version
        self._values = OrderedDict()
        self._bytes = 0

    def get(self, store: Store, key: Hashable, compute: Callable[[], T]) -> T:
        found = self.peek(store, key, _MISSING)
        if found is not _MISSING:
            value: T = found
            return value
        value = compute()
        self.put(store, key, value, only_version=store.version)
        return value

    def peek(self, store: Store, key: Hashable, default: Any = None) -> Any:
        """The value kept under ``key`` for the store's version, or ``default``."""
        with self._lock:
            if self._version != store.version:
                self._start(store.version)
            if key not in self._values:
                return default
            self._values.move_to_end(key)
            return self._values[key]

    def put(
        self, store: Store, key: Hashable, value: object, only_version: str | None = None
    ) -> None:
        """Keep ``value``; with ``only_version``, only if the memo still holds that version (a value
        computed while a new build was switched in is not kept as the new version's)."""
        with self._lock:
            if only_version is not None and self._version != only_version:
                return
            if self._version != store.version:
                self._start(store.version)
            if key in self._values:
                self._bytes -= self._size_of(self._values.pop(key))
            self._values[key] = value
            self._bytes += self._size_of(value)
            while len(self._values) > self._max_entries or (
                self._max_bytes is not None and self._bytes > self._max_bytes
            ):
                self._bytes -= self._size_of(self._values.popitem(last=False)[1])

    def __len__(self) -> int:
        return len(self._values)


_MISSING = object()


def memoized(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    memo: VersionMemo = current_app.extensions.setdefault(_EXTENSION_KEY, VersionMemo())
    return memo.get(store, key, compute)


# ------------------------------------------------------------------------- whole responses

_RESPONSES_KEY = "carekg_linked_data_responses"
# Pages average tens of KB; the largest dataset documents (VoID as N-Triples) under 1 MB at the
# built-in graph's size. Larger bodies are not kept: they would crowd out the many small pages.
RESPONSE_ENTRIES = 4096
RESPONSE_BYTES = 64 * 1024 * 1024  # in each worker
LARGEST_KEPT_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class KeptResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def keep_responses(blueprint: Blueprint, skip: Collection[str]) -> None:
    """Answer the blueprint's GET and HEAD requests from the response rendered for the first one
    alike: same dataset version, same address the server is reached at (pages and descriptions name
    it), same path and query, same Accept and Accept-Encoding. ``skip``: endpoints answered otherwise
    (from files, or varying by more than that). The app-wide after_request hooks (validators,
    conditional answers, CORS, metrics) still run on every response."""

    def kept() -> Response | None:
        if request.method not in ("GET", "HEAD") or _endpoint_name() in skip:
            return None
        value = _responses().peek(current_store(), _response_key())
        if value is None:
            return None
        g.carekg_kept_response = True
        return Response(value.body, status=value.status, headers=list(value.headers))

    def keep(response: Response) -> Response:
        if (
            request.method in ("GET", "HEAD")
            and not g.get("carekg_kept_response", False)
            and _endpoint_name() not in skip
            and 200 <= response.status_code < 400
            and not response.is_streamed
            and not response.direct_passthrough
        ):
            body = response.get_data()
            if len(body) <= LARGEST_KEPT_BYTES:
                headers = tuple(
                    (k, v) for k, v in response.headers.items() if k != "Content-Length"
                )
                value = KeptResponse(response.status_code, headers, body)
                _responses().put(current_store(), _response_key(), value)
        return response

    blueprint.before_request(kept)
    blueprint.after_request(keep)


def _endpoint_name() -> str:
    return (request.endpoint or "").rpartition(".")[2]


def _response_key() -> Hashable:
    return (
        request.host_url,
        request.script_root,
        request.full_path,
        request.headers.get("Accept", ""),
        request.headers.get("Accept-Encoding", ""),
    )


def _responses() -> VersionMemo:
    memo: VersionMemo = current_app.extensions.setdefault(
        _RESPONSES_KEY,
        VersionMemo(RESPONSE_ENTRIES, RESPONSE_BYTES, lambda kept: len(kept.body)),
    )
    return memo
