"""HTTP caching: an ETag per representation derived from the dataset version, Last-Modified from when
the dataset was built, and 304 answers to conditional requests, query responses included."""

from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from flask.testing import FlaskClient

from carekg.store import EmbeddedStore

URLS = [
    "/",
    "/doc/id/inspection/south-lanarkshire-2014",
    "/download/carekg.nq",
    "/.well-known/void",
    "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
]


@pytest.mark.parametrize("url", URLS)
def test_response_carries_etag_from_the_dataset_version_and_last_modified(
    client: FlaskClient, builtin_store: EmbeddedStore, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    etag, weak = response.get_etag()
    assert etag is not None and not weak
    assert etag.startswith(builtin_store.version)
    modified = parsedate_to_datetime(response.headers["Last-Modified"])
    assert abs(modified - builtin_store.built_at) < timedelta(seconds=1)


@pytest.mark.parametrize("url", URLS)
def test_if_none_match_with_the_current_etag_gets_304(client: FlaskClient, url: str) -> None:
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_if_none_match_with_an_old_etag_gets_the_representation(client: FlaskClient) -> None:
    response = client.get("/", headers={"If-None-Match": '"0000000000000000-stale"'})
    assert response.status_code == 200
    assert response.data


def test_if_modified_since_the_build_gets_304_and_before_it_200(
    client: FlaskClient, builtin_store: EmbeddedStore
) -> None:
    built = builtin_store.built_at.replace(microsecond=0)
    later = client.get(
        "/",
        headers={"If-Modified-Since": format_datetime(built + timedelta(seconds=5), usegmt=True)},
    )
    assert later.status_code == 304
    earlier = client.get(
        "/", headers={"If-Modified-Since": format_datetime(built - timedelta(days=1), usegmt=True)}
    )
    assert earlier.status_code == 200


def test_each_representation_has_its_own_etag(client: FlaskClient) -> None:
    path = "/doc/id/inspection/south-lanarkshire-2014"
    tags = {
        client.get(path, headers={"Accept": accept}).headers["ETag"]
        for accept in ("text/html", "text/turtle", "application/ld+json")
    }
    assert len(tags) == 3
    plain = client.get("/download/carekg.ttl", headers={"Accept-Encoding": "identity"})
    gzipped = client.get("/download/carekg.ttl", headers={"Accept-Encoding": "gzip"})
    assert plain.headers["ETag"] != gzipped.headers["ETag"]
    turtle_etag = client.get(path, headers={"Accept": "text/turtle"}).headers["ETag"]
    stale = client.get(path, headers={"Accept": "text/html", "If-None-Match": turtle_etag})
    assert stale.status_code == 200  # a Turtle ETag does not validate the HTML page


def test_errors_and_redirects_carry_no_etag(client: FlaskClient) -> None:
    assert "ETag" not in client.get("/id/nothing").headers
    assert "ETag" not in client.get("/id/inspection/south-lanarkshire-2014").headers
