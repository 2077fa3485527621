"""Actors in the styles of regulator and prosecutor releases, sanctions notices, donation and lobbying stories and
op-eds: a sentence table on the real model (invented names throughout).

Each row names actors the extraction must find with their types, or names that must not become actors
(products, works, laws): the general grammatical cues of `entities.py` (an untagged name as a verb's argument, a
place named as the source of a sum, a name that only qualifies a thing) carry beyond the news texts the rules
were measured on.
"""

from __future__ import annotations

from typing import Any

import pytest

from actorgraph.extract.extractor import extract_text
from actorgraph.extract.model import Extraction


def run(nlp: Any, text: str) -> Extraction:
    return extract_text(text, nlp)


def actors(ex: Extraction) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in ex.entities if e.type != "CHARGE"}


def claims(ex: Extraction) -> set[tuple[str, str, str]]:
    names = {e.id: e.name for e in ex.entities}
    return {(names[r.subject], r.predicate, names[r.object]) for r in ex.relations if not r.negated}


FOUND = [
    pytest.param("The Financial Conduct Authority fined Harwell Capital £4.2m for failing to prevent market abuse.",
                 {("ORG", "Financial Conduct Authority"), ("ORG", "Harwell Capital")}, id="regulator-fine"),
    pytest.param("The regulator said Norland Bank had breached takeover rules.", {("ORG", "Norland Bank")},
                 id="regulator-breach"),
    pytest.param("The Serious Fraud Office charged Dariusz Nowak with bribery and money laundering on Tuesday.",
                 {("ORG", "Serious Fraud Office"), ("PERSON", "Dariusz Nowak")}, id="prosecutor-charge"),
    pytest.param("Tomas Brandt pleaded guilty to fraud, the Crown Prosecution Service said.",
                 {("PERSON", "Tomas Brandt"), ("ORG", "Crown Prosecution Service")}, id="prosecutor-plea"),
    pytest.param("The Treasury added Orlov Shipping and its owner Pavel Orlov to the sanctions list.",
                 {("ORG", "Treasury"), ("ORG", "Orlov Shipping"), ("PERSON", "Pavel Orlov")}, id="sanctions"),
    pytest.param("The Freedom Party received £200,000 from Gazprom.",
                 {("ORG", "Freedom Party"), ("ORG", "Gazprom")}, id="donation-from-firm"),
    pytest.param("The Green Alliance accepted a £50,000 donation from Stanmore Developments in March.",
                 {("ORG", "Green Alliance"), ("ORG", "Stanmore Developments")}, id="donation-noun"),
    pytest.param("The party received £1m from Russia.", {("GPE", "Russia")}, id="donation-from-country"),
    pytest.param("The lobbying firm Castlegate Partners was paid by Verdana Energy to press ministers on the plan.",
                 {("ORG", "Castlegate Partners"), ("ORG", "Verdana Energy")}, id="lobbying"),
    pytest.param("Writing in a newspaper, Margaret Ellery argued that the Reform Bloc had betrayed its voters.",
                 {("PERSON", "Margaret Ellery"), ("ORG", "Reform Bloc")}, id="op-ed"),
    pytest.param("The opposition Civic Platform accused Jan Kowal of corruption.",
                 {("ORG", "Civic Platform"), ("PERSON", "Jan Kowal")}, id="opposition-party"),
    pytest.param("The minister told the Commons that Downing Street had not been consulted.",
                 {("ORG", "Commons"), ("ORG", "Downing Street")}, id="institutions"),
    pytest.param("Vodafone and O2 were fined by Ofcom, as was security firm Kestrel.",
                 {("ORG", "Ofcom"), ("ORG", "Kestrel")}, id="firm-descriptor"),
    pytest.param("Veltrix, a lobbying firm based in Brussels, was paid £30,000 by the ministry.",
                 {("ORG", "Veltrix")}, id="lobbying-appositive"),
    pytest.param("A Conservative family spokeswoman, Ann Mellor, attacked the bill.",
                 {("ORG", "Conservative"), ("PERSON", "Ann Mellor")}, id="op-ed-party-word"),
    pytest.param("Portugal's previous government sold the bank to Halden Group in 2001.",
                 {("ORG", "Portugal's previous government"), ("ORG", "Halden Group")}, id="possessed-government"),
    pytest.param("Writing for the paper, Ann Ellery told the Courier that the Reform Bloc had betrayed its voters.",
                 {("PERSON", "Ann Ellery"), ("ORG", "Courier"), ("ORG", "Reform Bloc")}, id="op-ed-told-paper"),
    pytest.param("The regulator fined Halvard Group, Mersey Tobacco and Dunmore and Platt for price fixing.",
                 {("ORG", "Halvard Group"), ("ORG", "Mersey Tobacco"), ("ORG", "Dunmore and Platt")},
                 id="regulator-list-double-and"),
    pytest.param("The coach blamed the referee for the defeat to Ireland on Saturday.", {("ORG", "Ireland")},
                 id="contest-side"),
    pytest.param("Talks with Ireland on the border resumed.", {("GPE", "Ireland")}, id="place-stays-place"),
    pytest.param("Shares in engineering group Marwick rose after the regulator cleared the deal.",
                 {("ORG", "Marwick")}, id="adjacent-descriptor"),
]


@pytest.mark.parametrize("text, expected", FOUND)
def test_actors_are_found(nlp: Any, text: str, expected: set[tuple[str, str]]) -> None:
    found = actors(run(nlp, text))
    assert expected <= found, found


NOT_ACTORS = [
    pytest.param("Shares in Altmark fell after the MacWorld conference, and its Zephyr computer was delayed.",
                 {"MacWorld", "Zephyr"}, id="event-and-product"),
    pytest.param("Its programme Night Raiders was dropped, the broadcaster said.", {"Night Raiders"}, id="work"),
    pytest.param("The judges ruled that the order breached the European Convention on Human Rights.",
                 {"European Convention on Human Rights"}, id="law"),
]


@pytest.mark.parametrize("text, forbidden", NOT_ACTORS)
def test_things_are_no_actors(nlp: Any, text: str, forbidden: set[str]) -> None:
    names = {name for _, name in actors(run(nlp, text))}
    assert not names & forbidden, names


def test_issue_sentences_give_claims(nlp: Any) -> None:
    """The named opposition party accuses the person, who is accused of the charge."""
    found = claims(run(nlp, "The opposition Civic Platform accused Jan Kowal of corruption."))
    assert {("Civic Platform", "ACCUSES", "Jan Kowal"), ("Jan Kowal", "ACCUSED_OF", "corruption")} <= found


def test_donation_register_style_gives_funds(nlp: Any) -> None:
    found = claims(run(nlp, "The Kelvin Trust gave £10,000 to Mid Anglia Labour, the register shows."))
    assert ("Kelvin Trust", "FUNDS", "Mid Anglia Labour") in found, found


def test_reordered_court_name_is_one_actor(nlp: Any) -> None:
    ex = run(nlp, "The Court of Appeal upheld the ruling, and the Appeal Court's judges criticised the Home Office.")
    courts = [e for e in ex.entities if "Appeal" in e.name]
    assert len(courts) == 1, [(e.name, e.aliases) for e in ex.entities]
    assert "Appeal Court" in courts[0].aliases


def test_acronym_joins_the_name_it_begins(nlp: Any) -> None:
    ex = run(nlp, "Analysts said KMT Resources had bid for the mine. KMT said the offer was fair.")
    kmt = [e for e in ex.entities if e.name.startswith("KMT")]
    assert len(kmt) == 1 and kmt[0].type == "ORG", [(e.name, e.aliases) for e in ex.entities]


def test_institutions_switch_with_the_known_names(nlp: Any) -> None:
    """The institutions list is general knowledge: off with the known-names list, so figures can be taken
    without it."""
    from actorgraph.extract.aliases import use_known_names

    text = "He said No 10 did not disclose the figures."
    assert ("ORG", "No 10") in actors(run(nlp, text))
    use_known_names(False)
    try:
        names = {name for _, name in actors(run(nlp, text))}
    finally:
        use_known_names(True)
    assert "No 10" not in names, names
