"""Cross-validated scores of the learned relation extractor next to today's rules, on the non-locked training set.

Usage: python bench/eval_cv.py [--shared ../shared] [--cache DIR] [--folds 5] [--c 0.5] [--boot 1000]
                               [--thresholds nested|fixed] [--json OUT]

Documents are split by near-duplicate group (shared 8-word shingles >= 20 %, groups printed) with GroupKFold;
within each outer fold, per-predicate thresholds are chosen by an inner GroupKFold over the training folds only
(predicates with fewer than 50 training relations share one threshold), then the model is fitted on all training
folds and predicts the held-out fold. The locked documents (bench/locked.txt) are never read. Every figure uses
the matching of ../shared/eval/score.py; intervals are 95 % bootstrap percentiles over documents.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_actors import alias_lines
from eval_charges import charge_lines
from learned_common import DEFAULT_CACHE, DEFAULT_SHARED, GoldDoc, load_corpus, scorer
from threadpoolctl import threadpool_limits

from actorgraph.extract.aliases import use_known_names
from actorgraph.extract.extractor import _extract
from actorgraph.extract.learned.gold import evidence_spans
from actorgraph.extract.learned.groups import near_duplicate_groups
from actorgraph.extract.learned.predict import SHARED, decisions_for, probabilities, to_extraction
from actorgraph.extract.learned.train import DEFAULT_C, Examples, examples, fit_examples
from actorgraph.extract.learned.training import ece
from actorgraph.extract.model import Extraction
from actorgraph.extract.nlp import load_model
from actorgraph.extract.relations import engine_for
from actorgraph.vocab import PREDICATES

MIN_OWN_THRESHOLD = 50
GRID = tuple(round(x, 2) for x in np.arange(0.10, 0.91, 0.05))


@dataclass
class Prepared:
    """One document, ready for folds: its rule extraction, candidates, features and labels."""

    gd: GoldDoc
    base: Extraction
    ex: Examples


def prepare(docs: Sequence[GoldDoc]) -> list[Prepared]:
    nlp = load_model()
    engine = engine_for(nlp)
    out = []
    for gd in docs:
        ex = examples(gd.doc, gd.document, gd.gold, engine)
        out.append(Prepared(gd, _extract(gd.doc, gd.document, engine), ex))
    return out


# -- scoring ----------------------------------------------------------------------------------------------------


def doc_counts(sc: ModuleType, p: Prepared, pred: dict[str, Any], *, evidence: bool = False) -> np.ndarray:
    """[predicate, (tp, predicted, gold)] for one document, plus a last row for actors."""
    gold = sc.Doc(p.gd.gold["entities"], p.gd.gold["relations"])
    asserted = [r for r in pred.get("relations") or [] if not r.get("negated")]
    pd = sc.Doc(pred.get("entities") or [], asserted)
    text = p.gd.document.text
    out = np.zeros((len(PREDICATES) + 1, 3), dtype=np.int64)
    for n, name in enumerate(PREDICATES):
        prs = [r for r in sc.dedupe_relations(pd) if r.get("predicate") == name]
        grs = [r for r in gold.relations if r["predicate"] == name]
        if evidence:
            def match(a: dict[str, Any], g: dict[str, Any]) -> bool:
                if not sc.rel_match(pd, a, gold, g):
                    return False
                ev = a.get("evidence") or {}
                return any(s < ev.get("end", -1) and ev.get("start", -1) < e
                           for s, e in evidence_spans(text, g.get("evidence", "")))
            prs = [r for r in pd.relations if r.get("predicate") == name]  # each evidence may match
        else:
            def match(a: dict[str, Any], g: dict[str, Any]) -> bool:
                return bool(sc.rel_match(pd, a, gold, g))
        tp, _, _ = sc.greedy_matches(prs, grs, match)
        if evidence:  # a pair stated twice counts once, as the scorer dedupes
            prs = [r for r in sc.dedupe_relations(pd) if r.get("predicate") == name]
        out[n] = (tp, len(prs), len(grs))
    pa = [e for e in pd.entities if e.get("type") in sc.ACTOR_TYPES]
    ga = [e for e in gold.entities if e.get("type") in sc.ACTOR_TYPES]
    tp, _, _ = sc.greedy_matches(pa, ga, lambda a, g: a.get("type") == g["type"]
                                 and bool(sc.surface_forms(a) & sc.surface_forms(g)))
    out[-1] = (tp, len(pa), len(ga))
    return out


def prf(c: np.ndarray) -> tuple[float, float, float]:
    tp, np_, ng = (float(x) for x in c)
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def summary(counts: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """counts: [doc, predicate+actors, 3] -> name -> (P, R, F1), with micro, macro and actors."""
    tot = counts.sum(axis=0)
    out = {name: prf(tot[n]) for n, name in enumerate(PREDICATES)}
    out["micro"] = prf(tot[:-1].sum(axis=0))
    present = [out[name] for n, name in enumerate(PREDICATES) if tot[n, 2] > 0]
    out["macro"] = tuple(float(np.mean([x[k] for x in present])) for k in range(3))  # type: ignore[assignment]
    out["actors"] = prf(tot[-1])
    return out


def bootstrap(counts: np.ndarray, n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """name -> [[lo, hi] for P, R, F1], 95 % percentile intervals over resampled documents."""
    rng = np.random.default_rng(seed)
    samples: dict[str, list[tuple[float, float, float]]] = {}
    for _ in range(n):
        pick = rng.integers(0, counts.shape[0], counts.shape[0])
        for k, v in summary(counts[pick]).items():
            samples.setdefault(k, []).append(v)
    return {k: np.percentile(np.array(v), [2.5, 97.5], axis=0).T for k, v in samples.items()}


def table(title: str, counts: np.ndarray, boot: int) -> list[str]:
    s = summary(counts)
    ci = bootstrap(counts, boot) if boot else {}
    tot = counts.sum(axis=0)
    lines = [f"### {title}", "", "| | gold | pred | P | R | F1 (95 % CI) |", "|---|---|---|---|---|---|"]
    for n, name in enumerate([*PREDICATES, "micro", "macro", "actors"]):
        if n < len(PREDICATES) and tot[n, 2] == 0 and tot[n, 1] == 0:
            continue
        p, r, f = s[name]
        g = int(tot[n, 2]) if n < len(PREDICATES) else int(tot[:-1, 2].sum()) if name == "micro" else (
            int(tot[-1, 2]) if name == "actors" else "")
        pr = int(tot[n, 1]) if n < len(PREDICATES) else int(tot[:-1, 1].sum()) if name == "micro" else (
            int(tot[-1, 1]) if name == "actors" else "")
        band = ""
        if name in ci:
            lo, hi = ci[name][2]
            band = f" ({lo:.2f}–{hi:.2f})"
            pl, ph = ci[name][0]
            rl, rh = ci[name][1]
            lines.append(f"| {name} | {g} | {pr} | {p:.2f} ({pl:.2f}–{ph:.2f}) | {r:.2f} ({rl:.2f}–{rh:.2f}) | "
                         f"{f:.2f}{band} |")
        else:
            lines.append(f"| {name} | {g} | {pr} | {p:.2f} | {r:.2f} | {f:.2f} |")
    return [*lines, ""]


# -- folds ------------------------------------------------------------------------------------------------------


def predictions(p: Prepared, probs: Sequence[tuple[list[str], np.ndarray]], thr: dict[str, float],
                keep_rules: bool) -> dict[str, Any]:
    return to_extraction(p.base, p.ex.cands, decisions_for(probs, thr), keep_rules=keep_rules).to_json()


def _objective(c: np.ndarray, min_precision: float) -> tuple[float, float]:
    """F1, among thresholds reaching `min_precision` first (then the most precise)."""
    p, _, f = prf(c)
    return (1.0, f) if p >= min_precision else (0.0, p)


def choose_thresholds(sc: ModuleType, docs: Sequence[Prepared],
                      probs: Sequence[Sequence[tuple[list[str], np.ndarray]]], keep_rules: bool,
                      min_precision: float = 0.0) -> dict[str, float]:
    """Per predicate, the grid threshold with the best pooled F1 (among those with precision >= `min_precision`,
    if any) on these out-of-fold probabilities; predicates with under MIN_OWN_THRESHOLD gold relations share one
    (chosen on their pooled counts)."""
    gold_n = {name: sum(1 for p in docs for r in p.gd.gold["relations"] if r["predicate"] == name)
              for name in PREDICATES}
    per_t: dict[float, np.ndarray] = {}
    for t in GRID:
        thr = {SHARED: t}
        per_t[t] = sum((doc_counts(sc, p, predictions(p, pr, thr, keep_rules))
                        for p, pr in zip(docs, probs, strict=True)), np.zeros((len(PREDICATES) + 1, 3), dtype=np.int64))
    out: dict[str, float] = {}
    small = [n for n, name in enumerate(PREDICATES) if gold_n[name] < MIN_OWN_THRESHOLD]
    for n, name in enumerate(PREDICATES):
        if n in small:
            continue
        out[name] = max(GRID, key=lambda t: (*_objective(per_t[t][n], min_precision), -t))
    if small:
        out[SHARED] = max(GRID, key=lambda t: (*_objective(per_t[t][small].sum(axis=0), min_precision), -t))
    return out


def run(sc: ModuleType, prepared: list[Prepared], folds: int, c: float, nested: bool, keep_rules: bool,
        min_precision: float, log: Callable[[str], None], balance: float = 0.0, candidate_thresholds: bool = False
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[Any]]:
    texts = {p.gd.path: p.gd.document.text for p in prepared}
    groups = near_duplicate_groups(texts)
    gid = {k: n for n, g in enumerate(groups) for k in g}
    log("near-duplicate groups (more than one document): " +
        "; ".join(" ".join(g) for g in groups if len(g) > 1))
    g_arr = np.array([gid[p.gd.path] for p in prepared])
    n = len(prepared)
    learned = np.zeros((n, len(PREDICATES) + 1, 3), dtype=np.int64)
    learned_ev = np.zeros_like(learned)
    rules = np.zeros_like(learned)
    rules_ev = np.zeros_like(learned)
    calib: list[tuple[float, bool]] = []
    for fold, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(np.zeros(n), groups=g_arr)):
        t0 = time.time()
        train = [prepared[i] for i in tr]
        if nested:
            inner = GroupKFold(n_splits=min(4, folds - 1))
            oof: list[Any] = [None] * len(train)
            for itr, ite in inner.split(np.zeros(len(train)), groups=g_arr[tr]):
                model = fit_examples([train[i].ex for i in itr], c=c, balance=balance)
                for i in ite:
                    oof[i] = probabilities(model, train[i].ex.cands, train[i].ex.rows)
            if candidate_thresholds:  # what `actorgraph train` does: no scorer, candidate labels only
                from collections import Counter

                from actorgraph.extract.learned.training import choose_thresholds as on_candidates

                gold_n = Counter(r["predicate"] for t in train for r in t.gd.gold["relations"])
                thr = on_candidates(oof, [t.ex.labels for t in train], gold_n, min_precision)
            else:
                thr = choose_thresholds(sc, train, oof, keep_rules, min_precision)
        else:
            thr = {SHARED: 0.5}
        model = fit_examples([p.ex for p in train], c=c, balance=balance)
        for i in te:
            p = prepared[i]
            probs = probabilities(model, p.ex.cands, p.ex.rows)
            pred = predictions(p, probs, thr, keep_rules)
            learned[i] = doc_counts(sc, p, pred)
            learned_ev[i] = doc_counts(sc, p, pred, evidence=True)
            base = p.base.to_json()
            rules[i] = doc_counts(sc, p, base)
            rules_ev[i] = doc_counts(sc, p, base, evidence=True)
            for (cl, pr), y in zip(probs, p.ex.labels, strict=True):  # the confidence a relation would carry
                k = max((j for j in range(len(cl)) if cl[j] != "none"), key=lambda j: pr[j], default=None)
                if k is not None:
                    calib.append((float(pr[k]), cl[k] == y))
        log(f"fold {fold + 1}: {len(te)} test documents, thresholds {json.dumps(thr)}, {time.time() - t0:.0f}s")
    return learned, learned_ev, rules, rules_ev, calib


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=DEFAULT_C)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--thresholds", choices=("nested", "fixed"), default="nested")
    ap.add_argument("--rules", choices=("keep", "features"), default="keep",
                    help="keep: the rules' relations stand and the model adds; features: the model alone decides")
    ap.add_argument("--min-precision", type=float, default=0.0,
                    help="choose each threshold for F1 among those reaching this precision on the inner folds")
    ap.add_argument("--balance", type=float, default=0.0,
                    help="weigh a class of n examples (n_largest / n) ** BALANCE when fitting")
    ap.add_argument("--threshold-rule", choices=("scorer", "candidates"), default="scorer",
                    help="choose inner thresholds with the scorer's matching, or on candidate labels "
                         "(what `actorgraph train` does)")
    ap.add_argument("--json", type=Path, help="also write the pooled counts here")
    ap.add_argument("--no-known-names", action="store_true", help="switch off the general-knowledge name list")
    args = ap.parse_args()
    use_known_names(not args.no_known_names)
    sc = scorer(args.shared)
    t0 = time.time()
    docs = load_corpus(args.shared, args.cache, load_model())
    prepared = prepare(docs)
    ncand = sum(len(p.ex.cands) for p in prepared)
    print(f"{len(prepared)} documents (locked ones excluded), {ncand} candidates, {time.time() - t0:.0f}s to prepare")
    with threadpool_limits(limits=1):
        learned, learned_ev, rules, rules_ev, calib = run(sc, prepared, args.folds, args.c,
                                                          args.thresholds == "nested", args.rules == "keep",
                                                          args.min_precision, print, args.balance,
                                                          args.threshold_rule == "candidates")
    print()
    for title, counts in (("rules only", rules), ("learned", learned)):
        print("\n".join(table(title, counts, args.boot)))
    for title, counts in (("rules only, evidence must overlap the gold sentence", rules_ev),
                          ("learned, evidence must overlap the gold sentence", learned_ev)):
        print("\n".join(table(title, counts, 0)))
    print("\n".join(charge_lines(sc, [(p.gd.gold, p.base.to_json()) for p in prepared])))  # rules only
    print("\n".join(alias_lines(sc, [(p.gd.gold, p.base.to_json()) for p in prepared])))  # rules only
    kept = [c for c in calib if c[0] >= 0.1]
    print(f"expected calibration error, 10 bins, out of fold, each candidate's most probable predicate: "
          f"{ece(calib):.3f} over all {len(calib)}, {ece(kept):.3f} over the {len(kept)} at >= 0.1")
    if args.json:
        args.json.write_text(json.dumps({"learned": learned.sum(0).tolist(), "rules": rules.sum(0).tolist()}))


if __name__ == "__main__":
    main()
