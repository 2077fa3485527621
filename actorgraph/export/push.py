"""Copy a graph into another store: `actorgraph push` (embedded -> Neo4j), and the MERGE statements that
`export cypher` writes out.

The copy reads the graph through the copy view of the one walk (`walk.nodes`, then `walk.relationships`) and
writes through `GraphStore.write_rows` with MERGE on `id` (statements in `actorgraph/graph/cypher/push.cypher`),
so it is batched, and running it twice (or after a crash) leaves the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Final

from actorgraph.config import Settings
from actorgraph.errors import ConfigError
from actorgraph.export import walk
from actorgraph.export.walk import Node, Rel, safe_labels, safe_type
from actorgraph.graph import cypher
from actorgraph.graph.model import stamp_model
from actorgraph.graph.store import BATCH_ROWS, GraphStore, Row
from actorgraph.vocab import NODE_LABELS, node_label

MAX_BATCH_CHARS: Final = 4_000_000  # text per write query: documents carry their whole text


@dataclass
class CopyReport:
    """What a copy sent: nodes and relationships written (MERGEd) into the target."""

    nodes: int = 0
    relationships: int = 0


@cache
def merge_nodes_query(labels: tuple[str, ...]) -> str:
    """MERGE on the primary label's `id`, then the other labels (an `:Actor` also is a `:Person`, ...)."""
    primary, *others = safe_labels(labels)
    parts = [cypher.text("push", "merge_node", label=primary)]
    parts += [cypher.text("push", "add_label", label=label) for label in others]
    return " ".join(parts)  # one line: `export cypher` writes one statement per line


@cache
def merge_rels_query(rel_type_: str, source: str, target: str, *, keyed: bool) -> str:
    """MERGE one relationship type between two primary labels, on its `id` when it has one."""
    return " ".join(
        (
            cypher.text("push", "rel_start", label=node_label(source)),
            cypher.text("push", "rel_end", label=node_label(target)),
            cypher.text("push", "merge_keyed" if keyed else "merge_pair", any_rel=safe_type(rel_type_)),
        )
    )


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
    """The target's model version stamped, unique ids on every label about to be MERGEd."""
    labels = set(labels)
    stamp_model(target)
    target.ensure_schema([label for label in NODE_LABELS if label in labels])


def copy_graph(
    source: GraphStore,
    target: GraphStore,
    *,
    batch_size: int = BATCH_ROWS,
    on_progress: Callable[[str, int], None] | None = None,
    include_rejected: bool = False,
) -> CopyReport:
    """Copy every node and relationship of `source` into `target` (MERGE on ids: idempotent, resumable).

    `on_progress(kind, n)` is told after each batch ("nodes" or "relationships", rows in that batch). Reviews
    are copied and claims keep their `review` mark; claims a reviewer rejected only with `include_rejected`.
    """
    ensure_target_schema(target, walk.primary_labels(source))
    report = CopyReport()
    for query, batch in batches(node_rows(walk.nodes(source)), batch_size):
        report.nodes += target.write_rows(query, batch, batch_size)
        if on_progress:
            on_progress("nodes", len(batch))
    for query, batch in batches(rel_rows(walk.relationships(source, include_rejected=include_rejected)), batch_size):
        report.relationships += target.write_rows(query, batch, batch_size)
        if on_progress:
            on_progress("relationships", len(batch))
    return report


def push(
    settings: Settings, *, on_progress: Callable[[str, int], None] | None = None, include_rejected: bool = False
) -> CopyReport:
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
        return copy_graph(source, target, on_progress=on_progress, include_rejected=include_rejected)
