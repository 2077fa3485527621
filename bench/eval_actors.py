"""Actors and aliases of today's rules on the non-locked training documents: actor P/R/F1, alias precision and
the relation micro P/R/F1, with 95 % bootstrap intervals over documents.

Usage: python bench/eval_actors.py [--shared ../shared] [--cache DIR] [--boot 1000] [--no-known-names]
                                   [--errors OUT.jsonl] [--actor-errors OUT.jsonl]

The rules have nothing to fit, so the figures pooled over the cross-validation folds are the figures pooled over
the 173 documents; this script computes them directly (seconds, from the cached parses) and `eval_cv.py` prints
the alias line too. `--no-known-names` switches off the general-knowledge name list
(`patterns/entities_known_names.txt`) to show what the rules do without it. The locked documents are never read.

The relation-end line counts the distinct PERSON/ORG ends of gold relations and how many of them no predicted
actor of the same type names (a shared normalised surface form): relations with such an end cannot be found by
any relation extractor downstream, so this is the actor part of the candidate ceiling. `--actor-errors` writes
each missed gold actor and each spurious predicted one, one JSON object per line, for reading.

Alias precision, precisely: the actors (PERSON, ORG) of a prediction are matched one-to-one to the gold actors as
`../shared/eval/score.py` matches them (same type, a shared normalised surface form, greedy in prediction order).
For each matched predicted actor, each distinct alias is normalised with the scorer's `norm`; aliases that
normalise to nothing or to the predicted actor's own normalised name are not counted (they claim nothing new). An
alias is correct when its normalised form is among the matched gold actor's surface forms as the scorer computes
them (name, aliases, and mention texts where a gold line has them). Alias precision is correct / counted, pooled
over documents. Aliases of unmatched predicted actors are not counted (actor precision already charges those).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learned_common import DEFAULT_CACHE, DEFAULT_SHARED, GoldDoc, load_corpus, scorer

from actorgraph.extract.aliases import known_names_on, use_known_names
from actorgraph.extract.extractor import _extract
from actorgraph.extract.nlp import load_model
from actorgraph.extract.relations import engine_for


def alias_counts(sc: ModuleType, pred_entities: Sequence[dict[str, Any]], gold_entities: Sequence[dict[str, Any]],
                 wrong: list[tuple[str, str, str]] | None = None) -> tuple[int, int]:
    """(correct, counted) aliases of one document's predicted actors, as the module docstring defines them;
    the wrong ones are appended to `wrong` as (predicted name, alias, gold name) when a list is given."""
    pa = [e for e in pred_entities if e.get("type") in sc.ACTOR_TYPES]
    ga = [e for e in gold_entities if e.get("type") in sc.ACTOR_TYPES]
    used: set[int] = set()
    correct = counted = 0
    for p in pa:
        forms = sc.surface_forms(p)
        hit = next((i for i, g in enumerate(ga) if i not in used and p.get("type") == g["type"]
                    and forms & sc.surface_forms(g)), None)
        if hit is None:
            continue
        used.add(hit)
        gold_forms = sc.surface_forms(ga[hit])
        own = sc.norm(p.get("name", ""))
        seen: set[str] = set()
        for alias in p.get("aliases") or []:
            n = sc.norm(alias)
            if not n or n == own or n in seen:
                continue
            seen.add(n)
            counted += 1
            if n in gold_forms:
                correct += 1
            elif wrong is not None:
                wrong.append((p.get("name", ""), alias, ga[hit]["name"]))
    return correct, counted


def actor_errors(sc: ModuleType, pred_entities: Sequence[dict[str, Any]],
                 gold_entities: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Missed gold actors and spurious predicted ones of one document, matched as the scorer matches them; each
    says whether an entity of another type carries the form ("type:GPE") or a form overlaps ("partial")."""
    pa = [e for e in pred_entities if e.get("type") in sc.ACTOR_TYPES]
    ga = [e for e in gold_entities if e.get("type") in sc.ACTOR_TYPES]
    _, spurious, missed = sc.greedy_matches(pa, ga, lambda a, g: a.get("type") == g["type"]
                                            and bool(sc.surface_forms(a) & sc.surface_forms(g)))

    def kind(forms: set[str], others: Sequence[dict[str, Any]]) -> str:
        same = sorted({o.get("type", "") for o in others if sc.surface_forms(o) & forms})
        if same:
            return "type:" + "/".join(same)
        if any(a in b or b in a for o in others for a in sc.surface_forms(o) for b in forms if min(len(a), len(b)) > 2):
            return "partial"
        return "none"

    out = [{"error": "missed", "type": g["type"], "name": g["name"], "aliases": g.get("aliases") or [],
            "kind": kind(sc.surface_forms(g), pred_entities)} for g in missed]
    out += [{"error": "spurious", "type": p["type"], "name": p.get("name", ""), "aliases": p.get("aliases") or [],
             "kind": kind(sc.surface_forms(p), gold_entities)} for p in spurious]
    return out


def unfound_ends(sc: ModuleType, pred_entities: Sequence[dict[str, Any]], gold: dict[str, Any]) -> tuple[int, int]:
    """(PERSON/ORG ends of the gold relations, how many of them no predicted actor of their type names)."""
    gd = sc.Doc(gold["entities"], gold["relations"])
    ends = {r[k] for r in gold["relations"] for k in ("subject", "object") if gd.types.get(r[k]) in sc.ACTOR_TYPES}
    pa = [e for e in pred_entities if e.get("type") in sc.ACTOR_TYPES]
    lost = sum(not any(p["type"] == gd.types[e] and sc.surface_forms(p) & gd.forms[e] for p in pa) for e in ends)
    return len(ends), lost


def alias_lines(sc: ModuleType, pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> list[str]:
    """One line of alias precision over (gold line, prediction) pairs, for `eval_cv.py`'s report."""
    good = counted = 0
    for gold, pred in pairs:
        g, c = alias_counts(sc, pred.get("entities") or [], gold["entities"])
        good, counted = good + g, counted + c
    state = "on" if known_names_on() else "off"
    return [f"alias precision of the pipeline's actors (bench/eval_actors.py defines it): {good}/{counted} = "
            f"{good / counted if counted else 0.0:.3f}; known names {state}"]


def doc_rows(sc: ModuleType, gd: GoldDoc, pred: dict[str, Any]) -> np.ndarray:
    """[[tp, predicted, gold] for actors, [correct, counted, 0] for aliases, [tp, predicted, gold] relations]."""
    gold = sc.Doc(gd.gold["entities"], gd.gold["relations"])
    asserted = [r for r in pred.get("relations") or [] if not r.get("negated")]
    pd = sc.Doc(pred.get("entities") or [], asserted)
    pa = [e for e in pd.entities if e.get("type") in sc.ACTOR_TYPES]
    ga = [e for e in gold.entities if e.get("type") in sc.ACTOR_TYPES]
    tp, _, _ = sc.greedy_matches(pa, ga, lambda a, g: a.get("type") == g["type"]
                                 and bool(sc.surface_forms(a) & sc.surface_forms(g)))
    rel = np.zeros(3, dtype=np.int64)
    for name in sc.PREDICATES:
        prs = [r for r in sc.dedupe_relations(pd) if r.get("predicate") == name]
        grs = [r for r in gold.relations if r["predicate"] == name]
        rtp, _, _ = sc.greedy_matches(prs, grs, lambda a, g: bool(sc.rel_match(pd, a, gold, g)))
        rel += (rtp, len(prs), len(grs))
    good, counted = alias_counts(sc, pd.entities, gold.entities)
    return np.array([(tp, len(pa), len(ga)), (good, counted, 0), tuple(rel)], dtype=np.int64)


def figures(rows: np.ndarray) -> dict[str, tuple[float, ...]]:
    """rows: [doc, 3, 3] -> actors (P, R, F1), aliases (precision,), relations (P, R, F1)."""
    tot = rows.sum(axis=0)

    def prf(c: np.ndarray) -> tuple[float, float, float]:
        p = c[0] / c[1] if c[1] else 0.0
        r = c[0] / c[2] if c[2] else 0.0
        return float(p), float(r), float(2 * p * r / (p + r) if p + r else 0.0)

    return {"actors": prf(tot[0]), "aliases": (float(tot[1, 0] / tot[1, 1]) if tot[1, 1] else 0.0,),
            "relations": prf(tot[2])}


def intervals(rows: np.ndarray, n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """name -> [[lo, hi] per figure], 95 % percentile bootstrap over documents."""
    rng = np.random.default_rng(seed)
    samples: dict[str, list[tuple[float, ...]]] = {}
    for _ in range(n):
        for k, v in figures(rows[rng.integers(0, len(rows), len(rows))]).items():
            samples.setdefault(k, []).append(v)
    return {k: np.percentile(np.array(v), [2.5, 97.5], axis=0).T for k, v in samples.items()}


def report(rows: np.ndarray, boot: int) -> list[str]:
    """Markdown lines: actor P/R/F1, alias precision, relation micro P/R/F1, with intervals."""
    fig, ci = figures(rows), intervals(rows, boot) if boot else {}
    tot = rows.sum(axis=0)
    out = ["| | tp | pred | gold | P | R | F1 |", "|---|---|---|---|---|---|---|"]
    for name, row in (("actors", tot[0]), ("relations (micro)", tot[2])):
        key = name.split()[0]
        cells = [f"{v:.3f}" + (f" ({ci[key][k][0]:.3f}–{ci[key][k][1]:.3f})" if ci else "")
                 for k, v in enumerate(fig[key])]
        out.append(f"| {name} | {row[0]} | {row[1]} | {row[2]} | " + " | ".join(cells) + " |")
    band = f" ({ci['aliases'][0][0]:.3f}–{ci['aliases'][0][1]:.3f})" if ci else ""
    out.append(f"| aliases | {tot[1, 0]} | {tot[1, 1]} | | {fig['aliases'][0]:.3f}{band} | | |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--no-known-names", action="store_true", help="switch off the general-knowledge name list")
    ap.add_argument("--errors", type=Path, help="write the wrong aliases here, one JSON array per line")
    ap.add_argument("--actor-errors", type=Path, help="write missed and spurious actors here, one JSON per line")
    args = ap.parse_args()
    use_known_names(not args.no_known_names)
    sc = scorer(args.shared)
    t0 = time.time()
    nlp = load_model()
    docs = load_corpus(args.shared, args.cache, nlp)
    engine = engine_for(nlp)
    rows, wrong, actor_wrong = [], [], []
    ends = lost = 0
    for gd in docs:
        pred = _extract(gd.doc, gd.document, engine).to_json()
        rows.append(doc_rows(sc, gd, pred))
        n, k = unfound_ends(sc, pred.get("entities") or [], gd.gold)
        ends, lost = ends + n, lost + k
        if args.actor_errors:
            actor_wrong += [{"doc": gd.path, **e} for e in actor_errors(sc, pred.get("entities") or [],
                                                                         gd.gold["entities"])]
        if args.errors:
            bad: list[tuple[str, str, str]] = []
            alias_counts(sc, pred.get("entities") or [], gd.gold["entities"], bad)
            wrong += [(gd.path, *b) for b in bad]
    print(f"{len(docs)} documents (locked ones excluded), known names {'off' if args.no_known_names else 'on'}, "
          f"{time.time() - t0:.0f}s")
    print("\n".join(report(np.array(rows), args.boot)))
    print(f"relation ends (PERSON/ORG) no predicted actor names: {lost}/{ends} = {lost / ends if ends else 0.0:.3f}")
    if args.actor_errors:
        args.actor_errors.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in actor_wrong),
                                     encoding="utf-8")
    if args.errors:
        args.errors.write_text("".join(json.dumps(w, ensure_ascii=False) + "\n" for w in wrong), encoding="utf-8")


if __name__ == "__main__":
    main()
