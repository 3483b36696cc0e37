"""The one pyoxigraph writer of RDF statements (query answers, the service description, dumps)."""

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from .formats import MediaType


def serialize_rdf(
    statements: Iterable[ox.Quad | ox.Triple],
    media_type: MediaType,
    prefixes: Mapping[str, str] | None = None,
    xml_namespaces: bool = False,
) -> bytes:
    """``statements``, in the order given, written by pyoxigraph in the RDF format ``media_type``.

    A dataset format keeps each quad's graph (a triple is in the default graph); a graph format
    writes the triples alone. Turtle and TriG declare ``prefixes``; RDF/XML declares them as XML
    namespaces only when ``xml_namespaces`` is set (the dumps do; query answers never have).
    Raises OSError when the format cannot hold the statements (JSON-LD and triple terms).
    """
    rdf_format = media_type.rdf_format
    if rdf_format is None:
        raise ValueError(f"{media_type.label} is not an RDF format")
    written: list[ox.Quad] | list[ox.Triple]
    if rdf_format.supports_datasets:
        written = [
            s if isinstance(s, ox.Quad) else ox.Quad(s.subject, s.predicate, s.object)
            for s in statements
        ]
    else:
        written = [s.triple if isinstance(s, ox.Quad) else s for s in statements]
    declares_prefixes = rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) or (
        xml_namespaces and rdf_format == ox.RdfFormat.RDF_XML
    )
    declared = dict(prefixes or {}) if declares_prefixes else None
    output = ox.serialize(written, format=rdf_format, prefixes=declared)
    assert output is not None  # no output file given: pyoxigraph returns the bytes
    return output
