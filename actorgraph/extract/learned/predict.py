"""From candidates and a learned model to an `Extraction` in the extract contract (numpy only).

Actors, aliases and mentions are the rule pipeline's; relations are the model's: each candidate takes its most
probable predicate, kept when that probability reaches the predicate's threshold (chosen on cross-validation),
and the probability is the relation's `confidence`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from spacy.language import Language
from spacy.tokens import Doc, Token

from actorgraph.extract.extractor import RulePass, _extract, rule_pass
from actorgraph.extract.learned.candidates import Candidate, build
from actorgraph.extract.learned.features import candidate_features
from actorgraph.extract.learned.linear import LinearModel
from actorgraph.extract.model import Document, Entity, Evidence, Extraction, Mention, Relation
from actorgraph.extract.relations import RuleEngine, engine_for, read_claim
from actorgraph.extract.segment import add_paragraph_starts
from actorgraph.vocab import SYMMETRIC

NONE = "none"

SHARED = "_shared"
FORMAT = "actorgraph-relations-v1"
#: The candidates and features this code computes; a model trained on another set is refused at load.
FEATURE_SET = "relation-features-v1"
PARTS = ("pair", "charge")


@dataclass
class LearnedModel:
    """The two classifiers: actor pairs (predicate and direction) and actor-charge pairs (ACCUSED_OF or not).

    `version` is `relations-<sha256 prefix of the weight and vocabulary files>`: what each relation it makes
    records (`rule: model:<version>`). `meta` is what training records about its data (gold hash, counts)."""

    pair: LinearModel
    charge: LinearModel
    keep_rules: bool = True  # the hand rules' relations stand; the model adds to them
    meta: dict[str, Any] = field(default_factory=dict)
    _version: str | None = field(default=None, repr=False, compare=False)

    @property
    def version(self) -> str:
        if self._version is None:
            digest = hashlib.sha256()
            for part in (self.pair, self.charge):
                digest.update(json.dumps([part.classes, part.features, sorted(part.thresholds.items())],
                                         ensure_ascii=False).encode("utf-8"))
                digest.update(np.ascontiguousarray(part.weights, dtype="<f4").tobytes())
                digest.update(np.ascontiguousarray(part.bias, dtype="<f4").tobytes())
            self._version = f"relations-{digest.hexdigest()[:12]}"
        return self._version

    def save(self, directory: Path) -> str:
        """`model.json`, `pair.json`/`.npy`, `charge.json`/`.npy` in `directory` (plain data); the version."""
        directory.mkdir(parents=True, exist_ok=True)
        self.pair.save(directory, "pair")
        self.charge.save(directory, "charge")
        meta = {"format": FORMAT, "version": self.version, "feature_set": FEATURE_SET,
                "keep_rules": self.keep_rules, "thresholds": dict(sorted(self.pair.thresholds.items())),
                **self.meta}
        (directory / "model.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
        return self.version

    def extract(self, doc: Doc, document: Document, engine: RuleEngine) -> Extraction:
        """One parsed document: the rules' extraction with this model's relations added."""
        return extract_parsed(doc, document, engine, self)

    def set_thresholds(self, thresholds: dict[str, float]) -> None:
        """Per-predicate probability thresholds (SHARED for the rest), kept in both models' files."""
        self.pair.thresholds = dict(thresholds)
        self.charge.thresholds = dict(thresholds)
        self._version = None

    def model_for(self, cand: Candidate) -> LinearModel:
        return self.charge if cand.kind == "charge" else self.pair

    @classmethod
    def load(cls, directory: Path) -> LearnedModel:
        """The model in `directory`; ValueError when it is not one, or was trained on another feature set."""
        meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        if meta.get("feature_set", FEATURE_SET) != FEATURE_SET:
            raise ValueError(f"{directory} was trained on features {meta.get('feature_set')!r}; this version "
                             f"computes {FEATURE_SET!r}: train it again")
        known = {"format", "version", "feature_set", "keep_rules", "thresholds"}
        model = cls(LinearModel.load(directory, "pair"), LinearModel.load(directory, "charge"),
                    bool(meta.get("keep_rules", True)), {k: v for k, v in meta.items() if k not in known})
        model._version = meta.get("version") or None
        return model


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
                  *, keep_rules: bool = False, rule: str = "learned", engine: RuleEngine | None = None
                  ) -> Extraction:
    """`base`'s actors with the decided relations and new CHARGE entities for their charges; with `keep_rules`,
    also `base`'s own relations (and charges), where the model found nothing for that pair and sentence. The
    model's relations carry `rule`; with the rules' `engine`, also the stage, negation and denial the rules
    read at the word that links the two ends (`anchor`)."""
    text = base.document.text
    entities = [e for e in base.entities if keep_rules or e.type != "CHARGE"]
    charges: dict[str, Entity] = {}
    relations: list[Relation] = []
    seen: set[tuple[str, str, str, int]] = set()
    if keep_rules:
        names = {e.id: e.name for e in base.entities if e.type == "CHARGE"}  # charges by name, actors by id
        for r in base.relations:
            seen.add((r.subject, r.predicate, names.get(r.object, r.object), r.evidence.start))
        relations.extend(base.relations)
    for cand, dec in zip(cands, decisions, strict=True):
        if dec is None:
            continue
        cls, p = dec
        pred = predicate_of(cls)
        if cand.kind == "charge":
            ent = charges.get(cand.b.key)
            if ent is None:
                ent = Entity(f"lc{len(charges) + 1}", "CHARGE", cand.b.key)
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
        key = (subj, pred, cand.b.key if cand.kind == "charge" else obj, s)
        if key in seen or (pred in SYMMETRIC and (obj, pred, subj, s) in seen):
            continue
        seen.add(key)
        stage, negated, denied = read_claim(anchor(cand), pred, engine) if engine is not None else (None, False, False)
        relations.append(Relation(subj, pred, obj, Evidence(text[s:e], s, e), round(p, 4), rule,
                                  denied=denied, negated=negated, stage=stage))
    return Extraction(base.document, entities + list(charges.values()), relations)


def anchor(cand: Candidate) -> Token:
    """The word a candidate's claim is read at: for a charge, the word it hangs on ("convicted" in "convicted
    of fraud", "denies" in "denies fraud"); for two actors, their lowest common head in the parse ("accused" in
    "X accused Y of ..."), or the head of the end in the evidence sentence when they are in two sentences."""
    doc = cand.sent.doc
    a, b = doc[cand.a.head], doc[cand.b.head]
    if cand.kind == "charge":
        tok = b
        while tok.head is not tok and (tok is b or tok.pos_ == "ADP"):
            tok = tok.head
        return tok
    above_a = {t.i for t in (a, *a.ancestors)}
    for tok in (b, *b.ancestors):
        if tok.i in above_a:
            return tok
    return a if cand.sent.start <= a.i < cand.sent.end else b


def featurise(doc: Doc, document: Document, engine: RuleEngine, reading: RulePass | None = None
              ) -> tuple[list[Candidate], list[list[str]]]:
    """Candidates of a parsed document and their features: the one path training and prediction share."""
    cands = build(doc, document, engine, reading).candidates
    return cands, [candidate_features(c) for c in cands]


def probabilities(model: LearnedModel, cands: Sequence[Candidate], rows: Sequence[Sequence[str]]
                  ) -> list[tuple[list[str], npt.NDArray[np.float64]]]:
    """Per candidate: (classes, probabilities) of the model for its kind."""
    out: list[tuple[list[str], npt.NDArray[np.float64]] | None] = [None] * len(cands)
    for m in (model.pair, model.charge):
        idx = [n for n, c in enumerate(cands) if model.model_for(c) is m]
        for n, p in zip(idx, m.proba([rows[n] for n in idx]), strict=True):
            out[n] = (m.classes, p)
    return [o for o in out if o is not None]


def decisions_for(probs: Sequence[tuple[list[str], npt.NDArray[np.float64]]], thresholds: dict[str, float]
                  ) -> list[tuple[str, float] | None]:
    return [decide(cl, p[None, :], thresholds)[0] for cl, p in probs]


def extract_parsed(doc: Doc, document: Document, engine: RuleEngine, model: LearnedModel) -> Extraction:
    """One parsed document: the rule pipeline's actors with the model's relations."""
    reading = rule_pass(doc, document, engine)  # made once, for the rules' extraction and the candidates
    base = _extract(doc, document, engine, reading)
    cands, rows = featurise(doc, document, engine, reading)
    decisions = decisions_for(probabilities(model, cands, rows), model.pair.thresholds)
    return to_extraction(base, cands, decisions, keep_rules=model.keep_rules, rule=f"model:{model.version}",
                         engine=engine)


def extract_docs(docs: Iterable[Document], nlp: Language, model: LearnedModel, batch_size: int = 50
                 ) -> Iterator[Extraction]:
    """Like `extractor.extract_docs`, with the learned model deciding the relations."""
    add_paragraph_starts(nlp)
    engine = engine_for(nlp)
    for parsed, document in nlp.pipe(((d.text, d) for d in docs), as_tuples=True, batch_size=batch_size):
        yield extract_parsed(parsed, document, engine, model)
