"""Dataset statistics for VoID (triples, distinct subjects and objects, entities by class, triples by
property): computed by `carekg build` for the union and each named graph, kept in the manifest."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import pyoxigraph as ox

from ..rdf.namespaces import RDF


@dataclass(frozen=True)
class Statistics:
    triples: int
    distinct_subjects: int
    distinct_objects: int
    entities_by_class: dict[str, int]
    triples_by_property: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Statistics":
        return cls(**data)


def statistics(triples: Iterable[ox.Triple]) -> Statistics:
    distinct = set(triples)
    by_class: dict[str, set[object]] = {}
    for t in distinct:
        if t.predicate.value == RDF + "type" and isinstance(t.object, ox.NamedNode):
            by_class.setdefault(t.object.value, set()).add(t.subject)
    return Statistics(
        triples=len(distinct),
        distinct_subjects=len({t.subject for t in distinct}),
        distinct_objects=len({t.object for t in distinct}),
        entities_by_class={c: len(s) for c, s in by_class.items()},
        triples_by_property=dict(Counter(t.predicate.value for t in distinct)),
    )
