"""The SPARQL 1.1 Service Description of the endpoint, as RDF quads in the default graph.

Besides the language, formats and dataset, it links the example queries (``rdfs:seeAlso`` the list at
/queries; each one described with its text, runnable on this endpoint) and the link sets of the default
graph to statistics.gov.scot and Wikidata (``void:subset`` of the default graph's description, the same
void:Linkset resources, with the same IRIs and counts, as the VoID).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ...dataset.linksets import Linkset, linkset_iri, linkset_triples, linksets
from ...rdf.formats import RDF_GRAPH_FORMATS, RESULT_FORMATS
from ...rdf.namespaces import DATASET_PATH, RDFS, SD, VOID
from ...sparql.example_descriptions import example_triples, queries_list_url
from ...sparql.examples import ExampleQuery
from ...store.protocol import Store

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
SIMPLE_ENTAILMENT = ox.NamedNode("http://www.w3.org/ns/entailment/Simple")


def sd(term: str) -> ox.NamedNode:
    return ox.NamedNode(SD + term)


GraphSizes = tuple[int, dict[str, int]]


def graph_sizes(store: Store) -> GraphSizes:
    """Triples in the (union) default graph, and in each named graph."""
    total = store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    per_graph = store.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(total, ox.QuerySolutions) and isinstance(per_graph, ox.QuerySolutions)
    default_size = int(next(iter(total))["n"].value)  # type: ignore[union-attr]
    sizes = {
        row["g"].value: int(row["n"].value)  # type: ignore[union-attr]
        for row in per_graph
        if isinstance(row["g"], ox.NamedNode)
    }
    return default_size, sizes


class GraphSizesCache:
    """The graph sizes of the store version last asked about (counting scans the whole store).

    Safe to share between threads: the entry is replaced whole, by one assignment."""

    def __init__(self) -> None:
        self._latest: tuple[str, GraphSizes] | None = None

    def sizes(self, store: Store) -> GraphSizes:
        latest = self._latest  # read once: another request may replace it meanwhile
        if latest is not None and latest[0] == store.version:
            return latest[1]
        sizes = graph_sizes(store)
        self._latest = (store.version, sizes)
        return sizes


class LinksetCache:
    """The link sets of the store version and base IRI last asked about (counting scans the store).

    Safe to share between threads: the entry is replaced whole, by one assignment."""

    def __init__(self) -> None:
        self._latest: tuple[tuple[str, str], list[Linkset]] | None = None

    def linksets(self, store: Store, base: str) -> list[Linkset]:
        latest = self._latest
        key = (store.version, base)
        if latest is not None and latest[0] == key:
            return latest[1]
        found = linksets(store, base)
        self._latest = (key, found)
        return found


@dataclass(frozen=True)
class Discovery:
    """What the description links besides the service itself: the example queries (with ``url_for``
    turning a server path into an absolute URL) and the link sets of the data under ``base``."""

    base: str
    url_for: Callable[[str], str]
    examples: Sequence[ExampleQuery]
    linkset_cache: LinksetCache | None = None


def service_description(
    endpoint: str,
    store: Store,
    federation: bool,
    sizes_cache: GraphSizesCache | None = None,
    discovery: Discovery | None = None,
) -> list[ox.Quad]:
    """Describe the endpoint at ``endpoint``: language, formats, features and dataset; with
    ``discovery``, also the example queries and the link sets."""
    service = ox.NamedNode(endpoint)
    quads: list[ox.Quad] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        quads.append(ox.Quad(s, p, o))

    add(service, RDF_TYPE, sd("Service"))
    add(service, DCT_TITLE, ox.Literal("carekg SPARQL 1.1 endpoint (read-only)", language="en"))
    add(service, sd("endpoint"), service)
    add(service, sd("supportedLanguage"), sd("SPARQL11Query"))
    for media_type in (*RESULT_FORMATS, *RDF_GRAPH_FORMATS):
        if media_type.format_iri:
            add(service, sd("resultFormat"), ox.NamedNode(media_type.format_iri))
    add(service, sd("feature"), sd("UnionDefaultGraph"))
    if federation:
        add(service, sd("feature"), sd("BasicFederatedQuery"))
    add(service, sd("defaultEntailmentRegime"), SIMPLE_ENTAILMENT)

    default_size, sizes = (sizes_cache or GraphSizesCache()).sizes(store)
    dataset, default_graph = ox.BlankNode(), ox.BlankNode()
    add(service, sd("defaultDataset"), dataset)
    add(dataset, RDF_TYPE, sd("Dataset"))
    add(dataset, sd("defaultGraph"), default_graph)
    add(default_graph, RDF_TYPE, sd("Graph"))
    add(
        default_graph,
        ox.NamedNode(VOID + "triples"),
        ox.Literal(str(default_size), datatype=XSD_INTEGER),
    )
    for name in store.named_graphs():
        named, graph = ox.BlankNode(), ox.BlankNode()
        add(dataset, sd("namedGraph"), named)
        add(named, RDF_TYPE, sd("NamedGraph"))
        add(named, sd("name"), ox.NamedNode(name))
        add(named, sd("graph"), graph)
        add(graph, RDF_TYPE, sd("Graph"))
        size = sizes.get(name, 0)
        add(graph, ox.NamedNode(VOID + "triples"), ox.Literal(str(size), datatype=XSD_INTEGER))
    if discovery is not None:
        found = (discovery.linkset_cache or LinksetCache()).linksets(store, discovery.base)
        dataset_iri = discovery.base + DATASET_PATH
        for linkset in found:
            add(
                default_graph,
                ox.NamedNode(VOID.subset),
                ox.NamedNode(linkset_iri(dataset_iri, linkset)),
            )
        statements = linkset_triples(dataset_iri, found)
        add(service, ox.NamedNode(RDFS.seeAlso), ox.NamedNode(queries_list_url(discovery.url_for)))
        statements += example_triples(discovery.examples, discovery.url_for, endpoint)
        quads.extend(ox.Quad(t.subject, t.predicate, t.object) for t in statements)
    return quads
