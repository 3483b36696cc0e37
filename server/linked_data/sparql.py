"""SELECT queries over the union of the store's graphs, for the pages' own lookups."""

import pyoxigraph as ox


def select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    result = store.query(query, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    return list(result)
