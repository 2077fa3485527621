"""Measure of cross-document resolution against the actor gold (../shared/eval/train/actors.tsv).

Usage: python bench/eval_resolution.py [--shared ../shared] [--cache DIR] [--workers 1] [--worst 20]
                                       [--only with|without]

Ingests the documents `actors.tsv` names (its training articles and the dev set; the dev texts are read only to
measure, nothing is tuned on them) into a fresh embedded graph (a temporary ACTORGRAPH_HOME), runs `resolve`, and
maps each gold row (document, entity) to the actor node holding its mention in that document: among the actor
nodes with a `MENTIONED_IN` edge to the `Document` whose `sources` hold the row's file, the one whose recorded
surface forms (the edges' `forms` and `name`) share most normalised forms (the scorer's `norm`) with the gold
entity's name, aliases and mention texts; ties go to the node of the gold type, then to the most mentions, then to
the id. A row with no such node is a singleton of its own, never dropped.

It prints, against the targets, pairwise precision, recall and F1 of "same node" against "same real actor" over
pairs of rows in different documents only; B³ precision and recall (per row, its own node and its own actor
restricted to itself and rows of other documents); macro recall over the actors found in two or more documents;
all by type, for all rows, for training rows only and for training rows minus the documents of bench/locked.txt
(what settings are chosen on: never the dev rows, never the locked ones); then the worst splits (real actors
spread over most nodes, by missed pairs) and the worst merges (nodes joining most real actors, by false pairs).

Everything is measured twice, each in its own process and graph: with resolution as it ships, and with its
equivalence list of informal names emptied (`--only` picks one). The second run sets the environment variable
ACTORGRAPH_EQUIVALENCES (EQUIVALENCES_ENV below) to an empty file, which resolution reads in place of its
shipped list. `--json OUT` also writes the figures, for comparing settings.

Extractions are cached in `--cache DIR`, one file per document, keyed by the text, its path and a fingerprint of
the extractor's source files, so a re-run skips parsing and a changed extractor parses again.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import actorgraph
from actorgraph import Graph
from actorgraph.extract.model import Extraction

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (or beside a folder of worktrees)
DEFAULT_SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT.parent / "shared")
EQUIVALENCES_ENV = "ACTORGRAPH_EQUIVALENCES"
TARGETS = {"pair_p": 0.97, "pair_r": 0.90, "b3_r": 0.85, "macro_r": 0.80}
DEV_PREFIX = "eval/dev/"
LOCKED = ROOT / "bench" / "locked.txt"  # training documents held out from all tuning
MENTIONS = (
    "MATCH (a:Actor)-[m:MENTIONED_IN]->(d:Document) "
    "RETURN a.id AS id, a.name AS name, a.type AS type, m.forms AS forms, m.name AS form, "
    "m.count AS count, d.sources AS sources"
)


# -- the measure (pure functions, tested on a hand-made gold) -----------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One gold row: `doc` its document, `gold` the real actor, `pred` the node it maps to (or its singleton)."""

    key: str
    doc: str
    gold: str
    pred: str
    type: str = ""
    canonical: str = ""


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _cross_pairs(rows: Iterable[Row], group: Any) -> int:
    """Pairs of rows in different documents that fall in one group of `group(row)`."""
    by_group: dict[Any, Counter[str]] = defaultdict(Counter)
    for r in rows:
        by_group[group(r)][r.doc] += 1
    return sum(_pairs(sum(c.values())) - sum(_pairs(n) for n in c.values()) for c in by_group.values())


def pairwise(rows: Sequence[Row]) -> dict[str, float]:
    """Pairwise P/R/F1 over cross-document pairs: true = same node and same actor; P over same-node pairs,
    R over same-actor pairs (with the raw counts: tp, pred, gold)."""
    tp = _cross_pairs(rows, lambda r: (r.gold, r.pred))
    pred = _cross_pairs(rows, lambda r: r.pred)
    gold = _cross_pairs(rows, lambda r: r.gold)
    p = tp / pred if pred else 1.0
    rec = tp / gold if gold else 1.0
    return {"p": p, "r": rec, "f1": 2 * p * rec / (p + rec) if p + rec else 0.0, "tp": tp, "pred": pred, "gold": gold}


def b_cubed(rows: Sequence[Row]) -> dict[str, float]:
    """B³ precision and recall, mean over rows, where a row's node and actor hold the row itself and the rows
    of other documents only (same-document rows never count, as for the pairs)."""
    if not rows:
        return {"p": 1.0, "r": 1.0, "f1": 1.0}
    cell: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    node: dict[str, Counter[str]] = defaultdict(Counter)
    actor: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        cell[(r.gold, r.pred)][r.doc] += 1
        node[r.pred][r.doc] += 1
        actor[r.gold][r.doc] += 1

    def other(c: Counter[str], doc: str) -> int:
        return sum(c.values()) - c[doc]

    ps, rs = 0.0, 0.0
    for r in rows:
        both = 1 + other(cell[(r.gold, r.pred)], r.doc)
        ps += both / (1 + other(node[r.pred], r.doc))
        rs += both / (1 + other(actor[r.gold], r.doc))
    p, rec = ps / len(rows), rs / len(rows)
    return {"p": p, "r": rec, "f1": 2 * p * rec / (p + rec) if p + rec else 0.0}


def macro_recall(rows: Sequence[Row]) -> tuple[float, int]:
    """Mean pairwise recall over the real actors found in two or more documents, and how many there are."""
    by_actor: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_actor[r.gold].append(r)
    recalls = [pairwise(rs)["r"] for rs in by_actor.values() if len({r.doc for r in rs}) >= 2]
    return (sum(recalls) / len(recalls) if recalls else 1.0), len(recalls)


def _ranked(counts: Counter[str]) -> list[tuple[str, int]]:
    """Most first, ties by name, so the report reads the same every run."""
    return sorted(counts.items(), key=lambda x: (-x[1], x[0]))


def _node_label(node: str, actor: str, names: Mapping[str, str]) -> str:
    """A node's name, with its type when it differs from the actor's, or "(no node)" for a singleton."""
    if node not in names:
        return "(no node)"
    kind = node.split(":", 1)[0]
    return names[node] + ("" if kind == actor.split(":", 1)[0] else f" ({kind})")


def worst_splits(rows: Sequence[Row], names: Mapping[str, str], n: int) -> list[tuple[int, str, str]]:
    """(missed cross-document pairs, actor, its pieces) of the `n` real actors split the most."""
    by_actor: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_actor[r.gold].append(r)
    out = []
    for actor, rs in by_actor.items():
        m = pairwise(rs)
        missed = int(m["gold"] - m["tp"])
        if missed:
            pieces = Counter(r.pred for r in rs)
            text = ", ".join(f"{_node_label(p, rs[0].gold, names)} x{k}" for p, k in _ranked(pieces))
            out.append((missed, f"{actor} ({rs[0].canonical})", text))
    return sorted(out, key=lambda x: (-x[0], x[1]))[:n]


def worst_merges(rows: Sequence[Row], names: Mapping[str, str], n: int) -> list[tuple[int, str, str]]:
    """(false cross-document pairs, node, the real actors in it) of the `n` nodes that join the most actors."""
    by_node: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_node[r.pred].append(r)
    out = []
    for node, rs in by_node.items():
        m = pairwise(rs)
        false = int(m["pred"] - m["tp"])
        if false:
            actors = Counter(r.gold for r in rs)
            text = ", ".join(f"{a} x{k}" for a, k in _ranked(actors))
            out.append((false, f"{names.get(node, node)} [{node}]", text))
    return sorted(out, key=lambda x: (-x[0], x[1]))[:n]


def best_node(forms: set[str], gold_type: str, nodes: Mapping[str, tuple[set[str], str, int]]) -> str | None:
    """The node (id -> (normalised forms in the document, type, mentions)) sharing most of `forms`; None if none
    shares any. Ties: the gold type, then most mentions, then the smallest id."""
    best: tuple[int, int, int, str] | None = None
    for node_id, (node_forms, node_type, count) in nodes.items():
        shared = len(forms & node_forms)
        if not shared:
            continue
        rank = (-shared, 0 if node_type == gold_type else 1, -count, node_id)
        if best is None or rank < best:
            best = rank
    return best[3] if best else None


# -- gold, extraction, graph -------------------------------------------------------------------------------------


def scorer(shared: Path) -> ModuleType:
    """../shared/eval/score.py as a module (its `norm` and `surface_forms`)."""
    spec = importlib.util.spec_from_file_location("shared_score", shared / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@dataclass(frozen=True)
class GoldRow:
    key: str
    doc: str  # the document's path relative to `shared`
    entity: dict[str, Any]
    actor: str
    canonical: str


def load_gold(shared: Path) -> list[GoldRow]:
    """Every row of actors.tsv with its gold entity (from the training or the dev gold.jsonl)."""
    entities: dict[str, dict[str, Any]] = {}
    for path, prefix in ((shared / "eval" / "train" / "gold.jsonl", ""), (shared / "eval" / "dev" / "gold.jsonl",
                                                                         DEV_PREFIX)):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                for e in record["entities"]:
                    entities[f"{prefix}{record['doc']}#{e['id']}"] = e
    rows = []
    with (shared / "eval" / "train" / "actors.tsv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            key = rec["key"]
            if key not in entities:
                raise SystemExit(f"actors.tsv row {key} names no gold entity")
            rows.append(GoldRow(key, key.rsplit("#", 1)[0], entities[key], rec["actor"], rec["canonical"]))
    return rows


def extractor_fingerprint() -> str:
    """A hash of the extractor's source and data files: a cached extraction is reused only while it is equal."""
    h = hashlib.sha256()
    base = Path(actorgraph.__file__).parent / "extract"
    for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(base)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def extractions(paths: Sequence[Path], cache: Path, workers: int) -> Iterator[Extraction]:
    """The extraction of each file, from `cache` when present, else parsed now and written there."""
    from actorgraph.extract.pipeline import extract_paths

    cache.mkdir(parents=True, exist_ok=True)
    fingerprint = extractor_fingerprint()

    def slot(path: Path) -> Path:
        key = hashlib.sha256(f"{fingerprint}\0{path}\0".encode() + path.read_bytes()).hexdigest()[:32]
        return cache / f"{key}.json"

    missing = [p for p in paths if not slot(p).exists()]
    if missing:
        began = time.perf_counter()
        by_path = {str(p): p for p in missing}
        for ex in extract_paths([str(p) for p in missing], workers=workers,
                                on_skip=lambda p, r: print(f"skipped {p}: {r}")):
            source = by_path.get(ex.document.path or "")
            if source is not None:
                slot(source).write_text(json.dumps(ex.to_json(), ensure_ascii=False), encoding="utf-8")
        print(f"extracted {len(missing)} documents in {time.perf_counter() - began:.0f} s -> {cache}")
    for p in paths:
        if slot(p).exists():
            yield Extraction.from_json(json.loads(slot(p).read_text("utf-8")))


def node_forms(graph: Graph, norm: Any) -> tuple[dict[str, dict[str, tuple[set[str], str, int]]], dict[str, str]]:
    """source path -> {node id -> (normalised forms there, type, mentions)}, and node id -> name."""
    per_source: dict[str, dict[str, tuple[set[str], str, int]]] = defaultdict(dict)
    names: dict[str, str] = {}
    for rec in graph.store.read(MENTIONS):
        names[rec["id"]] = rec["name"]
        forms = {norm(f) for f in [*(rec["forms"] or []), rec["form"] or ""] if f and norm(f)}
        for source in rec["sources"] or []:
            key = str(Path(source).resolve())
            have, _, count = per_source[key].get(rec["id"], (set(), rec["type"], 0))
            per_source[key][rec["id"]] = (have | forms, rec["type"], count + int(rec["count"] or 0))
    return per_source, names


def map_rows(gold: Sequence[GoldRow], shared: Path, per_source: Mapping[str, Mapping[str, Any]],
             sc: ModuleType) -> list[Row]:
    """Each gold row with the node holding its mention, or a singleton label of its own."""
    rows = []
    for g in gold:
        nodes = per_source.get(str((shared / g.doc).resolve()), {})
        node = best_node(sc.surface_forms(g.entity), g.entity["type"], nodes)
        rows.append(Row(g.key, g.doc, g.actor, node or f"singleton:{g.key}", g.entity["type"], g.canonical))
    return rows


def build(gold: Sequence[GoldRow], shared: Path, home: Path, name: str, cache: Path, workers: int,
          sc: ModuleType) -> tuple[list[Row], dict[str, str]]:
    """Ingest the gold's documents into graph `name` of the embedded engine under `home`, resolve, map rows."""
    docs = sorted({g.doc for g in gold})
    paths = [(shared / d).resolve() for d in docs]
    with Graph(home=home, graph=name) as graph:
        extracted = list(extractions(paths, cache, workers))
        began = time.perf_counter()
        report = graph.ingest(extracted, resolve=False)
        ingested = time.perf_counter() - began
        began = time.perf_counter()
        resolved = graph.resolve()
        print(f"[{name}] {report.ingested} documents ingested in {ingested:.0f} s; resolve merged "
              f"{resolved.merged_atoms} document-level actors in {time.perf_counter() - began:.1f} s")
        per_source, names = node_forms(graph, sc.norm)
    missing = [d for d in docs if str((shared / d).resolve()) not in per_source]
    if missing:
        print(f"[{name}] {len(missing)} documents have no actor in the graph: {', '.join(missing[:5])}")
    return map_rows(gold, shared, per_source, sc), names


# -- report ------------------------------------------------------------------------------------------------------


def _mark(value: float, target: str | None) -> str:
    if target is None:
        return f"{value:.3f}"
    ok = "ok" if value >= TARGETS[target] else "BELOW"
    return f"{value:.3f} (>= {TARGETS[target]:.2f} {ok})"


def report(rows: Sequence[Row], names: Mapping[str, str], worst: int, title: str) -> list[str]:
    """The figures of `rows` by type and in all, then the worst splits and merges."""
    out = [f"\n## {title}: {len(rows)} gold rows, {len({r.doc for r in rows})} documents, "
           f"{len({r.gold for r in rows})} real actors, {sum(r.pred.startswith('singleton:') for r in rows)} "
           "rows with no node (singletons)"]
    out.append(f"{'type':7} {'rows':>5} {'pairs':>6} {'pair P':>22} {'pair R':>22} {'F1':>6} "
               f"{'B3 P':>6} {'B3 R':>22} {'macro R':>22} (actors in 2+ docs)")
    for kind in [*sorted({r.type for r in rows}), "all"]:
        part = [r for r in rows if kind in ("all", r.type)]
        pw, b3, (mr, multi) = pairwise(part), b_cubed(part), macro_recall(part)
        tgt = kind == "all"
        out.append(f"{kind:7} {len(part):5} {int(pw['gold']):6} {_mark(pw['p'], 'pair_p' if tgt else None):>22} "
                   f"{_mark(pw['r'], 'pair_r' if tgt else None):>22} {pw['f1']:6.3f} {b3['p']:6.3f} "
                   f"{_mark(b3['r'], 'b3_r' if tgt else None):>22} {_mark(mr, 'macro_r' if tgt else None):>22} "
                   f"({multi})")
    pw = pairwise(rows)
    out.append(f"pairs (cross-document): {int(pw['tp'])} right of {int(pw['pred'])} same-node, "
               f"{int(pw['gold'])} same-actor")
    if worst:
        out.append("\nworst splits (missed pairs: actor <- the nodes its rows map to, x rows):")
        out += [f"  {n:5}  {actor} <- {text}" for n, actor, text in worst_splits(rows, names, worst)]
        out.append("\nworst merges (false pairs: node <- the real actors of its rows, x rows):")
        out += [f"  {n:5}  {node} <- {text}" for n, node, text in worst_merges(rows, names, worst)]
    return out


def figures(rows: Sequence[Row]) -> dict[str, Any]:
    """The headline figures of `rows`, by type and in all, as plain numbers (for --json)."""
    out: dict[str, Any] = {}
    for kind in [*sorted({r.type for r in rows}), "all"]:
        part = [r for r in rows if kind in ("all", r.type)]
        mr, multi = macro_recall(part)
        out[kind] = {"rows": len(part), "pairwise": pairwise(part), "b_cubed": b_cubed(part), "macro_recall": mr,
                     "actors_in_2_docs": multi}
    return out


def measure(args: argparse.Namespace, run: str) -> dict[str, Any]:
    """One run in this process: a fresh graph, with the shipped equivalences or with the list emptied."""
    shared = args.shared.resolve()
    sc = scorer(shared)
    gold = load_gold(shared)
    with tempfile.TemporaryDirectory(prefix="agr-res-") as tmp:
        home = Path(tmp) / "home"
        os.environ["ACTORGRAPH_HOME"] = str(home)
        if run == "without":
            empty = Path(tmp) / "no-equivalences.txt"
            empty.write_text("", encoding="utf-8")
            os.environ[EQUIVALENCES_ENV] = str(empty)
        rows, names = build(gold, shared, home, f"eval-{run}", args.cache, args.workers, sc)
        try:
            Graph(home=home, connect=False).stop_engine()
        except Exception as exc:  # the temp dir goes anyway; say why the engine did not stop cleanly
            print(f"engine stop: {exc}", file=sys.stderr)
    label = "equivalences as shipped" if run == "with" else "equivalence list emptied"
    print("\n".join(report(rows, names, args.worst, f"{label}, training and dev rows")), flush=True)
    train = [r for r in rows if not r.key.startswith(DEV_PREFIX)]
    print("\n".join(report(train, names, 0, f"{label}, training rows only")), flush=True)
    tuning = [r for r in train if r.doc not in locked_docs()]
    print("\n".join(report(tuning, names, 0, f"{label}, training rows minus locked documents")), flush=True)
    return {"all": figures(rows), "train": figures(train), "train_minus_locked": figures(tuning)}


def locked_docs() -> set[str]:
    """The documents of bench/locked.txt (paths relative to the shared folder, as the gold's)."""
    lines = LOCKED.read_text(encoding="utf-8").splitlines() if LOCKED.exists() else []
    return {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "actorgraph-resolution-cache")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--worst", type=int, default=20)
    ap.add_argument("--only", choices=("with", "without"), help="measure only with / without the equivalences")
    ap.add_argument("--json", type=Path, help="also write the figures here (by run, all rows and training rows)")
    args = ap.parse_args()
    if args.only:
        result = {args.only: measure(args, args.only)}
    else:  # each run in its own process, so an equivalence list read once at import cannot leak between them
        result = {}
        for run in ("with", "without"):
            with tempfile.TemporaryDirectory(prefix="agr-res-json-") as tmp:
                out = Path(tmp) / "figures.json"
                argv = ["--shared", str(args.shared), "--cache", str(args.cache), "--workers", str(args.workers),
                        "--worst", str(args.worst), "--only", run, "--json", str(out)]
                done = subprocess.run([sys.executable, __file__, *argv], check=False)
                if done.returncode != 0:
                    raise SystemExit(done.returncode)
                result.update(json.loads(out.read_text("utf-8")))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
