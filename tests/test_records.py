"""Every input record is checked and fails alone; text is cleaned on the way in and escaped on the way out.

Real files in tmp_path, the real CLI in a subprocess for exit codes (against the session's embedded engine,
graph `records`), the real extractor where documents are read from text.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actorgraph.config import Settings
from actorgraph.errors import InputError
from actorgraph.export import viz
from actorgraph.extract.model import Extraction, text_id
from actorgraph.extract.reader import read_documents
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ingest.ingest import ingest_paths, read_extractions
from actorgraph.text import clean_strings, clean_text, json_needs_cleaning, shown

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GRAPH = "records"
RLO, ESC = "\u202e", "\x1b"
GOOD = [json.loads(line) for line in (FIXTURES / "invented_a.jsonl").read_text("utf-8").splitlines()]


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m actorgraph --graph records ARGS` in a subprocess (the real exit code and streams)."""
    env = {**os.environ, "ACTORGRAPH_HOME": str(home), "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "actorgraph", "--graph", GRAPH, *args],
        env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture
def records(engine: EmbeddedEngine) -> Iterator[GraphStore]:
    """The `records` graph on the session engine, empty before and after the test."""
    with GraphStore.connect(Settings(home=engine.home, graph=GRAPH)) as store:
        store.clear()
        yield store
        store.clear()


def oneline(text: str) -> str:
    return " ".join(text.split())


def variant(change: Callable[[dict[str, Any]], Any]) -> str:
    """The first fixture record with one change, as a JSON line."""
    record = copy.deepcopy(GOOD[0])
    change(record)
    return json.dumps(record)


def entity(record: dict[str, Any], **fields: Any) -> None:
    record["entities"][0].update(fields)


def document(record: dict[str, Any], **fields: Any) -> None:
    record["document"].update(fields)


def relation(record: dict[str, Any], **fields: Any) -> None:
    record["relations"][0].update(fields)


def evidence(record: dict[str, Any], **fields: Any) -> None:
    record["relations"][0]["evidence"].update(fields)


def mention(record: dict[str, Any], **fields: Any) -> None:
    record["entities"][0]["mentions"][0].update(fields)


#: one bad `extract` record each, and what its reason must say (field path first)
BAD_RECORDS = [
    pytest.param(lambda r: entity(r, name=1), "entities[0].name: input should be a valid string, got 1", id="int-name"),
    pytest.param(lambda r: entity(r, aliases=[1, None]), "entities[0].aliases[0]: input should be a valid string, "
                 "got 1 (and 1 more problem)", id="aliases-1-null"),
    pytest.param(lambda r: document(r, path=1), "document.path: input should be a valid string, got 1", id="int-path"),
    pytest.param(lambda r: document(r, paths="abc"), "document.paths: input should be a valid list, got 'abc'",
                 id="paths-string"),
    pytest.param(lambda r: evidence(r, start=10_000, end=10_038), "relations[0].evidence: offsets 10000:10038 are "
                 "outside the text", id="offsets-outside"),
    pytest.param(lambda r: mention(r, start=-1), "entities[0].mentions[0].start: input should be greater than or "
                 "equal to 0", id="negative-offset"),
    pytest.param(lambda r: mention(r, text="Voss"), "entities[0].mentions[0]: offsets 0:11 give 'Harlan Voss', not "
                 "the mention text 'Voss'", id="mention-text"),
    pytest.param(lambda r: relation(r, object="e9"), "relations[0].object: 'e9' is not an entity id of this record",
                 id="unknown-entity"),
    pytest.param(lambda r: r["entities"][1].update(id="e1"), "entities[1].id: 'e1' is defined twice",
                 id="duplicate-id"),
    pytest.param(lambda r: entity(r, type="ROBOT"), "entities[0].type: 'ROBOT' is not an entity type", id="type"),
    pytest.param(lambda r: relation(r, predicate="LOVES"), "relations[0].predicate: 'LOVES' is not a predicate",
                 id="predicate"),
    pytest.param(lambda r: relation(r, confidence=True), "relations[0].confidence: input should be a valid number",
                 id="bool-confidence"),
    pytest.param(lambda r: relation(r, confidence=7), "relations[0].confidence: input should be less than or equal",
                 id="confidence-range"),
    pytest.param(lambda r: relation(r, denied=1), "relations[0].denied: input should be a valid boolean",
                 id="int-flag"),
    pytest.param(lambda r: entity(r, name="  "), "entities[0].name: must not be blank", id="blank-name"),
    pytest.param(lambda r: r["entities"][0].pop("name"), 'entities[0]: missing "name"', id="missing-name"),
    pytest.param(lambda r: r["relations"][0].pop("evidence"), 'relations[0]: missing "evidence"', id="no-evidence"),
    pytest.param(lambda r: r.update(entities={"e1": {}}), "entities: input should be a valid list", id="entities-map"),
    pytest.param(lambda r: document(r, id="sha256:00"), "document id sha256:00 does not match its text", id="bad-id"),
]


@pytest.mark.parametrize("change, reason", BAD_RECORDS)
def test_bad_extract_record_fails_alone_with_its_field(tmp_path: Path, change: Any, reason: str) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("\n".join([variant(change), json.dumps(GOOD[1])]) + "\n", "utf-8")
    problems: list[tuple[str, str]] = []
    found = list(read_extractions([str(path)], on_skip=lambda p, r: problems.append((p, r))))
    assert [e.document.path for e in found] == [GOOD[1]["document"]["path"]]
    [(where, got)] = problems
    assert where == f"{path}:1" and got.startswith(reason), got
    assert "\n" not in got


def test_cli_from_jsonl_writes_the_good_records_and_exits_1(engine: EmbeddedEngine, records: GraphStore,
                                                            tmp_path: Path) -> None:
    bad = [p.values[0] for p in BAD_RECORDS[:5]] + [BAD_RECORDS[7].values[0]]  # issue's cases, unknown id
    lines = [json.dumps(GOOD[0]), *(variant(change) for change in bad), json.dumps(GOOD[1])]
    path = tmp_path / "out.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    done = cli(engine.home, "ingest", "--from-jsonl", "--no-resolve", "--json", str(path))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert (summary["documents ingested"], summary["files failed"]) == (2, 6)
    err = oneline(done.stderr)
    for n in range(2, 8):
        assert f"failed {path}:{n}: " in err
    assert "entities[0].name" in err and "document.paths: input should be a valid list, got 'abc'" in err
    sources = sorted(s for r in records.read("MATCH (d:Document) RETURN d.sources AS s") for s in r["s"])
    assert sources == ["news/league.txt", "news/voss.txt"]  # no `1`, no `a`, `b`, `c`
    assert records.read("MATCH (d:Document) WHERE d.pending = true RETURN count(d) AS n") == [{"n": 0}]


def test_jsonl_documents_beside_files_fail_alone_and_are_cleaned(engine: EmbeddedEngine, records: GraphStore,
                                                                 tmp_path: Path) -> None:
    """Six good files, and a .jsonl whose lines hold a lone surrogate, a NUL escape, a bad field and a good text."""
    for i in range(6):
        (tmp_path / f"f{i}.txt").write_text(f"Harlan Voss{i} funds the Northwind Trust.\n", "utf-8")
    rows = [
        '{"text": "Lone \\ud800 surrogate: Ilse Marrow funds the Meridian League."}',
        '{"text": "A NUL\\u0000 here: Ilse Marrow opposes the Meridian League.", "title": "T\\u0000"}',
        '{"text": "Typed wrong.", "title": 5}',
        '{"text": "Ilse Marrow supports the Calder Party."}',
    ]
    (tmp_path / "docs.jsonl").write_text("\n".join(rows) + "\n", "utf-8")
    done = cli(engine.home, "ingest", "--no-resolve", "--json", str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert (summary["documents ingested"], summary["files failed"]) == (9, 1)
    where = tmp_path / "docs.jsonl"
    err = oneline(done.stderr)
    assert f"failed {where}:3: title: input should be a valid string, got 5" in err
    assert f"warning: {where}:1: 1 NUL or lone surrogate character replaced by U+FFFD" in err
    assert f"warning: {where}:2: 2 NUL or lone surrogate characters replaced" in err
    texts = {r["t"] for r in records.read("MATCH (d:Document) RETURN d.text AS t")}
    assert "Lone \ufffd surrogate: Ilse Marrow funds the Meridian League." in texts
    assert "A NUL\ufffd here: Ilse Marrow opposes the Meridian League." in texts
    assert not any("\x00" in t or re.search("[\ud800-\udfff]", t) for t in texts)


def test_from_jsonl_text_with_nul_and_surrogate_keeps_its_offsets(records: GraphStore, tmp_path: Path) -> None:
    """Cleaning is one character for one: offsets after a NUL or a lone surrogate still give the same text."""
    record = copy.deepcopy(GOOD[0])
    text = "\x00\ud800" + record["document"]["text"]
    raw_id = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    record["document"].update(text=text, id=raw_id)  # an id computed over the raw text is accepted
    for ent in record["entities"]:
        for m in ent["mentions"]:
            m["start"] += 2
            m["end"] += 2
    for rel in record["relations"]:
        rel["evidence"]["start"] += 2
        rel["evidence"]["end"] += 2
    path = tmp_path / "raw.jsonl"
    path.write_text(json.dumps(record) + "\n", "utf-8")  # json.dumps writes \u0000 and \ud800 escapes
    problems: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []

    def on_problem(kind: str, where: str, reason: str) -> None:
        (warnings if kind == "warning" else problems).append((where, reason))

    report = ingest_paths(records, [str(path)], from_jsonl=True, on_problem=on_problem)
    assert problems == [] and report.ingested == 1 and report.ok
    assert warnings == [(f"{path}:1", "2 NUL or lone surrogate characters replaced by U+FFFD (offsets unchanged)")]
    [doc] = records.read("MATCH (d:Document) RETURN d.id AS id, d.text AS text")
    assert doc["text"] == "\ufffd\ufffd" + GOOD[0]["document"]["text"] and doc["id"] == text_id(doc["text"])
    evidence = {r["e"] for r in records.read("MATCH ()-[c:FUNDS]->() RETURN c.evidence AS e")}
    assert evidence == {"Harlan Voss funds the Northwind Trust."}


def test_nul_byte_far_into_a_file_is_binary_like_at_its_start(engine: EmbeddedEngine, records: GraphStore,
                                                                tmp_path: Path) -> None:
    body = "Harlan Voss funds the Northwind Trust. " * 300  # over 8 KB before the NUL
    (tmp_path / "late_nul.txt").write_bytes(body.encode() + b"\x00 tail")
    (tmp_path / "late_nul.html").write_bytes(b"<html><body><p>" + body.encode() + b"\x00</p></body></html>")
    (tmp_path / "good.txt").write_text("Ilse Marrow funds the Meridian League.\n", "utf-8")
    skipped: list[tuple[str, str]] = []
    docs = list(read_documents([str(tmp_path)], on_skip=lambda p, r: skipped.append((Path(p).name, r))))
    assert [Path(d.path or "").name for d in docs] == ["good.txt"]
    assert sorted(skipped) == [("late_nul.html", "binary file (NUL bytes), not text"),
                               ("late_nul.txt", "binary file (NUL bytes), not text")]
    done = cli(engine.home, "ingest", "--no-resolve", "--json", str(tmp_path))
    assert done.returncode == 0, done.stderr  # skipped, as a NUL at the start is: not a failure
    summary = json.loads(done.stdout)
    assert (summary["documents ingested"], summary["files skipped"], summary["files failed"]) == (1, 2, 0)
    assert "refused" not in done.stderr


def test_from_jsonl_raw_nul_byte_after_the_first_8_kb_fails_its_line(records: GraphStore, tmp_path: Path) -> None:
    good = [json.dumps(r) for r in GOOD]
    padding = [json.dumps({**GOOD[0], "pad": "x" * 9000})]  # an unknown field: ignored, and past the first 8 KB
    path = tmp_path / "late.jsonl"
    path.write_bytes(("\n".join(padding) + "\n").encode() + b'{"document": {"text": "a\x00b"}}\n'
                     + ("\n".join(good[1:]) + "\n").encode())
    problems: list[tuple[str, str]] = []
    found = list(read_extractions([str(path)], on_skip=lambda p, r: problems.append((p, r))))
    assert len(found) == 2
    assert problems == [(f"{path}:2", "a NUL byte in the line: binary data, not an extract record")]


def _deep_directory(parent: Path) -> Path:
    """A directory nested past PATH_MAX: no process can list it by its path, root included."""
    top = parent / "deep"
    top.mkdir()
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(18):  # 18 x 251 characters > 4096
            name = "d" * 250
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("lost.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, b"Ilse Marrow funds the Meridian League.\n")
        os.close(out)
    finally:
        os.close(fd)
    return top


#: Root lists any directory whatever its mode, so there the path-too-long case (unlistable even by root) is the one.
UNREADABLE = ["path-too-long"] + ([] if os.geteuid() == 0 else ["no-permission"])


@pytest.mark.parametrize("how", UNREADABLE)
def test_unreadable_subdirectory_is_reported_and_exits_1(tmp_path: Path, how: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Harlan Voss funds the Northwind Trust.\n", "utf-8")
    if how == "path-too-long":
        _deep_directory(corpus)
        expected = "File name too long"
    else:
        locked = corpus / "locked"
        locked.mkdir()
        (locked / "x.txt").write_text("Ilse Marrow funds the Meridian League.\n", "utf-8")
        locked.chmod(0)
        expected = "Permission denied"
    try:
        skipped: list[tuple[str, str]] = []
        docs = list(read_documents([str(corpus)], on_skip=lambda p, r: skipped.append((p, r))))
        assert [Path(d.path or "").name for d in docs] == ["good.txt"]
        [(where, reason)] = skipped
        assert where.startswith(str(corpus) + os.sep) and reason == f"cannot read directory ({expected})"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "actorgraph", "extract", str(corpus)], env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 1, done.stderr
        assert f"cannot read directory ({expected})" in done.stderr and "1 failed" in done.stderr
        assert [json.loads(line)["document"]["path"] for line in done.stdout.splitlines()] == [
            str(corpus / "good.txt")
        ]
    finally:
        if how == "no-permission":
            (corpus / "locked").chmod(0o755)
        shutil.rmtree(corpus)


def test_clean_text_and_shown() -> None:
    assert clean_text("a\x00b\ud800c\udfffd") == "a\ufffdb\ufffdc\ufffdd"
    assert clean_text("café 😀\n\t") == "café 😀\n\t"
    assert shown(f"Voss{RLO}ssoV {ESC}[31mred\x07\n\u2066x\u2069 \u200f") == (
        "Voss\\u202essoV \\u001b[31mred\\u0007\\n\\u2066x\\u2069 \\u200f"
    )
    assert shown("Mukhtar Ablyazov, Алматы, 北京, عربي") == "Mukhtar Ablyazov, Алматы, 北京, عربي"


def _hidden_record() -> dict[str, Any]:
    """A record whose names hold a right-to-left override and a terminal escape."""
    record = copy.deepcopy(GOOD[0])
    record["entities"][0]["name"] = f"Harlan {RLO}ssoV"
    record["entities"][0]["aliases"].append(f"{ESC}[2JVoss")
    return record


def test_tables_show_control_and_bidi_characters_escaped(engine: EmbeddedEngine, records: GraphStore,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "hidden.jsonl"
    path.write_text(json.dumps(_hidden_record()) + "\n", "utf-8")
    assert cli(engine.home, "ingest", "--from-jsonl", "--no-resolve", str(path)).returncode == 0
    for args in (("cypher", "MATCH (a:Actor) RETURN a.name AS name, a.aliases AS aliases"), ("stats",)):
        table = cli(engine.home, *args)
        assert table.returncode == 0, table.stderr
        assert RLO not in table.stdout and ESC not in table.stdout
        assert "Harlan \\u202essoV" in table.stdout
    assert "\\u001b[2JVoss" in cli(engine.home, "cypher", "MATCH (a:Actor) RETURN a.aliases AS a").stdout
    as_json = json.loads(cli(engine.home, "cypher", "MATCH (a:Actor) RETURN a.name AS n", "--format", "json").stdout)
    assert f"Harlan {RLO}ssoV" in {r["n"] for r in as_json["rows"]}  # data for scripts stays as stored

    article = tmp_path / f"evil{RLO}txt.txt"
    article.write_text(f"Headline {ESC}[31mred{RLO}\n\nThe Northwind Trust{RLO} is funded by Harlan Voss.\n", "utf-8")
    empty = tmp_path / f"clear{ESC}[2J.txt"
    empty.write_text("")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "actorgraph", "extract", str(article), str(empty), "--format", "table"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 1, done.stderr  # the empty file
    assert RLO not in done.stdout + done.stderr and ESC not in done.stdout + done.stderr
    assert "evil\\u202etxt.txt" in done.stdout and "Headline \\u001b[31mred\\u202e" in done.stdout
    assert "skipped " + str(tmp_path / "clear\\u001b[2J.txt") + ": empty" in done.stderr


def test_viz_page_shows_control_and_bidi_characters_escaped(records: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "hidden.jsonl"
    path.write_text(json.dumps(_hidden_record()) + "\n", "utf-8")
    assert ingest_paths(records, [str(path)], from_jsonl=True).ok
    page = viz.render_html(viz.build_view(records, title=f"about {RLO}ssoV"))
    assert RLO not in page and ESC not in page
    assert "<title>about \\u202essoV</title>" in page
    data = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert data
    nodes = json.loads(data[1])["nodes"]
    assert "Harlan \\u202essoV" in {n["name"] for n in nodes}
    assert any("\\u001b[2JVoss" in n["aliases"] for n in nodes)


def test_the_schema_accepts_what_extract_writes(nlp: Any) -> None:
    """Round trip: every record `extract` makes of the examples passes the checks `--from-jsonl` applies."""
    from actorgraph import extract_documents
    from actorgraph.extract import schema

    found = list(extract_documents(sorted(str(p) for p in (ROOT / "examples").glob("*.txt"))))
    assert len(found) >= 5
    for extraction in found:
        record = json.loads(json.dumps(extraction.to_json()))
        checked = Extraction.from_record(schema.validate_extraction(record))
        assert checked.to_json() == extraction.to_json()


def test_validation_does_not_load_pydantic_for_help() -> None:
    """pydantic is imported where records are validated, not by `actorgraph --help` or the readers' import."""
    code = (
        "import sys\n"
        "from actorgraph.cli import app\n"
        "import actorgraph.extract.reader, actorgraph.ingest.ingest, actorgraph.output\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_input_document_reasons(tmp_path: Path) -> None:
    rows = ['{"text": 5}', '{"text": "ok text", "url": ["x"]}', '{"title": "none"}', '{"text": "fine text"}']
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    skipped: list[tuple[str, str]] = []
    docs = list(read_documents([str(path)], on_skip=lambda p, r: skipped.append((p, r))))
    assert [d.text for d in docs] == ["fine text"]
    assert skipped == [
        (f"{path}:1", "text: input should be a valid string, got 5"),
        (f"{path}:2", "url: input should be a valid string, got ['x']"),
        (f"{path}:3", 'missing "text"'),
    ]
    with pytest.raises(InputError):
        from actorgraph.extract import schema

        schema.validate_document({"text": None})


any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=8)  # NUL and lone surrogates too
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(value=json_values, ascii_only=st.booleans())
def test_the_byte_scan_never_misses_a_string_to_clean(value: Any, ascii_only: bool) -> None:
    """`json_needs_cleaning` lets a line skip the walk over its strings only when the walk would change nothing."""
    try:  # as a JSON Lines reader sees it: UTF-8 bytes (a raw surrogate has none: only its escape is possible)
        raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    except UnicodeEncodeError:
        raw = json.dumps(value, ensure_ascii=True).encode("utf-8")
    parsed = json.loads(raw)
    cleaned, replaced = clean_strings(parsed)
    if not json_needs_cleaning(raw):
        assert replaced == 0 and cleaned == parsed
    assert not re.search("[\x00\ud800-\udfff]", json.dumps(cleaned, ensure_ascii=False))
