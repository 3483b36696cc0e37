"""DCAT: the dataset as a catalogue entry, with a distribution for every dump, its licence and credits.

Every file /downloads offers is a dcat:Distribution with its download URL, media type, format and size
in bytes (the length of the bytes the server sends for it, gzipped for the .gz files): the whole dataset's
dumps are distributions of the dataset, each named graph's dumps are distributions of that graph, a
dcat:Dataset that is part of the whole (and its VoID subset).

carekg's own work (the modelling, the statements and their evidence links) is published under CC BY 4.0;
the facts come from the sources the data names (the Care Inspectorate's news release and the others typed
carekg:SourceDocument), credited with dct:source and prov:wasDerivedFrom.
"""

import pyoxigraph as ox

from ..store import Store
from .describe import Term
from .downloads import Dump, dump_bytes, offered_dumps
from .shapes import shapes_iri
from .sparql import select
from .validation_report import validation_of
from .void import DCT, RDF, XSD, UrlFor, dataset_iri, format_iri, graph_slug

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
SELECT DISTINCT ?month ?label ?year ?number WHERE {
  ?inspection <https://w3id.org/carekg/def/fieldworkMonth> ?month .
  ?month <http://www.w3.org/2006/time#hasDateTimeDescription> ?description .
  ?description <http://www.w3.org/2006/time#year> ?year ;
    <http://www.w3.org/2006/time#month> ?number .
  OPTIONAL { ?month <http://www.w3.org/2000/01/rdf-schema#label> ?label }
}
ORDER BY ?year ?number
"""
AREAS_QUERY = """
SELECT DISTINCT ?area WHERE { ?inspection <https://w3id.org/carekg/def/gradeCounts> ?o ;
  <http://purl.org/dc/terms/spatial> ?area }
"""


def dcat_triples(store: Store, base: str, url_for: UrlFor) -> list[ox.Triple]:
    dataset = ox.NamedNode(dataset_iri(base))
    shapes = ox.NamedNode(shapes_iri(base))
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
        _t(dataset, RDFS + "seeAlso", ox.NamedNode(url_for("/shapes"))),
        _t(shapes, RDFS + "label", ox.Literal("carekg SHACL shapes", language="en")),
    ]  # fmt: skip
    if validation_of(store).conforms:
        out.append(_t(dataset, DCT + "conformsTo", shapes))
    for row in select(store, SOURCES_QUERY):
        source = row["source"]
        if isinstance(source, ox.NamedNode):
            out.append(_t(dataset, DCT + "source", source))
            out.append(_t(dataset, PROV + "wasDerivedFrom", source))
    for row in select(store, AREAS_QUERY):
        if isinstance(row["area"], ox.NamedNode):
            out.append(_t(dataset, DCT + "spatial", row["area"]))
    out.extend(_temporal(store, dataset))
    out.extend(_graph_datasets(store, dataset))
    for dump in offered_dumps(store):
        out.extend(_distribution(store, dataset, dump, url_for))
    return out


def _temporal(store: Store, dataset: ox.NamedNode) -> list[ox.Triple]:
    """One dct:PeriodOfTime per fieldwork month: separate months (June and August), not a range."""
    out = []
    for row in select(store, COVERAGE_QUERY):
        month, year, number = row["month"], row["year"], row["number"]
        if not (isinstance(year, ox.Literal) and isinstance(number, ox.Literal)):
            continue
        year_month = f"{year.value}-{number.value.removeprefix('--')}"
        period = ox.NamedNode(f"{dataset.value}#temporal-{year_month}")
        label = row["label"].value if isinstance(row["label"], ox.Literal) else year_month
        value = ox.Literal(year_month, datatype=ox.NamedNode(XSD + "gYearMonth"))
        out += [
            _t(dataset, DCT + "temporal", period),
            _t(period, RDF + "type", ox.NamedNode(DCT + "PeriodOfTime")),
            _t(period, RDFS + "label", ox.Literal(f"fieldwork month {label}", language="en")),
            _t(period, DCAT + "startDate", value),
            _t(period, DCAT + "endDate", value),
        ]
        if isinstance(month, ox.NamedNode):
            out.append(_t(period, RDFS + "seeAlso", month))
    return out


def _graph_datasets(store: Store, dataset: ox.NamedNode) -> list[ox.Triple]:
    """Each named graph as a dcat:Dataset that is part of the whole, so its dumps can be its
    distributions."""
    out = []
    for graph in store.named_graphs():
        node = ox.NamedNode(graph)
        title = f"carekg named graph {graph_slug(graph)}"
        out += [
            _t(dataset, DCT + "hasPart", node),
            _t(node, DCT + "isPartOf", dataset),
            _t(node, RDF + "type", ox.NamedNode(DCAT + "Dataset")),
            _t(node, DCT + "title", ox.Literal(title, language="en")),
            _t(node, DCT + "license", ox.NamedNode(DATA_LICENCE)),
        ]
    return out


def _distribution(
    store: Store, dataset: ox.NamedNode, dump: Dump, url_for: UrlFor
) -> list[ox.Triple]:
    rdf_format = dump.rdf_format
    suffix = "-gz" if dump.gz else ""
    if dump.graph is None:
        owner = dataset
        name = f"{rdf_format.dump_name}{suffix}"
        title = f"carekg as {rdf_format.label}"
    else:
        owner = ox.NamedNode(dump.graph)
        name = f"graph-{graph_slug(dump.graph)}-{rdf_format.dump_name}{suffix}"
        title = f"carekg named graph {graph_slug(dump.graph)} as {rdf_format.label}"
    title += ", gzipped" if dump.gz else ""
    node = ox.NamedNode(f"{dataset.value}#distribution-{name}")
    url = ox.NamedNode(url_for(dump.path))
    size = len(dump_bytes(store, rdf_format, dump.graph, gz=dump.gz))
    out = [
        _t(owner, DCAT + "distribution", node),
        _t(node, RDF + "type", ox.NamedNode(DCAT + "Distribution")),
        _t(node, DCT + "title", ox.Literal(title, language="en")),
        _t(node, RDFS + "label", ox.Literal(title, language="en")),
        _t(node, DCAT + "downloadURL", url),
        _t(node, DCAT + "accessURL", url),
        _t(node, DCAT + "mediaType", ox.NamedNode(IANA_MEDIA_TYPES + rdf_format.mime)),
        _t(node, DCT + "format", format_iri(rdf_format)),
        _t(node, DCT + "license", ox.NamedNode(DATA_LICENCE)),
        _t(node, DCAT + "byteSize", ox.Literal(
            str(size), datatype=ox.NamedNode(XSD + "nonNegativeInteger"))),
    ]  # fmt: skip
    if dump.gz:
        out.append(
            _t(node, DCAT + "compressFormat", ox.NamedNode(IANA_MEDIA_TYPES + "application/gzip"))
        )
    return out


def _t(subject: ox.NamedNode, predicate: str, obj: Term) -> ox.Triple:
    return ox.Triple(subject, ox.NamedNode(predicate), obj)
