"""The IRIs carekg mints and the vocabularies it uses, in one place."""

from rdflib import Namespace

BASE_IRI = "https://w3id.org/carekg/"
ONTOLOGY_IRI = BASE_IRI + "def"
GRAPH_BASE = BASE_IRI + "graph/"
DATASET_PATH = "id/dataset/carekg"  # below the base: the IRI of the whole dataset (VoID, DCAT)

CAREKG = Namespace(BASE_IRI + "def/")
ID = Namespace(BASE_IRI + "id/")
SHAPES = Namespace(BASE_IRI + "shapes/")

# rdflib Namespaces are strings: ``RDF + "type"`` and ``str(RDF.type)`` are both plain IRIs.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
DQV = Namespace("http://www.w3.org/ns/dqv#")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
PROV = Namespace("http://www.w3.org/ns/prov#")
QB = Namespace("http://purl.org/linked-data/cube#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SCHEMA = Namespace("https://schema.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
TIME = Namespace("http://www.w3.org/2006/time#")
VOID = Namespace("http://rdfs.org/ns/void#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# Prefixes offered to people (query UI, Turtle output, example queries); never predefined in query parsing.
PREFIXES: dict[str, str] = {
    "carekg": str(CAREKG),
    "id": str(ID),
    "dct": str(DCT),
    "dqv": str(DQV),
    "oa": str(OA),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "qb": str(QB),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "time": str(TIME),
    "xsd": str(XSD),
}
