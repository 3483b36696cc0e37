"""carekg over a real Virtuoso for the tests that run on both backends: a private instance on loopback,
loaded by `carekg build --update-endpoint` (as a publisher would, with the loader account), and read by
`carekg serve --backend sparql` through the anonymous, select-only /sparql endpoint.

Where Virtuoso cannot be installed, everything that needs it is skipped with the reason."""

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from virtuoso_process import (
    RunningVirtuoso,
    VirtuosoSettings,
    VirtuosoUnavailable,
    ensure_virtuoso_installed,
    start_virtuoso,
)

from carekg.store.remote import RemoteStore, open_remote
from carekg.store.sparql_client import SparqlClient

BACKENDS = ("embedded", "virtuoso")
SETTINGS = VirtuosoSettings()


@dataclass(frozen=True)
class EngineBuild:
    virtuoso: RunningVirtuoso
    store_dir: Path

    @property
    def serve_args(self) -> list[str]:
        """`carekg serve` options for this build (anonymous reads)."""
        return [
            *("--backend", "sparql"),
            *("--query-endpoint", self.virtuoso.query_endpoint),
            *("--store", str(self.store_dir)),
            *("--engine-max-rows", str(SETTINGS.result_set_max_rows)),
        ]

    def reader(self) -> SparqlClient:
        return SparqlClient(self.virtuoso.query_endpoint)

    def open_store(self) -> RemoteStore:
        return open_remote(self.store_dir, self.reader(), SETTINGS.result_set_max_rows)


def loader_env(virtuoso: RunningVirtuoso) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAREKG_")}
    env["CAREKG_REMOTE_USER"] = virtuoso.loader.user
    env["CAREKG_REMOTE_PASSWORD"] = virtuoso.loader.password
    return env


def carekg_build_into(
    virtuoso: RunningVirtuoso, store_dir: Path, files: Sequence[Path]
) -> "subprocess.CompletedProcess[str]":
    """`carekg build [FILES] --update-endpoint <Virtuoso's /sparql-auth> --store DIR`."""
    carekg = Path(sys.executable).with_name("carekg")
    return subprocess.run(
        [
            str(carekg),
            "build",
            *map(str, files),
            *("--store", str(store_dir)),
            *("--update-endpoint", virtuoso.update_endpoint),
        ],
        env=loader_env(virtuoso),
        capture_output=True,
        text=True,
        timeout=600,
    )


@contextlib.contextmanager
def engine_build(directory: Path, files: Sequence[Path]) -> Iterator[EngineBuild]:
    """A Virtuoso holding ``files`` (default: the built-in graph) as carekg builds them into it."""
    try:
        ensure_virtuoso_installed()
    except VirtuosoUnavailable as reason:
        pytest.skip(f"Virtuoso is not available, so the remote backend is not tested: {reason}")
    with start_virtuoso(directory / "engine", SETTINGS) as virtuoso:
        store_dir = directory / "store"
        done = carekg_build_into(virtuoso, store_dir, files)
        assert done.returncode == 0, done.stderr
        yield EngineBuild(virtuoso, store_dir)
