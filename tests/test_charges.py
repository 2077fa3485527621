"""Charges: short lower-case noun or gerund phrases, split over coordination, never page text (real model)."""

from __future__ import annotations

from typing import Any

import pytest

from actorgraph.extract.charges import gerund, plausible
from actorgraph.extract.extractor import extract_text
from actorgraph.extract.relations import default_rules

Triple = tuple[str, str, str]


def claims(nlp: Any, text: str) -> set[Triple]:
    """(subject name, predicate, object name) of the asserted ACCUSED_OF and ACCUSES relations."""
    ex = extract_text(text, nlp)
    names = {e.id: e.name for e in ex.entities}
    return {(names[r.subject], r.predicate, names[r.object]) for r in ex.relations
            if r.predicate in {"ACCUSED_OF", "ACCUSES"} and not r.negated}


def charge_names(nlp: Any, text: str) -> set[str]:
    return {e.name for e in extract_text(text, nlp).entities if e.type == "CHARGE"}


# Each row: a sentence and the claims it must give (charge names exact; actor names as the pipeline spells them).
GOOD = [
    pytest.param("Jan Kowal is under investigation for tax evasion.",
                 {("Jan Kowal", "ACCUSED_OF", "tax evasion")}, id="under-investigation-for"),
    pytest.param("Senator Ruth Holloway accused Jan Kowalski of corruption.",
                 {("Jan Kowalski", "ACCUSED_OF", "corruption"), ("Ruth Holloway", "ACCUSES", "Jan Kowalski")},
                 id="accused-x-of-hung-on-x"),
    pytest.param("Acme Holdings was fined £2m by the regulator for misleading investors.",
                 {("Acme Holdings", "ACCUSED_OF", "misleading investors")}, id="fined-for-gerund"),
    pytest.param("Jan Kowal pleaded guilty to bribery.", {("Jan Kowal", "ACCUSED_OF", "bribery")},
                 id="pleaded-guilty-to"),
    pytest.param("Jan Kowal faces charges of fraud.", {("Jan Kowal", "ACCUSED_OF", "fraud")}, id="faces-charges-of"),
    pytest.param("Maria Lopez was sanctioned for human rights abuses.",
                 {("Maria Lopez", "ACCUSED_OF", "human rights abuses")}, id="sanctioned-for"),
    pytest.param("Jan Kowal was convicted of embezzlement.", {("Jan Kowal", "ACCUSED_OF", "embezzlement")},
                 id="convicted-of"),
    pytest.param("Jan Kowal was charged with breaching takeover rules.",
                 {("Jan Kowal", "ACCUSED_OF", "breaching takeover rules")}, id="charged-with-gerund"),
    pytest.param("Peter Vance was given a provisional suspension by the IAAF for failing to take drugs tests.",
                 {("Peter Vance", "ACCUSED_OF", "failing to take drugs tests")}, id="given-a-suspension-for"),
    pytest.param("Peter Vance faces a criminal trial later this year for allegedly avoiding the test.",
                 {("Peter Vance", "ACCUSED_OF", "avoiding the test")}, id="faces-trial-for"),
    pytest.param("The Greek Athletics Federation cleared Kostas Marinos of doping offences.",
                 {("Kostas Marinos", "ACCUSED_OF", "doping offences")}, id="cleared-of"),
    pytest.param("Peter Vance has been accused of running out of solutions.",
                 {("Peter Vance", "ACCUSED_OF", "running out of solutions")}, id="particle-kept"),
    pytest.param("Peter Vance has been charged by the Football Association over crowd trouble during the match.",
                 {("Peter Vance", "ACCUSED_OF", "crowd trouble"), ("Football Association", "ACCUSES", "Peter Vance")},
                 id="over-no-time-phrase"),
    pytest.param("Stefan Novak has been banned for three months by the International Tennis Federation after "
                 "testing positive for a banned substance.",
                 {("Stefan Novak", "ACCUSED_OF", "testing positive for a banned substance"),
                  ("International Tennis Federation", "ACCUSES", "Stefan Novak")}, id="banned-after-gerund"),
]

# Prosecutor, regulator, sanctions, election-body and op-ed phrasing (invented names).
OTHER_STYLES = [
    pytest.param("Prosecutors charged Dorian Pell with wire fraud, conspiracy and obstruction of justice.",
                 {("Dorian Pell", "ACCUSED_OF", "wire fraud"), ("Dorian Pell", "ACCUSED_OF", "conspiracy"),
                  ("Dorian Pell", "ACCUSED_OF", "obstruction of justice")}, id="prosecutor-three-counts"),
    pytest.param("The US Department of Justice indicted Arman Dossov on charges of bribery and money laundering.",
                 {("Arman Dossov", "ACCUSED_OF", "bribery"), ("Arman Dossov", "ACCUSED_OF", "money laundering"),
                  ("US Department of Justice", "ACCUSES", "Arman Dossov")}, id="indicted-on-charges-of"),
    pytest.param("The Financial Conduct Authority fined Norbridge Bank £12m for failing to protect customers "
                 "from money laundering.",
                 {("Norbridge Bank", "ACCUSED_OF", "failing to protect customers from money laundering"),
                  ("Financial Conduct Authority", "ACCUSES", "Norbridge Bank")}, id="regulator-fine"),
    pytest.param("The Treasury sanctioned Maria Lopez for her role in human rights abuses.",
                 {("Maria Lopez", "ACCUSED_OF", "human rights abuses")}, id="sanctions-role-in"),
    pytest.param("Lena Marsh pleaded guilty to insider trading and securities fraud.",
                 {("Lena Marsh", "ACCUSED_OF", "insider trading"), ("Lena Marsh", "ACCUSED_OF", "securities fraud")},
                 id="guilty-plea-two"),
    pytest.param("A federal jury convicted Tomas Reyes of embezzling $3m from the charity.",
                 {("Tomas Reyes", "ACCUSED_OF", "embezzling from the charity")}, id="jury-no-sum"),
    pytest.param("Quill Energy agreed to pay $50m to settle allegations that it bribed officials in Nigeria.",
                 {("Quill Energy", "ACCUSED_OF", "bribing officials")}, id="settle-allegations-gerund"),
    pytest.param("The Financial Conduct Authority found that Carmine Holdings had misled investors.",
                 {("Carmine Holdings", "ACCUSED_OF", "misleading investors"),
                  ("Financial Conduct Authority", "ACCUSES", "Carmine Holdings")}, id="regulator-found-that"),
    pytest.param("The High Court found Maria Lopez guilty of tax evasion.",
                 {("Maria Lopez", "ACCUSED_OF", "tax evasion"), ("High Court", "ACCUSES", "Maria Lopez")},
                 id="court-found-guilty"),
    pytest.param("The Electoral Commission fined the Reform Alliance £20,000 for failing to report donations.",
                 {("Reform Alliance", "ACCUSED_OF", "failing to report donations"),
                  ("Electoral Commission", "ACCUSES", "Reform Alliance")}, id="electoral-body-fine"),
    pytest.param("Senator Ruth Holloway is under investigation by the ethics committee for misuse of campaign funds.",
                 {("Ruth Holloway", "ACCUSED_OF", "misuse of campaign funds")}, id="ethics-investigation"),
    pytest.param("Peter Vance denies conspiring to commit election fraud.",
                 {("Peter Vance", "ACCUSED_OF", "conspiring to commit election fraud")}, id="denies-gerund"),
    pytest.param("Singer Anna Vance has been spared jail for assault and drug offences.",
                 {("Anna Vance", "ACCUSED_OF", "assault"), ("Anna Vance", "ACCUSED_OF", "drug offences")},
                 id="spared-jail-for"),
]


@pytest.mark.parametrize("sentence, expected", GOOD + OTHER_STYLES)
def test_charges_found(nlp: Any, sentence: str, expected: set[Triple]) -> None:
    found = claims(nlp, sentence)
    assert expected <= found, f"missing {expected - found} in {sentence!r}; got {found}"


@pytest.mark.parametrize("sentence, wrong", [
    pytest.param("The Financial Conduct Authority fined Norbridge Bank £12m for failing to report losses.",
                 ("Financial Conduct Authority", "ACCUSED_OF", "failing to report losses"),
                 id="fining-body-not-accused"),
    pytest.param("The US Department of Justice indicted Arman Dossov on charges of bribery.",
                 ("US Department of Justice", "ACCUSED_OF", "bribery"), id="indicting-body-not-accused"),
])
def test_the_accuser_is_not_accused(nlp: Any, sentence: str, wrong: Triple) -> None:
    assert wrong not in claims(nlp, sentence)


@pytest.mark.parametrize("sentence, forbidden", [
    pytest.param("Peter Vance has been accused of running out of solutions.", "running", id="running"),
    pytest.param("Peter Vance faces a ban for the rest of the season.", "rest", id="rest-of-season"),
    pytest.param("Maria Lopez faced charges over the 5 May poll.", "5 may poll", id="dated-poll"),
    pytest.param("Kostas Marinos has been cleared of highly damaging and unfounded charges.",
                 "highly damaging and unfounded charges", id="charges-say-no-offence"),
    pytest.param("Maria Lopez was convicted of murder, money laundering and fraud.",
                 "murder, money laundering and fraud", id="coordination-split"),
])
def test_junk_is_never_a_charge(nlp: Any, sentence: str, forbidden: str) -> None:
    names = charge_names(nlp, sentence)
    assert forbidden not in names, names
    assert all(n == n.lower() and len(n.split()) <= 8 for n in names), names


def test_coordination_splits_into_charges(nlp: Any) -> None:
    assert {"fraud", "money laundering"} <= charge_names(nlp, "Jan Kowal was convicted of fraud and money laundering.")
    names = charge_names(nlp, "Anna Berg pleaded guilty to possessing a forged prescription and oxycodone.")
    assert {"possessing a forged prescription", "possessing oxycodone"} <= names, names
    names = charge_names(nlp, "Victor Hale was charged with distributing illegal steroids and money laundering.")
    assert {"distributing illegal steroids", "money laundering"} <= names, names


def test_clause_charges_are_gerund_phrases(nlp: Any) -> None:
    names = charge_names(nlp, "Marco Vitale rejected allegations that he bribed officials and lied to the court.")
    assert {"bribing officials", "lying to the court"} <= names, names


@pytest.mark.parametrize("name", ["said made countless times", "5 may poll", "running", "it", "claims", "denies",
                                  "charges", "the", "2004", ""])
def test_page_text_is_not_plausible(name: str) -> None:
    assert not plausible(name, default_rules().cues)


@pytest.mark.parametrize("name", ["fraud", "bribery", "money laundering", "breaching takeover rules",
                                  "misleading investors", "lying to the court", "extremism"])
def test_guide_charges_are_plausible(name: str) -> None:
    assert plausible(name, default_rules().cues)


@pytest.mark.parametrize("lemma, form", [("lie", "lying"), ("hide", "hiding"), ("rig", "rigging"), ("fix", "fixing"),
                                         ("mislead", "misleading"), ("be", "being"), ("commit", "committing"),
                                         ("target", "targeting"), ("see", "seeing"), ("stab", "stabbing")])
def test_gerund(lemma: str, form: str) -> None:
    assert gerund(lemma) == form


def test_issue_sentence_opposition_accuses(nlp: Any) -> None:
    found = claims(nlp, "The opposition accused Jan Kowal of corruption.")
    assert ("Jan Kowal", "ACCUSED_OF", "corruption") in found
    assert any(p == "ACCUSES" and o == "Jan Kowal" for _, p, o in found)
