"""``validate_files`` computed once per test process for the same files.

Validating a file with the built-in data takes seconds (pySHACL over the whole union), and several tests
validate the same files: a shape's failing example is checked for its exact violations and, through
`carekg validate`, for its exit status; the command's report formats are each checked on the same data.
The outcome is a function of the files (names, bytes, graphs), the built-in data and the bundled shapes,
none of which changes while the tests run, so each distinct input is validated once and every test
still checks the outcome for what it asserts.
"""

from collections.abc import Sequence
from functools import cache

import pytest
import rdflib

import carekg.commands.validate
from carekg.dataset.sources import DataFile
from carekg.dataset.validation import ValidationOutcome, load_shapes, validate_files

_outcomes: dict[tuple[tuple[DataFile, ...], bool], ValidationOutcome] = {}


@cache
def shapes_graph() -> rdflib.Graph:
    """The bundled shapes, loaded once: results name its blank nodes (anonymous property shapes)."""
    return load_shapes()


def validated(files: Sequence[DataFile], with_builtin_data: bool = True) -> ValidationOutcome:
    """``validate_files(files, with_builtin_data)`` against ``shapes_graph()``, once per input."""
    key = (tuple(files), with_builtin_data)
    if key not in _outcomes:
        _outcomes[key] = validate_files(files, with_builtin_data, shapes=shapes_graph())
    return _outcomes[key]


def remember_validations_of_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `carekg validate` (run in this process) validate through ``validated``."""
    monkeypatch.setattr(carekg.commands.validate, "validate_files", validated)
