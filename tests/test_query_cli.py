"""`actorgraph query` and `actorgraph cypher` through the real CLI, on the invented fixture network.

The graph is loaded once with `actorgraph ingest --from-jsonl`; most checks run the Typer app in-process (same
code path, faster), the injection round trip and the error lines run the installed CLI in a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.queries import curated_queries

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries_graph.jsonl"
INJECTION = 'x"}) DETACH DELETE n //'
QUOTES = "O'Brien \\ Partners"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data dir holding the fixture network (ingested through the CLI); its engine stops at the end."""
    path = tmp_path_factory.mktemp("qcli") / "data"
    try:
        done = cli("ingest", "--from-jsonl", str(FIXTURE), home=path)
        assert done.returncode == 0, done.stderr
        yield path
    finally:
        EmbeddedEngine(path).stop()


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACTORGRAPH_HOME": str(home), "COLUMNS": "200"}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "actorgraph", *args], env=env, capture_output=True, text=True, timeout=120
    )


def run(home: Path, *args: str) -> Any:
    """The app in-process, with the fixture's data dir."""
    env = {"ACTORGRAPH_HOME": str(home), "COLUMNS": "200", "NEO4J_URI": ""}
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def one_line_error(result: subprocess.CompletedProcess[str], code: int) -> tuple[str, str]:
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr + result.stdout
    error, hint = result.stderr.strip().splitlines()
    assert error.startswith("Error: ") and hint.startswith("Hint: ")
    return error, hint


def test_list_shows_every_query(home: Path) -> None:
    table = run(home, "query", "--list")
    assert table.exit_code == 0
    for name in curated_queries():
        assert name in table.stdout
    listed = json.loads(run(home, "query", "--list", "--format", "json").stdout)
    assert {q["name"] for q in listed} == set(curated_queries())
    paths = next(q for q in listed if q["name"] == "paths")
    assert paths["dialects"] == ["neo4j", "falkordb"] and paths["params"][2]["default"] == "3"


def test_json_rows_with_claim_ids(home: Path) -> None:
    result = run(home, "query", "accusations-against", "viktor halvorsen", "--format", "json")
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["query"] == "accusations-against" and data["actors"]["actor"]["name"] == "Viktor Halvorsen"
    assert {r["charge"] for r in data["rows"]} == {"fraud", "embezzlement"}
    assert any(r["denied"] for r in data["rows"])
    assert set(data["claim_ids"]) == {i for r in data["rows"] for i in r["claim_ids"]}


def test_csv_with_a_header_and_json_lists(home: Path) -> None:
    result = run(home, "query", "funders", "Civic Voice Party", "--param", "depth=3", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["funder"], r["hops"]) for r in rows] == [
        ("Blue Harbor Foundation", "1"),
        ("Northwind Holdings", "2"),
        ("Viktor Halvorsen", "3"),
    ]
    assert len(json.loads(rows[2]["claim_ids"])) == 4


def test_table_and_limit(home: Path) -> None:
    result = run(home, "query", "network", "Northwind Holdings", "--limit", "2")
    assert result.exit_code == 0
    assert "2 claims" not in result.stdout and "1 claim" in result.stdout
    assert "showing the first 2 rows" in result.stderr
    paths = run(home, "query", "paths", "Northwind Holdings", "Tomas Reyes")
    assert "<-MEMBER_OF-" in paths.stdout and "Tomas Reyes is a member of the BHF." in paths.stdout


def test_several_matches_say_which_was_taken_and_list_the_others(home: Path) -> None:
    """"marsh" fits Lena Marsh and Marsh Capital: the one with more claims answers, stderr says so and lists
    the other with its id and evidence; JSON carries the same in `actors`."""
    result = run(home, "query", "actor", "marsh")
    assert result.exit_code == 0 and "Lena Marsh" in result.stdout
    taken, others = result.stderr.splitlines()[:2]
    assert taken.startswith("actor: Lena Marsh (PERSON, person:") and "claims" in taken
    assert "Marsh Capital (ORG, org:" in others and "mentions" in others and "id" in others
    picked = others.split("org:", 1)[1].split(",")[0]
    result = run(home, "query", "actor", f"org:{picked}", "--format", "json")
    assert json.loads(result.stdout)["rows"][0]["actor"] == "Marsh Capital"
    as_json = json.loads(run(home, "query", "actor", "marsh", "--format", "json").stdout)["actors"]["actor"]
    assert as_json["name"] == "Lena Marsh" and [o["name"] for o in as_json["others"]] == ["Marsh Capital"]


def test_did_you_mean(home: Path) -> None:
    error, hint = one_line_error(cli("query", "actor", "Viktor Halvorsn", home=home), 1)
    assert "Viktor Halvorsn" in error and "did you mean: 'Viktor Halvorsen'?" in hint
    error, hint = one_line_error(cli("query", "funder", "x", home=home), 1)
    assert "funders" in hint


def test_bad_arguments_are_one_line_errors(home: Path) -> None:
    one_line_error(cli("query", "funders", "Civic Voice Party", "--param", "depth=9", home=home), 2)
    one_line_error(cli("query", "funders", "Civic Voice Party", "--param", "deep=2", home=home), 2)
    one_line_error(cli("query", "paths", "Tomas Reyes", home=home), 2)
    one_line_error(cli("query", "funders", "--param", "depth", home=home), 2)


def test_names_with_quotes_are_queried_and_nothing_is_deleted(home: Path) -> None:
    before = json.loads(cli("db", "status", "--json", home=home).stdout)
    for name in (INJECTION, QUOTES):
        done = cli("query", "actor", name, "--format", "json", home=home)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["rows"][0]["actor"] == name
    done = cli("query", "evidence", INJECTION, "Lena Marsh", "--format", "json", home=home)
    assert (
        json.loads(done.stdout)["rows"][0]["evidence"]
        == f"The group {INJECTION} donated money to Lena Marsh."
    )
    found = cli(
        "cypher",
        "MATCH (a:Actor) WHERE a.name = $name RETURN a.name AS name",
        "-p",
        f"name={INJECTION}",
        "--format",
        "json",
        home=home,
    )
    assert json.loads(found.stdout)["rows"] == [{"name": INJECTION}]
    after = json.loads(cli("db", "status", "--json", home=home).stdout)
    assert (after["nodes"], after["relationships"]) == (before["nodes"], before["relationships"])


def test_cypher_is_read_only_unless_write(home: Path) -> None:
    error, hint = one_line_error(cli("cypher", "MATCH (n) DETACH DELETE n", home=home), 1)
    assert "read-only" in error and "nothing was changed" in error and "--write" in hint
    assert json.loads(cli("db", "status", "--json", home=home).stdout)["nodes"] > 0
    created = run(
        home, "cypher", "CREATE (s:Scratch {n: $n}) RETURN s.n AS n", "-p", "n=41", "--write", "-f", "json"
    )
    assert json.loads(created.stdout)["rows"] == [{"n": 41}]
    removed = run(home, "cypher", "MATCH (s:Scratch) DELETE s RETURN count(*) AS n", "--write", "-f", "csv")
    assert removed.stdout.splitlines() == ["n", "1"]
    error, hint = one_line_error(cli("cypher", "MATCH (a:Actor {name: $who}) RETURN a", home=home), 2)
    assert "$who" in error and "--param who=" in hint


def test_query_and_cypher_help_carry_an_example() -> None:
    for command in ("query", "cypher"):
        result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0 and "Example: actorgraph " + command in result.stdout
