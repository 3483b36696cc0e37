"""Pages and dataset descriptions are rendered once per dataset version, address, path and
representation, then answered from what was rendered; dumps and errors are not kept."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from carekg.web.linked_data.memo import VersionMemo

PAGE = "/doc/id/inspection/south-lanarkshire-2014"


@pytest.fixture
def calls(app: Flask) -> Iterator[dict[str, int]]:
    """How often each linked-data view ran (the views wrapped with a counter)."""
    counted: dict[str, int] = {}

    def counting(endpoint: str, view: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            counted[endpoint] = counted.get(endpoint, 0) + 1
            return view(*args, **kwargs)

        return wrapper

    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith("linked_data."):
            app.view_functions[endpoint] = counting(endpoint, view)
    yield counted


def test_a_page_asked_again_is_answered_without_rendering_it_again(
    client: FlaskClient, calls: dict[str, int]
) -> None:
    first = client.get(PAGE, headers={"Accept": "text/html"})
    again = client.get(PAGE, headers={"Accept": "text/html"})
    assert first.status_code == again.status_code == 200
    assert again.data == first.data
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert calls["linked_data.document"] == 1


def test_another_representation_or_address_is_rendered_for_itself(
    client: FlaskClient, calls: dict[str, int]
) -> None:
    html = client.get(PAGE, headers={"Accept": "text/html"})
    turtle = client.get(PAGE, headers={"Accept": "text/turtle"})
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    assert turtle.data != html.data
    here = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    elsewhere = client.get(
        "/.well-known/void", headers={"Accept": "text/turtle"}, base_url="http://mirror.test"
    )
    assert b"<http://mirror.test/download/" in elsewhere.data  # the dumps where it is browsed
    assert b"<http://mirror.test/" not in here.data
    assert (calls["linked_data.document"], calls["linked_data.void"]) == (2, 2)
    client.get(PAGE, headers={"Accept": "text/turtle"})
    client.get(
        "/.well-known/void", headers={"Accept": "text/turtle"}, base_url="http://mirror.test"
    )
    assert (calls["linked_data.document"], calls["linked_data.void"]) == (2, 2)


def test_a_kept_page_still_answers_conditional_requests_with_304(
    client: FlaskClient, calls: dict[str, int]
) -> None:
    etag = client.get("/.well-known/void").headers["ETag"]
    conditional = client.get("/.well-known/void", headers={"If-None-Match": etag})
    assert conditional.status_code == 304
    assert conditional.data == b""
    assert calls["linked_data.void"] == 1


def test_redirects_are_kept_but_dumps_and_errors_are_not(
    client: FlaskClient, calls: dict[str, int]
) -> None:
    for _ in range(2):
        assert client.get("/id/inspection/south-lanarkshire-2014").status_code == 303
        assert client.get("/download/carekg.nq").status_code == 200
        assert client.get("/doc/id/no-such-thing").status_code == 404
    assert calls["linked_data.id"] == 1
    assert calls["linked_data.dataset_dump"] == 2
    assert calls["linked_data.document"] == 2


@dataclass
class Versioned:
    version: str


def test_what_is_kept_for_one_dataset_version_is_not_answered_for_the_next() -> None:
    memo = VersionMemo()
    memo.put(Versioned("1"), "page", b"rendered for version 1")  # type: ignore[arg-type]
    assert memo.peek(Versioned("1"), "page") == b"rendered for version 1"  # type: ignore[arg-type]
    assert memo.peek(Versioned("2"), "page") is None  # type: ignore[arg-type]
    assert memo.peek(Versioned("1"), "page") is None  # type: ignore[arg-type]


def test_kept_responses_stay_within_their_byte_budget_least_recently_used_out() -> None:
    memo = VersionMemo(max_entries=100, max_bytes=10, size_of=len)
    store = Versioned("1")
    for key in "abcd":
        memo.put(store, key, b"xxxx")  # type: ignore[arg-type]
    assert len(memo) == 2  # 8 bytes kept; a third value would pass 10
    assert memo.peek(store, "a") is None  # type: ignore[arg-type]
    assert memo.peek(store, "d") == b"xxxx"  # type: ignore[arg-type]
    memo.put(store, "d", b"yyyyyyyyy")  # type: ignore[arg-type]
    assert (len(memo), memo.peek(store, "d")) == (1, b"yyyyyyyyy")  # type: ignore[arg-type]
