"""The store layer: the Store protocol every layer above reads through, and its embedded implementation."""
