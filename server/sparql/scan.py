"""A lexical scan of a SPARQL query: its form, whether it names a dataset, and the SERVICEs it calls.

pyoxigraph parses queries but exposes no algebra, so carekg reads what it must know before running a
query from the tokens, skipping strings, comments and IRIs (where a keyword means nothing). The real
parser still runs on every query and has the last word on syntax. The scan also refuses brackets
nested deeper than MAX_NESTING_DEPTH: Oxigraph's parser recurses once per level, and a few thousand
levels overflow the stack of the process that evaluates the query.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ..errors import CarekgError

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
# Far beyond any query a person writes, far below the ~5000 levels that overflow an 8 MB stack.
MAX_NESTING_DEPTH = 256
_OPENERS = frozenset("({[")
_CLOSERS = frozenset(")}]")

TOKEN_PATTERN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d_](?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:(?:(?:[\w:%\-\u00B7]|\\.)(?:(?:[\w:%.\-\u00B7]|\\.)*(?:[\w:%\-\u00B7]|\\.))?)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class QueryTooComplex(CarekgError):
    """A query the engine cannot evaluate safely: nested too deep, or its evaluation overflowed the
    stack. The client's to fix (a 400), with the line and column where known."""

    def __init__(self, reason: str, line: int | None = None, column: int | None = None):
        self.reason = reason
        self.line = line
        self.column = column
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"the query is too complex to evaluate{where}: {reason}")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str

    def is_keyword(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


@dataclass(frozen=True)
class ServiceCall:
    """One SERVICE clause: its endpoint IRI, or None when the endpoint is a variable."""

    endpoint: str | None
    text: str  # as written in the query, for messages


@dataclass(frozen=True)
class QueryScan:
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or an update keyword such as INSERT
    names_dataset: bool  # has FROM or FROM NAMED
    services: tuple[ServiceCall, ...] = field(default=())

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_KEYWORDS


def tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` (no spaces or comments)."""
    found: list[Token] = []
    for match in TOKEN_PATTERN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group()))
    return found


def check_nesting(text: str, limit: int = MAX_NESTING_DEPTH) -> None:
    """Raise QueryTooComplex where brackets outside strings, comments and IRIs nest past ``limit``."""
    depth = 0
    for match in TOKEN_PATTERN.finditer(text):
        if match.lastgroup != "other":
            continue
        char = match.group()
        if char in _OPENERS:
            depth += 1
            if depth > limit:
                line, column = _line_and_column(text, match.start())
                raise QueryTooComplex(
                    f"brackets ( {{ [ nest more than {limit} deep here; flatten the query",
                    line,
                    column,
                )
        elif char in _CLOSERS and depth > 0:
            depth -= 1


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset``."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def scan_query(text: str, base_iri: str | None = None) -> QueryScan:
    """What carekg must know of ``text`` before running it (QueryTooComplex if nested too deep)."""
    check_nesting(text)
    toks = tokens(text)
    prefixes: dict[str, str] = {}
    base = base_iri
    index = 0
    # The prologue: BASE <iri> and PREFIX p: <iri>, in any order.
    while index < len(toks):
        tok = toks[index]
        if tok.is_keyword("BASE") and index + 1 < len(toks) and toks[index + 1].kind == "iri":
            base = resolve_iri(toks[index + 1].text[1:-1], base)
            index += 2
        elif tok.is_keyword("PREFIX") and index + 2 < len(toks) and toks[index + 2].kind == "iri":
            prefixes[toks[index + 1].text.rstrip(":")] = resolve_iri(
                toks[index + 2].text[1:-1], base
            )
            index += 3
        else:
            break
    form = None
    if index < len(toks) and toks[index].kind == "word":
        word = toks[index].text.upper()
        if word in QUERY_FORMS or word in UPDATE_KEYWORDS:
            form = word
    names_dataset = any(t.is_keyword("FROM") for t in toks[index:])
    services = tuple(_service_calls(toks[index:], prefixes, base))
    return QueryScan(form=form, names_dataset=names_dataset, services=services)


def _service_calls(
    toks: list[Token], prefixes: dict[str, str], base: str | None
) -> list[ServiceCall]:
    calls = []
    for index, tok in enumerate(toks):
        if not tok.is_keyword("SERVICE"):
            continue
        target_index = index + 1
        if target_index < len(toks) and toks[target_index].is_keyword("SILENT"):
            target_index += 1
        if target_index >= len(toks):
            continue  # the parser reports the incomplete clause
        target = toks[target_index]
        if target.kind == "iri":
            calls.append(ServiceCall(resolve_iri(target.text[1:-1], base), target.text))
        elif target.kind == "pname":
            prefix, _, local = target.text.partition(":")
            namespace = prefixes.get(prefix)
            endpoint = namespace + unescape_local(local) if namespace is not None else None
            calls.append(ServiceCall(endpoint, target.text))
        else:
            calls.append(ServiceCall(None, target.text))
    return calls


def resolve_iri(iri: str, base: str | None) -> str:
    if not base:
        return iri
    joined = urljoin(base, iri)
    # urljoin drops an empty fragment; a namespace such as <ns#> must keep it.
    return joined + "#" if iri.endswith("#") and not joined.endswith("#") else joined


def unescape_local(local: str) -> str:
    return re.sub(r"\\(.)", r"\1", local)
