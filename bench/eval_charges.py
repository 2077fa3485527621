"""Charge quality of the rules-only extractor on the non-locked training documents.

Usage: python bench/eval_charges.py [--shared ../shared] [--cache DIR] [--junk] [--missed]

Charges: the gold CHARGE entities against the predicted ones (those an asserted relation points to), matched one
to one per document. "exact" counts a prediction whose normalised name (score.py's `norm`) equals the normalised
name or an alias of a gold charge; "containment" is the scorer's own charge matching (any surface form of one
inside one of the other). Relations: score.py's matching, per predicate and micro, pooled over the documents.
--junk lists the predicted charges that match no gold charge of their document (containment), --missed the
gold charges no prediction matches exactly. The locked documents (bench/locked.txt) are never read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learned_common import DEFAULT_CACHE, DEFAULT_SHARED, load_corpus, scorer

from actorgraph.extract.extractor import _extract
from actorgraph.extract.nlp import load_model
from actorgraph.extract.relations import engine_for
from actorgraph.vocab import PREDICATES

Pair = tuple[dict[str, Any], dict[str, Any]]  # (gold line, predicted extraction as JSON)


def _asserted_charges(pred: dict[str, Any]) -> list[dict[str, Any]]:
    used = {r.get("object") for r in pred.get("relations") or [] if not r.get("negated")}
    return [e for e in pred.get("entities") or [] if e.get("type") == "CHARGE" and e.get("id") in used]


def charge_counts(sc: ModuleType, gold: dict[str, Any], pred: dict[str, Any]
                  ) -> tuple[int, int, int, int, list[str], list[str]]:
    """(exact tp, containment tp, predicted, gold, junk names, missed gold names) for one document."""
    g_ents = [e for e in gold["entities"] if e["type"] == "CHARGE"]
    p_ents = _asserted_charges(pred)
    gdoc, pdoc = sc.Doc(g_ents, []), sc.Doc(p_ents, [])

    def exact(p: dict[str, Any], g: dict[str, Any]) -> bool:
        return sc.norm(p["name"]) in gdoc.forms[g["id"]]

    def contained(p: dict[str, Any], g: dict[str, Any]) -> bool:
        return bool(sc.charge_match(pdoc, p["id"], gdoc, g["id"]))

    tp_exact, _, missed = sc.greedy_matches(p_ents, g_ents, exact)
    tp_contain, junk, _ = sc.greedy_matches(p_ents, g_ents, contained)
    junk = [p for p in junk if not any(contained(p, g) for g in g_ents)]
    return (tp_exact, tp_contain, len(p_ents), len(g_ents), [p["name"] for p in junk],
            [g["name"] for g in missed])


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def charge_lines(sc: ModuleType, pairs: Iterable[Pair]) -> list[str]:
    """A small table of exact-match and containment charge P/R/F1 over (gold, prediction) pairs."""
    tot = [0, 0, 0, 0]
    for gold, pred in pairs:
        for k, v in enumerate(charge_counts(sc, gold, pred)[:4]):
            tot[k] += v
    lines = ["### charges", "", "| match | tp | pred | gold | P | R | F1 |", "|---|---|---|---|---|---|---|"]
    for name, tp in (("exact", tot[0]), ("containment", tot[1])):
        p, r, f = _prf(tp, tot[2], tot[3])
        lines.append(f"| {name} | {tp} | {tot[2]} | {tot[3]} | {p:.2f} | {r:.2f} | {f:.2f} |")
    return [*lines, ""]


def relation_lines(sc: ModuleType, pairs: Sequence[Pair]) -> list[str]:
    """Per-predicate and micro relation P/R/F1 with score.py's matching."""
    counts = {name: [0, 0, 0] for name in PREDICATES}
    for gold_line, pred in pairs:
        gold = sc.Doc(gold_line["entities"], gold_line["relations"])
        asserted = [r for r in pred.get("relations") or [] if not r.get("negated")]
        pd = sc.Doc(pred.get("entities") or [], asserted)
        for name in PREDICATES:
            prs = [r for r in sc.dedupe_relations(pd) if r.get("predicate") == name]
            grs = [r for r in gold.relations if r["predicate"] == name]
            tp, _, _ = sc.greedy_matches(prs, grs, lambda a, g, pd=pd, gold=gold: sc.rel_match(pd, a, gold, g))
            for k, v in enumerate((tp, len(prs), len(grs))):
                counts[name][k] += v
    lines = ["### relations (rules only)", "", "| | tp | pred | gold | P | R | F1 |", "|---|---|---|---|---|---|---|"]
    micro = [0, 0, 0]
    for name in PREDICATES:
        c = counts[name]
        micro = [a + b for a, b in zip(micro, c, strict=True)]
        if c[1] or c[2]:
            lines.append(f"| {name} | {c[0]} | {c[1]} | {c[2]} | " + " | ".join(f"{x:.2f}" for x in _prf(*c)) + " |")
    lines.append(f"| micro | {micro[0]} | {micro[1]} | {micro[2]} | "
                 + " | ".join(f"{x:.2f}" for x in _prf(micro[0], micro[1], micro[2])) + " |")
    return [*lines, ""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--junk", action="store_true", help="list predicted charges that match no gold charge")
    ap.add_argument("--missed", action="store_true", help="list gold charges no prediction matches exactly")
    args = ap.parse_args()
    sc = scorer(args.shared)
    nlp = load_model()
    engine = engine_for(nlp)
    docs = load_corpus(args.shared, args.cache, nlp)
    pairs = [(gd.gold, _extract(gd.doc, gd.document, engine).to_json()) for gd in docs]
    print(f"{len(pairs)} documents (locked ones excluded)\n")
    print("\n".join(charge_lines(sc, pairs)))
    print("\n".join(relation_lines(sc, pairs)))
    if args.junk or args.missed:
        for gd, (gold, pred) in zip(docs, pairs, strict=True):
            _, _, _, _, junk, missed = charge_counts(sc, gold, pred)
            for name in junk if args.junk else []:
                print(f"junk    {gd.path}: {name}")
            for name in missed if args.missed else []:
                print(f"missed  {gd.path}: {name}")


if __name__ == "__main__":
    main()
