"""Parsing reports a malformed file as file:line:column and what the parser expected, nothing else."""

import pytest

from carekg.errors import RdfSyntaxError, UnreadableInputError
from carekg.loading import format_for, parse_quads
from carekg.sources import DataFile

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
