"""Parsing reports a malformed file as file:line:column and what the parser expected, nothing else."""

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from carekg.dataset.loading import parse_all, parse_quads, read_data_files
from carekg.dataset.sources import DataFile
from carekg.errors import RdfSyntaxError, UnreadableInputError
from carekg.rdf.formats import format_for
from carekg.store.embedded import dataset_version

PREFIX = b"@prefix a: <http://example.org/> .\n"


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        (b"a:b a:c \n a:d a:e .\n", 3, 6, "A dot is expected at the end of statements"),
        (b'a:b a:c "unterminated .\n', 2, 9, "Unexpected end of file"),  # 1-based: the quote
    ],
)
def test_syntax_error_names_file_line_column_and_what_was_expected(
    body: bytes, line: int, column: int, message: str
) -> None:
    with pytest.raises(RdfSyntaxError) as error:
        parse_quads(DataFile("report.ttl", PREFIX + body, None))
    assert error.value.name == "report.ttl"
    assert error.value.line == line
    assert error.value.column == column
    assert error.value.message == message
    assert str(error.value).startswith(f"report.ttl:{line}:")


def test_triples_go_to_the_files_graph() -> None:
    quads = parse_quads(DataFile("r.ttl", PREFIX + b"a:b a:c a:d .", "https://example.org/g"))
    assert [q.graph_name.value for q in quads] == ["https://example.org/g"]


def test_unknown_file_ending_is_unreadable_input() -> None:
    with pytest.raises(UnreadableInputError, match=r"report\.docx: cannot tell the RDF format"):
        format_for("report.docx")


@pytest.mark.parametrize(
    ("document", "line", "message"),
    [
        (  # truncated: pyoxigraph alone would accept it
            b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            b'  <rdf:Description rdf:about="http://example.org/a">\n',
            4,
            "no element found",
        ),
        (
            b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            b' <rdf:Description rdf:about="x" <bad/>\n</rdf:RDF>\n',
            3,
            "not well-formed (invalid token)",
        ),
    ],
)
def test_broken_rdf_xml_is_reported_with_its_line(document: bytes, line: int, message: str) -> None:
    with pytest.raises(RdfSyntaxError) as error:
        parse_quads(DataFile("report.rdf", document, None))
    assert error.value.line == line
    assert error.value.message == f"not well-formed XML: {message}"


def test_same_files_give_the_same_blank_nodes_and_no_two_files_share_one() -> None:
    data = PREFIX + b"a:b a:c [ a:d 1 ] ."
    first = parse_all([DataFile("one.ttl", data, None), DataFile("two.ttl", data, None)])
    again = parse_all([DataFile("one.ttl", data, None), DataFile("two.ttl", data, None)])
    assert first == again
    assert dataset_version(first) == dataset_version(again)
    blank_nodes = {q.object for q in first if isinstance(q.object, ox.BlankNode)}
    assert len(blank_nodes) == 2  # one per file


def test_gzipped_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "data.nt.gz"
    path.write_bytes(gzip.compress(b"<http://a> <http://b> <http://c> .\n"))
    (file,) = read_data_files([path])
    assert [q.object for q in parse_quads(file)] == [ox.NamedNode("http://c")]


def test_broken_gzip_file_is_unreadable_input(tmp_path: Path) -> None:
    path = tmp_path / "data.nt.gz"
    path.write_bytes(b"<http://a> <http://b> <http://c> .\n")
    with pytest.raises(UnreadableInputError, match=r"data\.nt\.gz: not a readable gzip file"):
        read_data_files([path])


def test_rdf_1_2_triple_term_is_refused_naming_the_file() -> None:
    data = b"<http://a> <http://b> <<( <http://c> <http://d> <http://e> )>> .\n"
    with pytest.raises(UnreadableInputError, match=r"^star\.nt: holds an RDF 1\.2 triple term"):
        parse_quads(DataFile("star.nt", data, None))
