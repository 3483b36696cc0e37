"""The SPARQL layer: scanning a query, preparing its job, evaluating it with a timeout, writing results."""
