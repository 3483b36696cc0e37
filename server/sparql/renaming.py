"""Renaming IRIs in a query's text: how carekg pins a query to its graphs on a remote engine.

On a remote engine each of carekg's graphs is loaded under a versioned name (see
carekg.store.remote), and every occurrence of a public graph IRI in the data is renamed with it. A
client's query is renamed the same way before it is sent: every IRI token (written in full, relative
to the query's BASE, or as a prefixed name) that names one of carekg's graphs becomes the versioned
IRI, and every IRI after ``FROM``, ``FROM NAMED`` or ``GRAPH`` that names none of them becomes
``NO_GRAPH``, a graph that holds nothing, so that no query reaches the engine's other graphs. Relative IRIs are
written resolved against the query's base (the engine is not told carekg's). Strings, comments and
the prologue's own IRIs are left as written.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .scan import TOKEN_PATTERN, resolve_iri, unescape_local

NO_GRAPH = "urn:carekg:no-graph"


@dataclass(frozen=True)
class RenamedQuery:
    text: str
    from_graphs: tuple[str, ...]  # the FROM clauses' IRIs, renamed (NO_GRAPH for foreign ones)
    from_named_graphs: tuple[str, ...]  # the FROM NAMED clauses' IRIs, renamed
    has_graph_pattern: bool = (
        True  # GRAPH appears (outside strings and comments): named graphs matter
    )

    @property
    def names_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)


def rename_query(
    text: str, rename: Callable[[str], str | None], base_iri: str | None = None
) -> RenamedQuery:
    """``text`` with each IRI that ``rename`` maps (to a non-None IRI) written as that IRI."""
    pieces: list[str] = []
    prefixes: dict[str, str] = {}
    base = base_iri
    from_graphs: list[str] = []
    from_named: list[str] = []
    # The last significant words, to tell the prologue's IRIs and FROM's from the others.
    previous: list[str] = []
    position = 0
    has_graph_pattern = False
    for match in TOKEN_PATTERN.finditer(text):
        kind = match.lastgroup or "other"
        token = match.group()
        if kind in ("space", "comment"):
            continue
        iri: str | None = None
        if kind == "iri":
            iri = resolve_iri(token[1:-1], base)
        elif kind == "pname":
            prefix, _, local = token.partition(":")
            namespace = prefixes.get(prefix)
            if namespace is not None:
                iri = namespace + unescape_local(local)
        if kind == "word" and token.upper() == "GRAPH":
            has_graph_pattern = True
        last = previous[-1] if previous else ""
        before_last = previous[-2] if len(previous) > 1 else ""
        if last == "PREFIX":
            pass  # the prefix being declared
        elif kind == "iri" and (last == "BASE" or before_last == "PREFIX"):
            if last == "BASE":
                base = iri
            else:
                prefixes[last.rstrip(":")] = iri or ""
            if f"<{iri}>" != token:  # resolved here, as the rest of the query is
                pieces += [text[position : match.start()], f"<{iri}>"]
                position = match.end()
        elif iri is not None:
            renamed = rename(iri)
            in_from = last == "FROM" or (last == "NAMED" and before_last == "FROM")
            if in_from:
                renamed = renamed or NO_GRAPH
                (from_named if last == "NAMED" else from_graphs).append(renamed)
            elif last == "GRAPH":
                renamed = renamed or NO_GRAPH
            if renamed is None and kind == "iri":
                renamed = iri  # a relative IRI is sent resolved: the engine knows no base
            if renamed is not None and f"<{renamed}>" != token:
                pieces.append(text[position : match.start()])
                pieces.append(f"<{renamed}>")
                position = match.end()
        previous = [*previous, token.upper() if kind == "word" else token][-2:]
    pieces.append(text[position:])
    return RenamedQuery("".join(pieces), tuple(from_graphs), tuple(from_named), has_graph_pattern)
