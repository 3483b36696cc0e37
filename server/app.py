"""The Flask application factory: config and store are injected, nothing is read at import time."""

from flask import Flask

from .build import build_store
from .config import Config
from .http_errors import register_error_handlers
from .state import DatasetState
from .store import Store


def create_app(config: Config | None = None, store: Store | None = None) -> Flask:
    """Build the app for ``config``; ``store`` defaults to a new build of ``config``'s data."""
    config = config or Config()
    app = Flask(__name__)
    app.config["CAREKG"] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes
    app.extensions["carekg"] = DatasetState(store if store is not None else build_store(config))

    from .endpoint import blueprint as endpoint_blueprint
    from .linked_data import blueprint as linked_data_blueprint
    from .ui import blueprint as ui_blueprint

    register_error_handlers(app)
    app.register_blueprint(endpoint_blueprint)
    app.register_blueprint(ui_blueprint)
    app.register_blueprint(linked_data_blueprint)
    return app
