"""Real SPARQL clients against a real `carekg serve` on a loopback port, serving the built-in graph.

SPARQLWrapper sends what it sends in the field (its own Accept headers plus ``format``/``output``/``results``
parameters, repeated for some formats), and rdflib's SPARQLStore queries through rdflib's Graph API; both
must get the right answers from carekg's data: ten recommendations, the grade counts of the six-point scale.
"""

from collections.abc import Iterable
from urllib.error import HTTPError
from xml.dom.minidom import Document, Element, Text

import pytest
from expected import GRADE_COUNTS
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from rdflib.query import ResultRow
from rdflib.term import Node
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SmartWrapper import Bindings, SPARQLWrapper2

from carekg.namespaces import GRAPH_BASE
from carekg.sources import bundled_data_files

CAREKG = Namespace("https://w3id.org/carekg/def/")
SCHEMA = Namespace("https://schema.org/")
RECOMMENDATION = Namespace("https://w3id.org/carekg/id/recommendation/south-lanarkshire-2014/")
PARTNERSHIP = URIRef(
    "https://w3id.org/carekg/id/organisation/south-lanarkshire-community-planning-partnership"
)
BOARD = URIRef("https://w3id.org/carekg/id/organisation/girfec-south-lanarkshire-childrens-board")

# Every query is about the South Lanarkshire 2014 inspection, whatever other reports the graph holds.
PREFIXES = """PREFIX carekg: <https://w3id.org/carekg/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX inspection: <https://w3id.org/carekg/id/inspection/>
"""
COUNT_RECOMMENDATIONS = (
    PREFIXES
    + """SELECT (COUNT(?r) AS ?n) WHERE {
  ?r a carekg:Recommendation ; prov:wasGeneratedBy inspection:south-lanarkshire-2014 }"""
)
GRADE_COUNTS_QUERY = (
    PREFIXES
    + """SELECT ?grade ?count WHERE {
  ?observation carekg:inspection inspection:south-lanarkshire-2014 ;
    carekg:grade ?concept ; carekg:indicatorCount ?count .
  ?concept skos:prefLabel ?grade .
  FILTER(LANG(?grade) = "en")
}"""
)
ASK_CARE_LEAVERS = (
    PREFIXES
    + """ASK { ?r a carekg:Recommendation ; schema:text ?text ;
    prov:wasGeneratedBy inspection:south-lanarkshire-2014 .
  FILTER(CONTAINS(?text, "care leavers")) }"""
)
ASK_NOTHING = PREFIXES + 'ASK { ?r a carekg:Recommendation ; schema:text "no such text"@en }'
CONSTRUCT_ADDRESSEES = (
    PREFIXES
    + """CONSTRUCT { ?r carekg:addressedTo ?addressee }
WHERE { ?r a carekg:Recommendation ; carekg:addressedTo ?addressee ;
    prov:wasGeneratedBy inspection:south-lanarkshire-2014 }"""
)
# Only recommendation 6's sentence names its bodies, the partnership and the children's board; the others'
# bodies are carekg's reading (carekg:addresseeAsRead) or unstated (issue 8).
EXPECTED_ADDRESSEES = {
    (RECOMMENDATION["6"], CAREKG.addressedTo, addressee) for addressee in (PARTNERSHIP, BOARD)
}

METHODS = {"GET": (GET, None), "POST form": (POST, None), "POST direct": (POST, POSTDIRECTLY)}


@pytest.fixture(scope="module")
def endpoint_url(live_server: str) -> str:
    return live_server + "/sparql"


def _wrapper(
    endpoint_url: str, query: str, return_format: str, method: str, only_conneg: bool = False
) -> SPARQLWrapper:
    http_method, request_method = METHODS[method]
    wrapper = SPARQLWrapper(endpoint_url)
    wrapper.setOnlyConneg(only_conneg)  # False (the default): format/output/results parameters too
    wrapper.setQuery(query)
    wrapper.setReturnFormat(return_format)
    wrapper.setMethod(http_method)
    if request_method is not None:
        wrapper.setRequestMethod(request_method)
    return wrapper


def _this_reports(nodes: Iterable[Node]) -> set[Node]:
    """The South Lanarkshire 2014 report's own resources among ``nodes``."""
    return {node for node in nodes if str(node).startswith(str(RECOMMENDATION))}


def _row_values(bindings: list[dict[str, dict[str, str]]], name: str) -> list[str]:
    return [row[name]["value"] for row in bindings]


def _text(element: Element) -> str:
    return "".join(child.data for child in element.childNodes if isinstance(child, Text))


def _xml_document(converted: object) -> Document:
    assert isinstance(converted, Document), type(converted)
    assert converted.documentElement is not None
    assert converted.documentElement.namespaceURI == "http://www.w3.org/2005/sparql-results#"
    return converted


def _binding_texts(result: Element) -> dict[str, str]:
    """name -> lexical value of each <binding> of one SPARQL XML <result>."""
    values = {}
    for binding in result.getElementsByTagName("binding"):
        term = next(child for child in binding.childNodes if isinstance(child, Element))
        values[binding.getAttribute("name")] = _text(term)
    return values


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_counts_nine_recommendations_in_json(endpoint_url: str, method: str) -> None:
    result = _wrapper(endpoint_url, COUNT_RECOMMENDATIONS, JSON, method).query().convert()
    assert isinstance(result, dict)
    assert result["head"]["vars"] == ["n"]
    assert _row_values(result["results"]["bindings"], "n") == ["9"]


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_reads_the_grade_counts_in_xml(endpoint_url: str, method: str) -> None:
    document = _xml_document(
        _wrapper(endpoint_url, GRADE_COUNTS_QUERY, XML, method).query().convert()
    )
    counts = {}
    for result in document.getElementsByTagName("result"):
        values = _binding_texts(result)
        counts[values["grade"]] = int(values["count"])
    assert counts == GRADE_COUNTS


@pytest.mark.slow
@pytest.mark.parametrize("return_format", [CSV, TSV])
def test_sparqlwrapper_reads_the_grade_counts_as_csv_and_tsv(
    endpoint_url: str, return_format: str
) -> None:
    body = _wrapper(endpoint_url, GRADE_COUNTS_QUERY, return_format, "GET").query().convert()
    assert isinstance(body, bytes)
    separator = "," if return_format == CSV else "\t"
    lines = body.decode("utf-8").strip().splitlines()
    assert lines[0].split(separator) == (
        ["grade", "count"] if return_format == CSV else ["?grade", "?count"]
    )
    counts = {}
    for line in lines[1:]:
        grade, count = line.split(separator)
        if return_format == TSV:  # TSV keeps RDF term syntax: "good"@en and 4
            grade = grade.removesuffix("@en").strip('"')
            count = count.split("^^")[0].strip('"')
        counts[grade] = int(count)
    assert counts == GRADE_COUNTS


@pytest.mark.slow
@pytest.mark.parametrize("return_format", [JSON, XML])
@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_asks(endpoint_url: str, return_format: str, method: str) -> None:
    for query, expected in ((ASK_CARE_LEAVERS, True), (ASK_NOTHING, False)):
        result = _wrapper(endpoint_url, query, return_format, method).query().convert()
        if return_format == JSON:
            assert isinstance(result, dict)
            assert result["boolean"] is expected
        else:
            document = _xml_document(result)
            text = _text(document.getElementsByTagName("boolean")[0])
            assert text == ("true" if expected else "false")


@pytest.mark.slow
@pytest.mark.parametrize("return_format", [TURTLE, RDFXML, XML, JSONLD])
@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_constructs_the_addressees(
    endpoint_url: str, return_format: str, method: str
) -> None:
    wrapper = _wrapper(endpoint_url, CONSTRUCT_ADDRESSEES, return_format, method)
    assert set(_converted_graph(wrapper)) == EXPECTED_ADDRESSEES


@pytest.mark.slow
@pytest.mark.parametrize("return_format", [TURTLE, RDFXML, JSONLD, JSON, XML])
def test_sparqlwrapper_by_accept_header_alone(endpoint_url: str, return_format: str) -> None:
    """With only content negotiation (no format parameter) the Accept header decides."""
    if return_format in (JSON, XML):
        wrapper = _wrapper(endpoint_url, COUNT_RECOMMENDATIONS, return_format, "GET", True)
        if return_format == JSON:
            result = wrapper.query().convert()
            assert isinstance(result, dict)
            assert _row_values(result["results"]["bindings"], "n") == ["9"]
        else:
            document = _xml_document(wrapper.query().convert())
            assert _binding_texts(document.getElementsByTagName("result")[0]) == {"n": "9"}
        return
    wrapper = _wrapper(endpoint_url, CONSTRUCT_ADDRESSEES, return_format, "GET", True)
    assert set(_converted_graph(wrapper)) == EXPECTED_ADDRESSEES


def _converted_graph(wrapper: SPARQLWrapper) -> Graph:
    result = wrapper.query().convert()
    if isinstance(result, bytes):  # Turtle comes back as the document itself
        return Graph().parse(data=result, format="turtle")
    assert isinstance(result, Graph)
    return result


@pytest.mark.slow
def test_sparqlwrapper_describes_a_recommendation(endpoint_url: str) -> None:
    query = f"DESCRIBE <{RECOMMENDATION['3']}>"
    result = _wrapper(endpoint_url, query, TURTLE, "GET").query().convert()
    assert isinstance(result, bytes)
    graph = Graph().parse(data=result, format="turtle")
    assert (RECOMMENDATION["3"], RDF.type, CAREKG.Recommendation) in graph
    texts = list(graph.objects(RECOMMENDATION["3"], SCHEMA.text))
    assert texts == [
        Literal(
            "They should pay particular attention to improving support for care leavers.", lang="en"
        )
    ]


@pytest.mark.slow
def test_sparqlwrapper_smart_wrapper_reads_typed_values(endpoint_url: str) -> None:
    wrapper = SPARQLWrapper2(endpoint_url)
    wrapper.setQuery(GRADE_COUNTS_QUERY)
    result = wrapper.query()
    assert isinstance(result, Bindings)
    bindings = result.bindings
    counts = {row["grade"].value: int(row["count"].value) for row in bindings}
    assert counts == GRADE_COUNTS
    # The data types the counts xsd:nonNegativeInteger, but Oxigraph stores every type derived from
    # xsd:integer as xsd:integer (as Fuseki's TDB and others do), so a client may see either.
    assert {row["count"].datatype for row in bindings} <= {
        "http://www.w3.org/2001/XMLSchema#integer",
        "http://www.w3.org/2001/XMLSchema#nonNegativeInteger",
    }


@pytest.mark.slow
@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_queries_the_grade_counts(endpoint_url: str, method: str) -> None:
    graph = Graph(store=SPARQLStore(endpoint_url, method=method))
    counts = {}
    for row in graph.query(GRADE_COUNTS_QUERY):
        assert isinstance(row, ResultRow)
        assert isinstance(row["count"], Literal)
        counts[str(row["grade"])] = row["count"].toPython()
    assert counts == GRADE_COUNTS


@pytest.mark.slow
def test_rdflib_sparqlstore_matches_triple_patterns(endpoint_url: str) -> None:
    graph = Graph(store=SPARQLStore(endpoint_url))
    recommendations = _this_reports(graph.subjects(RDF.type, CAREKG.Recommendation))
    assert recommendations == {RECOMMENDATION[str(n)] for n in range(2, 11)}
    assert set(graph.objects(RECOMMENDATION["6"], CAREKG.addressedTo)) == {PARTNERSHIP, BOARD}
    assert graph.query(ASK_CARE_LEAVERS).askAnswer is True


@pytest.mark.slow
def test_rdflib_sparqlupdatestore_update_is_refused_and_changes_nothing(endpoint_url: str) -> None:
    store = SPARQLUpdateStore(query_endpoint=endpoint_url, update_endpoint=endpoint_url)
    with pytest.raises(HTTPError) as refused:
        store.update(f"INSERT DATA {{ <{RECOMMENDATION['11']}> a carekg:Recommendation }}")
    assert refused.value.code in (403, 405)
    graph = Graph(store=SPARQLStore(endpoint_url))
    assert len(_this_reports(graph.subjects(RDF.type, CAREKG.Recommendation))) == 9


@pytest.mark.slow
def test_sparqlwrapper_update_is_refused(endpoint_url: str) -> None:
    wrapper = SPARQLWrapper(endpoint_url)
    wrapper.setMethod(POST)
    wrapper.setQuery(f"DELETE WHERE {{ <{RECOMMENDATION['1']}> ?p ?o }}")
    with pytest.raises(HTTPError) as refused:
        wrapper.query()
    assert refused.value.code in (403, 405)


@pytest.mark.slow
def test_sparqlwrapper_sends_a_query_over_8_kb_by_get(endpoint_url: str) -> None:
    """A long VALUES list (recommendations 1-200, of which 2-10 exist) makes a GET request line > 8 KB."""
    candidates = " ".join(f"<{RECOMMENDATION[str(n)]}>" for n in range(1, 201))
    query = (
        PREFIXES
        + f"SELECT (COUNT(?r) AS ?n) WHERE {{ VALUES ?r {{ {candidates} }} ?r a carekg:Recommendation }}"
    )
    assert len(query.encode()) > 8 * 1024
    wrapper = _wrapper(endpoint_url, query, JSON, "GET")
    result = wrapper.query().convert()
    assert isinstance(result, dict)
    assert _row_values(result["results"]["bindings"], "n") == ["9"]


@pytest.mark.slow
def test_rdflib_sparqlstore_sees_one_named_graph_per_bundled_file(endpoint_url: str) -> None:
    store = SPARQLStore(endpoint_url)
    graph_names = {str(name) for name in store.contexts()}
    assert graph_names == {str(file.graph_iri) for file in bundled_data_files()}
    # A graph's triples are asked for with GRAPH <name> { ... }.
    report = Graph(store=store, identifier=URIRef(GRAPH_BASE + "south-lanarkshire-2014"))
    ontology = Graph(store=store, identifier=URIRef(GRAPH_BASE + "ontology"))
    assert len(set(report.subjects(RDF.type, CAREKG.Recommendation))) == 9
    assert set(ontology.subjects(RDF.type, CAREKG.Recommendation)) == set()
    assert (CAREKG.Recommendation, RDF.type, OWL.Class) in ontology
