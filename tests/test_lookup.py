"""The one actor lookup ranks by evidence, says what it took, and serves query, viz, merge and the library alike;
`merge` keeps the fuller name unless `--name` says otherwise and shows both actors before and the survivor after.

Fixtures are hand-made `Extraction`s (invented actors), loaded without resolution so each name stays its own node.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_resolve import doc, load
from typer.testing import CliRunner

from actorgraph import Graph
from actorgraph.cli import app
from actorgraph.config import Settings
from actorgraph.errors import ConfigError
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ids import actor_id
from actorgraph.queries import AmbiguousActor, rank_candidates, resolve_actor
from actorgraph.resolve import merge_actors, not_same, resolve, split_actor

ORLA = actor_id("PERSON", "Orla Brandt")
STRAY = actor_id("PERSON", "Brandt")
KAI = actor_id("PERSON", "Kai Brandt")

# "Brandt" is Orla Brandt's short form in two documents with claims, a stray 0-claim "Brandt" node mentioned more
# often than she is, and Kai Brandt, whose documents never call him "Brandt".
BRANDT = [
    doc(
        "Orla Brandt accused Tessin Holdings of fraud. Brandt said so twice.",
        [("PERSON", "Orla Brandt", ["Brandt"]), ("ORG", "Tessin Holdings", [])],
        [("Orla Brandt", "ACCUSES", "Tessin Holdings")],
    ),
    doc(
        "Orla Brandt funds the Harbour League. Brandt is its patron.",
        [("PERSON", "Orla Brandt", ["Brandt"]), ("ORG", "Harbour League", [])],
        [("Orla Brandt", "FUNDS", "Harbour League")],
    ),
    doc("Brandt was in Rome. Brandt ate. Brandt slept. Brandt left. Brandt came back.", [("PERSON", "Brandt", [])]),
    doc("Kai Brandt sailed home.", [("PERSON", "Kai Brandt", [])]),
]


def row(i: str, claims: int, mentions: int, documents: int, name: str = "X") -> dict[str, Any]:
    return {"id": i, "name": name, "type": "ORG", "claims": claims, "mentions": mentions, "documents": documents}


def test_candidates_rank_by_claims_then_mentions_then_documents_then_exact_name() -> None:
    rows = [
        row("org:1", 0, 90, 9, "Labour"),  # the most mentions, no claim
        row("org:2", 3, 5, 2, "Labour Party"),
        row("org:3", 3, 5, 4, "Labour Party"),  # same claims and mentions, more documents
        row("org:4", 3, 8, 1, "Labour Party"),  # same claims, more mentions
        row("org:5", 0, 90, 9, "Labour Unions"),  # equal evidence to org:1, but not named "Labour"
    ]
    assert [r["id"] for r in rank_candidates(rows, "labour")] == ["org:4", "org:3", "org:2", "org:1", "org:5"]


def test_a_bigger_actor_wins_over_a_stray_zero_claim_node_and_the_others_are_listed(graph: GraphStore) -> None:
    load(graph, *BRANDT, resolve=False)
    taken = resolve_actor(graph, "brandt")
    assert taken["id"] == ORLA and taken["claims"] == 2
    assert [o["id"] for o in taken["others"]] == [STRAY]  # Kai Brandt is not called "Brandt"
    stray = taken["others"][0]
    assert (stray["name"], stray["claims"]) == ("Brandt", 0) and stray["mentions"] > taken["mentions"]
    assert resolve_actor(graph, STRAY)["name"] == "Brandt"  # the other one, by the id the row gives
    assert resolve_actor(graph, "Kai Brandt")["others"] == []


def test_equal_evidence_is_ambiguous_and_lists_both(graph: GraphStore) -> None:
    load(
        graph,
        doc("Mira Voss spoke.", [("PERSON", "Mira Voss", ["Voss"])]),
        doc("Ivo Voss spoke.", [("PERSON", "Ivo Voss", ["Voss"])]),
        resolve=False,
    )
    with pytest.raises(AmbiguousActor) as caught:
        resolve_actor(graph, "Voss")
    assert {c["name"] for c in caught.value.candidates} == {"Mira Voss", "Ivo Voss"}
    assert "0 claims" in str(caught.value) and "id" in caught.value.hint


def test_query_viz_library_and_merge_take_the_same_actor(engine: EmbeddedEngine, tmp_path: Path) -> None:
    """One lookup everywhere: `query`, `viz` and `Graph.actor` take Orla Brandt for "Brandt" and say so."""
    with Graph(settings=Settings(home=engine.home, graph="lookup-same")) as g:
        g.store.clear()
        load(g.store, *BRANDT, resolve=False)
        assert g.actor("Brandt")["id"] == ORLA
        result = g.query_result("actor", "Brandt")
        assert result.actors["actor"]["id"] == ORLA
        assert [o["id"] for o in result.actors["actor"]["others"]] == [STRAY]
        env = {"ACTORGRAPH_HOME": str(engine.home), "ACTORGRAPH_GRAPH": "lookup-same", "NEO4J_URI": "",
               "COLUMNS": "200"}
        runner = CliRunner()
        queried = runner.invoke(app, ["query", "actor", "Brandt"], env=env, catch_exceptions=False)
        assert queried.exit_code == 0, queried.output
        assert queried.stderr.startswith(f"actor: Orla Brandt (PERSON, {ORLA}, 2 claims")
        assert f"Brandt (PERSON, {STRAY}, 0 claims, 5 mentions)" in queried.stderr
        drawn = runner.invoke(app, ["viz", "Brandt", "-o", str(tmp_path / "n.html")], env=env,
                              catch_exceptions=False)
        assert drawn.exit_code == 0 and drawn.stderr.startswith("actor: Orla Brandt (PERSON")
        assert "Tessin Holdings" in (tmp_path / "n.html").read_text("utf-8")
        # merge "Orla Brandt" "Brandt": "Brandt" alone would be Orla again, so it means the node named "Brandt"
        report = g.merge("Orla Brandt", "Brandt")
        assert [r["id"] for r in report.before] == [ORLA, STRAY]
        assert report.after["id"] == ORLA and report.after["name"] == "Orla Brandt"
        assert report.after["mentions"] == 2 + 2 + 5
        g.store.clear()


@pytest.fixture
def labour(graph: GraphStore) -> Iterator[GraphStore]:
    """"Labour" and "Labour Party" as two nodes: the short one has more claims, the long one the fuller name."""
    load(
        graph,
        doc(
            "Labour accused Tessin Holdings of fraud. Labour backs the Harbour League.",
            [("ORG", "Labour", []), ("ORG", "Tessin Holdings", []), ("ORG", "Harbour League", [])],
            [("Labour", "ACCUSES", "Tessin Holdings"), ("Labour", "SUPPORTS", "Harbour League")],
        ),
        doc("The Labour Party met.", [("ORG", "Labour Party", [])]),
        resolve=False,
    )
    yield graph


def test_merge_keeps_the_fuller_name_and_shows_before_and_after(labour: GraphStore) -> None:
    short, long = actor_id("ORG", "Labour"), actor_id("ORG", "Labour Party")
    report = merge_actors(labour, "Labour", "Labour Party")
    assert [(r["id"], r["name"]) for r in report.before] == [(short, "Labour"), (long, "Labour Party")]
    assert report.before[0]["claims"] == 2 and report.before[1]["claims"] == 0
    assert report.after["id"] == short  # A keeps its id ...
    assert report.after["name"] == "Labour Party" and "Labour" in report.after["aliases"]  # ... the fuller name
    assert resolve_actor(labour, "Labour Party")["id"] == short
    again = merge_actors(labour, "Labour", "Labour Party")  # a re-run: already done, said with the same views
    assert "already one actor" in again.note and again.after["name"] == "Labour Party"


def test_merge_name_chooses_the_survivors_name_and_it_lasts(labour: GraphStore) -> None:
    short = actor_id("ORG", "Labour")
    with pytest.raises(ConfigError, match="not a name of"):
        merge_actors(labour, "Labour Party", "Labour", name="Labour Movement")
    report = merge_actors(labour, "Labour Party", "Labour", name="labour")
    assert report.after["id"] == actor_id("ORG", "Labour Party") and report.after["name"] == "Labour"
    assert report.after["claims"] == 2 and "Labour Party" in report.after["aliases"]
    assert resolve(labour).merged_now == []  # resolve keeps the chosen name
    load(labour, doc("Labour Party leaders met again.", [("ORG", "Labour Party", [])]))  # so does a new ingest
    assert resolve_actor(labour, "Labour")["name"] == "Labour"
    with pytest.raises(ConfigError, match="already one actor"):
        merge_actors(labour, "Labour Party", "Labour", name="Labour Party")  # renaming needs split first
    split_actor(labour, short)  # the split drops the chosen name with the merge
    assert resolve_actor(labour, "Labour Party")["name"] == "Labour Party"
    assert resolve_actor(labour, short)["name"] == "Labour"


def test_merge_cli_prints_both_before_and_the_survivor_after(engine: EmbeddedEngine) -> None:
    with Graph(settings=Settings(home=engine.home, graph="lookup-merge")) as g:
        g.store.clear()
        load(g.store, *BRANDT, resolve=False)
    env = {**os.environ, "ACTORGRAPH_HOME": str(engine.home), "ACTORGRAPH_GRAPH": "lookup-merge", "NEO4J_URI": "",
           "COLUMNS": "200"}
    result = CliRunner().invoke(app, ["merge", "Orla Brandt", "Brandt", "--name", "Brandt"], env=env,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"before A: Orla Brandt (PERSON, {ORLA}, 2 claims, 4 mentions)"
    assert lines[1] == f"before B: Brandt (PERSON, {STRAY}, 0 claims, 5 mentions)"
    assert f"Orla Brandt (PERSON, {ORLA}" in lines[2] and "id" in lines[2]  # what else "Brandt" fits
    assert lines[3] == f"after: Brandt (PERSON, {ORLA}, 2 claims, 9 mentions); aliases: Orla Brandt"
    assert lines[4].startswith("merged  Brandt")
    with Graph(settings=Settings(home=engine.home, graph="lookup-merge")) as g:
        g.store.clear()


def test_not_same_reads_a_pair_of_names_as_merge_does(graph: GraphStore) -> None:
    """"Brandt" beside "Orla Brandt" is the node named "Brandt", so the judgement is recorded between the two."""
    load(graph, *BRANDT, resolve=False)
    not_same(graph, "Orla Brandt", "Brandt")
    resolve(graph)
    assert resolve_actor(graph, STRAY)["id"] == STRAY and resolve_actor(graph, ORLA)["id"] == ORLA
    assert "already recorded" in not_same(graph, "Orla Brandt", "Brandt").note
