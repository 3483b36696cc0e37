"""The query page for browsers: YASGUI when its files are installed, else a plain form."""

from flask import Response, make_response, render_template, request

from ...rdf.formats import RESULT_FORMATS
from ...rdf.namespaces import PREFIXES
from ...sparql.examples import example_queries
from ..context import current_config
from .assets import ASSETS_ENV_VAR, INSTALL_SCRIPT, assets_dir, assets_present

SPARQL_PATH = "/sparql"
# The `format` values (and labels) offered in links and forms for SELECT/ASK results.
FORM_RESULT_FORMATS = tuple((m.format_names[0], m.name.upper()) for m in RESULT_FORMATS)
DEFAULT_QUERY_BODY = (
    "SELECT ?subject ?predicate ?object\nWHERE { ?subject ?predicate ?object }\nLIMIT 25\n"
)


def prefix_declarations() -> str:
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def ui_settings() -> dict[str, object]:
    """What the page's script needs: endpoint (relative to the page), prefixes, example queries."""
    return {
        "endpoint": request.script_root + SPARQL_PATH,
        "prefixes": dict(PREFIXES),
        "defaultQuery": prefix_declarations() + "\n" + DEFAULT_QUERY_BODY,
        "examples": [
            {"name": q.name, "title": q.title, "description": q.description, "query": q.text}
            for q in example_queries()
        ],
    }


def ui_assets_installed() -> bool:
    config = current_config()
    return assets_present(assets_dir(config))


def query_ui_response() -> Response:
    """The HTML query page; ``/sparql`` answers a browser's GET without a query with it."""
    if ui_assets_installed():
        html = render_template("ui_yasgui.html", settings=ui_settings())
    else:
        html = render_template(
            "ui_form.html",
            settings=ui_settings(),
            formats=FORM_RESULT_FORMATS,
            install_script=INSTALL_SCRIPT,
            assets_env_var=ASSETS_ENV_VAR,
        )
    response = make_response(html)
    response.mimetype = "text/html"
    return response
