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
    pid: int | None = None
    if not settings.neo4j_uri:
        state = EmbeddedEngine(settings.home).status()
        pid = state.pid
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
        info.update(store.counts())  # nodes, relationships, labels, types
        if pid is not None:
            info["pid"] = str(pid)
        return info
