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
from collections.abc import Iterable, Sequence
from typing import Any, Final

from actorgraph.errors import ConstraintViolation
from actorgraph.extract.model import Extraction
from actorgraph.graph import cypher
from actorgraph.graph.model import stamp_model
from actorgraph.graph.store import GraphStore
from actorgraph.ids import claim_id, node_id
from actorgraph.vocab import ACTOR_TYPES, PREDICATES, STAGED, TYPE_LABEL, node_label, rel_type

Row = dict[str, Any]


CONFLICT_RETRIES: Final = 5  # Neo4j: two transactions MERGEing the same new id; the loser retries the batch
PSEUDO_SOURCE_PREFIX: Final = "<"  # "<stdin>": a source name that identifies no file, never "changes text"


#: Columns of the mention and claim rows in the write query's parameters (graph/cypher/ingest.cypher indexes
#: them by position). Rows go as lists grouped under their document id, not as maps each repeating its keys and
#: the document id: the parameter text is what both the client (encoding) and the server (parsing) spend most
#: time on, and this halves it. Mentions are keyed by document id, so their step reaches each document from the
#: nodes the query already holds.
MENTION_COLUMNS: Final = ("id", "count", "forms", "name")
CLAIM_COLUMNS: Final = (
    "id", "subject_key", "object_key", "evidence", "start", "end", "confidence", "rule", "denied", "stage"
)

_MENTION_ROW: Final = operator.itemgetter(*MENTION_COLUMNS)
_CLAIM_ROW: Final = operator.itemgetter(*CLAIM_COLUMNS)

NODE_TYPES: Final = (*sorted(ACTOR_TYPES), "CHARGE")


def _ingest(name: str, **values: str) -> str:
    return cypher.text("ingest", name, **values)


def write_documents_query() -> str:
    """The one query per batch: documents, actors, charges, mentions, claims, and `complete = true`, atomically.

    Each step is a CALL subquery over one flat list of the batch (`batch_params`), so it runs as one UNWIND
    instead of a FOREACH per document. Nodes are made in steps of their own and MATCHed by the edge steps, which
    is what puts every edge on its own nodes on FalkorDB (bench/write_speed.py checks it edge by edge).
    """
    parts = [_ingest("write_head")]
    parts += [_ingest("create_actor_nodes", actor_label=node_label(TYPE_LABEL[t])) for t in sorted(ACTOR_TYPES)]
    parts.append(_ingest("create_charge_nodes"))
    parts += [_ingest("mention_step", entity_label=label) for label in ("Actor", "Charge")]
    parts += [
        _ingest("charge_claim_step") if p == "ACCUSED_OF" else _ingest("actor_claim_step", rel=rel_type(p))
        for p in PREDICATES
    ]
    parts.append(_ingest("write_tail"))
    return "\n".join(parts)


WRITE_DOCUMENTS: Final[str] = write_documents_query()
COMPLETE_DOCUMENTS: Final = _ingest("complete_documents")
ADD_SOURCES: Final = _ingest("add_sources")
TAKE_SOURCES: Final = _ingest("take_sources")
ABANDONED_DOCUMENTS: Final = _ingest("abandoned_documents")
PENDING_DOCUMENTS: Final = _ingest("pending_documents")
SETTLE_DOCUMENTS: Final = _ingest("settle_documents")
DIRTY_ACTORS: Final = _ingest("dirty_nodes", entity_label="Actor")
DIRTY_CHARGES: Final = _ingest("dirty_nodes", entity_label="Charge")
FORGET_MARK: Final = _ingest("forget_mark")
FORGET_CLAIMS: Final = _ingest("forget_claims")
FORGET_MENTIONS: Final = _ingest("forget_mentions")
FORGET_DOCUMENT: Final = _ingest("forget_document")
DOCUMENTS_BY_SOURCE: Final = _ingest("documents_by_source")
DOCUMENT_BY_ID: Final = _ingest("document_by_id")
READ_DERIVED_ACTORS: Final = _ingest("read_derived", entity_label="Actor")
READ_DERIVED_CHARGES: Final = _ingest("read_derived", entity_label="Charge")
WRITE_DERIVED_ACTORS: Final = _ingest("write_derived_actors")
WRITE_DERIVED_CHARGES: Final = _ingest("write_derived_charges")
DELETE_ORPHAN_ACTORS: Final = _ingest("delete_orphans", entity_label="Actor")
DELETE_ORPHAN_CHARGES: Final = _ingest("delete_orphans", entity_label="Charge")
COUNT_LABELS: Final = _ingest("count_labels")
COUNT_TYPES: Final = _ingest("count_types")
COUNT_SOURCES: Final = _ingest("count_sources")
TOP_ACTORS: Final = _ingest("top_actors")
COUNT_CLAIMS_OF: Final = {p: _ingest("count_claims_of", rel=rel_type(p)) for p in PREDICATES}


def count_claims(store: GraphStore) -> int:
    """How many claims the graph holds (one cheap typed count per predicate)."""
    return sum(store.read(query)[0]["n"] for query in COUNT_CLAIMS_OF.values())


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
            "stage": rel.stage if rel.predicate in STAGED else None,
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
    params.update({f"nodes_{TYPE_LABEL[t]}": list(nodes[t].values()) for t in NODE_TYPES})
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
    """The model version stamped, unique ids on every label, and the indexes finding documents and actors (idempotent).

    FalkorDB indexes the members of a list property, so `$source IN d.sources` and `$key IN a.keys` are lookups.
    """
    stamp_model(store)
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
