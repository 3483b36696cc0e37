"""Linked-data publishing: dereferenceable IRIs, HTML pages, dumps, dataset descriptions, HTTP caching.

Routes (the IRI ``{base}{path}`` is served at ``/{path}``):
  /                              home page
  /inspections                   the inspections compared (grade counts, SVG charts)
  /resources                     every resource by class
  /id/..., /def, /def/..., /graph/...   303 See Other to /doc/...
  /doc/{path}[.{ext}]            a thing's description (negotiated; or one format by extension)
  /download/carekg.{ext}[.gz], /download/graph/{slug}.{ext}[.gz], /downloads   dumps
  /download/v/{version}/...      the dumps of one dataset version (kept for the last few builds)
  /download/grade-counts.csv[-metadata.json], /download/grade-counts.{ext}   the grade counts as a tidy
                                 CSV with its CSVW metadata, and as the Data Cube in RDF
  /rdf-graph-store?default | ?graph=IRI    Graph Store Protocol, read side
  /context.jsonld                carekg's JSON-LD context
  /.well-known/void[.{ext}]      VoID and DCAT
  /validation[.{ext}]            the SHACL validation report of the served data
  /shapes, /shapes/...           303 See Other to /doc/shapes[.{ext}], the SHACL shapes it was checked with

Call ``warm_caches(app)`` before forking worker processes, so that they share what is computed once per
dataset version instead of each computing it on its first request.
"""

from typing import Any

from flask import Blueprint, Flask

from ..context import current_store
from . import comparison, dataset, describe, downloads, grade_table, home, iris, resources, shapes
from .downloads import dump_bytes, offered_dumps
from .memo import keep_responses
from .shapes import bundled_shapes
from .validation_report import validation_of

blueprint = Blueprint("linked_data", __name__)

blueprint.add_url_rule("/", "home", home.home)
blueprint.add_url_rule("/inspections", "inspections", comparison.comparison_page)
blueprint.add_url_rule("/resources", "resources", resources.browse)
blueprint.add_url_rule("/id/<path:rest>", "id", lambda rest: resources.dereference("id/" + rest))
blueprint.add_url_rule("/def", "ontology", lambda: resources.dereference("def"))
# The namespace IRI of carekg's terms (void:vocabulary) stands for the ontology too.
blueprint.add_url_rule("/def/", "namespace", lambda: resources.dereference("def"))
blueprint.add_url_rule(
    "/def/<path:rest>", "term", lambda rest: resources.dereference("def/" + rest)
)
blueprint.add_url_rule(
    "/graph/<path:rest>", "graph", lambda rest: resources.dereference("graph/" + rest)
)
blueprint.add_url_rule("/doc/<path:path>", "document", resources.document)
blueprint.add_url_rule("/downloads", "downloads", downloads.downloads_page)
blueprint.add_url_rule("/download/graph/<filename>", "graph_dump", downloads.graph_dump)
blueprint.add_url_rule(
    "/download/v/<version>/<path:filename>", "versioned_dump", downloads.versioned_dump
)
# Static rules: werkzeug tries them before /download/<filename>.
blueprint.add_url_rule(grade_table.CSV_PATH, "grade_counts_csv", grade_table.grade_counts_csv)
blueprint.add_url_rule(
    grade_table.METADATA_PATH, "grade_counts_metadata", grade_table.grade_counts_metadata
)
for _format in grade_table.CUBE_FORMATS:
    blueprint.add_url_rule(
        f"{grade_table.CUBE_STEM}.{_format.extension}",
        f"grade_counts_{_format.extension}",
        grade_table.grade_counts_cube,
        defaults={"extension": _format.extension},
    )
blueprint.add_url_rule("/download/<filename>", "dataset_dump", downloads.dataset_dump)
blueprint.add_url_rule("/rdf-graph-store", "graph_store", downloads.graph_store)
blueprint.add_url_rule("/context.jsonld", "context", downloads.context_document)
blueprint.add_url_rule("/.well-known/void", "void", dataset.dataset_description)
blueprint.add_url_rule("/.well-known/void.<extension>", "void_as", dataset.dataset_description)
blueprint.add_url_rule("/validation", "validation", dataset.validation_report)
blueprint.add_url_rule("/validation.<extension>", "validation_as", dataset.validation_report)
blueprint.add_url_rule("/shapes", "shapes", shapes.dereference_shapes)
blueprint.add_url_rule("/shapes/<path:rest>", "shape", shapes.dereference_shapes)
# More specific than /doc/<path:path>, which werkzeug tries after these.
blueprint.add_url_rule("/doc/shapes", "shapes_document", shapes.shapes_document)
blueprint.add_url_rule("/doc/shapes.<extension>", "shapes_document_as", shapes.shapes_document)
# Pages and descriptions are rendered once per dataset version and address; dumps come from files
# (or their own memo), and the Graph Store's answers can be as large as the dataset.
keep_responses(blueprint, skip={"graph_dump", "versioned_dump", "dataset_dump", "graph_store"})


@blueprint.app_context_processor
def dataset_facts() -> dict[str, Any]:
    """What every page's layout needs: the dataset version, and whether it holds the ontology."""
    store = current_store()
    ontology = iris.iri_for_path("def")
    return {
        "dataset_version": store.version,
        "ontology_served": describe.is_known(store, ontology),
    }


def warm_caches(app: Flask) -> None:
    """Compute now what the app would otherwise compute on the first request for the current dataset
    version: the SHACL validation report, the published shapes and every dump, plain and gzipped (the
    DCAT description states their sizes). Call it in the process that forks the workers, before it forks
    them (and again after a reload swaps the store in), so that every worker starts with them."""
    with app.app_context():
        store = current_store()
        validation_of(store)
        bundled_shapes()
        for dump in offered_dumps(store):
            dump_bytes(store, dump.rdf_format, dump.graph, gz=dump.gz)
