"""Claim review as data: confirm / reject a claim, and the review surviving every operation on the graph.

Real parts throughout: the session's embedded FalkorDB, extractions written as `extract --format jsonl` writes
them (so no NLP model is needed to say exactly which claims exist), rdflib for the RDF.
"""

from __future__ import annotations

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


def doc_a(
    *, name: str = "Orla Quenby", drop_harbour: bool = False, rule: str = "fixture.v1", long_first: bool = False,
    edited: bool = False,
) -> dict[str, Any]:
    """Document A; `name` changes the document-level name of its first actor, `long_first` the bounds of the first
    evidence sentence (changed extractions), `edited` its text (a new document from the same source)."""
    t = "Updated. " + TEXT_A if edited else TEXT_A
    ents = [
        _entity("e1", "PERSON", name, t, ["Orla Quenby", "Quenby"]),
        _entity("e2", "ORG", "Lantern Collective", t, ["Lantern Collective"]),
        _entity("e3", "ORG", "Ferrow Mining", t, ["Ferrow Mining"]),
        _entity("e4", "ORG", "Harbour Front", t, ["Harbour Front"]),
    ]
    rels = [
        _relation("e1", "FUNDS", "e2", t, "Orla Quenby funds the Lantern Collective." + (
            " The Lantern Collective lobbies for Ferrow Mining." if long_first else "")),
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


def _reviewed(g: Graph) -> tuple[dict[str, Any], dict[str, Any]]:
    funds = claim_of(g, "FUNDS", "Orla Quenby funds")
    harbour = claim_of(g, "FUNDS", "Quenby funds Harbour")
    g.confirm(funds["id"], why="in the article", by="ana")
    g.reject(harbour["id"], why="misread", by="ana")
    return funds, harbour


def _statuses(g: Graph) -> dict[str, set[str]]:
    return {s: {r["evidence"] for r in g.claims(s, limit=0)} for s in ("confirmed", "rejected", "orphaned")}


EXPECTED = {"confirmed": {"Orla Quenby funds the Lantern Collective."},
            "rejected": {"Quenby funds Harbour Front."}, "orphaned": set()}


def test_reviews_survive_reingest_forget_resolve_merge_split(g: Graph, tmp_path: Path) -> None:
    funds, harbour = _reviewed(g)
    doc = funds["doc_id"]
    g.forget(doc)  # the reviewed document itself goes: its reviews are orphaned, not lost
    assert _statuses(g)["orphaned"] == {funds["evidence"], harbour["evidence"]}
    g.ingest(write_jsonl(tmp_path / "a.jsonl", doc_a()), from_jsonl=True)  # re-ingest: back on the same ids
    assert _statuses(g) == EXPECTED and g.claim(funds["id"])["status"] == "confirmed"
    g.forget("invented/review-b.txt")  # another document
    assert _statuses(g) == EXPECTED
    g.ingest(write_jsonl(tmp_path / "b.jsonl", doc_b()), from_jsonl=True)
    g.resolve()
    assert _statuses(g) == EXPECTED
    g.merge("Lantern Collective", "Harbour Front")  # a wrong merge moves the rejected claim onto another node
    assert _statuses(g) == EXPECTED
    assert g.claim(harbour["id"])["object"] == "Lantern Collective"
    g.split("Harbour Front")
    assert _statuses(g) == EXPECTED and g.claim(harbour["id"])["object"] == "Harbour Front"


def test_an_equivalent_new_claim_inherits_and_a_dropped_one_is_orphaned(g: Graph, tmp_path: Path) -> None:
    funds, harbour = _reviewed(g)
    g.forget(funds["doc_id"])
    # a retrained extractor: another rule, and the actor's document-level name changed, so new claim ids
    g.ingest(write_jsonl(tmp_path / "a2.jsonl", doc_a(name="O. Quenby", rule="model:v2")), from_jsonl=True)
    now = claim_of(g, "FUNDS", "Orla Quenby funds")
    assert now["id"] != funds["id"] and now["status"] == "confirmed" and now["why"] == "in the article"
    assert claim_of(g, "FUNDS", "Quenby funds Harbour")["status"] == "rejected"
    assert _statuses(g) == EXPECTED
    g.forget(funds["doc_id"])  # other sentence bounds: another id and evidence, the same claim
    g.ingest(write_jsonl(tmp_path / "a4.jsonl", doc_a(long_first=True)), from_jsonl=True)
    longer = claim_of(g, "FUNDS", "Orla Quenby funds")
    assert longer["id"] != funds["id"] and longer["evidence"] != funds["evidence"]
    assert longer["status"] == "confirmed"
    g.forget(funds["doc_id"])
    g.ingest(write_jsonl(tmp_path / "a3.jsonl", doc_a(drop_harbour=True)), from_jsonl=True)
    assert _statuses(g) == {**EXPECTED, "rejected": set(), "orphaned": {harbour["evidence"]}}
    orphan = g.claims("orphaned")[0]
    assert (orphan["id"], orphan["verdict"], orphan["why"]) == (harbour["id"], "rejected", "misread")
    assert [r["evidence"] for r in g.claims("orphaned", actor="Orla Quenby")] == [harbour["evidence"]]


def test_curated_queries_leave_rejected_claims_out_and_count_confirmed(g: Graph) -> None:
    funds, harbour = _reviewed(g)
    rows = g.query("actor", "Orla Quenby")
    assert {r["counterparty"] for r in rows} == {"Lantern Collective"}
    assert [r["confirmed"] for r in rows] == [1]
    shown = g.query("actor", "Orla Quenby", include_rejected=True)
    assert {r["counterparty"] for r in shown} == {"Lantern Collective", "Harbour Front"}
    assert sum(r["rejected"] for r in shown) == 1
    assert g.query("funders", "Harbour Front") == []
    assert [r["funder"] for r in g.query("funders", "Harbour Front", include_rejected=True)] == ["Orla Quenby"]
    assert g.query("evidence", "Orla Quenby", "Harbour Front") == []
    assert g.query("paths", "Orla Quenby", "Harbour Front") == []
    assert g.query("paths", "Orla Quenby", "Harbour Front", include_rejected=True)
    timeline = g.query("timeline", "Orla Quenby")
    assert [r["evidence"] for r in timeline] == [funds["evidence"]] and timeline[0]["confirmed"] == 1
    network = {r["evidence"] for r in g.query("network", "Orla Quenby")}
    assert harbour["evidence"] not in network and funds["evidence"] in network
    for name in ("funded", "sources", "central-actors", "co-mentioned"):
        args = [] if name == "central-actors" else ["Orla Quenby"]
        for row in g.query(name, *args):
            assert harbour["id"] not in row["claim_ids"], name


def _rdf(g: Graph, **options: Any) -> Any:
    import rdflib

    out = io.StringIO()
    g.export_rdf(out, **options)
    return rdflib.Graph().parse(data=out.getvalue(), format="turtle")


def test_rdf_carries_confirmed_reviews_as_prov_and_rejected_only_when_asked(g: Graph) -> None:
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import PROV, RDF, RDFS, XSD

    ag = Namespace("https://w3id.org/actorgraph/ns#")
    funds, harbour = _reviewed(g)
    base = "urn:actorgraph:"
    graph = _rdf(g)
    confirmed, rejected = URIRef(base + funds["id"]), URIRef(base + harbour["id"])
    assert (confirmed, RDF.type, ag.Claim) in graph and (rejected, RDF.type, ag.Claim) not in graph
    assert (confirmed, ag.reviewStatus, Literal("confirmed")) in graph
    [review] = list(graph.subjects(ag.reviewOf, confirmed))
    assert list(graph.subjects(ag.reviewOf, None)) == [review]  # the rejection is not carried
    assert (review, RDF.type, ag.Review) in graph and (review, ag.verdict, Literal("confirmed")) in graph
    agent = graph.value(review, PROV.wasAttributedTo)
    assert (agent, RDF.type, PROV.Agent) in graph and graph.value(agent, RDFS.label) == Literal("ana")
    when = graph.value(review, PROV.generatedAtTime)
    assert when.datatype == XSD.dateTime and when.value.tzinfo is not None
    assert graph.value(review, ag.reason) == Literal("in the article")
    full = _rdf(g, include_rejected=True)
    assert (rejected, ag.reviewStatus, Literal("rejected")) in full
    [no] = list(full.subjects(ag.reviewOf, rejected))
    assert full.value(no, ag.verdict) == Literal("rejected") and full.value(no, ag.reason) == Literal("misread")
    # the subgraph behind a query carries the reviews of its claims too
    sub = _rdf(g, query="actor", args=["Orla Quenby"])
    assert (confirmed, ag.reviewStatus, Literal("confirmed")) in sub and (rejected, RDF.type, ag.Claim) not in sub


def test_rdf_with_reviews_validates_against_the_shapes(g: Graph) -> None:
    import rdflib
    from pyshacl import validate

    _reviewed(g)
    shapes = rdflib.Graph().parse(ROOT / "actorgraph" / "vocab" / "shapes.ttl", format="turtle")
    for options in ({}, {"include_rejected": True}):
        conforms, _, text = validate(_rdf(g, **options), shacl_graph=shapes, advanced=True)
        assert conforms, text


def test_viz_and_graph_exports_leave_rejected_claims_out(g: Graph, tmp_path: Path) -> None:
    import networkx as nx

    funds, harbour = _reviewed(g)
    view = g.viz(tmp_path / "all.html")
    claims = {ev["claim"]: ev for e in view.edges for ev in e["evidence"]}
    assert harbour["id"] not in claims and claims[funds["id"]]["review"] == "confirmed"
    assert any(e["confirmed"] for e in view.edges)
    around = g.viz(tmp_path / "q.html", "Orla Quenby")
    assert harbour["id"] not in {ev["claim"] for e in around.edges for ev in e["evidence"]}
    shown = g.viz(tmp_path / "shown.html", "Orla Quenby", include_rejected=True)
    assert {ev["review"] for e in shown.edges for ev in e["evidence"] if ev["claim"] == harbour["id"]} == {"rejected"}
    g.export_graphml(tmp_path / "g.graphml")
    edges = {d["id"]: d for _, _, d in nx.read_graphml(tmp_path / "g.graphml").edges(data=True)}
    assert harbour["id"] not in edges and edges[funds["id"]]["review"] == "confirmed"
    g.export_gexf(tmp_path / "g.gexf", include_rejected=True)
    assert harbour["id"] in {d["id"] for _, _, d in nx.read_gexf(tmp_path / "g.gexf").edges(data=True)}
    without = g.export_cypher(tmp_path / "g.cypher")
    script = (tmp_path / "g.cypher").read_text("utf-8")
    assert "MERGE (n:Review" in script and "review: 'confirmed'" in script and "review: 'rejected'" not in script
    with_all = g.export_cypher(tmp_path / "all.cypher", include_rejected=True)
    assert "review: 'rejected'" in (tmp_path / "all.cypher").read_text("utf-8")
    assert with_all.relationships == without.relationships + 1 and with_all.nodes == without.nodes


def test_push_copies_reviews_and_leaves_rejected_claims_out(g: Graph, engine: EmbeddedEngine) -> None:
    with Graph(home=engine.home, graph="review-copy") as copy_:
        copy_.store.clear()
        try:
            funds, harbour = _reviewed(g)
            g.push(copy_)
            assert copy_.claim(funds["id"])["status"] == "confirmed"
            with pytest.raises(ClaimNotFound):
                copy_.claim(harbour["id"])
            assert [r["id"] for r in copy_.claims("orphaned")] == [harbour["id"]]  # the review came along
            g.push(copy_, include_rejected=True)
            assert copy_.claim(harbour["id"])["status"] == "rejected"
        finally:
            copy_.store.clear()


def cli(engine: EmbeddedEngine, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACTORGRAPH_HOME": str(engine.home), "ACTORGRAPH_GRAPH": "review", "COLUMNS": "200",
           "PYTHONPATH": str(ROOT)}
    env.pop("NEO4J_URI", None)
    return subprocess.run([sys.executable, "-m", "actorgraph", *args], env=env, capture_output=True, text=True,
                          timeout=60)


def test_cli_reviews_a_claim_and_fails_in_one_line(g: Graph, engine: EmbeddedEngine) -> None:
    harbour = claim_of(g, "FUNDS", "Quenby funds Harbour")
    done = cli(engine, "claim", "reject", harbour["id"], "--why", "misread", "--by", "ana", "--json")
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)
    assert (row["id"], row["status"], row["why"], row["by"]) == (harbour["id"], "rejected", "misread", "ana")
    listed = cli(engine, "claims", "--status", "rejected", "--actor", "Orla Quenby", "--json")
    assert [r["id"] for r in json.loads(listed.stdout)] == [harbour["id"]]
    shown = cli(engine, "claim", "show", harbour["id"])
    assert shown.returncode == 0 and "[rejected]" in shown.stdout and "reviewed by ana" in shown.stdout
    query = cli(engine, "query", "funders", "Harbour Front", "--format", "json")
    assert json.loads(query.stdout)["rows"] == []
    query = cli(engine, "query", "funders", "Harbour Front", "--format", "json", "--include-rejected")
    assert [r["rejected"] for r in json.loads(query.stdout)["rows"]] == [1]
    for args in (["claim", "show", "claim:000000000000000000000000"], ["claim", "confirm", "nonsense"]):
        result = cli(engine, *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 2 and lines[0].startswith("Error: no claim has the id"), result.stderr
        assert lines[1].startswith("Hint: ") and "actorgraph claims" in lines[1]
    unknown_actor = cli(engine, "claims", "--actor", "Nobody Atall")
    assert unknown_actor.returncode == 1 and unknown_actor.stderr.startswith("Error: no actor is named")


NORTHWIND = "examples/invented_northwind_trust.txt"


def test_train_with_reviews_adds_confirmed_and_drops_rejected_labels(
    engine: EmbeddedEngine, nlp: Any, tmp_path: Path
) -> None:
    """A tiny gold slice (one invented example, hand-annotated here) plus the graph's reviews."""
    text = (ROOT / NORTHWIND).read_text("utf-8")
    funds = next(s for s in text.split("\n") if "is funded by" in s).split(", according")[0]
    gold_line = {
        "doc": NORTHWIND,
        "entities": [
            {"id": "voss", "type": "PERSON", "name": "Harlan Voss", "aliases": ["Voss"]},
            {"id": "trust", "type": "ORG", "name": "Northwind Trust", "aliases": ["the trust"]},
            {"id": "ml", "type": "CHARGE", "name": "money laundering", "aliases": []},
        ],
        "relations": [
            {"subject": "voss", "predicate": "FUNDS", "object": "trust", "evidence": funds},
            {"subject": "voss", "predicate": "ACCUSED_OF", "object": "ml",
             "evidence": "Prosecutors in Port Aldery accused Harlan Voss of money laundering last year."},
        ],
    }
    others = [{"doc": f"examples/{name}", "entities": [], "relations": []}
              for name in ("invented_calder_institute.txt", "invented_interior_ministry.txt",
                           "invented_meridian_league_ban.txt")]
    gold = write_jsonl(tmp_path / "gold.jsonl", gold_line, *others)
    with Graph(home=engine.home, graph="review-train") as g:
        g.store.clear()
        try:
            g.ingest(ROOT / NORTHWIND)
            claims = {(c["predicate"], c["object"]): c for c in g.claims("unreviewed", limit=0)}
            g.reject(claims[("FUNDS", "Northwind Trust")]["id"], why="a test label")
            g.confirm(claims[("MEMBER_OF", "Northwind Trust")]["id"])
            lines, counts = g.review_gold(gold, root=ROOT)
            assert counts == {"added": 1, "removed": 1, "documents": 0, "skipped": 0}
            line = lines[0]
            assert sorted(r["predicate"] for r in line["relations"]) == ["ACCUSED_OF", "MEMBER_OF"]
            member = next(r for r in line["relations"] if r["predicate"] == "MEMBER_OF")
            assert (member["subject"], member["object"]) == ("voss", "trust")  # the gold's own entities
            report = g.train(gold, root=ROOT, output=tmp_path / "model")
            assert report.documents == 4
            saved = "\n".join(p.read_text("utf-8") for p in (tmp_path / "model").glob("*.json"))
            assert '"MEMBER_OF": 1' in saved and '"FUNDS"' not in saved.split('"relations"')[1].split("}")[0]
        finally:
            g.store.clear()


def test_ftm_leaves_rejected_claims_out_and_names_the_review(g: Graph) -> None:
    pytest.importorskip("followthemoney")
    funds, harbour = _reviewed(g)

    def entities(**options: Any) -> dict[str, dict[str, Any]]:
        out = io.StringIO()
        g.export_ftm(out, **options)
        return {e["id"]: e for e in map(json.loads, out.getvalue().splitlines())}

    def about(found: dict[str, dict[str, Any]], claim: dict[str, Any]) -> list[str]:
        return [" ".join(e["properties"].get("summary", [])) for e in found.values()
                if claim["evidence"] in e["properties"].get("description", [""])[0]]

    plain = entities()
    assert about(plain, harbour) == [] and "review confirmed" in about(plain, funds)[0]
    assert "review rejected" in about(entities(include_rejected=True), harbour)[0]


def test_rdf_import_brings_the_reviews_back(g: Graph, engine: EmbeddedEngine, tmp_path: Path) -> None:
    funds, harbour = _reviewed(g)
    g.export_rdf(tmp_path / "g.ttl", include_rejected=True)
    with Graph(home=engine.home, graph="review-import") as copy_:
        copy_.store.clear()
        try:
            report = copy_.import_rdf(tmp_path / "g.ttl")
            assert report.reviews == 2
            back = copy_.claim(funds["id"])
            assert (back["status"], back["by"], back["why"]) == ("confirmed", "ana", "in the article")
            assert copy_.claim(harbour["id"])["status"] == "rejected"
            assert copy_.query("funders", "Harbour Front") == []
        finally:
            copy_.store.clear()


def test_a_review_follows_its_sentence_into_an_edited_version_of_the_text(g: Graph, tmp_path: Path) -> None:
    funds, harbour = _reviewed(g)
    g.ingest(write_jsonl(tmp_path / "edited.jsonl", doc_a(edited=True)), from_jsonl=True)  # same source, new text
    with pytest.raises(ClaimNotFound):
        g.claim(harbour["id"])  # the old document is gone with its claims
    now = claim_of(g, "FUNDS", "Orla Quenby funds")
    assert now["doc_id"] != funds["doc_id"] and now["status"] == "confirmed"
    assert claim_of(g, "FUNDS", "Quenby funds Harbour")["status"] == "rejected"
    assert g.query("funders", "Harbour Front") == []
