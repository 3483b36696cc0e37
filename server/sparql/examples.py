"""The example queries shipped as ``carekg/queries/*.rq``, each with a title and a description.

A file starts with comment lines; ``# title: ...`` and ``# description: ...`` give its heading, and a
description may go on over following comment lines that are indented after the ``#``.
"""

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from ..errors import CarekgError

QUERY_PACKAGE = "carekg"
QUERY_FOLDER = "queries"
NAME_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FIELD = re.compile(r"#\s*(title|description):\s*(.*)")
_CONTINUATION = re.compile(r"#\s{2,}(\S.*)")


class ExampleQueryError(CarekgError):
    """An example query file without a title or description, or with a name unfit for a URL."""


@dataclass(frozen=True)
class ExampleQuery:
    name: str  # the file's stem, as used in /queries/<name>
    title: str
    description: str
    text: str  # the whole file, comments and PREFIX declarations included


def parse_example(name: str, text: str) -> ExampleQuery:
    """Read the title and description from the leading comment lines of ``text``."""
    if not NAME_PATTERN.fullmatch(name):
        raise ExampleQueryError(
            f"{name}.rq: a query's file name must be lower-case words joined by -"
        )
    fields: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        field_match = _FIELD.match(line)
        continuation = _CONTINUATION.match(line)
        if field_match:
            current = field_match.group(1)
            fields[current] = field_match.group(2).strip()
        elif continuation and current is not None:
            fields[current] += " " + continuation.group(1).strip()
        else:
            current = None
    for required in ("title", "description"):
        if not fields.get(required):
            raise ExampleQueryError(
                f"{name}.rq: no '# {required}: ...' line at the top of the file"
            )
    return ExampleQuery(name, fields["title"], fields["description"], text)


def _query_files() -> list[Traversable]:
    folder = resources.files(QUERY_PACKAGE).joinpath(QUERY_FOLDER)
    return sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)


def example_queries() -> list[ExampleQuery]:
    """Every bundled example query, ordered by name."""
    return [
        parse_example(f.name.removesuffix(".rq"), f.read_text(encoding="utf-8"))
        for f in _query_files()
    ]


def example_query(name: str) -> ExampleQuery | None:
    """The example query called ``name``, or None if there is none."""
    return next((q for q in example_queries() if q.name == name), None)
