"""Actors and aliases without junk: a sentence table on the real model.

A descriptor or coreferent noun phrase joins an actor only when the text states the link (the name's own noun
phrase, an apposition, a definite back-reference whose head fits) and its head noun fits the actor's type;
"leader", "the money", "the stamp duty threshold" and "both the big parties" are no actor's aliases, "Mrs Howard"
is nobody's wife unless the text says so, and each title goes to its own name. The last rows are in the styles
of regulator, sanctions, donation, op-ed and prosecutor texts (invented names).
"""

from __future__ import annotations

from typing import Any

import pytest

from actorgraph.extract.extractor import extract_text
from actorgraph.extract.model import Entity, Extraction


def run(nlp: Any, text: str) -> Extraction:
    return extract_text(text, nlp)


def actor(ex: Extraction, form: str) -> Entity:
    """The one actor whose name, alias or mention is `form` (case-insensitive)."""
    hits = [
        e for e in ex.entities
        if form.casefold() in {f.casefold() for f in (e.name, *e.aliases, *(m.text for m in e.mentions))}
    ]
    assert len(hits) == 1, [(e.name, e.aliases) for e in ex.entities]
    return hits[0]


def forms(e: Entity) -> set[str]:
    return {f.casefold() for f in (e.name, *e.aliases, *(m.text for m in e.mentions))}


def claims(ex: Extraction, predicate: str) -> set[tuple[str, str]]:
    names = {e.id: e.name for e in ex.entities}
    return {(names[r.subject], names[r.object]) for r in ex.relations if r.predicate == predicate and not r.negated}


# --- junk that must not become an alias --------------------------------------------------------------------------

NO_JUNK = [
    pytest.param(
        "Labour leader Tony Blair and Conservative leader Michael Howard clashed over taxes on Tuesday.",
        "leader",
        id="bare-title",
    ),
    pytest.param("Tony Blair, the money and the stamp duty threshold were debated.", "the money", id="money"),
    pytest.param(
        "Tony Blair, the money and the stamp duty threshold were debated.",
        "the stamp duty threshold",
        id="threshold",
    ),
    pytest.param(
        "Liberal Democrat leader Charles Kennedy attacked both the big parties over tuition fees. "
        "He said the Liberal Democrats were the real opposition.",
        "the big parties",
        id="both-the-big-parties",
    ),
    pytest.param(
        "Halvorsen Energy and Brightwater Utilities agreed to merge. The two companies said the deal would close.",
        "the two companies",
        id="counted-plural",
    ),
    pytest.param(
        "Prosecutors said Meridian Bank and its former chief executive, Paul Okafor, had misled investors. "
        "Both the firm and the banker deny the charges.",
        "both the firm",
        id="predeterminer",
    ),
]


@pytest.mark.parametrize("text, junk", NO_JUNK)
def test_no_junk_alias(nlp: Any, text: str, junk: str) -> None:
    ex = run(nlp, text)
    for e in ex.entities:
        assert junk.casefold() not in forms(e), (e.name, e.aliases)


def test_both_the_big_parties_makes_no_claim(nlp: Any) -> None:
    ex = run(nlp, "Liberal Democrat leader Charles Kennedy attacked both the big parties over tuition fees. "
                  "He said the Liberal Democrats were the real opposition.")
    assert ("Charles Kennedy", "Liberal Democrats") not in claims(ex, "OPPOSES")
    assert ("Charles Kennedy", "Liberal Democrats") in claims(ex, "MEMBER_OF")


def test_each_title_to_its_own_name(nlp: Any) -> None:
    ex = run(nlp, "Labour leader Tony Blair and Conservative leader Michael Howard clashed over taxes on Tuesday.")
    blair, howard = actor(ex, "Tony Blair"), actor(ex, "Michael Howard")
    assert "Labour leader Tony Blair" in blair.aliases
    assert "Conservative leader Michael Howard" in howard.aliases
    assert not any("Conservative" in f for f in blair.aliases)
    assert not any("Labour" in f for f in howard.aliases)
    member = claims(ex, "MEMBER_OF")
    assert ("Tony Blair", "Labour") in member
    assert ("Michael Howard", "Conservative") in member
    assert ("Tony Blair", "Conservative") not in member
    assert ("Michael Howard", "Labour") not in member


def test_mrs_howard_is_not_michael_howard(nlp: Any) -> None:
    ex = run(nlp, "Michael Howard's wife, Sandra, spoke in Bournemouth. Mrs Howard said the campaign was going "
                  "well. Mr Howard said he agreed.")
    michael = actor(ex, "Michael Howard")
    assert "mrs howard" not in forms(michael)
    assert actor(ex, "Mrs Howard").id != michael.id


def test_same_gender_title_joins_the_full_name(nlp: Any) -> None:
    ex = run(nlp, "Michael Howard spoke in Bournemouth. Mr Howard said the campaign was going well.")
    assert actor(ex, "Mr Howard").id == actor(ex, "Michael Howard").id


# --- stated links in other styles (regulator, sanctions, donation, op-ed, prosecutor) ----------------------------

STATED = [
    pytest.param(
        "The Financial Conduct Authority fined Northgate Capital £4m for failing to prevent money laundering. "
        "The regulator said the firm had ignored warnings.",
        "Northgate Capital",
        "ORG",
        "the firm",
        id="regulator-release",
    ),
    pytest.param(
        "The sanctions regulator, the Office of Financial Sanctions Implementation, designated Petrov Holdings, "
        "a Cyprus-registered shipping company, on Monday. The company denies breaching sanctions.",
        "Petrov Holdings",
        "ORG",
        "a Cyprus-registered shipping company",
        id="sanctions-notice",
    ),
    pytest.param(
        "Property tycoon Harlan Mercer gave £250,000 to the Reform Alliance last year. The donation was declared "
        "by the party treasurer, Joan Pike.",
        "Harlan Mercer",
        "PERSON",
        "Property tycoon Harlan Mercer",
        id="donation-story",
    ),
    pytest.param(
        "In an op-ed, former minister Clara Voss attacked the Green Party and its leader, Tom Reyes, over energy "
        "prices.",
        "Clara Voss",
        "PERSON",
        "former minister Clara Voss",
        id="op-ed",
    ),
    pytest.param(
        "Prosecutors said Meridian Bank and its former chief executive, Paul Okafor, had misled investors. "
        "Both the firm and the banker deny the charges.",
        "Paul Okafor",
        "PERSON",
        "its former chief executive",
        id="prosecutor-release",
    ),
]


@pytest.mark.parametrize("text, name, etype, alias", STATED)
def test_stated_descriptor_joins_its_actor(nlp: Any, text: str, name: str, etype: str, alias: str) -> None:
    ex = run(nlp, text)
    e = actor(ex, name)
    assert e.name == name and e.type == etype
    assert alias in e.aliases
    assert all(a.casefold() != a.split()[-1].casefold() or a[:1].isupper() for a in e.aliases)  # no bare noun


def test_sanctions_regulator_named_by_apposition(nlp: Any) -> None:
    ex = run(nlp, STATED[1].values[0])
    assert "The sanctions regulator" in actor(ex, "Office of Financial Sanctions Implementation").aliases
    assert actor(ex, "The company").name == "Petrov Holdings"


def test_sum_is_no_part_of_a_name(nlp: Any) -> None:
    ex = run(nlp, STATED[0].values[0])
    assert not any("£" in e.name for e in ex.entities)
    assert ("Financial Conduct Authority", "Northgate Capital") in claims(ex, "ACCUSES")


def test_government_alone_is_an_actor(nlp: Any) -> None:
    ex = run(nlp, "The government said the plan would go ahead. Opposition MPs attacked the government.")
    assert actor(ex, "government").type == "ORG"
