"""A linear classifier over binary features, stored as JSON (vocabulary, classes, thresholds) plus .npy weights.

Nothing here imports scikit-learn or loads code: prediction is a sparse sum of weight rows and a softmax in
numpy, and the files are plain data (`numpy.load(..., allow_pickle=False)`), written byte-for-byte the same
for the same weights.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

FORMAT = "actorgraph-linear-v1"


@dataclass
class LinearModel:
    """Softmax over `classes` of (sum of the weight rows of the present features) + bias."""

    classes: list[str]
    features: list[str]
    weights: npt.NDArray[np.float32]  # (len(features), len(classes))
    bias: npt.NDArray[np.float32]  # (len(classes),)
    thresholds: dict[str, float] = field(default_factory=dict)
    _index: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)

    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {f: n for n, f in enumerate(self.features)}
        return self._index

    def proba(self, rows: Sequence[Sequence[str]]) -> npt.NDArray[np.float64]:
        """Class probabilities, one row per feature list."""
        idx = self.index()
        z = np.tile(self.bias.astype(np.float64), (len(rows), 1))
        for n, row in enumerate(rows):
            ids = [idx[f] for f in row if f in idx]
            if ids:
                z[n] += self.weights[ids].sum(axis=0, dtype=np.float64)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return np.asarray(z / z.sum(axis=1, keepdims=True), dtype=np.float64)

    def save(self, directory: Path, name: str) -> None:
        """`<name>.json` and `<name>.npy` in `directory` (weights rows, then the bias row)."""
        directory.mkdir(parents=True, exist_ok=True)
        meta = {"format": FORMAT, "classes": self.classes, "thresholds": dict(sorted(self.thresholds.items())),
                "features": self.features}
        (directory / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=0) + "\n",
                                                encoding="utf-8")
        table = np.vstack([self.weights, self.bias[None, :]]).astype("<f4")
        with (directory / f"{name}.npy").open("wb") as fh:
            np.save(fh, table, allow_pickle=False)

    @classmethod
    def load(cls, directory: Path, name: str) -> LinearModel:
        meta = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{directory / name}.json: not a {FORMAT} model")
        table = np.load(directory / f"{name}.npy", allow_pickle=False)
        return cls(list(meta["classes"]), list(meta["features"]), table[:-1], table[-1],
                   {k: float(v) for k, v in meta["thresholds"].items()})
