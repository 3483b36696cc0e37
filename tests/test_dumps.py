"""Dumps: every format round-trips to the same dataset, bytes are deterministic, gzip works both ways,
and the Graph Store Protocol's read side answers ?default (the union) and ?graph=IRI."""

import gzip
import json

import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib.compare import isomorphic

from carekg.dataset.dumps import FORMATS, FORMATS_BY_NAME, dump, serialize
from carekg.rdf.formats import MediaType
from carekg.rdf.terms import to_rdflib
from carekg.store.embedded import EmbeddedStore

# rdflib's parsers call their own deprecated Dataset API.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RDFLIB_FORMATS = {
    "turtle": "turtle",
    "nt": "nt",
    "nq": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "xml": "xml",
}


def store_graph(store: EmbeddedStore, graph: str | None = None) -> rdflib.Graph:
    """The store's union (or one named graph) as an rdflib graph."""
    result = rdflib.Graph()
    for quad in store.quads(graph):
        result.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))  # type: ignore[arg-type]
    return result


def parsed_dataset(data: bytes, rdf_format: MediaType) -> rdflib.Dataset:
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=RDFLIB_FORMATS[rdf_format.dump_name])
    return dataset


@pytest.mark.parametrize("rdf_format", FORMATS, ids=lambda f: f.dump_name)
def test_dump_of_the_whole_dataset_round_trips(
    builtin_store: EmbeddedStore, rdf_format: MediaType
) -> None:
    data = dump(builtin_store, rdf_format)
    if rdf_format.holds_graphs:
        dataset = parsed_dataset(data, rdf_format)
        parsed_graphs = {
            str(g.identifier)
            for g in dataset.graphs()
            if len(g) and isinstance(g.identifier, rdflib.URIRef)
        } - {str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)}
        assert parsed_graphs == set(builtin_store.named_graphs())
        for graph in builtin_store.named_graphs():
            assert isomorphic(
                dataset.graph(rdflib.URIRef(graph)), store_graph(builtin_store, graph)
            ), graph
    else:
        parsed = rdflib.Graph().parse(data=data, format=RDFLIB_FORMATS[rdf_format.dump_name])
        assert isomorphic(parsed, store_graph(builtin_store))


@pytest.mark.parametrize("rdf_format", FORMATS, ids=lambda f: f.dump_name)
def test_dump_of_one_named_graph_round_trips(
    builtin_store: EmbeddedStore, rdf_format: MediaType
) -> None:
    graph = "https://w3id.org/carekg/graph/south-lanarkshire-2014"
    data = dump(builtin_store, rdf_format, graph)
    if rdf_format.holds_graphs:
        parsed = parsed_dataset(data, rdf_format).graph(rdflib.URIRef(graph))
    else:
        parsed = rdflib.Graph().parse(data=data, format=RDFLIB_FORMATS[rdf_format.dump_name])
    assert isomorphic(parsed, store_graph(builtin_store, graph))


def test_dumps_are_the_same_bytes_whatever_the_statement_order(
    builtin_store: EmbeddedStore,
) -> None:
    quads = list(builtin_store.quads())
    for rdf_format in FORMATS:
        assert serialize(quads, rdf_format) == serialize(reversed(quads), rdf_format), (
            rdf_format.dump_name
        )


def test_jsonld_dump_is_compacted_with_carekgs_context_embedded(
    builtin_store: EmbeddedStore,
) -> None:
    document = json.loads(dump(builtin_store, FORMATS_BY_NAME["jsonld"]))
    assert isinstance(document["@context"], dict)  # embedded: parsing fetches nothing
    text = json.dumps(document)
    assert '"gradeCounts"' in text and '"label"' in text
    assert "http://www.w3.org/2000/01/rdf-schema#label" not in text


def test_context_document_is_served_and_matches_the_embedded_context(client: FlaskClient) -> None:
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    served = json.loads(response.data)["@context"]
    embedded = json.loads(client.get("/download/carekg.jsonld").data)["@context"]
    assert served == embedded


def test_download_is_gzip_encoded_for_a_client_that_accepts_it(client: FlaskClient) -> None:
    plain = client.get("/download/carekg.nq", headers={"Accept-Encoding": "identity"})
    encoded = client.get("/download/carekg.nq", headers={"Accept-Encoding": "gzip, deflate"})
    assert plain.headers.get("Content-Encoding") is None
    assert encoded.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in encoded.headers["Vary"]
    assert gzip.decompress(encoded.data) == plain.data
    assert plain.mimetype == "application/n-quads"


def test_gz_download_is_a_gzip_file_of_the_dump(client: FlaskClient) -> None:
    plain = client.get("/download/graph/south-lanarkshire-2014.ttl")
    packed = client.get("/download/graph/south-lanarkshire-2014.ttl.gz")
    assert packed.mimetype == "application/gzip"
    assert "south-lanarkshire-2014.ttl.gz" in packed.headers["Content-Disposition"]
    assert gzip.decompress(packed.data) == plain.data


def test_unknown_dump_names_are_404_with_a_hint(client: FlaskClient) -> None:
    assert client.get("/download/carekg.docx").status_code == 404
    response = client.get("/download/graph/no-such-graph.ttl")
    assert response.status_code == 404
    assert b"/downloads" in response.data


def test_graph_store_default_is_the_union_of_all_graphs(
    client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    response = client.get("/rdf-graph-store?default", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.mimetype == "application/n-triples"
    parsed = rdflib.Graph().parse(data=response.data, format="nt")
    assert isomorphic(parsed, store_graph(builtin_store))


def test_graph_store_named_graph_in_turtle(
    client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    graph = "https://w3id.org/carekg/graph/ontology"
    response = client.get("/rdf-graph-store", query_string={"graph": graph})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    parsed = rdflib.Graph().parse(data=response.data, format="turtle")
    assert isomorphic(parsed, store_graph(builtin_store, graph))


def test_graph_store_rejects_unknown_graphs_and_missing_parameters(client: FlaskClient) -> None:
    missing = client.get("/rdf-graph-store", query_string={"graph": "https://example.org/none"})
    assert missing.status_code == 404
    assert b"https://example.org/none" in missing.data
    assert client.get("/rdf-graph-store").status_code == 400
    both = client.get("/rdf-graph-store?default&graph=https://w3id.org/carekg/graph/ontology")
    assert both.status_code == 400


def test_a_dataset_dump_under_another_name_is_404(client: FlaskClient) -> None:
    assert client.get("/download/carekg.nq").status_code == 200
    assert client.get("/download/grade-counts.trig").status_code == 404
    assert client.get("/download/anything.nq").status_code == 404
