"""Sentence tables for texts other than news stories: sanctions notices, regulators' and prosecutors' releases,
party-finance notices and statements (real model, no mocks). Every sentence is made up for the test."""

from __future__ import annotations

from typing import Any

import pytest

from actorgraph.extract.extractor import extract_text

Triple = tuple[str, str, str]


def claims(nlp: Any, text: str, predicate: str) -> set[Triple]:
    """(subject name, predicate, object name) of the asserted relations of one predicate."""
    ex = extract_text(text, nlp)
    names = {e.id: e.name for e in ex.entities}
    return {(names[r.subject], r.predicate, names[r.object]) for r in ex.relations
            if r.predicate == predicate and not r.negated}


def has(found: set[Triple], expected: Triple) -> bool:
    """A found triple whose ends contain the expected names ('Acme Corp' for 'Acme')."""
    s, p, o = expected
    return any(p == fp and s in fs and o in fo for fs, fp, fo in found)


FOUND = [
    pytest.param("The Freedom Party received £200,000 from Gazprom.", "FUNDS",
                 ("Gazprom", "FUNDS", "Freedom Party"), id="received-money-from"),
    pytest.param("The Civic Renewal Party accepted a £50,000 loan from Harwell Holdings in May.", "FUNDS",
                 ("Harwell Holdings", "FUNDS", "Civic Renewal Party"), id="accepted-loan-from"),
    pytest.param("The Treasury sanctioned Ivan Petrov, a member of the Federal Assembly.", "BANNED_BY",
                 ("Ivan Petrov", "BANNED_BY", "Treasury"), id="sanctioned-active"),
    pytest.param("Boris Tomic was designated by the State Department on Tuesday.", "BANNED_BY",
                 ("Boris Tomic", "BANNED_BY", "State Department"), id="designated-by"),
    pytest.param("Canada and Norway have also designated Anatoly Varga.", "BANNED_BY",
                 ("Anatoly Varga", "BANNED_BY", "Norway"), id="designated-coordinated-imposers"),
    pytest.param("Businessmen now subject to EU sanctions include Oleg Brandt and Pavel Sokol.", "BANNED_BY",
                 ("Pavel Sokol", "BANNED_BY", "EU"), id="subject-to-sanctions-include"),
    pytest.param("Lena Markova has been subject to Canadian sanctions since Canada acted in 2019.", "BANNED_BY",
                 ("Lena Markova", "BANNED_BY", "Canada"), id="subject-to-nationality-sanctions"),
    pytest.param("The European Union imposed sanctions on Dariusz Holt last year.", "BANNED_BY",
                 ("Dariusz Holt", "BANNED_BY", "European Union"), id="sanctions-imposed-on"),
    pytest.param("Two executives, Maria Lenz and Tomas Gruber, were charged with bribery.", "ACCUSED_OF",
                 ("Tomas Gruber", "ACCUSED_OF", "bribery"), id="apposed-pair-charged"),
    pytest.param("Ana Ribeiro, chief executive and chairman of Solvane Energy, resigned.", "MEMBER_OF",
                 ("Ana Ribeiro", "MEMBER_OF", "Solvane Energy"), id="two-titles-of-one-org"),
    pytest.param("Peter Lund, a senior reporter in the Daily Courier, was detained.", "MEMBER_OF",
                 ("Peter Lund", "MEMBER_OF", "Daily Courier"), id="reporter-in-org"),
    pytest.param("The regulator fined Northgate Trust £5,000 because it accepted an anonymous gift.", "ACCUSED_OF",
                 ("Northgate Trust", "ACCUSED_OF", "accepting an anonymous gift"), id="fined-because"),
    pytest.param("The watchdog imposed the penalty because Halden Group did not keep proper records.", "ACCUSED_OF",
                 ("Halden Group", "ACCUSED_OF", "keeping proper records"), id="penalty-because"),
    pytest.param("The Green Alliance received four fines totalling £800 for the late filing of its accounts.",
                 "ACCUSED_OF", ("Green Alliance", "ACCUSED_OF", "late filing"), id="fines-totalling-for"),
    pytest.param("Mark Oduya acted on behalf of the government of Freedonia and the Unity Front.", "LOBBIES_FOR",
                 ("Mark Oduya", "LOBBIES_FOR", "Unity Front"), id="acted-on-behalf-of"),
    pytest.param("The regulator's order finds that Delta Freight violated the antifraud provisions.", "ACCUSED_OF",
                 ("Delta Freight", "ACCUSED_OF", "violating the antifraud provisions"), id="order-finds-violated"),
    pytest.param("The watchdog fined Pinecrest Bank £4 million for failing to protect customers.", "ACCUSED_OF",
                 ("Pinecrest Bank", "ACCUSED_OF", "failing to protect customers"), id="fined-sum-for-reason"),
    pytest.param("Oleg Brandt was added to the sanctions list by the European Union.", "BANNED_BY",
                 ("Oleg Brandt", "BANNED_BY", "European Union"), id="added-to-sanctions-list-by"),
    pytest.param("The Unity Front was listed as a terrorist organisation by the Home Office.", "BANNED_BY",
                 ("Unity Front", "BANNED_BY", "Home Office"), id="listed-as-terrorist-by"),
    pytest.param("The agency designated Tarik Group for providing financial support to the Unity Front.", "FUNDS",
                 ("Tarik Group", "FUNDS", "Unity Front"), id="designated-for-financial-support"),
    pytest.param("The Liberal Union Party accepted donations totalling £1.2 million from Oliver Grant.", "FUNDS",
                 ("Oliver Grant", "FUNDS", "Liberal Union Party"), id="donations-totalling-from"),
    pytest.param("Oliver Grant, a major donor to the Liberal Union Party, hosted the dinner.", "FUNDS",
                 ("Oliver Grant", "FUNDS", "Liberal Union Party"), id="donor-to"),
    pytest.param("Ruth Holloway has been a staunch critic of Viktor Brandt for years.", "OPPOSES",
                 ("Ruth Holloway", "OPPOSES", "Viktor Brandt"), id="critic-of"),
    pytest.param("Harbor Capital hired Greenfield Partners to lobby against the tax.", "LOBBIES_FOR",
                 ("Greenfield Partners", "LOBBIES_FOR", "Harbor Capital"), id="hired-to-lobby"),
    pytest.param("Greenfield Partners registered as a foreign agent for the government of Norland.", "LOBBIES_FOR",
                 ("Greenfield Partners", "LOBBIES_FOR", "Norland"), id="foreign-agent-for-government-of"),
    pytest.param("Ana Ribeiro was banned from holding office by the Supreme Court.", "BANNED_BY",
                 ("Ana Ribeiro", "BANNED_BY", "Supreme Court"), id="banned-from-gerund-by"),
    pytest.param("The Green Alliance has suspended Tom Ferris for his remarks about migrants.", "BANNED_BY",
                 ("Tom Ferris", "BANNED_BY", "Green Alliance"), id="suspended-by-party"),
    pytest.param("The Northern League fined striker Tom Ferris £500 and imposed a three-match ban.", "BANNED_BY",
                 ("Tom Ferris", "BANNED_BY", "Northern League"), id="fined-and-imposed-ban"),
    pytest.param("Norland imposed an arms embargo on Vestria in 2011.", "BANNED_BY",
                 ("Vestria", "BANNED_BY", "Norland"), id="imposed-embargo-on"),
    pytest.param("The US ban on trade with Vestria was lifted in 2015.", "BANNED_BY",
                 ("Vestria", "BANNED_BY", "US"), id="ban-on-trade-with"),
    pytest.param("Jeffrey Arden's five-year suspension from the Civic Renewal Party has ended.", "BANNED_BY",
                 ("Jeffrey Arden", "BANNED_BY", "Civic Renewal Party"), id="suspension-from-party"),
    pytest.param("Tom Ferris and Jana Holub were given provisional suspensions by the Northern League.",
                 "BANNED_BY", ("Jana Holub", "BANNED_BY", "Northern League"), id="given-suspensions-by"),
    pytest.param("Tom Ferris received a three-match ban from the Northern League.", "BANNED_BY",
                 ("Tom Ferris", "BANNED_BY", "Northern League"), id="received-ban-from"),
    pytest.param("Mr Kessler's financial backers, including Pinecrest Bank, have pulled out.", "FUNDS",
                 ("Pinecrest Bank", "FUNDS", "Kessler"), id="backers-including"),
    pytest.param("Vestria owes the Northwind Bank about $4bn.", "FUNDS",
                 ("Northwind Bank", "FUNDS", "Vestria"), id="owes-money"),
    pytest.param("Ruth Holloway has become a paid adviser to Harbor Capital.", "FUNDS",
                 ("Harbor Capital", "FUNDS", "Ruth Holloway"), id="paid-adviser-to"),
    pytest.param("Ruth Holloway earned up to £95,000 for a weekly column in the Daily Courier.", "FUNDS",
                 ("Daily Courier", "FUNDS", "Ruth Holloway"), id="earned-for-column-in"),
    pytest.param("The Northwind Trust has offered £60m over ten years to the Global Health Fund.", "FUNDS",
                 ("Northwind Trust", "FUNDS", "Global Health Fund"), id="offered-money-to"),
    pytest.param("Ana Ribeiro, who often clashed with the Finance Ministry, stepped down.", "OPPOSES",
                 ("Ana Ribeiro", "OPPOSES", "Finance Ministry"), id="clashed-with"),
    pytest.param("Ruth Holloway's bitter row with Viktor Brandt dominated the conference.", "OPPOSES",
                 ("Ruth Holloway", "OPPOSES", "Viktor Brandt"), id="row-with"),
    pytest.param("Viktor Kaminski's press secretary Olga Brill denied the report.", "WORKS_WITH",
                 ("Olga Brill", "WORKS_WITH", "Kaminski"), id="aide-of-named-person"),
]

NOT_FOUND = [
    pytest.param("The Treasury sanctioned Ivan Petrov, a member of the Federal Assembly.", "MEMBER_OF",
                 ("Treasury", "MEMBER_OF", ""), id="sanctioned-no-member-of-imposer"),
    pytest.param("The Treasury sanctioned Ivan Petrov, a member of the Federal Assembly.", "ACCUSES",
                 ("Treasury", "ACCUSES", "Ivan Petrov"), id="state-sanction-no-accusation"),
    pytest.param("The board designated Hannah Voss as its next chairman.", "BANNED_BY",
                 ("Hannah Voss", "BANNED_BY", ""), id="designated-as-successor"),
    pytest.param("Delta Freight received a £2m fine from the regulator.", "FUNDS",
                 ("", "FUNDS", "Delta Freight"), id="received-fine-not-funds"),
    pytest.param("The regulator charged Halden Group with fraud, a charge that Halden Group has agreed to settle.",
                 "ACCUSED_OF", ("Halden Group", "ACCUSED_OF", "settle"), id="relative-clause-no-charge"),
    pytest.param("Ivo Marek was designated for his involvement in the government of Freedonia.", "ACCUSED_OF",
                 ("Ivo Marek", "ACCUSED_OF", "government"), id="involvement-in-government-no-charge"),
    pytest.param("Police said they had arrested Jana Holub for her own safety.", "ACCUSED_OF",
                 ("Jana Holub", "ACCUSED_OF", ""), id="arrested-for-own-safety"),
    pytest.param("The agency designated Tarik Group for providing financial support to the Unity Front.", "FUNDS",
                 ("agency", "FUNDS", "Unity Front"), id="designator-funds-nobody"),
    pytest.param("The Green Alliance suspended the talks with Harlow Rovers.", "BANNED_BY",
                 ("Harlow Rovers", "BANNED_BY", ""), id="suspended-talks-no-ban"),
    pytest.param("Mr Kessler's financial backers, including Pinecrest Bank, have pulled out.", "SUPPORTS",
                 ("Pinecrest Bank", "SUPPORTS", "Kessler"), id="financial-backer-no-supports"),
    pytest.param("Harbor Capital has offered £60m for Delta Freight.", "FUNDS",
                 ("Harbor Capital", "FUNDS", "Delta Freight"), id="offer-for-is-a-purchase"),
    pytest.param("Rui Costa, a lawyer in Lisbon, spoke to reporters.", "MEMBER_OF",
                 ("Rui Costa", "MEMBER_OF", "Lisbon"), id="lawyer-in-place"),
]


@pytest.mark.parametrize(("sentence", "predicate", "expected"), FOUND)
def test_found(nlp: Any, sentence: str, predicate: str, expected: Triple) -> None:
    found = claims(nlp, sentence, predicate)
    assert has(found, expected), f"expected {expected} in {sentence!r}, got {found}"


@pytest.mark.parametrize(("sentence", "predicate", "unwanted"), NOT_FOUND)
def test_not_found(nlp: Any, sentence: str, predicate: str, unwanted: Triple) -> None:
    found = claims(nlp, sentence, predicate)
    assert not has(found, unwanted), f"did not expect {unwanted} in {sentence!r}, got {found}"


def actors(nlp: Any, text: str) -> set[tuple[str, str]]:
    """(type, name) of the PERSON and ORG actors extracted from a text."""
    return {(e.type, e.name) for e in extract_text(text, nlp).entities if e.type in {"PERSON", "ORG"}}


STATES = [
    pytest.param("Envoys of the Russian Federation walked out of the talks.", "Russian Federation", [],
                 id="nationality-federation-is-a-state"),
    pytest.param("Officials of the People's Republic of Norland (PRN) met the envoy. The PRN denied the report.",
                 "People's Republic of Norland", ["PRN"], id="state-name-with-bracketed-acronym"),
]


@pytest.mark.parametrize(("text", "name", "aliases"), STATES)
def test_state_names(nlp: Any, text: str, name: str, aliases: list[str]) -> None:
    """A state's formal name is a GPE, kept whole ("People's" is no possessor), and its bracketed acronym joins it."""
    ents = {e.name: e for e in extract_text(text, nlp).entities}
    assert name in ents and ents[name].type == "GPE", {n: e.type for n, e in ents.items()}
    assert all(a in ents[name].aliases for a in aliases), ents[name].aliases


def test_charge_drops_a_dangling_link_word(nlp: Any) -> None:
    """The recipient is an actor, so it leaves the charge, and the preposition goes with it."""
    ex = extract_text("The agency designated Tarik Group for providing financial support to the Unity Front.", nlp)
    charges = {e.name for e in ex.entities if e.type == "CHARGE"}
    assert "providing financial support" in charges, charges


def test_lone_surname_with_an_aide_is_a_person(nlp: Any) -> None:
    """'Morev's press secretary': only a person has one, so the lone name is kept, as a PERSON."""
    text = "Sanctions now cover Morev's political allies. Morev's press secretary Olga Brill denied the report."
    found = actors(nlp, text)
    assert ("PERSON", "Morev") in found, found


def test_sports_federation_stays_an_organisation(nlp: Any) -> None:
    found = actors(nlp, "The Russian Football Federation fined the club. The Women's Institute met.")
    assert ("ORG", "Russian Football Federation") in found and ("ORG", "Women's Institute") in found, found


ACTOR_CASES = [
    pytest.param("The Liberal and Radical Party said the vote was fair. The Radical Party split in 1990.",
                 ("ORG", "Liberal and Radical Party"), ("ORG", "Liberal"), id="and-inside-party-name"),
    pytest.param("Elena Brandt Settles SEC Fraud Charges; Harbor Capital Charged With Securities Law Breach\n\n"
                 "Elena Brandt agreed to settle the charge. Harbor Capital also settled.",
                 ("PERSON", "Elena Brandt"), ("ORG", "Elena Brandt Settles SEC Fraud Charges"),
                 id="title-case-headline-run"),
]


@pytest.mark.parametrize(("text", "wanted", "junk"), ACTOR_CASES)
def test_actor_names(nlp: Any, text: str, wanted: tuple[str, str], junk: tuple[str, str]) -> None:
    found = actors(nlp, text)
    assert wanted in found, f"expected {wanted} in {found}"
    assert junk not in found, f"did not expect {junk} in {found}"
