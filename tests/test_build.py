"""Building the store: carekg's own graph is served only when it conforms; bad input loses nothing."""

import pytest

from carekg import build
from carekg.build import DataInvalidError, build_store
from carekg.config import Config
from carekg.errors import RdfSyntaxError
from carekg.sources import DataFile, bundled_data_files
from carekg.state import DatasetState
from carekg.store import EmbeddedStore

RECOMMENDATION_WITHOUT_POSITION = b"""
@prefix carekg: <https://w3id.org/carekg/def/> .
@prefix schema: <https://schema.org/> .
<https://w3id.org/carekg/id/recommendation/example/1> a carekg:Recommendation ;
    schema:text "Do better."@en .
"""


def test_builtin_graph_builds_after_validation() -> None:
    store = build_store(Config())
    assert "https://w3id.org/carekg/graph/south-lanarkshire-2014" in store.named_graphs()


def test_builtin_graph_that_breaks_a_shape_is_not_served(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = [
        *bundled_data_files(),
        DataFile(
            "graph/example.ttl", RECOMMENDATION_WITHOUT_POSITION, "https://w3id.org/carekg/graph/x"
        ),
    ]
    monkeypatch.setattr(build, "bundled_data_files", lambda: broken)
    with pytest.raises(DataInvalidError) as error:
        build_store(Config())
    # Line 4: the data starts with a newline and two prefixes; that is where the node is written.
    assert "graph/example.ttl:4: Needs exactly one schema:position" in str(error.value)


def test_failed_rebuild_leaves_the_previous_store_serving(
    builtin_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = DatasetState(builtin_store)
    bad = DataFile("graph/bad.ttl", b"<http://a> <http://b> .", "https://w3id.org/carekg/graph/bad")
    monkeypatch.setattr(build, "bundled_data_files", lambda: [*bundled_data_files(), bad])
    with pytest.raises(RdfSyntaxError, match=r"graph/bad\.ttl:1:"):
        state.rebuild(lambda: build_store(Config()))
    assert state.store is builtin_store
