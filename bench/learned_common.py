"""Shared by the learned-extractor benches: the training gold, its parsed texts (cached), and the scorer's logic.

The spaCy parse of every gold text is cached as a DocBin under --cache (outside the repo), keyed by the texts'
hashes and the model name, so feature work re-reads parses instead of re-parsing. All figures use the matching
of ../shared/eval/score.py, imported from the shared folder rather than copied.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from actorgraph.extract.model import Document
from actorgraph.extract.reader import read_documents

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "actorgraph-learned-cache"


@dataclass
class GoldDoc:
    """One annotated training document with its parse."""

    path: str  # as in gold.jsonl
    gold: dict[str, Any]
    document: Document
    doc: Doc


def scorer(shared: Path) -> ModuleType:
    """../shared/eval/score.py as a module (its norm, Doc, rel_match, greedy_matches, dedupe_relations)."""
    spec = importlib.util.spec_from_file_location("shared_score", shared / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_gold(shared: Path) -> list[dict[str, Any]]:
    path = shared / "eval" / "train" / "gold.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def locked_paths() -> set[str]:
    lines = (ROOT / "bench" / "locked.txt").read_text(encoding="utf-8").splitlines()
    return {ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")}


def load_corpus(shared: Path, cache: Path, nlp: Language, *, include_locked: bool = False) -> list[GoldDoc]:
    """Gold documents (the locked ones only when asked) with their Documents and parses, parsing once."""
    gold = read_gold(shared)
    locked = locked_paths()
    documents = []
    for g in gold:
        docs = list(read_documents([str(shared / g["doc"])]))
        assert len(docs) == 1, g["doc"]
        documents.append(docs[0])
    key = hashlib.sha256(("\n".join(d.id for d in documents) + nlp.meta["name"] + nlp.meta["version"]
                          + ",".join(nlp.pipe_names)).encode()).hexdigest()[:16]
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"train-{key}.spacy"
    if path.exists():
        parsed = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        parsed = list(nlp.pipe((d.text for d in documents), batch_size=20))
        DocBin(store_user_data=False, docs=parsed).to_disk(path)
    out = [GoldDoc(g["doc"], g, d, p) for g, d, p in zip(gold, documents, parsed, strict=True)]
    return out if include_locked else [o for o in out if o.path not in locked]
