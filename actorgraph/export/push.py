"""Walk a whole graph page by page, and copy it into another store: `actorgraph push` (embedded -> Neo4j).

The walk is shared by every whole-graph export (`export cypher`, `export graphml|gexf`): nodes are read per
label in `id` order (keyset pages on the indexed key), relationships per page of start nodes, so memory stays
flat and no query scans the graph more than once. The copy writes through `GraphStore.write_rows` with MERGE
on `id`, so it is batched, and running it twice (or after a crash) leaves the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Final

from actorgraph.config import Settings
from actorgraph.errors import ConfigError
from actorgraph.graph.dialect import Dialect
from actorgraph.graph.model import MODEL_LABEL
from actorgraph.graph.store import BATCH_ROWS, GraphStore, Row
from actorgraph.vocab import INTERNAL_TYPES, NODE_LABELS, PREDICATES, TYPE_LABEL, node_label, rel_type

PAGE_NODES: Final = 2_000  # start nodes per page of the walk (a hub's relationships all come in its page)
MAX_BATCH_CHARS: Final = 4_000_000  # text per write query: documents carry their whole text
ACTOR_LABELS: Final = tuple(TYPE_LABEL[t] for t in ("PERSON", "ORG", "GPE"))
#: Every label is copied, resolve's Redirect and Decision too, so merges survive the copy.
COPY_LABELS: Final = NODE_LABELS

LABELS: Final = "CALL db.labels() YIELD label RETURN label"
NODE_PAGE: Final = (
    "MATCH (n:{label}) WHERE n.id > $after "
    "RETURN n.id AS key, labels(n) AS labels, properties(n) AS props ORDER BY n.id LIMIT $limit"
)
OUTGOING: Final = (
    "MATCH (a:{label})-[r]->(b) WHERE a.id IN $ids "
    "RETURN a.id AS source, type(r) AS type, b.id AS target, labels(b) AS target_labels, "
    "properties(r) AS props"
)
MERGE_NODES: Final = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props{extra}"
MERGE_KEYED: Final = (
    "UNWIND $rows AS row MATCH (a:{source} {{id: row.source}}) MATCH (b:{target} {{id: row.target}}) "
    "MERGE (a)-[r:{type} {{id: row.id}}]->(b) SET r += row.props"
)
MERGE_PAIR: Final = (  # relationships without an id (MENTIONED_IN): one per (start, type, end), by the model
    "UNWIND $rows AS row MATCH (a:{source} {{id: row.source}}) MATCH (b:{target} {{id: row.target}}) "
    "MERGE (a)-[r:{type}]->(b) SET r += row.props"
)


@dataclass(frozen=True)
class Node:
    """One node as the walk sees it: its id, its labels (primary first) and every property."""

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


@dataclass
class CopyReport:
    """What a copy sent: nodes and relationships written (MERGEd) into the target."""

    nodes: int = 0
    relationships: int = 0


def safe_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """The labels in vocabulary order (primary first), each checked against the closed vocabulary."""
    checked = {node_label(label) for label in labels}
    if not checked:
        raise ConfigError("a node without a label cannot be copied", hint="label every node the graph holds")
    return tuple(label for label in COPY_LABELS if label in checked)


def safe_type(name: str) -> str:
    """A relationship type from the closed vocabulary (claims and internal types), safe to splice."""
    return name if name in INTERNAL_TYPES else rel_type(name)


def merge_nodes_query(labels: tuple[str, ...]) -> str:
    """MERGE on the primary label's `id`, then the other labels (an `:Actor` also is a `:Person`, ...)."""
    primary, *others = safe_labels(labels)
    return MERGE_NODES.format(label=primary, extra="".join(f" SET n:{label}" for label in others))


def merge_rels_query(rel_type_: str, source: str, target: str, *, keyed: bool) -> str:
    """MERGE one relationship type between two primary labels, on its `id` when it has one."""
    template = MERGE_KEYED if keyed else MERGE_PAIR
    return template.format(type=safe_type(rel_type_), source=node_label(source), target=node_label(target))


def cypher_statements() -> Iterator[str]:
    """Every Cypher string this module sends, one per label and type it may splice (for the parser test)."""
    yield LABELS
    for label in COPY_LABELS:
        yield NODE_PAGE.format(label=label)
        yield OUTGOING.format(label=label)
        if label not in ACTOR_LABELS:
            yield merge_nodes_query((label,))
    for sub in ACTOR_LABELS:
        yield merge_nodes_query(("Actor", sub))
    for type_ in PREDICATES:
        yield merge_rels_query(type_, "Actor", "Charge" if type_ == "ACCUSED_OF" else "Actor", keyed=True)
    for type_ in INTERNAL_TYPES:
        for source in ("Actor", "Charge"):
            yield merge_rels_query(type_, source, "Document", keyed=False)


# -- the walk ------------------------------------------------------------------------------------------


def primary_labels(store: GraphStore) -> list[str]:
    """The labels to scan, in vocabulary order: each label in use whose nodes no other label covers."""
    in_use = [row["label"] for row in store.read(LABELS) if row["label"] != MODEL_LABEL]
    return [label for label in safe_labels(in_use) if label not in ACTOR_LABELS or "Actor" not in in_use]


def _node_pages(store: GraphStore, label: str, page_size: int) -> Iterator[list[Node]]:
    """Pages of the nodes whose primary label is `label`, in id order."""
    page: list[Node] = []
    for row in store.stream(NODE_PAGE.format(label=node_label(label))):  # pages of the store's size
        labels = safe_labels(row["labels"])
        if labels[0] != label:  # scanned under its primary label
            continue
        page.append(Node(row["key"], labels, dict(row["props"])))
        if len(page) >= page_size:
            yield page
            page = []
    if page:
        yield page


def iter_nodes(store: GraphStore, page_size: int = PAGE_NODES) -> Iterator[Node]:
    """Every node of the graph, once, label by label in id order."""
    for label in primary_labels(store):
        for page in _node_pages(store, label, page_size):
            yield from page


def iter_relationships(store: GraphStore, page_size: int = PAGE_NODES) -> Iterator[Rel]:
    """Every relationship of the graph, once, read per page of start nodes."""
    for label in primary_labels(store):
        for page in _node_pages(store, label, page_size):
            rows = store.read(OUTGOING.format(label=label), ids=[n.id for n in page])
            for row in sorted(
                rows, key=lambda r: (r["source"], r["type"], r["target"], r["props"].get("id", ""))
            ):
                yield Rel(
                    type=safe_type(row["type"]),
                    source=row["source"],
                    source_label=label,
                    target=row["target"],
                    target_label=safe_labels(row["target_labels"])[0],
                    props=dict(row["props"]),
                )


def walk(store: GraphStore, page_size: int = PAGE_NODES) -> tuple[Iterator[Node], Iterator[Rel]]:
    """The nodes, then the relationships: two lazy iterators (consume the first before the second)."""
    return iter_nodes(store, page_size), iter_relationships(store, page_size)


# -- the copy ------------------------------------------------------------------------------------------


def _size(props: dict[str, Any]) -> int:
    return sum(len(v) if isinstance(v, str) else 16 for v in props.values()) + 64


def batches(
    rows: Iterable[tuple[str, Row]], max_rows: int, max_chars: int = MAX_BATCH_CHARS
) -> Iterator[tuple[str, list[Row]]]:
    """Group (query, row) pairs into lists for one query each, bounded by rows and by text size."""
    pending: dict[str, list[Row]] = defaultdict(list)
    sizes: dict[str, int] = defaultdict(int)
    for query, row in rows:
        pending[query].append(row)
        sizes[query] += _size(row.get("props", {}))
        if len(pending[query]) >= max_rows or sizes[query] >= max_chars:
            yield query, pending.pop(query)
            sizes.pop(query)
    for query, batch in pending.items():
        yield query, batch


def node_rows(nodes: Iterable[Node]) -> Iterator[tuple[str, Row]]:
    """(MERGE query, row) for each node."""
    for node in nodes:
        yield merge_nodes_query(node.labels), {"id": node.id, "props": node.props}


def rel_rows(rels: Iterable[Rel]) -> Iterator[tuple[str, Row]]:
    """(MERGE query, row) for each relationship: keyed on its `id` when it has one."""
    for rel in rels:
        keyed = rel.props.get("id") is not None
        query = merge_rels_query(rel.type, rel.source_label, rel.target_label, keyed=keyed)
        row: Row = {"source": rel.source, "target": rel.target, "props": rel.props}
        if keyed:
            row["id"] = rel.props["id"]
        yield query, row


def ensure_target_schema(target: GraphStore, labels: Iterable[str]) -> None:
    """Unique ids on every label about to be MERGEd."""
    labels = set(labels)
    target.ensure_schema([label for label in NODE_LABELS if label in labels])


def schema_statements(dialect: Dialect, labels: Iterable[str]) -> list[str]:
    """The schema statements of a Cypher script for `labels`: the dialect's unique ids."""
    labels = set(labels)
    return [dialect.unique_statement(label) for label in NODE_LABELS if label in labels]


def copy_graph(
    source: GraphStore,
    target: GraphStore,
    *,
    batch_size: int = BATCH_ROWS,
    on_progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every node and relationship of `source` into `target` (MERGE on ids: idempotent, resumable).

    `on_progress(kind, n)` is told after each batch ("nodes" or "relationships", rows in that batch).
    """
    ensure_target_schema(target, primary_labels(source))
    report = CopyReport()
    for query, batch in batches(node_rows(iter_nodes(source)), batch_size):
        report.nodes += target.write_rows(query, batch, batch_size)
        if on_progress:
            on_progress("nodes", len(batch))
    for query, batch in batches(rel_rows(iter_relationships(source)), batch_size):
        report.relationships += target.write_rows(query, batch, batch_size)
        if on_progress:
            on_progress("relationships", len(batch))
    return report


def push(settings: Settings, *, on_progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Copy the embedded graph named by `settings` into the Neo4j at `settings.neo4j_uri`."""
    if not settings.neo4j_uri:
        raise ConfigError(
            "push needs a Neo4j to copy into, and NEO4J_URI is not set",
            hint="set NEO4J_URI (and NEO4J_PASSWORD), or pass --uri bolt://localhost:7687",
        )
    with (
        GraphStore.connect(replace(settings, neo4j_uri=None)) as source,
        GraphStore.connect(settings) as target,
    ):
        return copy_graph(source, target, on_progress=on_progress)
