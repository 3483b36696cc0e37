"""A small dataset with a default graph and two named graphs, for the endpoint's protocol tests."""

from carekg.dataset.build import build_embedded_store
from carekg.dataset.sources import DataFile
from carekg.store.embedded import EmbeddedStore

EX = "http://example.org/"
G1 = EX + "graph/one"
G2 = EX + "graph/two"

TRIG = f"""
@prefix ex: <{EX}> .
ex:alice ex:name "Alice" ; ex:knows ex:bob .
<{G1}> {{ ex:bob ex:name "Bob" . ex:bob ex:age 41 . }}
<{G2}> {{ ex:carol ex:name "Carol"@en . ex:carol ex:note "tab\\there\\nnew line \\"quoted\\"" . }}
""".encode()


def small_store() -> EmbeddedStore:
    """Two triples in the default graph and two in each of the named graphs G1 and G2."""
    return build_embedded_store([DataFile(name="small.trig", data=TRIG, graph_iri=None)])
