"""Ingest into the real embedded graph: idempotence, duplicates, changed sources, forget, derived fields, CLI.

The fixtures in tests/fixtures/ are hand-written `extract` records about invented actors, so these tests pin
the writer without depending on what the extractor finds; one test at the end runs the real extractor.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.errors import NotFound
from actorgraph.extract.model import Extraction, text_id
from actorgraph.graph import cypher
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ids import actor_id, charge_id
from actorgraph.ingest import writer
from actorgraph.ingest.ingest import (
    _derived,
    forget_document,
    graph_stats,
    heal,
    ingest_extractions,
    ingest_paths,
    read_extractions,
    refresh_actors,
)
from actorgraph.vocab import ENTITY_TYPES, INTERNAL_TYPES, PREDICATES

FIXTURES = Path(__file__).parent / "fixtures"
VOSS = actor_id("PERSON", "Harlan Voss")
SHORT_VOSS = actor_id("PERSON", "Voss")
TRUST = actor_id("ORG", "Northwind Trust")
LEAGUE = actor_id("ORG", "Meridian League")
MARROW = actor_id("PERSON", "Ilse Marrow")
FRAUD = charge_id("fraud")


def load(name: str) -> list[Extraction]:
    problems: list[tuple[str, str]] = []
    found = list(read_extractions([str(FIXTURES / name)], on_skip=lambda p, r: problems.append((p, r))))
    assert not problems
    return found


def ingest(store: GraphStore, name: str) -> Any:
    return ingest_extractions(store, load(name))


def claims(store: GraphStore) -> set[tuple[str, str, str, str]]:
    rows = store.read(
        "MATCH (s:Actor)-[r]->(o) WHERE type(r) <> 'MENTIONED_IN' "
        "RETURN s.id AS s, type(r) AS p, o.id AS o, r.evidence AS evidence"
    )
    return {(r["s"], r["p"], r["o"], r["evidence"]) for r in rows}


def actor(store: GraphStore, node_id: str) -> dict[str, Any] | None:
    rows = store.read("MATCH (a {id: $id}) RETURN a", id=node_id)
    return rows[0]["a"] if rows else None


def test_first_ingest_writes_documents_actors_mentions_and_claims(graph: GraphStore) -> None:
    report = ingest(graph, "invented_a.jsonl")
    assert (report.ingested, report.unchanged, report.failed) == (2, 0, [])
    counts = graph.counts()
    assert counts["labels"] == {
        "Actor": 6,
        "Person": 3,
        "Organization": 2,
        "Place": 1,
        "Charge": 1,
        "Document": 2,
    }
    assert counts["types"] == {
        "FUNDS": 1,
        "BANNED_BY": 1,
        "ACCUSED_OF": 2,
        "WORKS_WITH": 1,
        "MEMBER_OF": 1,
        "MENTIONED_IN": 10,
    }
    assert (report.actors_added, report.claims_added, report.charges_added) == (6, 6, 1)
    # the negated relation ("Voss did not fund the Meridian League") is never a claim
    assert (VOSS, "FUNDS", LEAGUE) not in {c[:3] for c in claims(graph)}


def test_claims_carry_evidence_offsets_and_provenance(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    rows = graph.read(
        "MATCH (s:Actor)-[r]->(o) WHERE type(r) <> 'MENTIONED_IN' MATCH (d:Document {id: r.doc_id}) "
        "RETURN r AS r, d.text AS text, s.id AS s, o.id AS o"
    )
    assert len(rows) == 6
    for row in rows:
        r = row["r"]
        assert row["text"][r["start"] : r["end"]] == r["evidence"]
        assert (r["subject_key"], r["object_key"]) == (row["s"], row["o"])
        assert r["id"].startswith("claim:") and r["rule"] == "test.v1" and 0 < r["confidence"] <= 1
    denied = [row["r"] for row in rows if row["r"]["denied"]]
    assert [d["evidence"] for d in denied] == ["Voss denies fraud."]


def test_document_node_keeps_text_sources_and_metadata(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    first = load("invented_a.jsonl")[0].document
    doc = graph.read("MATCH (d:Document {id: $id}) RETURN d", id=first.id)[0]["d"]
    assert doc["text"] == first.text and doc["id"] == text_id(first.text)
    assert doc["sources"] == ["news/voss.txt"]
    assert (doc["title"], doc["published"], doc["complete"]) == ("Voss and the Trust", "2024-03-01", True)
    assert isinstance(doc["ingested_at"], str) and doc["ingested_at"][:2] == "20"


def test_derived_actor_fields_come_from_mentions(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    trust = actor(graph, TRUST)
    assert trust is not None
    assert (trust["name"], trust["type"], trust["aliases"]) == ("Northwind Trust", "ORG", ["NT"])
    assert (trust["mention_count"], trust["doc_count"], trust["dirty"]) == (4, 2, False)
    voss = actor(graph, VOSS)
    assert voss is not None and voss["aliases"] == ["Voss"] and voss["mention_count"] == 3
    fraud = actor(graph, FRAUD)
    assert fraud is not None and (fraud["name"], fraud["doc_count"]) == ("fraud", 2)


def test_second_ingest_changes_nothing(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    before, before_claims = graph.counts(), claims(graph)
    report = ingest(graph, "invented_a.jsonl")
    assert (report.ingested, report.unchanged) == (0, 2)
    assert (report.actors_added, report.claims_added, report.sources_added) == (0, 0, 0)
    assert graph.counts() == before and claims(graph) == before_claims


def test_same_text_from_another_path_is_one_document_with_both_sources(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    report = ingest(graph, "invented_b.jsonl")  # a new text, and news/voss.txt's text again from mirror/
    assert (report.ingested, report.unchanged, report.sources_added) == (1, 1, 1)
    rows = graph.read("MATCH (d:Document) WHERE 'mirror/voss-copy.txt' IN d.sources RETURN d.sources AS s")
    assert rows == [{"s": ["news/voss.txt", "mirror/voss-copy.txt"]}]
    assert graph.counts()["labels"]["Document"] == 3


def test_duplicate_texts_in_one_batch_are_one_document(graph: GraphStore) -> None:
    first = load("invented_a.jsonl")[0]
    again = Extraction.from_json(first.to_json())
    again.document.path = "elsewhere/voss.txt"
    report = ingest_extractions(graph, [first, again])
    assert (report.ingested, report.duplicates) == (1, 1)
    sources = graph.read("MATCH (d:Document) RETURN d.sources AS s")
    assert sources == [{"s": ["news/voss.txt", "elsewhere/voss.txt"]}]


def test_changed_source_text_makes_a_new_document_and_forgets_the_old(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    old_id = load("invented_a.jsonl")[1].document.id
    report = ingest(graph, "invented_edited.jsonl")
    assert report.ingested == 1 and report.forgotten == [old_id]
    assert not graph.read("MATCH (d:Document {id: $id}) RETURN d.id AS id", id=old_id)
    predicates = sorted(c[1] for c in claims(graph))
    assert predicates == ["ACCUSED_OF", "BANNED_BY", "FUNDS", "WORKS_WITH"]  # the edit dropped two claims
    marrow = actor(graph, MARROW)
    assert marrow is not None and marrow["doc_count"] == 1  # named in the new text only


def test_a_source_kept_by_another_document_is_not_forgotten(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    ingest(graph, "invented_b.jsonl")  # voss text now has two sources
    edited = load("invented_a.jsonl")[0]
    edited.document.text += " More news."
    edited.document.paths = []
    report = ingest_extractions(graph, [edited])
    assert report.forgotten == []  # the old text keeps mirror/voss-copy.txt
    rows = graph.read("MATCH (d:Document) WHERE 'mirror/voss-copy.txt' IN d.sources RETURN d.sources AS s")
    assert rows == [{"s": ["mirror/voss-copy.txt"]}]


def test_forget_by_source_removes_claims_mentions_and_orphans(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    result = forget_document(graph, "news/league.txt")
    assert result.claims == 3
    assert result.deleted == 2  # "Voss" and Ilse Marrow were named only there
    assert actor(graph, SHORT_VOSS) is None and actor(graph, MARROW) is None
    trust = actor(graph, TRUST)
    assert trust is not None and (trust["doc_count"], trust["aliases"], trust["mention_count"]) == (1, [], 2)
    assert actor(graph, LEAGUE) is not None  # still mentioned by news/voss.txt
    assert graph.counts()["types"] == {"FUNDS": 1, "BANNED_BY": 1, "ACCUSED_OF": 1, "MENTIONED_IN": 5}


def test_forget_everything_leaves_an_empty_graph(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    for extraction in load("invented_a.jsonl"):
        forget_document(graph, extraction.document.id)
    assert graph.counts()["nodes"] == 0


def test_forget_unknown_document_is_not_found(graph: GraphStore) -> None:
    with pytest.raises(NotFound) as info:
        forget_document(graph, "no/such/file.txt")
    assert info.value.hint


def test_heal_finishes_an_interrupted_forget_and_stale_actors(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    league_doc = load("invented_a.jsonl")[1].document.id
    # what a crash leaves: forget's first step done (complete = false), and an actor whose counts went stale
    graph.write("MATCH (d:Document {id: $id}) SET d.complete = false", id=league_doc)
    graph.write("MATCH (a:Actor {id: $id}) SET a.mention_count = 99, a.dirty = true", id=VOSS)
    heal(graph)
    assert not graph.read("MATCH (d:Document {id: $id}) RETURN d.id AS id", id=league_doc)
    voss = actor(graph, VOSS)
    assert voss is not None and (voss["mention_count"], voss["dirty"]) == (3, False)
    report = ingest(graph, "invented_a.jsonl")  # and the next ingest writes the document again
    assert (report.ingested, report.unchanged) == (1, 1)


def test_refresh_actors_after_a_merge_takes_the_fullest_name(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    # a merge as resolve does it: "Voss" edges and claims move onto "Harlan Voss"
    graph.write(
        "MATCH (v:Actor {id: $short})-[m:MENTIONED_IN]->(d) MATCH (h:Actor {id: $full}) "
        "CREATE (h)-[:MENTIONED_IN {count: m.count, forms: m.forms, actor_key: m.actor_key, name: m.name}]"
        "->(d) "
        "DELETE m",
        short=SHORT_VOSS,
        full=VOSS,
    )
    graph.write(
        "MATCH (v:Actor {id: $short})-[r:ACCUSED_OF]->(c) MATCH (h:Actor {id: $full}) "
        "CREATE (h)-[:ACCUSED_OF {id: r.id, doc_id: r.doc_id, evidence: r.evidence}]->(c) DELETE r",
        short=SHORT_VOSS,
        full=VOSS,
    )
    result = refresh_actors(graph, [SHORT_VOSS, VOSS])
    assert (result.updated, result.deleted) == (1, 1)
    voss = actor(graph, VOSS)
    assert voss is not None
    assert (voss["name"], voss["doc_count"], voss["mention_count"], voss["aliases"]) == (
        "Harlan Voss",
        2,
        4,
        ["Voss"],
    )


def test_manual_aliases_survive_refresh(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    graph.write("MATCH (a:Actor {id: $id}) SET a.manual_aliases = ['the Trust']", id=TRUST)
    refresh_actors(graph, [TRUST])
    trust = actor(graph, TRUST)
    assert trust is not None and trust["aliases"] == ["NT", "the Trust"]


def test_stats_counts_and_top_actors(graph: GraphStore) -> None:
    ingest(graph, "invented_a.jsonl")
    ingest(graph, "invented_b.jsonl")
    info = graph_stats(graph, top=3)
    assert (info["documents"], info["sources"], info["claims"]) == (3, 4, 8)
    assert info["labels"]["Document"] == 3 and info["types"]["MENTIONED_IN"] == 13
    top = info["top_actors"]
    assert top[0]["name"] == "Northwind Trust" and top[0]["claims"] == 5 and top[0]["documents"] == 3
    assert len(top) == 3


def test_bad_records_fail_with_file_and_line(tmp_path: Path) -> None:
    good = (FIXTURES / "invented_a.jsonl").read_text("utf-8").splitlines()[0]
    record = json.loads(good)
    wrong_offsets = json.loads(good)
    wrong_offsets["relations"][0]["evidence"]["start"] += 1
    no_text = json.loads(good)
    del no_text["document"]["text"]
    bad_predicate = json.loads(good)
    bad_predicate["relations"][0]["predicate"] = "LOVES"
    lines = [good, "{not json", json.dumps(wrong_offsets), json.dumps(no_text), json.dumps(bad_predicate)]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    problems: list[tuple[str, str]] = []
    found = list(read_extractions([str(path)], on_skip=lambda p, r: problems.append((p, r))))
    assert [e.document.id for e in found] == [record["document"]["id"]]
    assert [p for p, _ in problems] == [f"{path}:{n}" for n in (2, 3, 4, 5)]
    reasons = " | ".join(r for _, r in problems)
    assert "not JSON" in reasons and "offsets" in reasons and "text" in reasons and "LOVES" in reasons


def test_every_statement_is_a_constant_without_spliced_values() -> None:
    statements = [text for st in cypher.concern("ingest").values() for _, text in st.expansions()]
    statements.append(writer.WRITE_DOCUMENTS)
    assert len(statements) >= 20
    for predicate in ("FUNDS", "LOCATED_IN", "ACCUSED_OF"):
        assert f"MERGE (s)-[r:{predicate} {{id: c[0]}}]->(o)" in writer.WRITE_DOCUMENTS
    literals = {lit for s in statements for lit in re.findall(r"'([^']*)'", s)}
    assert literals <= set(PREDICATES) | set(ENTITY_TYPES) | set(INTERNAL_TYPES)  # only the closed vocabulary


# -- the CLI -------------------------------------------------------------------------------------------------


@pytest.fixture
def cli(engine: EmbeddedEngine, falkor_store: GraphStore) -> Iterator[Any]:
    """Run `actorgraph --graph clitest ...` against the session engine; the graph is dropped after."""
    runner = CliRunner()
    env = {"ACTORGRAPH_HOME": str(engine.home), "NEO4J_URI": ""}

    def run(*args: str) -> Any:
        return runner.invoke(app, ["--graph", "clitest", *args], env=env, catch_exceptions=False)

    yield run
    from actorgraph.config import Settings

    with GraphStore.connect(Settings(home=engine.home, graph="clitest")) as store:
        store.clear()


def test_cli_ingest_from_jsonl_stats_and_forget(cli: Any) -> None:
    result = cli("ingest", "--from-jsonl", "--no-resolve", str(FIXTURES / "invented_a.jsonl"))
    assert result.exit_code == 0, result.output
    assert "ingested" in result.output and "claims added" in result.output
    again = cli("ingest", "--from-jsonl", "--no-resolve", "--json", str(FIXTURES / "invented_a.jsonl"))
    summary = json.loads(again.stdout)
    counts = (summary["documents ingested"], summary["documents unchanged"], summary["claims added"])
    assert counts == (0, 2, 0)
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["claims"] == 6 and stats["labels"]["Document"] == 2
    table = cli("stats").stdout
    assert "Northwind Trust" in table and "MENTIONED_IN" in table
    forgot = cli("forget", "news/league.txt")
    assert forgot.exit_code == 0 and "3 claims" in forgot.stdout
    missing = cli("forget", "news/league.txt")
    assert missing.exit_code == 1 and "Hint:" in missing.output and "Traceback" not in missing.output


def test_cli_bad_input_is_skipped_or_failed_with_reasons(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "huge.txt").write_text("word " * 1000)
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    (tmp_path / "records.jsonl").write_text("{oops\n")
    result = cli("ingest", "--max-bytes", "2000", str(tmp_path))
    assert result.exit_code == 1  # something failed (not just skipped)
    err = result.stderr
    assert "skipped" in err and "empty" in err and "binary" in err and "too large" in err
    assert "failed" in err and "dangling.txt" in err and "records.jsonl:1" in err
    assert "skipped" in result.stdout and "failed" in result.stdout  # the summary table
    summary = json.loads(cli("ingest", "--json", "--max-bytes", "2000", str(tmp_path)).stdout)
    assert (summary["files skipped"], summary["files failed"], summary["documents ingested"]) == (3, 2, 0)
    skipped_only = cli("ingest", str(tmp_path / "empty.txt"))
    assert skipped_only.exit_code == 0 and "skipped" in skipped_only.stderr


def test_cli_from_jsonl_bad_files(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "binary.jsonl").write_bytes(b"\x00\x01{}")
    (tmp_path / "notes.txt").write_text("not extract output")
    (tmp_path / "good.jsonl").write_text((FIXTURES / "invented_b.jsonl").read_text("utf-8") + "{oops\n")
    result = cli("ingest", "--from-jsonl", "--no-resolve", "--json", str(tmp_path))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["documents ingested"] == 2
    err = " ".join(result.stderr.split())
    assert "skipped" in err and "empty.jsonl: empty" in err and "binary" in err and "notes.txt" in err
    assert "failed" in err and "good.jsonl:3: not JSON" in err


def test_cli_nothing_to_ingest_is_an_error(cli: Any, tmp_path: Path) -> None:
    result = cli("ingest", str(tmp_path))
    assert result.exit_code == 1 and "no documents found" in result.stderr and "Hint:" in result.stderr


# -- the real extractor on files -----------------------------------------------------------------------------


def test_ingest_paths_real_extraction_duplicates_and_edits(
    graph: GraphStore, nlp: Any, tmp_path: Path
) -> None:
    text = (
        "The Ostrava Circle, a lobby group based in Brussels, is funded by Teodor Vrana. "
        "Prosecutors accused Teodor Vrana of money laundering."
    )
    (tmp_path / "a.txt").write_text(text, "utf-8")
    (tmp_path / "copy.txt").write_text(text, "utf-8")
    report = ingest_paths(graph, [str(tmp_path)])
    assert (report.ingested, report.duplicates, report.failed) == (1, 1, [])  # copy.txt: same bytes
    docs = graph.read("MATCH (d:Document) RETURN d.sources AS s")
    assert docs == [{"s": [str(tmp_path / "a.txt"), str(tmp_path / "copy.txt")]}]
    assert report.claims_added >= 1 and report.actors_added >= 2
    before = graph.counts()
    assert ingest_paths(graph, [str(tmp_path)]).unchanged == 1
    assert graph.counts() == before
    (tmp_path / "copy.txt").write_text(text + " Vrana denies it.", "utf-8")
    edited = ingest_paths(graph, [str(tmp_path)])
    assert (edited.ingested, edited.unchanged, edited.forgotten) == (1, 1, [])
    sources = sorted(r["s"] for r in graph.read("MATCH (d:Document) RETURN d.sources AS s"))
    assert sources == [[str(tmp_path / "a.txt")], [str(tmp_path / "copy.txt")]]


def test_the_graph_does_not_depend_on_workers(engine: EmbeddedEngine, tmp_path: Path) -> None:
    from actorgraph.config import Settings

    examples = Path(__file__).resolve().parents[1] / "examples"
    snapshots = []
    for workers in (1, 2):
        with GraphStore.connect(Settings(home=engine.home, graph=f"workers{workers}")) as store:
            store.clear()
            files = sorted(str(p) for p in examples.glob("*.txt"))
            report = ingest_paths(store, files, workers=workers, batch_size=2)
            assert report.ingested == 5 and report.ok
            snapshots.append((store.counts(), claims(store)))
            store.clear()
    assert snapshots[0] == snapshots[1]


def test_same_text_in_other_bytes_is_one_document_with_both_sources(graph: GraphStore, tmp_path: Path) -> None:
    """A CRLF copy has other bytes but the same text: the reader reports it as a duplicate, ingest adds a source."""
    text = "Harbour Council funds the Ostrava Circle.\n\nThe Ostrava Circle is based in Brussels.\n"
    (tmp_path / "a.txt").write_text(text, "utf-8")
    (tmp_path / "b.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    report = ingest_paths(graph, [str(tmp_path)])
    assert (report.ingested, report.duplicates, report.failed) == (1, 1, [])
    docs = graph.read("MATCH (d:Document) RETURN d.sources AS s")
    assert docs == [{"s": [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]}]


def test_a_crash_before_the_refresh_is_finished_by_heal(graph: GraphStore) -> None:
    """The write query leaves documents `pending` until their nodes' derived fields are recomputed."""
    rows = [writer.document_row(e, "2026-01-01T00:00:00+00:00")[0] for e in load("invented_a.jsonl")]
    writer.write_documents(graph, rows)  # what a kill -9 between the write and the refresh leaves
    assert len(graph.read("MATCH (d:Document) WHERE d.pending = true RETURN d.id AS id")) == len(rows)
    trust = actor(graph, TRUST)
    assert trust is not None and (trust["mention_count"], trust["aliases"]) == (0, [])
    heal(graph)
    trust = actor(graph, TRUST)
    assert trust is not None and (trust["mention_count"], trust["doc_count"], trust["aliases"]) == (4, 2, ["NT"])
    assert not graph.read("MATCH (d:Document) WHERE d.pending = true RETURN d.id AS id")


def test_derived_fields_are_not_written_over_a_mention_that_arrived_since_the_read(graph: GraphStore) -> None:
    """A concurrent ingest adds a MENTIONED_IN edge between refresh's read and write: the stale write is refused."""
    first, second = load("invented_a.jsonl")[:2]
    ingest_extractions(graph, [first])
    stale = [_derived(r, True) for r in graph.read(writer.READ_DERIVED_ACTORS, ids=[TRUST])]  # Trust in both
    assert stale[0]["doc_count"] == 1
    writer.write_documents(graph, [writer.document_row(second, "")[0]])
    assert graph.write(writer.WRITE_DERIVED_ACTORS, rows=stale) == []
    refresh_actors(graph, [TRUST])
    trust = actor(graph, TRUST)
    assert trust is not None and (trust["doc_count"], trust["mention_count"]) == (2, 4)


def test_every_edge_lands_on_its_own_nodes_over_many_batches(store: GraphStore) -> None:
    """80k synthetic claims in 16 batches: every MENTIONED_IN edge and claim joins exactly the nodes its row names.

    An earlier form of the write query (node and edge MERGEd in one step) attached 13 of 44,945 new mentions to
    the wrong actor on FalkorDB at this volume; bench/write_speed.py makes the same check on 200k claims.
    """
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    import write_speed

    data = list(write_speed.synthetic("t", 80_000, 3))
    ingest_extractions(store, data, batch_size=50)
    assert write_speed.written_edges(store) == write_speed.expected_edges(data)


def test_ingest_restores_the_garbage_collector_thresholds(graph: GraphStore) -> None:
    """Ingest raises the collector's young threshold while it writes, and puts it back, also when it fails."""
    import gc

    before = gc.get_threshold()
    ingest(graph, "invented_a.jsonl")
    assert gc.get_threshold() == before

    def broken() -> Iterator[Extraction]:
        yield from load("invented_a.jsonl")
        raise RuntimeError("the input broke")

    with pytest.raises(RuntimeError, match="the input broke"):
        ingest_extractions(graph, broken())
    assert gc.get_threshold() == before
