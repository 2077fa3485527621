"""Making the graph match a plan: what to create, move, redirect, delete and log (`plan_changes`), then doing it
(`apply_changes`, in the crash-safe order of `actorgraph.resolve.changes`).

`resolve` repairs a crash by recomputing from the graph; a user judgement, which stores its changes with it
before making the first (`pending`), is finished by replaying them (`finish_pending`), first thing in every
resolve, every judgement command and ingest's `heal`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.resolve.changes import Changes, replay_pending, write_changes
from actorgraph.resolve.plan import MAX_REDIRECT_HOPS, Plan, plan
from actorgraph.resolve.state import State, decision_id, load_state, timestamp
from actorgraph.vocab import RESOLUTION_LABELS

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
    note: str = ""  # set when a command found its work already done (a re-run): what it found; nothing else is


def ensure_resolution_schema(store: GraphStore) -> None:
    """Unique Redirect and Decision ids (idempotent)."""
    store.ensure_schema(RESOLUTION_LABELS)


def _node_target(target: dict[str, str], node: str) -> str:
    """Where a node's own atom goes (a node that is no atom stays)."""
    return target.get(node, node)


def _atoms_leaving(state: State, target: dict[str, str]) -> Moves:
    """Atoms that go elsewhere than the node holding them goes, grouped by (that node, their target)."""
    moves: Moves = defaultdict(list)
    for n, node in sorted(state.nodes.items()):
        for k in sorted(node.atoms):
            if target[k] != _node_target(target, n):
                moves[(n, target[k])].append(k)
    return moves


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


def _resolution_fields(state: State, p: Plan, wanted: dict[str, str]) -> list[Row]:
    """`merged_from`, `manual_aliases` and `manual_name` of the survivors whose values change."""
    merged_from: dict[str, list[str]] = defaultdict(list)
    for k, t in sorted(wanted.items()):
        merged_from[t].append(k)
    resolved: list[Row] = []
    for s in sorted(set(p.target.values())):
        mf, ma, mn = merged_from.get(s, []), p.manual.get(s, []), p.names.get(s)
        had = state.nodes.get(s)
        if had is None or had.merged_from != mf or had.manual != ma or had.manual_name != mn:
            resolved.append({"id": s, "merged_from": mf, "manual_aliases": ma, "manual_name": mn})
    return resolved


def _automatic_merges(state: State, p: Plan) -> tuple[list[Merge], list[Row], list[str]]:
    """Every merge in force, and the log of automatic decisions to write and to drop so that it holds exactly
    the current partition (user decisions are never touched)."""
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
    return merges, new_rows, sorted(old_auto - set(auto))


def plan_changes(state: State, p: Plan) -> tuple[Changes, ResolveReport]:
    """The writes that make the graph of `state` match plan `p`, and the report of what they change."""
    target = p.target
    report = ResolveReport(actors_before=len(state.nodes), atoms=len(state.atoms))
    created = sorted({t for t in target.values() if t not in state.nodes})
    parts = _atoms_leaving(state, target)
    gone = sorted(n for n in state.nodes if _node_target(target, n) != n)
    wanted = _wanted_redirects(state, target)
    empty = sorted(set(gone) | {n for n in state.nodes if n not in state.atoms})
    resolved = _resolution_fields(state, p, wanted)
    merges, decisions, undecided = _automatic_merges(state, p)
    touched = {s for s, _ in parts} | {d for _, d in parts} | {_node_target(target, n) for n in gone}
    refresh = (touched | {r["id"] for r in resolved} | set(created)) - set(empty)
    ch = Changes(
        create=[{"id": t, "name": state.atoms[t].name, "type": state.atoms[t].type} for t in created],
        parts=[{"src": s, "dst": d, "all": False, "keys": ks} for (s, d), ks in sorted(parts.items())],
        whole=[{"src": n, "dst": _node_target(target, n), "all": True, "keys": []} for n in gone],
        redirects=[{"id": k, "target": t} for k, t in sorted(wanted.items()) if state.redirects.get(k) != t],
        unredirect=sorted(set(state.redirects) - set(wanted)),
        empty=empty,
        resolved=resolved,
        decisions=decisions,
        undecided=undecided,
        refresh=sorted(refresh),
    )
    report.split_now = created
    report.redirects = len(wanted)
    report.merges = merges
    report.merged_atoms = len(merges)
    moved = {k for ks in parts.values() for k in ks} | {k for n in gone for k in state.nodes[n].atoms}
    report.merged_now = [m for m in merges if m.merged in moved]
    return ch, report


def _refresh(store: GraphStore, ids: Iterable[str]) -> None:
    """Recompute the derived fields (name, aliases, counts, keys) of `ids` with ingest's own function."""
    ids = sorted(set(ids))
    if not ids:
        return
    from actorgraph.ingest.ingest import refresh_actors  # derived fields belong to ingest

    refresh_actors(store, ids)


def apply_changes(store: GraphStore, ch: Changes) -> int:
    """Make the changes, then recompute the derived fields of the nodes they touched; returns edges moved."""
    moved = write_changes(store, ch)
    _refresh(store, ch.refresh)
    return moved


def finish_pending(store: GraphStore) -> list[str]:
    """Finish the user judgements a crash interrupted (their stored changes replayed); returns their ids."""
    return replay_pending(store, _refresh)


def count_actors(store: GraphStore) -> int:
    """How many actor nodes the graph holds."""
    return int(store.read(cypher.text("resolve", "count_actors"))[0]["n"])


def resolve(store: GraphStore) -> ResolveReport:
    """Re-apply the stored judgements and find new merges; make the graph match; idempotent and crash-safe."""
    ensure_resolution_schema(store)
    finish_pending(store)
    state = load_state(store)
    ch, report = plan_changes(state, plan(state.atoms, state.decisions, state.redirects))
    report.edges_moved = apply_changes(store, ch)
    report.actors_after = count_actors(store)
    return report
