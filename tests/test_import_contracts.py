"""The layering rules in pyproject.toml ([tool.importlinter]) hold, and break when a module breaks them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(package_parent: Path, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=package_parent,
        env={"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the package as ``carekg/`` (its Python files only) beside a copy of pyproject.toml."""
    shutil.copytree(
        REPO / "server", tmp_path / "carekg", ignore=shutil.ignore_patterns("static", "__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold_for_the_package(package_copy: Path) -> None:
    result = lint_imports(package_copy, package_copy / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_flask_imported_below_the_web_layer_breaks_a_contract(package_copy: Path) -> None:
    terms = package_copy / "carekg" / "rdf" / "terms.py"
    terms.write_text(terms.read_text() + "\nimport flask  # noqa\n")
    result = lint_imports(package_copy, package_copy / "pyproject.toml")
    assert result.returncode == 1
    assert "carekg.rdf is not allowed to import flask" in result.stdout


def test_an_import_up_a_layer_breaks_the_layers_contract(package_copy: Path) -> None:
    scan = package_copy / "carekg" / "sparql" / "scan.py"
    scan.write_text(scan.read_text() + "\nfrom ..dataset import dumps  # noqa\n")
    result = lint_imports(package_copy, package_copy / "pyproject.toml")
    assert result.returncode == 1
    assert "carekg.sparql is not allowed to import carekg.dataset" in result.stdout


def test_a_cycle_between_sibling_packages_breaks_the_acyclic_contract(package_copy: Path) -> None:
    protocol = package_copy / "carekg" / "web" / "endpoint" / "protocol.py"
    protocol.write_text(protocol.read_text() + "\nfrom ..ui import page  # noqa\n")
    result = lint_imports(package_copy, package_copy / "pyproject.toml")
    assert result.returncode == 1
    assert "No cycles are allowed in carekg.web" in result.stdout
