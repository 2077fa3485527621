"""`actorgraph export graphml|gexf`: the actor network for Gephi (and anything else networkx can read).

Nodes are the actors and charges (optionally the documents); edges are the claims, one per claim, keyed by the
claim id, each with its predicate, evidence sentence and source. GraphML and GEXF hold no lists, so aliases
and forms are joined with "; ". GEXF also gets Gephi's `viz` colour and size (coloured by type, sized by
mentions).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import networkx as nx

from actorgraph.errors import ConfigError
from actorgraph.export import walk
from actorgraph.export.viz import TYPE_COLOURS
from actorgraph.graph.store import GraphStore
from actorgraph.vocab import PREDICATES

LIST_SEPARATOR: Final = "; "
# GEXF gives `start`, `end`, `type`, `label`, `weight` and `id` meanings of its own (time, direction, ...):
# claim offsets are written as evidence_start / evidence_end, and the node type as entity_type.
_CLAIM_FIELDS: Final = {
    "id": "id",
    "doc_id": "doc_id",
    "evidence": "evidence",
    "start": "evidence_start",
    "end": "evidence_end",
    "confidence": "confidence",
    "rule": "rule",
    "denied": "denied",
    "stage": "stage",
    "review": "review",
}


def _plain(value: Any) -> Any:
    """A value GraphML and GEXF can hold: lists joined, None dropped by the caller."""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return value


def _attrs(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in values.items() if v is not None}


def claim_graph(store: GraphStore, *, documents: bool = False, include_rejected: bool = False) -> nx.MultiDiGraph:
    """The graph as networkx: actors and charges (and documents if asked), one edge per claim (its `review`
    "confirmed" when a reviewer confirmed it; rejected claims only with `include_rejected`)."""
    graph = nx.MultiDiGraph(name="actorgraph")
    docs: dict[str, dict[str, Any]] = {}
    for node in walk.nodes(store):
        props = node.props
        primary = node.labels[0]
        if primary == "Document":
            source = (props.get("sources") or [props.get("url")])[0]
            docs[node.id] = _attrs(
                {"title": props.get("title"), "source": source, "published": props.get("published")}
            )
            if documents:
                graph.add_node(
                    node.id,
                    label=props.get("title") or source or node.id,
                    entity_type="DOCUMENT",
                    **docs[node.id],
                )
        elif primary in ("Actor", "Charge"):
            entity_type = props.get("type") or ("CHARGE" if primary == "Charge" else "")
            graph.add_node(
                node.id,
                **_attrs(
                    {
                        "label": props.get("name"),
                        "name": props.get("name"),
                        "entity_type": entity_type,
                        "aliases": props.get("aliases"),
                        "mention_count": props.get("mention_count"),
                        "doc_count": props.get("doc_count"),
                    }
                ),
            )
    for rel in walk.relationships(store, include_rejected=include_rejected):
        if rel.source not in graph or rel.target not in graph:
            continue
        if rel.type in PREDICATES:
            fields = {name: rel.props.get(key) for key, name in _CLAIM_FIELDS.items()}
            doc = docs.get(rel.props.get("doc_id") or "", {})
            graph.add_edge(
                rel.source,
                rel.target,
                key=rel.props.get("id"),
                label=rel.type,
                predicate=rel.type,
                **_attrs(fields),
                **{f"doc_{k}": v for k, v in doc.items()},
            )
        elif documents:
            key = f"{rel.type}:{rel.source}>{rel.target}"  # string keys throughout: GEXF types a column once
            attrs = _attrs(rel.props)
            graph.add_edge(rel.source, rel.target, key=key, label=rel.type, predicate=rel.type, **attrs)
    return graph


def _with_gephi_viz(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with Gephi's `viz` colour (by type) and size (by mentions) on each node."""
    out = graph.copy()
    for _, data in out.nodes(data=True):
        colour = TYPE_COLOURS.get(data.get("entity_type", ""), "#9c9c9c")
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        size = 8.0 + 4.0 * float(data.get("mention_count", 0) or 0) ** 0.5
        data["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": size}
    for _, _, key, data in out.edges(keys=True, data=True):
        data.setdefault("id", key)  # claims carry their id; GEXF needs one on every edge
    return out


def _write(
    writer: Callable[[nx.MultiDiGraph, Path], None], graph: nx.MultiDiGraph, path: Path
) -> tuple[int, int]:
    try:
        writer(graph, path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}", hint="check the -o path") from exc
    return graph.number_of_nodes(), graph.number_of_edges()


def export_graphml(
    store: GraphStore, path: Path, *, documents: bool = False, include_rejected: bool = False
) -> tuple[int, int]:
    """Write GraphML to `path`; returns (nodes, edges)."""
    graph = claim_graph(store, documents=documents, include_rejected=include_rejected)
    return _write(nx.write_graphml, graph, path)


def export_gexf(
    store: GraphStore, path: Path, *, documents: bool = False, include_rejected: bool = False
) -> tuple[int, int]:
    """Write GEXF 1.2 (with Gephi colours and sizes) to `path`; returns (nodes, edges)."""
    graph = claim_graph(store, documents=documents, include_rejected=include_rejected)
    return _write(nx.write_gexf, _with_gephi_viz(graph), path)
