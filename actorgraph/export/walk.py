"""The one walk over the graph that every export consumes: its nodes and their relationships, page by page.

Every read is a keyset page on a node's indexed `id` (or on a big node's claim ids), so memory stays flat in the
graph's size and no query scans the graph more than once. The walk has two views of the graph:

- `walk()`, the export view (rdf, ftm): actors with their outgoing claims and their mentions, then charges with
  their mentions, documents, merged-away ids and resolution decisions, each with the fields an export writes.
  Nodes are read in batches of at most `budget` claims + mentions; a node bigger than that comes alone, its
  claims and mentions in pages of their own. The reads go through `GraphStore.read_maps`, which each backend
  serves in its fastest form. `subgraph()` is the same view of the claims a curated query found.
- `nodes()` and `relationships()`, the copy view (push, export cypher, gephi): every node with every property,
  label by label in id order, then every relationship, read per page of start nodes.

The Cypher is `actorgraph/graph/cypher/export.cypher`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from queue import Empty, Full, Queue
from typing import Any, Final

from actorgraph.batching import chunks
from actorgraph.errors import ConfigError, QueryError
from actorgraph.graph import cypher
from actorgraph.graph.model import MODEL_LABEL
from actorgraph.graph.store import GraphStore, Row
from actorgraph.vocab import INTERNAL_TYPES, NODE_LABELS, PREDICATES, TYPE_LABEL, node_label, rel_type

ACTOR_PAGE: Final = 10_000  # ids per keyset page (actors, charges, documents): few pages, each sorts the rest
CHARGE_PAGE: Final = 2_000  # charges per read in a subgraph
DOCUMENT_PAGE: Final = 200  # documents per read: they carry their full text
ID_PAGE: Final = 10_000  # redirects, decisions, and ids per lookup query
BUDGET: Final = 5_000  # claims + mentions per read at most: bounds memory (a bigger node is read in pages)
CLAIM_PAGE: Final = 5_000  # claims (or mentions) per page of one big node
PAGE_NODES: Final = 2_000  # start nodes per page of the copy view (a hub's relationships all come in its page)
ACTOR_LABELS: Final = tuple(TYPE_LABEL[t] for t in ("PERSON", "ORG", "GPE"))

#: A store's `read` or `read_maps`.
Reader = Callable[..., list[Row]]


def _text(name: str, **values: str) -> str:
    return cypher.text("export", name, **values)


# -- the export view ----------------------------------------------------------------------------------------


@dataclass
class Item:
    """One step of the walk: rows of one kind, and for a big node's claim or mention pages, whose they are.

    kind: "actors" / "charges" (rows with their claims and mentions), "big-actor" / "big-charge" (one row,
    whose claims and mentions follow as "claims" / "mentions" items), "documents", "redirects", "decisions".
    `times` is for the consumer (rdf attaches its claims' document times).
    """

    kind: str
    rows: list[Row]
    node: str | None = None
    times: dict[str, Any] = field(default_factory=dict)


def pages(read: Reader, query: str, page_size: int, **params: Any) -> Iterator[list[Row]]:
    """Keyset pages of rows sorted by `key`, each page after the largest key before it.

    `read` is the store's `read_maps` (the export view) or `read` (the copy view); the query filters on
    `> $after` and ends `LIMIT $limit`.
    """
    after = ""
    while True:
        page = read(query, after=after, limit=page_size, **params)
        if page:
            yield page
        if len(page) < page_size:
            return
        last, after = after, max(row["key"] for row in page)
        if after <= last:  # a query whose `key` is not its sort key would page forever
            raise QueryError(f"keyset paging did not advance past {last!r}: the page key is not unique")


def batched(heads: Iterable[Row], budget: int) -> Iterator[tuple[list[str], list[str]]]:
    """Group node ids into (batch, big) lists: batches of at most `budget` claims + mentions; bigger nodes
    alone."""
    batch: list[str] = []
    size = 0
    for head in heads:
        weight = int(head["claims"] or 0) + int(head["mentions"] or 0) + 1
        if weight > budget:
            yield [], [head["key"]]
            continue
        if size + weight > budget and batch:
            yield batch, []
            batch, size = [], 0
        batch.append(head["key"])
        size += weight
    if batch:
        yield batch, []


def walk(
    store: GraphStore,
    *,
    page: int = ACTOR_PAGE,
    budget: int = BUDGET,
    claim_page: int = CLAIM_PAGE,
    claim_limit: int | None = None,
    include_rejected: bool = False,
) -> Iterator[Item]:
    """Every node of the graph as Items, no read larger than `budget` claims + mentions: actors with their
    claims and mentions, charges with their mentions, documents, redirects, decisions, reviews. Claims a
    reviewer rejected are left out unless `include_rejected`. `claim_limit` stops after the batch that
    reaches that many claims (benchmarks)."""
    predicates = list(PREDICATES)
    claims = 0
    read = store.read_maps
    for heads in pages(read, _text("actor_heads"), page, predicates=predicates):
        for batch, big in batched(heads, budget):
            if batch:
                rows = store.read_maps(_text("actor_batch"), ids=batch, predicates=predicates,
                                       include_rejected=include_rejected)
                claims += sum(len(r.get("claims") or []) for r in rows)
                yield Item("actors", rows)
            for key in big:
                yield Item("big-actor", store.read_maps(_text("actor_fields"), ids=[key]))
                for found in pages(read, _text("actor_claims"), claim_page, node=key, predicates=predicates,
                                   include_rejected=include_rejected):
                    claims += len(found)
                    yield Item("claims", found, key)
                yield from _mention_pages(store, "Actor", key, claim_page)
            if claim_limit is not None and claims >= claim_limit:
                return
    for heads in pages(read, _text("charge_heads"), page):
        for batch, big in batched(heads, budget):
            if batch:
                yield Item("charges", store.read_maps(_text("charge_batch"), ids=batch))
            for key in big:
                yield Item("big-charge", store.read_maps(_text("charge_fields"), ids=[key]))
                yield from _mention_pages(store, "Charge", key, claim_page)
    for heads in pages(read, _text("document_ids"), page):
        for ids in chunks([h["key"] for h in heads], DOCUMENT_PAGE):
            yield Item("documents", store.read_maps(_text("document_batch"), ids=ids))
    for rows in pages(read, _text("redirects"), ID_PAGE):
        yield Item("redirects", rows)
    for rows in pages(read, _text("decisions"), ID_PAGE):
        yield Item("decisions", rows)
    yield from _reviews(store)


def _reviews(store: GraphStore) -> Iterator[Item]:
    for rows in pages(store.read_maps, _text("reviews"), ID_PAGE):
        yield Item("reviews", rows)


def _mention_pages(store: GraphStore, label: str, key: str, page_size: int) -> Iterator[Item]:
    for found in pages(store.read_maps, _text("mention_page", entity_label=label), page_size, node=key):
        yield Item("mentions", found, key)


def subgraph(store: GraphStore, claim_ids: Iterable[str], *, include_rejected: bool = False) -> Iterator[Item]:
    """The export view of the claims with these ids: their subjects with those claims (no mentions), the
    charges they name, the documents they come from, and the reviews (rejected claims only if asked)."""
    ids = sorted(set(claim_ids))
    flag = {"include_rejected": include_rejected}
    ends = store.read(_text("claim_ends"), ids=ids, predicates=list(PREDICATES), **flag) if ids else []
    actors = sorted({e["subject"] for e in ends} | {e["object"] for e in ends if "Actor" in e["object_labels"]})
    charges = sorted({e["object"] for e in ends if "Charge" in (e["object_labels"] or [])})
    docs = sorted({e["doc_id"] for e in ends})
    wanted = [e["id"] for e in ends]
    for chunk in chunks(actors, ACTOR_PAGE):
        query = _text("subgraph_actors")
        yield Item("actors", store.read_maps(query, ids=chunk, claim_ids=wanted, predicates=list(PREDICATES), **flag))
    for chunk in chunks(charges, CHARGE_PAGE):
        yield Item("charges", store.read_maps(_text("charge_fields"), ids=chunk))
    for chunk in chunks(docs, DOCUMENT_PAGE):
        yield Item("documents", store.read_maps(_text("document_batch"), ids=chunk))
    if ids:
        yield from _reviews(store)


def document_times(store: GraphStore, doc_ids: Sequence[str]) -> dict[str, Any]:
    """When each of these documents was ingested (`ingested_at`; absent ids are left out)."""
    found: dict[str, Any] = {}
    for chunk in chunks(doc_ids, ID_PAGE):
        found.update((r["id"], r["at"]) for r in store.read(_text("document_times"), ids=chunk))
    return found


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def in_background(items: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """Run `items` in a thread, `depth` items ahead, so reading the engine and writing the export overlap.

    The store is safe to share between threads (both drivers pool connections); stopping early (a closed
    generator) stops the thread too.
    """
    queue: Queue[Any] = Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        queue.put(item, timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            queue.put(_Failed(exc))

    thread = threading.Thread(target=produce, name="actorgraph-export-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = queue.get()
            if item is done:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(Empty):
                queue.get(timeout=0.1)
        thread.join()


# -- the copy view ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """One node as the copy view sees it: its id, its labels (primary first) and every property."""

    id: str
    labels: tuple[str, ...]
    props: dict[str, Any]


@dataclass(frozen=True)
class Rel:
    """One relationship: its type, end ids with their primary labels, every property (`id` if it has one)."""

    type: str
    source: str
    source_label: str
    target: str
    target_label: str
    props: dict[str, Any]


def safe_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """The labels in vocabulary order (primary first), each checked against the closed vocabulary."""
    checked = {node_label(label) for label in labels}
    if not checked:
        raise ConfigError("a node without a label cannot be copied", hint="label every node the graph holds")
    return tuple(label for label in NODE_LABELS if label in checked)


def safe_type(name: str) -> str:
    """A relationship type from the closed vocabulary (claims and internal types), safe to fill in."""
    return name if name in INTERNAL_TYPES else rel_type(name)


def primary_labels(store: GraphStore) -> list[str]:
    """The labels to scan, in vocabulary order: each label in use whose nodes no other label covers."""
    in_use = [row["label"] for row in store.read(_text("labels")) if row["label"] != MODEL_LABEL]
    return [label for label in safe_labels(in_use) if label not in ACTOR_LABELS or "Actor" not in in_use]


def _node_pages(store: GraphStore, label: str, page_size: int) -> Iterator[list[Node]]:
    """Pages of the nodes whose primary label is `label`, in id order."""
    page: list[Node] = []
    for rows in pages(store.read, _text("node_page", label=node_label(label)), ID_PAGE):
        for row in rows:
            labels = safe_labels(row["labels"])
            if labels[0] != label:  # scanned under its primary label
                continue
            page.append(Node(row["key"], labels, dict(row["props"])))
            if len(page) >= page_size:
                yield page
                page = []
    if page:
        yield page


def nodes(store: GraphStore, page_size: int = PAGE_NODES) -> Iterator[Node]:
    """Every node of the graph, once, label by label in id order."""
    for label in primary_labels(store):
        for page in _node_pages(store, label, page_size):
            yield from page


def relationships(store: GraphStore, page_size: int = PAGE_NODES, *, include_rejected: bool = False) -> Iterator[Rel]:
    """Every relationship of the graph, once, read per page of start nodes (by start, type, end and id); claims
    a reviewer rejected (`review` = "rejected") only with `include_rejected`."""
    for label in primary_labels(store):
        for page in _node_pages(store, label, page_size):
            rows = store.read(_text("outgoing", label=label), ids=[n.id for n in page])
            for row in sorted(
                rows, key=lambda r: (r["source"], r["type"], r["target"], r["props"].get("id", ""))
            ):
                if not include_rejected and row["props"].get("review") == "rejected":
                    continue
                yield Rel(
                    type=safe_type(row["type"]),
                    source=row["source"],
                    source_label=label,
                    target=row["target"],
                    target_label=safe_labels(row["target_labels"])[0],
                    props=dict(row["props"]),
                )
