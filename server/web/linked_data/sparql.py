"""SELECT queries over the union of the store's graphs, for the pages' own lookups."""

import pyoxigraph as ox

from ...store.protocol import Store


def select(store: Store, query: str) -> list[ox.QuerySolution]:
    result = store.query(query)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    return list(result)
