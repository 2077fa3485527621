"""Writing extractions into the graph: the Cypher of docs/graph-model.md and how it is batched.

One query per batch of documents writes the documents, their actors and charges, their MENTIONED_IN edges and
their claims, and sets `complete = true`. FalkorDB runs a query atomically and has no multi-statement
transactions, so a crash leaves whole batches or nothing; on Neo4j the query is one managed transaction. Every
node and claim has a deterministic id (`actorgraph.ids`); nodes are created only when their id is absent and
edges are MERGEd, so writing the same batch twice, or from two processes at once, changes nothing the second
time. Labels and relationship types are spliced only from
the closed vocabulary; every value travels as a parameter.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from actorgraph.errors import ConstraintViolation
from actorgraph.extract.model import Extraction
from actorgraph.graph.store import GraphStore
from actorgraph.ids import claim_id, node_id
from actorgraph.vocab import ACTOR_TYPES, INTERNAL_TYPES, PREDICATES, TYPE_LABEL, node_label, rel_type

Row = dict[str, Any]

MENTIONED_IN: Final = INTERNAL_TYPES[0]
CONFLICT_RETRIES: Final = 5  # Neo4j: two transactions MERGEing the same new id; the loser retries the batch
PSEUDO_SOURCE_PREFIX: Final = "<"  # "<stdin>": a source name that identifies no file, never "changes text"


def _node_step(entity_type: str) -> str:
    """Create the batch's nodes of one type that do not exist yet (one row per id).

    Found by their one-label id index and created with both labels: `MERGE (n:Actor:Person {id})` costs a
    label check per row that took a third of the query's time. On FalkorDB a query runs alone, so nothing can
    come between the look and the create; on Neo4j a concurrent creator trips the unique constraint and the
    batch is retried (`with_retry`).
    """
    single = "Charge" if entity_type == "CHARGE" else "Actor"
    labels = "Charge" if entity_type == "CHARGE" else f"Actor:{node_label(TYPE_LABEL[entity_type])}"
    actor = "" if entity_type == "CHARGE" else ", type: a.type, aliases: []"
    return (
        f"CALL {{ UNWIND $nodes_{entity_type} AS a\n"
        f"  OPTIONAL MATCH (found:{single} {{id: a.id}}) WITH a, found WHERE found IS NULL\n"
        f"  CREATE (n:{labels} {{id: a.id, name: a.name{actor}, mention_count: 0, doc_count: 0}})\n"
        f"  RETURN count(*) AS nodes_{entity_type} }}\n"
    )


#: Columns of the mention and claim rows in WRITE_DOCUMENTS' parameters. Rows go as lists grouped under their
#: document id, not as maps each repeating its keys and the 71-character document id: the parameter text is
#: what both the client (encoding) and the server (parsing) spend most time on, and this halves it. Mentions
#: are keyed by document id, so their step reaches each document from the nodes the query already holds.
MENTION_COLUMNS: Final = ("id", "count", "forms", "name")
CLAIM_COLUMNS: Final = ("id", "subject_key", "object_key", "evidence", "start", "end", "confidence", "rule", "denied")


_MENTION_ROW: Final = operator.itemgetter(*MENTION_COLUMNS)
_CLAIM_ROW: Final = operator.itemgetter(*CLAIM_COLUMNS)


def _col(columns: tuple[str, ...], name: str, row: str) -> str:
    return f"{row}[{columns.index(name)}]"


def _mention_step(label: str) -> str:
    """MERGE the MENTIONED_IN edges of nodes the steps before made or found (never in the same step: see below)."""
    m = lambda name: _col(MENTION_COLUMNS, name, "a")  # noqa: E731 - a column of the mention row
    return (
        f"CALL {{ WITH written UNWIND written AS doc UNWIND coalesce($mentions_{label}[doc.id], []) AS a\n"
        f"  MATCH (n:{node_label(label)} {{id: {m('id')}}})\n"
        f"  MERGE (n)-[m:{MENTIONED_IN}]->(doc)\n"
        f"  SET m.count = {m('count')}, m.forms = {m('forms')}, m.actor_key = {m('id')}, m.name = {m('name')}\n"
        f"  RETURN count(*) AS mentions_{label} }}\n"
    )


def _claim_step(predicate: str) -> str:
    rel = rel_type(predicate)
    obj = node_label("Charge" if predicate == "ACCUSED_OF" else "Actor")
    c = lambda name: _col(CLAIM_COLUMNS, name, "c")  # noqa: E731 - a column of the claim row
    props = ", ".join(f"r.{name} = {c(name)}" for name in CLAIM_COLUMNS[1:])
    return (
        f"CALL {{ UNWIND $claims_{rel} AS g UNWIND g[1] AS c\n"
        f"  MATCH (s:Actor {{id: {c('subject_key')}}}) MATCH (o:{obj} {{id: {c('object_key')}}})\n"
        f"  MERGE (s)-[r:{rel} {{id: {c('id')}}}]->(o)\n"
        f"  SET r.doc_id = g[0], {props}\n"
        f"  RETURN count(*) AS claims_{rel} }}\n"
    )


NODE_TYPES: Final = (*sorted(ACTOR_TYPES), "CHARGE")


def _write_documents_query() -> str:
    parts = [
        "UNWIND $docs AS d\n"
        "MERGE (doc:Document {id: d.id})\n"
        "ON CREATE SET doc.text = d.text, doc.ingested_at = d.ingested_at, doc.sources = []\n"
        "SET doc.title = coalesce(doc.title, d.title), doc.author = coalesce(doc.author, d.author),"
        " doc.published = coalesce(doc.published, d.published), doc.url = coalesce(doc.url, d.url),"
        " doc.sources = coalesce(doc.sources, [])"
        " + [s IN d.sources WHERE NOT s IN coalesce(doc.sources, [])]\n"
        "WITH collect(doc) AS written\n"
    ]
    parts += [_node_step(t) for t in NODE_TYPES]
    parts += [_mention_step(label) for label in ("Actor", "Charge")]
    parts += [_claim_step(p) for p in PREDICATES]
    parts.append("UNWIND written AS doc SET doc.complete = true, doc.pending = true\nRETURN count(doc) AS documents")
    return "".join(parts)


#: The one query per batch: documents, actors, charges, mentions, claims, and `complete = true`, atomically.
#: Each step is a CALL subquery over one flat list of the batch (`batch_params`), so it runs as one UNWIND
#: instead of a FOREACH per document (~25% less server time). Nodes are made in steps of their own and
#: MATCHed by the edge steps: FalkorDB 4.x, MERGEing a node and then an edge from it in one step, attached
#: some new MENTIONED_IN edges to another node (13 of 44,945 on bench/write_speed.py's data); this form
#: writes every edge where it belongs, which bench/write_speed.py checks edge by edge.
WRITE_DOCUMENTS: Final[str] = _write_documents_query()

#: Which of these document ids are already complete (one read per batch, so a re-run skips them).
COMPLETE_DOCUMENTS: Final = (
    "UNWIND $ids AS id MATCH (d:Document {id: id}) WHERE d.complete = true "
    "RETURN d.id AS id, d.sources AS sources"
)
#: Add sources to complete documents (a duplicate text read from another path).
ADD_SOURCES: Final = (
    "UNWIND $rows AS row MATCH (d:Document {id: row.id}) "
    "SET d.sources = coalesce(d.sources, []) + [s IN row.sources WHERE NOT s IN coalesce(d.sources, [])] "
    "RETURN count(d) AS n"
)
#: A source now holds another text: the other documents lose it; returns how many sources each has left.
TAKE_SOURCES: Final = (
    "UNWIND $rows AS row UNWIND row.sources AS s "
    "MATCH (old:Document) WHERE s IN old.sources AND old.id <> row.id "
    "WITH old, collect(DISTINCT s) AS gone "
    "SET old.sources = [x IN old.sources WHERE NOT x IN gone] "
    "RETURN old.id AS id, size(old.sources) AS left"
)
#: Documents left half-forgotten (a crash inside `forget`) or with no source: `heal` finishes forgetting them.
ABANDONED_DOCUMENTS: Final = (
    "MATCH (d:Document) WHERE d.complete = false OR size(coalesce(d.sources, [])) = 0 RETURN d.id AS id"
)
#: Documents written whose nodes' derived fields were not recomputed yet (ingest settles them after refresh).
PENDING_DOCUMENTS: Final = (
    f"MATCH (d:Document) WHERE d.pending = true OPTIONAL MATCH (n)-[:{MENTIONED_IN}]->(d) "
    "RETURN d.id AS id, collect(n.id) AS named"
)
#: The derived fields of these documents' nodes are up to date.
SETTLE_DOCUMENTS: Final = "UNWIND $ids AS id MATCH (d:Document {id: id}) SET d.pending = null RETURN count(d) AS n"
#: Nodes whose derived fields a crash may have left stale (merge, split, alias add mark them).
DIRTY_ACTORS: Final = "MATCH (a:Actor) WHERE a.dirty = true RETURN a.id AS id"
DIRTY_CHARGES: Final = "MATCH (a:Charge) WHERE a.dirty = true RETURN a.id AS id"

#: forget, step 1: not complete any more (so a crash here is finished by `heal`), the named nodes to refresh.
FORGET_MARK: Final = (
    "MATCH (doc:Document {id: $id}) SET doc.complete = false "
    f"WITH doc OPTIONAL MATCH (n)-[:{MENTIONED_IN}]->(doc) "
    "RETURN doc.id AS id, collect(DISTINCT n.id) AS named"
)
#: forget, step 2: the document's claims (every claim's subject is an actor the document mentions).
FORGET_CLAIMS: Final = (
    f"MATCH (doc:Document {{id: $id}})<-[:{MENTIONED_IN}]-(:Actor)-[r]->() WHERE r.doc_id = $id "
    "DELETE r RETURN count(r) AS claims"
)
#: forget, step 3: the document and its MENTIONED_IN edges.
FORGET_DOCUMENT: Final = "MATCH (doc:Document {id: $id}) DETACH DELETE doc RETURN count(*) AS n"
#: Find a document by a source path or URL.
DOCUMENTS_BY_SOURCE: Final = "MATCH (d:Document) WHERE $source IN d.sources RETURN d.id AS id"
DOCUMENT_BY_ID: Final = "MATCH (d:Document {id: $id}) RETURN d.id AS id"


def _derived_read(label: str) -> str:
    return (
        f"UNWIND $ids AS id MATCH (a:{node_label(label)} {{id: id}}) "
        f"OPTIONAL MATCH (a)-[m:{MENTIONED_IN}]->(d:Document) "
        "RETURN a.id AS id, coalesce(a.rev, 0) AS rev, a.name AS name,"
        " coalesce(a.manual_aliases, []) AS manual, collect(m.name) AS names, collect(m.forms) AS forms,"
        " sum(coalesce(m.count, 0)) AS mentions, count(DISTINCT d) AS docs, count(m) AS edges"
    )


def _derived_write(label: str) -> str:
    aliases = " a.aliases = row.aliases, a.keys = row.keys," if label == "Actor" else ""
    return (
        f"UNWIND $rows AS row MATCH (a:{node_label(label)} {{id: row.id}}) "
        "WHERE coalesce(a.rev, 0) = row.rev "
        f"OPTIONAL MATCH (a)-[m:{MENTIONED_IN}]->() "
        "WITH a, row, count(m) AS edges, sum(coalesce(m.count, 0)) AS mentions "
        "WHERE edges = row.edges AND mentions = row.mention_count "
        f"SET a.name = row.name,{aliases} a.mention_count = row.mention_count, a.doc_count = row.doc_count,"
        " a.dirty = false RETURN a.id AS id"
    )


def _orphans_delete(label: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:{node_label(label)} {{id: row.id}}) "
        "WHERE coalesce(a.rev, 0) = row.rev "
        "OPTIONAL MATCH (a)-[r]-() WITH a, row, count(r) AS degree WHERE degree = 0 "
        "DELETE a RETURN row.id AS id"
    )


#: Read what the derived fields are computed from (MENTIONED_IN edges, manual aliases).
READ_DERIVED_ACTORS: Final[str] = _derived_read("Actor")
READ_DERIVED_CHARGES: Final[str] = _derived_read("Charge")
#: Write derived fields, only where nothing changed the node since it was read: `rev` (bumped by resolve) and
#: its MENTIONED_IN edges (added by ingest, which does not touch the node: that cost 12% of the write query).
WRITE_DERIVED_ACTORS: Final[str] = _derived_write("Actor")
WRITE_DERIVED_CHARGES: Final[str] = _derived_write("Charge")
#: Delete actors / charges left with no claim and no mention (same `rev` check); returns the deleted ids.
DELETE_ORPHAN_ACTORS: Final[str] = _orphans_delete("Actor")
DELETE_ORPHAN_CHARGES: Final[str] = _orphans_delete("Charge")


#: stats
COUNT_LABELS: Final = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label"
COUNT_TYPES: Final = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"
COUNT_SOURCES: Final = (
    "MATCH (d:Document) RETURN count(d) AS documents, sum(size(coalesce(d.sources, []))) AS sources"
)
TOP_ACTORS: Final = (
    f"MATCH (a:Actor)-[r]-() WHERE type(r) <> '{MENTIONED_IN}' "
    "RETURN a.id AS id, a.name AS name, a.type AS type, count(r) AS claims,"
    " count(DISTINCT r.doc_id) AS documents, coalesce(a.mention_count, 0) AS mentions "
    "ORDER BY claims DESC, name LIMIT $limit"
)
COUNT_ACTORS: Final = "MATCH (a:Actor) RETURN count(a) AS n"
#: Claims of one type: FalkorDB answers a typed count from its matrix in well under a millisecond, where an
#: untyped scan reads every edge (0.4 s on 200k claims; ingest counts before and after every run).
COUNT_CLAIMS_OF: Final = {p: f"MATCH ()-[r:{rel_type(p)}]->() RETURN count(r) AS n" for p in PREDICATES}


def count_claims(store: GraphStore) -> int:
    """How many claims the graph holds (one cheap typed count per predicate)."""
    return sum(store.read(query)[0]["n"] for query in COUNT_CLAIMS_OF.values())


def cypher_statements() -> Iterator[str]:
    """Every Cypher string this module sends (for the parser test of issue 6)."""
    for name, value in globals().items():
        if name.isupper() and isinstance(value, str) and ("MATCH" in value or "MERGE" in value):
            yield value
    yield from COUNT_CLAIMS_OF.values()


# -- rows ----------------------------------------------------------------------------------------------------


def document_sources(extraction: Extraction) -> list[str]:
    """Every path or URL the document was read from, in order, without repeats (`<stdin>` when none)."""
    doc = extraction.document
    found = [*doc.paths, *([doc.path] if doc.path else []), *([doc.url] if doc.url else [])]
    return list(dict.fromkeys(found)) or ["<stdin>"]


def document_row(extraction: Extraction, ingested_at: str) -> tuple[Row, int]:
    """The write row of one extraction (see WRITE_DOCUMENTS), and how many relations were not storable.

    Entities become nodes under their document-level ids (`node_id(type, name)`), two entities of the document
    with the same id become one; `negated` relations are dropped, as are relations whose ends are unknown,
    self-loops, and shapes outside the schema (ACCUSED_OF to a non-charge, a charge as subject).
    """
    doc = extraction.document
    nodes: dict[str, Row] = {}
    key_of: dict[str, str] = {}
    for entity in extraction.entities:
        if entity.type not in ACTOR_TYPES and entity.type != "CHARGE":
            continue
        key = node_id(entity.type, entity.name)
        key_of[entity.id] = key
        forms = {m.text for m in entity.mentions} | set(entity.aliases) | {entity.name}
        row = nodes.get(key)
        if row is None:
            nodes[key] = {
                "id": key,
                "type": entity.type,
                "name": entity.name,
                "count": len(entity.mentions),
                "forms": forms,
            }
        else:
            row["count"] += len(entity.mentions)
            row["forms"] |= forms
            if len(entity.name) > len(row["name"]):
                row["name"] = entity.name
    claims: dict[str, Row] = {}
    dropped = 0
    for rel in extraction.relations:
        if rel.negated:
            continue
        s, o = key_of.get(rel.subject), key_of.get(rel.object)
        if s is None or o is None or s == o or rel.predicate not in PREDICATES or s.startswith("charge:"):
            dropped += 1
            continue
        to_charge = o.startswith("charge:")
        if to_charge != (rel.predicate == "ACCUSED_OF"):
            dropped += 1
            continue
        ev = rel.evidence
        cid = claim_id(s, rel.predicate, o, doc.id, ev.start, ev.end)
        seen = claims.get(cid)
        if seen is not None and seen["confidence"] >= rel.confidence:
            continue
        claims[cid] = {
            "id": cid,
            "predicate": rel.predicate,
            "subject_key": s,
            "object_key": o,
            "evidence": ev.text,
            "start": ev.start,
            "end": ev.end,
            "confidence": float(rel.confidence),
            "rule": rel.rule,
            "denied": bool(rel.denied),
        }
    for row in nodes.values():
        row["forms"] = sorted(row["forms"])
    actors = [r for r in nodes.values() if r["type"] != "CHARGE"]
    charges = [r for r in nodes.values() if r["type"] == "CHARGE"]
    return {
        "id": doc.id,
        "text": doc.text,
        "title": doc.title,
        "author": doc.author,
        "published": doc.published,
        "url": doc.url,
        "ingested_at": ingested_at,
        "sources": document_sources(extraction),
        "actors": actors,
        "charges": charges,
        "claims": list(claims.values()),
    }, dropped


_DOCUMENT_KEYS: Final = ("id", "text", "title", "author", "published", "url", "ingested_at", "sources")


def batch_params(rows: Sequence[Row]) -> Row:
    """WRITE_DOCUMENTS' parameters for a batch of document rows: one list per step of the query."""
    docs = [{k: row[k] for k in _DOCUMENT_KEYS} for row in rows]
    nodes: dict[str, dict[str, Row]] = {t: {} for t in NODE_TYPES}
    mentions: dict[str, dict[str, list[Any]]] = {"Actor": {}, "Charge": {}}  # by document id
    claims: dict[str, list[list[Any]]] = {p: [] for p in PREDICATES}
    for row in rows:
        doc_id = row["id"]
        for kind, group in (("Actor", row["actors"]), ("Charge", row["charges"])):
            for node in group:
                if node["id"] not in nodes[node["type"]]:
                    nodes[node["type"]][node["id"]] = {"id": node["id"], "name": node["name"], "type": node["type"]}
            if group:
                mentions[kind][doc_id] = list(map(_MENTION_ROW, group))
        grouped: dict[str, list[Any]] = {}
        for claim in row["claims"]:
            grouped.setdefault(claim["predicate"], []).append(_CLAIM_ROW(claim))
        for predicate, group in grouped.items():
            claims[predicate].append([doc_id, group])
    params: Row = {"docs": docs}
    params.update({f"nodes_{t}": list(nodes[t].values()) for t in NODE_TYPES})
    params.update({f"mentions_{k}": v for k, v in mentions.items()})
    params.update({f"claims_{rel_type(p)}": v for p, v in claims.items()})
    return params


# -- writing -------------------------------------------------------------------------------------------------


def with_retry(store: GraphStore, query: str, **params: Any) -> list[Row]:
    """`store.write`, retried when a concurrent writer won a MERGE race (Neo4j ConstraintViolation)."""
    for attempt in range(CONFLICT_RETRIES):
        try:
            return store.write(query, **params)
        except ConstraintViolation:
            if attempt == CONFLICT_RETRIES - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def ensure_ingest_schema(store: GraphStore) -> None:
    """Unique ids on every label, plus the indexes that find documents by source and actors by name (idempotent).

    FalkorDB indexes the members of a list property, so `$source IN d.sources` and `$key IN a.keys` are lookups.
    """
    store.ensure_schema()
    store.ensure_index("Document", "sources")
    store.ensure_index("Actor", "keys")


def write_documents(store: GraphStore, rows: Sequence[Row]) -> None:
    """Write a batch of document rows in one atomic query (retried on a concurrent-MERGE conflict)."""
    if rows:
        with_retry(store, WRITE_DOCUMENTS, **batch_params(rows))


def complete_sources(store: GraphStore, ids: Iterable[str]) -> dict[str, list[str]]:
    """id -> sources for the documents among `ids` that are already complete (one read)."""
    return {r["id"]: list(r["sources"] or []) for r in store.read(COMPLETE_DOCUMENTS, ids=list(ids))}


def add_sources(store: GraphStore, rows: Sequence[Row]) -> None:
    """Add `sources` to complete documents: rows of {id, sources}."""
    if rows:
        with_retry(store, ADD_SOURCES, rows=list(rows))


def take_sources(store: GraphStore, rows: Sequence[Row]) -> list[str]:
    """Each row's sources now hold row.id's text: other documents lose them; returns ids left with none."""
    rows = [
        {"id": r["id"], "sources": [s for s in r["sources"] if not s.startswith(PSEUDO_SOURCE_PREFIX)]}
        for r in rows
    ]
    rows = [r for r in rows if r["sources"]]
    if not rows:
        return []
    return [r["id"] for r in with_retry(store, TAKE_SOURCES, rows=rows) if r["left"] == 0]
