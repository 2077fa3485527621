"""Sentence tables, one per pattern family: each row a construction, its id naming it (real model, no mocks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from actorgraph.errors import PatternError
from actorgraph.extract.extractor import extract_text
from actorgraph.extract.relations import PATTERN_DIR, load_rules

Triple = tuple[str, str, str]


def claims(nlp: Any, text: str, predicate: str, *, negated: bool = False) -> set[Triple]:
    """(subject name, predicate, object name) of the asserted (or, with negated=True, negated) relations."""
    ex = extract_text(text, nlp)
    names = {e.id: e for e in ex.entities}
    out = set()
    for r in ex.relations:
        if r.predicate == predicate and r.negated == negated:
            out.add((names[r.subject].name, r.predicate, names[r.object].name))
    return out


def has(found: set[Triple], expected: Triple) -> bool:
    """True when a found triple names the expected ends (names may be fuller: 'Acme Corp' for 'Acme')."""
    s, p, o = expected
    return any(p == fp and s in fs and o in fo for fs, fp, fo in found)


def check(nlp: Any, sentence: str, predicate: str, expected: Triple | None) -> None:
    found = claims(nlp, sentence, predicate)
    if expected is None:
        assert not found, f"expected no {predicate} in {sentence!r}, got {found}"
    else:
        assert has(found, expected), f"expected {expected} in {sentence!r}, got {found}"


ACTIVE = [
    pytest.param("Viktor Brandt funds the Green Horizon Party.", "FUNDS",
                 ("Viktor Brandt", "FUNDS", "Green Horizon Party"), id="funds-active"),
    pytest.param("The Northwind Trust finances Clearwater Action.", "FUNDS",
                 ("Northwind Trust", "FUNDS", "Clearwater Action"), id="finances-active"),
    pytest.param("Oliver Grant donated £2m to the Liberal Union Party last year.", "FUNDS",
                 ("Oliver Grant", "FUNDS", "Liberal Union Party"), id="donated-to"),
    pytest.param("Marta Keller gave interviews to the Daily Courier.", "FUNDS", None, id="gave-no-money"),
    pytest.param("The regulator sued Delta Freight over the merger.", "ACCUSES", None, id="sue-unnamed-accuser"),
    pytest.param("Pinecrest Bank sued Delta Freight for breach of contract.", "ACCUSES",
                 ("Pinecrest Bank", "ACCUSES", "Delta Freight"), id="sue-active"),
    pytest.param("Senator Ruth Holloway criticised Axiom Energy in a speech.", "OPPOSES",
                 ("Ruth Holloway", "OPPOSES", "Axiom Energy"), id="criticise"),
    pytest.param("The Workers Alliance endorsed Daniel Okafor for mayor.", "SUPPORTS",
                 ("Workers Alliance", "SUPPORTS", "Daniel Okafor"), id="endorse"),
    pytest.param("Harbor Capital works closely with Meridian Holdings.", "WORKS_WITH",
                 ("Harbor Capital", "WORKS_WITH", "Meridian Holdings"), id="works-with"),
    pytest.param("Greenfield Partners lobbied on behalf of Orion Mining.", "LOBBIES_FOR",
                 ("Greenfield Partners", "LOBBIES_FOR", "Orion Mining"), id="lobby-on-behalf"),
    pytest.param("Lord Carrow has made a £2m donation to the Green Horizon Party.", "FUNDS",
                 ("Lord Carrow", "FUNDS", "Green Horizon Party"), id="made-a-donation-to"),
    pytest.param("Robin Hale gave his support to Mr Brown's leadership ambitions.", "SUPPORTS",
                 ("Robin Hale", "SUPPORTS", "Brown"), id="gave-support-to-ambitions"),
    pytest.param("Microsoft is seeking millions of dollars in damages from Northwind Mail Inc.", "ACCUSES",
                 ("Microsoft", "ACCUSES", "Northwind Mail Inc"), id="seeking-damages-from"),
    pytest.param("The SEC fined Brandt Holdings $2m.", "ACCUSES", ("SEC", "ACCUSES", "Brandt Holdings"),
                 id="fined-x-a-sum"),
    pytest.param("Delta Freight agreed to pay $20m to the SEC to settle the bribe charge.", "FUNDS", None,
                 id="settlement-is-no-funding"),
    pytest.param("Delta Freight has agreed to pay $1m to the Department of Justice.", "FUNDS", None,
                 id="payment-to-prosecutor-is-no-funding"),
]

PASSIVE = [
    pytest.param("The Green Horizon Party is funded by Viktor Brandt.", "FUNDS",
                 ("Viktor Brandt", "FUNDS", "Green Horizon Party"), id="funded-by"),
    pytest.param("The Free Voice Movement was banned by the Supreme Court of Ruritania.", "BANNED_BY",
                 ("Free Voice Movement", "BANNED_BY", "Supreme Court"), id="banned-by"),
    pytest.param("Microsoft was sued by Pinecrest Bank.", "ACCUSES",
                 ("Pinecrest Bank", "ACCUSES", "Microsoft"), id="sued-by"),
    pytest.param("Marco Vitale was convicted of fraud in 2019.", "ACCUSED_OF",
                 ("Marco Vitale", "ACCUSED_OF", "fraud"), id="convicted-of"),
    pytest.param("The group was declared an extremist organisation by the Supreme Court of Ruritania.",
                 "BANNED_BY", None, id="declared-unnamed-subject"),
    pytest.param("Brandt Holdings fined $1.5m for bribery", "ACCUSED_OF",
                 ("Brandt Holdings", "ACCUSED_OF", "bribery"), id="headline-without-was"),
    pytest.param("Northwind Mail Inc was sued in 2003 for sending messages that violated anti-spam laws.",
                 "ACCUSED_OF", ("Northwind Mail Inc", "ACCUSED_OF", "sending messages"),
                 id="sued-for-offence"),
    pytest.param("Pinecrest Bank sued Delta Freight over the merger.", "ACCUSED_OF", None,
                 id="sued-over-no-offence"),
]

RELATIVE = [
    pytest.param("Viktor Brandt leads the Free Voice Movement, which he funds.", "FUNDS",
                 ("Viktor Brandt", "FUNDS", "Free Voice Movement"), id="which-he-funds"),
    pytest.param("Anna Petrova met the Free Voice Movement, which was banned by the Supreme Court of Ruritania.",
                 "BANNED_BY", ("Free Voice Movement", "BANNED_BY", "Supreme Court"), id="which-was-banned"),
    pytest.param("Officials questioned Marco Vitale, who works with Harbor Capital.", "WORKS_WITH",
                 ("Marco Vitale", "WORKS_WITH", "Harbor Capital"), id="who-works-with"),
]

COORDINATION = [
    pytest.param("Marco Vitale was convicted of murder, money laundering and fraud.", "ACCUSED_OF",
                 [("Marco Vitale", "ACCUSED_OF", "murder"), ("Marco Vitale", "ACCUSED_OF", "money laundering"),
                  ("Marco Vitale", "ACCUSED_OF", "fraud")], id="three-charges"),
    pytest.param("Viktor Brandt finances Bank of America, UBS and Citigroup.", "FUNDS",
                 [("Viktor Brandt", "FUNDS", "Bank of America"), ("Viktor Brandt", "FUNDS", "UBS"),
                  ("Viktor Brandt", "FUNDS", "Citigroup")], id="three-objects"),
    pytest.param("Jonas Weber was charged with fraud and tax evasion.", "ACCUSED_OF",
                 [("Jonas Weber", "ACCUSED_OF", "fraud"), ("Jonas Weber", "ACCUSED_OF", "tax evasion")],
                 id="two-charges"),
]

NOMINALISATION = [
    pytest.param("Marco Vitale fled the country after his court convictions for bribery and extortion.",
                 "ACCUSED_OF", ("Marco Vitale", "ACCUSED_OF", "bribery"), id="his-convictions-for"),
    pytest.param("The Brussels-based NGO Clearwater Action has financial links to Viktor Brandt.", "FUNDS",
                 ("Clearwater Action", "FUNDS", "Viktor Brandt"), id="financial-links-to"),
    pytest.param("The largest donation to the Green Horizon Party was a gift from Oliver Grant.", "FUNDS",
                 ("Oliver Grant", "FUNDS", "Green Horizon Party"), id="donation-from"),
    pytest.param("The Green Horizon Party's biggest donor is Oliver Grant.", "FUNDS",
                 ("Oliver Grant", "FUNDS", "Green Horizon Party"), id="x-donor-is-y"),
    pytest.param("Jonas Weber faces charges of embezzlement.", "ACCUSED_OF",
                 ("Jonas Weber", "ACCUSED_OF", "embezzlement"), id="faces-charges-of"),
    pytest.param("Prosecutors brought accusations against Jonas Weber of embezzlement.", "ACCUSED_OF",
                 ("Jonas Weber", "ACCUSED_OF", "embezzlement"), id="accusations-against-of"),
    pytest.param("Delta Freight faced criminal charges from the Department of Justice.", "ACCUSES",
                 ("Department of Justice", "ACCUSES", "Delta Freight"), id="charges-from"),
    pytest.param("Delta Freight agreed to pay $20m to the SEC to settle the bribe charge.", "ACCUSED_OF",
                 ("Delta Freight", "ACCUSED_OF", "bribe"), id="offence-compound-charge"),
    pytest.param("Delta Freight has agreed to pay a $1.5m fine for bribing a foreign official.", "ACCUSED_OF",
                 ("Delta Freight", "ACCUSED_OF", "bribing a foreign official"), id="fine-for"),
    pytest.param("It is the first criminal prosecution of internet spam distributors by AOL.", "ACCUSED_OF",
                 None, id="prosecution-of-people"),
]

APPOSITION = [
    pytest.param("Microsoft chairman Jane Smith spoke in the debate.", "MEMBER_OF",
                 ("Jane Smith", "MEMBER_OF", "Microsoft"), id="org-title-name"),
    pytest.param("Tom Baker, chief executive of Axiom Energy, resigned on Monday.", "MEMBER_OF",
                 ("Tom Baker", "MEMBER_OF", "Axiom Energy"), id="name-comma-title-of"),
    pytest.param("Axiom Energy's chairman Robert Lang defended the deal.", "MEMBER_OF",
                 ("Robert Lang", "MEMBER_OF", "Axiom Energy"), id="possessive-title"),
    pytest.param("Clearwater Action, a Houston-based charity, held a rally.", "LOCATED_IN",
                 ("Clearwater Action", "LOCATED_IN", "Houston"), id="x-based"),
    pytest.param("Viktor Brandt is currently in exile in France.", "LOCATED_IN",
                 ("Viktor Brandt", "LOCATED_IN", "France"), id="in-exile-in"),
    pytest.param("Former journalist Tom Baker spoke.", "MEMBER_OF", None, id="title-without-org"),
    pytest.param("Among those charged are Peter Hale of Northgate Logistics and Susan Park of "
                 "Brightwater Foods.", "MEMBER_OF", ("Susan Park", "MEMBER_OF", "Brightwater Foods"),
                 id="person-of-org"),
    pytest.param("US Attorney Helen Marsh said the case was closed.", "MEMBER_OF",
                 ("Helen Marsh", "MEMBER_OF", "US"), id="us-attorney"),
    pytest.param("Ohio Attorney General Mark Reyes filed the suit.", "MEMBER_OF",
                 ("Mark Reyes", "MEMBER_OF", "Ohio"), id="attorney-general"),
    pytest.param("Former FBI agent Jeffrey Ross fed information to the trader.", "MEMBER_OF",
                 ("Jeffrey Ross", "MEMBER_OF", "FBI"), id="agent"),
    pytest.param("Tory co-chairman Liam Fox spoke for the Tories.", "MEMBER_OF",
                 ("Liam Fox", "MEMBER_OF", "Tories"), id="party-singular-before-split-title"),
    pytest.param("Scott Halder, the man behind Quikmail Inc, said lawsuits had forced the company into "
                 "bankruptcy.", "MEMBER_OF", ("Scott Halder", "MEMBER_OF", "Quikmail Inc"), id="man-behind"),
    pytest.param("Kenneth Bowman, who worked as an independent contractor for Total Foods, was charged.",
                 "MEMBER_OF", ("Kenneth Bowman", "MEMBER_OF", "Total Foods"), id="as-contractor-for"),
    pytest.param("Lord Carrow and other Labour supporters gave money to the party.", "SUPPORTS",
                 ("Lord Carrow", "SUPPORTS", "Labour"), id="x-and-other-supporters"),
    pytest.param("The Tories got £20,000 from Bearwood Corporate Services. This company is controlled by the "
                 "party's former treasurer Lord Ashcroft.", "MEMBER_OF", ("Lord Ashcroft", "MEMBER_OF", "Tories"),
                 id="the-party-is-no-company-plural"),
    pytest.param("Lord Woolf spoke to the Lords. The Lord Chief Justice, Lord Woolf, said it was fair.",
                 "MEMBER_OF", None, id="title-word-is-no-party"),
]

NEGATION = [
    pytest.param("Viktor Brandt does not fund the Green Horizon Party.", "FUNDS", id="did-not"),
    pytest.param("There is no evidence that Viktor Brandt funded the Green Horizon Party.", "FUNDS",
                 id="no-evidence-that"),
    pytest.param("Viktor Brandt denied funding the Green Horizon Party.", "FUNDS", id="denied-funding"),
    pytest.param("Viktor Brandt never financed Clearwater Action.", "FUNDS", id="never"),
]

DENIAL = [
    pytest.param("Marco Vitale denies fraud.", ("Marco Vitale", "ACCUSED_OF", "fraud"), id="denies-fraud"),
    pytest.param("Marco Vitale has denied charges of bribery and conspiracy.",
                 ("Marco Vitale", "ACCUSED_OF", "conspiracy"), id="denied-charges-of"),
    pytest.param("Marco Vitale rejected allegations that he bribed officials.",
                 ("Marco Vitale", "ACCUSED_OF", "bribing officials"), id="rejected-allegations-that"),
]

REPORTED = [
    pytest.param("Prosecutors say Marco Vitale knew of the fraud.", "ACCUSED_OF",
                 ("Marco Vitale", "ACCUSED_OF", "fraud"), id="prosecutors-say-knew-of"),
    pytest.param("The Securities Commission accused Delta Freight of falsifying its accounts.", "ACCUSED_OF",
                 ("Delta Freight", "ACCUSED_OF", "falsifying accounts"), id="accused-x-of"),
    pytest.param("The Securities Commission accused Delta Freight of falsifying its accounts.", "ACCUSES",
                 ("Securities Commission", "ACCUSES", "Delta Freight"), id="accuser-accuses"),
    pytest.param("Analysts say Delta Freight had a difficult year.", "ACCUSED_OF", None, id="say-no-offence"),
    pytest.param("The Tories met in Leeds. Tony Grant lied when he took the country to war, say the Tories.",
                 "ACCUSES", ("Tories", "ACCUSES", "Tony Grant"), id="named-speaker-accuses"),
    pytest.param("The Tories met in Leeds. Tony Grant lied when he took the country to war, say the Tories.",
                 "ACCUSED_OF", ("Tony Grant", "ACCUSED_OF", "lying"), id="offence-verb"),
    pytest.param("Scott Richter founded Optin Mail. The lawsuit was brought by New York attorney general "
                 "Eliot Spitzer who alleged that Mr Richter sent billions of spam messages.", "ACCUSES",
                 ("Eliot Spitzer", "ACCUSES", "Scott Richter"), id="who-alleged"),
    pytest.param("Verhold Group has admitted that it fraudulently inflated its earnings.", "ACCUSED_OF",
                 ("Verhold Group", "ACCUSED_OF", "fraudulently inflating earnings"), id="admitted-that-fraudulently"),
    pytest.param("Tony Grant spoke first. The Tories say the answer lies with Tony Grant.", "ACCUSES", None,
                 id="lies-with-is-no-lie"),
    pytest.param("Ruth Holloway said Delta Freight had a difficult year.", "ACCUSES", None,
                 id="named-speaker-no-offence"),
    pytest.param("Cherie Blair spoke in Texas. The Tories said she broke a convention that politicians stay "
                 "neutral abroad.", "ACCUSES", ("Tories", "ACCUSES", "Cherie Blair"), id="said-she-broke"),
    pytest.param("Cherie Blair spoke in Texas. The Tories said she broke a convention that politicians stay "
                 "neutral abroad.", "ACCUSED_OF", ("Cherie Blair", "ACCUSED_OF", "breaking a convention"),
                 id="breaking-a-norm-is-a-charge"),
    pytest.param("Tony Grant spoke. Liam Fox said: \"Like Labour, Tony Grant is soft on crime.\"", "ACCUSES",
                 None, id="soft-on-crime-is-a-stance"),
    pytest.param("Martin Owen praised Civilisation Inc. \"In Civilisation it is not just the violence that "
                 "engages people,\" he said.", "ACCUSES", None, id="pronoun-clause-subject-accuses-no-one"),
]

HYPOTHETICAL = [
    pytest.param("If Viktor Brandt were to fund the Green Horizon Party, the law would change.", "FUNDS",
                 id="if-clause"),
    pytest.param("Could Viktor Brandt back the Green Horizon Party?", "SUPPORTS", id="question"),
    pytest.param("Viktor Brandt wants to fund the Green Horizon Party.", "FUNDS", id="wish"),
    pytest.param("Marco Vitale could face prison if convicted of fraud.", "ACCUSED_OF", id="if-convicted"),
]


@pytest.mark.parametrize("sentence, predicate, expected", ACTIVE)
def test_active(nlp: Any, sentence: str, predicate: str, expected: Triple | None) -> None:
    check(nlp, sentence, predicate, expected)


@pytest.mark.parametrize("sentence, predicate, expected", PASSIVE)
def test_passive(nlp: Any, sentence: str, predicate: str, expected: Triple | None) -> None:
    check(nlp, sentence, predicate, expected)


@pytest.mark.parametrize("sentence, predicate, expected", RELATIVE)
def test_relative_clause(nlp: Any, sentence: str, predicate: str, expected: Triple) -> None:
    check(nlp, sentence, predicate, expected)


@pytest.mark.parametrize("sentence, predicate, expected", COORDINATION)
def test_coordination(nlp: Any, sentence: str, predicate: str, expected: list[Triple]) -> None:
    found = claims(nlp, sentence, predicate)
    for triple in expected:
        assert has(found, triple), f"expected {triple} in {sentence!r}, got {found}"


@pytest.mark.parametrize("sentence, predicate, expected", NOMINALISATION)
def test_nominalisation(nlp: Any, sentence: str, predicate: str, expected: Triple) -> None:
    check(nlp, sentence, predicate, expected)


@pytest.mark.parametrize("sentence, predicate, expected", APPOSITION)
def test_apposition_and_titles(nlp: Any, sentence: str, predicate: str, expected: Triple | None) -> None:
    check(nlp, sentence, predicate, expected)


@pytest.mark.parametrize("sentence, predicate", NEGATION)
def test_negation_is_not_a_fact(nlp: Any, sentence: str, predicate: str) -> None:
    assert not claims(nlp, sentence, predicate), "a negated relation must not be asserted"


@pytest.mark.parametrize("sentence, expected", DENIAL)
def test_denial_keeps_the_accusation(nlp: Any, sentence: str, expected: Triple) -> None:
    ex = extract_text(sentence, nlp)
    names = {e.id: e.name for e in ex.entities}
    hits = [r for r in ex.relations if r.predicate == "ACCUSED_OF" and expected[0] in names[r.subject]
            and expected[2] in names[r.object]]
    assert hits, f"expected {expected} in {sentence!r}"
    assert all(r.denied and not r.negated for r in hits)


@pytest.mark.parametrize("sentence, predicate, expected", REPORTED)
def test_reported_speech(nlp: Any, sentence: str, predicate: str, expected: Triple | None) -> None:
    check(nlp, sentence, predicate, expected)


@pytest.mark.parametrize("sentence, predicate", HYPOTHETICAL)
def test_hypotheticals_are_not_relations(nlp: Any, sentence: str, predicate: str) -> None:
    ex = extract_text(sentence, nlp)
    assert not [r for r in ex.relations if r.predicate == predicate and not r.negated]


def test_person_of_org_does_not_spread_over_a_list(nlp: Any) -> None:
    text = ("Among those charged are Tim Daly of Michael Foods and Kenneth Bowman, who worked as an "
            "independent contractor for Total Foods.")
    found = claims(nlp, text, "MEMBER_OF")
    assert has(found, ("Kenneth Bowman", "MEMBER_OF", "Total Foods"))
    assert not has(found, ("Tim Daly", "MEMBER_OF", "Total Foods")), found


def test_one_offence_named_twice_is_one_charge(nlp: Any) -> None:
    text = ("Delta Freight has agreed to pay a $1.5m fine for bribing a foreign official. "
            "It is also paying $500,000 to the SEC to settle the bribe charge.")
    ex = extract_text(text, nlp)
    charges = [e for e in ex.entities if e.type == "CHARGE"]
    assert [c.name for c in charges] == ["bribe"], [(c.name, c.aliases) for c in charges]
    assert "bribing a foreign official" in charges[0].aliases


def test_pronoun_and_definite_np_resolve_to_last_compatible_actor(nlp: Any) -> None:
    text = ("Clearwater Action is a charity. Viktor Brandt is a businessman. "
            "He funds the charity, according to documents.")
    found = claims(nlp, text, "FUNDS")
    assert has(found, ("Viktor Brandt", "FUNDS", "Clearwater Action"))


def test_works_with_is_symmetric_and_emitted_once(nlp: Any) -> None:
    ex = extract_text("Harbor Capital works with Meridian Holdings, and Meridian Holdings works with "
                      "Harbor Capital.", nlp)
    pairs = {frozenset((r.subject, r.object)) for r in ex.relations if r.predicate == "WORKS_WITH"}
    assert len(pairs) == 1


def test_every_relation_has_a_rule_id_and_confidence(nlp: Any) -> None:
    ex = extract_text("Viktor Brandt funds the Green Horizon Party.", nlp)
    assert ex.relations
    for r in ex.relations:
        assert r.rule.endswith(".v1") and 0 < r.confidence <= 1


# -- the rule files are data, validated on load -------------------------------------------------------------------


def test_package_rules_load_and_are_versioned() -> None:
    rules = load_rules()
    assert len(rules.rules) > 30
    assert {r.predicate for r in rules.rules} == {
        "FUNDS", "ACCUSES", "ACCUSED_OF", "BANNED_BY", "WORKS_WITH", "MEMBER_OF", "LOBBIES_FOR", "SUPPORTS",
        "OPPOSES", "LOCATED_IN"}
    assert all(r.id.rsplit(".", 1)[-1].startswith("v") for r in rules.rules)


def _copy_patterns(tmp_path: Path) -> Path:
    for path in PATTERN_DIR.glob("*.jsonl"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


BAD_LINES = [
    pytest.param("{not json", "not JSON", id="not-json"),
    pytest.param(json.dumps({"id": "x.y.v1", "predicate": "HATES", "trigger": {"lemma": ["hate"]},
                             "subject": "agent", "object": "patient"}), "unknown predicate", id="predicate"),
    pytest.param(json.dumps({"id": "funds.nover", "predicate": "FUNDS", "trigger": {"lemma": ["pay"]},
                             "subject": "agent", "object": "patient"}), "versioned", id="unversioned-id"),
    pytest.param(json.dumps({"id": "funds.x.v1", "predicate": "FUNDS", "trigger": {"lemma": ["pay"]},
                             "subject": "agent", "object": "nowhere"}), "unknown role", id="role"),
    pytest.param(json.dumps({"id": "funds.x.v1", "predicate": "FUNDS",
                             "pattern": [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "pay"}},
                                         {"LEFT_ID": "nope", "REL_OP": ">", "RIGHT_ID": "o",
                                          "RIGHT_ATTRS": {"DEP": "dobj"}}],
                             "subject": "agent", "object": "o"}), "DependencyMatcher", id="bad-pattern"),
]


@pytest.mark.parametrize("line, message", BAD_LINES)
def test_bad_rule_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    folder = _copy_patterns(tmp_path)
    path = folder / "relations_user.jsonl"
    path.write_text('{"id": "funds.user.v1", "predicate": "FUNDS", "trigger": {"lemma": ["bankroll"]}, '
                    '"subject": "agent", "object": "patient"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(PatternError) as info:
        load_rules(folder)
    assert f"{path}:3" in str(info.value)
    assert message in str(info.value)


def test_a_user_rule_file_adds_a_cue_without_code(tmp_path: Path, nlp: Any) -> None:
    from actorgraph.extract.relations import RuleEngine

    folder = _copy_patterns(tmp_path)
    (folder / "relations_user.jsonl").write_text(
        '{"id": "supports.user_cheer.v1", "predicate": "SUPPORTS", "trigger": {"lemma": ["cheer"], '
        '"pos": ["VERB"]}, "subject": "agent", "object": "patient"}\n', encoding="utf-8")
    engine = RuleEngine(nlp.vocab, load_rules(folder))
    assert "supports.user_cheer.v1" in engine.rules
