"""`actorgraph extract` through the real CLI (typer's CliRunner on `actorgraph.cli.app`) and the real model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.extract.model import text_id
from actorgraph.vocab import ENTITY_TYPES, PREDICATES

ARTICLES = {
    "a_party.txt": (
        "Party leader accused of fraud\n\n"
        "By Jane Doe\n\n"
        "The Northland Freedom Party is funded by Acme Holdings, the company said on Tuesday. "
        "Party leader John Carter was accused of fraud and money laundering by prosecutors in Oslo.\n\n"
        "Tags: , ,\n"
    ),
    "b_court.md": (
        "# Court bans movement\n\n"
        "The Supreme Court of Westland banned the Green Dawn Movement, which is led by Maria Lopez. "
        "Ms Lopez denied the charges and said she would appeal.\n"
    ),
    "c_ngo.txt": (
        "Charity backs campaign\n\n"
        "The Brussels-based Open Rights Foundation supports the Clean Water Alliance. "
        "Its director, Peter Novak, criticised the European Commission over the delay.\n"
    ),
    "d_firm.txt": (
        "Bank fined\n\n"
        "Atlantic Bank was fined by the Financial Conduct Authority for failing to stop money laundering.\n"
    ),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def runner(nlp: Any) -> CliRunner:
    """The CLI loads its model through load_model(), cached per process: the session's `nlp` warms it."""
    return CliRunner()


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def check_contract(record: dict[str, Any], text: str) -> None:
    """One `extract` line against ../shared/docs/relations.md: fields, ids and offsets into the text."""
    document = record["document"]
    assert document["id"] == text_id(text)
    ids = set()
    for entity in record["entities"]:
        assert set(entity) >= {"id", "type", "name", "aliases", "mentions"}
        assert entity["type"] in ENTITY_TYPES
        assert entity["id"] not in ids
        ids.add(entity["id"])
        assert isinstance(entity["name"], str) and entity["name"]
        assert isinstance(entity["aliases"], list)
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    for relation in record["relations"]:
        assert relation["predicate"] in PREDICATES
        assert relation["subject"] in ids and relation["object"] in ids
        evidence = relation["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
        assert 0.0 <= relation["confidence"] <= 1.0
        assert isinstance(relation.get("rule", ""), str)


def test_jsonl_output_follows_the_contract(runner: CliRunner, corpus: Path) -> None:
    out = corpus / "pred.jsonl"
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    records = jsonl(out.read_text(encoding="utf-8"))
    assert [Path(r["document"]["path"]).name for r in records] == sorted(ARTICLES)  # input (sorted) order
    for record in records:
        check_contract(record, ARTICLES[Path(record["document"]["path"]).name])
    assert records[0]["document"]["title"] == "Party leader accused of fraud"
    assert records[0]["document"]["author"] == "Jane Doe"
    assert records[1]["document"]["title"] == "Court bans movement"
    names = {e["name"] for r in records for e in r["entities"]}
    assert "John Carter" in names
    assert "Tags" not in " ".join(names)  # furniture is masked: nothing is read from it
    assert "4 documents" in result.stderr


def test_output_inside_the_input_folder_is_not_read(runner: CliRunner, corpus: Path) -> None:
    out = corpus / "pred.jsonl"
    for _ in range(2):
        result = runner.invoke(app, ["extract", str(corpus), "-q", "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert len(jsonl(out.read_text(encoding="utf-8"))) == len(ARTICLES)


def test_stdout_and_stdin(runner: CliRunner) -> None:
    text = ARTICLES["d_firm.txt"]
    result = runner.invoke(app, ["extract", "-"], input=text, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    [record] = jsonl(result.stdout)
    assert record["document"]["path"] == "<stdin>"
    check_contract(record, text)


def test_html_on_stdin_is_read_as_html(runner: CliRunner) -> None:
    body = " ".join(f"<p>{ARTICLES['c_ngo.txt'].splitlines()[2]}</p>" for _ in range(2))
    page = (
        "<!DOCTYPE html><html><head><title>Charity backs campaign</title></head><body>"
        "<nav><a href='/'>NAVIGATION-MUST-NOT-APPEAR</a></nav><script>var SCRIPT_MUST_NOT_APPEAR = 1;</script>"
        f"<article><h1>Charity backs campaign</h1>{body}</article></body></html>"
    )
    result = runner.invoke(app, ["extract", "-"], input=page, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    [record] = jsonl(result.stdout)
    text = record["document"]["text"]
    assert "Open Rights Foundation" in text and "MUST_NOT" not in text and "MUST-NOT" not in text
    check_contract(record, text)


def test_bad_files_reported_and_exit_1(runner: CliRunner, corpus: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\x03binary")
    (corpus / "garbled.txt").write_bytes(bytes(range(0x80, 0x100)) * 3)
    paths = [str(corpus / n) for n in ("empty.txt", "binary.txt", "garbled.txt", "d_firm.txt", "missing.txt")]
    result = runner.invoke(app, ["extract", *paths])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [record] = jsonl(result.stdout)
    assert record["document"]["path"].endswith("d_firm.txt")
    stderr = result.stderr
    assert "empty.txt: empty" in stderr
    assert "binary.txt: binary file" in stderr
    assert "garbled.txt: not UTF-8" in stderr
    assert "missing.txt: no such file" in stderr
    assert "4 failed" in stderr


def test_table_format(runner: CliRunner, corpus: Path) -> None:
    path = str(corpus / "a_party.txt")
    data = runner.invoke(app, ["extract", path], catch_exceptions=False)
    [record] = jsonl(data.stdout)
    out = corpus / "table.txt"
    result = runner.invoke(app, ["extract", path, "--format", "table", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    table = out.read_text(encoding="utf-8")
    assert "a_party.txt" in table and "Party leader accused of fraud" in table
    for entity in record["entities"]:
        if len(entity["name"]) <= 20:
            assert entity["name"] in table
    for relation in record["relations"]:
        assert relation["predicate"] in table
    assert not table.lstrip().startswith("{")


def test_workers_same_output_as_one_process(runner: CliRunner, corpus: Path) -> None:
    one = runner.invoke(app, ["extract", str(corpus), "-q"], catch_exceptions=False)
    two = runner.invoke(app, ["extract", str(corpus), "-q", "--workers", "2", "--batch-size", "1"])
    assert two.exit_code == 0, two.output
    assert two.stdout == one.stdout
    assert len(jsonl(two.stdout)) == len(ARTICLES)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_unknown_model_is_one_error_line_with_hint(runner: CliRunner, corpus: Path, workers: str) -> None:
    args = ["extract", str(corpus / "d_firm.txt"), "--model", "no_such_model_xyz", "--workers", workers]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Error:" in result.stderr and "no_such_model_xyz" in result.stderr
    assert "Hint:" in result.stderr
    assert "Traceback" not in result.output


def test_no_documents_and_unwritable_output(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty_dir").mkdir()
    result = runner.invoke(app, ["extract", str(tmp_path / "empty_dir")])
    assert result.exit_code == 1 and "no documents found" in result.stderr
    (tmp_path / "x.txt").write_text(ARTICLES["d_firm.txt"], encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "x.txt"), "-o", str(tmp_path / "no" / "dir" / "o.jsonl")])
    assert result.exit_code == 2 and "cannot write" in result.stderr and "Traceback" not in result.output
