"""Content negotiation: q-values, wildcards, aliases, the format parameter, and the 406 message."""

import pytest
from werkzeug.exceptions import NotAcceptable

from carekg.rdf.formats import (
    HTML,
    JSON_LD,
    N_TRIPLES,
    RDF_GRAPH_FORMATS,
    RDF_XML,
    RESULT_FORMATS,
    SPARQL_CSV,
    SPARQL_JSON,
    SPARQL_TSV,
    SPARQL_XML,
    TURTLE,
)
from carekg.web.negotiation import choose


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, SPARQL_JSON),
        ("", SPARQL_JSON),
        ("*/*", SPARQL_JSON),
        ("application/sparql-results+xml", SPARQL_XML),
        ("text/csv;q=0.4, text/tab-separated-values;q=0.6", SPARQL_TSV),
        ("text/*", SPARQL_CSV),
        ("application/json", SPARQL_JSON),
        ("application/sparql-results+json;q=0, */*;q=0.5", SPARQL_XML),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", SPARQL_XML),
        ("APPLICATION/SPARQL-RESULTS+XML", SPARQL_XML),
    ],
)
def test_results_formats_follow_the_accept_header(accept: str | None, expected: object) -> None:
    assert choose(accept, None, RESULT_FORMATS) is expected


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("text/turtle, */*", TURTLE),
        ("application/ld+json", JSON_LD),
        ("application/json", JSON_LD),
        ("application/xml", RDF_XML),
        ("*/*;q=0.1, application/n-triples;q=0.2", N_TRIPLES),
    ],
)
def test_graph_formats_follow_the_accept_header(accept: str, expected: object) -> None:
    assert choose(accept, None, RDF_GRAPH_FORMATS) is expected


def test_format_parameter_beats_accept_and_resolves_names_by_what_is_offered() -> None:
    assert choose("application/sparql-results+json", "csv", RESULT_FORMATS) is SPARQL_CSV
    assert choose(None, "xml", RESULT_FORMATS) is SPARQL_XML
    assert choose(None, "xml", RDF_GRAPH_FORMATS) is RDF_XML
    assert choose(None, "text/turtle", RDF_GRAPH_FORMATS) is TURTLE
    assert choose(None, ("tsv", "text/tab-separated-values"), RESULT_FORMATS) is SPARQL_TSV
    assert choose(None, ("json-ld", "application/ld+json"), RDF_GRAPH_FORMATS) is JSON_LD


def test_html_wins_for_a_browser_when_offered() -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert choose(browser, None, (*RDF_GRAPH_FORMATS, HTML)) is HTML
    assert choose("*/*", None, (*RDF_GRAPH_FORMATS, HTML)) is TURTLE


def test_nothing_acceptable_raises_406_listing_the_offer() -> None:
    with pytest.raises(NotAcceptable) as refusal:
        choose("image/png, text/turtle;q=0", None, (TURTLE, N_TRIPLES))
    assert refusal.value.code == 406
    assert "text/turtle (format=turtle)" in refusal.value.description
    assert "application/n-triples (format=nt)" in refusal.value.description


def test_unknown_format_parameter_raises_406() -> None:
    with pytest.raises(NotAcceptable, match="'yaml'"):
        choose(None, "yaml", RESULT_FORMATS)


def test_malformed_accept_entries_are_skipped() -> None:
    # 'garbage' names no type, and text/csv's q-value is no number: only application/json remains.
    assert choose("garbage, text/csv;q=abc, application/json", None, RESULT_FORMATS) is SPARQL_JSON
    with pytest.raises(NotAcceptable):
        choose("garbage, text/csv;q=abc", None, RESULT_FORMATS)


def test_wildcards_choose_canonical_types_only_and_an_exact_alias_beats_a_wildcard() -> None:
    # text/xml is an alias of XML results: text/* means CSV, the first canonical text type offered.
    assert choose("text/*", None, RESULT_FORMATS) is SPARQL_CSV
    # At equal quality an alias named exactly beats a canonical type matched by */* only.
    assert choose("application/xml;q=0.9, */*;q=0.9", None, RESULT_FORMATS) is SPARQL_XML
    # A more specific range refusing a type overrides a wildcard accepting it (RFC 9110, 12.5.1).
    assert choose("application/sparql-results+json;q=0, */*;q=0.5", None, RESULT_FORMATS) is (
        SPARQL_XML
    )
