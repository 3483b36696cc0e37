"""The dataset layer: carekg's sources, parsing, SHACL validation and its report formats, dumps, building a store."""
