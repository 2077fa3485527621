"""Bounded extraction: long runs cut before parsing, tables read row by row, long texts parsed in parts with exact
offsets, and a per-document time budget enforced by killing and replacing the worker process. No timing is
asserted here (bench/hostile_speed.py measures speed); the slow documents are slow on purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from actorgraph.extract.bounds import SENTENCE_TOKENS, UNBOUNDED, Limits, part_bounds, table_layout
from actorgraph.extract.extractor import extract_docs, extract_text
from actorgraph.extract.model import Document, Extraction
from actorgraph.extract.pipeline import extract_documents

ROOT = Path(__file__).resolve().parent.parent
SHORT = "Harlan Voss is accused of money laundering by the Interior Ministry."


def exact_offsets(extraction: Extraction) -> None:
    text = extraction.document.text
    for entity in extraction.entities:
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text, (entity.name, m)
    for r in extraction.relations:
        assert text[r.evidence.start : r.evidence.end] == r.evidence.text


def long_sentence(words: int = 400) -> str:
    """One sentence of `words` words with commas and no sentence end, then a short real sentence."""
    filler = ", ".join(f"item {n} of the list" for n in range(words // 5))
    return f"The Northwind Trust listed {filler} without end.\n\n{SHORT}"


def test_a_400_token_sentence_is_cut_before_parsing_with_a_warning(nlp: Any) -> None:
    text = long_sentence()
    warnings: list[tuple[str, str]] = []
    (extraction,) = extract_docs([Document(text=text, path="long.txt")], nlp, on_warn=lambda *w: warnings.append(w))
    assert [p for p, _ in warnings] == ["long.txt"]
    assert "over 300 tokens" in warnings[0][1] and "commas" in warnings[0][1]
    assert len(nlp(text)) > 400
    assert max(len(s) for s in nlp(text).sents) <= SENTENCE_TOKENS  # the same step runs in plain nlp(text)
    exact_offsets(extraction)
    assert any(r.predicate == "ACCUSED_OF" for r in extraction.relations)  # the text after it is read as before


def test_a_long_paragraph_of_short_sentences_is_cut_at_a_sentence_end_without_warning(nlp: Any) -> None:
    text = " ".join(f"Acme Ltd sold {n} boxes to the council." for n in range(60))  # ~540 tokens, one paragraph
    warnings: list[tuple[str, str]] = []
    (extraction,) = extract_docs([Document(text=text)], nlp, on_warn=lambda *w: warnings.append(w))
    assert warnings == []
    doc = nlp(text)
    assert max(len(s) for s in doc.sents) <= SENTENCE_TOKENS
    assert all(s.text.rstrip().endswith(".") for s in doc.sents)
    exact_offsets(extraction)


def test_unbounded_limits_leave_a_long_sentence_whole(nlp: Any) -> None:
    text = long_sentence()
    warnings: list[tuple[str, str]] = []
    (extraction,) = extract_docs([Document(text=text)], nlp, limits=UNBOUNDED, on_warn=lambda *w: warnings.append(w))
    assert warnings == []
    exact_offsets(extraction)


TABLE = (
    "Donations register\n\n"
    "| Date | Donor | Note |\n"
    "|---|---|---|\n"
    "| 2024-03-01 | Northwind Holdings | Northwind Holdings donated £5,000 to the Civic Voice Party. |\n"
    "| 2024-03-02 | Harlan Voss | was accused of fraud |\n"
    "The register was published on Monday.\n"
)


def test_table_layout_keeps_the_length_and_lists_the_rows() -> None:
    layout = table_layout(TABLE)
    assert len(layout.text) == len(TABLE) and layout.tables == 1
    assert "|" not in layout.text and "---" not in layout.text
    starts = [TABLE[r : r + 12] for r in layout.rows]
    assert starts == ["| Date | Don", "| 2024-03-01", "| 2024-03-02", "The register"]
    assert table_layout("Politics | BBC News\n\nA sentence.").tables == 0  # one line with pipes is no table
    tabs = table_layout("name\tamount\nAcme\t5\nVoss\t7\n")
    assert tabs.tables == 1 and tabs.text == "name\tamount\nAcme\t5\nVoss\t7\n" and tabs.rows == [0, 12, 19]


def test_table_rows_are_read_one_by_one_with_their_relations(nlp: Any) -> None:
    extraction = extract_text(TABLE, nlp)
    exact_offsets(extraction)
    names = {e.name: e for e in extraction.entities}
    assert {"Northwind Holdings", "Civic Voice Party", "Harlan Voss"} <= set(names)
    found = {
        (names_of(extraction, r.subject), r.predicate, names_of(extraction, r.object)) for r in extraction.relations
    }
    assert ("Northwind Holdings", "FUNDS", "Civic Voice Party") in found
    assert ("Harlan Voss", "ACCUSED_OF", "fraud") in found  # subject and charge in different cells of one row
    for r in extraction.relations:
        assert "\n" not in r.evidence.text.strip()  # each row is a sentence of its own
    assert "|" in extraction.relations[0].evidence.text  # evidence is the document's text, pipes and all


def names_of(extraction: Extraction, entity_id: str) -> str:
    return next(e.name for e in extraction.entities if e.id == entity_id)


def test_a_text_longer_than_spacys_max_length_is_extracted_in_parts(nlp: Any) -> None:
    paragraphs = [f"Paragraph {n}. The Northwind Trust is funded by Harlan Voss." for n in range(300)]
    text = "\n\n".join(paragraphs)
    saved = nlp.max_length
    nlp.max_length = 5_000  # spaCy would raise E088 for this text
    try:
        (extraction,) = extract_docs([Document(text=text)], nlp, limits=Limits(part_chars=2_000))
    finally:
        nlp.max_length = saved
    exact_offsets(extraction)
    funds = [r for r in extraction.relations if r.predicate == "FUNDS"]
    assert len(funds) == 300  # one per paragraph, on both sides of every cut
    assert funds[-1].evidence.start > len(text) - 100


def test_part_bounds_prefer_paragraphs_then_sentences_then_spaces() -> None:
    text = "aaaa bbbb. cccc dddd\n\neeee ffff. gggg"
    assert part_bounds(text, 1000) == [(0, len(text))]
    bounds = part_bounds(text, 24)
    assert bounds[0] == (0, text.index("eeee"))
    assert "".join(text[a:b] for a, b in bounds) == text
    assert part_bounds("x" * 50, 20) == [(0, 20), (20, 40), (40, 50)]  # no space at all: cut anyway


_WORD = st.sampled_from(["Acme", "Ltd", "funds", "the", "Civic", "Party", "Harlan", "Voss", "fraud", "|", "said"])
_SENTENCE = st.lists(_WORD, min_size=1, max_size=14).map(lambda ws: " ".join(ws) + ".")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=4).map(" ".join)
_SEP = st.sampled_from(["\n\n", "\n", " ", "\n \n"])


@settings(max_examples=25)
@given(
    parts=st.lists(st.tuples(_PARAGRAPH, _SEP), min_size=1, max_size=12),
    size=st.integers(min_value=20, max_value=400),
)
def test_offsets_are_exact_across_part_cuts(nlp: Any, parts: list[tuple[str, str]], size: int) -> None:
    text = "".join(p + sep for p, sep in parts)
    bounds = part_bounds(text, size)
    assert "".join(text[a:b] for a, b in bounds) == text
    assert all(not text[a].isspace() for a, _ in bounds[1:])
    (extraction,) = extract_docs([Document(text=text)], nlp, limits=Limits(sentence_tokens=30, part_chars=size))
    exact_offsets(extraction)


# -- the time budget ---------------------------------------------------------------------------------------------

SLOW = "| a | b |\n" * 4000  # one sentence of 24,000 tokens without the bounds: tens of seconds to match


def test_a_document_over_budget_fails_its_worker_is_replaced_and_the_run_goes_on() -> None:
    docs = [
        Document(text=SHORT, path="first.txt"),
        Document(text=SLOW, path="slow-1.txt"),
        Document(text=SLOW + "| c | d |\n", path="slow-2.txt"),
        Document(text="The Northwind Trust is funded by Harlan Voss.", path="last.txt"),
    ]
    skipped: list[tuple[str, str]] = []
    out = list(
        extract_documents(
            docs, doc_timeout=3, limits=UNBOUNDED, on_skip=lambda p, r: skipped.append((p, r)), batch_size=1
        )
    )
    assert [x.document.path for x in out] == ["first.txt", "last.txt"]
    assert skipped == [
        ("slow-1.txt", "extraction took longer than 3 s"),
        ("slow-2.txt", "extraction took longer than 3 s"),
    ]
    assert any(r.predicate == "FUNDS" for r in out[1].relations)  # the replacement worker extracts as before


def test_workers_give_the_same_extractions_as_one_process(nlp: Any) -> None:
    docs = [Document(text=t, path=f"{n}.txt") for n, t in enumerate([SHORT, TABLE, long_sentence(), SHORT + " x"])]
    here = [x.to_json() for x in extract_documents(docs, batch_size=2, on_warn=lambda p, m: None)]
    warnings: list[str] = []
    results = extract_documents(docs, workers=2, batch_size=2, doc_timeout=600, on_warn=lambda p, m: warnings.append(p))
    there = [x.to_json() for x in results]
    assert there == here
    assert warnings == ["2.txt"]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "actorgraph", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_cli_doc_timeout_reports_the_slow_documents_and_writes_the_others(tmp_path: Path) -> None:
    big = "\n\n".join(f"Paragraph {n}. The Northwind Trust is funded by Harlan Voss in year {n}." for n in range(4000))
    (tmp_path / "a-ok.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "b-big.txt").write_text(big, encoding="utf-8")  # ~60,000 tokens: many seconds to parse
    (tmp_path / "c-big.txt").write_text(big + "\n\nThe end.", encoding="utf-8")
    (tmp_path / "d-ok.txt").write_text("The Northwind Trust is funded by Harlan Voss.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = _cli("extract", str(tmp_path), "--doc-timeout", "3", "-o", str(out), "-q", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("extraction took longer than 3 s") == 2, proc.stderr
    assert "b-big.txt" in proc.stderr and "c-big.txt" in proc.stderr
    written = [json.loads(line)["document"]["path"] for line in out.read_text("utf-8").splitlines()]
    assert [Path(p).name for p in written] == ["a-ok.txt", "d-ok.txt"]
