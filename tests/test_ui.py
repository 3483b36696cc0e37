"""The query UI and the example-query pages, through Flask's test client.

The YASGUI page is checked as served (its markup and the settings its script reads); that it really
works in a browser, offline, is tests/test_ui_browser.py's job.
"""

import html as html_module
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from expected import GRADE_COUNTS
from flask import Flask
from flask.testing import FlaskClient
from rdflib.query import Result

from carekg.config import Config
from carekg.rdf.namespaces import PREFIXES
from carekg.sparql.examples import ExampleQuery, example_queries
from carekg.store.embedded import EmbeddedStore
from carekg.web.app import create_app

ASSET_FILES = {
    "yasgui.min.js": "window.Yasgui = function () {};\n",
    "yasgui.min.css": ".yasgui { display: block; }\n",
}


class PageLinks(HTMLParser):
    """Every URL the page would make a browser fetch or follow, and its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.scripts: dict[str, str] = {}  # id (or position) -> text
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action", "srcset", "poster", "data") and value:
                self.urls.append((tag, name, value))
        if tag == "script":
            self._script = dict(attrs).get("id") or f"script-{len(self.scripts)}"
            self.scripts[self._script] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts[self._script] += data


def parse_page(html: str) -> PageLinks:
    parser = PageLinks()
    parser.feed(html)
    return parser


def make_client(store: EmbeddedStore, assets: Path) -> FlaskClient:
    application: Flask = create_app(Config(ui_assets=assets), store=store)
    application.config["TESTING"] = True
    return application.test_client()


@pytest.fixture
def assets_folder(tmp_path: Path) -> Path:
    """A folder holding files by YASGUI's names: the page is tested, not YASGUI itself."""
    folder = tmp_path / "yasgui"
    folder.mkdir()
    for name, text in ASSET_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def ui_client(builtin_store: EmbeddedStore, assets_folder: Path) -> FlaskClient:
    return make_client(builtin_store, assets_folder)


@pytest.fixture
def bare_client(builtin_store: EmbeddedStore, tmp_path: Path) -> FlaskClient:
    """A server installed without the UI's files, as a plain `pip install` leaves it."""
    empty = tmp_path / "no-assets"
    empty.mkdir()
    return make_client(builtin_store, empty)


def ui_settings(html: str) -> dict[str, object]:
    settings: dict[str, object] = json.loads(parse_page(html).scripts["carekg-ui-settings"])
    return settings


# ---- the YASGUI page


def test_ui_page_loads_yasgui_from_this_server(ui_client: FlaskClient) -> None:
    response = ui_client.get("/sparql/ui")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    urls = {value for _, _, value in parse_page(response.text).urls}
    assert {"/yasgui/yasgui.min.js", "/yasgui/yasgui.min.css"} <= urls


def test_ui_page_queries_this_servers_endpoint(ui_client: FlaskClient) -> None:
    settings = ui_settings(ui_client.get("/sparql/ui").text)
    assert settings["endpoint"] == "/sparql"


def test_ui_page_preloads_every_ontology_prefix(ui_client: FlaskClient) -> None:
    settings = ui_settings(ui_client.get("/sparql/ui").text)
    assert settings["prefixes"] == PREFIXES
    default_query = str(settings["defaultQuery"])
    for prefix, iri in PREFIXES.items():
        assert f"PREFIX {prefix}: <{iri}>\n" in default_query


def test_ui_page_has_a_tab_per_example_query(ui_client: FlaskClient) -> None:
    settings = ui_settings(ui_client.get("/sparql/ui").text)
    tabs = settings["examples"]
    assert isinstance(tabs, list)
    expected = example_queries()
    assert [t["name"] for t in tabs] == [q.name for q in expected]
    assert [t["title"] for t in tabs] == [q.title for q in expected]
    assert [t["query"] for t in tabs] == [q.text for q in expected]


def test_ui_page_names_no_other_host(ui_client: FlaskClient) -> None:
    """No URL of another host anywhere in the page, its script or its config.

    Namespace IRIs in the prefixes and in query texts are data, never fetched: they are removed
    before the check; everything else on the page must be free of absolute http(s) URLs.
    """
    html = ui_client.get("/sparql/ui").text
    page = parse_page(html)
    for tag, attribute, value in page.urls:
        assert not re.match(r"(?i)(https?:)?//", value), f"<{tag} {attribute}={value!r}>"
    settings = ui_settings(html)
    settings.pop("prefixes")
    settings.pop("defaultQuery")
    for example in settings["examples"]:  # type: ignore[attr-defined]
        example.pop("query")
        example.pop("description")
    assert not re.search(r"(?i)https?:|//[a-z0-9.-]+\.[a-z]", json.dumps(settings))
    other_scripts = [text for key, text in page.scripts.items() if key != "carekg-ui-settings"]
    for script in other_scripts:
        assert not re.search(r"(?i)https?://", script)
    markup = re.sub(r"(?s)<script\b.*?</script>", "", html)
    assert not re.search(r"(?i)https?://", markup)


def test_ui_page_turns_off_yasguis_network_features(ui_client: FlaskClient) -> None:
    """YASGUI's defaults fetch LOV completions and list outside endpoints; the page turns them off."""
    script = "".join(
        text
        for key, text in parse_page(ui_client.get("/sparql/ui").text).scripts.items()
        if key != "carekg-ui-settings"
    )
    assert 'var completers = ["variables", "carekgPrefixes"];' in script
    assert "Yasqe.defaults.autocompleters = completers.slice();" in script
    assert "prefixCcApi: null" in script
    assert (
        "endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }"
        in (script)
    )


def test_yasgui_files_are_served_from_the_assets_folder(
    ui_client: FlaskClient, assets_folder: Path
) -> None:
    for name, text in ASSET_FILES.items():
        response = ui_client.get(f"/yasgui/{name}")
        assert response.status_code == 200
        assert response.text == text
    assert ui_client.get("/yasgui/../../config.py").status_code == 404
    assert ui_client.get("/yasgui/not-there.js").status_code == 404


# ---- without the UI's files


def test_page_without_assets_says_how_to_add_them(bare_client: FlaskClient) -> None:
    response = bare_client.get("/sparql/ui")
    assert response.status_code == 200
    assert "scripts/install_ui_assets.sh" in response.text
    assert "CAREKG_UI_ASSETS" in response.text
    assert "yasgui.min.js" in response.text  # named as a file to add, never loaded
    assert not any("/yasgui/" in value for _, _, value in parse_page(response.text).urls)


def test_page_without_assets_offers_a_form_that_posts_to_the_endpoint(
    bare_client: FlaskClient,
) -> None:
    html = bare_client.get("/sparql/ui").text
    assert re.search(r'<form method="post" action="/sparql">', html)
    assert re.search(r'<textarea[^>]*name="query"', html)
    for prefix, iri in PREFIXES.items():
        assert f"PREFIX {prefix}: &lt;{iri}&gt;" in html
    assert [tag for tag, _, _ in parse_page(html).urls if tag == "script"] == []


def test_page_without_assets_links_to_nothing_missing(bare_client: FlaskClient) -> None:
    page = parse_page(bare_client.get("/sparql/ui").text)
    links = {value for tag, _, value in page.urls if tag == "a"}
    assert links, "the page links to the example queries"
    for link in sorted(links):
        status = bare_client.get(link, headers={"Accept": "text/html"}).status_code
        assert status in (200, 302, 303, 307, 308), f"{link} answers {status}"


def test_asset_route_without_assets_is_404(bare_client: FlaskClient) -> None:
    assert bare_client.get("/yasgui/yasgui.min.js").status_code == 404


# ---- the example queries


def test_queries_page_lists_every_example(ui_client: FlaskClient) -> None:
    response = ui_client.get("/queries", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    links = {value for tag, _, value in parse_page(response.text).urls if tag == "a"}
    for example in example_queries():
        assert f"/queries/{example.name}" in links
        assert example.title in response.text


def test_queries_list_as_json(ui_client: FlaskClient) -> None:
    response = ui_client.get("/queries", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    listed = response.get_json()["queries"]
    assert [(q["name"], q["title"], q["description"], q["query"]) for q in listed] == [
        (q.name, q.title, q.description, q.text) for q in example_queries()
    ]
    assert listed[0]["url"] == f"http://localhost/queries/{listed[0]['name']}"


def test_queries_format_parameter_overrides_accept(ui_client: FlaskClient) -> None:
    response = ui_client.get("/queries?format=json", headers={"Accept": "text/html"})
    assert response.mimetype == "application/json"


def test_queries_list_refuses_a_format_it_cannot_give(ui_client: FlaskClient) -> None:
    response = ui_client.get("/queries", headers={"Accept": "text/turtle"})
    assert response.status_code == 406


def test_query_page_shows_the_query_text(ui_client: FlaskClient) -> None:
    response = ui_client.get("/queries/grade-counts", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "Grade counts on the six-point scale" in response.text
    assert "PREFIX carekg: &lt;https://w3id.org/carekg/def/&gt;" in response.text
    links = {value for tag, _, value in parse_page(response.text).urls if tag == "a"}
    assert "/queries/grade-counts?format=csv" in links


def test_unknown_query_is_404_naming_it(ui_client: FlaskClient) -> None:
    response = ui_client.get("/queries/no-such-query", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert "no-such-query" in response.text


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_sparql_shows_the_ui_to_a_browser(ui_client: FlaskClient) -> None:
    response = ui_client.get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert ui_settings(response.text)["endpoint"] == "/sparql"


def test_sparql_shows_the_form_to_a_browser_without_assets(bare_client: FlaskClient) -> None:
    response = bare_client.get("/sparql", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert "scripts/install_ui_assets.sh" in response.text


@pytest.mark.parametrize(
    ("how", "value", "result_format"),
    [
        ("format", "json", "json"),
        ("format", "xml", "xml"),
        ("format", "csv", "csv"),
        ("format", "tsv", "tsv"),
        ("accept", "application/sparql-results+json", "json"),
        ("accept", "application/sparql-results+xml", "xml"),
        ("accept", "text/csv", "csv"),
        ("accept", "text/tab-separated-values", "tsv"),
    ],
)
def test_example_runs_by_name_in_any_result_format(
    ui_client: FlaskClient, how: str, value: str, result_format: str
) -> None:
    if how == "format":
        response = ui_client.get(f"/queries/grade-counts?format={value}", headers={"Accept": "*/*"})
    else:
        response = ui_client.get("/queries/grade-counts", headers={"Accept": value})
    assert response.status_code == 200, response.text
    assert "Accept" in response.headers["Vary"]
    result = Result.parse(io.BytesIO(response.data), format=result_format)
    rows = [row for row in result if "South Lanarkshire" in str(row["inspection"])]  # type: ignore[index]
    assert len(rows) == 6  # the seed report's six grades, among the corpus's 120 rows
    counts = {str(row["grade"]): int(str(row["indicators"])) for row in rows}  # type: ignore[index]
    assert counts == GRADE_COUNTS


def test_example_run_by_name_answers_what_a_client_accepting_anything_gets(
    ui_client: FlaskClient,
) -> None:
    response = ui_client.get("/queries/strengths", headers={"Accept": "*/*"})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert len(response.get_json()["results"]["bindings"]) == 4


def test_example_run_by_name_refuses_a_graph_format_for_a_select(ui_client: FlaskClient) -> None:
    response = ui_client.get("/queries/grade-counts?format=turtle")
    assert response.status_code == 406


@pytest.mark.parametrize("example", example_queries(), ids=lambda q: q.name)
def test_every_example_runs_by_name_with_the_rows_of_the_store(
    ui_client: FlaskClient, builtin_store: EmbeddedStore, example: ExampleQuery
) -> None:
    response = ui_client.get(f"/queries/{example.name}?format=json")
    assert response.status_code == 200
    expected = builtin_store.query(example.text)
    assert len(response.get_json()["results"]["bindings"]) == len(list(expected))  # type: ignore[arg-type]


def test_the_form_without_assets_runs_its_query_on_the_endpoint(bare_client: FlaskClient) -> None:
    """Submit the fallback form as a browser would: its action, its default query, each format."""
    html = bare_client.get("/sparql/ui").text
    action = re.search(r'<form method="post" action="([^"]+)">', html)
    textarea = re.search(r'<textarea[^>]*name="query"[^>]*>(.*?)</textarea>', html, re.S)
    options = re.findall(r'<option value="([^"]+)">', html)
    assert action and textarea
    assert options == ["json", "xml", "csv", "tsv"]
    query = html_module.unescape(textarea.group(1))
    for result_format in options:
        response = bare_client.post(
            action.group(1),
            data={"query": query, "format": result_format},
            headers={"Accept": BROWSER_ACCEPT},
        )
        assert response.status_code == 200, response.text
        result = Result.parse(io.BytesIO(response.data), format=result_format)
        assert len(list(result)) == 25


def test_example_run_by_name_honours_default_graph_uri(ui_client: FlaskClient) -> None:
    """The grade counts live in the report's graph: with only the ontology's graph, none match."""
    only_ontology = "https://w3id.org/carekg/graph/ontology"
    response = ui_client.get(f"/queries/grade-counts?format=json&default-graph-uri={only_ontology}")
    assert response.status_code == 200
    assert response.get_json()["results"]["bindings"] == []
    report_graph = "https://w3id.org/carekg/graph/south-lanarkshire-2014"
    scale_graph = "https://w3id.org/carekg/graph/evaluation-scale"
    response = ui_client.get(
        f"/queries/grade-counts?format=json&default-graph-uri={report_graph}"
        f"&default-graph-uri={scale_graph}"
    )
    assert len(response.get_json()["results"]["bindings"]) == 6
