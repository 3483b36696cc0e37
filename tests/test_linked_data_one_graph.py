"""A resource's description is one graph in every RDF format (issue 8, point 9): JSON-LD, TriG and N-Quads
of a /doc/ page read into a plain rdflib.Graph give the same graph as its Turtle, while the dataset dumps
keep their named graphs."""

import urllib.request

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib.compare import isomorphic

from carekg.rdf.namespaces import BASE_IRI
from carekg.store.embedded import EmbeddedStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ONE_GRAPH_PARSERS = {"jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
INSPECTION_DOC = "/doc/id/inspection/south-lanarkshire-2014"
OTHER_DOCUMENTS = ("/.well-known/void", "/validation", "/doc/shapes")


def described_paths(store: EmbeddedStore) -> list[str]:
    """The /doc/ path of the first carekg IRI of every class, and of the ontology."""
    first: dict[str, str] = {}
    for quad in store.pyoxigraph().quads_for_pattern(None, RDF_TYPE, None, None):
        subject = quad.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(BASE_IRI):
            cls = quad.object.value
            if cls not in first or subject.value < first[cls]:
                first[cls] = subject.value
    return sorted({"/doc/" + iri.removeprefix(BASE_IRI) for iri in first.values()} | {"/doc/def"})


def turtle_of(client: FlaskClient, path: str) -> rdflib.Graph:
    response = client.get(path + ".ttl")
    assert response.status_code == 200, path
    return rdflib.Graph().parse(data=response.data, format="turtle")


def test_every_descriptions_json_ld_trig_and_n_quads_read_into_a_plain_graph_equal_its_turtle(
    client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    paths = described_paths(builtin_store)
    assert len(paths) >= 20
    for path in paths:
        turtle = turtle_of(client, path)
        assert len(turtle) > 0, path
        for extension, parser in ONE_GRAPH_PARSERS.items():
            response = client.get(f"{path}.{extension}")
            assert response.status_code == 200, (path, extension)
            graph = rdflib.Graph().parse(data=response.data, format=parser)
            assert len(graph) == len(turtle), (path, extension, len(graph), len(turtle))
            assert isomorphic(graph, turtle), (path, extension)


def test_a_description_names_no_graph_in_trig_n_quads_or_json_ld(client: FlaskClient) -> None:
    nquads = client.get(INSPECTION_DOC + ".nq").get_data(as_text=True).splitlines()
    assert nquads
    for line in nquads:
        quad = next(ox.parse(line.encode(), "application/n-quads"))
        assert isinstance(quad.graph_name, ox.DefaultGraph), line
    for extension in ONE_GRAPH_PARSERS:
        dataset = rdflib.Dataset()
        dataset.parse(data=client.get(f"{INSPECTION_DOC}.{extension}").data,
                      format=ONE_GRAPH_PARSERS[extension])  # fmt: skip
        named = [c.identifier for c in dataset.contexts() if len(c) and c.identifier
                 != rdflib.Dataset().default_context.identifier]  # fmt: skip
        assert named == [], (extension, named)


def test_the_negotiated_json_ld_description_is_one_graph(client: FlaskClient) -> None:
    response = client.get(INSPECTION_DOC, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    graph = rdflib.Graph().parse(data=response.data, format="json-ld")
    assert isomorphic(graph, turtle_of(client, INSPECTION_DOC))


@pytest.mark.parametrize("path", OTHER_DOCUMENTS)
def test_the_dataset_description_report_and_shapes_are_one_graph_in_json_ld(
    client: FlaskClient, path: str
) -> None:
    turtle = turtle_of(client, path)
    graph = rdflib.Graph().parse(data=client.get(path + ".jsonld").data, format="json-ld")
    assert len(turtle) > 0 and isomorphic(graph, turtle), path


def test_the_dataset_dumps_keep_their_named_graphs(
    client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    graphs = set(builtin_store.named_graphs())
    assert graphs
    for path in ("/download/carekg.trig", "/download/carekg.nq", "/download/carekg.jsonld"):
        dataset = rdflib.Dataset()
        parser = {"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[path.rpartition(".")[2]]
        dataset.parse(data=client.get(path).data, format=parser)
        named = {str(c.identifier) for c in dataset.contexts() if len(c)}
        assert graphs <= named, path


@pytest.mark.slow
def test_rdflib_reads_every_triple_of_a_json_ld_description_from_its_url(live_server: str) -> None:
    """As the issue puts it: ``rdflib.Graph().parse(url, format="json-ld")`` reads the description."""
    graph = rdflib.Graph().parse(live_server + INSPECTION_DOC + ".jsonld", format="json-ld")
    with urllib.request.urlopen(live_server + INSPECTION_DOC + ".ttl") as reply:
        turtle = rdflib.Graph().parse(data=reply.read(), format="turtle")
    assert len(turtle) > 0
    assert len(graph) == len(turtle)
    assert isomorphic(graph, turtle)
