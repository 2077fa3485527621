"""Making the graph match a plan: create target nodes, move claims and mentions, write redirects and the log.

Writing is ordered so that a crash anywhere is repaired by the next `resolve`: claims move before the mentions
that make an atom visible (an atom is found on the node holding its MENTIONED_IN edges), a merged-away node is
deleted only after its Redirect is written, and each step is one atomic query per batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from actorgraph.batching import chunks
from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.resolve.plan import MAX_REDIRECT_HOPS, Plan, plan
from actorgraph.resolve.state import State, decision_id, load_state, timestamp
from actorgraph.vocab import PREDICATES, RESOLUTION_LABELS, TYPE_LABEL, node_label, rel_type

MOVE_BATCH: Final = 2_000  # rows per write query: each is atomic, and a crash mid-way is replayed

Moves = dict[tuple[str, str], list[str]]  # (node the atoms leave, node they join) -> atom keys


@dataclass(frozen=True)
class Merge:
    """One atom folded into a surviving actor, and the rule that put it there."""

    target: str
    target_name: str
    merged: str
    merged_name: str
    rule: str


@dataclass
class ResolveReport:
    """What a `resolve` run found and changed."""

    actors_before: int = 0
    actors_after: int = 0
    atoms: int = 0
    merged_atoms: int = 0  # atoms living under another atom's id (auto and manual), after this run
    merges: list[Merge] = field(default_factory=list)  # every atom -> survivor of the resulting partition
    merged_now: list[Merge] = field(default_factory=list)  # folded in by this run
    split_now: list[str] = field(default_factory=list)  # atoms given back their own node by this run
    edges_moved: int = 0
    redirects: int = 0


def ensure_resolution_schema(store: GraphStore) -> None:
    """Unique Redirect and Decision ids (idempotent)."""
    store.ensure_schema(RESOLUTION_LABELS)


def _node_target(target: dict[str, str], node: str) -> str:
    """Where a node's own atom goes (a node that is no atom stays)."""
    return target.get(node, node)


def _create_targets(store: GraphStore, state: State, target: dict[str, str]) -> list[str]:
    """Create the nodes atoms move to that do not exist (a split gives an atom its own node back)."""
    missing = sorted({t for t in target.values() if t not in state.nodes})
    for t in missing:
        atom = state.atoms[t]
        query = cypher.text("resolve", "create_target", actor_label=node_label(TYPE_LABEL[atom.type]))
        store.write(query, rows=[{"id": t, "name": atom.name, "type": atom.type}])
    return missing


def _atoms_leaving(state: State, target: dict[str, str]) -> Moves:
    """Atoms that go elsewhere than the node holding them goes, grouped by (that node, their target)."""
    moves: Moves = defaultdict(list)
    for n, node in sorted(state.nodes.items()):
        for k in sorted(node.atoms):
            if target[k] != _node_target(target, n):
                moves[(n, target[k])].append(k)
    return moves


def _move(store: GraphStore, rows: list[Row]) -> int:
    """Move every claim, then every mention, of the rows' atoms from src to dst (each query atomic)."""
    moves = [cypher.text("resolve", name, rel=rel_type(p)) for p in PREDICATES for name in ("move_out", "move_in")]
    moves.append(cypher.text("resolve", "move_mentions"))
    moved = 0
    for batch in chunks(rows, MOVE_BATCH):
        for query in moves:
            moved += sum(r["moved"] for r in store.write(query, rows=batch))
    return moved


def _move_edges(store: GraphStore, parts: Moves, gone: list[str], target: dict[str, str]) -> int:
    """Move the edges of atoms leaving their node, then of whole nodes merged away; returns edges moved."""
    part_rows = [{"src": s, "dst": d, "all": False, "keys": ks} for (s, d), ks in sorted(parts.items())]
    whole = [{"src": n, "dst": _node_target(target, n), "all": True, "keys": []} for n in gone]
    return _move(store, part_rows) + _move(store, whole)


def _wanted_redirects(state: State, target: dict[str, str]) -> dict[str, str]:
    """Every merged-away atom to its survivor, and older redirects re-pointed at today's survivor."""
    live = set(target.values())
    wanted = {k: t for k, t in target.items() if k != t}
    for old, t in state.redirects.items():
        if old in wanted or old in live:
            continue
        seen = 0
        while t not in state.atoms and t in state.redirects and seen < MAX_REDIRECT_HOPS:
            t, seen = state.redirects[t], seen + 1
        t = target.get(t, t)
        if t in live and t != old:
            wanted[old] = t
    return wanted


def _write_redirects(store: GraphStore, state: State, wanted: dict[str, str]) -> None:
    """Write the redirects that changed and delete those no longer wanted."""
    rows = [{"id": k, "target": t} for k, t in sorted(wanted.items()) if state.redirects.get(k) != t]
    for batch in chunks(rows, MOVE_BATCH):
        store.write(cypher.text("resolve", "write_redirects"), rows=batch)
    for ids in chunks(sorted(set(state.redirects) - set(wanted)), MOVE_BATCH):
        store.write(cypher.text("resolve", "delete_redirects"), ids=ids)


def _delete_merged_away(store: GraphStore, state: State, gone: list[str]) -> list[str]:
    """Delete merged-away nodes and nodes holding no atom, now that their redirects exist."""
    empty = sorted(set(gone) | {n for n in state.nodes if n not in state.atoms})
    for ids in chunks(empty, MOVE_BATCH):
        store.write(cypher.text("resolve", "delete_empty_actors"), ids=ids)
    return empty


def _write_resolution_fields(store: GraphStore, state: State, p: Plan, wanted: dict[str, str]) -> list[str]:
    """Set `merged_from` and `manual_aliases` of survivors whose values changed; returns their ids."""
    merged_from: dict[str, list[str]] = defaultdict(list)
    for k, t in sorted(wanted.items()):
        merged_from[t].append(k)
    resolved: list[Row] = []
    for s in sorted(set(p.target.values())):
        mf, ma = merged_from.get(s, []), p.manual.get(s, [])
        had = state.nodes.get(s)
        if had is None or had.merged_from != mf or had.manual != ma:
            resolved.append({"id": s, "merged_from": mf, "manual_aliases": ma})
    for batch in chunks(resolved, MOVE_BATCH):
        store.write(cypher.text("resolve", "write_resolved"), rows=batch)
    return [str(r["id"]) for r in resolved]


def _log_automatic_merges(store: GraphStore, state: State, p: Plan) -> list[Merge]:
    """Rewrite the automatic decisions as the log of the current partition (user decisions are never touched);
    returns every merge in force."""
    atoms = state.atoms
    merges = [
        Merge(t, atoms[t].name, k, atoms[k].name, p.rule.get(k) or "same-cluster")
        for k, t in sorted(p.target.items())
        if k != t
    ]
    auto = {decision_id("merge", m.target, m.merged, by="resolve"): m for m in merges}
    old_auto = {d.id for d in state.decisions if d.by == "resolve"}
    at = timestamp()
    new_rows = [
        {
            "id": i,
            "kind": "merge",
            "a": m.target,
            "b": m.merged,
            "name": m.merged_name,
            "at": at,
            "by": "resolve",
            "rule": m.rule,
        }
        for i, m in sorted(auto.items())
        if i not in old_auto
    ]
    for batch in chunks(new_rows, MOVE_BATCH):
        store.write(cypher.text("resolve", "write_decisions"), rows=batch)
    for ids in chunks(sorted(old_auto - set(auto)), MOVE_BATCH):
        store.write(cypher.text("resolve", "delete_decisions"), ids=ids)
    return merges


def _refresh(store: GraphStore, ids: Iterable[str]) -> None:
    """Recompute the derived fields (name, aliases, counts, keys) of `ids` with ingest's own function."""
    ids = sorted(set(ids))
    if not ids:
        return
    from actorgraph.ingest.ingest import refresh_actors  # derived fields belong to ingest

    refresh_actors(store, ids)


def resolve(store: GraphStore) -> ResolveReport:
    """Re-apply the stored judgements and find new merges; make the graph match; idempotent and crash-safe."""
    ensure_resolution_schema(store)
    state = load_state(store)
    p = plan(state.atoms, state.decisions, state.redirects)
    report = ResolveReport(actors_before=len(state.nodes), atoms=len(state.atoms))
    report.split_now = _create_targets(store, state, p.target)
    parts = _atoms_leaving(state, p.target)
    gone = sorted(n for n in state.nodes if _node_target(p.target, n) != n)
    report.edges_moved = _move_edges(store, parts, gone, p.target)
    wanted = _wanted_redirects(state, p.target)
    _write_redirects(store, state, wanted)
    report.redirects = len(wanted)
    empty = _delete_merged_away(store, state, gone)
    resolved = _write_resolution_fields(store, state, p, wanted)
    report.merges = _log_automatic_merges(store, state, p)
    report.merged_atoms = len(report.merges)
    moved = {k for ks in parts.values() for k in ks} | {k for n in gone for k in state.nodes[n].atoms}
    report.merged_now = [m for m in report.merges if m.merged in moved]
    touched = {s for s, _ in parts} | {d for _, d in parts} | {_node_target(p.target, n) for n in gone}
    _refresh(store, (touched | set(resolved) | set(report.split_now)) - set(empty))
    report.actors_after = int(store.read(cypher.text("resolve", "count_actors"))[0]["n"])
    return report
