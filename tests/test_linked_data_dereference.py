"""Dereferencing: 303 See Other from /id/, /def/ and /graph/ to /doc/, negotiated documents with Vary and
Content-Location, one URL per format, helpful 404s, the ontology IRI, and X-Forwarded-* honoured."""

import pytest
import rdflib
from flask.testing import FlaskClient

from carekg.config import Config
from carekg.store.embedded import EmbeddedStore
from carekg.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

INSPECTION = "/id/inspection/south-lanarkshire-2014"
INSPECTION_IRI = "https://w3id.org/carekg/id/inspection/south-lanarkshire-2014"
NEGOTIATED = [
    ("text/turtle", "text/turtle", "ttl", "turtle"),
    ("application/n-triples", "application/n-triples", "nt", "nt"),
    ("application/ld+json", "application/ld+json", "jsonld", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "rdf", "xml"),
    ("application/trig", "application/trig", "trig", "trig"),
    ("text/html", "text/html", "html", None),
]


def test_thing_iri_answers_303_to_its_document(client: FlaskClient) -> None:
    response = client.get(INSPECTION, headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/doc" + INSPECTION


@pytest.mark.parametrize(("accept", "mime", "extension", "parser"), NEGOTIATED)
def test_document_is_negotiated_with_vary_and_content_location(
    client: FlaskClient, accept: str, mime: str, extension: str, parser: str | None
) -> None:
    response = client.get(INSPECTION, headers={"Accept": accept}, follow_redirects=True)
    assert response.status_code == 200
    assert response.mimetype == mime
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Content-Location"] == f"/doc{INSPECTION}.{extension}"
    assert f"/doc{INSPECTION}." in response.headers["Link"]
    if parser is not None:
        dataset = rdflib.Dataset()  # a description is one graph: in the default graph of TriG
        dataset.parse(data=response.data, format=parser)
        assert any(dataset.quads((rdflib.URIRef(INSPECTION_IRI), None, None, None)))


def test_q_values_pick_the_preferred_format(client: FlaskClient) -> None:
    response = client.get(
        "/doc" + INSPECTION, headers={"Accept": "text/html;q=0.5, application/ld+json;q=0.9"}
    )
    assert response.mimetype == "application/ld+json"


def test_format_by_extension_url_is_not_negotiated(client: FlaskClient) -> None:
    response = client.get(f"/doc{INSPECTION}.ttl", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert "Content-Location" not in response.headers


def test_unacceptable_format_is_406_naming_what_is_available(client: FlaskClient) -> None:
    response = client.get("/doc" + INSPECTION, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert b"text/turtle" in response.data


def test_unknown_iri_gets_a_helpful_404_page(client: FlaskClient) -> None:
    response = client.get("/id/inspection/south-lanarkshire-2015", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'href="/id/inspection/south-lanarkshire-2014"' in page  # a similar IRI
    assert 'href="/inspections"' in page and 'href="/"' in page
    assert client.get("/doc/id/nothing/here.ttl").status_code == 404


def test_ontology_term_dereferences_like_a_thing(client: FlaskClient) -> None:
    response = client.get("/def/JointInspection", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/def/JointInspection")
    document = client.get("/doc/def/JointInspection.ttl")
    graph = rdflib.Graph().parse(data=document.data, format="turtle")
    term = rdflib.URIRef("https://w3id.org/carekg/def/JointInspection")
    assert (
        term,
        rdflib.RDFS.subClassOf,
        rdflib.URIRef("https://w3id.org/carekg/def/Inspection"),
    ) in graph


def test_ontology_iri_gives_documentation_or_the_whole_ontology(
    client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    assert client.get("/def").status_code == 303
    assert client.get("/def/").status_code == 303
    html = client.get("/doc/def", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert (
        "Classes" in html and "joint inspection" in html and 'href="/def/JointInspection"' in html
    )
    turtle = client.get("/doc/def", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.data, format="turtle")
    ontology_triples = sum(1 for _ in builtin_store.quads("https://w3id.org/carekg/graph/ontology"))
    assert len(graph) == ontology_triples


def test_named_graph_iri_dereferences_to_its_description(client: FlaskClient) -> None:
    response = client.get("/graph/south-lanarkshire-2014", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    document = client.get(response.headers["Location"], headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=document.data, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    subject = rdflib.URIRef("https://w3id.org/carekg/graph/south-lanarkshire-2014")
    assert graph.value(subject, void.triples) is not None


def test_dataset_iri_redirects_to_the_dataset_description(client: FlaskClient) -> None:
    response = client.get("/id/dataset/carekg")
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/.well-known/void"


def test_forwarded_headers_set_the_redirect_target(proxied_client: FlaskClient) -> None:
    response = proxied_client.get(
        INSPECTION,
        headers={
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "staging.example.org",
            "X-Forwarded-Prefix": "/carekg",
        },
    )
    assert response.headers["Location"] == "https://staging.example.org/carekg/doc" + INSPECTION


def test_forwarded_prefix_keeps_page_links_on_the_proxied_server(
    proxied_client: FlaskClient,
) -> None:
    page = proxied_client.get(
        "/doc" + INSPECTION, headers={"Accept": "text/html", "X-Forwarded-Prefix": "/carekg"}
    ).get_data(as_text=True)
    assert 'href="/carekg/id/organisation/care-inspectorate"' in page
    assert 'href="/id/organisation/care-inspectorate"' not in page


def test_forwarded_headers_are_ignored_by_default(client: FlaskClient) -> None:
    response = client.get(INSPECTION, headers={"X-Forwarded-Host": "evil.example"})
    assert response.headers["Location"] == "http://localhost/doc" + INSPECTION


def test_another_base_iri_maps_request_paths_to_its_iris(tmp_path: object) -> None:
    from pathlib import Path

    data = Path(str(tmp_path)) / "other.ttl"
    data.write_text(
        '<https://example.org/kg/id/thing> <http://www.w3.org/2000/01/rdf-schema#label> "a thing" .\n'
    )
    app = create_app(Config(data=(data,), base_iri="https://example.org/kg/"))
    client = app.test_client()
    assert client.get("/id/thing").status_code == 303
    turtle = client.get("/doc/id/thing.ttl")
    assert b"https://example.org/kg/id/thing" in turtle.data


@pytest.mark.parametrize(
    "path", ["/id/a%20b", "/doc/id/a%7Bb", "/def/a%20b", "/graph/a%20b", "/id/%25", "/shapes/a%7Bb"]
)
def test_a_path_that_is_no_valid_iri_is_not_found(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404
