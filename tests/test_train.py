"""`actorgraph train` and `--relation-model`: the shipped model loads fast and keeps the seed's claims, a model
trained on a small gold slice is the same bytes twice and is what `extract --relation-model` uses, bad gold is
one error line, and the shipped files are what the training command makes from the training set."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from actorgraph import extract_documents, train_model
from actorgraph.extract.learned.load import SHIPPED, load_relation_model
from actorgraph.extract.learned.predict import FEATURE_SET, LearnedModel

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ACTORGRAPH_SHARED", REPO.parent / "shared"))  # the eval data beside the repo
SEED = REPO / "examples" / "seed_kazakhstan.txt"

# Invented texts and annotations (no names from any gold or corpus text).
TEXTS = {
    "a.txt": "Harbour Bank fined over laundering\n\n"
    "The Marlow Financial Authority fined Harbour Bank for money laundering on Monday. "
    "Quentin Arbery, chief executive of Harbour Bank, said the firm would appeal.\n",
    "b.txt": "Minister accused of bribery\n\n"
    "Prosecutors charged Dorian Pell with bribery and fraud. "
    "Dorian Pell, a member of the Northern Alliance, denies the charges.\n",
    "c.txt": "Donor row\n\n"
    "The Civic Trust received £40,000 from Alder Holdings. "
    "Mabel Ostrow of the Civic Trust criticised the Northern Alliance.\n",
}


def _ent(i: str, t: str, name: str) -> dict[str, object]:
    return {"id": i, "type": t, "name": name, "aliases": []}


def _rel(s: str, p: str, o: str, ev: str) -> dict[str, str]:
    return {"subject": s, "predicate": p, "object": o, "evidence": ev}


FINED = "The Marlow Financial Authority fined Harbour Bank for money laundering on Monday."
GOLD = [
    {"doc": "a.txt", "entities": [_ent("m", "ORG", "Marlow Financial Authority"), _ent("h", "ORG", "Harbour Bank"),
                                  _ent("q", "PERSON", "Quentin Arbery"), _ent("c1", "CHARGE", "money laundering")],
     "relations": [
         _rel("m", "ACCUSES", "h", FINED),
         _rel("h", "ACCUSED_OF", "c1", FINED),
         _rel("q", "MEMBER_OF", "h", "Quentin Arbery, chief executive of Harbour Bank, said the firm would appeal.")]},
    {"doc": "b.txt", "entities": [_ent("d", "PERSON", "Dorian Pell"), _ent("n", "ORG", "Northern Alliance"),
                                  _ent("c1", "CHARGE", "bribery"), _ent("c2", "CHARGE", "fraud")],
     "relations": [
         _rel("d", "ACCUSED_OF", "c1", "Prosecutors charged Dorian Pell with bribery and fraud."),
         _rel("d", "ACCUSED_OF", "c2", "Prosecutors charged Dorian Pell with bribery and fraud."),
         _rel("d", "MEMBER_OF", "n", "Dorian Pell, a member of the Northern Alliance, denies the charges.")]},
    {"doc": "c.txt", "entities": [_ent("t", "ORG", "Civic Trust"), _ent("a", "ORG", "Alder Holdings"),
                                  _ent("o", "PERSON", "Mabel Ostrow"), _ent("n", "ORG", "Northern Alliance")],
     "relations": [
         _rel("a", "FUNDS", "t", "The Civic Trust received £40,000 from Alder Holdings."),
         _rel("o", "MEMBER_OF", "t", "Mabel Ostrow of the Civic Trust criticised the Northern Alliance."),
         _rel("o", "OPPOSES", "n", "Mabel Ostrow of the Civic Trust criticised the Northern Alliance.")]},
]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _files(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def _claims(extraction: dict[str, object]) -> set[tuple[str, str, str]]:
    names = {e["id"]: e["name"] for e in extraction["entities"]}  # type: ignore[attr-defined, index]
    return {(names[r["subject"]], r["predicate"], names[r["object"]])  # type: ignore[index]
            for r in extraction["relations"]}  # type: ignore[attr-defined]


@pytest.fixture()
def slice_root(tmp_path: Path) -> Path:
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    return tmp_path


def test_shipped_model_loads_fast_and_keeps_the_seed_claims() -> None:
    meta = json.loads((SHIPPED / "model.json").read_text(encoding="utf-8"))
    assert meta["feature_set"] == FEATURE_SET and meta["version"].startswith("relations-")
    assert sum(p.stat().st_size for p in SHIPPED.iterdir()) < 5_000_000
    import actorgraph.extract.extractor  # noqa: F401  (spaCy and numpy are loaded by extraction anyway)

    t0 = time.perf_counter()
    model = LearnedModel.load(SHIPPED)
    assert time.perf_counter() - t0 < 1.0
    assert model.version == meta["version"]
    rules = next(extract_documents(SEED, relation_model="none")).to_json()
    learned = next(extract_documents(SEED)).to_json()  # the shipped model runs by default
    key = {("Mukhtar Ablyazov", "FUNDS", "Democratic Choice of Kazakhstan"),
           ("Democratic Choice of Kazakhstan", "BANNED_BY", "Kazakh courts"),
           ("Mukhtar Ablyazov", "ACCUSED_OF", "murder"),
           ("Mukhtar Ablyazov", "ACCUSED_OF", "money laundering"),
           ("Mukhtar Ablyazov", "ACCUSED_OF", "fraud"),
           ("Mukhtar Ablyazov", "WORKS_WITH", "Open Dialogue Foundation")}
    assert key <= _claims(rules)
    assert _claims(rules) <= _claims(learned)  # the rules stand; the model only adds
    for r in learned["relations"]:
        if r["rule"].startswith("model:"):
            assert r["rule"] == f"model:{model.version}" and 0.0 < r["confidence"] <= 1.0


def test_shipped_model_is_calibrated() -> None:
    """ECE over 10 bins of the pooled out-of-fold predictions training recorded."""
    meta = json.loads((SHIPPED / "model.json").read_text(encoding="utf-8"))
    assert meta["oof_ece"] is not None and meta["oof_ece"] <= 0.10


def test_training_a_slice_twice_gives_identical_files(slice_root: Path, tmp_path: Path) -> None:
    one = train_model(slice_root / "gold.jsonl", root=slice_root, output=tmp_path / "one")
    two = train_model(slice_root / "gold.jsonl", root=slice_root, output=tmp_path / "two")
    assert one.version == two.version
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    meta = json.loads((tmp_path / "one" / "model.json").read_text(encoding="utf-8"))
    assert meta["gold_sha256"] == hashlib.sha256((slice_root / "gold.jsonl").read_bytes()).hexdigest()
    assert meta["documents"] == 3 and meta["version"] == one.version


def test_cli_train_then_extract_with_the_model(slice_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    run = subprocess.run([sys.executable, "-m", "actorgraph", "train", str(slice_root / "gold.jsonl"), "--root",
                          str(slice_root), "-o", str(out)], capture_output=True, text=True, env=_env(), cwd=REPO)
    assert run.returncode == 0, run.stderr
    assert "3 annotated documents" in run.stderr and run.stdout == ""
    version = json.loads((out / "model.json").read_text(encoding="utf-8"))["version"]
    ext = subprocess.run([sys.executable, "-m", "actorgraph", "extract", str(slice_root / "a.txt"),
                          "--relation-model", str(out), "-q"], capture_output=True, text=True, env=_env(), cwd=REPO)
    assert ext.returncode == 0, ext.stderr
    record = json.loads(ext.stdout)
    assert all(r["rule"] == f"model:{version}" or not r["rule"].startswith("model:") for r in record["relations"])
    assert load_relation_model(out) is load_relation_model(out)  # loaded once per process


def test_bad_gold_and_bad_model_dir_are_one_line_errors(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "a.txt", "entities": [], "relations": [
        {"subject": "x", "predicate": "LIKES", "object": "y", "evidence": "e"}]}) + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "actorgraph", "train", str(gold), "--root", str(tmp_path), "-o",
                          str(tmp_path / "m")], capture_output=True, text=True, env=_env(), cwd=REPO)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "gold.jsonl:1: relations[0].predicate: 'LIKES' is not a predicate" in run.stderr
    ext = subprocess.run([sys.executable, "-m", "actorgraph", "extract", str(SEED), "--relation-model",
                          str(tmp_path / "nothing")], capture_output=True, text=True, env=_env(), cwd=REPO)
    assert ext.returncode != 0 and "Traceback" not in ext.stderr and "no model.json" in ext.stderr


@pytest.mark.slow
def test_shipped_model_is_what_training_makes(tmp_path: Path) -> None:
    """The command in docs/model-card.md, run again, gives the shipped files byte for byte."""
    gold = SHARED / "eval" / "train" / "gold.jsonl"
    if not gold.exists():
        pytest.skip("../shared/eval/train is not beside the repo")
    meta = json.loads((SHIPPED / "model.json").read_text(encoding="utf-8"))
    if hashlib.sha256(gold.read_bytes()).hexdigest() != meta["gold_sha256"]:
        pytest.skip("the training gold changed since the shipped model was trained")
    out = tmp_path / "model"
    env = {**_env(), "PYTHONHASHSEED": "4321", "OMP_NUM_THREADS": "2"}
    subprocess.run([sys.executable, "-m", "actorgraph", "train", str(gold), "--root", str(SHARED), "--exclude",
                    str(REPO / "bench" / "locked.txt"), "--min-precision", "0.8", "-o", str(out), "-q"],
                   check=True, env=env, cwd=REPO)
    assert _files(out) == _files(SHIPPED)


def test_ingest_with_the_shipped_model_records_its_version(engine: Any, nlp: Any) -> None:
    """Claims the model added carry `rule: model:<version>` in the graph; the rules' claims are all there."""
    from actorgraph import Graph

    version = json.loads((SHIPPED / "model.json").read_text(encoding="utf-8"))["version"]
    text = TEXTS["a.txt"]  # "fined Harbour Bank for money laundering": the model reads the charge, the rules not
    with Graph(home=engine.home, graph="train") as g:
        g.store.clear()
        try:
            g.ingest(texts={"a.txt": text}, relation_model="default", resolve=False)
            rows = g.cypher("MATCH ()-[c]->() WHERE c.rule IS NOT NULL RETURN DISTINCT c.rule AS rule")
            rules = {r["rule"] for r in rows}
        finally:
            g.store.clear()
    learned = next(extract_documents(texts={"a.txt": text}, relation_model="default")).to_json()
    assert {r["rule"] for r in learned["relations"] if not r.get("negated")} <= rules
    assert f"model:{version}" in rules
