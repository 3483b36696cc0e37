"""Preparing a client's query for evaluation: the one path the endpoint and ``carekg query`` share.

A query is scanned (its form, SERVICE calls, whether it is an update, nesting depth), refused if it would
write or call an endpoint that is not allowed, given the output formats its form needs, and becomes a
``QueryJob`` that a store evaluates.
"""

from collections.abc import Callable, Sequence

from ..errors import CarekgError
from ..rdf.formats import MediaType
from ..rdf.namespaces import PREFIXES
from .execution import QueryJob
from .scan import QueryScan, scan_query

READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"

# Given the scan, the results format (SELECT/ASK) and the graph format (CONSTRUCT/DESCRIBE) to use.
FormatChooser = Callable[[QueryScan], tuple[MediaType | None, MediaType | None]]


class UpdateRefused(CarekgError):
    """A SPARQL Update sent where only queries are answered."""

    def __init__(self) -> None:
        super().__init__(READ_ONLY)


class ServiceRefused(CarekgError):
    """A SERVICE call to an endpoint that is not on the allow-list."""


def prepare_job(
    query: str,
    choose_formats: FormatChooser,
    *,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    base_iri: str | None = None,
    max_rows: int,
    service_allowlist: Sequence[str] = (),
) -> QueryJob:
    """The job for ``query``; raises UpdateRefused, ServiceRefused, or the scan's QueryTooComplex."""
    scan = scan_query(query, base_iri)
    if scan.is_update:
        raise UpdateRefused()
    refuse_unlisted_services(scan, service_allowlist)
    results_type, graph_type = choose_formats(scan)
    return QueryJob(
        query=query,
        results_type=results_type,
        graph_type=graph_type,
        default_graphs=tuple(default_graphs),
        named_graphs=tuple(named_graphs),
        base_iri=base_iri,
        max_rows=max_rows,
        prefixes=tuple(PREFIXES.items()),
        names_dataset=scan.names_dataset,
    )


def refuse_unlisted_services(scan: QueryScan, allowlist: Sequence[str]) -> None:
    allowed = set(allowlist)
    listed = ", ".join(f"<{iri}>" for iri in allowlist) or "none"
    for call in scan.services:
        if call.endpoint is None:
            raise ServiceRefused(
                f"SERVICE {call.text} is refused: a SERVICE endpoint must be an IRI on the "
                f"server's allow-list (allowed: {listed})"
            )
        if call.endpoint not in allowed:
            raise ServiceRefused(
                f"SERVICE <{call.endpoint}> is refused: federated queries may only call endpoints "
                f"on the server's allow-list, CAREKG_SERVICE_ALLOWLIST (allowed: {listed})"
            )
