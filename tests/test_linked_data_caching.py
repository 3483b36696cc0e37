"""HTTP caching: an ETag per representation derived from the dataset version, Last-Modified from when
the dataset was built, and 304 answers to conditional requests, query responses included; and what is
computed once per dataset version (the validation report, the dumps) is the same in every app and every
forked worker, and can be computed before the fork."""

import multiprocessing
from collections.abc import Callable
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import TypeVar

import pytest
import rdflib
from flask.testing import FlaskClient

from carekg.config import Config
from carekg.dataset.build import build_embedded_store
from carekg.dataset.dumps import FORMATS_BY_NAME
from carekg.dataset.sources import bundled_data_files
from carekg.store.embedded import EmbeddedStore
from carekg.web.app import create_app
from carekg.web.linked_data import warm_caches
from carekg.web.linked_data.downloads import dump_bytes
from carekg.web.linked_data.memo import VersionMemo
from carekg.web.linked_data.shapes import bundled_shapes
from carekg.web.linked_data.validation_report import validation_of

T = TypeVar("T")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")

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


def test_a_query_answer_gets_its_etag_without_the_shapes_being_labelled(
    client: FlaskClient,
) -> None:
    # Labelling the shapes' blank nodes canonically takes seconds of CPU; when the ETag hook needed it,
    # a worker's first requests on a loaded machine took long enough to answer from a build that had
    # been replaced 20 s before. The ETag needs the shapes' version only.
    bundled_shapes.cache_clear()
    response = client.get(URLS[-1])
    assert response.status_code == 200 and response.get_etag()[0] is not None
    assert bundled_shapes.cache_info().currsize == 0


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


# ---- Values computed once per dataset version: the same bytes from every app and every worker


def fresh_store() -> EmbeddedStore:
    """The shipped data in a store of its own, which no app in this process has served yet."""
    return build_embedded_store(bundled_data_files())


def in_forked_child(work: Callable[[], T]) -> T:
    """``work()`` run in a child forked from this process, as gunicorn forks its workers."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def run() -> None:
        sender.send(work())

    child = context.Process(target=run)
    child.start()
    sender.close()  # so that a child that dies without answering ends the wait below
    try:
        assert receiver.poll(120), "the forked child did not answer"
        result: T = receiver.recv()
    finally:
        child.join(30)
    assert child.exitcode == 0
    return result


def validation_response(store: EmbeddedStore, path: str = "/validation.ttl") -> tuple[bytes, str]:
    """What a freshly created app on ``store`` answers first for the validation report."""
    application = create_app(Config(), store=store)
    application.config["TESTING"] = True
    response = application.test_client().get(path)
    assert response.status_code == 200
    return response.data, response.headers["ETag"]


def test_two_apps_on_one_store_serve_the_same_validation_report_and_etag(
    builtin_store: EmbeddedStore,
) -> None:
    for path in ("/validation.ttl", "/validation.html"):
        assert validation_response(builtin_store, path) == validation_response(builtin_store, path)


def test_the_validation_report_is_dated_when_the_dataset_was_built(
    builtin_store: EmbeddedStore,
) -> None:
    body, _ = validation_response(builtin_store)
    report = rdflib.Graph().parse(data=body, format="turtle")
    created = report.value(rdflib.URIRef("http://localhost/validation#report"), DCT.created)
    assert created == rdflib.Literal(
        builtin_store.built_at.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=rdflib.XSD.dateTime
    )


def test_workers_forked_from_one_store_each_compute_the_same_validation_report() -> None:
    store = fresh_store()
    first = in_forked_child(lambda: validation_response(store))
    second = in_forked_child(lambda: validation_response(store))
    assert first == second
    report = rdflib.Graph().parse(data=first[0], format="turtle")
    created = report.value(rdflib.URIRef("http://localhost/validation#report"), DCT.created)
    assert created == rdflib.Literal(
        store.built_at.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=rdflib.XSD.dateTime
    )


def test_warm_caches_computes_before_the_fork_what_workers_then_share() -> None:
    store = fresh_store()
    application = create_app(Config(), store=store)
    warm_caches(application)
    turtle_gz = FORMATS_BY_NAME["turtle"]
    graph = store.named_graphs()[0]

    def computed_objects() -> tuple[int, int, int]:
        with application.app_context():
            return (
                id(validation_of(store)),
                id(dump_bytes(store, turtle_gz, None, gz=True)),
                id(dump_bytes(store, FORMATS_BY_NAME["jsonld"], graph)),
            )

    # A child that found nothing computed would build new objects, at other addresses.
    assert in_forked_child(computed_objects) == computed_objects()


def test_memo_of_per_version_values_stays_bounded_whatever_hosts_clients_name(
    builtin_store: EmbeddedStore,
) -> None:
    memo = VersionMemo(max_entries=3)
    for host in range(10):
        key = ("description", f"http://host-{host}/")
        assert memo.get(builtin_store, key, lambda value=host: value) == host
    assert len(memo) == 3
    assert memo.get(builtin_store, ("description", "http://host-9/"), lambda: -1) == 9  # still held
