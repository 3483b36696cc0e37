"""VoID link sets: carekg's links to statistics.gov.scot and to Wikidata, counted from the data.

A link set is every distinct triple whose subject is a carekg IRI (under the base) and whose object is an
IRI of the target's URI space, one link set per target and link predicate (``owl:sameAs``,
``rdfs:seeAlso`` ...). Counts are of distinct triples in the union of the graphs, as the rest of the VoID
counts. A target the data never links to gets no link set. Every node has an IRI: link sets and the
targets are fragments of the dataset's IRI.
"""

import hashlib
from dataclasses import dataclass

import pyoxigraph as ox

from ..rdf.namespaces import DCT, FOAF, PREFIXES, RDF, RDFS, VOID, XSD
from ..store.protocol import Store


@dataclass(frozen=True)
class LinkTarget:
    slug: str  # names the target's node and its link sets: {dataset}#{slug}
    title: str
    homepage: str
    uri_spaces: tuple[str, ...]  # the IRIs of its resources start with one of these; the first is
    # the one the data uses, stated as its void:uriSpace


TARGETS = (
    LinkTarget(
        "statistics-gov-scot",
        "statistics.gov.scot",
        "http://statistics.gov.scot/",
        ("http://statistics.gov.scot/", "https://statistics.gov.scot/"),
    ),
    LinkTarget(
        "wikidata",
        "Wikidata",
        "https://www.wikidata.org/",
        ("http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/"),
    ),
)

LINKS_QUERY = """
SELECT ?p (COUNT(*) AS ?n) WHERE {
  { SELECT DISTINCT ?s ?p ?o WHERE {
      ?s ?p ?o .
      FILTER(isIRI(?o) && isIRI(?s) && STRSTARTS(STR(?s), BASE) && (OBJECT_FILTER))
  } }
}
GROUP BY ?p
ORDER BY ?p
"""


@dataclass(frozen=True)
class Linkset:
    target: LinkTarget
    predicate: str
    triples: int


def linksets(store: Store, base: str, targets: tuple[LinkTarget, ...] = TARGETS) -> list[Linkset]:
    """The link sets from carekg's IRIs (under ``base``) to each target, with their sizes."""
    found = []
    for target in targets:
        # str() of a Literal is its escaped N-Triples form, safe to put in a query.
        spaces = " || ".join(f"STRSTARTS(STR(?o), {ox.Literal(s)})" for s in target.uri_spaces)
        query = LINKS_QUERY.replace("BASE", str(ox.Literal(base))).replace("OBJECT_FILTER", spaces)
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        for row in result:
            predicate, count = row["p"], row["n"]
            if isinstance(predicate, ox.NamedNode) and isinstance(count, ox.Literal):
                found.append(Linkset(target, predicate.value, int(count.value)))
    return found


def linkset_iri(dataset: str, linkset: Linkset) -> str:
    return f"{dataset}#linkset-{linkset.target.slug}-{_slug(linkset.predicate)}"


def target_iri(dataset: str, target: LinkTarget) -> str:
    return f"{dataset}#{target.slug}"


def linkset_triples(dataset: str, found: list[Linkset]) -> list[ox.Triple]:
    """Each link set (a void:Linkset from ``dataset`` to its target) and each target it links to."""
    source = ox.NamedNode(dataset)
    out: list[ox.Triple] = []
    targets: dict[str, LinkTarget] = {}
    for linkset in found:
        node = ox.NamedNode(linkset_iri(dataset, linkset))
        target = ox.NamedNode(target_iri(dataset, linkset.target))
        targets[target.value] = linkset.target
        label = f"carekg's {_compact(linkset.predicate)} links to {linkset.target.title}"
        out += [
            _t(node, RDF.type, ox.NamedNode(VOID.Linkset)),
            _t(node, RDFS.label, ox.Literal(label, language="en")),
            _t(node, VOID.subjectsTarget, source),
            _t(node, VOID.objectsTarget, target),
            _t(node, VOID.target, source),
            _t(node, VOID.target, target),
            _t(node, VOID.linkPredicate, ox.NamedNode(linkset.predicate)),
            _t(node, VOID.triples, ox.Literal(str(linkset.triples), datatype=ox.NamedNode(XSD.integer))),
        ]  # fmt: skip
    for iri, linked in sorted(targets.items()):
        node = ox.NamedNode(iri)
        out += [
            _t(node, RDF.type, ox.NamedNode(VOID.Dataset)),
            _t(node, DCT.title, ox.Literal(linked.title)),
            _t(node, FOAF.homepage, ox.NamedNode(linked.homepage)),
            _t(node, VOID.uriSpace, ox.Literal(linked.uri_spaces[0])),
        ]
    return out


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _slug(iri: str) -> str:
    compact = _compact(iri)
    if compact != iri:
        return "".join(c if c.isalnum() else "-" for c in compact)
    return hashlib.sha256(iri.encode()).hexdigest()[:12]


def _t(subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(subject, ox.NamedNode(predicate), obj)
