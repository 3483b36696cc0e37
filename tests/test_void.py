"""The dataset description at /.well-known/void: VoID counts equal the store's own SPARQL counts, every
dump it names is served with the size it states, and it links licence, sources and the validation report."""

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient

from carekg.store import EmbeddedStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
DATASET = rdflib.URIRef("https://w3id.org/carekg/id/dataset/carekg")
ALL_TRIPLES = "{ SELECT DISTINCT ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } }"


@pytest.fixture
def description(client: FlaskClient) -> rdflib.Graph:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == "/.well-known/void.ttl"
    return rdflib.Graph().parse(data=response.data, format="turtle")


def count(store: EmbeddedStore, query: str) -> int:
    """A COUNT straight from Oxigraph, without the union default graph the server uses."""
    result = store.pyoxigraph().query(query)
    assert isinstance(result, ox.QuerySolutions)
    value = next(iter(result))["n"]
    assert isinstance(value, ox.Literal)
    return int(value.value)


def integer(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef) -> int:
    value = graph.value(subject, predicate)
    assert value is not None, (subject, predicate)
    return int(value)


def test_void_counts_equal_the_stores_counts(
    description: rdflib.Graph, builtin_store: EmbeddedStore
) -> None:
    assert integer(description, DATASET, VOID.triples) == count(
        builtin_store, f"SELECT (COUNT(*) AS ?n) WHERE {ALL_TRIPLES}"
    )
    assert integer(description, DATASET, VOID.distinctSubjects) == count(
        builtin_store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {ALL_TRIPLES}"
    )
    assert integer(description, DATASET, VOID.distinctObjects) == count(
        builtin_store, f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {ALL_TRIPLES}"
    )


def test_class_and_property_partitions_count_entities_and_triples(
    description: rdflib.Graph, builtin_store: EmbeddedStore
) -> None:
    partitions = list(description.objects(DATASET, VOID.classPartition))
    assert len(partitions) == count(
        builtin_store,
        f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ {ALL_TRIPLES} FILTER(?p = rdf:type) }}".replace(
            "rdf:type", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
        ),
    )
    for partition in partitions:
        cls = description.value(partition, VOID["class"])
        expected = count(
            builtin_store,
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {ALL_TRIPLES} "
            f"FILTER(?p = <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> && ?o = <{cls}>) }}",
        )
        assert integer(description, partition, VOID.entities) == expected, cls
    properties = list(description.objects(DATASET, VOID.propertyPartition))
    assert len(properties) > 40
    for partition in properties:
        prop = description.value(partition, VOID.property)
        expected = count(
            builtin_store,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ {ALL_TRIPLES} FILTER(?p = <{prop}>) }}",
        )
        assert integer(description, partition, VOID.triples) == expected, prop


def test_one_subset_per_named_graph_with_its_count(
    description: rdflib.Graph, builtin_store: EmbeddedStore
) -> None:
    subsets = {str(s) for s in description.objects(DATASET, VOID.subset)}
    assert subsets == set(builtin_store.named_graphs())
    for graph in subsets:
        expected = count(
            builtin_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        )
        assert integer(description, rdflib.URIRef(graph), VOID.triples) == expected
        dumps = list(description.objects(rdflib.URIRef(graph), VOID.dataDump))
        assert len(dumps) == 6


def test_every_dump_named_is_served(description: rdflib.Graph, client: FlaskClient) -> None:
    dumps = list(description.objects(None, VOID.dataDump))
    assert len(dumps) == 6 * (1 + len(list(description.objects(DATASET, VOID.subset))))
    for url in dumps:
        assert str(url).startswith("http://localhost/download/")
        assert client.get(str(url).removeprefix("http://localhost")).status_code == 200, url


def test_endpoint_vocabularies_and_examples(description: rdflib.Graph) -> None:
    assert description.value(DATASET, VOID.sparqlEndpoint) == rdflib.URIRef(
        "http://localhost/sparql"
    )
    vocabularies = {str(v) for v in description.objects(DATASET, VOID.vocabulary)}
    assert {
        "https://w3id.org/carekg/def/",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/ns/oa#",
    } <= vocabularies
    examples = set(description.objects(DATASET, VOID.exampleResource))
    assert rdflib.URIRef("https://w3id.org/carekg/id/inspection/south-lanarkshire-2014") in examples


def test_dcat_distributions_state_media_type_and_true_size(
    description: rdflib.Graph, client: FlaskClient
) -> None:
    distributions = list(description.objects(DATASET, DCAT.distribution))
    assert len(distributions) == 12  # six formats, plain and gzipped
    for distribution in distributions:
        url = str(description.value(distribution, DCAT.downloadURL)).removeprefix(
            "http://localhost"
        )
        served = client.get(url, headers={"Accept-Encoding": "identity"})
        assert served.status_code == 200
        assert integer(description, distribution, DCAT.byteSize) == len(served.data), url
        assert str(description.value(distribution, DCAT.mediaType)).startswith(
            "https://www.iana.org/assignments/media-types/"
        )


def test_dcat_licence_credits_publisher_and_coverage(description: rdflib.Graph) -> None:
    assert (DATASET, rdflib.RDF.type, DCAT.Dataset) in description
    assert description.value(DATASET, DCT.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    news = rdflib.URIRef("https://w3id.org/carekg/id/source/care-inspectorate-news-2109")
    assert (DATASET, DCT.source, news) in description
    assert (DATASET, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), news) in description
    assert description.value(DATASET, DCT.publisher) is not None
    period = description.value(DATASET, DCT.temporal)
    assert str(description.value(period, DCAT.startDate)).startswith("2014")
    assert str(description.value(period, DCAT.endDate)).startswith("2014")
    area = rdflib.URIRef("https://w3id.org/carekg/id/area/south-lanarkshire")
    assert (DATASET, DCT.spatial, area) in description


def test_validation_report_is_linked_and_published_as_rdf(
    description: rdflib.Graph, client: FlaskClient
) -> None:
    link = description.value(DATASET, DQV.hasQualityMetadata)
    assert link == rdflib.URIRef("http://localhost/validation")
    response = client.get("/validation", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    report = rdflib.Graph().parse(data=response.data, format="turtle")
    node = report.value(predicate=rdflib.RDF.type, object=SH.ValidationReport)
    assert node == rdflib.URIRef("http://localhost/validation#report")
    # The served data is what the store holds (Oxigraph rewrites integer-derived datatypes), and it conforms.
    assert report.value(node, SH.conforms) == rdflib.Literal(True)
    assert report.value(node, DCT.created) is not None
    shapes = report.value(node, DCT.conformsTo)
    assert report.value(shapes, rdflib.OWL.versionInfo) is not None
    assert not any(isinstance(t, rdflib.BNode) for triple in report for t in triple)


def test_validation_page_says_whether_the_data_conforms(client: FlaskClient) -> None:
    page = client.get("/validation", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "conform" in page and "shapes version" in page


def test_dataset_description_page_and_other_formats(client: FlaskClient) -> None:
    page = client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    for extension, parser in (("jsonld", "json-ld"), ("rdf", "xml"), ("nt", "nt")):
        response = client.get(f"/.well-known/void.{extension}")
        graph = rdflib.Graph().parse(data=response.data, format=parser)
        assert (DATASET, rdflib.RDF.type, VOID.Dataset) in graph


def test_service_description_links_the_dataset_description(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    assert (
        rdflib.URIRef("http://localhost/sparql"),
        rdflib.RDFS.seeAlso,
        rdflib.URIRef("http://localhost/.well-known/void"),
    ) in graph


def test_description_names_the_forwarded_host_for_dumps_and_endpoint(
    proxied_client: FlaskClient,
) -> None:
    response = proxied_client.get(
        "/.well-known/void.ttl",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.org"},
    )
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    assert graph.value(DATASET, VOID.sparqlEndpoint) == rdflib.URIRef(
        "https://data.example.org/sparql"
    )
    dumps = {str(url) for url in graph.objects(DATASET, VOID.dataDump)}
    assert "https://data.example.org/download/carekg.nq" in dumps
