"""The /sparql route: queries by the SPARQL 1.1 Protocol, the service description, the query UI."""

import time

from flask import Blueprint, Flask, Response, current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import BadRequest, NotAcceptable

from ...config import Config
from ...dataset.inference import INFERRED_GRAPH
from ...errors import CarekgError
from ...rdf.formats import RDF_GRAPH_FORMATS, RESULT_FORMATS, MediaType
from ...sparql.jobs import prepare_job
from ...sparql.results import Serialized
from ...sparql.scan import QueryScan
from ..context import current_config, current_store
from ..cors import ROW_CAP_HEADER, TRUNCATED_HEADER, preflight
from ..errors import status_of
from ..metrics import record_query
from ..negotiation import choose
from .cache import CacheKey, ResultCache
from .landing import GRAPH_SIZES, LINKSETS, describe_or_show_ui
from .protocol import ProtocolRequest, read_protocol_request
from .service_description import GraphSizesCache, LinksetCache

blueprint = Blueprint("endpoint", __name__)
RESULT_CACHE = "carekg.result_cache"  # app.extensions key of the app's ResultCache


@blueprint.record_once
def create_caches(state: BlueprintSetupState) -> None:
    """One result cache, one graph-size cache and one link-set cache per app, made once when the
    endpoint is registered."""
    state.app.extensions[RESULT_CACHE] = ResultCache()
    state.app.extensions[GRAPH_SIZES] = GraphSizesCache()
    state.app.extensions[LINKSETS] = LinksetCache()


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
@blueprint.route("/sparql/", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    return _endpoint(asserted_only=False)


@blueprint.route("/sparql/asserted", methods=["GET", "POST", "OPTIONS"])
def sparql_asserted() -> Response:
    """The same endpoint over the asserted graphs only: the default graph is their union and GRAPH
    ranges over them, without carekg's inferred graph (unless the request names its own graphs)."""
    return _endpoint(asserted_only=True)


def _endpoint(asserted_only: bool) -> Response:
    if request.method == "OPTIONS":
        return preflight()
    config = current_config()
    protocol = read_protocol_request(request, config.max_request_bytes)
    if protocol.query is None:
        return describe_or_show_ui(protocol)
    return answer_query(protocol, asserted_only=asserted_only)


@blueprint.after_request
def vary_by_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def answer_query(protocol: ProtocolRequest, asserted_only: bool = False) -> Response:
    """Answer a query operation: checks, negotiation, cache, timed evaluation, row cap headers.

    The endpoint's whole query path; other views (the example queries) answer through it too."""
    if protocol.query is None:
        raise BadRequest("the request holds no 'query' parameter")
    config = current_config()
    endpoint_iri = request.base_url
    store = current_store()
    default_graphs, named_graphs = protocol.default_graphs, protocol.named_graphs
    if asserted_only and not (default_graphs or named_graphs):
        default_graphs = named_graphs = tuple(
            g for g in store.named_graphs() if g != INFERRED_GRAPH
        )
    job = prepare_job(
        protocol.query,
        lambda scan: _acceptable_types(scan, protocol.formats),
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        base_iri=endpoint_iri,
        max_rows=config.max_rows,
        service_allowlist=config.service_allowlist,
    )
    results_type, graph_type = job.results_type, job.graph_type
    key = CacheKey(
        store_version=store.version,
        query=job.query,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        results_type=results_type.name if results_type else None,
        graph_type=graph_type.name if graph_type else None,
        max_rows=job.max_rows,
        base_iri=endpoint_iri,
    )
    cache = result_cache(current_app)
    started = time.monotonic()
    outcome = cache.get(key)
    if outcome is not None:
        record_query(time.monotonic() - started, job.query, outcome.rows, 200, cached=True)
        return _result_response(outcome, config)
    try:
        outcome = store.answer(job, config.timeout)
    except CarekgError as error:
        record_query(time.monotonic() - started, job.query, None, status_of(error) or 500, False)
        raise
    record_query(time.monotonic() - started, job.query, outcome.rows, 200, cached=False)
    cache.put(key, outcome)
    return _result_response(outcome, config)


def _acceptable_types(
    scan: QueryScan, format_param: tuple[str, ...]
) -> tuple[MediaType | None, MediaType | None]:
    """The format for each result kind; 406 at once if the query's own kind has none."""
    accept = request.headers.get("Accept")
    chosen: list[MediaType | None] = []
    refusals: list[NotAcceptable] = []
    for offered in (RESULT_FORMATS, RDF_GRAPH_FORMATS):
        try:
            chosen.append(choose(accept, format_param, offered))
        except NotAcceptable as refusal:
            chosen.append(None)
            refusals.append(refusal)
    results_type, graph_type = chosen
    if scan.form in ("SELECT", "ASK") and results_type is None:
        raise refusals[0]
    if scan.form in ("CONSTRUCT", "DESCRIBE") and graph_type is None:
        raise refusals[-1]
    if results_type is None and graph_type is None:
        raise refusals[0]
    return results_type, graph_type


def _result_response(outcome: Serialized, config: Config) -> Response:
    response = Response(outcome.body, status=200, content_type=outcome.media_type.content_type)
    response.headers[ROW_CAP_HEADER] = str(outcome.row_cap or config.max_rows)
    response.headers[TRUNCATED_HEADER] = "true" if outcome.truncated else "false"
    return response


def result_cache(app: Flask) -> ResultCache:
    cache: ResultCache = app.extensions[RESULT_CACHE]
    return cache
