"""The graph store (two backends behind one interface), its Cypher dialects, and the embedded engine."""

from actorgraph.graph.store import GraphStore, Row, chunks

__all__ = ["GraphStore", "Row", "chunks", "open_store"]


def open_store(settings: object | None = None) -> GraphStore:
    """Connect to the configured graph (Neo4j when NEO4J_URI is set, else the embedded engine, started on demand)."""
    from actorgraph.config import Settings

    return GraphStore.connect(settings if isinstance(settings, Settings) else None)
