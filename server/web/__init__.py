"""The web layer, the only one that imports Flask or werkzeug: the app factory, errors to statuses,
negotiation, CORS, and the endpoint, UI and linked-data blueprints."""
