"""The Flask application factory: config and store are injected, nothing is read at import time."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .build import build_store
from .config import APP_CONFIG_KEY, Config
from .http_errors import register_error_handlers
from .state import DatasetState
from .store import Store


def create_app(config: Config | None = None, store: Store | None = None) -> Flask:
    """Build the app for ``config``; ``store`` defaults to a new build of ``config``'s data."""
    config = config or Config()
    app = Flask(__name__)
    app.config[APP_CONFIG_KEY] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes
    app.extensions["carekg"] = DatasetState(store if store is not None else build_store(config))
    if (
        config.proxy_hops > 0
    ):  # honour X-Forwarded-For/Proto/Host/Port/Prefix from that many proxies
        hops = config.proxy_hops
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )

    from .endpoint import blueprint as endpoint_blueprint
    from .linked_data import blueprint as linked_data_blueprint
    from .linked_data.caching import add_validators
    from .ui import blueprint as ui_blueprint

    register_error_handlers(app)
    app.after_request(add_validators)  # ETag, Last-Modified and 304s for every response
    app.register_blueprint(endpoint_blueprint)
    app.register_blueprint(ui_blueprint)
    app.register_blueprint(linked_data_blueprint)
    return app
