"""The writes resolution makes, as data: `Changes` is computed from one state (`apply.plan_changes`), written
in a crash-safe order (`write_changes`) and, for a user judgement, stored with it first so that a crash is
finished by replaying them (`replay_pending`).

The order: create the nodes atoms move to; move claims, then the mentions that make an atom visible (an atom is
found on the node holding its MENTIONED_IN edges); write Redirects, and only then delete merged-away nodes; set
`merged_from` / `manual_aliases`; log automatic decisions; recompute derived fields last. Each step is one atomic
query per batch and finds nothing left to do when replayed, so running the changes again after a crash at any
write leaves the graph as one uninterrupted run does (`rev` included). This module imports nothing from ingest:
ingest's `heal` replays pending judgements with its own `refresh_actors`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from actorgraph.batching import chunks
from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.vocab import PREDICATES, TYPE_LABEL, node_label, rel_type

MOVE_BATCH: Final = 2_000  # rows per write query: each is atomic, and a crash mid-way is replayed

#: Recomputes the derived fields of these nodes (ingest's `refresh_actors`).
Refresh = Callable[[GraphStore, list[str]], object]


@dataclass
class Changes:
    """The writes that make the graph match one plan, in the order `write_changes` runs them.

    Plain rows only, so a user decision can store them as JSON (`pending`) and a later run replay them.
    """

    create: list[Row] = field(default_factory=list)  # {id, name, type}: nodes atoms move to (a split)
    parts: list[Row] = field(default_factory=list)  # {src, dst, all: false, keys}: atoms leaving a node
    whole: list[Row] = field(default_factory=list)  # {src, dst, all: true, keys: []}: nodes merged away
    redirects: list[Row] = field(default_factory=list)  # {id, target}: Redirects to write
    unredirect: list[str] = field(default_factory=list)  # Redirects no longer wanted
    empty: list[str] = field(default_factory=list)  # nodes to delete once nothing points at them
    resolved: list[Row] = field(default_factory=list)  # {id, merged_from, manual_aliases, manual_name}
    decisions: list[Row] = field(default_factory=list)  # automatic decisions to record
    undecided: list[str] = field(default_factory=list)  # automatic decisions no longer in force
    refresh: list[str] = field(default_factory=list)  # nodes whose derived fields to recompute last

    def to_json(self) -> str:
        """The changes as one JSON string (a property value on both engines)."""
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Changes:
        """Changes stored by `to_json` (keys it does not know are ignored)."""
        data = json.loads(text)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _move(store: GraphStore, rows: list[Row]) -> int:
    """Move every claim, then every mention, of the rows' atoms from src to dst (each query atomic)."""
    moves = [cypher.text("resolve", name, rel=rel_type(p)) for p in PREDICATES for name in ("move_out", "move_in")]
    moves.append(cypher.text("resolve", "move_mentions"))
    moved = 0
    for batch in chunks(rows, MOVE_BATCH):
        for query in moves:
            moved += sum(r["moved"] for r in store.write(query, rows=batch))
    return moved


def write_changes(store: GraphStore, ch: Changes) -> int:
    """Every write but the derived fields, in the crash-safe order; returns how many edges moved."""
    for row in ch.create:
        query = cypher.text("resolve", "create_target", actor_label=node_label(TYPE_LABEL[row["type"]]))
        store.write(query, rows=[row])
    moved = _move(store, ch.parts) + _move(store, ch.whole)
    steps: tuple[tuple[str, str, list[Any]], ...] = (  # (statement, its list parameter, the items), in this order
        ("write_redirects", "rows", ch.redirects),
        ("delete_redirects", "ids", ch.unredirect),
        ("delete_empty_actors", "ids", ch.empty),
        ("write_resolved", "rows", ch.resolved),
        ("write_decisions", "rows", ch.decisions),
        ("delete_decisions", "ids", ch.undecided),
    )
    for name, param, items in steps:
        query = cypher.text("resolve", name)
        for batch in chunks(items, MOVE_BATCH):
            store.write(query, **{param: batch})
    return moved


def replay_pending(store: GraphStore, refresh: Refresh) -> list[str]:
    """Finish the user judgements a crash interrupted, oldest first: replay the changes each stored, refresh the
    nodes they touch, then clear its `pending`; returns their ids. Costs what those changes touch, not a
    resolve of the whole graph."""
    done = []
    for row in store.read(cypher.text("resolve", "pending_decisions")):
        ch = Changes.from_json(row["pending"])
        write_changes(store, ch)
        if ch.refresh:
            refresh(store, ch.refresh)
        store.write(cypher.text("resolve", "settle_decision"), id=row["id"])
        done.append(str(row["id"]))
    return done
