"""HTTP validators for every response: an ETag per representation and Last-Modified, and 304 answers.

The ETag is derived from the dataset version (a hash of its canonical N-Quads), carekg's own version (the
pages' templates), the shapes' version (the validation report and the shapes document), the representation (Content-Type and Content-Encoding) and the address the server is
reached at (links in pages and dataset descriptions name it). Last-Modified is when the dataset was built.
Installed app-wide, so query responses (GET /sparql) get them too.
"""

import hashlib

from flask import Response, request

from ... import __version__
from ..context import current_store
from .shapes import bundled_shapes_version

VALIDATED_METHODS = ("GET", "HEAD")


def add_validators(response: Response) -> Response:
    """after_request: ETag and Last-Modified on successful GETs, then answer conditional requests."""
    if request.method not in VALIDATED_METHODS or response.status_code != 200:
        return response
    store = current_store()
    if "ETag" not in response.headers:
        digest = hashlib.sha256(
            "\n".join(
                (
                    store.version,
                    __version__,
                    bundled_shapes_version(),
                    request.host_url + request.script_root,
                    response.headers.get("Content-Type", ""),
                    response.headers.get("Content-Encoding", ""),
                )
            ).encode("utf-8")
        ).hexdigest()[:20]
        response.set_etag(f"{store.version}-{digest}")
        response.last_modified = store.built_at.replace(microsecond=0)
    if "Cache-Control" not in response.headers:
        # Stored copies must be revalidated: a rebuilt dataset changes every representation.
        response.headers["Cache-Control"] = "no-cache"
    response.make_conditional(request)
    return response
