"""Actor arguments: a name, alias or id typed by a user, resolved to one actor through an indexed lookup key.

Each actor carries `keys`, a list of lookup forms (its id, and the case-folded and normalised forms of its
name and aliases), indexed, so `WHERE $key IN a.keys` finds it without scanning (facts.md: a case-insensitive
scan over 100k actors costs ~80-140 ms). Ingest writes `keys` with the derived fields (`actor_keys()`); on a
graph written before that, resolution falls back to a scan, so answers are right either way, only slower.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from rapidfuzz import fuzz, process

from actorgraph.batching import chunks
from actorgraph.errors import ActorgraphError, NotFound
from actorgraph.graph.store import GraphStore, Row
from actorgraph.ids import actor_keys, lookup_forms

KEYS_BATCH: Final = 5_000

#: The lookup index (FalkorDB indexes each member of a list property; Neo4j accepts it and scans lists).
_ACTOR_ROW: Final = (
    "RETURN a.id AS id, a.name AS name, a.type AS type, coalesce(a.aliases, []) AS aliases, "
    "coalesce(a.mention_count, 0) AS mentions, coalesce(a.doc_count, 0) AS documents"
)
#: One actor by id.
ACTOR_BY_ID: Final = "MATCH (a:Actor {id: $id}) " + _ACTOR_ROW
#: The live actor a merged-away id redirects to (resolve keeps redirects flat).
ACTOR_BY_REDIRECT: Final = "MATCH (r:Redirect {id: $id}) MATCH (a:Actor {id: r.target}) " + _ACTOR_ROW
#: Actors with any of these lookup keys (each key one index seek).
ACTORS_BY_KEY: Final = (
    "UNWIND $keys AS k MATCH (a:Actor) WHERE k IN a.keys "
    "WITH DISTINCT a "
    "RETURN a.id AS id, a.name AS name, a.type AS type, coalesce(a.aliases, []) AS aliases, "
    "coalesce(a.mention_count, 0) AS mentions, coalesce(a.doc_count, 0) AS documents "
    "ORDER BY mentions DESC, id LIMIT 50"
)
#: Every actor's names, for "did you mean" and for actors written without `keys` (only on the error path).
ACTOR_NAMES: Final = (
    "MATCH (a:Actor) WHERE a.id > $after "
    "RETURN a.id AS key, a.name AS name, a.type AS type, coalesce(a.aliases, []) AS aliases, "
    "coalesce(a.mention_count, 0) AS mentions, coalesce(a.doc_count, 0) AS documents, "
    "a.keys IS NULL AS unkeyed "
    "ORDER BY key LIMIT $limit"
)
#: What `keys` is computed from, for a batch of actors.
ACTOR_KEY_SOURCES: Final = (
    "UNWIND $ids AS id MATCH (a:Actor {id: id}) "
    "RETURN a.id AS id, a.name AS name, coalesce(a.aliases, []) AS aliases"
)
ALL_ACTOR_IDS: Final = "MATCH (a:Actor) WHERE a.id > $after RETURN a.id AS key ORDER BY key LIMIT $limit"
#: Write `keys` for a batch of actors.
SET_ACTOR_KEYS: Final = (
    "UNWIND $rows AS row MATCH (a:Actor {id: row.id}) SET a.keys = row.keys RETURN count(a) AS n"
)


class AmbiguousActor(ActorgraphError):
    """A name fits several actors; `candidates` lists them (id, name, type, mentions) to pick one."""

    exit_code, hint = 1, "pass the id of the one you mean (shown above) instead of the name"

    def __init__(self, text: str, candidates: Sequence[Row]) -> None:
        listing = "; ".join(
            f"{c['id']} {c['name']} ({c['type']}, {c['mentions']} mentions)" for c in candidates[:10]
        )
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
        iter(dict.fromkeys(ids)) if ids is not None else (r["key"] for r in store.stream(ALL_ACTOR_IDS))
    )
    done = 0
    for batch in chunks(({"id": i} for i in todo), KEYS_BATCH):
        rows = store.read(ACTOR_KEY_SOURCES, ids=[r["id"] for r in batch])
        updates = [{"id": r["id"], "keys": actor_keys(r["id"], r["name"] or "", r["aliases"])} for r in rows]
        if updates:
            done += store.write(SET_ACTOR_KEYS, rows=updates)[0]["n"]
    return done


def _scan(store: GraphStore, text: str, limit: int = 3) -> tuple[list[Row], list[str]]:
    """One pass over every actor's names: actors without `keys` that `text` names, and the closest names.

    The matches cover graphs written before `keys` existed (same lookup forms, compared here in Python); the
    suggestions are rapidfuzz WRatio over names and aliases, for "did you mean".
    """
    forms = set(lookup_forms(text))
    matches: list[Row] = []
    choices: dict[str, str] = {}
    for row in store.stream(ACTOR_NAMES):
        names = [n for n in (row["name"], *row["aliases"]) if n]
        if row["unkeyed"] and any(forms & set(lookup_forms(n)) for n in names):
            fields = ("name", "type", "aliases", "mentions", "documents")
            matches.append({"id": row["key"], **{k: row[k] for k in fields}})
        for form in names:
            choices.setdefault(form.casefold(), row["name"])
    if matches or not choices:
        return matches, []
    found = process.extract(
        text.casefold(), list(choices), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=60
    )
    return [], list(dict.fromkeys(choices[match] for match, _, _ in found))[:limit]


def find_actors(store: GraphStore, text: str) -> list[Row]:
    """Every actor `text` names: by id (merged-away ids followed), else by name or alias, any case."""
    text = text.strip()
    if not text:
        return []
    by_id = store.read(ACTOR_BY_ID, id=text) or store.read(ACTOR_BY_REDIRECT, id=text)
    if by_id:
        return by_id
    return store.read(ACTORS_BY_KEY, keys=lookup_forms(text))


def resolve_actor(store: GraphStore, text: str) -> dict[str, Any]:
    """The one actor `text` names, as a row (id, name, type, aliases, mentions, documents).

    Several matches: an exact case-insensitive match of the full name wins if there is exactly one; otherwise
    AmbiguousActor lists the candidates. No match: ActorNotFound with "did you mean" suggestions.
    """
    found = find_actors(store, text)
    if not found and text.strip():
        found, suggestions = _scan(store, text.strip())
        if not found:
            raise ActorNotFound(text, suggestions)
    if len(found) == 1:
        return found[0]
    if not found:
        raise ActorNotFound(text, [])
    folded = set(lookup_forms(text))
    exact = [r for r in found if set(lookup_forms(r["name"] or "")) & folded]
    if len(exact) == 1:
        return exact[0]
    raise AmbiguousActor(text, exact or found)


def cypher_statements() -> Iterator[str]:
    """Every Cypher string this module sends (for the Neo4j-parser test)."""
    for name, value in globals().items():
        if (
            name.isupper()
            and isinstance(value, str)
            and any(w in value for w in ("MATCH", "INDEX", "UNWIND"))
        ):
            yield value
