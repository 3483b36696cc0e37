"""The lexical scan finds the query form, dataset clauses and SERVICE calls outside strings and IRIs."""

from carekg.sparql.scan import scan_query


def test_form_is_found_after_the_prologue() -> None:
    scan = scan_query("BASE <http://b/> PREFIX ex: <x#>\n# ASK\nconstruct { ?s ?p ?o } WHERE {}")
    assert scan.form == "CONSTRUCT"
    assert not scan.is_update


def test_updates_are_recognised() -> None:
    assert scan_query("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }").is_update
    assert scan_query("with <http://g> delete { ?s ?p ?o } where { ?s ?p ?o }").is_update


def test_from_is_a_dataset_clause_only_outside_strings() -> None:
    assert scan_query("SELECT * FROM <http://g> { ?s ?p ?o }").names_dataset
    assert not scan_query('SELECT * { ?s ?p "FROM" }').names_dataset


def test_service_targets_are_resolved_against_prefixes_and_base() -> None:
    scan = scan_query(
        "BASE <http://base.example/dir/> PREFIX r: <http://remote.example/> "
        "SELECT * { SERVICE r:sparql {} SERVICE SILENT <sparql2> {} SERVICE ?v {} }"
    )
    assert [call.endpoint for call in scan.services] == [
        "http://remote.example/sparql",
        "http://base.example/dir/sparql2",
        None,
    ]


def test_service_in_comments_strings_iris_and_prefixed_names_is_ignored() -> None:
    query = (
        "PREFIX ex: <http://e/>\n"
        "SELECT * { # SERVICE <http://a/>\n"
        "  ?s ex:SERVICE ?o . ?s <http://e/SERVICE> ?o .\n"
        '  FILTER(?o != """SERVICE <http://b/>""" && ?o != \'SERVICE <http://c/>\') }'
    )
    assert scan_query(query).services == ()


def test_less_than_comparisons_are_not_iris() -> None:
    scan = scan_query("SELECT * { ?a ?b ?c FILTER(?c < 3 && ?c > 1) SERVICE <http://s/> {} }")
    assert [call.endpoint for call in scan.services] == ["http://s/"]
