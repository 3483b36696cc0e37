"""The SHACL validation report of the served data, published as RDF at /validation.

Validation runs once per dataset version (pySHACL on the in-memory union, see carekg.validation). The
report's blank nodes get IRIs under the report's own URL, derived from rdflib's canonical labelling so that
the same data always gives the same IRIs.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox
import rdflib
from rdflib.compare import to_canonical_graph

from ..store import Store
from ..validation import load_shapes, shape_files, union_graph, validate
from .describe import Term
from .memo import memoized
from .void import DCT, RDF, XSD, UrlFor, dataset_iri

PROV = "http://www.w3.org/ns/prov#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Validation:
    conforms: bool
    report: rdflib.Graph
    shapes_version: str
    validated_at: datetime
    violations: int


def validation_of(store: Store) -> Validation:
    """The validation of ``store``'s data against the bundled shapes, computed once per version."""
    return memoized(store, "validation", lambda: _validate(store))


def shapes_version() -> str:
    """A fingerprint of the bundled shapes files (their names and bytes)."""
    digest = hashlib.sha256()
    for name, data in shape_files():
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:16]


def report_triples(store: Store, base: str, url_for: UrlFor) -> list[ox.Triple]:
    validation = validation_of(store)
    report_url = url_for("/validation")
    report = ox.NamedNode(report_url + "#report")
    shapes = ox.NamedNode(report_url + "#shapes")
    out = _skolemized(validation.report, report_url, report)
    out += [
        _t(report, RDFS + "label", ox.Literal("SHACL validation report of carekg", language="en")),
        _t(report, DCT + "created", ox.Literal(
            validation.validated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            datatype=ox.NamedNode(XSD + "dateTime"))),
        _t(report, PROV + "used", ox.NamedNode(dataset_iri(base))),
        _t(report, PROV + "used", shapes),
        _t(report, DCT + "conformsTo", shapes),
        _t(shapes, RDF + "type", ox.NamedNode(PROV + "Entity")),
        _t(shapes, RDFS + "label", ox.Literal("carekg SHACL shapes", language="en")),
        _t(shapes, OWL + "versionInfo", ox.Literal(validation.shapes_version)),
        _t(ox.NamedNode(dataset_iri(base)), "http://www.w3.org/ns/dqv#hasQualityMetadata",
           ox.NamedNode(report_url)),
    ]  # fmt: skip
    return out


def _validate(store: Store) -> Validation:
    outcome = validate(union_graph(store.quads()), shapes=load_shapes())
    return Validation(
        conforms=outcome.conforms,
        report=outcome.report_graph,
        shapes_version=shapes_version(),
        validated_at=datetime.now(UTC),
        violations=len(outcome.results),
    )


def _skolemized(
    report: rdflib.Graph, report_url: str, report_node: ox.NamedNode
) -> list[ox.Triple]:
    canonical = to_canonical_graph(report)
    reports = {s for s in canonical.subjects(rdflib.RDF.type, rdflib.SH.ValidationReport)}

    def term(node: rdflib.term.Node) -> ox.NamedNode | ox.Literal:
        if isinstance(node, rdflib.BNode):
            if node in reports:
                return report_node
            return ox.NamedNode(f"{report_url}#node-{str(node)[:16]}")
        if isinstance(node, rdflib.URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, rdflib.Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype:
                return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
            return ox.Literal(str(node))
        raise TypeError(f"unexpected term in a SHACL report: {node!r}")

    triples = []
    for s, p, o in canonical:
        subject = term(s)
        assert isinstance(subject, ox.NamedNode)
        triples.append(ox.Triple(subject, ox.NamedNode(str(p)), term(o)))
    return triples


def _t(subject: ox.NamedNode, predicate: str, obj: Term) -> ox.Triple:
    return ox.Triple(subject, ox.NamedNode(predicate), obj)
