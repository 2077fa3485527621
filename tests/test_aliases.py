"""Aliases within a document: one cluster per real actor, one sentence table per joining rule, real model."""

from __future__ import annotations

from typing import Any

import pytest

from actorgraph.extract.aliases import initials, is_acronym, singular, words
from actorgraph.extract.entities import ActorCluster, find_actors


def clusters_of(nlp: Any, text: str, etype: str | None = None) -> list[ActorCluster]:
    return [c for c in find_actors(nlp(text)) if etype is None or c.type == etype]


def one_actor(nlp: Any, text: str, form: str) -> ActorCluster:
    """The single cluster that has `form` as its name or an alias (fails when two clusters claim it)."""
    hits = [
        c for c in find_actors(nlp(text)) if form.casefold() in {f.casefold() for f in (c.name, *c.aliases)}
    ]
    assert len(hits) == 1, [(c.name, c.aliases) for c in find_actors(nlp(text))]
    return hits[0]


# (text, name the actor gets, alias that must join it, type)
JOIN_CASES = [
    pytest.param(
        "Viktor Petrenko arrived in Vienna on Monday. Petrenko said he would appeal.",
        "Viktor Petrenko",
        "Petrenko",
        "PERSON",
        id="surname",
    ),
    pytest.param(
        "Viktor Petrenko arrived in Vienna. Mr Petrenko said he would appeal.",
        "Viktor Petrenko",
        "Mr Petrenko",
        "PERSON",
        id="title-mr",
    ),
    pytest.param(
        "President Arman Tokarov won the vote. President Tokarov thanked voters.",
        "Arman Tokarov",
        "President Tokarov",
        "PERSON",
        id="title-president",
    ),
    pytest.param(
        "Lord Carrow gave money to the party. Carrow denied any wrongdoing.",
        "Lord Carrow",
        "Carrow",
        "PERSON",
        id="title-lord-kept-in-name",
    ),
    pytest.param(
        "Viktor Petrenko's lawyers appealed. Petrenko's wife was not in court.",
        "Viktor Petrenko",
        "Petrenko",
        "PERSON",
        id="possessive-free",
    ),
    pytest.param(
        "The National Union of Miners (NUM) called a strike. The NUM said talks had failed.",
        "National Union of Miners",
        "NUM",
        "ORG",
        id="acronym-in-brackets",
    ),
    pytest.param(
        "He works with the rogue NGO the Open Dialogue Forum “ODFM” to seek revenge.",
        "Open Dialogue Forum",
        "ODFM",
        "ORG",
        id="acronym-in-quotes",
    ),
    pytest.param(
        "The Open Society Forum published a report. OSF staff were not consulted.",
        "Open Society Forum",
        "OSF",
        "ORG",
        id="acronym-by-initials",
    ),
    pytest.param(
        "The Zenvia Holdings Ltd board met. Zenvia said profits rose.",
        "Zenvia Holdings Ltd",
        "Zenvia",
        "ORG",
        id="company-short-form",
    ),
    pytest.param(
        "The fugitive banker Viktor Petrenko was arrested in Spain.",
        "Viktor Petrenko",
        "The fugitive banker",
        "PERSON",
        id="descriptor-before",
    ),
    pytest.param(
        "Viktor Petrenko, the former mayor of Lviv, denied the charges.",
        "Viktor Petrenko",
        "the former mayor of Lviv",
        "PERSON",
        id="descriptor-appositive",
    ),
    pytest.param(
        "She thanked the Brussels-based NGO Open Rights Watch for its help.",
        "Open Rights Watch",
        "the Brussels-based NGO",
        "ORG",
        id="descriptor-place-based",
    ),
    pytest.param(
        "Russian oil firm Varko has sued four companies. Varko wants damages.",
        "Varko",
        "Russian oil firm Varko",  # the descriptor with its name: "Russian oil firm" alone never names it
        "ORG",
        id="descriptor-compound",
    ),
    pytest.param(
        "The Kazakh police detained ten protesters. The police said all were released.",
        "Kazakh police",
        "police",
        "ORG",
        id="bare-collective",
    ),
    pytest.param(
        "Gerald Finch was elected in 2001. Gerald later resigned from the board.",
        "Gerald Finch",
        "Gerald",
        "PERSON",
        id="first-name",
    ),
]


@pytest.mark.parametrize("text, name, alias, etype", JOIN_CASES)
def test_forms_join_one_actor(nlp: Any, text: str, name: str, alias: str, etype: str) -> None:
    actor = one_actor(nlp, text, alias)
    assert actor.name == name
    assert actor.type == etype
    assert alias in actor.aliases


NAME_CASES = [
    pytest.param(
        "Sir Alan Budd wrote the report. Sir Alan said the rules were clear.",
        "Sir Alan Budd",
        "Sir Alan",
        id="sir-with-first-name",
    ),
    pytest.param(
        "Lord Carrow gave money to the party. Carrow denied any wrongdoing.",
        "Lord Carrow",
        "Carrow",
        id="lord-with-surname",
    ),
    pytest.param(
        "Gerhard Lanz sold shares to Goldman Sachs. Goldman declined to comment.",
        "Goldman Sachs",
        "Goldman",
        id="company-first-word",
    ),
]


@pytest.mark.parametrize("text, name, alias", NAME_CASES)
def test_titled_and_short_names(nlp: Any, text: str, name: str, alias: str) -> None:
    actor = one_actor(nlp, text, alias)
    assert actor.name == name


def test_royal_title_is_no_first_name_of_another_person(nlp: Any) -> None:
    text = "Prince Charles met Charles Kennedy in London. Prince Charles spoke first."
    people = {c.name for c in clusters_of(nlp, text, "PERSON")}
    assert people == {"Prince Charles", "Charles Kennedy"}


def test_product_is_not_a_company_long_form(nlp: Any) -> None:
    text = "Apple launched the Apple iPod Photo on Monday. Apple said sales rose."
    apple = one_actor(nlp, text, "Apple")
    assert apple.name == "Apple" and all("iPod" not in a for a in apple.aliases)


def test_ambiguous_surname_joins_the_nearest_full_name(nlp: Any) -> None:
    text = "Anna Berg and Peter Berg met in Oslo. Peter Berg spoke first and then Berg left."
    people = {c.name: c for c in clusters_of(nlp, text, "PERSON")}
    assert set(people) == {"Anna Berg", "Peter Berg"}
    assert [s.text for s in people["Peter Berg"].spans][-1] == "Berg"
    assert "Berg" not in people["Anna Berg"].aliases


def test_untagged_shared_surname_joins_the_nearest_full_name(nlp: Any) -> None:
    text = ("Scott Halder founded Quikmail in 2001. Prosecutors said Halder sent spam. "
            "Steven Halder, a lawyer for Quikmail, disagreed.")
    doc = nlp(text)
    doc.ents = [doc.char_span(0, 12, label="PERSON"), doc.char_span(text.index("Steven"), text.index(", a"),
                                                                     label="PERSON")]
    people = {c.name: c for c in find_actors(doc) if c.type == "PERSON"}
    assert set(people) == {"Scott Halder", "Steven Halder"}
    assert "Halder" in people["Scott Halder"].aliases and "Halder" not in people["Steven Halder"].aliases


def test_clipped_party_name_joins_the_full_name(nlp: Any) -> None:
    text = "The Liberal Democrats met in Leeds. The Lib Dems said they would vote against."
    party = one_actor(nlp, text, "Lib Dems")
    assert party.name == "Liberal Democrats" and party.type == "ORG"


def test_mrs_does_not_join_mr(nlp: Any) -> None:
    text = "Mr Howard spoke first. Mrs Howard spoke later. Michael Howard left."
    people = clusters_of(nlp, text, "PERSON")
    assert len(people) == 2
    mr = next(c for c in people if "Mr Howard" in c.aliases)
    assert "Mrs Howard" not in mr.aliases and mr.name == "Michael Howard"


def test_two_different_people_stay_apart(nlp: Any) -> None:
    text = "Tony Marsh met Helen Grant in Paris. Marsh said Grant had agreed."
    people = {c.name: c for c in clusters_of(nlp, text, "PERSON")}
    assert set(people) == {"Tony Marsh", "Helen Grant"}
    assert "Marsh" in people["Tony Marsh"].aliases and "Grant" in people["Helen Grant"].aliases


def test_singular_and_plural_party_forms_join(nlp: Any) -> None:
    text = "The Lib Dem leader spoke. The Lib Dems said they would vote against."
    orgs = clusters_of(nlp, text, "ORG")
    assert len(orgs) == 1 and {orgs[0].name, *orgs[0].aliases} >= {"Lib Dem", "Lib Dems"}


def test_place_does_not_join_an_org_named_after_it(nlp: Any) -> None:
    text = "Kazakhstan said the General Prosecutor's Office of Kazakhstan would act."
    clusters = find_actors(nlp(text))
    gpe = [c for c in clusters if c.type == "GPE"]
    assert [c.name for c in gpe] == ["Kazakhstan"]
    assert any(c.type == "ORG" and c.name.startswith("General Prosecutor") for c in clusters)


def test_untagged_repeat_of_a_surname_becomes_a_span(nlp: Any) -> None:
    text = (
        "The fugitive oligarch Mukar Belov is wanted in three countries. The authorities knew of the "
        "involvement of the fugitive criminal Belov, who funds the movement."
    )
    actor = one_actor(nlp, text, "Mukar Belov")
    assert sum(1 for s in actor.spans if s.text == "Belov") == 1
    assert {"the fugitive oligarch", "the fugitive criminal"} <= {a.casefold() for a in actor.aliases}


def test_name_is_fullest_form_and_aliases_exclude_it(nlp: Any) -> None:
    text = "Mr Sullivan testified. Scott Sullivan, the finance chief, said Sullivan had lied."
    actor = one_actor(nlp, text, "Sullivan")
    assert actor.name == "Scott Sullivan"
    assert actor.name not in actor.aliases
    assert len({a.casefold() for a in actor.aliases}) == len(actor.aliases)


# --- the helpers other modules use ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form, expected",
    [
        pytest.param("Open Dialogue Foundation", "odf", id="plain"),
        pytest.param("Securities and Exchange Commission", "sec", id="skips-and"),
        pytest.param("Bureau for Human Rights and Rule of Law", "bhrrl", id="skips-for-of"),
        pytest.param("European Anti-Fraud Office", "eafo", id="hyphen-parts"),
    ],
)
def test_initials(form: str, expected: str) -> None:
    assert expected in initials(words(form))


@pytest.mark.parametrize(
    "text, expected",
    [("ODF", True), ("U.S.", True), ("NGO", True), ("Nato", False), ("A", False), ("DVK2", False)],
)
def test_is_acronym(text: str, expected: bool) -> None:
    assert is_acronym(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [("The Kazakh courts", ["kazakh", "courts"]), ("McDonald’s", ["mcdonald"]), ("Yukos'", ["yukos"])],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    "noun, expected",
    [("courts", "court"), ("authorities", "authority"), ("police", "police"), ("press", "press")],
)
def test_singular(noun: str, expected: str) -> None:
    assert singular(noun) == expected
