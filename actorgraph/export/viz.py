"""`actorgraph viz`: the network as ONE self-contained HTML file that works offline.

The page inlines vis-network (vendored from its npm package under `static/`, Apache-2.0/MIT, licence beside
it) and the graph as JSON: nodes coloured by type and sized by mentions, edges labelled by predicate (claims
with the same subject, predicate and object are one edge, with every evidence sentence behind it), hover or
click on an edge to read its evidence and source, a legend, and a search box. Every text reaches the page as
JSON inside a `<script type="application/json">` (with `<`, `>` and `&` escaped, so no name can close the tag)
and is put into the DOM with `textContent`, never as HTML. Once drawn, the page sets `data-drawn-nodes` on
`<html>` (tests read it).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

from actorgraph.batching import chunks
from actorgraph.errors import ConfigError
from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.text import shown, shown_all
from actorgraph.vocab import SYMMETRIC

#: One colour per node type, shared by the HTML page, the GEXF export and the GraSS stylesheet (Tableau 10).
TYPE_COLOURS: Final = {
    "PERSON": "#4e79a7",
    "ORG": "#f28e2b",
    "GPE": "#59a14f",
    "CHARGE": "#e15759",
    "DOCUMENT": "#9c9c9c",
}
TYPE_NAMES: Final = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "CHARGE": "Charge"}
DEFAULT_LIMIT: Final = 1_000  # claims drawn when the whole graph is asked for; a browser stays responsive
IDS_PER_QUERY: Final = 1_000


@dataclass
class View:
    """What one page draws: nodes and aggregated edges as plain JSON-ready dicts."""

    title: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False

    @property
    def claims(self) -> int:
        """Claims behind the edges (an edge holds every claim with its subject, predicate and object)."""
        return sum(len(e["evidence"]) for e in self.edges)


def _claims(
    store: GraphStore, claim_ids: Iterable[str] | None, limit: int, include_rejected: bool = False
) -> tuple[list[Row], bool]:
    """The claims to draw with their ends (all: the most-mentioned first), and whether `limit` cut some;
    claims a reviewer rejected only with `include_rejected`."""
    if claim_ids is None:
        query = cypher.text("export", "viz_all_claims")
        rows = store.read(query, limit=limit + 1, include_rejected=include_rejected)
        return rows[:limit], len(rows) > limit
    rows = []
    for batch in chunks(dict.fromkeys(claim_ids), IDS_PER_QUERY):
        query = cypher.text("export", "viz_claims_by_id")
        rows.extend(store.read(query, ids=batch, include_rejected=include_rejected))
    rows.sort(key=lambda r: r["id"])
    return rows[:limit], len(rows) > limit


def _documents(store: GraphStore, ids: Sequence[str]) -> dict[str, Row]:
    """The cited documents by id."""
    docs: dict[str, Row] = {}
    for batch in chunks(ids, IDS_PER_QUERY):
        for row in store.read(cypher.text("export", "viz_documents"), ids=batch):
            docs[row["id"]] = row
    return docs


def build_view(
    store: GraphStore,
    claim_ids: Iterable[str] | None = None,
    *,
    title: str = "actorgraph",
    limit: int = DEFAULT_LIMIT,
    include_rejected: bool = False,
) -> View:
    """The claims (all, or those with `claim_ids`), their actors and their sources, ready to draw; each
    sentence says whether a reviewer confirmed (or, when shown, rejected) it."""
    if limit < 1:
        raise ConfigError(f"--limit must be at least 1, got {limit}")
    rows, truncated = _claims(store, claim_ids, limit, include_rejected)
    docs = _documents(store, sorted({r["doc_id"] for r in rows if r["doc_id"]}))
    view = View(title=title, truncated=truncated)
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str, bool], dict[str, Any]] = {}
    for row in rows:
        for end in ("source", "target"):
            if row[end] not in nodes:
                nodes[row[end]] = {
                    "id": row[end],
                    "name": row[f"{end}_name"] or row[end],
                    "type": row[f"{end}_type"] or "ORG",
                    "mentions": row[f"{end}_mentions"],
                    "aliases": [a for a in row[f"{end}_aliases"] if a != row[f"{end}_name"]],
                }
        key = (row["source"], row["predicate"], row["target"], bool(row["denied"]))
        edge = edges.setdefault(
            key,
            {
                "id": f"e{len(edges)}",
                "source": row["source"],
                "target": row["target"],
                "predicate": row["predicate"],
                "denied": bool(row["denied"]),
                "symmetric": row["predicate"] in SYMMETRIC,
                "evidence": [],
                "confirmed": 0,
            },
        )
        edge["confirmed"] += row.get("review") == "confirmed"
        doc = docs.get(row["doc_id"] or "", {})
        edge["evidence"].append(
            {
                "claim": row["id"],
                "sentence": " ".join((row["evidence"] or "").split()),
                "doc_id": row["doc_id"],
                "title": doc.get("title"),
                "source": (doc.get("sources") or [doc.get("url")])[0] if doc else None,
                "published": doc.get("published"),
                "confidence": row["confidence"],
                "review": row.get("review"),
            }
        )
    view.nodes = sorted(nodes.values(), key=lambda n: (-n["mentions"], n["name"]))
    view.edges = list(edges.values())
    return view


def select_claims(
    store: GraphStore,
    actor: str | None = None,
    *,
    depth: int | None = None,
    queries: Sequence[str] = (),
    params: Mapping[str, str] | None = None,
    limit: int = DEFAULT_LIMIT,
    include_rejected: bool = False,
) -> tuple[frozenset[str] | None, str]:
    """Which claims to draw, and a title: every claim (None); ACTOR's `network` to `depth`; or the union of
    the claims behind the rows of the curated `queries` (each gets ACTOR if it takes an actor, `--depth` if it
    has one).
    """
    from actorgraph.queries import get_query, run_query

    params = dict(params or {})
    if not queries and actor is None:
        if params or depth is not None:
            raise ConfigError(
                "--depth and --param need an ACTOR or a --query", hint="e.g. actorgraph viz NAME -d 2"
            )
        return None, "actorgraph network"
    names = list(queries) or ["network"]
    curated = [get_query(name) for name in names]
    declared = {p.name for q in curated for p in q.params}
    unknown = sorted(set(params) - declared)
    if unknown:
        raise ConfigError(
            f"no chosen query has a parameter {unknown[0]!r}", hint=f"their parameters: {sorted(declared)}"
        )
    ids: set[str] = set()
    for query in curated:
        own = {k: v for k, v in params.items() if query.param(k) is not None}
        if depth is not None and query.param("depth") is not None:
            own.setdefault("depth", str(depth))
        takes_actor = any(p.type == "actor" and p.name not in own for p in query.params)
        args = [actor] if actor is not None and takes_actor else []
        ids |= run_query(store, query.name, args, own, limit=limit, include_rejected=include_rejected).claim_ids
    if queries:
        title = ", ".join(names) + (f" · {actor}" if actor else "")
    else:
        default = next(p.default for p in curated[0].params if p.name == "depth")
        title = f"{actor} · network to depth {depth or default}"
    return frozenset(ids), title


def network_page(
    store: GraphStore,
    path: Path,
    actor: str | None = None,
    *,
    depth: int | None = None,
    queries: Sequence[str] = (),
    params: Mapping[str, str] | None = None,
    limit: int = DEFAULT_LIMIT,
    include_rejected: bool = False,
) -> View:
    """`actorgraph viz`: choose the claims, build the view and write the page to `path`; returns the view.
    Claims a reviewer rejected are left out unless `include_rejected`."""
    flag = {"include_rejected": include_rejected}
    ids, title = select_claims(store, actor, depth=depth, queries=queries, params=params, limit=limit, **flag)
    view = build_view(store, ids, title=title, limit=limit, **flag)
    write_html(view, path)
    return view


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a <script> element: nothing in it can close the tag or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _static(name: str) -> str:
    return (files("actorgraph.export") / "static" / name).read_text("utf-8")


def vis_network_js() -> str:
    """The vendored vis-network standalone build, ready to inline (no source-map fetch, no `</script`)."""
    lines = [
        line
        for line in _static("vis-network.min.js").splitlines()
        if not line.startswith("//# sourceMappingURL")
    ]
    return "\n".join(lines).replace("</script", "<\\/script")


def render_html(view: View) -> str:
    """The page: one HTML string with every script, style and datum inline."""
    data = {
        "title": view.title,
        "nodes": view.nodes,
        "edges": view.edges,
        "colours": TYPE_COLOURS,
        "typeNames": TYPE_NAMES,
        "truncated": view.truncated,
    }
    return (
        _PAGE.replace("{{TITLE}}", html.escape(shown(view.title)))
        .replace("{{STYLE}}", _static("viz.css"))
        .replace("{{APP}}", _static("viz.js"))
        .replace("{{VIS}}", vis_network_js())
        .replace("{{DATA}}", _json_for_script(shown_all(data)))  # control and bidi characters as escapes
    )


def write_html(view: View, path: Path) -> None:
    """Write the page to `path` (UTF-8); a path that cannot be written is one ConfigError."""
    try:
        path.write_text(render_html(view), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}", hint="check the -o path") from exc


# The order matters: the data is placed last, so nothing in it can be mistaken for a placeholder.
_PAGE: Final = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; \
style-src 'unsafe-inline'; img-src data:">
<title>{{TITLE}}</title>
<style>{{STYLE}}</style>
</head>
<body>
<div id="app">
<aside id="side">
<h1 id="title"></h1>
<label for="search">Find an actor</label>
<input id="search" type="search" list="names" autocomplete="off" placeholder="name or alias">
<datalist id="names"></datalist>
<div id="search-status" role="status"></div>
<section id="legend"><h2>Legend</h2><ul id="legend-types"></ul><ul id="legend-predicates"></ul>
<p class="note">Size: mentions. Dashed edge: the subject denies it.</p></section>
<section id="details"><h2>Evidence</h2><div id="info"></div></section>
<footer id="stats"></footer>
</aside>
<main id="network" aria-label="network"></main>
</div>
<script>{{VIS}}</script>
<script>{{APP}}</script>
<script type="application/json" id="graph-data">{{DATA}}</script>
<script>window.actorgraphStart();</script>
</body>
</html>
"""


def browser_style() -> str:
    """The GraSS stylesheet for Neo4j Browser (`:style`): captions by name, colours by label (as this page)."""
    return (files("actorgraph.export") / "browser.grass").read_text("utf-8")
