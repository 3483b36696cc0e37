"""Parse RDF documents into quads with pyoxigraph, reporting file:line:column on a syntax error."""

import re
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox

from .errors import RdfSyntaxError, UnreadableInputError
from .sources import DataFile

FORMATS_BY_SUFFIX: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}

_POSITION = re.compile(r"^Parser error[^:]*: ")  # the position is reported separately


def format_for(name: str) -> ox.RdfFormat:
    suffix = Path(name.removesuffix(".gz")).suffix.lower()
    try:
        return FORMATS_BY_SUFFIX[suffix]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise UnreadableInputError(
            f"{name}: cannot tell the RDF format from the file name (known endings: {known})"
        ) from None


def read_data_files(paths: Iterable[Path]) -> list[DataFile]:
    """Files named by a user: triples go to the default graph, quads keep their graphs."""
    files = []
    for path in paths:
        format_for(path.name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableInputError(f"{path}: {exc.strerror or exc}") from exc
        files.append(
            DataFile(name=str(path), data=data, graph_iri=None, base_iri=path.resolve().as_uri())
        )
    return files


def parse_quads(file: DataFile) -> list[ox.Quad]:
    """All quads of one document; triples land in the file's graph (or the default graph)."""
    rdf_format = format_for(file.name)
    if rdf_format == ox.RdfFormat.RDF_XML:
        check_well_formed_xml(file)
    try:
        parsed = ox.parse(
            file.data, format=rdf_format, base_iri=file.base_iri, rename_blank_nodes=True
        )
        if file.graph_iri is None or rdf_format.supports_datasets:
            return list(parsed)
        graph = ox.NamedNode(file.graph_iri)
        return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]
    except SyntaxError as exc:
        message = _POSITION.sub("", str(exc.msg))
        raise RdfSyntaxError(file.name, message, exc.lineno, exc.offset) from None
    except ValueError as exc:
        raise RdfSyntaxError(file.name, str(exc)) from None


def check_well_formed_xml(file: DataFile) -> None:
    """pyoxigraph's RDF/XML parser accepts a truncated document and gives no position for its errors:
    expat checks the XML first and says where it breaks (it expands no external entities)."""
    parser = ElementTree.XMLParser()
    try:
        parser.feed(file.data)
        parser.close()
    except ElementTree.ParseError as exc:
        line, column = exc.position
        message = str(exc).split(": line ", 1)[0]
        raise RdfSyntaxError(
            file.name, f"not well-formed XML: {message}", line, column + 1
        ) from None


def parse_all(files: Iterable[DataFile]) -> list[ox.Quad]:
    quads: list[ox.Quad] = []
    for file in files:
        quads.extend(parse_quads(file))
    return quads
