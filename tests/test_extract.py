"""The extraction assembly end to end: the seed article, masked furniture, streaming order, offsets for any text."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actorgraph.extract.extractor import extract_docs, extract_text
from actorgraph.extract.model import Document, Extraction

SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "dev" / "seed_kazakhstan.txt"


def triples(ex: Extraction) -> set[tuple[str, str, str]]:
    names = {e.id: e for e in ex.entities}
    return {(names[r.subject].name, r.predicate, names[r.object].name) for r in ex.relations if not r.negated}


def has(found: set[tuple[str, str, str]], s: str, p: str, o: str) -> bool:
    return any(fp == p and s in fs and o in fo for fs, fp, fo in found)


@pytest.fixture(scope="module")
def seed(nlp: Any) -> Extraction:
    if not SEED.exists():
        pytest.skip("../shared/eval/dev is not beside the repo")
    text = SEED.read_text(encoding="utf-8")
    return next(extract_docs([Document(text=text, path=str(SEED))], nlp))


@pytest.mark.parametrize("subject, predicate, obj", [
    pytest.param("Ablyazov", "FUNDS", "Democratic Choice of Kazakhstan", id="funds-dvk"),
    pytest.param("Democratic Choice of Kazakhstan", "BANNED_BY", "Kazakh courts", id="banned-by-courts"),
    pytest.param("Ablyazov", "ACCUSED_OF", "murder", id="murder"),
    pytest.param("Ablyazov", "ACCUSED_OF", "money laundering", id="money-laundering"),
    pytest.param("Ablyazov", "ACCUSED_OF", "fraud", id="fraud"),
    pytest.param("Ablyazov", "WORKS_WITH", "Open Dialogue Foundation", id="works-with-odf"),
    pytest.param("Open Dialogue Foundation", "LOCATED_IN", "Brussels", id="brussels-based"),
    pytest.param("Ablyazov", "LOCATED_IN", "France", id="exile-in-france"),
])
def test_seed_relations(seed: Extraction, subject: str, predicate: str, obj: str) -> None:
    assert has(triples(seed), subject, predicate, obj)


def test_seed_alias_fugitive_oligarch(seed: Extraction) -> None:
    ablyazov = [e for e in seed.entities if e.name == "Mukhtar Ablyazov"]
    assert ablyazov and "the fugitive oligarch" in ablyazov[0].aliases


def test_seed_evidence_and_mentions_point_into_text(seed: Extraction) -> None:
    text = seed.document.text
    assert seed.relations
    for r in seed.relations:
        assert text[r.evidence.start:r.evidence.end] == r.evidence.text
        assert r.rule and 0 < r.confidence <= 1
    for e in seed.entities:
        assert all(text[m.start:m.end] == m.text for m in e.mentions)
    ids = {e.id for e in seed.entities}
    assert all(r.subject in ids and r.object in ids for r in seed.relations)


def test_seed_charges_are_short_lower_case(seed: Extraction) -> None:
    charges = [e for e in seed.entities if e.type == "CHARGE"]
    assert {"murder", "money laundering", "fraud"} <= {c.name for c in charges}
    assert all(c.name == c.name.lower() and len(c.name.split()) <= 12 for c in charges)


def test_masked_sentences_give_nothing(nlp: Any) -> None:
    text = "Tags: Viktor Brandt funds the Green Horizon Party.\n\nMarco Vitale was convicted of fraud."
    masked = [(0, text.index("\n"))]
    ex = next(extract_docs([Document(text=text, masked=masked)], nlp))
    assert not [r for r in ex.relations if r.predicate == "FUNDS"]
    assert [r for r in ex.relations if r.predicate == "ACCUSED_OF"]


def test_extract_docs_streams_in_input_order(nlp: Any) -> None:
    texts = [f"Document number {n}: Marco Vitale was convicted of fraud." for n in range(5)]
    out = extract_docs((Document(text=t, path=f"d{n}.txt") for n, t in enumerate(texts)), nlp, batch_size=2)
    assert inspect.isgenerator(out)
    assert [ex.document.path for ex in out] == [f"d{n}.txt" for n in range(5)]


def test_headline_is_its_own_sentence(nlp: Any) -> None:
    text = "Vitale accused of bribery\n\nMarco Vitale has been accused of bribing officials."
    ex = extract_text(text, nlp)
    for r in ex.relations:
        assert "\n\n" not in r.evidence.text


@given(text=st.text(max_size=500))
def test_offsets_hold_for_any_text(nlp: Any, text: str) -> None:
    ex = extract_text(text, nlp)
    for entity in ex.entities:
        assert all(text[m.start:m.end] == m.text for m in entity.mentions)
    for r in ex.relations:
        assert text[r.evidence.start:r.evidence.end] == r.evidence.text
