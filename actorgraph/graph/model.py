"""The version of the graph's model: recorded in the graph, checked on every connection, migrated forward.

The model is what docs/graph-model.md describes (labels, properties, derived fields). Each change to it that an
older graph does not already satisfy bumps `MODEL_VERSION` and adds the steps that bring a graph of the version
before up to it (`MIGRATIONS`, statements of graph/cypher/model.cypher). Each step is idempotent and the version
is recorded after each one, so a migration cut short is finished by the next connection. A graph that records a
newer version than this actorgraph knows is refused with a hint to upgrade, instead of being read wrongly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from actorgraph.errors import ConfigError
from actorgraph.graph import cypher

if TYPE_CHECKING:
    from actorgraph.graph.store import GraphStore

#: The model this actorgraph writes and reads. Graphs written before versions were recorded are version 1.
MODEL_VERSION: Final = 1
#: Model label: a single node, outside the labels of docs/graph-model.md, not counted or exported.
MODEL_LABEL: Final = "ActorgraphModel"
#: version -> the model.cypher statements that take a graph from version - 1 to it, in order.
MIGRATIONS: dict[int, tuple[str, ...]] = {}


class NewerModel(ConfigError):
    """The graph was written by a newer actorgraph, whose model this one does not know."""

    exit_code, hint = 2, "upgrade actorgraph (pip install -U actorgraph) to read this graph"


def _written_by() -> str:
    from actorgraph import __version__

    return f"actorgraph {__version__}"


def read_version(store: GraphStore) -> int | None:
    """The version the graph records, or None when it records none (empty, or written before versions)."""
    rows = store.read(cypher.text("model", "read_version"))
    return int(rows[0]["version"]) if rows else None


def check_model(store: GraphStore) -> int:
    """Refuse a newer graph, migrate an older one; the graph's version afterwards (an unstamped graph is 1)."""
    found = read_version(store)
    if found is None:
        return 1
    if found > MODEL_VERSION:
        raise NewerModel(
            f"this graph's model is version {found}, newer than the {MODEL_VERSION} this actorgraph knows"
        )
    if found < MODEL_VERSION:
        migrate(store, found)
    return MODEL_VERSION


def migrate(store: GraphStore, found: int) -> None:
    """Run every step from `found` up to MODEL_VERSION, recording the version after each."""
    for version in range(found + 1, MODEL_VERSION + 1):
        for name in MIGRATIONS.get(version, ()):
            store.write(cypher.text("model", name))
        store.write(cypher.text("model", "set_version"), version=version, written_by=_written_by())


def stamp_model(store: GraphStore) -> None:
    """Record the current model version on a graph that has none yet (called before a graph's first write)."""
    store.write(cypher.text("model", "stamp_version"), version=MODEL_VERSION, written_by=_written_by())
