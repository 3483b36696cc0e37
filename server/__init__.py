"""carekg: a linked-data knowledge graph of Scotland's joint inspections of children's services."""

__version__ = "0.1.0"
