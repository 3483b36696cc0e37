"""Routes of the query UI: the YASGUI page, its files, and the example queries by name."""

from flask import (
    Blueprint,
    Response,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.exceptions import NotFound

from ...rdf.formats import ALL_FORMATS, HTML, MediaType
from ...sparql.examples import ExampleQuery, example_queries, example_query
from ..context import current_config
from ..endpoint.protocol import ProtocolRequest, parse_query_params
from ..endpoint.views import answer_query
from ..negotiation import choose
from .assets import assets_dir, assets_present
from .page import FORM_RESULT_FORMATS, query_ui_response, ui_assets_installed

blueprint = Blueprint("ui", __name__)

JSON_LIST = MediaType(
    "json", "application/json", "page", "JSON", format_names=("json",), extension="json"
)
ASSET_MAX_AGE_SECONDS = 3600


@blueprint.get("/sparql/ui")
def query_ui() -> Response:
    return query_ui_response()


@blueprint.get("/yasgui/<path:filename>")
def asset(filename: str) -> Response:
    """YASGUI's files, from the folder the set-up script filled (or ``CAREKG_UI_ASSETS``)."""
    config = current_config()
    folder = assets_dir(config)
    if not assets_present(folder):
        raise NotFound(f"the query UI's files are not installed on this server ({filename})")
    return send_from_directory(folder, filename, max_age=ASSET_MAX_AGE_SECONDS)


@blueprint.get("/queries")
def list_queries() -> Response:
    """The example queries: an HTML page, or JSON (``Accept`` or ``?format=json|html``)."""
    chosen = choose(
        request.headers.get("Accept"), request.args.getlist("format"), (HTML, JSON_LIST)
    )
    examples = example_queries()
    if chosen is JSON_LIST:
        response = jsonify({"queries": [_describe(q) for q in examples]})
    else:
        response = Response(
            render_template("ui_queries.html", examples=examples, assets=ui_assets_installed()),
            mimetype="text/html",
        )
    response.vary.add("Accept")
    return response


def _describe(example: ExampleQuery) -> dict[str, str]:
    return {
        "name": example.name,
        "title": example.title,
        "description": example.description,
        "query": example.text,
        "url": url_for("ui.show_query", name=example.name, _external=True),
    }


@blueprint.get("/queries/<name>")
def show_query(name: str) -> Response:
    """One example query: its text as HTML for a browser, else its results in the format asked for."""
    example = example_query(name)
    if example is None:
        raise NotFound(f"there is no example query called {name!r}; the list is at /queries")
    protocol = _example_protocol_request(example)
    chosen = choose(request.headers.get("Accept"), protocol.formats, ALL_FORMATS)
    if chosen is HTML:
        response = Response(
            render_template(
                "ui_query.html",
                example=example,
                formats=FORM_RESULT_FORMATS,
                assets=ui_assets_installed(),
            ),
            mimetype="text/html",
        )
        response.vary.add("Accept")
        return response
    return run_example(protocol)


def _example_protocol_request(example: ExampleQuery) -> ProtocolRequest:
    """The example's text with the URL's protocol parameters, checked as /sparql checks them."""
    config = current_config()
    return parse_query_params(
        request.args.getlist,
        config.max_request_bytes,
        query=example.text,
        query_source=f"the example query {example.name!r}",
    )


def run_example(protocol: ProtocolRequest) -> Response:
    """The query's results through /sparql's own path: negotiation, checks, timeout and row cap."""
    response = answer_query(protocol)
    response.vary.add("Accept")
    return response
