"""From candidates and a learned model to an `Extraction` in the extract contract (numpy only).

Actors, aliases and mentions are the rule pipeline's; relations are the model's: each candidate takes its most
probable predicate, kept when that probability reaches the predicate's threshold (chosen on cross-validation),
and the probability is the relation's `confidence`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from actorgraph.extract.learned.candidates import Candidate
from actorgraph.extract.learned.gold import NONE
from actorgraph.extract.learned.linear import LinearModel
from actorgraph.extract.model import Entity, Evidence, Extraction, Mention, Relation
from actorgraph.vocab import SYMMETRIC

SHARED = "_shared"
MODEL_VERSION = "learned.v0"


@dataclass
class LearnedModel:
    """The two classifiers: actor pairs (predicate and direction) and actor-charge pairs (ACCUSED_OF or not)."""

    pair: LinearModel
    charge: LinearModel
    version: str = MODEL_VERSION

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.pair.save(directory, "pair")
        self.charge.save(directory, "charge")
        (directory / "model.json").write_text(json.dumps({"version": self.version}) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> LearnedModel:
        meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        return cls(LinearModel.load(directory, "pair"), LinearModel.load(directory, "charge"), meta["version"])


def predicate_of(cls: str) -> str:
    return cls.rstrip("<>")


def threshold(thresholds: dict[str, float], predicate: str) -> float:
    return thresholds.get(predicate, thresholds.get(SHARED, 0.5))


def decide(classes: Sequence[str], probs: npt.NDArray[np.float64], thresholds: dict[str, float]
           ) -> list[tuple[str, float] | None]:
    """Per row: (class, probability) of the most probable non-`none` class if it reaches its threshold."""
    keep = [k for k, c in enumerate(classes) if c != NONE]
    out: list[tuple[str, float] | None] = []
    for row in probs:
        if not keep:
            out.append(None)
            continue
        k = max(keep, key=lambda j: row[j])
        cls = classes[k]
        out.append((cls, float(row[k])) if row[k] >= threshold(thresholds, predicate_of(cls)) else None)
    return out


def to_extraction(base: Extraction, cands: Sequence[Candidate], decisions: Sequence[tuple[str, float] | None],
                  ) -> Extraction:
    """`base`'s actors (charges dropped) with the decided relations, new CHARGE entities for their charges."""
    text = base.document.text
    entities = [e for e in base.entities if e.type != "CHARGE"]
    charges: dict[str, Entity] = {}
    relations: list[Relation] = []
    seen: set[tuple[str, str, str, int]] = set()
    for cand, dec in zip(cands, decisions, strict=True):
        if dec is None:
            continue
        cls, p = dec
        pred = predicate_of(cls)
        if cand.kind == "charge":
            ent = charges.get(cand.b.key)
            if ent is None:
                ent = Entity(f"c{len(charges) + 1}", "CHARGE", cand.b.key)
                charges[cand.b.key] = ent
            form = text[cand.b.start_char:cand.b.end_char]
            if not any(m.start == cand.b.start_char for m in ent.mentions):
                ent.mentions.append(Mention(cand.b.start_char, cand.b.end_char, form))
            subj, obj = cand.a.key, ent.id
        elif pred in SYMMETRIC or cls.endswith(">"):
            subj, obj = cand.a.key, cand.b.key
        else:
            subj, obj = cand.b.key, cand.a.key
        s, e = cand.sent.start_char, cand.sent.end_char
        while e > s and text[e - 1].isspace():
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        key = (subj, pred, obj, s)
        if key in seen:
            continue
        seen.add(key)
        relations.append(Relation(subj, pred, obj, Evidence(text[s:e], s, e), p, "learned"))
    return Extraction(base.document, entities + list(charges.values()), relations)
