"""The /sparql route: queries by the SPARQL 1.1 Protocol, the service description, the query UI."""

from flask import Blueprint, Flask, Response, current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import BadRequest, NotAcceptable

from ...config import Config
from ...rdf.formats import RDF_GRAPH_FORMATS, RESULT_FORMATS, MediaType
from ...sparql.jobs import prepare_job
from ...sparql.results import Serialized
from ...sparql.scan import QueryScan
from ..context import current_config, current_store
from ..cors import ROW_CAP_HEADER, TRUNCATED_HEADER, preflight
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
    if request.method == "OPTIONS":
        return preflight()
    config = current_config()
    protocol = read_protocol_request(request, config.max_request_bytes)
    if protocol.query is None:
        return describe_or_show_ui(protocol)
    return answer_query(protocol)


@blueprint.after_request
def vary_by_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def answer_query(protocol: ProtocolRequest) -> Response:
    """Answer a query operation: checks, negotiation, cache, timed evaluation, row cap headers.

    The endpoint's whole query path; other views (the example queries) answer through it too."""
    if protocol.query is None:
        raise BadRequest("the request holds no 'query' parameter")
    config = current_config()
    endpoint_iri = request.base_url
    job = prepare_job(
        protocol.query,
        lambda scan: _acceptable_types(scan, protocol.formats),
        default_graphs=protocol.default_graphs,
        named_graphs=protocol.named_graphs,
        base_iri=endpoint_iri,
        max_rows=config.max_rows,
        service_allowlist=config.service_allowlist,
    )
    results_type, graph_type = job.results_type, job.graph_type
    store = current_store()
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
    outcome = cache.get(key)
    if outcome is None:
        outcome = store.answer(job, config.timeout)
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
    response.headers[ROW_CAP_HEADER] = str(config.max_rows)
    response.headers[TRUNCATED_HEADER] = "true" if outcome.truncated else "false"
    return response


def result_cache(app: Flask) -> ResultCache:
    cache: ResultCache = app.extensions[RESULT_CACHE]
    return cache
