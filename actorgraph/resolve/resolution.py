"""Cross-document entity resolution: one node per real actor, decided as data and replayable.

Ingest writes each document's actors under document-level ids (`actorgraph.ids.actor_id` of the document's
own name). Every such id is an *atom*: its MENTIONED_IN edges carry it as `actor_key`, its claims as
`subject_key` / `object_key`, wherever the edges sit now. `resolve(store)` recomputes the partition of all
atoms from scratch, from the atoms' names and forms plus the user's stored judgements (Decision nodes: merge,
not-same, split, alias), then moves edges until the graph matches it. The partition is a pure function of the
set of atoms and the judgements, so the result never depends on ingest order; a second run changes nothing.
How it decides: docs/resolution.md.

Writing is ordered so that a crash anywhere is repaired by the next `resolve`: claims move before the mentions
that make an atom visible (an atom is found on the node holding its MENTIONED_IN edges), a merged-away node is
deleted only after its Redirect is written, and each step is one atomic query per batch.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Final

from actorgraph.batching import chunks
from actorgraph.errors import ConfigError, NotFound
from actorgraph.graph.store import GraphStore
from actorgraph.ids import actor_id, normalize_name
from actorgraph.resolve.names import (
    acronym,
    core_words,
    fuzzy_twins,
    is_generic,
    is_list_name,
    is_org_like,
    is_place_word,
    last_word,
    name_initials,
    name_key,
    org_stem,
)
from actorgraph.vocab import (
    ACTOR_TYPES,
    INTERNAL_TYPES,
    PREDICATES,
    RESOLUTION_LABELS,
    TYPE_LABEL,
    node_label,
    rel_type,
)

Row = dict[str, Any]

MENTIONED_IN: Final = INTERNAL_TYPES[0]
MOVE_BATCH: Final = (
    2_000  # (node, target) rows per move query: each is atomic, and a crash mid-way is replayed
)
HUB_MIN_DOCS: Final = 10  # a neighbour named in more documents than this and than HUB_SHARE of all ...
HUB_SHARE: Final = 0.02  # ... is a hub ("UK", "BBC"): sharing it says nothing about two documents
MAX_ROUNDS: Final = 5  # short-form rounds: a short name may fit one cluster only after another merge

LABEL_TYPE: Final = {label: t for t, label in TYPE_LABEL.items() if t in ACTOR_TYPES}

# -- Cypher: reading -----------------------------------------------------------------------------------------

#: Every actor with its MENTIONED_IN edges (the atoms it holds) and how many claims touch it, page by page.
LOAD_ACTORS: Final = (
    "MATCH (a:Actor) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $limit "
    f"OPTIONAL MATCH (a)-[m:{MENTIONED_IN}]->(d:Document) "
    "WITH a, collect(CASE WHEN m IS NULL THEN null "
    "ELSE {key: m.actor_key, name: m.name, forms: m.forms, count: m.count, doc: d.id} END) AS mentions "
    f"OPTIONAL MATCH (a)-[r]-() WHERE type(r) <> '{MENTIONED_IN}' "
    "RETURN a.id AS key, a.type AS type, labels(a) AS labels, a.name AS name,"
    " coalesce(a.aliases, []) AS aliases, coalesce(a.merged_from, []) AS merged_from,"
    " coalesce(a.manual_aliases, []) AS manual, mentions, count(r) AS claims "
    "ORDER BY key"
)
#: Every Redirect, a page at a time.
LOAD_REDIRECTS: Final = (
    "MATCH (r:Redirect) WHERE r.id > $after RETURN r.id AS key, r.target AS target ORDER BY key LIMIT $limit"
)
#: Every Decision, a page at a time.
LOAD_DECISIONS: Final = (
    "MATCH (d:Decision) WHERE d.id > $after "
    "RETURN d.id AS key, d.kind AS kind, d.a AS a, d.b AS b, d.name AS name, d.at AS at, d.by AS by,"
    " d.superseded AS superseded "
    "ORDER BY key LIMIT $limit"
)
#: Where a merged-away id went.
REDIRECT_TARGET: Final = "MATCH (r:Redirect {id: $id}) RETURN r.target AS target"
#: One actor by id.
ACTOR_BY_ID: Final = (
    "MATCH (a:Actor {id: $id}) RETURN a.id AS id, a.name AS name, a.type AS type,"
    " coalesce(a.mention_count, 0) AS mentions, coalesce(a.merged_from, []) AS merged_from"
)
#: Actors whose name or an alias equals `$name` case-insensitively (`$name` is lower-case).
ACTORS_BY_NAME: Final = (
    "MATCH (a:Actor) WHERE toLower(a.name) = $name"
    " OR any(x IN coalesce(a.aliases, []) WHERE toLower(x) = $name) "
    "RETURN a.id AS id, a.name AS name, a.type AS type, coalesce(a.mention_count, 0) AS mentions "
    "ORDER BY mentions DESC, id"
)
#: Merged-in atoms whose document-level name equals `$name` case-insensitively (what `split NAME` can mean).
MERGED_BY_NAME: Final = (
    f"MATCH (a:Actor)-[m:{MENTIONED_IN}]->(:Document) WHERE m.actor_key <> a.id AND toLower(m.name) = $name "
    "RETURN DISTINCT m.actor_key AS id, m.name AS name, a.id AS into, a.name AS into_name ORDER BY id"
)
COUNT_ACTORS: Final = "MATCH (a:Actor) RETURN count(a) AS n"
#: Every actor name, for "did you mean".
ACTOR_NAMES: Final = "MATCH (a:Actor) RETURN a.name AS name, a.id AS id"

# -- Cypher: writing -----------------------------------------------------------------------------------------


def _create_target(label: str) -> str:
    return (
        f"UNWIND $rows AS row MERGE (a:Actor:{node_label(label)} {{id: row.id}}) "
        "ON CREATE SET a.name = row.name, a.type = row.type, a.aliases = [], a.mention_count = 0,"
        " a.doc_count = 0 "
        "SET a.dirty = true, a.rev = coalesce(a.rev, 0) + 1 RETURN count(a) AS n"
    )


def _move_out(rel: str) -> str:
    key = "actor_key" if rel == MENTIONED_IN else "subject_key"
    return (
        f"UNWIND $rows AS mv MATCH (a:Actor {{id: mv.src}})-[r:{rel}]->(o) "
        f"WHERE mv.all OR r.{key} IN mv.keys "
        "MATCH (b:Actor {id: mv.dst}) "
        f"MERGE (b)-[r2:{rel} {{{_merge_key(rel)}}}]->(o) "
        "SET r2 += properties(r), a.dirty = true, a.rev = coalesce(a.rev, 0) + 1,"
        " b.dirty = true, b.rev = coalesce(b.rev, 0) + 1 "
        "DELETE r RETURN count(*) AS moved"
    )


def _move_in(rel: str) -> str:
    return (
        f"UNWIND $rows AS mv MATCH (s)-[r:{rel}]->(a:Actor {{id: mv.src}}) "
        "WHERE mv.all OR r.object_key IN mv.keys "
        "MATCH (b:Actor {id: mv.dst}) "
        f"MERGE (s)-[r2:{rel} {{id: r.id}}]->(b) "
        "SET r2 += properties(r), a.dirty = true, a.rev = coalesce(a.rev, 0) + 1,"
        " b.dirty = true, b.rev = coalesce(b.rev, 0) + 1 "
        "DELETE r RETURN count(*) AS moved"
    )


def _merge_key(rel: str) -> str:
    # A claim is one edge per claim id; a mention is one edge per (atom, document), so split can move it back.
    return "actor_key: coalesce(r.actor_key, a.id)" if rel == MENTIONED_IN else "id: r.id"


#: Create the nodes atoms move to (a split re-creates the atom's own node), one variant per actor label.
CREATE_TARGET: Final[dict[str, str]] = {label: _create_target(label) for label in LABEL_TYPE}
#: Move claims whose subject is one of `mv.keys` (or all, `mv.all`) from node `mv.src` to `mv.dst`; per type.
MOVE_OUT: Final[dict[str, str]] = {p: _move_out(rel_type(p)) for p in PREDICATES}
#: Move claims whose object is one of `mv.keys` (or all) from node `mv.src` to `mv.dst`; per type.
MOVE_IN: Final[dict[str, str]] = {p: _move_in(rel_type(p)) for p in PREDICATES}
#: Move MENTIONED_IN edges of atoms `mv.keys` (or all) from `mv.src` to `mv.dst`. Sent after the claims: an
#: atom is found where its mentions are, so a crash between the two leaves it visible where claims remain.
MOVE_MENTIONS: Final = _move_out(MENTIONED_IN)

#: Point merged-away ids at their surviving actor.
WRITE_REDIRECTS: Final = (
    "UNWIND $rows AS row MERGE (r:Redirect {id: row.id}) SET r.target = row.target RETURN count(r) AS n"
)
DELETE_REDIRECTS: Final = "UNWIND $ids AS id MATCH (r:Redirect {id: id}) DELETE r RETURN count(*) AS n"
#: Delete merged-away actors, only once nothing points at them any more.
DELETE_EMPTY_ACTORS: Final = (
    "UNWIND $ids AS id MATCH (a:Actor {id: id}) OPTIONAL MATCH (a)-[r]-() "
    "WITH a, count(r) AS degree WHERE degree = 0 DELETE a RETURN count(*) AS n"
)
#: The resolution fields of surviving actors (derived from atoms, redirects and alias decisions); absent when
#: empty, so an actor that was merged and split again looks like one that never was.
WRITE_RESOLVED: Final = (
    "UNWIND $rows AS row MATCH (a:Actor {id: row.id}) "
    "SET a.merged_from = CASE WHEN size(row.merged_from) = 0 THEN null ELSE row.merged_from END,"
    " a.manual_aliases = CASE WHEN size(row.manual_aliases) = 0 THEN null ELSE row.manual_aliases END,"
    " a.dirty = true, a.rev = coalesce(a.rev, 0) + 1 RETURN count(a) AS n"
)
WRITE_DECISIONS: Final = (
    "UNWIND $rows AS row MERGE (d:Decision {id: row.id}) "
    "ON CREATE SET d.kind = row.kind, d.a = row.a, d.b = row.b, d.name = row.name, d.at = row.at,"
    " d.by = row.by "
    "SET d.rule = row.rule RETURN count(d) AS n"
)
DELETE_DECISIONS: Final = "UNWIND $ids AS id MATCH (d:Decision {id: id}) DELETE d RETURN count(*) AS n"

#: Resolution labels are looked up by id (FalkorDB: index; Neo4j: unique constraint).


def cypher_statements() -> Iterator[str]:
    """Every Cypher string this module sends, generated variants included (for the Neo4j parser test)."""

    def is_cypher(v: object) -> bool:
        return isinstance(v, str) and any(w in v for w in ("MATCH", "MERGE", "CREATE", "CALL"))

    for name, value in globals().items():
        if not name.isupper():
            continue
        values = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else [value]
        yield from (v for v in values if is_cypher(v))


# -- errors --------------------------------------------------------------------------------------------------


class AmbiguousActor(NotFound):
    """A name or alias fits several actors: the user picks one by id."""

    hint = "pass the id of the one you mean (the first column above)"


# -- the data of one run -------------------------------------------------------------------------------------


@dataclass
class Atom:
    """One document-level actor id, with every name and form the documents used for it."""

    key: str
    type: str
    names: set[str] = field(default_factory=set)
    forms: set[str] = field(default_factory=set)
    count: int = 0
    docs: int = 0
    doc_ids: set[str] = field(default_factory=set)
    nodes: set[str] = field(default_factory=set)  # nodes holding its edges (two after a crash or re-ingest)

    @cached_property
    def name(self) -> str:
        """The document-level name: the one whose id is this atom's key, else the fullest."""
        for n in sorted(self.names):
            if actor_id(self.type, n) == self.key:
                return n
        return min(self.names, key=lambda n: (-len(n), n)) if self.names else self.key

    @cached_property
    def words(self) -> tuple[str, ...]:
        return core_words(self.type, self.name)


@dataclass
class Node:
    """A live actor node as loaded: the atoms whose mentions it holds, and its resolution fields."""

    id: str
    type: str
    name: str
    atoms: set[str]
    claims: int
    merged_from: list[str]
    manual: list[str]


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


def decision_id(kind: str, a: str, b: str | None = None, name: str | None = None, by: str = "user") -> str:
    """Deterministic id of a decision, so recording the same judgement twice is one node."""
    parts = [kind, a, b or "", normalize_name(name) if name else "", by]
    return "decision:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


# -- loading -------------------------------------------------------------------------------------------------


def _node_type(row: Row) -> str:
    if row.get("type") in ACTOR_TYPES:
        return str(row["type"])
    for label in row.get("labels") or []:
        if label in LABEL_TYPE:
            return LABEL_TYPE[label]
    return str(row.get("key", "")).split(":", 1)[0].upper() or "ORG"


def load_state(store: GraphStore) -> tuple[dict[str, Node], dict[str, Atom], dict[str, str], list[Decision]]:
    """Live actor nodes, atoms, redirects (id -> target) and decisions, read page by page."""
    nodes: dict[str, Node] = {}
    atoms: dict[str, Atom] = {}
    for row in store.stream(LOAD_ACTORS):
        node_type = _node_type(row)
        mentions = [m for m in row["mentions"] or [] if m]
        if not mentions and not row["claims"]:
            held: set[str] = set()  # an empty node (a crash after its edges moved): deleted, never an atom
        elif not mentions:
            held = {row["key"]}  # claims but no mention: the node stands for itself
            atom = atoms.setdefault(row["key"], Atom(row["key"], node_type))
            atom.names.add(row["name"] or row["key"])
            atom.forms.update(row["aliases"] or [])
            atom.nodes.add(row["key"])
        else:
            held = set()
            for m in mentions:
                key = m.get("key") or row["key"]
                held.add(key)
                atom = atoms.setdefault(key, Atom(key, node_type))
                atom.names.add(m.get("name") or row["name"] or key)
                atom.forms.update(m.get("forms") or [])
                atom.count += int(m.get("count") or 0)
                atom.docs += 1
                if m.get("doc"):
                    atom.doc_ids.add(m["doc"])
                atom.nodes.add(row["key"])
        nodes[row["key"]] = Node(
            row["key"],
            node_type,
            row["name"] or row["key"],
            held,
            int(row["claims"] or 0),
            list(row["merged_from"] or []),
            list(row["manual"] or []),
        )
    redirects = {r["key"]: r["target"] for r in store.stream(LOAD_REDIRECTS)}
    decisions = [
        Decision(
            r["key"], r["kind"], r["a"], r.get("b"), r.get("name"), r.get("at") or "", r.get("by") or "user",
            bool(r.get("superseded")),
        )
        for r in store.stream(LOAD_DECISIONS)
    ]
    decisions.sort(key=lambda d: (d.at, d.id))
    return nodes, atoms, redirects, decisions


# -- deciding ------------------------------------------------------------------------------------------------


class _Partition:
    """Union-find over atom keys that refuses any union a not-same judgement forbids."""

    def __init__(self, keys: Iterable[str], cannot: Iterable[tuple[str, str]]) -> None:
        self.parent = {k: k for k in keys}
        self.members: dict[str, set[str]] = {k: {k} for k in self.parent}
        self.cannot: dict[str, set[str]] = defaultdict(set)
        for a, b in cannot:
            if a in self.parent and b in self.parent and a != b:
                self.cannot[a].add(b)
                self.cannot[b].add(a)
        self.rule: dict[str, str] = {}  # atom -> the rule of the first union that joined it to another

    def find(self, k: str) -> str:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def blocked(self, ra: str, rb: str) -> bool:
        small, other = (ra, rb) if len(self.members[ra]) <= len(self.members[rb]) else (rb, ra)
        return any(
            self.find(x) == other for m in self.members[small] if m in self.cannot for x in self.cannot[m]
        )

    def union(self, a: str, b: str, rule: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.blocked(ra, rb):
            return False
        if (len(self.members[ra]), rb) < (len(self.members[rb]), ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        for k in (a, b):
            self.rule.setdefault(k, rule)
        return True

    def clusters(self) -> list[set[str]]:
        return [set(m) for m in self.members.values()]


@dataclass
class _Info:
    """What the short-form rules need to know about one cluster."""

    root: str
    type: str
    rank: int  # words of its fullest core name
    fulls: set[str]  # core keys with that many words
    keys: set[str]  # every member's core key
    forms: set[str]  # core keys of every recorded form and manual alias
    acronyms: set[str]
    lasts: set[str]  # last words of its multi-word names, as written ("simpson daniel" for a hyphen)
    docs: int  # documents naming it (MENTIONED_IN edges of its atoms)
    junk: bool  # its fullest name reads as two names: it attracts nothing


def _cluster_info(part: _Partition, atoms: dict[str, Atom], manual: dict[str, set[str]]) -> dict[str, _Info]:
    out: dict[str, _Info] = {}
    for root, members in part.members.items():
        t = atoms[root].type
        keys = {" ".join(atoms[k].words) for k in members}
        rank = max(len(k.split()) for k in keys)
        forms = {name_key(t, f) for k in members for f in atoms[k].forms | manual.get(k, set())}
        acronyms = {a for k in members for n in atoms[k].names if (a := acronym(n))}
        fulls = {k for k in keys if len(k.split()) == rank}
        longest = [atoms[k].name for k in members if len(atoms[k].words) == rank]
        junk = any(is_list_name(n) for n in longest)
        docs = sum(atoms[k].docs for k in members)
        lasts = {last_word(atoms[k].name) for k in members if len(atoms[k].words) >= 2}
        out[root] = _Info(root, t, rank, fulls, keys, forms - {""}, acronyms, lasts, docs, junk)
    return out


def _inside(short: str, keys: Iterable[str]) -> bool:
    """Whether the words of `short` run, in order, inside one of `keys` ("peston" in "robert peston")."""
    s = f" {short} "
    return any(s in f" {k} " for k in keys)


class _Neighbours:
    """Which clusters are named in the documents of a cluster: the context two names must share when the
    names alone are weak evidence (initials; a one-word organisation name)."""

    def __init__(self, atoms: dict[str, Atom], part: _Partition) -> None:
        self.atoms, self.part = atoms, part
        self.by_doc: dict[str, set[str]] = defaultdict(set)
        for key, atom in atoms.items():
            for d in atom.doc_ids:
                self.by_doc[d].add(key)
        self.cache: dict[str, set[str]] = {}
        # an actor named everywhere ("UK", "BBC") is no evidence that two documents share a context
        self.hub = max(HUB_MIN_DOCS, HUB_SHARE * len(self.by_doc))

    def _docs(self, root: str) -> set[str]:
        return {d for k in self.part.members[root] for d in self.atoms[k].doc_ids}

    def of(self, root: str) -> set[str]:
        if root not in self.cache:
            found = {self.part.find(k) for d in self._docs(root) for k in self.by_doc[d]} - {root}
            self.cache[root] = {r for r in found if len(self._docs(r)) <= self.hub}
        return self.cache[root]

    def shared(self, a: str, b: str) -> bool:
        return bool((self.of(a) & self.of(b)) - {a, b})


def _short_form_links(
    infos: dict[str, _Info], atoms: dict[str, Atom], part: _Partition
) -> list[tuple[str, str, str]]:
    """(short root, long root, rule) for every cluster whose short name fits exactly one longer cluster.

    Guards, each from a false merge seen on the BBC corpus: a one-word common noun ("Union", "Parliament")
    joins nothing; a recorded form that is neither an acronym nor part of the long name ("State" recorded for
    the European Union) links nothing; a short name (not a surname) used on its own in more documents than the
    long cluster ("Chelsea" 53 documents, "Injured Chelsea" 1; "Vodafone", "Vodafone KK") is an actor itself;
    a long name that reads as two ("Arsenal or Sheffield United") attracts nothing; initials need 3+ letters
    and an organisation word in the long name ("NBA" is no "Newcastle Brown Ale"); a place name typed PERSON
    ("Britain") is no surname, nor a first name ("Sarah" recorded for "Sarah Claxton"). Initials, and any
    one-word name ("Mercury", the Ford brand, is no Freddie Mercury; "Bez", a Happy Monday, no Ulrich Bez),
    need a shared neighbour too: another actor named in documents of both.
    """
    by_form: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_last: dict[str, set[str]] = defaultdict(set)
    by_initials: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_stem: dict[str, set[str]] = defaultdict(set)
    for info in infos.values():
        if info.junk:
            continue
        for f in info.forms:
            if len(f.split()) < info.rank:
                by_form[(info.type, f)].add(info.root)
        if info.type == "PERSON" and info.rank <= 3:
            for last in info.lasts:
                by_last[last].add(info.root)
        for k in info.keys:
            if info.type == "ORG" and org_stem(k) != k:
                by_stem[org_stem(k)].add(info.root)
        if info.type != "PERSON" and info.rank >= 2:
            for m in part.members[info.root]:
                for n in atoms[m].names:
                    if info.type == "ORG" and not is_org_like(n):
                        continue
                    for ini in name_initials(n):
                        if len(ini) >= 3:
                            by_initials[(info.type, ini)].add(info.root)
    places = {k for info in infos.values() if info.type == "GPE" for k in info.keys}
    neighbours = _Neighbours(atoms, part)
    links = []
    for info in sorted(infos.values(), key=lambda i: i.root):
        found: dict[str, str] = {}
        for k in sorted(info.fulls):
            if is_generic(k) or (info.type == "PERSON" and (k in places or is_place_word(k))):
                continue
            for root in by_form.get((info.type, k), ()):
                part_of = k in info.acronyms or _inside(k, infos[root].keys)
                if part_of and (info.type != "PERSON" or " " in k or k in infos[root].lasts):  # not "Sarah"
                    found.setdefault(root, "recorded-form")
            if info.rank == 1 and info.type == "PERSON":
                for root in by_last.get(k, ()):
                    found.setdefault(root, "surname")
            if info.type == "ORG":
                for root in by_stem.get(k, ()):
                    found.setdefault(root, "short-org-name")
        if info.rank == 1:
            for a in sorted(info.acronyms):
                for root in by_initials.get((info.type, a), ()):
                    found.setdefault(root, "acronym")
                for root in by_form.get((info.type, a), ()):
                    found.setdefault(root, "recorded-acronym")
        found.pop(info.root, None)
        candidates = {r: rule for r, rule in found.items() if infos[r].rank > info.rank}
        if len(candidates) != 1:
            continue
        ((root, rule),) = candidates.items()
        surname = info.type == "PERSON" and info.rank == 1  # "Ablyazov" may well be in more documents
        if rule != "recorded-acronym" and not surname and info.docs > infos[root].docs:
            continue
        weak = rule == "acronym" or (info.type != "GPE" and info.rank == 1 and not info.acronyms)
        if weak and not neighbours.shared(info.root, root):
            continue
        links.append((info.root, root, rule))
    return links


def _fuzzy_links(atoms: dict[str, Atom]) -> list[tuple[str, str]]:
    """Pairs of core keys of one type that are fuzzy twins, where each has exactly one twin."""
    keys: dict[tuple[str, tuple[str, ...]], None] = {}
    for atom in atoms.values():
        if len(atom.words) >= 2:
            keys[(atom.type, atom.words)] = None
    blocks: dict[tuple[str, int, tuple[str, ...]], list[tuple[str, ...]]] = defaultdict(list)
    for t, words in keys:
        for i in range(len(words)):
            blocks[(t, i, words[:i] + words[i + 1 :])].append(words)
    partners: dict[tuple[str, tuple[str, ...]], set[tuple[str, ...]]] = defaultdict(set)
    for (t, _, _), group in blocks.items():
        if len(group) < 2 or len(group) > 50:
            continue
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if fuzzy_twins(t, a, b):
                    partners[(t, a)].add(b)
                    partners[(t, b)].add(a)
    out = []
    for (t, a), bs in sorted(partners.items()):
        if len(bs) == 1:
            (b,) = bs
            if len(partners[(t, b)]) == 1 and a < b:
                out.append((f"{t}|{' '.join(a)}", f"{t}|{' '.join(b)}"))
    return out


def _fullness(atom: Atom) -> tuple[int, int, int, int, str, str]:
    """Survivor order: most words of the core name, then fewest words dropped from it (titles, "Rapper"), then
    as ingest's `refresh_actors` names an actor (most documents, longest, alphabetical), then id."""
    name = atom.name
    return (-len(atom.words), len(name.split()) - len(atom.words), -atom.docs, -len(name), name, atom.key)


@dataclass
class Plan:
    """The target partition: each atom's surviving id, the rule that joined it, each survivor's aliases."""

    target: dict[str, str]
    rule: dict[str, str]
    manual: dict[str, list[str]]


def _effective(decisions: list[Decision]) -> tuple[list[Decision], list[tuple[str, str]], list[Decision]]:
    """User merges, not-same pairs and aliases in force: on one pair, the latest judgement wins."""
    latest: dict[frozenset[str], Decision] = {}
    aliases = []
    for d in decisions:
        if d.by != "user" or d.superseded:
            continue
        if d.kind == "alias":
            aliases.append(d)
        elif d.kind in {"merge", "not-same", "split"} and d.b:
            latest[frozenset((d.a, d.b))] = d
    merges = sorted((d for d in latest.values() if d.kind == "merge"), key=lambda d: (d.at, d.id))
    cannot = sorted((d.a, d.b) for d in latest.values() if d.kind != "merge" and d.b)
    return merges, cannot, aliases


def plan(atoms: dict[str, Atom], decisions: list[Decision], redirects: dict[str, str] | None = None) -> Plan:
    """Partition the atoms: user merges, equal keys, fuzzy twins, then short forms that fit exactly one actor.

    Every step reads the whole input and breaks ties by sorted keys, so the plan depends on the set of atoms
    and judgements only, never on the order they arrived in.
    """
    redirects = redirects or {}

    def atom_of(ref: str) -> str | None:
        seen = 0
        while ref not in atoms and ref in redirects and seen < 10:
            ref, seen = redirects[ref], seen + 1
        return ref if ref in atoms else None

    merges, cannot, alias_decisions = _effective(decisions)
    pairs = [(a, b) for x, y in cannot if (a := atom_of(x)) and (b := atom_of(y))]
    part = _Partition(sorted(atoms), pairs)
    keep: set[str] = set()
    joined: set[str] = set()
    for d in merges:
        a, b = atom_of(d.a), atom_of(d.b or "")
        if a and b and atoms[a].type == atoms[b].type and part.union(a, b, "manual"):
            keep.add(a)
            joined.add(b)
    manual: dict[str, set[str]] = defaultdict(set)
    for d in alias_decisions:
        a = atom_of(d.a)
        if a and d.name:
            manual[a].add(d.name)
    by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    for k in sorted(atoms):
        by_key[(atoms[k].type, " ".join(atoms[k].words))].append(k)
    for a, names in sorted(manual.items()):
        for n in sorted(names):
            for k in by_key.get((atoms[a].type, name_key(atoms[a].type, n)), []):
                part.union(a, k, "manual-alias")
    for group in by_key.values():
        for k in group[1:]:
            part.union(group[0], k, "same-name")
    for a, b in _fuzzy_links(atoms):
        ta, ka = a.split("|", 1)
        tb, kb = b.split("|", 1)
        part.union(by_key[(ta, ka)][0], by_key[(tb, kb)][0], "fuzzy")
    for _ in range(MAX_ROUNDS):
        infos = _cluster_info(part, atoms, manual)
        changed = False
        for short, long, rule in _short_form_links(infos, atoms, part):
            changed |= part.union(short, long, rule)
        if not changed:
            break
    target: dict[str, str] = {}
    manual_out: dict[str, list[str]] = {}
    for members in part.clusters():
        preferred = (members & keep) - joined or members
        survivor = min(preferred, key=lambda k: _fullness(atoms[k]))
        for k in members:
            target[k] = survivor
        aliases = sorted({n for k in members for n in manual.get(k, set())})
        if aliases:
            manual_out[survivor] = aliases
    return Plan(target, {k: part.rule.get(k, "") for k in atoms}, manual_out)


# -- applying ------------------------------------------------------------------------------------------------


def _move(store: GraphStore, rows: list[Row]) -> int:
    """Move every claim, then every mention, of the rows' atoms from src to dst (each query atomic)."""
    moved = 0
    for batch in chunks(rows, MOVE_BATCH):
        for p in PREDICATES:
            moved += sum(r["moved"] for r in store.write(MOVE_OUT[p], rows=batch))
            moved += sum(r["moved"] for r in store.write(MOVE_IN[p], rows=batch))
        moved += sum(r["moved"] for r in store.write(MOVE_MENTIONS, rows=batch))
    return moved


def ensure_resolution_schema(store: GraphStore) -> None:
    """Unique Redirect and Decision ids (idempotent)."""
    store.ensure_schema(RESOLUTION_LABELS)


def _refresh(store: GraphStore, ids: Iterable[str]) -> None:
    """Recompute the derived fields (name, aliases, counts) of `ids` with ingest's own function."""
    ids = sorted(set(ids))
    if not ids:
        return
    from actorgraph.ingest.ingest import refresh_actors  # derived fields belong to ingest

    refresh_actors(store, ids)


def resolve(store: GraphStore) -> ResolveReport:
    """Re-apply the stored judgements and find new merges; make the graph match; idempotent and crash-safe."""
    ensure_resolution_schema(store)
    nodes, atoms, redirects, decisions = load_state(store)
    report = ResolveReport(actors_before=len(nodes), atoms=len(atoms))
    p = plan(atoms, decisions, redirects)
    target = p.target

    def node_target(n: str) -> str:
        return target.get(n, n)

    # 1. the nodes atoms move to (a split gives an atom its own node back)
    missing = sorted({t for t in target.values() if t not in nodes})
    for label, t in ((TYPE_LABEL[atoms[m].type], m) for m in missing):
        store.write(CREATE_TARGET[label], rows=[{"id": t, "name": atoms[t].name, "type": atoms[t].type}])
    report.split_now = missing
    # 2. atoms whose node goes elsewhere than they do, 3. then whole nodes merged away
    part_rows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n, node in sorted(nodes.items()):
        for k in sorted(node.atoms):
            if target[k] != node_target(n):
                part_rows[(n, target[k])].append(k)
    report.edges_moved += _move(
        store, [{"src": s, "dst": d, "all": False, "keys": ks} for (s, d), ks in sorted(part_rows.items())]
    )
    gone = sorted(n for n in nodes if node_target(n) != n)
    whole = [{"src": n, "dst": node_target(n), "all": True, "keys": []} for n in gone]
    report.edges_moved += _move(store, whole)
    # 4. redirects: every merged-away atom, and older redirects re-pointed at today's survivor
    live = set(target.values())
    wanted = {k: t for k, t in target.items() if k != t}
    for old, t in redirects.items():
        if old in wanted or old in live:
            continue
        seen = 0
        while t not in atoms and t in redirects and seen < 10:
            t, seen = redirects[t], seen + 1
        t = target.get(t, t)
        if t in live and t != old:
            wanted[old] = t
    stale = sorted(set(redirects) - set(wanted))
    rows = [{"id": k, "target": t} for k, t in sorted(wanted.items()) if redirects.get(k) != t]
    for batch in chunks(rows, MOVE_BATCH):
        store.write(WRITE_REDIRECTS, rows=batch)
    for ids in chunks(stale, MOVE_BATCH):
        store.write(DELETE_REDIRECTS, ids=ids)
    report.redirects = len(wanted)
    # 5. merged-away nodes (and empty ones), now that their redirects exist
    empty = sorted(set(gone) | {n for n in nodes if n not in atoms})
    for ids in chunks(empty, MOVE_BATCH):
        store.write(DELETE_EMPTY_ACTORS, ids=ids)
    # 6. resolution fields of survivors
    merged_from: dict[str, list[str]] = defaultdict(list)
    for k, t in sorted(wanted.items()):
        merged_from[t].append(k)
    resolved: list[Row] = []
    for s in sorted({*target.values()}):
        mf, ma = merged_from.get(s, []), p.manual.get(s, [])
        had = nodes.get(s)
        if had is None or had.merged_from != mf or had.manual != ma:
            resolved.append({"id": s, "merged_from": mf, "manual_aliases": ma})
    for batch in chunks(resolved, MOVE_BATCH):
        store.write(WRITE_RESOLVED, rows=batch)
    # 7. the automatic decisions, as a log of the current partition (user decisions are never touched)
    merges = [
        Merge(t, atoms[t].name, k, atoms[k].name, p.rule.get(k) or "same-cluster")
        for k, t in sorted(target.items())
        if k != t
    ]
    report.merges = merges
    report.merged_atoms = len(merges)
    auto = {decision_id("merge", m.target, m.merged, by="resolve"): m for m in merges}
    old_auto = {d.id for d in decisions if d.by == "resolve"}
    at = _now()
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
        store.write(WRITE_DECISIONS, rows=batch)
    for ids in chunks(sorted(old_auto - set(auto)), MOVE_BATCH):
        store.write(DELETE_DECISIONS, ids=ids)
    # 8. derived fields of every node that gained or lost edges
    moved = {k for ks in part_rows.values() for k in ks} | {k for n in gone for k in nodes[n].atoms}
    report.merged_now = [m for m in merges if m.merged in moved]
    touched = {s for s, _ in part_rows} | {d for _, d in part_rows} | {node_target(n) for n in gone}
    touched |= {str(r["id"]) for r in resolved} | set(missing)
    _refresh(store, touched - set(empty))
    report.actors_after = int(store.read(COUNT_ACTORS)[0]["n"])
    return report


# -- resolving ids and names ---------------------------------------------------------------------------------


def resolve_id(store: GraphStore, actor: str) -> str:
    """The live actor id an id stands for today: itself, or where its Redirects lead (exports: owl:sameAs)."""
    seen: set[str] = set()
    while actor not in seen:
        seen.add(actor)
        rows = store.read(REDIRECT_TARGET, id=actor)
        if not rows or not rows[0]["target"]:
            return actor
        actor = rows[0]["target"]
    return actor


def _candidates_table(rows: list[Row]) -> str:
    return "\n".join(f"  {r['id']}  {r['type']}  {r['name']}  ({r['mentions']} mentions)" for r in rows)


def find_actor(store: GraphStore, ref: str, *, merged: bool = False) -> str:
    """The actor id `ref` names: a live id, a merged-away id (when `merged`), or a unique name or alias.

    Names and aliases match case-insensitively; several matches raise AmbiguousActor listing the candidates
    with their type and mention count, none raises NotFound with the closest names.
    """
    ref = ref.strip()
    if store.read(ACTOR_BY_ID, id=ref):
        return ref
    if store.read(REDIRECT_TARGET, id=ref):
        return ref if merged else resolve_id(store, ref)
    rows = store.read(ACTORS_BY_NAME, name=ref.lower())
    if len(rows) == 1:
        return str(rows[0]["id"])
    if rows:
        raise AmbiguousActor(f"{ref!r} names {len(rows)} actors:\n{_candidates_table(rows)}")
    from rapidfuzz import process

    names = {r["name"]: r["id"] for r in store.read(ACTOR_NAMES) if r["name"]}
    close = [n for n, score, _ in process.extract(ref, list(names), limit=3) if score >= 70]
    hint = (
        f"did you mean {', '.join(repr(c) for c in close)}?"
        if close
        else "list actors with `actorgraph stats`"
    )
    raise NotFound(f"no actor named {ref!r}", hint=hint)


def _actor(store: GraphStore, actor_id_: str) -> Row:
    rows = store.read(ACTOR_BY_ID, id=actor_id_)
    if not rows:
        raise NotFound(f"no actor with id {actor_id_!r}")
    return rows[0]


def _record(store: GraphStore, kind: str, a: str, b: str | None = None, name: str | None = None) -> str:
    did = decision_id(kind, a, b, name)
    store.write(
        WRITE_DECISIONS,
        rows=[
            {
                "id": did,
                "kind": kind,
                "a": a,
                "b": b,
                "name": name,
                "at": _now(),
                "by": "user",
                "rule": "user",
            }
        ],
    )
    # Recording again (e.g. merge, not-same, merge) must make it the latest judgement: refresh its time.
    store.write(UPDATE_DECISION_TIME, id=did, at=_now())
    return did


#: A re-recorded judgement becomes the latest one on its pair.
UPDATE_DECISION_TIME: Final = (
    "MATCH (d:Decision {id: $id}) SET d.at = $at, d.superseded = null RETURN d.id AS id"
)
#: User judgements that a later one overrides (kept as the log, no longer applied).
SUPERSEDE_DECISIONS: Final = (
    "UNWIND $ids AS id MATCH (d:Decision {id: id}) SET d.superseded = $at RETURN count(d) AS n"
)


def _side(nodes: dict[str, Node], ref: str) -> set[str]:
    """The atoms an id stands for: a live actor's own and merged-in ids, or just a merged-away id."""
    found = nodes.get(ref)
    return ({ref} | found.atoms | set(found.merged_from)) if found else {ref}


def _supersede(store: GraphStore, a: set[str], b: set[str], kinds: set[str]) -> None:
    """Mark user judgements of `kinds` between the atoms of `a` and of `b` as overridden."""
    _, _, _, decisions = load_state(store)
    ids = [
        d.id
        for d in decisions
        if d.by == "user" and not d.superseded and d.kind in kinds and d.b
        and ((d.a in a and d.b in b) or (d.a in b and d.b in a))
    ]
    if ids:
        store.write(SUPERSEDE_DECISIONS, ids=ids, at=_now())


def merge_actors(store: GraphStore, a: str, b: str) -> ResolveReport:
    """Merge actor B into actor A (ids, names or aliases): a stored judgement that resolve keeps applying."""
    ida, idb = find_actor(store, a, merged=True), find_actor(store, b, merged=True)
    ra, rb = resolve_id(store, ida), resolve_id(store, idb)
    if ra == rb:
        raise ConfigError(f"{a!r} and {b!r} are already one actor ({ra})", hint="nothing to do")
    ta, tb = _actor(store, ra)["type"], _actor(store, rb)["type"]
    if ta != tb:
        raise ConfigError(f"cannot merge a {tb} into a {ta}: resolution never joins different types")
    nodes, _, _, _ = load_state(store)
    _supersede(store, _side(nodes, ra), _side(nodes, rb), {"not-same", "split"})
    _record(store, "merge", ida, idb)
    report = resolve(store)
    if resolve_id(store, idb) != resolve_id(store, ida):
        raise ConfigError(
            f"{b!r} was not merged into {a!r}: a not-same judgement keeps their actors apart",
            hint="merge the ids named in that judgement first, or record the merge between them",
        )
    return report


def split_actor(store: GraphStore, b: str) -> ResolveReport:
    """Give a merged-away id its own actor back (its claims and mentions) and keep it apart from then on."""
    ref = b.strip()
    if store.read(REDIRECT_TARGET, id=ref):
        idb = ref
    else:
        rows = store.read(MERGED_BY_NAME, name=ref.lower())
        ids = sorted({r["id"] for r in rows})
        if not ids:
            live = store.read(ACTOR_BY_ID, id=ref) or store.read(ACTORS_BY_NAME, name=ref.lower())
            merged_from = live[0].get("merged_from") if live and "merged_from" in live[0] else []
            extra = f"; it holds {', '.join(merged_from)}" if merged_from else ""
            raise NotFound(
                f"{ref!r} is not a merged-away actor{extra}",
                hint="split takes the id (or document-level name) of an actor that was merged into another",
            )
        if len(ids) > 1:
            table = "\n".join(f"  {r['id']}  {r['name']}  (in {r['into_name']}, {r['into']})" for r in rows)
            raise AmbiguousActor(f"{ref!r} names {len(ids)} merged-away actors:\n{table}")
        idb = ids[0]
    survivor = resolve_id(store, idb)
    nodes, _, _, _ = load_state(store)
    _supersede(store, _side(nodes, survivor) - {idb}, {idb}, {"merge"})
    _record(store, "split", survivor, idb)
    return resolve(store)


def not_same(store: GraphStore, a: str, b: str) -> ResolveReport:
    """Record that A and B are different actors: resolve never joins them (and parts them if joined)."""
    ida, idb = find_actor(store, a, merged=True), find_actor(store, b, merged=True)
    if ida == idb:
        raise ConfigError(f"{a!r} and {b!r} are the same id", hint="name two different actors")
    nodes, _, _, _ = load_state(store)
    _supersede(store, _side(nodes, ida), _side(nodes, idb), {"merge"})
    _record(store, "not-same", ida, idb)
    return resolve(store)


def add_alias(store: GraphStore, actor: str, name: str) -> ResolveReport:
    """Record that `actor` is also called `name`: kept in its manual_aliases and used by resolve to match."""
    if not normalize_name(name):
        raise ConfigError(f"alias {name!r} has no letters or digits", hint="give a name")
    ida = find_actor(store, actor)
    _record(store, "alias", ida, None, name.strip())
    return resolve(store)
