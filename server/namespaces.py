"""The IRIs carekg mints and the vocabularies it uses, in one place."""

from rdflib import Namespace

BASE_IRI = "https://w3id.org/carekg/"
ONTOLOGY_IRI = BASE_IRI + "def"
GRAPH_BASE = BASE_IRI + "graph/"

CAREKG = Namespace(BASE_IRI + "def/")
ID = Namespace(BASE_IRI + "id/")
DQV = Namespace("http://www.w3.org/ns/dqv#")
OA = Namespace("http://www.w3.org/ns/oa#")
QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("https://schema.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")

# Prefixes offered to people (query UI, Turtle output, example queries); never predefined in query parsing.
PREFIXES: dict[str, str] = {
    "carekg": str(CAREKG),
    "id": str(ID),
    "dct": "http://purl.org/dc/terms/",
    "dqv": str(DQV),
    "oa": str(OA),
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": str(QB),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": str(SCHEMA),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
