"""Content negotiation: which offered format a request wants (q-values, wildcards, a ``format`` parameter).

Views offer an ordered tuple of ``MediaType``s (server preference first) and call ``choose``; when nothing
offered is acceptable it raises werkzeug's ``NotAcceptable`` whose message lists what could be produced.

The Accept header is parsed by werkzeug (as for ``request.accept_mimetypes``), which ranks the client's media ranges
by specificity, so ``application/sparql-results+json;q=0, */*;q=0.5`` refuses JSON as RFC 9110 says. What
werkzeug cannot know is carekg's aliases: ``application/json`` names both SPARQL JSON results and JSON-LD,
and ``application/xml`` both XML results and RDF/XML. An alias counts only when the client names it
exactly (werkzeug's ``best_match`` over aliases would let ``text/*`` choose XML results by ``text/xml``
over CSV), and at equal quality it beats a canonical type matched only by a wildcard (a browser's
``application/xml;q=0.9, */*;q=0.9`` gets XML, not JSON).
"""

from collections.abc import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable
from werkzeug.http import parse_accept_header

from ..rdf.formats import MediaType, describe_offered, named

# How a match ranks among matches of equal quality.
_EXACT, _ALIAS, _WILDCARD = 3, 2, 1


def choose(
    accept_header: str | None,
    format_param: str | Sequence[str] | None,
    offered: tuple[MediaType, ...],
) -> MediaType:
    """The offered format the client wants most.

    ``accept_header`` is parsed as werkzeug parses ``request.accept_mimetypes``. ``format_param`` (a short
    name such as ``turtle`` or a media type; several values are tried in order, as some clients send a
    name and a media type) overrides it. Without an Accept header the first offered format is chosen.
    Ties go to the more specific match, then to the server's order.
    """
    if not offered:
        raise ValueError("choose() needs at least one offered format")
    wanted = [format_param] if isinstance(format_param, str) else list(format_param or ())
    wanted = [w for w in wanted if w.strip()]
    if wanted:
        for name in wanted:
            media_type = named(name, offered)
            if media_type is not None:
                return media_type
        shown = ", ".join(repr(w) for w in wanted)
        raise NotAcceptable(f"format={shown} cannot be produced here; " + describe_offered(offered))
    ranges = parse_accept_header(accept_header, MIMEAccept)
    if not ranges:
        return offered[0]
    best: MediaType | None = None
    best_rank = (0.0, 0)
    canonical = ranges.best_match([m.mime for m in offered])
    if canonical is not None:
        best = next(m for m in offered if m.mime == canonical)
        exact = any(_bare(value) == canonical for value, _ in ranges)
        best_rank = (ranges.quality(canonical), _EXACT if exact else _WILDCARD)
    for media_type in offered:
        for alias in media_type.aliases:
            quality = max((q for value, q in ranges if _bare(value) == alias), default=0.0)
            if quality > 0 and (quality, _ALIAS) > best_rank:
                best, best_rank = media_type, (quality, _ALIAS)
    if best is None:
        raise NotAcceptable(
            f"nothing acceptable to 'Accept: {accept_header}' can be produced; "
            + describe_offered(offered)
        )
    return best


def _bare(media_range: str) -> str:
    """A client's media range without its parameters, lower-cased."""
    return media_range.split(";", 1)[0].strip().lower()
