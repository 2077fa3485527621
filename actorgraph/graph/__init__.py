"""The graph store (two backends behind one interface), its Cypher dialects, and the embedded engine."""

from actorgraph.graph.store import GraphStore, Row

__all__ = ["GraphStore", "Row"]
