"""Claim review as data: confirm / reject a claim, and the review surviving every operation on the graph.

Real parts throughout: the session's embedded FalkorDB, extractions written as `extract --format jsonl` writes
them (so no NLP model is needed to say exactly which claims exist), rdflib for the RDF.
"""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from actorgraph import Graph
from actorgraph.errors import ConfigError
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.review import ClaimNotFound

ROOT = Path(__file__).resolve().parent.parent

TEXT_A = (
    "Orla Quenby funds the Lantern Collective. The Lantern Collective lobbies for Ferrow Mining. "
    "Quenby funds Harbour Front."
)
TEXT_B = "Piet Ambry funds the Lantern Collective. Ambry is a member of the Lantern Collective."


def _entity(eid: str, etype: str, name: str, text: str, forms: list[str]) -> dict[str, Any]:
    mentions = []
    for form in forms:
        at = text.find(form)
        while at >= 0:
            mentions.append({"start": at, "end": at + len(form), "text": form})
            at = text.find(form, at + 1)
    return {"id": eid, "type": etype, "name": name, "aliases": sorted(set(forms)), "mentions": mentions}


def _relation(subject: str, predicate: str, obj: str, text: str, sentence: str) -> dict[str, Any]:
    start = text.index(sentence)
    return {"subject": subject, "predicate": predicate, "object": obj, "confidence": 0.8, "rule": "fixture.v1",
            "evidence": {"text": sentence, "start": start, "end": start + len(sentence)}}


def doc_a(*, name: str = "Orla Quenby", drop_harbour: bool = False, rule: str = "fixture.v1") -> dict[str, Any]:
    """Document A; `name` changes the document-level name of its first actor (a changed extraction)."""
    t = TEXT_A
    ents = [
        _entity("e1", "PERSON", name, t, ["Orla Quenby", "Quenby"]),
        _entity("e2", "ORG", "Lantern Collective", t, ["Lantern Collective"]),
        _entity("e3", "ORG", "Ferrow Mining", t, ["Ferrow Mining"]),
        _entity("e4", "ORG", "Harbour Front", t, ["Harbour Front"]),
    ]
    rels = [
        _relation("e1", "FUNDS", "e2", t, "Orla Quenby funds the Lantern Collective."),
        _relation("e2", "LOBBIES_FOR", "e3", t, "The Lantern Collective lobbies for Ferrow Mining."),
    ]
    if not drop_harbour:
        rels.append(_relation("e1", "FUNDS", "e4", t, "Quenby funds Harbour Front."))
    for r in rels:
        r["rule"] = rule
    return {"document": {"path": "invented/review-a.txt", "text": t, "title": "A"}, "entities": ents,
            "relations": rels}


def doc_b() -> dict[str, Any]:
    t = TEXT_B
    ents = [
        _entity("e1", "PERSON", "Piet Ambry", t, ["Piet Ambry", "Ambry"]),
        _entity("e2", "ORG", "Lantern Collective", t, ["Lantern Collective"]),
    ]
    rels = [
        _relation("e1", "FUNDS", "e2", t, "Piet Ambry funds the Lantern Collective."),
        _relation("e1", "MEMBER_OF", "e2", t, "Ambry is a member of the Lantern Collective."),
    ]
    return {"document": {"path": "invented/review-b.txt", "text": t, "title": "B"}, "entities": ents,
            "relations": rels}


def write_jsonl(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def g(engine: EmbeddedEngine, tmp_path: Path) -> Iterator[Graph]:
    """A graph holding documents A and B, opened through the library."""
    with Graph(home=engine.home, graph="review") as graph:
        graph.store.clear()
        graph.ingest(write_jsonl(tmp_path / "ab.jsonl", doc_a(), doc_b()), from_jsonl=True)
        yield graph
        graph.store.clear()


def claim_of(g: Graph, predicate: str, evidence_start: str) -> dict[str, Any]:
    rows = [r for r in g.claims("unreviewed", limit=0) + g.claims("confirmed") + g.claims("rejected")
            if r["predicate"] == predicate and r["evidence"].startswith(evidence_start)]
    assert len(rows) == 1, rows
    return rows[0]


def test_confirm_and_reject_are_stored_and_shown(g: Graph) -> None:
    funds = claim_of(g, "FUNDS", "Orla Quenby funds")
    assert funds["status"] == "unreviewed"
    done = g.confirm(funds["id"], why="checked the article", by="ana")
    assert (done["status"], done["why"], done["by"]) == ("confirmed", "checked the article", "ana")
    assert done["at"] and g.claim(funds["id"])["status"] == "confirmed"
    harbour = claim_of(g, "FUNDS", "Quenby funds Harbour")
    g.reject(harbour["id"], why="wrong actor")
    assert [r["id"] for r in g.claims("rejected")] == [harbour["id"]]
    assert [r["id"] for r in g.claims("confirmed")] == [funds["id"]]
    unreviewed = {r["id"] for r in g.claims("unreviewed", limit=0)}
    assert funds["id"] not in unreviewed and harbour["id"] not in unreviewed and len(unreviewed) == 3
    assert [r["id"] for r in g.claims("confirmed", actor="Orla Quenby")] == [funds["id"]]
    assert g.claims("confirmed", actor="Piet Ambry") == []
    # reviewing again replaces the review, it does not add one
    g.reject(funds["id"], by="ben")
    assert g.claim(funds["id"])["status"] == "rejected" and g.claim(funds["id"])["by"] == "ben"
    assert len(g.claims("rejected")) == 2 and g.claims("confirmed") == []


def test_unknown_claim_and_bad_status(g: Graph) -> None:
    with pytest.raises(ClaimNotFound) as err:
        g.claim("claim:000000000000000000000000")
    assert err.value.hint
    with pytest.raises(ClaimNotFound, match="look like"):
        g.confirm("nonsense")
    with pytest.raises(ConfigError, match="unknown review status"):
        g.claims("maybe")
