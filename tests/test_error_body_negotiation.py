"""Error bodies are negotiated by carekg's own Accept parsing: JSON only when the client ranks it
above plain text."""

import json

import pytest
from endpoint_data import small_store
from flask.testing import FlaskClient

from carekg.config import Config
from carekg.web.app import create_app

MALFORMED = {"query": "SELECT * WHERE {"}


@pytest.fixture
def small_client() -> FlaskClient:
    app = create_app(Config(), store=small_store())
    app.config["TESTING"] = True
    return app.test_client()


@pytest.mark.parametrize(
    "accept",
    [
        "application/json",
        "application/sparql-results+json",
        "application/json, */*",  # equal quality: the exact match outranks the wildcard
        "application/*",
        "text/plain;q=0.5, application/sparql-results+json;q=0.8",
        "APPLICATION/JSON",
    ],
)
def test_errors_are_json_when_json_is_ranked_above_plain_text(
    small_client: FlaskClient, accept: str
) -> None:
    response = small_client.get("/sparql", query_string=MALFORMED, headers={"Accept": accept})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = json.loads(response.data)
    assert body["status"] == 400 and "malformed query" in body["message"]


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "text/plain, application/json",  # a tie goes to plain text
        "text/*",
        "application/json;q=0.2, text/plain;q=0.9",
        "application/json;q=0",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser
        "image/png",  # no results format acceptable (406): still an error body, in plain text
    ],
)
def test_errors_are_plain_text_otherwise(small_client: FlaskClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = small_client.get("/sparql", query_string=MALFORMED, headers=headers)
    nothing_acceptable = accept in ("image/png", "application/json;q=0")
    assert response.status_code == (406 if nothing_acceptable else 400)
    assert response.mimetype == "text/plain"
    assert response.text.startswith(f"{response.status_code} ")
