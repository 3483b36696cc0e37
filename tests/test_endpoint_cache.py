"""The result cache is bounded by entries and by bytes, dropping the least recently used first."""

from carekg.rdf.formats import SPARQL_JSON
from carekg.sparql.results import Serialized
from carekg.web.endpoint.cache import CacheKey, ResultCache


def key(query: str, version: str = "v1") -> CacheKey:
    return CacheKey(version, query, (), (), "json", "turtle", 10000, "http://localhost/sparql")


def answer(size: int) -> Serialized:
    return Serialized(b"x" * size, SPARQL_JSON, "bindings", 1, False)


def test_least_recently_used_entry_goes_first() -> None:
    cache = ResultCache(max_entries=2)
    cache.put(key("a"), answer(1))
    cache.put(key("b"), answer(1))
    assert cache.get(key("a")) is not None  # a is now the most recent
    cache.put(key("c"), answer(1))
    assert cache.get(key("b")) is None
    assert cache.get(key("a")) is not None and cache.get(key("c")) is not None


def test_byte_bound_evicts_and_oversized_answers_are_not_kept() -> None:
    cache = ResultCache(max_entries=100, max_bytes=10)
    cache.put(key("a"), answer(6))
    cache.put(key("b"), answer(6))
    assert cache.get(key("a")) is None and cache.get(key("b")) is not None
    cache.put(key("huge"), answer(11))
    assert cache.get(key("huge")) is None
    assert len(cache) == 1


def test_a_new_store_version_is_a_different_key() -> None:
    cache = ResultCache()
    cache.put(key("a", version="v1"), answer(1))
    assert cache.get(key("a", version="v2")) is None
