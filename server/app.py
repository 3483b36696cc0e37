"""The Flask application factory: config and store are injected, nothing is read at import time."""

from flask import Flask

from .config import Config
from .http_errors import register_error_handlers
from .loading import read_data_files
from .sources import bundled_data_files
from .state import DatasetState
from .store import Store, build_embedded_store


def create_app(config: Config | None = None, store: Store | None = None) -> Flask:
    """Build the app for ``config``; ``store`` defaults to the built-in graph (or ``config.data``)."""
    config = config or Config()
    app = Flask(__name__)
    app.config["CAREKG"] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes
    if store is None:
        files = read_data_files(config.data) if config.data else bundled_data_files()
        store = build_embedded_store(files)
    app.extensions["carekg"] = DatasetState(store)

    from .endpoint import blueprint as endpoint_blueprint
    from .linked_data import blueprint as linked_data_blueprint
    from .ui import blueprint as ui_blueprint

    register_error_handlers(app)
    app.register_blueprint(endpoint_blueprint)
    app.register_blueprint(ui_blueprint)
    app.register_blueprint(linked_data_blueprint)
    return app
