"""Print the example queries as Markdown with their real output on the built-in graph (for the README).

Usage: .venv/bin/python scripts/example_queries_markdown.py > /tmp/examples.md
(tests/test_readme.py checks that the README holds exactly this output.)
Each query is run on the built-in store exactly as /sparql runs it (default graph = union of all graphs,
no predefined prefixes); IRIs are shortened with carekg's prefixes for reading.
"""

import pyoxigraph as ox

from carekg.dataset.build import build_embedded_store
from carekg.dataset.sources import bundled_data_files
from carekg.rdf.namespaces import PREFIXES
from carekg.sparql.examples import example_queries

MAX_CELL = 90


def cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    text = str(term) if isinstance(term, ox.Triple) else term.value
    if isinstance(term, ox.NamedNode):
        for prefix, iri in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if text.startswith(iri):
                text = f"{prefix}:{text[len(iri) :]}"
                break
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def render() -> str:
    """The Markdown of every example query with its output, as the README holds it."""
    store = build_embedded_store(bundled_data_files()).pyoxigraph()
    parts: list[str] = []
    for example in example_queries():
        result = store.query(example.text, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        rows = [[cell(solution[n]) for n in names] for solution in result]
        parts.append(f"### {example.title}\n\n{example.description}\n")
        parts.append(
            f"`/queries/{example.name}` ([server/queries/{example.name}.rq](server/queries/{example.name}.rq))\n"
        )
        parts.append("```sparql\n" + example.text.rstrip() + "\n```\n")
        parts.append("| " + " | ".join(names) + " |")
        parts.append("|" + "---|" * len(names))
        parts.extend("| " + " | ".join(row) + " |" for row in rows)
        parts.append("")
    return "\n".join(parts)


def main() -> None:
    print(render(), end="")


if __name__ == "__main__":
    main()
