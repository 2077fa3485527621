"""Multi-document near-misses that must stay apart, and informal names that must join, on the real embedded
graph: each case is a few hand-made documents loaded with ingest's own function, then resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_resolve import actors, doc, live_id, load, names

from actorgraph.errors import ConfigError
from actorgraph.graph.store import GraphStore
from actorgraph.resolve.equivalences import EQUIVALENCES_ENV, MAX_ENTRIES, equivalences, parse, shipped_path
from actorgraph.resolve.names import core_words


def same(store: GraphStore, a: str, b: str) -> bool:
    """Whether the names `a` and `b` are held by one live actor."""
    return live_id(store, a) == live_id(store, b)


def person_names(store: GraphStore) -> set[str]:
    return {a["name"] for a in actors(store).values() if a["type"] == "PERSON"}


# -- must stay apart -----------------------------------------------------------------------------------------


def test_a_surname_called_mrs_never_joins_the_man_called_mr(graph: GraphStore) -> None:
    """Two people share a surname; the bare "Mrs Halden" joins the woman (her document says so and both name
    the Orrin Trust), never the man, whose documents call him "Mr Halden"."""
    load(
        graph,
        doc("Mr Halden spoke. Osric Halden leads the Vell Party.",
            [("PERSON", "Osric Halden", ["Mr Halden"]), ("ORG", "Vell Party", [])]),
        doc("Osric Halden met voters. Mr Halden smiled.", [("PERSON", "Osric Halden", ["Mr Halden"])]),
        doc("Mrs Halden opened the Orrin Trust. Brenna Halden is its patron.",
            [("PERSON", "Brenna Halden", ["Mrs Halden"]), ("ORG", "Orrin Trust", [])]),
        doc("Mrs Halden visited the Orrin Trust again.", [("PERSON", "Mrs Halden", []), ("ORG", "Orrin Trust", [])]),
    )
    assert person_names(graph) == {"Osric Halden", "Brenna Halden"}
    assert same(graph, "Mrs Halden", "Brenna Halden")
    assert not same(graph, "Osric Halden", "Brenna Halden")


def test_a_bare_surname_two_full_names_fit_alike_joins_neither(graph: GraphStore) -> None:
    load(
        graph,
        doc("Dara Quell sued Tarn Mining.", [("PERSON", "Dara Quell", []), ("ORG", "Tarn Mining", [])]),
        doc("Emrys Quell sued Tarn Mining.", [("PERSON", "Emrys Quell", []), ("ORG", "Tarn Mining", [])]),
        doc("Quell sued Tarn Mining again.", [("PERSON", "Quell", []), ("ORG", "Tarn Mining", [])]),
    )
    assert person_names(graph) == {"Dara Quell", "Emrys Quell", "Quell"}


def test_a_company_and_its_subsidiary_stay_apart(graph: GraphStore) -> None:
    """"Capital" names a part of the bank, not the bank: no short form, even with a shared neighbour."""
    load(
        graph,
        doc("Marrowby Capital advised Ostrel.", [("ORG", "Marrowby Capital", []), ("ORG", "Ostrel", [])]),
        doc("Marrowby lent to Ostrel.", [("ORG", "Marrowby", []), ("ORG", "Ostrel", [])]),
    )
    assert {"Marrowby", "Marrowby Capital"} <= names(graph)
    assert not same(graph, "Marrowby", "Marrowby Capital")


def test_a_parent_recorded_for_its_subsidiary_stays_apart(graph: GraphStore) -> None:
    """One document calls "Marrowby Capital" just "Marrowby" (a recorded form): still the parent's name."""
    load(
        graph,
        doc("Marrowby Capital advised Ostrel. Marrowby said so.",
            [("ORG", "Marrowby Capital", ["Marrowby"]), ("ORG", "Ostrel", [])]),
        doc("Marrowby lent to Ostrel.", [("ORG", "Marrowby", []), ("ORG", "Ostrel", [])]),
    )
    assert names(graph) == {"Marrowby", "Marrowby Capital", "Ostrel"}


def test_initials_come_from_the_fullest_name_only(graph: GraphStore) -> None:
    """"Kestrel Radio Live" is a short form of "Vell Kestrel Radio Live"; "KRL", the initials of the short
    form only, joins neither, even with a shared neighbour."""
    load(
        graph,
        doc("Vell Kestrel Radio Live hired Orla Bray.",
            [("ORG", "Vell Kestrel Radio Live", ["Kestrel Radio Live"]), ("PERSON", "Orla Bray", [])]),
        doc("Kestrel Radio Live hired Orla Bray.", [("ORG", "Kestrel Radio Live", []), ("PERSON", "Orla Bray", [])]),
        doc("The KRL fined Orla Bray.", [("ORG", "KRL", []), ("PERSON", "Orla Bray", [])]),
    )
    assert names(graph) == {"Vell Kestrel Radio Live", "KRL", "Orla Bray"}


def test_two_parties_called_labour_stay_apart_and_the_bare_name_joins_by_its_context(graph: GraphStore) -> None:
    """Two Labour parties of different countries never merge (different full names); the bare "Labour" joins
    the one whose documents share its neighbours and call it "Labour"."""
    load(
        graph,
        doc("The Labour Party chose Ilsa Varn. Labour won Harrowgate.",
            [("ORG", "Labour Party", ["Labour"]), ("PERSON", "Ilsa Varn", []), ("GPE", "Harrowgate", [])]),
        doc("The Ostland Labour Party chose Peder Olm. Labour won Vesk.",
            [("ORG", "Ostland Labour Party", ["Labour"]), ("PERSON", "Peder Olm", []), ("GPE", "Vesk", [])]),
        doc("Labour and Ilsa Varn campaigned in Harrowgate.",
            [("ORG", "Labour", []), ("PERSON", "Ilsa Varn", []), ("GPE", "Harrowgate", [])]),
    )
    assert not same(graph, "Labour Party", "Ostland Labour Party")
    assert same(graph, "Labour", "Labour Party")


def test_an_acronym_with_two_expansions_joins_neither(graph: GraphStore) -> None:
    load(
        graph,
        doc("The Northern Farmers Union met Orla Bray.",
            [("ORG", "Northern Farmers Union", []), ("PERSON", "Orla Bray", [])]),
        doc("The Northern Fishers Union met Orla Bray.",
            [("ORG", "Northern Fishers Union", []), ("PERSON", "Orla Bray", [])]),
        doc("The NFU thanked Orla Bray.", [("ORG", "NFU", []), ("PERSON", "Orla Bray", [])]),
    )
    assert {"Northern Farmers Union", "Northern Fishers Union", "NFU"} <= names(graph)
    assert not same(graph, "NFU", "Northern Farmers Union")
    assert not same(graph, "NFU", "Northern Fishers Union")


def test_governments_of_different_countries_never_merge(graph: GraphStore) -> None:
    """A leading country word is interchangeable before common nouns ("British government" is the UK
    government), but the bare "government" joins no country's government, and two countries' never merge."""
    load(
        graph,
        doc("The UK government denied it.", [("ORG", "UK government", [])]),
        doc("The British government denied it again.", [("ORG", "British government", [])]),
        doc("The US government agreed.", [("ORG", "US government", [])]),
        doc("The government of Vesk refused; the government said no.", [("ORG", "government", [])]),
    )
    assert same(graph, "UK government", "British government")
    assert not same(graph, "UK government", "US government")
    assert not same(graph, "government", "UK government")
    assert not same(graph, "government", "US government")


def test_a_country_word_stays_in_a_proper_name(graph: GraphStore) -> None:
    """"British" is interchangeable with "UK" only before common nouns: a proper name keeps it."""
    load(
        graph,
        doc("British Velmor sued.", [("ORG", "British Velmor", [])]),
        doc("UK Velmor sued.", [("ORG", "UK Velmor", [])]),
    )
    assert not same(graph, "British Velmor", "UK Velmor")


def test_an_equivalence_never_rewrites_a_longer_proper_name(graph: GraphStore) -> None:
    """"Congress" is the US Congress by the shipped list, but "Congress Party" (another country's) keeps its
    own words; only a leading acronym is expanded ("UN Development Programme")."""
    load(
        graph,
        doc("Congress passed the bill.", [("ORG", "Congress", [])]),
        doc("The US Congress passed it again.", [("ORG", "US Congress", [])]),
        doc("The Congress Party won the vote.", [("ORG", "Congress Party", [])]),
        doc("The UN Development Programme helped.", [("ORG", "UN Development Programme", [])]),
        doc("The United Nations Development Programme paid.", [("ORG", "United Nations Development Programme", [])]),
    )
    assert same(graph, "Congress", "US Congress")
    assert not same(graph, "Congress", "Congress Party")
    assert same(graph, "UN Development Programme", "United Nations Development Programme")


# -- must join -----------------------------------------------------------------------------------------------


PARTY_DOCS = (
    doc("The Tories attacked the plan.", [("ORG", "Tories", [])]),
    doc("The Conservatives voted against.", [("ORG", "Conservatives", [])]),
    doc("The Conservative Party met.", [("ORG", "Conservative Party", [])]),
    doc("The Lib Dems abstained.", [("ORG", "Lib Dems", [])]),
    doc("The Liberal Democrats abstained again.", [("ORG", "Liberal Democrats", [])]),
    doc("Ships left Britain for the US.", [("GPE", "Britain", []), ("GPE", "US", [])]),
    doc("The UK and the United States agreed.", [("GPE", "UK", []), ("GPE", "United States", [])]),
)


def test_informal_names_join_by_the_shipped_equivalences(graph: GraphStore) -> None:
    load(graph, *PARTY_DOCS)
    assert same(graph, "Tories", "Conservative Party") and same(graph, "Conservatives", "Conservative Party")
    assert same(graph, "Lib Dems", "Liberal Democrats")
    assert same(graph, "Britain", "UK") and same(graph, "US", "United States")
    assert not same(graph, "UK", "US") and not same(graph, "Conservative Party", "Liberal Democrats")
    assert len(names(graph)) == 4 and {"Conservative Party", "Liberal Democrats", "United States"} <= names(graph)


def test_an_empty_equivalence_file_turns_them_off(
    graph: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "none.tsv"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv(EQUIVALENCES_ENV, str(empty))
    load(graph, *PARTY_DOCS)
    assert not same(graph, "Tories", "Conservative Party")
    assert not same(graph, "Britain", "UK")


def test_a_user_file_replaces_the_shipped_list(
    graph: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user's file holds the lines they want (here one extra nickname of an invented party, plus one
    shipped line copied over); the shipped lines it leaves out no longer apply."""
    mine = tmp_path / "mine.tsv"
    mine.write_text("# mine\nORG\tVell Party\tVellites | the Vells\nGPE\tUnited Kingdom\tUK | Britain\n", "utf-8")
    monkeypatch.setenv(EQUIVALENCES_ENV, str(mine))
    load(
        graph,
        doc("The Vellites marched.", [("ORG", "Vellites", [])]),
        doc("The Vell Party marched too.", [("ORG", "Vell Party", [])]),
        *PARTY_DOCS,
    )
    assert same(graph, "Vellites", "Vell Party")
    assert same(graph, "Britain", "UK")
    assert not same(graph, "Tories", "Conservative Party")


def test_a_short_party_name_joins_even_when_used_more_often(graph: GraphStore) -> None:
    """"Labour" in three documents joins "Labour Party" in one: the long name only adds "Party"."""
    load(
        graph,
        doc("Labour met Ilsa Varn.", [("ORG", "Labour", []), ("PERSON", "Ilsa Varn", [])]),
        doc("Labour backed Ilsa Varn.", [("ORG", "Labour", []), ("PERSON", "Ilsa Varn", [])]),
        doc("Labour thanked Ilsa Varn.", [("ORG", "Labour", []), ("PERSON", "Ilsa Varn", [])]),
        doc("The Labour Party chose Ilsa Varn.", [("ORG", "Labour Party", ["Labour"]), ("PERSON", "Ilsa Varn", [])]),
    )
    assert same(graph, "Labour", "Labour Party")


def test_surnames_a_letter_apart_stay_apart(graph: GraphStore) -> None:
    load(
        graph,
        doc("Robert Preston sang.", [("PERSON", "Robert Preston", [])]),
        doc("Robert Peston reported.", [("PERSON", "Robert Peston", [])]),
    )
    assert not same(graph, "Robert Preston", "Robert Peston")


def test_typos_and_ampersands_join(graph: GraphStore) -> None:
    load(
        graph,
        doc("Viktor Yanukovych spoke.", [("PERSON", "Viktor Yanukovych", [])]),
        doc("Viktor Yanukovich spoke again.", [("PERSON", "Viktor Yanukovich", [])]),
        doc("Mihkail Khodorkovsky stood trial.", [("PERSON", "Mihkail Khodorkovsky", [])]),
        doc("Mikhail Khodorkovsky stood trial again.", [("PERSON", "Mikhail Khodorkovsky", [])]),
        doc("Mikhail Khordokovsky appealed.", [("PERSON", "Mikhail Khordokovsky", [])]),
        doc("Trondelagbanken lent money.", [("ORG", "Trondelagbanken", [])]),
        doc("Trondelagbankne lent more.", [("ORG", "Trondelagbankne", [])]),
        doc("The Mining & Metals Board ruled.", [("ORG", "Mining & Metals Board", [])]),
        doc("The Mining and Metals Board ruled again.", [("ORG", "Mining and Metals Board", [])]),
    )
    assert same(graph, "Viktor Yanukovych", "Viktor Yanukovich")
    assert same(graph, "Mihkail Khodorkovsky", "Mikhail Khodorkovsky")
    assert same(graph, "Mikhail Khordokovsky", "Mikhail Khodorkovsky")
    assert same(graph, "Trondelagbanken", "Trondelagbankne")
    assert same(graph, "Mining & Metals Board", "Mining and Metals Board")


# -- the equivalence file itself ---------------------------------------------------------------------------


def test_the_shipped_list_is_small_and_well_formed() -> None:
    lines = [ln for ln in shipped_path().read_text("utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    assert 0 < len(lines) <= MAX_ENTRIES
    eq = equivalences(core_words)
    assert eq.names[("ORG", ("tories",))] == ("conservative", "party")
    assert eq.words[("british",)] == ("uk",)


def test_a_malformed_line_is_an_error_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"mine\.tsv:2"):
        parse("# ok\nORG Tories Conservative Party\n", "mine.tsv")
    with pytest.raises(ConfigError, match=r"mine\.tsv:1"):
        parse("PARTY\tTories\tConservatives\n", "mine.tsv")
