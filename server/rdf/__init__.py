"""The RDF layer: namespaces, term conversion, the one format table and the RDF writer."""
