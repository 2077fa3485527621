"""Accusations say how far they have gone: `stage` and `denied` from the sentence's cues (real model, no mocks),
and the stage kept by the record, the graph, the curated query and the exports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from actorgraph.errors import InputError, PatternError
from actorgraph.export.rdf import export_rdf
from actorgraph.export.rdf_import import import_rdf
from actorgraph.extract.extractor import extract_text
from actorgraph.extract.lexicon import PATTERNS
from actorgraph.extract.model import Evidence, Extraction, Relation
from actorgraph.extract.relations import NP_INTERNAL_DEPS, default_rules
from actorgraph.extract.stage import CHAIN_STOPS, CUE_FILE, PROGRESSION, furthest, parse_cues, stage_cues, stage_of
from actorgraph.graph.store import GraphStore
from actorgraph.ingest.ingest import ingest_extractions
from actorgraph.queries import run_query
from actorgraph.vocab import STAGED, STAGES

AG_STAGE = URIRef("https://w3id.org/actorgraph/ns#stage")


def reading(nlp: Any, text: str, predicate: str, subject: str, obj: str) -> tuple[str | None, bool, bool]:
    """(stage, denied, negated) of the one relation of `predicate` whose ends contain these names."""
    ex = extract_text(text, nlp)
    names = {e.id: e.name for e in ex.entities}
    found = [r for r in ex.relations if r.predicate == predicate and subject in names[r.subject]
             and obj in names[r.object]]
    triples = [(names[r.subject], r.predicate, names[r.object]) for r in ex.relations]
    assert found, f"no {subject} {predicate} {obj} in {text!r}: {triples}"
    r = found[0]
    return r.stage, r.denied, r.negated


# (sentence, predicate, subject, object, stage, denied); invented names, news (BBC-like) and other styles
STAGE_TABLE = [
    # alleged
    pytest.param("Opposition leader Mara Quist accused Tobias Renn of taking bribes.", "ACCUSED_OF", "Tobias Renn",
                 "taking bribes", "alleged", False, id="accused-alleged"),
    pytest.param("The Consumers Union accused the Halden Group of price-fixing.", "ACCUSES", "Consumers Union",
                 "Halden Group", "alleged", False, id="accuses-alleged"),
    pytest.param("The Kestrel Group is suspected of fraud.", "ACCUSED_OF", "Kestrel Group", "fraud", "alleged",
                 False, id="suspected-alleged"),
    # investigated
    pytest.param("Police are investigating the Northgate Trust for money laundering.", "ACCUSED_OF",
                 "Northgate Trust", "money laundering", "investigated", False, id="investigating"),
    pytest.param("Dana Voigt was arrested on suspicion of fraud.", "ACCUSED_OF", "Dana Voigt", "fraud",
                 "investigated", False, id="arrested-on-suspicion"),
    pytest.param("Pavel Lenko was questioned over bribery.", "ACCUSED_OF", "Pavel Lenko", "bribery",
                 "investigated", False, id="questioned"),
    # charged
    pytest.param("Prosecutors charged Lotte Brink with embezzlement.", "ACCUSED_OF", "Lotte Brink", "embezzlement",
                 "charged", False, id="charged-with"),
    pytest.param("The Markets Authority charged Olsen Freight with market abuse.", "ACCUSES", "Markets Authority",
                 "Olsen Freight", "charged", False, id="regulator-charges"),
    pytest.param("Ruben Hale faces charges of tax evasion.", "ACCUSED_OF", "Ruben Hale", "tax evasion", "charged",
                 False, id="faces-charges"),
    pytest.param("Anika Moss is on trial for fraud.", "ACCUSED_OF", "Anika Moss", "fraud", "charged", False,
                 id="on-trial"),
    pytest.param("Hugo Brandt, charged with fraud, faces up to ten years in jail if convicted.", "ACCUSED_OF",
                 "Hugo Brandt", "fraud", "charged", False, id="if-convicted-is-no-conviction"),
    # convicted
    pytest.param("Jonas Weller was convicted of bribery in 2019.", "ACCUSED_OF", "Jonas Weller", "bribery",
                 "convicted", False, id="convicted"),
    pytest.param("Greta Lind was found guilty of murder.", "ACCUSED_OF", "Greta Lind", "murder", "convicted",
                 False, id="found-guilty"),
    pytest.param("Oskar Fenn was jailed for fraud.", "ACCUSED_OF", "Oskar Fenn", "fraud", "convicted", False,
                 id="jailed"),
    pytest.param("The Gaming Commission fined Brightwater Bets £3m for failing to protect customers.", "ACCUSES",
                 "Gaming Commission", "Brightwater Bets", "convicted", False, id="regulator-fines"),
    # acquitted
    pytest.param("Teodor Vance was acquitted of manslaughter.", "ACCUSED_OF", "Teodor Vance", "manslaughter",
                 "acquitted", False, id="acquitted"),
    pytest.param("Lena Sorel was found not guilty of theft.", "ACCUSED_OF", "Lena Sorel", "theft", "acquitted",
                 False, id="found-not-guilty"),
    # settled
    pytest.param("Corvane Energy agreed to pay $8m to settle charges of bribery.", "ACCUSED_OF", "Corvane Energy",
                 "bribery", "settled", False, id="agreed-to-pay-to-settle"),
    pytest.param("Pell Mutual agreed to pay $2 million to settle allegations of fraud, without admitting wrongdoing.",
                 "ACCUSED_OF", "Pell Mutual", "fraud", "settled", False, id="without-admitting"),
    # admitted
    pytest.param("Milan Koster pleaded guilty to fraud.", "ACCUSED_OF", "Milan Koster", "fraud", "admitted", False,
                 id="pleaded-guilty"),
    pytest.param("Rask Holdings admitted bribery.", "ACCUSED_OF", "Rask Holdings", "bribery", "admitted", False,
                 id="admitted"),
    # denial
    pytest.param("Milan Koster pleaded not guilty to fraud.", "ACCUSED_OF", "Milan Koster", "fraud", "charged", True,
                 id="pleaded-not-guilty-is-denied"),
    pytest.param("Tobias Renn denies fraud.", "ACCUSED_OF", "Tobias Renn", "fraud", "alleged", True, id="denies"),
    pytest.param("Tobias Renn rejected the allegations of corruption.", "ACCUSED_OF", "Tobias Renn", "corruption",
                 "alleged", True, id="rejects-the-allegations"),
    pytest.param("Ada Wren, who denies fraud, will stand trial in June.", "ACCUSED_OF", "Ada Wren", "fraud",
                 "charged", True, id="denies-and-stands-trial"),
    pytest.param("On Tuesday Dara Quill faced fraud charges in court, which she denies.", "ACCUSED_OF",
                 "Dara Quill", "fraud", "charged", True, id="which-she-denies"),
    pytest.param("Pell Mutual agreed to pay $2 million to settle charges of fraud, without admitting or denying the "
                 "allegations.", "ACCUSED_OF", "Pell Mutual", "fraud", "settled", False,
                 id="without-admitting-or-denying"),
    pytest.param("Jonas Weller was convicted of bribery, which he does not deny.", "ACCUSED_OF", "Jonas Weller",
                 "bribery", "convicted", False, id="does-not-deny"),
    pytest.param("Jonas Weller was wrongly convicted of bribery.", "ACCUSED_OF", "Jonas Weller", "bribery",
                 "acquitted", False, id="wrongly-convicted"),
    pytest.param("Kostas Marin has protested his innocence and blamed his former coach Petros Alexiou for the affair.",
                 "ACCUSES", "Kostas Marin", "Petros Alexiou", "alleged", False, id="the-accusers-plea"),
    # coordination: the furthest stage stated about the claim, not another claim's
    pytest.param("Ronan Falk was charged with bribery and later convicted.", "ACCUSED_OF", "Ronan Falk", "bribery",
                 "convicted", False, id="charged-then-convicted"),
    pytest.param("Harold Brandt was charged with embezzlement after being arrested in May.", "ACCUSED_OF",
                 "Harold Brandt", "embezzlement", "charged", False, id="charged-after-arrest"),
    pytest.param("Ivo Stark, who was convicted of fraud in 2011, was charged with money laundering on Monday.",
                 "ACCUSED_OF", "Ivo Stark", "money laundering", "charged", False, id="relative-conviction-apart"),
    pytest.param("Ivo Stark, who was convicted of fraud in 2011, was charged with money laundering on Monday.",
                 "ACCUSED_OF", "Ivo Stark", "fraud", "convicted", False, id="relative-conviction"),
    pytest.param("Harold Croft pleaded guilty to murder and was later jailed.", "ACCUSED_OF",
                 "Harold Croft", "murder", "convicted", False, id="pleaded-guilty-then-jailed"),
    pytest.param("Harold Croft was jailed for life after pleading guilty to murder.", "ACCUSED_OF",
                 "Harold Croft", "murder", "convicted", False, id="jailed-after-pleading-guilty"),
    pytest.param("Lena Ward denied fraud but admitted theft.", "ACCUSED_OF", "Lena Ward", "theft", "admitted", False,
                 id="admitted-beside-a-denial"),
    pytest.param("Lena Ward denied fraud but admitted theft.", "ACCUSED_OF", "Lena Ward", "fraud", "alleged", True,
                 id="denied-beside-an-admission"),
    pytest.param("Corin Bale accused Ewan Pryce of cheating and was fined £10,000 by the league.", "ACCUSES",
                 "Corin Bale", "Ewan Pryce", "alleged", False, id="the-accuser-fined"),
]


@pytest.mark.parametrize(("text", "predicate", "subject", "obj", "stage", "denied"), STAGE_TABLE)
def test_stage_and_denial(nlp: Any, text: str, predicate: str, subject: str, obj: str, stage: str,
                          denied: bool) -> None:
    got_stage, got_denied, negated = reading(nlp, text, predicate, subject, obj)
    assert (got_stage, got_denied, negated) == (stage, denied, False)


def test_pleaded_guilty_is_never_denied(nlp: Any) -> None:
    """A misparse puts the plea under 'had he denied the charge' (a counterfactual): still admitted, never denied."""
    text = ("In May, Ulla Brenner's killer, Aksel Moen, pleaded guilty to her murder and was jailed for at least 15 "
            "years - it would have been longer had he denied the charge.")
    stage, denied, negated = reading(nlp, text, "ACCUSED_OF", "Aksel Moen", "murder")
    assert (stage, denied, negated) == ("convicted", False, False)


def test_not_charged_stays_negated(nlp: Any) -> None:
    stage, denied, negated = reading(nlp, "Edda Stroud was not charged with fraud.", "ACCUSED_OF", "Edda Stroud",
                                     "fraud")
    assert negated and not denied and stage == "alleged"


def test_other_predicates_carry_no_stage(nlp: Any) -> None:
    ex = extract_text("Viktor Brandt funds the Green Horizon Party. Jonas Weller was convicted of bribery.", nlp)
    stages = {r.predicate: r.stage for r in ex.relations}
    assert stages["FUNDS"] is None and stages["ACCUSED_OF"] == "convicted"
    assert all((r.stage is not None) == (r.predicate in STAGED) for r in ex.relations)


def test_stage_of_an_anchor(nlp: Any) -> None:
    """The reading without the rules' chain (for a claim no rule made): from the word that links the ends."""
    doc = nlp("Greta Lind was found guilty of murder.")
    guilty = next(t for t in doc if t.lower_ == "guilty")
    assert stage_of(guilty, default_rules().cues) == "convicted"
    assert CHAIN_STOPS == NP_INTERNAL_DEPS  # the same chain as the rules'


# -- the cue file -----------------------------------------------------------------------------------------------


def test_cue_file_names_every_stage() -> None:
    table = stage_cues()
    stages = {c.stage for cues in table.by_word.values() for c in cues}
    assert stages == set(STAGES) | {"denial"}
    assert set(PROGRESSION) == set(STAGES) and furthest([]) == "alleged"
    assert furthest(["charged", "convicted", "investigated"]) == "convicted"
    assert (PATTERNS / CUE_FILE).is_file()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param('{"cue": "rumoured", "words": ["x"]}', "unknown cue", id="unknown-cue"),
        pytest.param('{"cue": "charged", "words": []}', "non-empty list", id="no-words"),
        pytest.param('{"cue": "charged", "words": ["Charge<"]}', "bad cue word", id="bad-word"),
        pytest.param('{"cue": "charged", "words": ["x"], "colour": 1}', "expected", id="unknown-field"),
        pytest.param("{not json", "not JSON", id="not-json"),
    ],
)
def test_bad_cue_lines_name_file_and_line(line: str, message: str) -> None:
    with pytest.raises(PatternError, match=rf"{CUE_FILE}:2: .*{message}"):
        parse_cues(["# a comment", line])


def test_cue_file_needs_every_stage() -> None:
    with pytest.raises(PatternError, match="no words for stage"):
        parse_cues(['{"cue": "charged", "words": ["charge"]}'])


# -- the record -------------------------------------------------------------------------------------------------


def test_record_round_trips_stage(nlp: Any) -> None:
    ex = extract_text("Prosecutors charged Lotte Brink with embezzlement.", nlp)
    data = json.loads(json.dumps(ex.to_json()))
    assert [r.get("stage") for r in data["relations"]] == ["charged"]
    back = Extraction.from_json(data)
    assert [r.stage for r in back.relations] == ["charged"]


def test_record_rejects_an_unknown_stage(nlp: Any) -> None:
    data = extract_text("Prosecutors charged Lotte Brink with embezzlement.", nlp).to_json()
    data["relations"][0]["stage"] = "rumoured"
    with pytest.raises(InputError, match=r"relations\[0\]\.stage: 'rumoured' is not a stage"):
        Extraction.from_json(data)
    data["relations"][0]["stage"] = None
    assert Extraction.from_json(data).relations[0].stage is None  # older records: unknown


def test_relation_without_stage_writes_no_field() -> None:
    rel = Relation("e1", "FUNDS", "e2", Evidence("X funds Y.", 0, 10), 0.5, "r")
    assert rel.stage is None and "stage" not in rel.to_json()


# -- the graph, the query and the exports ---------------------------------------------------------------------

TEXTS = [
    "The Markets Authority charged Olsen Freight with market abuse. Olsen Freight denies market abuse.",
    "Jonas Weller was convicted of bribery in 2019.",
]


def _ingest(store: GraphStore, nlp: Any) -> None:
    ingest_extractions(store, [extract_text(t, nlp) for t in TEXTS])


def test_claims_store_their_stage(graph: GraphStore, nlp: Any) -> None:
    _ingest(graph, nlp)
    rows = graph.read("MATCH (s:Actor)-[r]->(o) WHERE type(r) <> 'MENTIONED_IN' "
                      "RETURN s.name AS s, type(r) AS p, o.name AS o, r.stage AS stage, r.denied AS denied")
    got = {(r["s"], r["p"], r["o"], r["stage"], r["denied"]) for r in rows}
    assert ("Markets Authority", "ACCUSES", "Olsen Freight", "charged", False) in got
    assert ("Olsen Freight", "ACCUSED_OF", "market abuse", "charged", False) in got
    assert ("Olsen Freight", "ACCUSED_OF", "market abuse", "alleged", True) in got
    assert ("Jonas Weller", "ACCUSED_OF", "bribery", "convicted", False) in got


def test_accusations_against_returns_the_stage(graph: GraphStore, nlp: Any) -> None:
    _ingest(graph, nlp)
    result = run_query(graph, "accusations-against", ["Olsen Freight"])
    assert "stage" in result.columns
    rows = {(r["charge"], tuple(r["accused_by"]), r["stage"], r["denied"]) for r in result.rows}
    assert rows == {("market abuse", ("Markets Authority",), "charged", False), ("market abuse", (), "alleged", True)}


def test_rdf_carries_the_stage_and_reads_it_back(named_graphs: Any, nlp: Any, tmp_path: Path) -> None:
    graphs = named_graphs("stage_a", "stage_b")
    _ingest(graphs["stage_a"], nlp)
    out = io.StringIO()
    export_rdf(graphs["stage_a"], out, fmt="turtle")
    triples = Graph().parse(data=out.getvalue(), format="turtle")
    assert {str(o) for o in triples.objects(None, AG_STAGE)} == {"charged", "alleged", "convicted"}
    assert all(isinstance(o, Literal) for o in triples.objects(None, AG_STAGE))
    path = tmp_path / "graph.ttl"
    path.write_text(out.getvalue(), encoding="utf-8")
    import_rdf(graphs["stage_b"], path)
    query = ("MATCH ()-[r]->() WHERE r.stage IS NOT NULL RETURN type(r) AS p, r.stage AS stage, r.evidence AS e "
             "ORDER BY p, stage, e")
    assert graphs["stage_b"].read(query) == graphs["stage_a"].read(query)


def test_rdf_stage_conforms_to_the_shapes(graph: GraphStore, nlp: Any) -> None:
    pyshacl = pytest.importorskip("pyshacl")
    from importlib.resources import files

    _ingest(graph, nlp)
    out = io.StringIO()
    export_rdf(graph, out, fmt="turtle")
    data = Graph().parse(data=out.getvalue(), format="turtle")
    shapes = Graph().parse(data=(files("actorgraph.vocab") / "shapes.ttl").read_text("utf-8"), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    assert conforms, text
    claim = next(iter(data.subjects(AG_STAGE, Literal("convicted"))))
    data.set((claim, AG_STAGE, Literal("rumoured")))
    conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    assert not conforms
