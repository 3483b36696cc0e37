"""Mapping between carekg's canonical IRIs and the paths of the server being browsed.

The data keeps its canonical base (``Config.base_iri``, ``https://w3id.org/carekg/`` by default); a request
for ``/{path}`` on any host stands for the IRI ``{base}{path}``, and links in HTML pages point back at the
host (and path prefix) the person is browsing, so a local server, a staging host behind a proxy and the
published base all work.
"""

from flask import request

from ...rdf.namespaces import PREFIXES
from ..context import current_config

# Paths under the base whose IRIs name things (dereferenced by 303 See Other to a document).
THING_ROOTS = ("id/", "def/", "graph/")
DOCUMENT_ROOT = "/doc/"


def base_iri() -> str:
    config = current_config()
    return config.base_iri


def iri_for_path(path: str) -> str:
    """The canonical IRI a request path stands for (``/id/x`` -> ``{base}id/x``)."""
    return base_iri() + path.lstrip("/")


def local_path(iri: str) -> str | None:
    """The server path of a carekg IRI (``/id/x``), or None for an IRI outside the base."""
    base = base_iri()
    if not iri.startswith(base):
        return None
    return "/" + iri[len(base) :]


def href(iri: str) -> str:
    """Where a link to ``iri`` goes: on this server for a carekg IRI, else the IRI itself."""
    path = local_path(iri)
    if path is None:
        return iri
    return request.script_root + url_path(path)


def document_path(iri: str, extension: str | None = None) -> str:
    """The document describing a thing: ``/doc/{path below the base}[.ext]``."""
    path = local_path(iri)
    assert path is not None, iri
    suffix = "." + extension if extension else ""
    return DOCUMENT_ROOT + url_path(path.lstrip("/")) + suffix


def url_path(path: str) -> str:
    """A path as it goes into a URL: ``%`` and ``?`` of an IRI are data, not URL syntax."""
    return path.replace("%", "%25").replace("?", "%3F")


def server_url(path: str) -> str:
    """An absolute URL on the server being browsed (honouring X-Forwarded-* through ProxyFix)."""
    return request.host_url.rstrip("/") + request.script_root + path


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in a known namespace, else the IRI."""
    best = ""
    best_prefix = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, best_prefix = namespace, prefix
    if best and iri != best:
        return f"{best_prefix}:{iri[len(best) :]}"
    return iri
