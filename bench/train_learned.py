"""Train the learned relation extractor on the non-locked training documents; optionally predict the locked ones.

Usage: python bench/train_learned.py -o MODEL_DIR [--shared ../shared] [--cache DIR] [--c 0.1] [--min-precision 0]
                                     [--locked-out DIR]

Thresholds are chosen on out-of-fold predictions of a 5-fold GroupKFold over the same documents (as in
bench/eval_cv.py), then the models are fitted on all of them and saved to MODEL_DIR (JSON + .npy, no pickle).
With --locked-out, the locked documents (bench/locked.txt) are extracted with that model into DIR/pred.jsonl and
their gold lines copied to DIR/gold.jsonl, so that the one final score is
`python ../shared/eval/score.py DIR/gold.jsonl DIR/pred.jsonl --root ../shared`. Run that once, at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_cv import choose_thresholds, prepare
from learned_common import DEFAULT_CACHE, DEFAULT_SHARED, load_corpus, locked_paths, scorer

from actorgraph.extract.learned.groups import near_duplicate_groups
from actorgraph.extract.learned.predict import extract_parsed, probabilities
from actorgraph.extract.learned.train import DEFAULT_C, fit_examples
from actorgraph.extract.nlp import load_model
from actorgraph.extract.relations import engine_for


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", type=Path, required=True)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--c", type=float, default=DEFAULT_C)
    ap.add_argument("--min-precision", type=float, default=0.0)
    ap.add_argument("--locked-out", type=Path, help="write predictions and gold of the locked documents here")
    args = ap.parse_args()
    nlp = load_model()
    sc = scorer(args.shared)
    everything = load_corpus(args.shared, args.cache, nlp, include_locked=True)
    locked = locked_paths()
    prepared = prepare([d for d in everything if d.path not in locked])
    groups = near_duplicate_groups({p.gd.path: p.gd.document.text for p in prepared})
    gid = {k: n for n, g in enumerate(groups) for k in g}
    g_arr = np.array([gid[p.gd.path] for p in prepared])
    with threadpool_limits(limits=1):
        oof: list = [None] * len(prepared)
        for tr, te in GroupKFold(n_splits=5).split(np.zeros(len(prepared)), groups=g_arr):
            model = fit_examples([prepared[i].ex for i in tr], c=args.c)
            for i in te:
                oof[i] = probabilities(model, prepared[i].ex.cands, prepared[i].ex.rows)
        thresholds = choose_thresholds(sc, prepared, oof, True, args.min_precision)
        model = fit_examples([p.ex for p in prepared], c=args.c, thresholds=thresholds)
    model.save(args.output)
    print(f"trained on {len(prepared)} documents, thresholds {json.dumps(thresholds)}; saved to {args.output}")
    if args.locked_out:
        args.locked_out.mkdir(parents=True, exist_ok=True)
        engine = engine_for(nlp)
        held = [d for d in everything if d.path in locked]
        with (args.locked_out / "pred.jsonl").open("w", encoding="utf-8") as fh:
            for d in held:
                fh.write(json.dumps(extract_parsed(d.doc, d.document, engine, model).to_json()) + "\n")
        with (args.locked_out / "gold.jsonl").open("w", encoding="utf-8") as fh:
            for d in held:
                fh.write(json.dumps(d.gold) + "\n")
        print(f"locked predictions in {args.locked_out}; score once with: python {args.shared}/eval/score.py "
              f"{args.locked_out}/gold.jsonl {args.locked_out}/pred.jsonl --root {args.shared}")


if __name__ == "__main__":
    main()
