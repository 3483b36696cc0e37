"""A GET on /sparql with no query: the service description (RDF), or the query UI for a browser."""

import pyoxigraph as ox
from flask import Response, current_app, request

from ...rdf.formats import HTML, RDF_GRAPH_FORMATS
from ...rdf.writing import serialize_rdf
from ...sparql.examples import example_queries
from ..context import current_config, current_store
from ..negotiation import choose
from .protocol import ProtocolRequest
from .service_description import Discovery, GraphSizesCache, service_description

QUERY_UI_VIEW = "ui.query_ui"
GRAPH_SIZES = "carekg.graph_sizes"  # app.extensions key of the app's GraphSizesCache
LINKSETS = "carekg.linksets"  # app.extensions key of the app's LinksetCache

RDFS_SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
DESCRIPTION_PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
}


def describe_or_show_ui(protocol: ProtocolRequest) -> Response:
    """The SPARQL Service Description in the RDF format asked for, or the query UI for HTML."""
    media_type = choose(request.headers.get("Accept"), protocol.formats, (*RDF_GRAPH_FORMATS, HTML))
    if media_type is HTML:
        return _query_ui()
    config = current_config()
    quads = service_description(
        request.base_url,
        current_store(),
        federation=bool(config.service_allowlist),
        sizes_cache=graph_sizes_cache(),
        discovery=Discovery(
            base=config.base_iri,
            url_for=_server_url,
            examples=example_queries(),
            linkset_cache=current_app.extensions.get(LINKSETS),
        ),
    )
    # The dataset description (VoID and DCAT, served by carekg.linked_data) is linked from here.
    void_url = _server_url("/.well-known/void")
    quads.append(ox.Quad(ox.NamedNode(request.base_url), RDFS_SEE_ALSO, ox.NamedNode(void_url)))
    body = serialize_rdf(quads, media_type, DESCRIPTION_PREFIXES)
    return Response(body, content_type=media_type.content_type)


def _server_url(path: str) -> str:
    return request.host_url.rstrip("/") + request.script_root + path


def graph_sizes_cache() -> GraphSizesCache:
    """The app's cache of graph sizes, which the endpoint blueprint creates when registered."""
    cache: GraphSizesCache = current_app.extensions[GRAPH_SIZES]
    return cache


def _query_ui() -> Response:
    """The query UI's own view (the ui blueprint's ``query_ui``), looked up by name: the UI runs its
    example queries through this endpoint, so the endpoint must not import the UI."""
    response = current_app.view_functions[QUERY_UI_VIEW]()
    assert isinstance(response, Response)
    return response
