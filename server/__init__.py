"""carekg: a linked-data knowledge graph of Scotland's joint inspections of children's services.

This package is the ``server/`` folder of the repository; its sub-packages are layers (commands, web,
dataset, store, sparql, rdf), each importing only those below it: see the README, "Where things are".
"""

__version__ = "0.1.0"
