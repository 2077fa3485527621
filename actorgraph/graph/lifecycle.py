"""Start, stop and inspect whichever backend the settings name: the library side of `actorgraph db ...`."""

from __future__ import annotations

from typing import Any

from actorgraph.config import Settings
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore


def start(settings: Settings) -> dict[str, str]:
    """Start the embedded engine (on Neo4j: check that it answers); returns the store's description."""
    with GraphStore.connect(settings) as store:
        return store.describe()


def stop(settings: Settings) -> str:
    """Stop the embedded engine; a message saying what happened (Neo4j is not ours to stop)."""
    if settings.neo4j_uri:
        return "Neo4j runs on its own server: nothing to stop here"
    engine = EmbeddedEngine(settings.home)
    return "stopped the embedded engine" if engine.stop() else "the embedded engine was not running"


def status(settings: Settings) -> dict[str, Any]:
    """Backend, address, data dir and counts; the embedded engine is reported, not started, when it is down."""
    if not settings.neo4j_uri:
        engine = EmbeddedEngine(settings.home)
        state = engine.status()
        if not state.running:
            return {
                "backend": "embedded FalkorDB",
                "state": "stopped",
                "where": f"unix:{state.socket}",
                "graph": settings.graph,
                "data_dir": str(state.data_dir),
            }
    with GraphStore.connect(settings) as store:
        info: dict[str, Any] = {**store.describe(), "state": "running"}
        counts = store.counts()
        info["nodes"] = counts["nodes"]
        info["relationships"] = counts["relationships"]
        info["labels"] = counts["labels"]
        info["types"] = counts["types"]
        if not settings.neo4j_uri:
            pid = EmbeddedEngine(settings.home).pid()
            info["pid"] = str(pid) if pid is not None else "-"
        return info
