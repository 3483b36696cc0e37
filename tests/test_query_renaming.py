"""Renaming graph IRIs in a query's text (the remote backend's pinning): which tokens change, which stay."""

from carekg.sparql.renaming import NO_GRAPH, rename_query

GRAPHS = {"https://w3id.org/carekg/graph/fife-2015": "urn:carekg:build:b:00000001"}


def test_a_graph_iri_is_renamed_wherever_it_is_written_in_full_or_as_a_prefixed_name() -> None:
    renamed = rename_query(
        "PREFIX g: <https://w3id.org/carekg/graph/>\n"
        "SELECT * WHERE { GRAPH g:fife-2015 { ?s ?p <https://w3id.org/carekg/graph/fife-2015> } }",
        GRAPHS.get,
    )
    assert renamed.text == (
        "PREFIX g: <https://w3id.org/carekg/graph/>\n"
        "SELECT * WHERE { GRAPH <urn:carekg:build:b:00000001> { ?s ?p <urn:carekg:build:b:00000001> } }"
    )
    assert not renamed.names_dataset


def test_strings_comments_and_other_iris_are_left_as_written() -> None:
    query = (
        'SELECT * WHERE { ?s <https://schema.org/url> "https://w3id.org/carekg/graph/fife-2015" }'
        " # <https://w3id.org/carekg/graph/fife-2015>"
    )
    assert rename_query(query, GRAPHS.get).text == query


def test_from_clauses_name_only_carekgs_graphs_and_say_which() -> None:
    renamed = rename_query(
        "SELECT * FROM <https://w3id.org/carekg/graph/fife-2015> FROM NAMED <urn:publisher:other>"
        " WHERE { ?s ?p ?o }",
        GRAPHS.get,
    )
    assert renamed.from_graphs == ("urn:carekg:build:b:00000001",)
    assert renamed.from_named_graphs == (NO_GRAPH,)
    assert "urn:publisher:other" not in renamed.text
    assert renamed.names_dataset


def test_a_graph_constant_that_is_not_carekgs_becomes_the_empty_graph() -> None:
    renamed = rename_query(
        "ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }", GRAPHS.get
    )
    assert renamed.text == f"ASK {{ GRAPH <{NO_GRAPH}> {{ ?s ?p ?o }} }}"


def test_relative_iris_are_sent_resolved_against_the_query_base() -> None:
    renamed = rename_query(
        "BASE <sub/> PREFIX p: <ns#> SELECT * WHERE { <s> p:q ?o }",
        GRAPHS.get,
        base_iri="http://example.org/sparql/",
    )
    assert renamed.text == (
        "BASE <http://example.org/sparql/sub/> PREFIX p: <http://example.org/sparql/sub/ns#> "
        "SELECT * WHERE { <http://example.org/sparql/sub/s> p:q ?o }"
    )


def test_the_declared_prefix_itself_is_never_renamed() -> None:
    query = "PREFIX fife: <https://w3id.org/carekg/graph/fife-2015> SELECT * WHERE { ?s fife: ?o }"
    renamed = rename_query(query, GRAPHS.get)
    assert renamed.text.startswith("PREFIX fife: <https://w3id.org/carekg/graph/fife-2015> ")
    assert renamed.text.endswith("{ ?s <urn:carekg:build:b:00000001> ?o }")
