"""The SPARQL 1.1 Protocol endpoint at /sparql (read-only, with timeouts, a row cap and CORS)."""
