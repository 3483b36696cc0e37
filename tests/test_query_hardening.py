"""Queries too deep for the engine are the client's to fix (400, saying where), never a 5xx; a query
process killed outright (as the OOM killer does) stays the server's trouble (5xx)."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from endpoint_data import small_store
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from carekg.commands.cli import main
from carekg.config import Config
from carekg.sparql.scan import MAX_NESTING_DEPTH, QueryTooComplex, check_nesting
from carekg.web.app import create_app

SPARQL_QUERY = "application/sparql-query"
# Unary NOTs nest inside the engine with no bracket at all: 50,000 overflow any thread's stack.
NOT_CHAIN = "SELECT * WHERE { FILTER(" + "!" * 50_000 + "true) }"
CROSS_JOIN = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12)) + " }"
)


def make_app(timeout: float = 30.0) -> Flask:
    app = create_app(Config(timeout=timeout), store=small_store())
    app.config["TESTING"] = True
    return app


@pytest.fixture
def small_client() -> FlaskClient:
    return make_app().test_client()


def nested_braces(depth: int) -> str:
    """A SELECT whose group patterns nest ``depth`` deep in all."""
    return "SELECT * WHERE " + "{" * depth + "}" * depth


def children() -> set[int]:
    """This process's live child processes."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def post_query(client: FlaskClient, query: str) -> TestResponse:
    return client.post("/sparql", data=query, content_type=SPARQL_QUERY)


def test_ten_thousand_nested_braces_are_400_saying_where(small_client: FlaskClient) -> None:
    response = small_client.get("/sparql", query_string={"query": nested_braces(10_000)})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    # "SELECT * WHERE " is 15 characters; the 257th brace is the first past the limit
    assert f"line 1, column {15 + MAX_NESTING_DEPTH + 1}" in body
    assert "too complex" in body and str(MAX_NESTING_DEPTH) in body


def test_ten_thousand_nested_parentheses_are_400_saying_where(small_client: FlaskClient) -> None:
    query = "SELECT * WHERE {\n  FILTER(" + "(" * 10_000 + "true" + ")" * 10_000 + ")\n}"
    response = post_query(small_client, query)
    assert response.status_code == 400
    # the group's brace and FILTER's parenthesis count too; line 2 opens its third level at column 10
    assert f"line 2, column {MAX_NESTING_DEPTH + 8}" in response.get_data(as_text=True)


def test_nesting_up_to_the_limit_is_answered(small_client: FlaskClient) -> None:
    assert post_query(small_client, nested_braces(MAX_NESTING_DEPTH)).status_code == 200
    assert post_query(small_client, nested_braces(MAX_NESTING_DEPTH + 1)).status_code == 400


def test_brackets_in_strings_comments_and_iris_do_not_count(small_client: FlaskClient) -> None:
    many = "(" * 1000 + "{" * 1000
    query = (
        f"# {many}\n"
        f'SELECT ?x WHERE {{ BIND("{many}" AS ?x) '
        f"FILTER(?x != <http://example.org/{'(' * 1000}>) }}"
    )
    response = post_query(small_client, query)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_the_depth_check_reports_line_and_column() -> None:
    with pytest.raises(QueryTooComplex) as raised:
        check_nesting("ASK {\n  [ :p [ :q ( ( ( 1 ) ) ) ] ]\n}", limit=5)
    assert (raised.value.line, raised.value.column) == (2, 17)
    check_nesting("ASK { } " * 1000, limit=1)  # depth returns to zero after each group


def test_a_query_that_overflows_the_engines_stack_is_400(small_client: FlaskClient) -> None:
    before = children()
    response = post_query(small_client, NOT_CHAIN)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "the query is too complex to evaluate" in body and "overflowed the stack" in body
    assert children() - before == set()
    # the next query is answered as usual
    assert post_query(small_client, "ASK { }").status_code == 200


def test_a_query_process_killed_outright_is_a_5xx_naming_no_internals_but_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """SIGKILL is what the kernel's OOM killer sends: no fault of the query, so not a 400. The
    client is told the fault is the server's; the signal goes to the server's log only."""
    client = make_app(timeout=30).test_client()
    before = children()
    answer: list[TestResponse] = []
    thread = threading.Thread(target=lambda: answer.append(post_query(client, CROSS_JOIN)))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not children() - before and time.monotonic() < deadline:
            time.sleep(0.01)
        started = children() - before
        assert started, "the query process is running"
        for pid in started:
            os.kill(pid, signal.SIGKILL)
    finally:
        thread.join(timeout=20)
    assert answer, "the request was answered"
    assert answer[0].status_code == 500
    body = answer[0].get_data(as_text=True)
    assert "fault on the server" in body
    assert "SIGKILL" not in body
    assert any("SIGKILL" in record.getMessage() for record in caplog.records)


def test_query_command_reports_deep_nesting_without_a_traceback() -> None:
    result = CliRunner().invoke(main, ["query", nested_braces(1000)])
    assert result.exit_code == 1
    assert "too complex to evaluate at line 1, column" in result.output
    assert "Traceback" not in result.output
