"""The endpoint's per-app caches are made once, and the graph sizes in the service description
follow a store swap, even with requests arriving at the same time as the swap."""

import threading

import pytest
import rdflib
from endpoint_data import G1, small_store
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Namespace
from rdflib.term import Node

from carekg.config import Config
from carekg.dataset.build import build_embedded_store
from carekg.dataset.sources import DataFile
from carekg.store.embedded import EmbeddedStore
from carekg.web.app import create_app
from carekg.web.context import DatasetState
from carekg.web.endpoint.landing import GRAPH_SIZES
from carekg.web.endpoint.service_description import GraphSizesCache
from carekg.web.endpoint.views import result_cache

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


def bigger_store() -> EmbeddedStore:
    """The small store's graph G1 with five triples instead of two, and no default-graph triples."""
    triples = " ".join(f"<http://example.org/s{i}> <http://example.org/p> {i} ." for i in range(5))
    trig = f"<{G1}> {{ {triples} }}".encode()
    return build_embedded_store([DataFile(name="bigger.trig", data=trig, graph_iri=None)])


@pytest.fixture
def small_app() -> Flask:
    app = create_app(Config(), store=small_store())
    app.config["TESTING"] = True
    return app


def described_sizes(client: FlaskClient) -> tuple[int, dict[str, int]]:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    dataset = graph.value(rdflib.URIRef("http://localhost/sparql"), SD.defaultDataset)

    def triples_in(graph_node: Node | None) -> int:
        return int(str(graph.value(graph_node, VOID.triples)))

    default_size = triples_in(graph.value(dataset, SD.defaultGraph))
    named = {
        str(graph.value(node, SD.name)): triples_in(graph.value(node, SD.graph))
        for node in graph.objects(dataset, SD.namedGraph)
    }
    return default_size, named


def test_the_result_cache_is_made_once_per_app_and_kept(small_app: Flask) -> None:
    cache = result_cache(small_app)
    client = small_app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    assert result_cache(small_app) is cache
    assert len(cache) == 2
    other = create_app(Config(), store=small_store())
    assert result_cache(other) is not cache and len(result_cache(other)) == 0


def test_the_graph_size_cache_is_made_once_per_app_and_kept(small_app: Flask) -> None:
    cache = small_app.extensions[GRAPH_SIZES]
    assert isinstance(cache, GraphSizesCache)
    described_sizes(small_app.test_client())
    assert small_app.extensions[GRAPH_SIZES] is cache


def test_the_description_counts_the_new_store_after_a_swap(small_app: Flask) -> None:
    client = small_app.test_client()
    assert described_sizes(client)[1][G1] == 2
    state: DatasetState = small_app.extensions["carekg"]
    state.rebuild(bigger_store)
    assert described_sizes(client) == (5, {G1: 5})
    state.rebuild(small_store)
    assert described_sizes(client)[1][G1] == 2


def test_descriptions_during_store_swaps_all_answer_with_one_stores_sizes(
    small_app: Flask,
) -> None:
    state: DatasetState = small_app.extensions["carekg"]
    stores = [small_store(), bigger_store()]
    answers: list[tuple[int, dict[str, int]]] = []
    failures: list[BaseException] = []

    def describe_repeatedly() -> None:
        client = small_app.test_client()
        try:
            for _ in range(15):
                answers.append(described_sizes(client))
        except BaseException as exc:  # reported below: a thread's assertion would be lost
            failures.append(exc)

    threads = [threading.Thread(target=describe_repeatedly) for _ in range(4)]
    for thread in threads:
        thread.start()
    for index in range(30):
        state.rebuild(lambda swapped_in=stores[index % 2]: swapped_in)  # type: ignore[misc]
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(answers) == 60
    small_sizes = (6, {"http://example.org/graph/one": 2, "http://example.org/graph/two": 2})
    assert all(answer in (small_sizes, (5, {G1: 5})) for answer in answers)


def test_the_sizes_cache_answers_for_the_store_it_is_given() -> None:
    cache = GraphSizesCache()
    small, bigger = small_store(), bigger_store()
    assert cache.sizes(small)[1][G1] == 2
    assert cache.sizes(bigger) == (5, {G1: 5})
    assert cache.sizes(small)[1][G1] == 2
