"""The W3C SPARQL 1.1 Protocol test cases (tests/w3c/protocol/manifest.ttl) against `carekg serve --data`.

The manifest has 34 cases. The 20 query cases run here, each request sent exactly as the manifest writes
it to a real server loaded with the cases' data (``serve``), and again through Flask's test client to
the app built on the same data (``flask``); the reply is checked for status, content type and the
parsed result. The 14 update cases do not apply to a read-only endpoint and are not counted: they are
listed in NOT_APPLICABLE with the reason, and their requests are checked to be refused.
"""

import contextlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from carekg_process import RunningServer
from flask.testing import FlaskClient
from pyparsing import ParseException
from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.query import ResultRow
from w3c_http import RESULT_PARSERS, Reply, parse_graph, parse_results, send
from w3c_manifest import ProtocolCase, ProtocolRequest, read_protocol_cases

from carekg.config import Config
from carekg.web.app import create_app

ENDPOINT_PATH = "/sparql"

_UPDATE_CASE = "an update case: carekg's endpoint is read-only and refuses every update"
_BAD_UPDATE_CASE = (
    "checks the error handling of the update operation, which a read-only endpoint does not have "
    "(it refuses every update, so a 4xx here would prove nothing about update handling)"
)
NOT_APPLICABLE: dict[str, str] = {
    "update_dataset_default_graph": _UPDATE_CASE,
    "update_dataset_default_graphs": _UPDATE_CASE,
    "update_dataset_named_graphs": _UPDATE_CASE,
    "update_dataset_full": _UPDATE_CASE,
    "update_post_form": _UPDATE_CASE,
    "update_post_direct": _UPDATE_CASE,
    "update_base_uri": _UPDATE_CASE,
    "bad_update_get": _BAD_UPDATE_CASE,
    "bad_multiple_updates": _BAD_UPDATE_CASE,
    "bad_update_wrong_media_type": _BAD_UPDATE_CASE,
    "bad_update_missing_form_type": _BAD_UPDATE_CASE,
    "bad_update_non_utf8": _BAD_UPDATE_CASE,
    "bad_update_syntax": _BAD_UPDATE_CASE,
    "bad_update_dataset_conflict": _BAD_UPDATE_CASE,
}

ALL_CASES = read_protocol_cases()
QUERY_CASES = [case for case in ALL_CASES if case.name not in NOT_APPLICABLE]
UPDATE_CASES = [case for case in ALL_CASES if case.name in NOT_APPLICABLE]

# What each manifest result format allows (the case titles: "expect one of: XML, JSON, CSV, TSV" etc.).
FORMAT_MEDIA_TYPES = {
    "boolean": {"application/sparql-results+xml", "application/sparql-results+json"},
    "tabular": set(RESULT_PARSERS),
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


def _carries_update(request: ProtocolRequest) -> bool:
    """Whether a request asks for a SPARQL update (by media type, form field or update-only parameter)."""
    headers = {name.lower(): value for name, value in request.headers}
    if headers.get("content-type", "").startswith("application/sparql-update"):
        return True
    fields = parse_qs(urlsplit(request.absolute_path).query)
    if request.body is not None:
        with contextlib.suppress(UnicodeDecodeError):
            fields.update(parse_qs(request.body.decode("utf-8")))
    if {"update", "using-graph-uri", "using-named-graph-uri"} & fields.keys():
        return True
    return request.body is not None and _is_sparql_update(request.body)


def _is_sparql_update(body: bytes) -> bool:
    try:
        parseUpdate(body.decode("utf-8"))
    except (UnicodeDecodeError, ParseException):
        return False
    return True


@pytest.fixture(scope="module")
def w3c_flask_client(w3c_dataset: Path) -> FlaskClient:
    client: FlaskClient = create_app(Config(data=(w3c_dataset,))).test_client()
    return client


TARGETS = {
    "serve": "w3c_embedded_server",
    "serve-virtuoso": "w3c_remote_server",
    "flask": "w3c_flask_client",
}


@pytest.fixture(params=list(TARGETS))
def w3c_target(request: pytest.FixtureRequest) -> RunningServer | FlaskClient:
    """The real `carekg serve --data` process, `carekg serve --backend sparql` over Virtuoso loaded
    with the same data, or Flask's test client on the same data."""
    target: RunningServer | FlaskClient = request.getfixturevalue(TARGETS[request.param])
    return target


def _send(target: RunningServer | FlaskClient, request: ProtocolRequest) -> Reply:
    return send(
        target, request.method, request.path_on(ENDPOINT_PATH), request.headers, request.body
    )


def _check_status(request: ProtocolRequest, reply: Reply) -> None:
    status_class = f"{reply.status // 100}xx"
    assert status_class in request.expected.status_classes, (
        f"{request.method} {request.absolute_path}: expected "
        f"{sorted(request.expected.status_classes)}, got {reply.describe()}"
    )


def _check_result(case: ProtocolCase, request: ProtocolRequest, reply: Reply) -> None:
    expected = request.expected
    if expected.result_format is None:
        return
    allowed = FORMAT_MEDIA_TYPES[expected.result_format]
    assert reply.media_type in allowed, (
        f"{case.name}: a {expected.result_format} result must be one of {sorted(allowed)}, "
        f"got {reply.describe()}"
    )
    if expected.result_format == "boolean":
        result = parse_results(reply)
        assert result.type == "ASK"
        # ASK {} (the only ASK without an mf:expectedBoolean) is true: one empty solution.
        wanted = True if expected.boolean is None else expected.boolean
        assert result.askAnswer is wanted, f"{case.name}: ASK answered {result.askAnswer}"
    elif expected.result_format == "tabular":
        _check_select_one_as_value(reply)
    else:
        _check_rdf(case, reply)


def _check_select_one_as_value(reply: Reply) -> None:
    """The case's query is SELECT (1 AS ?value) {}: one row binding ?value to 1."""
    result = parse_results(reply)
    assert result.type == "SELECT"
    assert [str(v) for v in result.vars or []] == ["value"]
    rows = list(result)
    assert len(rows) == 1
    assert isinstance(rows[0], ResultRow)
    value = rows[0][0]
    if reply.media_type == "text/csv":  # CSV carries no datatypes
        assert str(value) == "1"
    else:
        assert value == Literal(1)


def _check_rdf(case: ProtocolCase, reply: Reply) -> None:
    graph = parse_graph(reply)
    body = case.requests[0].body or b""
    if body.startswith(b"CONSTRUCT"):
        # CONSTRUCT { <s> <p> 1 } WHERE {}: one triple, its relative IRIs resolved against a base.
        triples = list(graph)
        assert len(triples) == 1, triples
        subject, predicate, obj = triples[0]
        assert isinstance(subject, URIRef) and urlsplit(str(subject)).scheme
        assert str(subject).endswith("s") and str(predicate).endswith("p")
        assert obj == Literal(1)
    else:
        # DESCRIBE <http://example.org/>: the data says nothing about it.
        assert body.startswith(b"DESCRIBE")
        assert len(graph) == 0, list(graph)


def test_manifest_has_20_query_cases_and_14_update_cases() -> None:
    assert len(ALL_CASES) == 34
    assert len(QUERY_CASES) == 20
    assert set(NOT_APPLICABLE) <= {case.name for case in ALL_CASES}
    # The split is the manifest's own: a case is not applicable exactly when its first request is an update.
    assert {case.name for case in ALL_CASES if _carries_update(case.requests[0])} == set(
        NOT_APPLICABLE
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", QUERY_CASES, ids=lambda case: case.name)
def test_w3c_protocol_query_case(
    w3c_target: RunningServer | FlaskClient, case: ProtocolCase
) -> None:
    for request in case.requests:
        reply = _send(w3c_target, request)
        _check_status(request, reply)
        _check_result(case, request, reply)


def _graph_still_holds_its_document(target: RunningServer | FlaskClient, graph_iri: str) -> bool:
    query = f"ASK {{ GRAPH <{graph_iri}> {{ <{graph_iri}> <{RDF.type}> <{FOAF.Document}> }} }}"
    reply = send(
        target,
        "POST",
        ENDPOINT_PATH,
        (
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/sparql-results+json"),
        ),
        query.encode(),
    )
    assert reply.status == 200, reply.describe()
    return bool(parse_results(reply).askAnswer)


@pytest.mark.slow
@pytest.mark.parametrize("case", UPDATE_CASES, ids=lambda case: case.name)
def test_update_request_of_w3c_case_is_refused_and_changes_nothing(
    w3c_target: RunningServer | FlaskClient, w3c_graphs: dict[str, str], case: ProtocolCase
) -> None:
    """Not a W3C pass: the read-only endpoint refuses the case's update and the data stays as loaded."""
    reply = _send(w3c_target, case.requests[0])
    if case.name.startswith(
        "update_"
    ):  # a well-formed update: refused as such (issue 3: 403 or 405)
        assert reply.status in (403, 405), reply.describe()
    else:
        assert 400 <= reply.status < 500, reply.describe()
    for graph_iri in w3c_graphs.values():
        assert _graph_still_holds_its_document(w3c_target, graph_iri), graph_iri
