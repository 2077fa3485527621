"""The learned relation extractor: one feature path for training and prediction, deterministic training, plain-data
model files, and the near-duplicate grouping the cross-validation relies on."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from actorgraph.extract.learned import features as features_mod
from actorgraph.extract.learned.groups import locked_groups, near_duplicate_groups
from actorgraph.extract.learned.linear import LinearModel
from actorgraph.extract.learned.predict import SHARED, LearnedModel, decide, extract_docs, featurise
from actorgraph.extract.learned.train import examples, train
from actorgraph.extract.model import Document
from actorgraph.extract.nlp import load_model
from actorgraph.extract.relations import engine_for

REPO = Path(__file__).resolve().parent.parent

# Invented texts and annotations (no names from any gold or corpus text).
TEXTS = {
    "a.txt": (
        "Harbour Bank fined over laundering\n\n"
        "The Marlow Financial Authority fined Harbour Bank for money laundering on Monday. "
        "Quentin Arbery, chief executive of Harbour Bank, said the firm would appeal. "
        "The Green Future Party received £2m from Harbour Bank last year. "
        "Party leader Rosalind Vane criticised the Marlow Financial Authority.\n"
    ),
    "b.txt": (
        "Minister accused of bribery\n\n"
        "Prosecutors charged Dorian Pell with bribery and fraud. "
        "Dorian Pell, a member of the Northern Alliance, denies the charges. "
        "The Northern Alliance donated money to the Civic Trust. "
        "Mabel Ostrow of the Civic Trust attacked Dorian Pell over the scandal.\n"
    ),
}
GOLD = [
    {"doc": "a.txt", "entities": [
        {"id": "mfa", "type": "ORG", "name": "Marlow Financial Authority", "aliases": []},
        {"id": "hb", "type": "ORG", "name": "Harbour Bank", "aliases": ["the firm"]},
        {"id": "qa", "type": "PERSON", "name": "Quentin Arbery", "aliases": []},
        {"id": "gfp", "type": "ORG", "name": "Green Future Party", "aliases": ["Party"]},
        {"id": "rv", "type": "PERSON", "name": "Rosalind Vane", "aliases": []},
        {"id": "c1", "type": "CHARGE", "name": "money laundering", "aliases": []}],
     "relations": [
        {"subject": "mfa", "predicate": "ACCUSES", "object": "hb",
         "evidence": "The Marlow Financial Authority fined Harbour Bank for money laundering on Monday."},
        {"subject": "hb", "predicate": "ACCUSED_OF", "object": "c1",
         "evidence": "The Marlow Financial Authority fined Harbour Bank for money laundering on Monday."},
        {"subject": "qa", "predicate": "MEMBER_OF", "object": "hb",
         "evidence": "Quentin Arbery, chief executive of Harbour Bank, said the firm would appeal."},
        {"subject": "hb", "predicate": "FUNDS", "object": "gfp",
         "evidence": "The Green Future Party received £2m from Harbour Bank last year."},
        {"subject": "rv", "predicate": "OPPOSES", "object": "mfa",
         "evidence": "Party leader Rosalind Vane criticised the Marlow Financial Authority."}]},
    {"doc": "b.txt", "entities": [
        {"id": "dp", "type": "PERSON", "name": "Dorian Pell", "aliases": []},
        {"id": "na", "type": "ORG", "name": "Northern Alliance", "aliases": []},
        {"id": "ct", "type": "ORG", "name": "Civic Trust", "aliases": []},
        {"id": "mo", "type": "PERSON", "name": "Mabel Ostrow", "aliases": []},
        {"id": "c1", "type": "CHARGE", "name": "bribery", "aliases": []},
        {"id": "c2", "type": "CHARGE", "name": "fraud", "aliases": []}],
     "relations": [
        {"subject": "dp", "predicate": "ACCUSED_OF", "object": "c1",
         "evidence": "Prosecutors charged Dorian Pell with bribery and fraud."},
        {"subject": "dp", "predicate": "ACCUSED_OF", "object": "c2",
         "evidence": "Prosecutors charged Dorian Pell with bribery and fraud."},
        {"subject": "dp", "predicate": "MEMBER_OF", "object": "na",
         "evidence": "Dorian Pell, a member of the Northern Alliance, denies the charges."},
        {"subject": "na", "predicate": "FUNDS", "object": "ct",
         "evidence": "The Northern Alliance donated money to the Civic Trust."},
        {"subject": "mo", "predicate": "MEMBER_OF", "object": "ct",
         "evidence": "Mabel Ostrow of the Civic Trust attacked Dorian Pell over the scandal."},
        {"subject": "mo", "predicate": "OPPOSES", "object": "dp",
         "evidence": "Mabel Ostrow of the Civic Trust attacked Dorian Pell over the scandal."}]},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("learned")
    for name, text in TEXTS.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    return root


def _tree_hash(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_features_module_never_touches_gold() -> None:
    """The feature and candidate modules import nothing that reads annotations."""
    for mod in ("features", "candidates", "predict", "linear"):
        tree = ast.parse((REPO / "actorgraph" / "extract" / "learned" / f"{mod}.py").read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not any("gold" in m or "train" in m for m in imported), (mod, imported)


def test_training_and_prediction_share_one_feature_path(corpus: Path) -> None:
    """The rows a model is trained on are exactly what prediction computes for the same text, gold or not."""
    nlp = load_model()
    engine = engine_for(nlp)
    for g in GOLD:
        text = (corpus / g["doc"]).read_text(encoding="utf-8")
        document = Document(text=text)
        doc = nlp(text)
        train_rows = examples(doc, document, g, engine).rows
        empty = {"doc": g["doc"], "entities": [], "relations": []}
        assert examples(doc, document, empty, engine).rows == train_rows  # labels change, features do not
        _, predict_rows = featurise(doc, document, engine)
        assert predict_rows == train_rows
        assert train_rows and all(r == sorted(set(r)) for r in train_rows)
        names = {n for e in g["entities"] for n in [e["name"], *e["aliases"]]}
        assert not any(name in f for r in train_rows for f in r for name in names if " " in name)


def test_candidates_label_the_stated_relations(corpus: Path) -> None:
    nlp = load_model()
    engine = engine_for(nlp)
    g = GOLD[0]
    text = (corpus / g["doc"]).read_text(encoding="utf-8")
    ex = examples(nlp(text), Document(text=text), g, engine)
    labels = set(ex.labels)
    assert "ACCUSED_OF" in labels
    assert any(lab.startswith("MEMBER_OF") for lab in labels)
    assert "none" in labels


def test_training_twice_gives_identical_files(corpus: Path, tmp_path: Path) -> None:
    nlp = load_model()
    first, second = tmp_path / "one", tmp_path / "two"
    train(GOLD, corpus, nlp, thresholds={SHARED: 0.4}).save(first)
    train(GOLD, corpus, nlp, thresholds={SHARED: 0.4}).save(second)
    assert _tree_hash(first) == _tree_hash(second)
    assert sorted(_tree_hash(first)) == ["charge.json", "charge.npy", "model.json", "pair.json", "pair.npy"]
    # plain data: the weights load without pickle, the rest is JSON
    np.load(first / "pair.npy", allow_pickle=False)
    json.loads((first / "pair.json").read_text(encoding="utf-8"))


def test_training_bytes_do_not_depend_on_hash_seed_or_threads(corpus: Path, tmp_path: Path) -> None:
    nlp = load_model()
    here = tmp_path / "here"
    train(GOLD, corpus, nlp).save(here)
    there = tmp_path / "there"
    code = ("import json,sys; from pathlib import Path; from actorgraph.extract.nlp import load_model; "
            "from actorgraph.extract.learned.train import train; "
            "root=Path(sys.argv[1]); gold=[json.loads(l) for l in (root/'gold.jsonl').read_text().splitlines()]; "
            "train(gold, root, load_model()).save(Path(sys.argv[2]))")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2"}
    subprocess.run([sys.executable, "-c", code, str(corpus), str(there)], check=True, env=env, cwd=REPO)
    assert _tree_hash(here) == _tree_hash(there)


def test_saved_model_predicts_like_the_trained_one(corpus: Path, tmp_path: Path) -> None:
    nlp = load_model()
    model = train(GOLD, corpus, nlp, thresholds={SHARED: 0.3})
    model.save(tmp_path / "m")
    loaded = LearnedModel.load(tmp_path / "m")
    assert loaded.pair.thresholds == {SHARED: 0.3}
    docs = [Document(text=t, path=n) for n, t in TEXTS.items()]
    a = [x.to_json() for x in extract_docs(docs, nlp, model)]
    b = [x.to_json() for x in extract_docs(docs, nlp, loaded)]
    strip = lambda rows: [[(r["subject"], r["predicate"], r["object"]) for r in x["relations"]] for x in rows]  # noqa: E731
    assert strip(a) == strip(b)
    assert any(r["rule"] == f"model:{loaded.version}" for x in b for r in x["relations"])
    for x in b:
        for r in x["relations"]:
            # the model's relations record its version; the others are the hand rules' own
            assert not r["rule"].startswith("model:") or 0.3 <= r["confidence"] <= 1
            assert x["document"]["text"][r["evidence"]["start"]:r["evidence"]["end"]] == r["evidence"]["text"]


def test_linear_model_round_trip_and_decisions(tmp_path: Path) -> None:
    m = LinearModel(["A>", "none"], ["f1", "f2"], np.array([[2.0, 0.0], [0.0, 1.0]], np.float32),
                    np.array([0.0, 0.5], np.float32), {SHARED: 0.6})
    m.save(tmp_path, "x")
    back = LinearModel.load(tmp_path, "x")
    probs = back.proba([["f1"], ["f2", "unknown"], []])
    assert np.allclose(probs.sum(axis=1), 1)
    assert decide(back.classes, probs, back.thresholds)[0] == ("A>", pytest.approx(probs[0, 0]))
    assert decide(back.classes, probs, back.thresholds)[1] is None


def test_near_duplicate_groups_and_locked_choice() -> None:
    story = " ".join(f"word{i}" for i in range(60))
    texts = {"x/1": "Title one\n" + story, "x/2": "Another title\n" + story + " extra words here",
             "x/3": "Title\n" + " ".join(f"other{i}" for i in range(60)), "x/4": "T\nshort text only"}
    groups = near_duplicate_groups(texts)
    assert ["x/1", "x/2"] in groups and ["x/3"] in groups
    locked = locked_groups(groups, 2, "seed")
    assert locked == locked_groups(groups, 2, "seed")
    assert len(locked) == 2 and (set(locked) == {"x/1", "x/2"} or ("x/1" not in locked and "x/2" not in locked))


def test_locked_file_is_what_the_script_makes(tmp_path: Path) -> None:
    lines = (REPO / "bench" / "locked.txt").read_text(encoding="utf-8").splitlines()
    paths = [ln for ln in lines if ln and not ln.startswith("#")]
    assert lines[0].startswith("#") and len(paths) == 40 and paths == sorted(set(paths))


def test_features_describe_roles_not_names() -> None:
    """Proper nouns on a path become <propn>: a model cannot learn a name."""
    nlp = load_model()
    doc = nlp("Zebulon Quarry sued Yarrowfield Mills over unpaid debts.")
    for tok in doc:
        if tok.pos_ == "PROPN":
            assert features_mod._lemma(tok) == "<propn>"
