"""Fitting the linear models with scikit-learn, deterministically (fixed solver, no shuffling, sorted vocabulary).

The same rows and labels give the same weights whatever PYTHONHASHSEED or the thread count: features are
sorted strings, the vocabulary is sorted, and L-BFGS on a sparse matrix runs single-threaded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from actorgraph.extract.learned.gold import NONE
from actorgraph.extract.learned.linear import LinearModel

DEFAULT_C = 0.5
MIN_COUNT = 2
MAX_ITER = 2000


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
        min_count: int = MIN_COUNT) -> LinearModel:
    """A multinomial logistic regression (L2, strength 1/c) over the rows' features."""
    vocab = vocabulary(rows, min_count)
    classes = sorted(set(labels) | {NONE})
    if len(classes) == 1:
        return LinearModel(classes, vocab, np.zeros((len(vocab), 1), np.float32), np.zeros(1, np.float32))
    x = matrix(rows, vocab)
    y = np.array([classes.index(lab) for lab in labels])
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=MAX_ITER, tol=1e-6)
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
