"""The user's judgements: merge, split, not-same and alias, each stored as a Decision that every later
`resolve` keeps applying, then applied by running `resolve`.

Actors are named as everywhere else, through the one lookup (`actorgraph.queries.lookup.resolve_actor`); merge
and not-same also take the id of a merged-away actor, which then stands for itself rather than its survivor.
"""

from __future__ import annotations

from actorgraph.errors import ConfigError, NotFound
from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.ids import lookup_forms, normalize_name
from actorgraph.queries.lookup import AmbiguousActor, find_actors, resolve_actor
from actorgraph.resolve.apply import ResolveReport, resolve
from actorgraph.resolve.state import Node, State, decision_id, load_state, timestamp


def _live_id(store: GraphStore, actor: str) -> str:
    """The id of the live actor an id stands for today (a merged-away id: the actor it joined)."""
    return str(resolve_actor(store, actor)["id"])


def _record(store: GraphStore, kind: str, a: str, b: str | None = None, name: str | None = None) -> str:
    """Store a user judgement; recording it again makes it the latest one on its pair (and in force again)."""
    did = decision_id(kind, a, b, name)
    at = timestamp()
    row = {"id": did, "kind": kind, "a": a, "b": b, "name": name, "at": at, "by": "user", "rule": "user"}
    store.write(cypher.text("resolve", "write_decisions"), rows=[row])
    store.write(cypher.text("resolve", "touch_decision"), id=did, at=at)
    return did


def _side(nodes: dict[str, Node], ref: str) -> set[str]:
    """The atoms an id stands for: a live actor's own and merged-in ids, or just a merged-away id."""
    found = nodes.get(ref)
    return ({ref} | found.atoms | set(found.merged_from)) if found else {ref}


def _supersede(store: GraphStore, state: State, a: set[str], b: set[str], kinds: set[str]) -> None:
    """Mark user judgements of `kinds` between the atoms of `a` and of `b` as overridden."""
    ids = [
        d.id
        for d in state.decisions
        if d.by == "user"
        and not d.superseded
        and d.kind in kinds
        and d.b
        and ((d.a in a and d.b in b) or (d.a in b and d.b in a))
    ]
    if ids:
        store.write(cypher.text("resolve", "supersede_decisions"), ids=ids, at=timestamp())


def merge_actors(store: GraphStore, a: str, b: str) -> ResolveReport:
    """Merge actor B into actor A (ids, names or aliases): a stored judgement that resolve keeps applying."""
    first, second = resolve_actor(store, a, merged=True), resolve_actor(store, b, merged=True)
    if first["into"] == second["into"]:
        raise ConfigError(f"{a!r} and {b!r} are already one actor ({first['into']})", hint="nothing to do")
    if first["type"] != second["type"]:
        raise ConfigError(
            f"cannot merge a {second['type']} into a {first['type']}: resolution never joins different types"
        )
    state = load_state(store)
    _supersede(
        store, state, _side(state.nodes, first["into"]), _side(state.nodes, second["into"]), {"not-same", "split"}
    )
    _record(store, "merge", first["id"], second["id"])
    report = resolve(store)
    if _live_id(store, second["id"]) != _live_id(store, first["id"]):
        raise ConfigError(
            f"{b!r} was not merged into {a!r}: a not-same judgement keeps their actors apart",
            hint="merge the ids named in that judgement first, or record the merge between them",
        )
    return report


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


def split_actor(store: GraphStore, b: str) -> ResolveReport:
    """Give a merged-away id its own actor back (its claims and mentions) and keep it apart from then on."""
    idb = _merged_away(store, b)
    survivor = _live_id(store, idb)
    state = load_state(store)
    _supersede(store, state, _side(state.nodes, survivor) - {idb}, {idb}, {"merge"})
    _record(store, "split", survivor, idb)
    return resolve(store)


def not_same(store: GraphStore, a: str, b: str) -> ResolveReport:
    """Record that A and B are different actors: resolve never joins them (and parts them if joined)."""
    ida, idb = resolve_actor(store, a, merged=True)["id"], resolve_actor(store, b, merged=True)["id"]
    if ida == idb:
        raise ConfigError(f"{a!r} and {b!r} are the same id", hint="name two different actors")
    state = load_state(store)
    _supersede(store, state, _side(state.nodes, ida), _side(state.nodes, idb), {"merge"})
    _record(store, "not-same", ida, idb)
    return resolve(store)


def add_alias(store: GraphStore, actor: str, name: str) -> ResolveReport:
    """Record that `actor` is also called `name`: kept in its manual_aliases and used by resolve to match."""
    if not normalize_name(name):
        raise ConfigError(f"alias {name!r} has no letters or digits", hint="give a name")
    _record(store, "alias", _live_id(store, actor), None, name.strip())
    return resolve(store)
