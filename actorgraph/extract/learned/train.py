"""Fitting the linear models with scikit-learn, deterministically (fixed solver, no shuffling, sorted vocabulary).

The same rows and labels give the same weights whatever PYTHONHASHSEED or the thread count: features are
sorted strings, the vocabulary is sorted, and the fit runs with one BLAS/OpenMP thread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from spacy.language import Language
from spacy.tokens import Doc
from threadpoolctl import threadpool_limits

from actorgraph.extract.extractor import _extract
from actorgraph.extract.learned.candidates import Candidate
from actorgraph.extract.learned.gold import NONE, entity_forms, label
from actorgraph.extract.learned.linear import LinearModel
from actorgraph.extract.learned.predict import SHARED, LearnedModel, featurise
from actorgraph.extract.model import Document
from actorgraph.extract.reader import read_documents
from actorgraph.extract.relations import RuleEngine, engine_for
from actorgraph.extract.segment import add_paragraph_starts
from actorgraph.vocab import PREDICATES

DEFAULT_C = 0.1
MIN_COUNT = 2
MAX_ITER = 1000
TOL = 1e-4


def vocabulary(rows: Sequence[Sequence[str]], min_count: int = MIN_COUNT) -> list[str]:
    """Features seen in at least `min_count` rows, sorted."""
    counts = Counter(f for row in rows for f in set(row))
    return sorted(f for f, n in counts.items() if n >= min_count)


def matrix(rows: Sequence[Sequence[str]], vocab: Sequence[str]) -> sparse.csr_matrix:
    """Binary CSR matrix of the rows over `vocab` (unknown features dropped)."""
    idx = {f: n for n, f in enumerate(vocab)}
    indptr, indices = [0], []
    for row in rows:
        ids = sorted({idx[f] for f in row if f in idx})
        indices.extend(ids)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
                             shape=(len(rows), len(vocab)))


def fit(rows: Sequence[Sequence[str]], labels: Sequence[str], *, c: float = DEFAULT_C,
        min_count: int = MIN_COUNT, balance: float = 0.0) -> LinearModel:
    """A multinomial logistic regression (L2, strength 1/c) over the rows' features; with `balance` > 0 a class
    of n examples weighs (n_largest / n) ** balance (rare predicates count more; probabilities then lean to them)."""
    vocab = vocabulary(rows, min_count)
    classes = sorted(set(labels) | {NONE})
    if len(classes) == 1:
        return LinearModel(classes, vocab, np.zeros((len(vocab), 1), np.float32), np.zeros(1, np.float32))
    x = matrix(rows, vocab)
    y = np.array([classes.index(lab) for lab in labels])
    weights = None
    if balance > 0:
        counts = Counter(labels)
        top = max(counts.values())
        weights = {classes.index(k): (top / n) ** balance for k, n in sorted(counts.items())}
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=MAX_ITER, tol=TOL, class_weight=weights)
    with threadpool_limits(limits=1):  # one BLAS thread: the same sums in the same order, whatever the machine
        clf.fit(x, y)
    coef, bias = clf.coef_, clf.intercept_
    if coef.shape[0] == 1:  # binary: softmax over (0, w.x + b) is the logistic
        coef = np.vstack([np.zeros_like(coef), coef])
        bias = np.array([0.0, bias[0]])
    present = [classes[k] for k in clf.classes_]
    order = [present.index(cl) for cl in classes if cl in present]
    weights = coef[order].T.astype(np.float32)
    return LinearModel([classes[k] for k in clf.classes_], vocab, np.ascontiguousarray(weights),
                       bias[order].astype(np.float32))


@dataclass
class Examples:
    """One document's candidates with their features and gold labels."""

    cands: list[Candidate]
    rows: list[list[str]]
    labels: list[str]


def examples(doc: Doc, document: Document, gold: dict[str, Any], engine: RuleEngine) -> Examples:
    """Candidates of a parsed document, featurised by the prediction path, labelled from its gold line."""
    base = _extract(doc, document, engine)
    cands, rows = featurise(doc, document, engine)
    return Examples(cands, rows, label(cands, entity_forms(base.entities), gold, document.text, PREDICATES))


def fit_examples(items: Sequence[Examples], *, c: float = DEFAULT_C, min_count: int = MIN_COUNT,
                 thresholds: dict[str, float] | None = None, balance: float = 0.0) -> LearnedModel:
    """The pair model on actor pairs (in and across sentences) and the charge model on actor-charge pairs."""
    def part(charge: bool) -> tuple[list[list[str]], list[str]]:
        rows = [r for e in items for r, k in zip(e.rows, e.cands, strict=True) if (k.kind == "charge") == charge]
        ys = [y for e in items for y, k in zip(e.labels, e.cands, strict=True) if (k.kind == "charge") == charge]
        return rows, ys

    pair = fit(*part(False), c=c, min_count=min_count, balance=balance)
    charge = fit(*part(True), c=c, min_count=min_count, balance=balance)
    model = LearnedModel(pair, charge)
    model.set_thresholds(thresholds or {SHARED: 0.5})
    return model


def train(gold_rows: Sequence[dict[str, Any]], root: Path, nlp: Language, *, c: float = DEFAULT_C,
          thresholds: dict[str, float] | None = None) -> LearnedModel:
    """Parse the gold's documents (paths relative to `root`), label their candidates and fit the models."""
    engine = engine_for(nlp)
    add_paragraph_starts(nlp)
    docs = []
    for g in gold_rows:
        found = list(read_documents([str(root / g["doc"])]))
        if len(found) != 1:
            raise ValueError(f"{g['doc']}: cannot read the annotated document")
        docs.append(found[0])
    parsed = nlp.pipe((d.text for d in docs), batch_size=20)
    items = [examples(p, d, g, engine) for p, d, g in zip(parsed, docs, gold_rows, strict=True)]
    return fit_examples(items, c=c, thresholds=thresholds)
