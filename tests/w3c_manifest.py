"""Read the W3C SPARQL 1.1 Protocol manifest (tests/w3c/protocol/manifest.ttl) into plain test cases.

Each case is a list of HTTP requests (method, path, headers, body in its stated character encoding) with the
response the manifest expects. Nothing is hand-copied from the manifest: the tests run what it says.
"""

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

W3C_DIR = Path(__file__).resolve().parent / "w3c"
PROTOCOL_MANIFEST = W3C_DIR / "protocol" / "manifest.ttl"
SERVICE_DESCRIPTION_MANIFEST = W3C_DIR / "service-description" / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

# The manifest says every ht:absolutePath starts with /sparql/, to be replaced by the endpoint's own path.
MANIFEST_PATH_PREFIX = "/sparql/"


@dataclass(frozen=True)
class ExpectedResponse:
    status_classes: frozenset[str]  # "2xx", "3xx", "4xx"
    result_format: str | None  # "boolean", "tabular" or "RDF"
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    absolute_path: str  # as written in the manifest, starting with /sparql/
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expected: ExpectedResponse

    def path_on(self, endpoint_path: str) -> str:
        """The request path with the manifest's /sparql/ prefix replaced by ``endpoint_path``."""
        if not self.absolute_path.startswith(MANIFEST_PATH_PREFIX):
            raise ValueError(f"manifest path {self.absolute_path!r} does not start with /sparql/")
        rest = self.absolute_path.removeprefix(MANIFEST_PATH_PREFIX)
        return endpoint_path + rest


@dataclass(frozen=True)
class ProtocolCase:
    name: str  # the local name in the manifest, e.g. "query_post_form"
    title: str  # mf:name
    requests: tuple[ProtocolRequest, ...]
    graph_data: tuple[tuple[str, str], ...]  # (data file name, graph IRI)


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node:
    values = list(graph.objects(subject, predicate))
    if len(values) != 1:
        raise ValueError(f"{subject}: expected one {predicate}, found {len(values)}")
    return values[0]


def _optional(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    values = list(graph.objects(subject, predicate))
    if len(values) > 1:
        raise ValueError(f"{subject}: more than one {predicate}")
    return values[0] if values else None


def _status_class(node: Node) -> str:
    name = str(node).removeprefix(str(HTS)).removeprefix("StatusCode")
    if name not in ("2xx", "3xx", "4xx", "5xx"):
        raise ValueError(f"unknown expected status {node}")
    return name


def _read_body(graph: Graph, request: Node) -> bytes | None:
    body = _optional(graph, request, HT.body)
    if body is None:
        return None
    chars = str(_one(graph, body, CNT.chars))
    encoding = str(_one(graph, body, CNT.characterEncoding))
    return chars.encode(encoding)


def _read_request(graph: Graph, request: Node) -> ProtocolRequest:
    headers: list[tuple[str, str]] = []
    header_list = _optional(graph, request, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers.append(
                (str(_one(graph, header, HT.fieldName)), str(_one(graph, header, HT.fieldValue)))
            )
    response = _one(graph, request, HT.resp)
    result_format = _optional(graph, response, MF.expectedFormat)
    boolean = _optional(graph, response, MF.expectedBoolean)
    expected = ExpectedResponse(
        status_classes=frozenset(
            _status_class(s) for s in graph.objects(response, MF.expectedStatus)
        ),
        result_format=None if result_format is None else str(result_format),
        boolean=boolean.toPython() if isinstance(boolean, Literal) else None,
    )
    return ProtocolRequest(
        method=str(_one(graph, request, HT.methodName)),
        absolute_path=str(_one(graph, request, HT.absolutePath)),
        headers=tuple(headers),
        body=_read_body(graph, request),
        expected=expected,
    )


def _local_name(node: Node) -> str:
    return str(node).rsplit("#", 1)[-1]


def read_protocol_cases(manifest: Path = PROTOCOL_MANIFEST) -> list[ProtocolCase]:
    """Every entry of the manifest, in manifest order."""
    graph = Graph().parse(manifest, format="turtle")
    manifest_node = next(graph.subjects(RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(graph, _one(graph, manifest_node, MF.entries)):
        action = _one(graph, entry, MF.action)
        requests = tuple(
            _read_request(graph, r) for r in Collection(graph, _one(graph, action, HT.requests))
        )
        graph_data = tuple(
            sorted(
                (Path(str(_one(graph, d, UT.graph))).name, str(_one(graph, d, RDFS.label)))
                for d in graph.objects(entry, UT.graphData)
            )
        )
        cases.append(
            ProtocolCase(
                name=_local_name(entry),
                title=str(_one(graph, entry, MF.name)),
                requests=requests,
                graph_data=graph_data,
            )
        )
    return cases


def read_service_description_case_names(manifest: Path = SERVICE_DESCRIPTION_MANIFEST) -> list[str]:
    graph = Graph().parse(manifest, format="turtle")
    manifest_node = next(graph.subjects(RDF.type, MF.Manifest))
    return [_local_name(e) for e in Collection(graph, _one(graph, manifest_node, MF.entries))]


def graph_data_of(cases: list[ProtocolCase]) -> dict[str, str]:
    """Every data file the cases load, with the graph IRI the manifest gives it (the same for all cases)."""
    graphs: dict[str, str] = {}
    for case in cases:
        for file_name, graph_iri in case.graph_data:
            if graphs.setdefault(file_name, graph_iri) != graph_iri:
                raise ValueError(f"{file_name} is loaded as {graphs[file_name]} and as {graph_iri}")
    return graphs


def write_protocol_dataset(target: Path, manifest: Path = PROTOCOL_MANIFEST) -> dict[str, str]:
    """Write the protocol cases' data as N-Quads, each file in its named graph; return file -> graph IRI."""
    graphs = graph_data_of(read_protocol_cases(manifest))
    quads = [
        ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(graph_iri))
        for file_name, graph_iri in sorted(graphs.items())
        for triple in ox.parse(path=manifest.parent / file_name, format=ox.RdfFormat.N_TRIPLES)
    ]
    ox.serialize(quads, output=target, format=ox.RdfFormat.N_QUADS)
    return graphs
