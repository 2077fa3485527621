"""The user's judgements: merge, split, not-same and alias, each stored as a Decision that every later
`resolve` keeps applying.

Actors are named as everywhere else, through the one lookup (`actorgraph.queries.lookup.resolve_actor`); merge
and not-same also take the id of a merged-away actor, which then stands for itself rather than its survivor.

Crash-safe: each command computes the changes its judgement makes (a resolve with the judgement added), then
records the judgement and those changes (`pending`) in one atomic write, applies them (each step idempotent)
and clears `pending` last. Every command here, `resolve` and ingest's `heal` first finish a pending judgement
by replaying its changes, so after a kill at any write the same command run again finishes the job; it then
finds its work done and answers with a note (`ResolveReport.note`) instead of an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from actorgraph.errors import ConfigError, NotFound
from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.ids import lookup_forms, normalize_name
from actorgraph.queries.lookup import AmbiguousActor, find_actors, is_named, resolve_actor
from actorgraph.resolve.apply import (
    ResolveReport,
    apply_changes,
    count_actors,
    ensure_resolution_schema,
    finish_pending,
    plan_changes,
)
from actorgraph.resolve.plan import plan
from actorgraph.resolve.state import Decision, Node, State, decision_id, load_state, timestamp


def _begin(store: GraphStore) -> None:
    """Schema in place, and any judgement a crash left pending finished, so names are looked up in a whole
    graph (mid-merge, a name may be on neither node)."""
    ensure_resolution_schema(store)
    finish_pending(store)


def _live_id(store: GraphStore, actor: str) -> str:
    """The id of the live actor an id stands for today (a merged-away id: the actor it joined)."""
    return str(resolve_actor(store, actor)["id"])


def _done(note: str) -> ResolveReport:
    """The report of a command whose work is already in the graph (a re-run): nothing changed."""
    return ResolveReport(note=note)


def _decide(
    store: GraphStore,
    state: State,
    kind: str,
    a: str,
    b: str | None = None,
    name: str | None = None,
    overrides: Iterable[str] = (),
) -> ResolveReport:
    """Record a user judgement and apply it: its changes are planned first and stored with it in one write.

    Recording it again makes it the latest one on its pair (and in force again); `overrides` are the ids of the
    judgements it supersedes.
    """
    did = decision_id(kind, a, b, name)
    at = timestamp()
    overridden = set(overrides)
    old = next((d for d in state.decisions if d.id == did), None)
    new = replace(old, at=at, superseded=False) if old else Decision(did, kind, a, b, name, at, "user")
    decisions = [replace(d, superseded=True) if d.id in overridden else d for d in state.decisions if d.id != did]
    ch, report = plan_changes(state, plan(state.atoms, [*decisions, new], state.redirects))
    store.write(
        cypher.text("resolve", "record_decision"),
        id=did,
        kind=kind,
        by="user",
        a=a,
        b=b,
        name=name,
        at=at,
        supersede=sorted(overridden),
        pending=ch.to_json(),
    )
    report.edges_moved = apply_changes(store, ch)
    store.write(cypher.text("resolve", "settle_decision"), id=did)
    report.actors_after = count_actors(store)
    return report


def _side(nodes: dict[str, Node], ref: str) -> set[str]:
    """The atoms an id stands for: a live actor's own and merged-in ids, or just a merged-away id."""
    found = nodes.get(ref)
    return ({ref} | found.atoms | set(found.merged_from)) if found else {ref}


def _overridden(state: State, a: set[str], b: set[str], kinds: set[str]) -> list[str]:
    """The user judgements of `kinds` in force between the atoms of `a` and of `b` (a new one overrides them)."""
    return [
        d.id
        for d in state.decisions
        if d.by == "user"
        and not d.superseded
        and d.kind in kinds
        and d.b
        and ((d.a in a and d.b in b) or (d.a in b and d.b in a))
    ]


@dataclass
class MergeReport(ResolveReport):
    """A merge's report: the two actors as the lookup took them (`before`, A then B, each with its evidence and
    the `others` its name also fits) and the survivor as it is now (`after`)."""

    before: list[Row] = field(default_factory=list)
    after: Row = field(default_factory=dict)


def _distinct(a: str, b: str, first: Row, second: Row) -> tuple[Row, Row]:
    """Two different actors for `merge A B` when both names landed on one actor and one of them is only its
    alias: "Voss" beside "Harlan Voss" then means the one other actor called exactly "Voss", if there is one."""
    if first["into"] != second["into"]:
        return first, second
    for side, text in ((1, b), (0, a)):
        row = (first, second)[side]
        if is_named(row, text):
            continue
        others = list(row.get("others") or [])
        exact = [o for o in others if o["into"] != row["into"] and is_named(o, text)]
        if len(exact) == 1:
            taken = {k: v for k, v in row.items() if k != "others"}
            picked = {**exact[0], "others": [taken, *(o for o in others if o is not exact[0])]}
            return (first, picked) if side else (picked, second)
    return first, second


def _brief(row: Row) -> Row:
    """An actor row as a merge report shows it: id, name, type, evidence, and the others its name fits."""
    keys = ("id", "name", "type", "aliases", "claims", "mentions", "documents", "others")
    return {k: row[k] for k in keys if k in row}


def _with_views(report: ResolveReport, before: list[Row], after: Row) -> MergeReport:
    """`report` as a MergeReport carrying the actors before and the survivor after."""
    values: dict[str, Any] = {f.name: getattr(report, f.name) for f in fields(ResolveReport)}
    return MergeReport(**values, before=[_brief(r) for r in before], after=_brief(after))


def _chosen_name(name: str | None, first: Row, second: Row) -> str | None:
    """The survivor's name a `--name` asks for, checked: one of the two actors' names or aliases."""
    if name is None:
        return None
    wanted = set(lookup_forms(name))
    for row in (first, second):
        for known in (row["name"], *(row.get("aliases") or [])):
            if known and wanted & set(lookup_forms(known)):
                return str(known)
    raise ConfigError(
        f"--name {name!r} is not a name of {first['name']!r} or {second['name']!r}",
        hint="pick one of their names or aliases, or add it first with `actorgraph alias add`",
    )


def merge_actors(store: GraphStore, a: str, b: str, *, name: str | None = None) -> MergeReport:
    """Merge actor B into actor A (ids, names or aliases): a stored judgement that resolve keeps applying.

    A keeps its id (B's redirects to it); the survivor is named by the fuller of the two names, or by `name`
    (one of their names or aliases), which later ingests and resolves keep. The report shows both actors
    before and the survivor after. Already one actor (a re-run, or resolve joined them): nothing to do, said
    in `note`.
    """
    _begin(store)
    first, second = _distinct(a, b, resolve_actor(store, a, merged=True), resolve_actor(store, b, merged=True))
    if first["into"] == second["into"]:
        survivor = resolve_actor(store, first["into"])
        if name is not None and not is_named(survivor, name):
            raise ConfigError(
                f"{a!r} and {b!r} are already one actor ({first['into']}), named {survivor['name']!r}",
                hint="split and merge again with --name to rename it",
            )
        note = f"{a!r} and {b!r} are already one actor ({first['into']}): nothing to do"
        return _with_views(_done(note), [first, second], survivor)
    if first["type"] != second["type"]:
        raise ConfigError(
            f"cannot merge a {second['type']} into a {first['type']}: resolution never joins different types"
        )
    chosen = _chosen_name(name, first, second)
    state = load_state(store)
    overrides = _overridden(
        state, _side(state.nodes, first["into"]), _side(state.nodes, second["into"]), {"not-same", "split"}
    )
    report = _decide(store, state, "merge", first["id"], second["id"], name=chosen, overrides=overrides)
    if _live_id(store, second["id"]) != _live_id(store, first["id"]):
        raise ConfigError(
            f"{b!r} was not merged into {a!r}: a not-same judgement keeps their actors apart",
            hint="merge the ids named in that judgement first, or record the merge between them",
        )
    return _with_views(report, [first, second], resolve_actor(store, _live_id(store, first["id"])))


def _merged_away(store: GraphStore, text: str) -> str:
    """The merged-away id `text` names: that id itself, or the document-level name of an atom merged into an
    actor `text` names (the actor holding an atom always has the atom's names among its aliases)."""
    found = find_actors(store, text, merged=True)
    if len(found) == 1 and found[0]["id"] != found[0]["into"]:
        return str(found[0]["id"])
    holders = found or [resolve_actor(store, text, merged=True)]  # none: ActorNotFound, as everywhere
    atoms = store.read(cypher.text("resolve", "merged_atoms"), ids=[h["into"] for h in holders])
    forms = set(lookup_forms(text))
    named: list[Row] = [
        {"id": r["id"], "name": min(r["names"]), "type": r["type"], "mentions": r["mentions"]}
        for r in atoms
        if any(forms & set(lookup_forms(n)) for n in r["names"] if n)
    ]
    if len(named) == 1:
        return str(named[0]["id"])
    if named:
        raise AmbiguousActor(text, named)
    held = sorted(r["id"] for r in atoms) if len(holders) == 1 else []
    raise NotFound(
        f"{text.strip()!r} is not a merged-away actor" + (f"; it holds {', '.join(held)}" if held else ""),
        hint="split takes the id (or document-level name) of an actor that was merged into another",
    )


def _kept_apart(store: GraphStore, text: str) -> list[str]:
    """The live actors `text` names that a split in force keeps apart (what a finished `split` leaves)."""
    ids = [str(r["id"]) for r in find_actors(store, text)]
    if not ids:
        return []
    rows = store.read(cypher.text("resolve", "split_in_force"), ids=ids, kind="split", by="user")
    return [str(r["id"]) for r in rows]


def split_actor(store: GraphStore, b: str) -> ResolveReport:
    """Give a merged-away id its own actor back (its claims and mentions) and keep it apart from then on.

    Already split and still apart (a re-run): nothing to do, said in `note`.
    """
    _begin(store)
    try:
        idb = _merged_away(store, b)
    except NotFound:
        apart = _kept_apart(store, b)
        if len(apart) != 1:
            raise
        return _done(f"{b!r} is already split off ({apart[0]}): nothing to do")
    survivor = _live_id(store, idb)
    state = load_state(store)
    overrides = _overridden(state, _side(state.nodes, survivor) - {idb}, {idb}, {"merge"})
    return _decide(store, state, "split", survivor, idb, overrides=overrides)


def not_same(store: GraphStore, a: str, b: str) -> ResolveReport:
    """Record that A and B are different actors: resolve never joins them (and parts them if joined).

    Already recorded, in force and apart (a re-run): nothing to do, said in `note`.
    """
    _begin(store)
    first, second = _distinct(a, b, resolve_actor(store, a, merged=True), resolve_actor(store, b, merged=True))
    ida, idb = first["id"], second["id"]
    if ida == idb:
        raise ConfigError(f"{a!r} and {b!r} are the same id", hint="name two different actors")
    recorded = store.read(cypher.text("resolve", "decision_in_force"), id=decision_id("not-same", ida, idb))
    if recorded and _live_id(store, ida) != _live_id(store, idb):
        return _done(f"{a!r} and {b!r} are already recorded as different actors: nothing to do")
    state = load_state(store)
    overrides = _overridden(state, _side(state.nodes, ida), _side(state.nodes, idb), {"merge"})
    return _decide(store, state, "not-same", ida, idb, overrides=overrides)


def add_alias(store: GraphStore, actor: str, name: str) -> ResolveReport:
    """Record that `actor` is also called `name`: kept in its manual_aliases and used by resolve to match.

    Already among its manual aliases (a re-run): nothing to do, said in `note`.
    """
    if not normalize_name(name):
        raise ConfigError(f"alias {name!r} has no letters or digits", hint="give a name")
    _begin(store)
    live = _live_id(store, actor)
    manual = store.read(cypher.text("resolve", "manual_aliases"), id=live)
    if any(normalize_name(m) == normalize_name(name) for r in manual for m in r["manual"]):
        return _done(f"{name.strip()!r} is already an alias of {actor!r} ({live}): nothing to do")
    return _decide(store, load_state(store), "alias", live, None, name.strip())
