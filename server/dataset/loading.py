"""Parse RDF documents into quads with pyoxigraph, reporting file:line:column on a syntax error."""

import gzip
import re
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox

from ..errors import RdfSyntaxError, UnreadableInputError
from ..rdf.formats import format_for
from .sources import DataFile

_POSITION = re.compile(r"^Parser error[^:]*: ")  # the position is reported separately


def read_data_files(paths: Iterable[Path]) -> list[DataFile]:
    """Files named by a user: triples go to the default graph, quads keep their graphs.

    A name ending in ``.gz`` is gunzipped (``carekg export -o data.nq.gz`` writes such files)."""
    files = []
    for path in paths:
        format_for(path.name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableInputError(f"{path}: {exc.strerror or exc}") from exc
        if path.name.endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as exc:
                raise UnreadableInputError(f"{path}: not a readable gzip file: {exc}") from exc
        files.append(
            DataFile(name=str(path), data=data, graph_iri=None, base_iri=path.resolve().as_uri())
        )
    return files


def parse_quads(file: DataFile, file_index: int = 0) -> list[ox.Quad]:
    """All quads of one document; triples land in the file's graph (or the default graph).

    Blank nodes are renamed ``_:f{file_index}b{n}``, numbered in the order they first occur: two files
    never share one, and the same files always give the same dataset, so the same version and dump
    bytes (pyoxigraph's parser gives ``[]`` nodes random labels). RDF 1.2 triple terms are refused:
    carekg's validation, dumps and pages are RDF 1.1.
    """
    rdf_format = format_for(file.name)
    if rdf_format == ox.RdfFormat.RDF_XML:
        check_well_formed_xml(file)
    graph = (
        ox.NamedNode(file.graph_iri)
        if file.graph_iri and not rdf_format.supports_datasets
        else None
    )
    renamed: dict[str, ox.BlankNode] = {}

    def local(term: ox.BlankNode) -> ox.BlankNode:
        if term.value not in renamed:
            renamed[term.value] = ox.BlankNode(f"f{file_index}b{len(renamed)}")
        return renamed[term.value]

    def in_file(quad: ox.Quad) -> ox.Quad:
        subject, obj = quad.subject, quad.object
        if isinstance(subject, ox.Triple) or isinstance(obj, ox.Triple):
            raise UnreadableInputError(
                f"{file.name}: holds an RDF 1.2 triple term ({quad}); carekg reads RDF 1.1 only"
            )
        graph_name = graph if graph is not None else quad.graph_name
        return ox.Quad(
            local(subject) if isinstance(subject, ox.BlankNode) else subject,
            quad.predicate,
            local(obj) if isinstance(obj, ox.BlankNode) else obj,
            local(graph_name) if isinstance(graph_name, ox.BlankNode) else graph_name,
        )

    try:
        return [
            in_file(quad) for quad in ox.parse(file.data, format=rdf_format, base_iri=file.base_iri)
        ]
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
    for index, file in enumerate(files):
        quads.extend(parse_quads(file, index))
    return quads
