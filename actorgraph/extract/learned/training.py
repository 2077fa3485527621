"""`actorgraph train`: from a gold file in the annotation format to a model directory, deterministically.

Read and check the gold lines, parse their documents, build and label candidates (the prediction path's
features), choose per-predicate thresholds on out-of-fold probabilities of a grouped k-fold (near-duplicate
stories stay in one fold), fit on everything and write the model directory (JSON + .npy, never pickle). The
same gold gives the same bytes whatever PYTHONHASHSEED or the thread count: nothing time- or machine-dependent
goes into the files (the training time is reported, not stored).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from actorgraph.errors import ConfigError, InputError
from actorgraph.vocab import ENTITY_TYPES, PREDICATES

DEFAULT_FOLDS = 5
MIN_OWN_THRESHOLD = 50  # predicates with fewer gold relations share one threshold
GRID = tuple(round(float(x), 2) for x in np.arange(0.10, 0.91, 0.05))
Log = Callable[[str], None]
Probs = list[tuple[list[str], npt.NDArray[np.float64]]]


@dataclass
class TrainReport:
    """What `train_model` wrote and how it went."""

    directory: Path
    version: str
    documents: int
    candidates: int
    thresholds: dict[str, float]
    seconds: float
    ece: float | None  # expected calibration error of the out-of-fold probabilities (None: too few documents)


# -- the gold file --------------------------------------------------------------------------------------------


def _gold_problem(row: Any) -> str | None:
    """What is wrong with one parsed gold line (the annotation format), or None."""
    if not isinstance(row, dict):
        return f"expected a JSON object, got {type(row).__name__}"
    if not isinstance(row.get("doc"), str) or not row["doc"].strip():
        return 'missing "doc" (the document\'s path, relative to --root)'
    entities, relations = row.get("entities"), row.get("relations")
    if not isinstance(entities, list):
        return '"entities" must be a list'
    if not isinstance(relations, list):
        return '"relations" must be a list'
    ids: set[str] = set()
    for i, e in enumerate(entities):
        if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not isinstance(e.get("name"), str):
            return f'entities[{i}]: needs string "id" and "name"'
        if e.get("type") not in ENTITY_TYPES:
            known = ", ".join(sorted(ENTITY_TYPES))
            return f"entities[{i}].type: {e.get('type')!r} is not an entity type (one of {known})"
        aliases = e.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            return f"entities[{i}].aliases: must be a list of strings"
        ids.add(e["id"])
    for i, r in enumerate(relations):
        if not isinstance(r, dict):
            return f"relations[{i}]: expected an object"
        if r.get("predicate") not in PREDICATES:
            known = ", ".join(sorted(PREDICATES))
            return f"relations[{i}].predicate: {r.get('predicate')!r} is not a predicate (one of {known})"
        for end in ("subject", "object"):
            if r.get(end) not in ids:
                return f"relations[{i}].{end}: {r.get(end)!r} is not an entity id of this line"
        if not isinstance(r.get("evidence"), str) or not r["evidence"].strip():
            return f"relations[{i}].evidence: must be the sentence that states it (a string)"
    return None


def read_gold(path: Path) -> tuple[list[dict[str, Any]], str]:
    """The gold lines of `path` (checked) and the file's sha256; InputError naming file:line on a bad line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}", hint="pass the gold JSON Lines file") from exc
    rows: list[dict[str, Any]] = []
    hint = "each line: {\"doc\": PATH, \"entities\": [...], \"relations\": [...]} (docs/model-card.md)"
    for n, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}: not JSON ({exc.msg})", hint=hint) from None
        problem = _gold_problem(row)
        if problem:
            raise InputError(f"{path}:{n}: {problem}", hint=hint)
        rows.append(row)
    if not rows:
        raise InputError(f"{path}: no annotated documents", hint=hint)
    return rows, hashlib.sha256(raw).hexdigest()


def read_exclude(path: Path) -> set[str]:
    """Document paths to leave out (one a line, as in the gold's "doc"; # starts a comment)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}",
                          hint="--exclude takes a file of paths") from exc
    return {ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")}


# -- thresholds and calibration, on candidate labels ------------------------------------------------------------


def _top(classes: Sequence[str], p: npt.NDArray[np.float64]) -> tuple[str, float] | None:
    keep = [k for k, c in enumerate(classes) if c != "none"]
    if not keep:
        return None
    k = max(keep, key=lambda j: p[j])
    return classes[k], float(p[k])


def _objective(tp: int, predicted: int, gold: int, min_precision: float) -> tuple[float, float]:
    """F1 among thresholds reaching `min_precision` first (then the most precise)."""
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return (1.0, f) if p >= min_precision else (0.0, p)


def choose_thresholds(probs: Sequence[Probs], labels: Sequence[Sequence[str]], gold_counts: Counter[str],
                      min_precision: float = 0.0) -> dict[str, float]:
    """Per predicate, the grid threshold with the best F1 of the candidates' top predictions against their
    labels (recall over the gold's relations of that predicate); predicates with under MIN_OWN_THRESHOLD gold
    relations share one threshold, chosen on their pooled counts."""
    from actorgraph.extract.learned.predict import SHARED, predicate_of

    tops = [(_top(cl, p), y) for doc_p, doc_y in zip(probs, labels, strict=True)
            for (cl, p), y in zip(doc_p, doc_y, strict=True)]
    small = sorted(name for name in PREDICATES if gold_counts[name] < MIN_OWN_THRESHOLD)

    def counts(names: Sequence[str], t: float) -> tuple[int, int, int]:
        tp = pr = 0
        for top, y in tops:
            if top is None or predicate_of(top[0]) not in names or top[1] < t:
                continue
            pr += 1
            tp += top[0] == y
        return tp, pr, sum(gold_counts[n] for n in names)

    out: dict[str, float] = {}
    for name in PREDICATES:
        if name not in small:
            out[name] = max(GRID, key=lambda t: (*_objective(*counts([name], t), min_precision), -t))
    if small:
        out[SHARED] = max(GRID, key=lambda t: (*_objective(*counts(small, t), min_precision), -t))
    return out


def calibration_pairs(probs: Sequence[Probs], labels: Sequence[Sequence[str]]) -> list[tuple[float, bool]]:
    """(probability, right) of each candidate's most probable predicate: what its relation's confidence says."""
    out = []
    for doc_p, doc_y in zip(probs, labels, strict=True):
        for (cl, p), y in zip(doc_p, doc_y, strict=True):
            top = _top(cl, p)
            if top is not None:
                out.append((top[1], top[0] == y))
    return out


def ece(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> float:
    """Expected calibration error over `bins` equal-width bins."""
    if not pairs:
        return 0.0
    p = np.array([x for x, _ in pairs])
    y = np.array([float(v) for _, v in pairs])
    idx = np.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(p[idx == b].mean() - y[idx == b].mean()) * (idx == b).sum()
                     for b in range(bins) if (idx == b).any()) / len(p))


# -- training ---------------------------------------------------------------------------------------------------


def out_of_fold(items: Sequence[Any], texts: dict[str, str], paths: Sequence[str], folds: int, c: float
                ) -> list[Probs]:
    """Each document's candidate probabilities from a model fitted without its near-duplicate group."""
    from sklearn.model_selection import GroupKFold

    from actorgraph.extract.learned.groups import near_duplicate_groups
    from actorgraph.extract.learned.predict import probabilities
    from actorgraph.extract.learned.train import fit_examples

    groups = near_duplicate_groups(texts)
    gid = {k: n for n, g in enumerate(groups) for k in g}
    g_arr = np.array([gid[p] for p in paths])
    oof: list[Probs] = [[] for _ in items]
    for tr, te in GroupKFold(n_splits=folds).split(np.zeros(len(items)), groups=g_arr):
        model = fit_examples([items[i] for i in tr], c=c)
        for i in te:
            oof[i] = probabilities(model, items[i].cands, items[i].rows)
    return oof


def train_model(gold: Path, root: Path, output: Path, *, exclude: Path | None = None, min_precision: float = 0.0,
                c: float | None = None, folds: int = DEFAULT_FOLDS, spacy_model: str | None = None,
                log: Log | None = None) -> TrainReport:
    """Train the relation model on the annotated documents of `gold` (paths relative to `root`), leaving out the
    paths listed in `exclude`, and write it to `output`. Thresholds are chosen for F1 (among those reaching
    `min_precision`, when any do) on out-of-fold predictions; fewer than `folds` documents: no folds, 0.5."""
    from threadpoolctl import threadpool_limits

    from actorgraph.extract.extractor import _extract
    from actorgraph.extract.learned.gold import entity_forms, label
    from actorgraph.extract.learned.predict import SHARED, featurise
    from actorgraph.extract.learned.train import DEFAULT_C, Examples, fit_examples
    from actorgraph.extract.nlp import load_model
    from actorgraph.extract.reader import read_documents
    from actorgraph.extract.relations import engine_for
    from actorgraph.extract.segment import add_paragraph_starts

    say = log or (lambda _msg: None)
    c = DEFAULT_C if c is None else c
    if not 0.0 <= min_precision <= 1.0:
        raise ConfigError(f"--min-precision must lie in 0..1, not {min_precision}")
    if folds < 2:
        raise ConfigError(f"folds must be at least 2, not {folds}")
    t0 = time.monotonic()
    rows, gold_sha = read_gold(gold)
    left_out = read_exclude(exclude) if exclude is not None else set()
    rows = [r for r in rows if r["doc"] not in left_out]
    if not rows:
        raise InputError(f"{gold}: every document is excluded", hint="check --exclude")
    if len({r["doc"] for r in rows}) != len(rows):
        dup = next(d for d, n in Counter(r["doc"] for r in rows).items() if n > 1)
        raise InputError(f"{gold}: {dup} is annotated twice", hint="one line per document")
    documents = []
    for r in rows:
        found = list(read_documents([str(root / r["doc"])], on_skip=lambda _p, _r: None))
        if len(found) != 1:
            raise InputError(f"{gold}: cannot read {root / r['doc']}",
                             hint="--root is the folder the gold's paths start from")
        documents.append(found[0])
    say(f"{len(rows)} annotated documents ({len(left_out)} paths excluded); parsing")
    nlp = load_model(spacy_model)
    add_paragraph_starts(nlp)
    engine = engine_for(nlp)
    items: list[Examples] = []
    for n, (parsed, document, g) in enumerate(zip(nlp.pipe((d.text for d in documents), batch_size=20),
                                                   documents, rows, strict=True), 1):
        base = _extract(parsed, document, engine)
        cands, feats = featurise(parsed, document, engine)
        items.append(Examples(cands, feats, label(cands, entity_forms(base.entities), g, document.text,
                                                  PREDICATES)))
        if n % 25 == 0 or n == len(rows):
            say(f"  {n}/{len(rows)} documents parsed")
    ncand = sum(len(e.cands) for e in items)
    gold_counts: Counter[str] = Counter(rel["predicate"] for r in rows for rel in r["relations"])
    calib: float | None = None
    with threadpool_limits(limits=1):  # one BLAS thread: the same sums in the same order, whatever the machine
        if len(items) >= folds:
            say(f"{ncand} candidates; choosing thresholds on {folds}-fold out-of-fold predictions")
            oof = out_of_fold(items, {r["doc"]: d.text for r, d in zip(rows, documents, strict=True)},
                              [r["doc"] for r in rows], folds, c)
            labels = [e.labels for e in items]
            thresholds = choose_thresholds(oof, labels, gold_counts, min_precision)
            calib = ece(calibration_pairs(oof, labels))
        else:
            say(f"{ncand} candidates; fewer documents than folds: one threshold of 0.5")
            thresholds = {SHARED: 0.5}
        say("fitting on all documents")
        model = fit_examples(items, c=c, thresholds=thresholds)
    model.meta = {
        "gold_sha256": gold_sha,
        "documents": len(rows),
        "excluded": len(left_out),
        "candidates": ncand,
        "relations": dict(sorted(gold_counts.items())),
        "c": c,
        "folds": folds,
        "min_precision": min_precision,
        "spacy_model": f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}",
        "oof_ece": None if calib is None else round(calib, 4),
    }
    version = model.save(output)
    seconds = time.monotonic() - t0
    say(f"saved {version} to {output} in {seconds:.0f} s")
    return TrainReport(output, version, len(rows), ncand, thresholds, seconds, calib)
