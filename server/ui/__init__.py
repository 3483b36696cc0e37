"""The query UI: YASGUI served offline at /sparql for browsers, and the example queries at /queries."""

from .page import query_ui_response
from .views import blueprint

__all__ = ["blueprint", "query_ui_response"]
