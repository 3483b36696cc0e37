"""The Flask application factory: config and store are injected, nothing is read at import time."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import Config
from ..store.protocol import Store
from .context import APP_CONFIG_KEY, DATASET_KEY, DatasetState
from .cors import register_cors
from .endpoint.views import blueprint as endpoint_blueprint
from .errors import register_error_handlers
from .linked_data import blueprint as linked_data_blueprint
from .linked_data.caching import add_validators
from .metrics import register_operations
from .ui.views import blueprint as ui_blueprint

PACKAGE_ROOT = (
    Path(__file__).resolve().parent.parent
)  # templates/ and static/ sit at the package root


def create_app(config: Config | None = None, store: Store | None = None) -> Flask:
    """Build the app for ``config``; ``store`` defaults to a new build of ``config``'s data."""
    config = config or Config()
    app = Flask(
        "carekg",
        root_path=str(PACKAGE_ROOT),
        template_folder="templates",
        static_folder="static",
    )
    app.config[APP_CONFIG_KEY] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes
    if store is None:  # tests and embedding code; carekg serve always passes the built store
        from ..dataset.build import build_store  # the build pipeline: pyshacl and all

        store = build_store(config)
    app.extensions[DATASET_KEY] = DatasetState(store)
    if (
        config.proxy_hops > 0
    ):  # honour X-Forwarded-For/Proto/Host/Port/Prefix from that many proxies
        hops = config.proxy_hops
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
    register_error_handlers(app)
    register_cors(app)
    register_operations(app)
    app.after_request(add_validators)  # ETag, Last-Modified and 304s for every response
    app.register_blueprint(endpoint_blueprint)
    app.register_blueprint(ui_blueprint)
    app.register_blueprint(linked_data_blueprint)
    return app
