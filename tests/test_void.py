"""The dataset description at /.well-known/void: VoID counts equal the store's own SPARQL counts, every
dump it names is served with the size it states, and it links licence, sources and the validation report."""

import hashlib

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib.compare import isomorphic
from site_crawler import links_in

from carekg.dataset.sources import bundled_data_files
from carekg.dataset.validation import load_shapes, shape_files
from carekg.store.embedded import EmbeddedStore
from carekg.web.linked_data.shapes import shapes_version

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DATASET = rdflib.URIRef("https://w3id.org/carekg/id/dataset/carekg")
SHAPES = rdflib.URIRef("https://w3id.org/carekg/shapes")
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


def graph_subsets(description: rdflib.Graph) -> set[str]:
    """The subsets that are named graphs (the others are link sets, tested in test_discoverability)."""
    return {
        str(s)
        for s in description.objects(DATASET, VOID.subset)
        if (s, rdflib.RDF.type, VOID.Linkset) not in description
    }


def test_one_subset_per_named_graph_with_its_count(
    description: rdflib.Graph, builtin_store: EmbeddedStore
) -> None:
    subsets = graph_subsets(description)
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
    assert len(dumps) == 6 * (1 + len(graph_subsets(description)))
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
    # One example per class: the first inspection of the corpus (by IRI) stands for the inspections.
    assert rdflib.URIRef("https://w3id.org/carekg/id/inspection/aberdeen-city-2014") in examples


def offered_dumps(client: FlaskClient) -> set[str]:
    """The dump URLs the Downloads page links (plain and .gz, the whole dataset and each graph); the
    grade-counts table and cube it also links are not dumps (not yet DCAT distributions either)."""
    page = client.get("/downloads", headers={"Accept": "text/html"}).get_data(as_text=True)
    return {
        href
        for href in links_in(page)
        if href.startswith("/download/") and not href.startswith("/download/grade-counts.")
    }


def test_dcat_has_one_distribution_per_dump_the_server_offers(
    description: rdflib.Graph, client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    distributions = set(description.subjects(rdflib.RDF.type, DCAT.Distribution))
    urls = [
        str(description.value(d, DCAT.accessURL)).removeprefix("http://localhost")
        for d in distributions
    ]
    # The download URL names the dataset version (a citable, stable address of the same bytes).
    version = builtin_store.version
    for d in distributions:
        access = str(description.value(d, DCAT.accessURL))
        download = str(description.value(d, DCAT.downloadURL))
        assert download == access.replace("/download/", f"/download/v/{version}/", 1)
    offered = offered_dumps(client)
    # six formats, plain and gzipped, of the whole dataset and of each named graph
    assert len(offered) == 6 * 2 * (1 + len(builtin_store.named_graphs()))
    assert sorted(urls) == sorted(offered)
    # the whole dataset's dumps are its distributions; a graph's dumps are that graph's
    assert len(list(description.objects(DATASET, DCAT.distribution))) == 12
    for graph in builtin_store.named_graphs():
        node = rdflib.URIRef(graph)
        assert (DATASET, DCT.hasPart, node) in description
        assert (node, rdflib.RDF.type, DCAT.Dataset) in description
        graph_urls = {str(description.value(d, DCAT.accessURL))
                      for d in description.objects(node, DCAT.distribution)}  # fmt: skip
        assert len(graph_urls) == 12
        assert all(url.startswith("http://localhost/download/graph/") for url in graph_urls)


def test_every_distribution_states_the_served_size_checksum_media_type_and_format(
    description: rdflib.Graph, client: FlaskClient
) -> None:
    iana = "https://www.iana.org/assignments/media-types/"
    for distribution in description.subjects(rdflib.RDF.type, DCAT.Distribution):
        url = str(description.value(distribution, DCAT.downloadURL)).removeprefix(
            "http://localhost"
        )
        served = client.get(url, headers={"Accept-Encoding": "identity"})
        assert served.status_code == 200, url
        assert integer(description, distribution, DCAT.byteSize) == len(served.data), url
        checksum = description.value(distribution, SPDX.checksum)
        assert description.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(description.value(checksum, SPDX.checksumValue)) == (
            hashlib.sha256(served.data).hexdigest()
        ), url
        media_type = str(description.value(distribution, DCAT.mediaType)).removeprefix(iana)
        if url.endswith(".gz"):
            assert served.mimetype == "application/gzip"
            assert description.value(distribution, DCAT.compressFormat) == rdflib.URIRef(
                iana + "application/gzip"
            )
            unpacked = client.get(url.removesuffix(".gz"), headers={"Accept-Encoding": "identity"})
            assert media_type == unpacked.mimetype, url
        else:
            assert media_type == served.mimetype, url
        assert str(description.value(distribution, DCT["format"])).startswith(
            "http://www.w3.org/ns/formats/"
        )
        assert description.value(distribution, DCT.title) is not None


def test_dcat_licence_credits_publisher_and_coverage(description: rdflib.Graph) -> None:
    assert (DATASET, rdflib.RDF.type, DCAT.Dataset) in description
    assert description.value(DATASET, DCT.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    news = rdflib.URIRef("https://w3id.org/carekg/id/source/care-inspectorate-news-2109")
    assert (DATASET, DCT.source, news) in description
    assert (DATASET, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), news) in description
    assert description.value(DATASET, DCT.publisher) is not None
    # Two fieldwork months, June and August 2014, each its own period: not a range from June to August.
    periods = sorted(description.objects(DATASET, DCT.temporal))
    months = [
        (str(description.value(p, DCAT.startDate)), str(description.value(p, DCAT.endDate)))
        for p in periods
    ]
    assert ("2014-06", "2014-06") in months and ("2014-08", "2014-08") in months
    assert all(start == end for start, end in months)
    # Every month a page states for fieldwork, each once (the corpus adds its inspections' months;
    # months carekg only reads, carekg:fieldworkMonthAsRead, are not coverage a source states).
    stated = {
        m
        for f in bundled_data_files()
        for m in rdflib.Graph()
        .parse(data=f.data, format="turtle")
        .objects(None, CAREKG_FIELDWORK_MONTH)
    }
    assert len(stated) == 25  # 2 in 2013, 7 in 2014, 7 in 2015, 3 in 2016, 6 in 2017
    assert {description.value(p, rdflib.RDFS.seeAlso) for p in periods} == stated
    area = rdflib.URIRef("https://w3id.org/carekg/id/area/south-lanarkshire")
    assert (DATASET, DCT.spatial, area) in description


CAREKG_FIELDWORK_MONTH = rdflib.URIRef("https://w3id.org/carekg/def/fieldworkMonth")


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


def report_graph(client: FlaskClient) -> rdflib.Graph:
    response = client.get("/validation", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.data, format="turtle")


def test_the_report_names_the_shapes_it_was_computed_with_and_they_resolve(
    client: FlaskClient,
) -> None:
    report = report_graph(client)
    node = report.value(predicate=rdflib.RDF.type, object=SH.ValidationReport)
    assert report.value(node, DCT.conformsTo) == SHAPES
    version = report.value(SHAPES, rdflib.OWL.versionInfo)
    # the version is a fingerprint of the shapes files validation reads
    assert version == rdflib.Literal(shapes_version(shape_files()))
    redirect = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert redirect.status_code == 303
    assert redirect.headers["Location"] == "http://localhost/doc/shapes"
    served = client.get("/doc/shapes", headers={"Accept": "text/turtle"})
    assert served.status_code == 200 and served.mimetype == "text/turtle"
    assert served.headers["Content-Location"] == "/doc/shapes.ttl"
    shapes = rdflib.Graph().parse(data=served.data, format="turtle")
    assert shapes.value(SHAPES, rdflib.OWL.versionInfo) == version
    shapes.remove((SHAPES, rdflib.OWL.versionInfo, version))
    assert isomorphic(shapes, load_shapes())


def test_every_format_of_the_shapes_holds_the_same_statements(client: FlaskClient) -> None:
    """Blank nodes are labelled canonically, so every format names them alike (pyoxigraph keeps
    the labels it reads): the formats hold the same triples, not merely isomorphic ones. JSON-LD
    writes RDF lists as @list, whose cells a parser names afresh: it is isomorphic."""
    formats = {
        "ttl": ox.RdfFormat.TURTLE,
        "rdf": ox.RdfFormat.RDF_XML,
        "nt": ox.RdfFormat.N_TRIPLES,
        "trig": ox.RdfFormat.TRIG,
        "nq": ox.RdfFormat.N_QUADS,
    }
    parsed = {}
    for extension, rdf_format in formats.items():
        response = client.get(f"/doc/shapes.{extension}")
        assert response.status_code == 200, extension
        parsed[extension] = {q.triple for q in ox.parse(response.data, format=rdf_format)}
    assert len(parsed["ttl"]) > 900
    assert any(isinstance(t.subject, ox.BlankNode) for t in parsed["ttl"])
    for extension, triples in parsed.items():
        assert triples == parsed["ttl"], extension
    turtle = rdflib.Graph().parse(data=client.get("/doc/shapes.ttl").data, format="turtle")
    jsonld = rdflib.Graph().parse(data=client.get("/doc/shapes.jsonld").data, format="json-ld")
    assert isomorphic(jsonld, turtle)


def test_shapes_page_lists_the_node_shapes_and_shape_iris_resolve(client: FlaskClient) -> None:
    page = client.get("/doc/shapes", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert shapes_version(shape_files()) in text
    assert "<code>cks:InspectionReportShape</code>" in text
    assert "sh:targetClass carekg:JointInspection" in text
    shape = client.get("/shapes/InspectionReportShape", headers={"Accept": "text/html"})
    assert shape.status_code == 303
    assert shape.headers["Location"] == "http://localhost/doc/shapes"
    unknown = client.get("/shapes/NoSuchShape", headers={"Accept": "text/html"})
    assert unknown.status_code == 404 and unknown.mimetype == "text/html"


def test_the_dataset_description_and_the_report_page_link_the_shapes(
    description: rdflib.Graph, client: FlaskClient
) -> None:
    assert (DATASET, DCT.conformsTo, SHAPES) in description  # the report says it conforms
    assert (DATASET, rdflib.RDFS.seeAlso, rdflib.URIRef("http://localhost/shapes")) in description
    page = client.get("/validation", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<a href="/shapes">' in page


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
