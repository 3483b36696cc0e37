"""`carekg serve` starts without importing what only a build or a remote engine needs (pyshacl and
the build pipeline, httpx): a good part of its start-up was those imports."""

import json
import subprocess
import sys

from click.testing import CliRunner

from carekg.commands.cli import COMMANDS, main

NOT_FOR_SERVING = ("pyshacl", "carekg.dataset.build", "httpx", "carekg.store.remote")
PROBE = f"""
import json, sys
import click
from carekg.commands.cli import main
main.get_command(click.Context(main), "serve")
import carekg.web.app
print(json.dumps([name for name in {list(NOT_FOR_SERVING)!r} if name in sys.modules]))
"""


def test_the_serve_command_and_the_app_import_neither_the_build_nor_the_engine_client() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == []


def test_every_command_is_listed_and_runs_although_imported_only_when_used() -> None:
    listed = CliRunner().invoke(main, ["--help"])
    assert listed.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in listed.output
        helped = CliRunner().invoke(main, [name, "--help"])
        assert helped.exit_code == 0, helped.output
        assert f"Usage: main {name}" in helped.output or f"Usage: carekg {name}" in helped.output
    assert CliRunner().invoke(main, ["no-such-command"]).exit_code == 2


def test_a_query_process_starts_without_rdflib_or_flask() -> None:
    """A replacement query process starts at each timeout: rdflib was most of its start-up."""
    probe = "import json, sys, carekg.store.query_process; print(json.dumps(sorted(m for m in ('rdflib', 'flask', 'pyshacl') if m in sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == []
