"""What a learned relation says beyond its ends: the stage, negation and denial the rules read, and that the
shipped model is what extraction runs unless told otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from actorgraph import extract_documents
from actorgraph.extract.extractor import _extract
from actorgraph.extract.learned.load import DEFAULT, model_spec
from actorgraph.extract.learned.predict import featurise, to_extraction
from actorgraph.extract.model import Document
from actorgraph.extract.relations import engine_for
from actorgraph.extract.segment import add_paragraph_starts


def _model_reading(nlp: Any, text: str, charge: str) -> tuple[str | None, bool, bool]:
    """(stage, negated, denied) of an ACCUSED_OF the model is made to decide for `charge`."""
    add_paragraph_starts(nlp)
    engine = engine_for(nlp)
    document = Document(text=text)
    doc = nlp(text)
    base = _extract(doc, document, engine)
    cands, _ = featurise(doc, document, engine)
    picked = [c for c in cands if c.kind == "charge" and c.b.key == charge]
    assert picked, f"no candidate for {charge!r}: {[c.b.key for c in cands if c.kind == 'charge']}"
    decisions = [("ACCUSED_OF", 0.9) if c is picked[0] else None for c in cands]
    ex = to_extraction(base, cands, decisions, rule="model:test", engine=engine)
    (rel,) = [r for r in ex.relations if r.rule == "model:test"]
    return rel.stage, rel.negated, rel.denied


@pytest.mark.parametrize(
    ("text", "charge", "stage", "negated", "denied"),
    [
        ("Edda Stroud was convicted of fraud in March.", "fraud", "convicted", False, False),
        ("Edda Stroud pleaded guilty to fraud.", "fraud", "admitted", False, False),
        ("Edda Stroud, who denies fraud, will stand trial in May.", "fraud", "charged", False, True),
        ("Edda Stroud is under investigation for tax evasion.", "tax evasion", "investigated", False, False),
        ("Edda Stroud was not charged with fraud.", "fraud", "alleged", True, False),
    ],
)
def test_a_learned_accusation_reads_its_stage_like_a_rule(nlp: Any, text: str, charge: str, stage: str,
                                                          negated: bool, denied: bool) -> None:
    got = _model_reading(nlp, text, charge)
    assert got == (stage, negated, denied), got


def test_a_learned_relation_of_another_predicate_has_no_stage(nlp: Any) -> None:
    add_paragraph_starts(nlp)
    engine = engine_for(nlp)
    text = "Viktor Brandt did not fund the Green Horizon Party."
    document = Document(text=text)
    doc = nlp(text)
    cands, _ = featurise(doc, document, engine)
    pairs = [c for c in cands if c.kind == "pair"]
    assert pairs
    decisions = [("FUNDS>", 0.9) if c is pairs[0] else None for c in cands]
    ex = to_extraction(_extract(doc, document, engine), cands, decisions, rule="model:test", engine=engine)
    (rel,) = [r for r in ex.relations if r.rule == "model:test"]
    assert rel.stage is None and rel.negated and not rel.denied  # "did not fund": negated, so never stored


def test_the_shipped_model_runs_unless_told_none() -> None:
    assert model_spec(None) == DEFAULT and model_spec("default") == DEFAULT
    assert model_spec("none") is None and model_spec("my-model") == "my-model"
    text = "Prosecutors charged Dorian Pell with bribery. Dorian Pell denies the charge."
    (default,) = extract_documents(texts=[text])
    (rules,) = extract_documents(texts=[text], relation_model="none")
    assert {r.rule for r in rules.relations} and not any(r.rule.startswith("model:") for r in rules.relations)
    # the model's relations are added to the rules': the rules' stand, with their stage
    assert {(r.predicate, r.stage) for r in rules.relations} <= {(r.predicate, r.stage) for r in default.relations}
