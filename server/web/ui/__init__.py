"""The query UI: YASGUI served offline at /sparql for browsers, and the example queries at /queries."""
