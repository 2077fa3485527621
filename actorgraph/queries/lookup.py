"""The one actor lookup: a name, alias or id typed by a user, resolved to one actor through an indexed key.

`query`, `viz`, `merge`, `split`, `not-same`, `alias add` and the library all call `resolve_actor`, so a name
means the same actor everywhere and fails with the same AmbiguousActor / ActorNotFound.

When a name fits several actors, the one with the most evidence is taken: most claims, then most mentions, then
most documents, then an exact match of its name. The row says so: `others` lists the rest, ranked, so callers
show what was taken and what else the name fits (a stray 0-claim "Voss" never silently stands for Harlan Voss).
Only candidates equal on all of those are ambiguous (AmbiguousActor): nothing says which one is meant.

Each actor carries `keys`, a list of lookup forms (its id, and the case-folded and normalised forms of its
name and aliases), indexed, so `WHERE $key IN a.keys` finds it without scanning every actor. Ingest writes
`keys` with the derived fields (`actor_keys()`); on a graph written before that, the lookup falls back to a
scan, so answers are right either way, only slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from rapidfuzz import fuzz, process

from actorgraph.batching import chunks
from actorgraph.errors import ActorgraphError, NotFound
from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.ids import actor_keys, lookup_forms

KEYS_BATCH: Final = 5_000
_ROW_FIELDS: Final = ("name", "type", "aliases", "mentions", "documents")


def _evidence_text(row: Row) -> str:
    """A candidate's type and evidence, e.g. `PERSON, 3 claims, 12 mentions` (claims when the row has them)."""
    claims = f"{row['claims']} claims, " if "claims" in row else ""
    return f"{row['type']}, {claims}{row['mentions']} mentions"


class AmbiguousActor(ActorgraphError):
    """A name fits several actors equally well; `candidates` lists them (id, name, type, mentions) to pick one."""

    exit_code, hint = 1, "pass the id of the one you mean (shown above) instead of the name"

    def __init__(self, text: str, candidates: Sequence[Row]) -> None:
        listing = "; ".join(f"{c['id']} {c['name']} ({_evidence_text(c)})" for c in candidates[:10])
        more = f"; and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        super().__init__(f"{text!r} names {len(candidates)} actors: {listing}{more}")
        self.text = text
        self.candidates = list(candidates)


class ActorNotFound(NotFound):
    """No actor has this name, alias or id; `suggestions` are the closest names (rapidfuzz)."""

    def __init__(self, text: str, suggestions: Sequence[str]) -> None:
        super().__init__(f"no actor is named {text!r}")
        self.text = text
        self.suggestions = list(suggestions)
        self.hint = (
            "did you mean: " + ", ".join(repr(s) for s in suggestions) + "?"
            if suggestions
            else "check the spelling, or list the actors with `actorgraph query central-actors`"
        )


def ensure_lookup_index(store: GraphStore) -> None:
    """Create the `keys` index if it is missing (idempotent on both engines)."""
    store.ensure_index("Actor", "keys")


def refresh_actor_keys(store: GraphStore, ids: Iterable[str] | None = None) -> int:
    """Recompute `keys` of these actors (all when `ids` is None) from name and aliases; returns how many.

    Ingest calls this, or sets `keys = actor_keys(...)` itself with the other derived fields, after every
    write, merge or forget, so lookups stay indexed.
    """
    ensure_lookup_index(store)
    todo: Iterator[str] = (
        iter(dict.fromkeys(ids))
        if ids is not None
        else (r["key"] for r in store.stream(cypher.text("lookup", "all_actor_ids")))
    )
    done = 0
    for batch in chunks(({"id": i} for i in todo), KEYS_BATCH):
        rows = store.read(cypher.text("lookup", "actor_key_sources"), ids=[r["id"] for r in batch])
        updates = [{"id": r["id"], "keys": actor_keys(r["id"], r["name"] or "", r["aliases"])} for r in rows]
        if updates:
            done += store.write(cypher.text("lookup", "set_actor_keys"), rows=updates)[0]["n"]
    return done


def _scan(store: GraphStore, text: str, limit: int = 3) -> tuple[list[Row], list[str]]:
    """One pass over every actor's names: actors without `keys` that `text` names, and the closest names.

    The matches cover graphs written before `keys` existed (same lookup forms, compared here in Python); the
    suggestions are rapidfuzz WRatio over names and aliases, for "did you mean".
    """
    forms = set(lookup_forms(text))
    matches: list[Row] = []
    choices: dict[str, str] = {}
    for row in store.stream(cypher.text("lookup", "actor_names")):
        names = [n for n in (row["name"], *row["aliases"]) if n]
        if row["unkeyed"] and any(forms & set(lookup_forms(n)) for n in names):
            matches.append({"id": row["key"], **{k: row[k] for k in _ROW_FIELDS}})
        for form in names:
            choices.setdefault(form.casefold(), row["name"])
    if matches or not choices:
        return matches, []
    found = process.extract(text.casefold(), list(choices), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=60)
    return [], list(dict.fromkeys(choices[match] for match, _, _ in found))[:limit]


def find_actors(store: GraphStore, text: str, *, merged: bool = False) -> list[Row]:
    """Every actor `text` names: by id, else by name or alias, any case (indexed keys only, no scan).

    A merged-away id names the actor it joined. With `merged` it names itself: the row is the actor it joined
    but its `id` is the merged-away id, and every row carries `into`, the id of the live actor.
    """
    text = text.strip()
    if not text:
        return []
    by_id = store.read(cypher.text("lookup", "actor_by_id"), id=text)
    redirected = [] if by_id else store.read(cypher.text("lookup", "actor_by_redirect"), id=text)
    if redirected and merged:
        return [{**row, "id": text, "into": row["id"]} for row in redirected]
    found = by_id or redirected or store.read(cypher.text("lookup", "actors_by_key"), keys=lookup_forms(text))
    return _live(found) if merged else found


def _live(rows: list[Row]) -> list[Row]:
    """Rows of live actors, each with `into` (its own id), as `merged` lookups return them."""
    return [{**row, "into": row["id"]} for row in rows]


def _with_claims(store: GraphStore, rows: list[Row]) -> list[Row]:
    """The rows, each with `claims`: how many claims its (live) actor is the subject or object of."""
    live = [str(r.get("into", r["id"])) for r in rows]
    counts = {r["id"]: int(r["claims"]) for r in store.read(cypher.text("lookup", "actor_claims"), ids=live)}
    return [{**r, "claims": counts.get(i, 0)} for r, i in zip(rows, live, strict=True)]


def is_named(row: Row, text: str) -> bool:
    """True when `text` is the actor's name itself (any case, article or dots aside), not only an alias."""
    return bool(set(lookup_forms(row["name"] or "")) & set(lookup_forms(text)))


def _standing(row: Row, folded: set[str]) -> tuple[int, int, int, int]:
    """How strongly a candidate answers a name (smaller is stronger): claims, mentions, documents, exact name."""
    exact = bool(set(lookup_forms(row["name"] or "")) & folded)
    return (-int(row["claims"]), -int(row["mentions"] or 0), -int(row["documents"] or 0), 0 if exact else 1)


def rank_candidates(rows: Sequence[Row], text: str) -> list[Row]:
    """Candidates for the name `text` (rows with `claims`), strongest first (`_standing`), ties by id."""
    folded = set(lookup_forms(text))
    return sorted(rows, key=lambda r: (_standing(r, folded), str(r["id"])))


def resolve_actor(store: GraphStore, text: str, *, merged: bool = False) -> dict[str, Any]:
    """The one actor `text` names, as a row (id, name, type, aliases, claims, mentions, documents, others).

    Several matches: the one with the most evidence (claims, then mentions, then documents, then an exact match
    of its name) is taken, and `others` lists the rest, strongest first (empty when one actor matches); only
    candidates equal on all four raise AmbiguousActor, listing them. No match: ActorNotFound with "did you mean"
    suggestions. `merged`: a merged-away id stands for itself, and the row carries `into` (see `find_actors`).
    """
    found = find_actors(store, text, merged=merged)
    if not found and text.strip():
        found, suggestions = _scan(store, text.strip())
        if not found:
            raise ActorNotFound(text, suggestions)
        found = _live(found) if merged else found
    if not found:
        raise ActorNotFound(text, [])
    ranked = rank_candidates(_with_claims(store, found), text)
    folded = set(lookup_forms(text))
    tied = [r for r in ranked if _standing(r, folded) == _standing(ranked[0], folded)]
    if len(tied) > 1:
        raise AmbiguousActor(text, tied)
    return {**ranked[0], "others": ranked[1:]}
