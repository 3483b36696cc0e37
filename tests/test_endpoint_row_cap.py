"""The row cap truncates long results and says so: headers always, a comment where the format has one."""

import io
import json

import pytest
import rdflib
from endpoint_data import small_store
from flask.testing import FlaskClient
from rdflib.query import Result

from carekg.config import Config
from carekg.web.app import create_app

ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
ALL_ROWS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"  # 6 rows in the union graph


@pytest.fixture
def capped_client() -> FlaskClient:
    return create_app(Config(max_rows=4), store=small_store()).test_client()


def test_select_is_truncated_and_announced(capped_client: FlaskClient) -> None:
    response = capped_client.get("/sparql", query_string={"query": ALL_ROWS})
    assert response.headers["X-Carekg-Row-Cap"] == "4"
    assert response.headers["X-Carekg-Truncated"] == "true"
    result = Result.parse(io.BytesIO(response.data), format="json")
    assert len(list(result)) == 4


def test_xml_results_carry_a_comment_when_truncated(capped_client: FlaskClient) -> None:
    response = capped_client.get("/sparql", query_string={"query": ALL_ROWS, "format": "xml"})
    assert b"<!-- carekg: results truncated to the first 4 solutions" in response.data
    assert len(list(Result.parse(io.BytesIO(response.data), format="xml"))) == 4


@pytest.mark.parametrize(
    "format_name, parser", [("turtle", "turtle"), ("nt", "nt"), ("nq", "nquads"), ("trig", "trig")]
)
def test_graph_formats_with_comments_say_so_in_the_document(
    capped_client: FlaskClient, format_name: str, parser: str
) -> None:
    response = capped_client.get(
        "/sparql", query_string={"query": ALL_TRIPLES, "format": format_name}
    )
    assert response.headers["X-Carekg-Truncated"] == "true"
    assert response.data.startswith(b"# carekg: results truncated to the first 4 triples")
    dataset = rdflib.Dataset()
    dataset.parse(data=response.data, format=parser)
    assert len(set(dataset.triples((None, None, None)))) == 4


def test_results_within_the_cap_are_not_marked(capped_client: FlaskClient) -> None:
    response = capped_client.get(
        "/sparql",
        query_string={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 4", "format": "tsv"},
    )
    assert response.headers["X-Carekg-Truncated"] == "false"
    assert len(response.get_data(as_text=True).strip().splitlines()) == 5  # header + 4 rows


def test_unbound_and_blank_node_cells_survive_the_cap(capped_client: FlaskClient) -> None:
    query = (
        "SELECT ?b ?unbound WHERE { BIND(BNODE() AS ?b) OPTIONAL { ?x <http://nothing> ?unbound } }"
    )
    response = capped_client.get("/sparql", query_string={"query": query})
    rows = list(Result.parse(io.BytesIO(response.data), format="json"))
    assert len(rows) == 1
    assert isinstance(rows[0][0], rdflib.BNode)  # type: ignore[index]
    assert rows[0][1] is None  # type: ignore[index]


def test_triple_terms_survive_the_capped_results_path(capped_client: FlaskClient) -> None:
    query = 'SELECT ?t WHERE { BIND(<<( <http://e/a> <http://e/b> "c"@en )>> AS ?t) }'
    response = capped_client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200
    cell = json.loads(response.data)["results"]["bindings"][0]["t"]
    assert cell["type"] == "triple"
    assert cell["value"]["object"] == {"type": "literal", "value": "c", "xml:lang": "en"}
