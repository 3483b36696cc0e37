"""Validating only some of a data graph's focus nodes with pySHACL: how a build splits its validation.

Which nodes a shape targets is decided on the whole data graph and then narrowed to the chosen nodes;
everything a constraint looks at from there (the value nodes of sh:node, sh:class and the other
shape-expecting constraints, blank nodes included) is checked as it would be without the narrowing.
pySHACL's own ``focus_nodes`` option is not used for this: it also drops the value nodes outside its list
(and every blank node) from those nested checks, which would weaken them.
"""

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib.term import BNode, Node, URIRef

if TYPE_CHECKING:  # pyshacl is imported where validation runs: serving needs none of it
    from pyshacl.shape import Shape


@dataclass(frozen=True)
class FocusNodes:
    """The target nodes to validate: the IRIs in ``iris`` (every other IRI and every literal instead,
    when ``all_but``), and the blank nodes in ``blank_nodes``."""

    iris: frozenset[str]
    all_but: bool = False
    blank_nodes: frozenset[BNode] = frozenset()

    def __contains__(self, node: object) -> bool:
        if isinstance(node, BNode):
            return node in self.blank_nodes
        if isinstance(node, URIRef):
            return (str(node) in self.iris) != self.all_but
        return self.all_but


_PATCH_LOCK = threading.Lock()


@contextlib.contextmanager
def validating_only(focus: FocusNodes) -> Iterator[None]:
    """While inside, pySHACL validates a shape only at its targets that are in ``focus``.

    Only the top-level target search (``Shape.focus_nodes``) is narrowed: nested checks pass their value
    nodes to the shapes they expect directly and do not call it. One validation at a time per process.
    """
    from pyshacl.shape import Shape

    with _PATCH_LOCK:
        search = Shape.focus_nodes

        def narrowed(shape: "Shape", data_graph: object, debug: bool = False) -> set[Node]:
            targets = search(shape, data_graph, debug)  # type: ignore[no-untyped-call]
            return {node for node in targets if node in focus}

        Shape.focus_nodes = narrowed  # type: ignore[method-assign]
        try:
            yield
        finally:
            Shape.focus_nodes = search  # type: ignore[method-assign]
