"""What resolution reads: atoms (document-level actor ids), the live nodes holding them, redirects, decisions.

An *atom* is one document-level actor id: ingest writes each document's actors under `actorgraph.ids.actor_id`
of the document's own name, and the atom's MENTIONED_IN edges carry it as `actor_key`, its claims as
`subject_key` / `object_key`, wherever the edges sit now. An atom is found on the node holding its mentions.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Final

from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.ids import actor_id, normalize_name
from actorgraph.resolve.names import canonical_words, core_words, starts_with_acronym
from actorgraph.vocab import ACTOR_TYPES, TYPE_LABEL

intern = sys.intern
ACTOR_PAGE: Final = 5_000  # actors per read of load_state

#: Actor type of each actor label, for nodes written without a `type`.
LABEL_TYPE: Final = {label: t for t, label in TYPE_LABEL.items() if t in ACTOR_TYPES}


@dataclass
class Atom:
    """One document-level actor id, with every name and form the documents used for it."""

    key: str
    type: str
    names: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    docs: int = 0  # MENTIONED_IN edges: documents naming it
    doc_ids: set[str] = field(default_factory=set)

    @cached_property
    def name(self) -> str:
        """The document-level name: the one whose id is this atom's key, else the fullest."""
        for n in sorted(self.names):
            if actor_id(self.type, n) == self.key:
                return n
        return min(self.names, key=lambda n: (-len(n), n)) if self.names else self.key

    @cached_property
    def own_words(self) -> tuple[str, ...]:
        """The core words of its name (titles, legal suffixes dropped)."""
        return core_words(self.type, self.name)

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Its core words as the equivalences read them ("tories" -> conservative party): what keys compare."""
        return canonical_words(self.type, self.own_words, starts_with_acronym(self.name))


@dataclass
class Node:
    """A live actor node as loaded: the atoms whose edges it holds, and its resolution fields."""

    id: str
    atoms: set[str]
    merged_from: list[str]
    manual: list[str]
    manual_name: str | None = None  # the name a user's `merge --name` chose


@dataclass
class Decision:
    """A stored judgement: merge (a keeps, b joins), not-same, split (b leaves a), alias (a is also name)."""

    id: str
    kind: str
    a: str
    b: str | None
    name: str | None
    at: str
    by: str
    superseded: bool = False  # a later user judgement on the same actors overrides it; kept as the log


@dataclass
class State:
    """Everything resolution decides from: live nodes and atoms by id, redirects (id -> target), decisions
    oldest first."""

    nodes: dict[str, Node]
    atoms: dict[str, Atom]
    redirects: dict[str, str]
    decisions: list[Decision]


def decision_id(kind: str, a: str, b: str | None = None, name: str | None = None, by: str = "user") -> str:
    """Deterministic id of a decision, so recording the same judgement twice is one node."""
    parts = [kind, a, b or "", normalize_name(name) if name else "", by]
    return "decision:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def timestamp() -> str:
    """Now, as decisions record it (ISO 8601, UTC, microseconds: judgements are ordered by it)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _node_type(row: Row) -> str:
    """The actor type of a loaded node: its `type`, else its label, else its id's prefix."""
    if row.get("type") in ACTOR_TYPES:
        return str(row["type"])
    for label in row.get("labels") or []:
        if label in LABEL_TYPE:
            return LABEL_TYPE[label]
    return str(row.get("key", "")).split(":", 1)[0].upper() or "ORG"


def _held_atoms(row: Row, node_type: str, atoms: dict[str, Atom]) -> set[str]:
    """Record the atoms one loaded node holds (adding them to `atoms`) and return their keys.

    A node with claims but no mention stands for itself; an empty one (left by a crash after its edges
    moved) holds nothing and is deleted, never an atom. Document ids are interned: one string per document,
    however many atoms name it.
    """
    held_rows = [m for m in row["atoms"] or [] if m and m.get("docs")]
    if not held_rows:
        if not row["claims"]:
            return set()
        atom = atoms.setdefault(row["key"], Atom(row["key"], node_type))
        atom.names.add(row["name"] or row["key"])
        atom.forms.update(row["aliases"] or [])
        return {row["key"]}
    held: set[str] = set()
    for m in held_rows:
        key = m.get("key") or row["key"]
        held.add(key)
        atom = atoms.setdefault(key, Atom(key, node_type))
        atom.names.update(n for n in m.get("names") or [] if n)
        if not atom.names:
            atom.names.add(row["name"] or key)
        atom.forms.update(m.get("forms") or [])
        docs = m["docs"]
        atom.docs += len(docs)
        atom.doc_ids.update(intern(d) for d in docs if d)
    return held


def _actor_rows(store: GraphStore, page: int = ACTOR_PAGE) -> Iterator[Row]:
    """Every actor row of `load_actors`, a page of ids at a time, read as maps (one JSON string a page on
    FalkorDB, much faster to parse than nested values), in id order."""
    query, after = cypher.text("resolve", "load_actors"), ""
    while True:
        rows = sorted(store.read_maps(query, after=after, limit=page), key=lambda r: str(r["key"]))
        yield from rows
        if len(rows) < page:
            return
        after = str(rows[-1]["key"])


def load_state(store: GraphStore) -> State:
    """Live actor nodes, atoms, redirects and decisions, read page by page."""
    nodes: dict[str, Node] = {}
    atoms: dict[str, Atom] = {}
    for row in _actor_rows(store):
        held = _held_atoms(row, _node_type(row), atoms)
        nodes[row["key"]] = Node(
            row["key"], held, list(row["merged_from"] or []), list(row["manual"] or []), row.get("manual_name")
        )
    redirects = {r["key"]: r["target"] for r in store.stream(cypher.text("resolve", "load_redirects"))}
    decisions = [
        Decision(
            r["key"],
            r["kind"],
            r["a"],
            r.get("b"),
            r.get("name"),
            r.get("at") or "",
            r.get("by") or "user",
            bool(r.get("superseded")),
        )
        for r in store.stream(cypher.text("resolve", "load_decisions"))
    ]
    decisions.sort(key=lambda d: (d.at, d.id))
    return State(nodes, atoms, redirects, decisions)
