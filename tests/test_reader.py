"""Reading documents: real files in tmp_path through `read_documents`, the same path `extract` takes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actorgraph.errors import InputError
from actorgraph.extract.model import text_id
from actorgraph.extract.reader import (
    count_documents,
    decode_bytes,
    document_from_text,
    expand_paths,
    furniture_patterns,
    mask_furniture,
    metadata_from_text,
    read_documents,
)
from actorgraph.text import clean_text

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"

ARTICLE = """Minister accused of fraud

The finance minister was accused of fraud on Tuesday by the national audit office, which said millions had
gone missing from the budget over the past three years.
"""

HTML = """<!DOCTYPE html>
<html><head>
<title>Minister accused of fraud | Example News</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2019-06-21">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news navigation</a></li></ul></nav>
<script>var tracking = "SCRIPT-TEXT-MUST-NOT-APPEAR";</script>
<article><h1>Minister accused of fraud</h1>
<p>The finance minister was accused of fraud on Tuesday by the national audit office, which said that
millions had gone missing from the budget over the past three years.</p>
<p>The opposition party called for his resignation and demanded a full parliamentary inquiry into the
missing funds, saying the public deserved answers before the next election.</p>
<p>The minister denied any wrongdoing and said he would cooperate fully with investigators from the
anti-corruption agency, which opened its own inquiry last month.</p>
</article>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>COMMENT-TEXT-MUST-NOT-APPEAR: he should go to jail immediately!</p></div></section>
<footer><p>FOOTER-TEXT-MUST-NOT-APPEAR. Copyright 2019 Example News. All rights reserved.</p></footer>
</body></html>
"""

UNDECODABLE = bytes(range(0x80, 0x100)) * 3  # every high byte, no NUL: no single-byte or CJK code page fits


class Recorder:
    """Collects on_skip / on_warn calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, path: str, reason: str) -> None:
        self.calls.append((path, reason))

    def paths(self) -> list[str]:
        return [Path(p).name for p, _ in self.calls]


def read(paths: list[Path | str], **kwargs: int) -> tuple[list, Recorder, Recorder]:
    skips, warns = Recorder(), Recorder()
    docs = list(read_documents([str(p) for p in paths], on_skip=skips, on_warn=warns, **kwargs))
    return docs, skips, warns


def test_html_main_text_only(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    [doc], skips, _ = read([page])
    assert not skips.calls
    assert "accused of fraud on Tuesday" in doc.text
    assert "denied any wrongdoing" in doc.text
    for boilerplate in ("SCRIPT-TEXT", "COMMENT-TEXT", "FOOTER-TEXT", "World news navigation"):
        assert boilerplate not in doc.text
    assert doc.id == text_id(doc.text)  # the id hashes the extracted text, which is what is stored
    assert doc.title and doc.title.startswith("Minister accused of fraud")
    assert doc.author == "Jane Doe"
    assert doc.published == "2019-06-21"


def test_latin1_file_decoded_with_warning(tmp_path: Path) -> None:
    text = (
        "Club fined over transfer\n\nThe club paid a £15.8m fee for the striker, who joined from Parma last "
        "season. The board said the café deal was fair and nobody had broken the rules.\n"
    )
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    [doc], skips, warns = read([path])
    assert not skips.calls
    assert doc.text == text
    assert doc.encoding == "cp1252"
    [(where, message)] = warns.calls
    assert where == str(path)
    assert "cp1252" in message and "UTF-8" in message


def test_real_latin1_bbc_article() -> None:
    path = SHARED / "corpus" / "bbc" / "sport" / "199.txt"
    if not path.exists():
        pytest.skip("../shared/corpus/bbc is not present")
    [doc], skips, warns = read([path])
    assert not skips.calls
    assert "£15.8m" in doc.text
    assert warns.paths() == ["199.txt"] and "cp1252" in warns.calls[0][1]
    assert doc.title == "Chelsea sack Mutu"


def test_undecodable_bytes_reported_and_others_read(tmp_path: Path) -> None:
    bad = tmp_path / "a_bad.txt"
    bad.write_bytes(UNDECODABLE)
    good = tmp_path / "b_good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    docs, skips, _ = read([bad, good])
    assert [Path(d.path).name for d in docs] == ["b_good.txt"]
    [(where, reason)] = skips.calls
    assert where == str(bad)
    assert "not UTF-8" in reason and "charset detection" in reason


@pytest.mark.parametrize(
    "content, reason",
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"  \n\t\n  ", "empty", id="whitespace-only"),
        pytest.param(b"%PDF-1.4\x00\x01\x02binary\x00data", "binary", id="binary-nul"),
        pytest.param(b"x" * 2000, "too large", id="over-max-bytes"),
    ],
)
def test_unusable_files_skipped_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    docs, skips, _ = read([bad, good], max_bytes=1000)
    assert [Path(d.path).name for d in docs] == ["good.txt"]
    assert skips.paths() == ["bad.txt"]
    assert reason in skips.calls[0][1]


def test_identical_bad_files_each_reported(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_bytes(b"")
    docs, skips, _ = read([tmp_path])
    assert docs == [] and skips.paths() == ["a.txt", "b.txt", "c.txt"]


def test_unsupported_and_missing_paths_reported(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4 not text")
    docs, skips, _ = read([pdf, tmp_path / "missing.txt", tmp_path / "*.nothing"])
    assert docs == []
    reasons = dict(skips.calls)
    assert "unsupported file type" in reasons[str(pdf)]
    assert reasons[str(tmp_path / "missing.txt")] == "no such file or directory"
    assert "matches" in reasons[str(tmp_path / "*.nothing")]


def test_jsonl_bad_line_reported_rest_read(tmp_path: Path) -> None:
    rows = [
        json.dumps(
            {"text": "Acme Corp funds the Example Party.", "title": "Funding", "url": "https://x.test/1"}
        ),
        "{not json",
        json.dumps({"title": "no text here"}),
        "",
        json.dumps({"text": "Example Party opposes Acme Corp.", "published": "2020-01-02", "author": "A B"}),
        json.dumps(["a", "list"]),
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    docs, skips, _ = read([path])
    texts = [d.text for d in docs]
    assert texts == ["Acme Corp funds the Example Party.", "Example Party opposes Acme Corp."]
    assert docs[0].title == "Funding" and docs[0].url == "https://x.test/1"
    assert docs[1].published == "2020-01-02" and docs[1].author == "A B"
    assert docs[0].path == f"{path}:1" and docs[0].id == text_id(docs[0].text)
    assert [p for p, _ in skips.calls] == [f"{path}:2", f"{path}:3", f"{path}:6"]
    assert "not JSON" in skips.calls[0][1] and '"text"' in skips.calls[1][1]
    assert count_documents([str(path)]) == 5  # non-blank lines: a cheap estimate for the progress bar


SEED_LIKE = """Green shoots in the capital

| June 21, 2019

Behind the headlines about the protests, there are encouraging signs, writes Colin Stevens.

The Example Party is funded by Acme Corp.

Facebook comments

Tags: , , ,

Category: A Frontpage, EU, World

Comments are closed.
"""


def test_furniture_masked_offsets_intact(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(SEED_LIKE, encoding="utf-8")
    [doc], _, _ = read([path])
    assert doc.text == SEED_LIKE  # masked, not deleted
    assert [doc.text[a:b] for a, b in doc.masked] == [
        "Facebook comments",
        "Tags: , , ,",
        "Category: A Frontpage, EU, World",
        "Comments are closed.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Left Menu Icon",
        "Skip to content",
        "Related articles",
        "© 2021 Example Ltd",
        "Leave a reply",
        "12 comments",
        "Filed under: Politics",
        "All rights reserved.",
    ],
)
def test_furniture_line_patterns(line: str) -> None:
    text = f"A headline\n\nA real sentence about a minister.\n\n{line}\n"
    [(start, end)] = mask_furniture(text)
    assert text[start:end] == line


@pytest.mark.parametrize(
    "line",
    [
        "Comments from the minister were published on Tuesday.",
        "The category of the offence is unclear.",
        "Share prices fell sharply after the announcement.",
    ],
)
def test_prose_is_not_furniture(line: str) -> None:
    assert mask_furniture(f"{line}\n") == []


def test_furniture_patterns_load() -> None:
    assert len(furniture_patterns()) > 10


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(SEED_LIKE, ("Green shoots in the capital", "Colin Stevens", "2019-06-21"), id="signoff"),
        pytest.param(
            "Minister quits\n\nBy Jane Doe, Political reporter\n\nLONDON, 12 March 2021 - He quit.\n",
            ("Minister quits", "Jane Doe", "2021-03-12"),
            id="byline-dateline",
        ),
        pytest.param(
            "Minister quits\n\nBy comparison with last year the minister did well on 5 May 2005.\n\nMore.\n",
            ("Minister quits", None, None),
            id="not-a-byline-nor-dateline",
        ),
        pytest.param(
            "Born in Luton, on 5 April 1920, he was a writer.\nHe wrote books.\n",
            (None, None, None),
            id="sentence-is-not-title",
        ),
        pytest.param("Just one line of text.", (None, None, None), id="one-line"),
    ],
)
def test_metadata_from_text(text: str, expected: tuple[str | None, str | None, str | None]) -> None:
    assert metadata_from_text(text) == expected


def test_markdown_title(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("Some preamble\n\n# The real title\n\nBody text about a party.\n", encoding="utf-8")
    [doc], _, _ = read([path])
    assert doc.title == "The real title"


def test_directory_recursive_sorted_glob_and_duplicates(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second story\n\nText two.\n", encoding="utf-8")
    (tmp_path / "a" / "1.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a" / "copy.txt").write_text(ARTICLE, encoding="utf-8")  # same bytes as a/1.txt
    (tmp_path / "a" / "notes.csv").write_text("skipped,in,directories\n", encoding="utf-8")
    (tmp_path / ".hidden" / "x.txt").write_text("hidden\n", encoding="utf-8")
    (tmp_path / "README.TXT").write_text("About this corpus\n\nNotes.\n", encoding="utf-8")
    docs, skips, _ = read([tmp_path])
    assert not skips.calls
    assert [Path(d.path).relative_to(tmp_path).as_posix() for d in docs] == ["a/1.txt", "b/2.txt"]
    assert [Path(p).name for p in docs[0].paths] == ["1.txt", "copy.txt"]
    assert expand_paths([str(tmp_path / "*" / "*.txt")]) == [
        str(tmp_path / "a" / "1.txt"),
        str(tmp_path / "a" / "copy.txt"),
        str(tmp_path / "b" / "2.txt"),
    ]


def test_same_text_by_other_means_emitted_once(tmp_path: Path) -> None:
    (tmp_path / "unix.txt").write_bytes(b"Headline\n\nSame text.\n")
    (tmp_path / "windows.txt").write_bytes(b"Headline\r\n\r\nSame text.\r\n")  # other bytes, same text
    docs, _, warns = read([tmp_path / "unix.txt", tmp_path / "windows.txt"])
    assert len(docs) == 1 and docs[0].text == "Headline\n\nSame text.\n"
    assert warns.paths() == ["windows.txt"] and "same text" in warns.calls[0][1]


def test_decode_bytes_utf8_and_bom() -> None:
    assert decode_bytes("café".encode(), "x") == ("café", None)
    assert decode_bytes(b"\xef\xbb\xbfcaf\xc3\xa9", "x") == ("café", None)
    assert decode_bytes("café\n".encode("utf-16"), "x") == ("café\n", "utf-16")


@given(text=st.text(max_size=400))
def test_any_text_reads_without_error(text: str) -> None:
    doc = document_from_text(text)
    assert doc.text == clean_text(text) and len(doc.text) == len(text)  # NUL, lone surrogates: U+FFFD
    text = doc.text
    for start, end in doc.masked:
        assert 0 <= start < end <= len(text) and text[start:end].strip() == text[start:end]
    assert all(v is None or isinstance(v, str) for v in (doc.title, doc.author, doc.published))


@given(data=st.binary(max_size=300))
def test_any_bytes_decode_or_input_error(data: bytes) -> None:
    try:
        text, _ = decode_bytes(data, "x")
    except InputError as exc:
        assert str(exc).startswith("x: ")
    else:
        assert isinstance(text, str) and "\r" not in text
