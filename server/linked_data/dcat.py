"""DCAT: the dataset as a catalogue entry, with a distribution for every dump, its licence and credits.

carekg's own work (the modelling, the statements and their evidence links) is published under CC BY 4.0;
the facts come from the sources the data names (the Care Inspectorate's news release and the others typed
carekg:SourceDocument), credited with dct:source and prov:wasDerivedFrom.
"""

from collections.abc import Callable

import pyoxigraph as ox

from ..dumps import FORMATS
from ..store import Store
from .describe import Term
from .sparql import select
from .void import DCT, RDF, XSD, UrlFor, dataset_iri, dump_path

DCAT = "http://www.w3.org/ns/dcat#"
PROV = "http://www.w3.org/ns/prov#"
FOAF = "http://xmlns.com/foaf/0.1/"
DQV = "http://www.w3.org/ns/dqv#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
DATA_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "carekg: Scotland's joint inspections of services for children and young people"
DESCRIPTION = (
    "A linked-data knowledge graph of the joint inspections of services for children and young "
    "people in Scotland: the inspections, the inspectorates that carried them out, the grades their "
    "quality indicators received, the recommendations and strengths their reports name, and the exact "
    "passages of the published sources that state each fact."
)

SOURCES_QUERY = """
SELECT DISTINCT ?source WHERE { ?source a <https://w3id.org/carekg/def/SourceDocument> }
"""
COVERAGE_QUERY = """
SELECT (MIN(?month) AS ?start) (MAX(?month) AS ?end) WHERE {
  ?inspection <https://w3id.org/carekg/def/fieldworkMonth>/<http://www.w3.org/2006/time#inXSDgYearMonth> ?month
}
"""
AREAS_QUERY = """
SELECT DISTINCT ?area WHERE { ?inspection <https://w3id.org/carekg/def/gradeCounts> ?o ;
  <http://purl.org/dc/terms/spatial> ?area }
"""

# The size in bytes of a dump: (format name, gzipped) -> bytes.
SizeOf = Callable[[str, bool], int]


def dcat_triples(store: Store, base: str, url_for: UrlFor, size_of: SizeOf) -> list[ox.Triple]:
    dataset = ox.NamedNode(dataset_iri(base))
    publisher = ox.NamedNode(dataset.value + "#publisher")
    out = [
        _t(dataset, RDF + "type", ox.NamedNode(DCAT + "Dataset")),
        _t(dataset, DCT + "title", ox.Literal(TITLE, language="en")),
        _t(dataset, RDFS + "label", ox.Literal(TITLE, language="en")),
        _t(dataset, DCT + "description", ox.Literal(DESCRIPTION, language="en")),
        _t(dataset, DCT + "license", ox.NamedNode(DATA_LICENCE)),
        _t(dataset, DCT + "publisher", publisher),
        _t(publisher, RDF + "type", ox.NamedNode(FOAF + "Agent")),
        _t(publisher, FOAF + "name", ox.Literal("carekg developers")),
        _t(publisher, RDFS + "label", ox.Literal("carekg developers", language="en")),
        _t(dataset, DCAT + "landingPage", ox.NamedNode(url_for("/"))),
        _t(dataset, DCT + "modified", ox.Literal(
            store.built_at.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(XSD + "dateTime"))),
        _t(dataset, "http://www.w3.org/2002/07/owl#versionInfo", ox.Literal(store.version)),
        _t(dataset, DQV + "hasQualityMetadata", ox.NamedNode(url_for("/validation"))),
        _t(dataset, RDFS + "seeAlso", ox.NamedNode(url_for("/validation"))),
        _t(dataset, DCT + "conformsTo", ox.NamedNode(base + "def")),
    ]  # fmt: skip
    inner = store.pyoxigraph()
    for row in select(inner, SOURCES_QUERY):
        source = row["source"]
        if isinstance(source, ox.NamedNode):
            out.append(_t(dataset, DCT + "source", source))
            out.append(_t(dataset, PROV + "wasDerivedFrom", source))
    for row in select(inner, AREAS_QUERY):
        if isinstance(row["area"], ox.NamedNode):
            out.append(_t(dataset, DCT + "spatial", row["area"]))
    out.extend(_temporal(inner, dataset))
    out.extend(_distributions(dataset, url_for, size_of))
    return out


def _temporal(inner: ox.Store, dataset: ox.NamedNode) -> list[ox.Triple]:
    rows = select(inner, COVERAGE_QUERY)
    if not rows or not isinstance(rows[0]["start"], ox.Literal):
        return []
    start, end = rows[0]["start"], rows[0]["end"]
    period = ox.NamedNode(dataset.value + "#temporal")
    label = start.value[:4] if start.value[:4] == end.value[:4] else f"{start.value}/{end.value}"
    return [
        _t(dataset, DCT + "temporal", period),
        _t(period, RDF + "type", ox.NamedNode(DCT + "PeriodOfTime")),
        _t(period, RDFS + "label", ox.Literal(f"fieldwork {label}", language="en")),
        _t(period, DCAT + "startDate", start),
        _t(period, DCAT + "endDate", end),
    ]


def _distributions(dataset: ox.NamedNode, url_for: UrlFor, size_of: SizeOf) -> list[ox.Triple]:
    out = []
    for rdf_format in FORMATS:
        for gz in (False, True):
            suffix = "-gz" if gz else ""
            node = ox.NamedNode(f"{dataset.value}#distribution-{rdf_format.name}{suffix}")
            url = ox.NamedNode(url_for(dump_path(rdf_format, gz=gz)))
            title = f"carekg as {rdf_format.label}" + (", gzipped" if gz else "")
            out += [
                _t(dataset, DCAT + "distribution", node),
                _t(node, RDF + "type", ox.NamedNode(DCAT + "Distribution")),
                _t(node, DCT + "title", ox.Literal(title, language="en")),
                _t(node, RDFS + "label", ox.Literal(title, language="en")),
                _t(node, DCAT + "downloadURL", url),
                _t(node, DCAT + "accessURL", url),
                _t(node, DCAT + "mediaType", ox.NamedNode(IANA_MEDIA_TYPES + rdf_format.media_type)),
                _t(node, DCT + "license", ox.NamedNode(DATA_LICENCE)),
                _t(node, DCAT + "byteSize", ox.Literal(
                    str(size_of(rdf_format.name, gz)), datatype=ox.NamedNode(XSD + "nonNegativeInteger"))),
            ]  # fmt: skip
            if gz:
                out.append(
                    _t(node, DCAT + "compressFormat",
                       ox.NamedNode(IANA_MEDIA_TYPES + "application/gzip"))
                )  # fmt: skip
    return out


def _t(subject: ox.NamedNode, predicate: str, obj: Term) -> ox.Triple:
    return ox.Triple(subject, ox.NamedNode(predicate), obj)
