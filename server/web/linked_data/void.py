"""VoID: the dataset's statistics, partitions, subsets (one per named graph), endpoint and dumps, its
link sets to statistics.gov.scot and Wikidata (subsets too, typed void:Linkset), and the example queries
(rdfs:seeAlso the list at /queries, each described as in carekg.sparql.example_descriptions).

Counts are of distinct triples in the union of the graphs (what the SPARQL endpoint's default graph
holds); each named graph's subset counts its own triples. Every node has an IRI (no blank nodes):
partitions are fragments of the dataset's IRI and a subset is named by its graph's IRI.
"""

import hashlib
from collections.abc import Callable

import pyoxigraph as ox

from ...dataset.dumps import FORMATS
from ...dataset.inference import INFERRED_GRAPH
from ...dataset.linksets import linkset_iri, linkset_triples, linksets
from ...dataset.statistics import Statistics, statistics
from ...rdf.formats import MediaType
from ...rdf.namespaces import BASE_IRI, DATASET_PATH, DCT, PREFIXES, RDF, RDFS, SD, VOID, XSD
from ...sparql.example_descriptions import example_triples, queries_list_url
from ...sparql.examples import example_queries
from ...store.built import BuiltStore
from ...store.protocol import Store
from .describe import Term

EXAMPLE_CLASSES = (
    "https://w3id.org/carekg/def/JointInspection",
    "https://w3id.org/carekg/def/InspectionReport",
    "https://w3id.org/carekg/def/Recommendation",
)

# Where dumps and the endpoint live on the server being browsed: path -> absolute URL.
UrlFor = Callable[[str], str]


def dataset_iri(base: str = BASE_IRI) -> str:
    return base + DATASET_PATH


def statistics_of(store: Store, graph: str | None = None) -> Statistics:
    """The statistics of the union (``graph`` None) or of one named graph: from the build's manifest,
    where the build computed them, else counted now."""
    if isinstance(store, BuiltStore):
        known = store.manifest.statistics.get(graph or "")
        if known is not None:
            return Statistics.from_dict(known)
    return statistics(q.triple for q in store.quads(graph))


def dump_path(rdf_format: MediaType, graph_slug: str | None = None, gz: bool = False) -> str:
    """The server path of a dump: the whole dataset, or the named graph ``graph_slug``."""
    name = f"graph/{graph_slug}" if graph_slug else "carekg"
    return f"/download/{name}.{rdf_format.extension}" + (".gz" if gz else "")


def format_iri(rdf_format: MediaType) -> ox.NamedNode:
    """The format's IRI in http://www.w3.org/ns/formats/ (every dump format has one)."""
    assert rdf_format.format_iri is not None
    return ox.NamedNode(rdf_format.format_iri)


def graph_slug(graph: str) -> str:
    """A short file name for a named graph: its stem for carekg's graphs, else a hash of its IRI."""
    carekg_graphs = BASE_IRI + "graph/"
    rest = graph[len(carekg_graphs) :] if graph.startswith(carekg_graphs) else ""
    if rest and all(c.isalnum() or c in "-_." for c in rest):
        return rest
    return "g-" + hashlib.sha256(graph.encode()).hexdigest()[:12]


def void_triples(store: Store, base: str, url_for: UrlFor) -> list[ox.Triple]:
    """The VoID description of the whole dataset and of each named graph."""
    dataset = ox.NamedNode(dataset_iri(base))
    stats = statistics_of(store)
    out: list[ox.Triple] = [
        _t(dataset, RDF + "type", ox.NamedNode(str(VOID.Dataset))),
        _t(dataset, str(VOID.sparqlEndpoint), ox.NamedNode(url_for("/sparql"))),
        _t(dataset, str(VOID.uriSpace), ox.Literal(base + "id/")),
        _t(dataset, str(VOID.rootResource), ox.NamedNode(base + "def")),
    ]
    out.extend(_counts(dataset, stats))
    out.extend(_partitions(dataset, stats))
    for rdf_format in FORMATS:
        out.append(_t(dataset, str(VOID.dataDump), ox.NamedNode(url_for(dump_path(rdf_format)))))
        out.append(_t(dataset, str(VOID.feature), format_iri(rdf_format)))
    for namespace in sorted(_vocabularies(stats)):
        out.append(_t(dataset, str(VOID.vocabulary), ox.NamedNode(namespace)))
    for example in _examples(store):
        out.append(_t(dataset, str(VOID.exampleResource), example))
    for graph in store.named_graphs():
        out.append(_t(dataset, str(VOID.subset), ox.NamedNode(graph)))
        out.extend(subset_triples(store, graph, url_for))
    found = linksets(store, base)
    for linkset in found:
        out.append(_t(dataset, str(VOID.subset), ox.NamedNode(linkset_iri(dataset.value, linkset))))
    out.extend(linkset_triples(dataset.value, found))
    out.append(_t(dataset, str(RDFS.seeAlso), ox.NamedNode(queries_list_url(url_for))))
    out.extend(example_triples(example_queries(), url_for, url_for("/sparql")))
    return out


def subset_triples(store: Store, graph: str, url_for: UrlFor) -> list[ox.Triple]:
    """The VoID description of one named graph, a subset of the dataset."""
    node = ox.NamedNode(graph)
    stats = statistics_of(store, graph)
    out = [
        _t(node, RDF + "type", ox.NamedNode(str(VOID.Dataset))),
        _t(node, SD + "name", node),
        _t(node, "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal(
            f"named graph {graph_slug(graph)}", language="en")),
    ]  # fmt: skip
    if graph == INFERRED_GRAPH:
        out.append(_t(node, DCT + "description", ox.Literal(
            "Entailed, not asserted: what RDFS rules 7 (sub-properties) and 9 (subclasses) give from "
            "carekg's and the reused vocabularies' hierarchies, only triples asserted in no other "
            "graph. /sparql/asserted leaves it out.", language="en")))  # fmt: skip
    out.extend(_counts(node, stats))
    for rdf_format in FORMATS:
        url = url_for(dump_path(rdf_format, graph_slug(graph)))
        out.append(_t(node, str(VOID.dataDump), ox.NamedNode(url)))
    return out


def _counts(node: ox.NamedNode, stats: Statistics) -> list[ox.Triple]:
    return [
        _t(node, str(VOID.triples), _integer(stats.triples)),
        _t(node, str(VOID.distinctSubjects), _integer(stats.distinct_subjects)),
        _t(node, str(VOID.distinctObjects), _integer(stats.distinct_objects)),
        _t(node, str(VOID.properties), _integer(len(stats.triples_by_property))),
        _t(node, str(VOID.classes), _integer(len(stats.entities_by_class))),
    ]


def _partitions(dataset: ox.NamedNode, stats: Statistics) -> list[ox.Triple]:
    out = []
    for cls, entities in sorted(stats.entities_by_class.items()):
        part = ox.NamedNode(f"{dataset.value}#class-{_fragment(cls)}")
        out += [
            _t(dataset, str(VOID.classPartition), part),
            _t(part, RDF + "type", ox.NamedNode(str(VOID.Dataset))),
            _t(part, str(VOID["class"]), ox.NamedNode(cls)),
            _t(part, str(VOID.entities), _integer(entities)),
        ]
    for prop, triples in sorted(stats.triples_by_property.items()):
        part = ox.NamedNode(f"{dataset.value}#property-{_fragment(prop)}")
        out += [
            _t(dataset, str(VOID.propertyPartition), part),
            _t(part, RDF + "type", ox.NamedNode(str(VOID.Dataset))),
            _t(part, str(VOID.property), ox.NamedNode(prop)),
            _t(part, str(VOID.triples), _integer(triples)),
        ]
    return out


def _fragment(iri: str) -> str:
    """A readable fragment for a term: ``carekg-JointInspection``; a hash when it has no prefix."""
    for prefix, namespace in PREFIXES.items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and all(c.isalnum() or c in "-_" for c in local):
            return f"{prefix}-{local}"
    return hashlib.sha256(iri.encode()).hexdigest()[:12]


def _vocabularies(stats: Statistics) -> set[str]:
    terms = set(stats.triples_by_property) | set(stats.entities_by_class)
    namespaces = set()
    for term in terms:
        cut = max(term.rfind("#"), term.rfind("/"))
        if cut > 0:
            namespaces.add(term[: cut + 1])
    return namespaces


def _examples(store: Store) -> list[ox.NamedNode]:
    examples = []
    for cls in EXAMPLE_CLASSES:
        subjects = sorted(
            (q.subject for q in store.quads(predicate=ox.NamedNode(RDF + "type"),
                                            object=ox.NamedNode(cls))),
            key=str,
        )  # fmt: skip
        if subjects and isinstance(subjects[0], ox.NamedNode):
            examples.append(subjects[0])
    return examples


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def _t(subject: ox.NamedNode, predicate: str, obj: Term) -> ox.Triple:
    return ox.Triple(subject, ox.NamedNode(predicate), obj)
