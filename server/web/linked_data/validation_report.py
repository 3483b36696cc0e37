"""The SHACL validation report of the served data, published as RDF at /validation.

Validation runs once per store (pySHACL on the in-memory union, see carekg.validation), whichever app or
thread asks first; ``warm_caches`` asks before gunicorn forks its workers. Every part of the report is a
function of the store and the bundled shapes, so every worker serves the same bytes under one ETag: its
date (dct:created) is when the validated dataset version was built (``store.built_at``), not when a
process happened to run pySHACL, and its blank nodes get IRIs under the report's own URL, derived from
rdflib's canonical labelling.
"""

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox
import rdflib
from rdflib.compare import to_canonical_graph

from ...dataset.inference import INFERRED_GRAPH
from ...dataset.validation import (
    load_shapes,
    read_results,
    shape_files,
    shapes_version,
    union_graph,
    validate,
)
from ...rdf.namespaces import DCT, OWL, PROV, RDF, RDFS, XSD
from ...rdf.terms import to_oxigraph
from ...store.built import BuiltStore
from ...store.protocol import Store
from .describe import Term
from .shapes import shapes_iri
from .void import UrlFor, dataset_iri

STORES_REMEMBERED = 4  # the store being served and those a reload replaced a moment ago


@dataclass(frozen=True)
class Validation:
    conforms: bool
    report: rdflib.Graph  # canonically labelled
    shapes_version: str
    dataset_built_at: datetime  # when the validated dataset version was built: the report's date
    violations: int


class PerStore:
    """One value per live store, computed by the first caller (the others wait for it)."""

    def __init__(self, compute: Callable[[Store], Validation]):
        self._compute = compute
        self._entries: list[tuple[weakref.ref[Store], Validation]] = []
        self._lock = threading.Lock()

    def get(self, store: Store) -> Validation:
        with self._lock:
            for ref, value in self._entries:
                if ref() is store:
                    return value
            value = self._compute(store)
            alive = [(ref, v) for ref, v in self._entries if ref() is not None]
            self._entries = [*alive[-(STORES_REMEMBERED - 1) :], (weakref.ref(store), value)]
            return value


def _validate(store: Store) -> Validation:
    """The build's own report when it was validated at build time, else pySHACL now (``--data``)."""
    files = shape_files()
    if isinstance(store, BuiltStore) and store.validation_report is not None:
        report = rdflib.Graph().parse(store.validation_report, format="nt")
        return Validation(
            conforms=bool(store.manifest.conforms),
            report=to_canonical_graph(report),
            shapes_version=store.manifest.shapes_version or shapes_version(files),
            dataset_built_at=store.built_at,
            violations=len(read_results(report)),
        )
    # The asserted graphs, as `carekg build` validates them: the inferred graph is not data of a source.
    inferred = ox.NamedNode(INFERRED_GRAPH)
    asserted = (q for q in store.quads() if q.graph_name != inferred)
    outcome = validate(union_graph(asserted), shapes=load_shapes())
    return Validation(
        conforms=outcome.conforms,
        report=to_canonical_graph(outcome.report_graph),
        shapes_version=shapes_version(files),
        dataset_built_at=store.built_at,
        violations=len(outcome.results),
    )


_validations = PerStore(_validate)


def validation_of(store: Store) -> Validation:
    """The validation of ``store``'s data against the bundled shapes, computed once per store."""
    return _validations.get(store)


def report_triples(store: Store, base: str, url_for: UrlFor) -> list[ox.Triple]:
    validation = validation_of(store)
    report_url = url_for("/validation")
    report = ox.NamedNode(report_url + "#report")
    shapes = ox.NamedNode(shapes_iri(base))
    out = _skolemized(validation.report, report_url, report)
    out += [
        _t(report, RDFS + "label", ox.Literal("SHACL validation report of carekg", language="en")),
        _t(report, DCT + "created", ox.Literal(
            validation.dataset_built_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            datatype=ox.NamedNode(XSD + "dateTime"))),
        _t(report, PROV + "used", ox.NamedNode(dataset_iri(base))),
        _t(report, PROV + "used", shapes),
        _t(report, DCT + "conformsTo", shapes),
        _t(shapes, RDF + "type", ox.NamedNode(PROV + "Entity")),
        _t(shapes, RDFS + "label", ox.Literal("carekg SHACL shapes", language="en")),
        _t(shapes, OWL + "versionInfo", ox.Literal(validation.shapes_version)),
        _t(shapes, RDFS + "seeAlso", ox.NamedNode(url_for("/doc/shapes"))),
        _t(ox.NamedNode(dataset_iri(base)), "http://www.w3.org/ns/dqv#hasQualityMetadata",
           ox.NamedNode(report_url)),
    ]  # fmt: skip
    return out


def _skolemized(
    canonical: rdflib.Graph, report_url: str, report_node: ox.NamedNode
) -> list[ox.Triple]:
    reports = {s for s in canonical.subjects(rdflib.RDF.type, rdflib.SH.ValidationReport)}

    def skolem(node: rdflib.BNode) -> ox.NamedNode:
        return (
            report_node if node in reports else ox.NamedNode(f"{report_url}#node-{str(node)[:16]}")
        )

    triples = []
    for s, p, o in canonical:
        subject = to_oxigraph(s, skolem)
        assert isinstance(subject, ox.NamedNode)
        triples.append(ox.Triple(subject, ox.NamedNode(str(p)), to_oxigraph(o, skolem)))
    return triples


def _t(subject: ox.NamedNode, predicate: str, obj: Term) -> ox.Triple:
    return ox.Triple(subject, ox.NamedNode(predicate), obj)
