"""Actors from text: the NER repairs of `entities.find_actors`, a sentence table per rule, on the real model.

Where a rule repairs a specific mistake of the statistical NER, the test sets that mistake on a real parsed
Doc (`doc.ents = ...`), so the rule is tested whatever the model happens to do with the sentence today.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.tokens import Doc, Span

from actorgraph.extract.entities import ActorCluster, find_actors


def actors(nlp: Any, text: str) -> list[ActorCluster]:
    return find_actors(nlp(text))


def named(clusters: list[ActorCluster], form: str) -> ActorCluster | None:
    """The cluster whose name or an alias is `form` (case-insensitive)."""
    for c in clusters:
        if form.casefold() in {c.name.casefold(), *(a.casefold() for a in c.aliases)}:
            return c
    return None


def with_ents(nlp: Any, text: str, ents: list[tuple[str, str, int]]) -> Doc:
    """Parse `text`, then set the NER's entities to (surface, label, occurrence) triples: a forced mistake."""
    doc = nlp(text)
    spans = []
    for surface, label, nth in ents:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        span = doc.char_span(start, start + len(surface), label=label, alignment_mode="strict")
        assert span is not None, surface
        spans.append(span)
    doc.ents = spans
    return doc


# --- span trimming -----------------------------------------------------------------------------------------

TRIM_CASES = [
    pytest.param(
        "Police raided offices of the Democratic Choice of Kazakhstan (DVK) on Monday.",
        [("the Democratic Choice of Kazakhstan (", "ORG", 0)],
        "Democratic Choice of Kazakhstan",
        id="leading-the-and-trailing-bracket",
    ),
    pytest.param(
        "Investors said George Varnell's company had collapsed.",
        [("George Varnell's", "PERSON", 0)],
        "George Varnell",
        id="possessive-s",
    ),
    pytest.param(
        "Investors said George Varnell’s company had collapsed.",
        [("George Varnell’s", "PERSON", 0)],
        "George Varnell",
        id="curly-possessive-s",
    ),
    pytest.param(
        "The report was published by Kestrel Partners\nComments are closed.",
        [("Kestrel Partners\nComments", "ORG", 0)],
        "Kestrel Partners",
        id="line-break-cut",
    ),
    pytest.param(
        "The merger left rival bank Tomsa Holdings in trouble.",
        [("bank Tomsa Holdings", "ORG", 0)],
        "Tomsa Holdings",
        id="leading-common-noun",
    ),
]


@pytest.mark.parametrize("text, ents, name", TRIM_CASES)
def test_spans_are_trimmed(nlp: Any, text: str, ents: list[tuple[str, str, int]], name: str) -> None:
    clusters = find_actors(with_ents(nlp, text, ents))
    assert [c.name for c in clusters if c.type != "GPE"] == [name]
    for c in clusters:
        for span in c.spans:
            assert "\n" not in span.text
            assert not span.text.endswith(("'s", "’s", "("))


GLUED_CASES = [
    pytest.param(
        "Mr Griffin told the Independent the Tories' plans were wrong.",
        [("the Independent the Tories'", "ORG", 0)],
        {"Independent", "Tories"},
        id="inner-the",
    ),
    pytest.param(
        "He founded Veritas - Latin for truth - last week.",
        [("Veritas - Latin", "ORG", 0)],
        {"Veritas"},
        id="spaced-dash",
    ),
    pytest.param(
        "The Transport and General Workers Union (TGWU) backed the deal.",
        [("The Transport and General Workers Union (TGWU", "ORG", 0)],
        {"Transport and General Workers Union"},
        id="bracketed-acronym-inside",
    ),
]


@pytest.mark.parametrize("text, ents, names", GLUED_CASES)
def test_glued_names_are_cut(nlp: Any, text: str, ents: list[tuple[str, str, int]], names: set[str]) -> None:
    clusters = find_actors(with_ents(nlp, text, ents))
    assert {c.name for c in clusters if c.type == "ORG"} == names


def test_split_name_is_joined(nlp: Any) -> None:
    doc = with_ents(
        nlp,
        "Ursula von der Leyen met the ministers in Rome.",
        [("Ursula von der", "PERSON", 0), ("Leyen", "GPE", 0), ("Rome", "GPE", 0)],
    )
    people = [c for c in find_actors(doc) if c.type == "PERSON"]
    assert [c.name for c in people] == ["Ursula von der Leyen"]


def test_name_split_by_no_break_space_is_joined(nlp: Any) -> None:
    text = "The former journalist Amir\u00a0Kossov, the nearest contender, received 16%."
    clusters = actors(nlp, text)
    person = named(clusters, "Amir Kossov")
    assert person is not None and person.type == "PERSON"
    assert "the nearest contender" in person.aliases


def test_coordinated_names_are_split_when_named_alone(nlp: Any) -> None:
    text = "Dravo and Kesmet withdrew from the auction. Dravo later agreed to merge with Kesmet."
    doc = with_ents(nlp, text, [("Dravo and Kesmet", "ORG", 0), ("Dravo", "ORG", 1), ("Kesmet", "ORG", 1)])
    names = sorted(c.name for c in find_actors(doc))
    assert names == ["Dravo", "Kesmet"]


# --- what is not an actor ----------------------------------------------------------------------------------

NOT_ACTOR_CASES = [
    pytest.param(
        "Kazakh officials met British diplomats in London.", {"Kazakh", "British"}, id="nationality-adj"
    ),
    pytest.param(
        "Many Palestinians and Israelis watched the debate.", {"Palestinians", "Israelis"}, id="demonyms"
    ),
    pytest.param("On Monday the firm paid $5m to settle the case.", {"Monday", "$5m", "5"}, id="date-money"),
    pytest.param(
        "The firm broke the Foreign Corrupt Practices Act, prosecutors said.",
        {"Foreign Corrupt Practices Act"},
        id="law",
    ),
    pytest.param("The police arrested three men on Tuesday.", {"police"}, id="unqualified-collective"),
    pytest.param("A spokesman said protesters had left.", {"spokesman", "protesters"}, id="unnamed-people"),
    pytest.param("US prosecutors charged nine suppliers.", {"US prosecutors", "prosecutors"},
                 id="people-noun-plural"),
]


@pytest.mark.parametrize("text, forbidden", NOT_ACTOR_CASES)
def test_not_actors(nlp: Any, text: str, forbidden: set[str]) -> None:
    clusters = actors(nlp, text)
    forms = {f.casefold() for c in clusters for f in (c.name, *c.aliases)}
    assert not forms & {f.casefold() for f in forbidden}


def test_nationality_tagged_as_person_is_dropped(nlp: Any) -> None:
    doc = with_ents(nlp, "The Kazakh delegation left early.", [("Kazakh", "PERSON", 0)])
    assert find_actors(doc) == []


def test_lone_title_is_not_an_actor(nlp: Any) -> None:
    doc = with_ents(
        nlp,
        "He criticised current Supreme Leader Ali Hamedi in a post.",
        [("Supreme", "ORG", 0), ("Ali Hamedi", "PERSON", 0)],
    )
    assert [(c.type, c.name) for c in find_actors(doc)] == [("PERSON", "Ali Hamedi")]


def test_of_state_after_a_title_is_not_an_org(nlp: Any) -> None:
    doc = with_ents(
        nlp,
        "He spoke to Secretary of State Carla Ruiz in Paris.",
        [("State", "ORG", 0), ("Carla Ruiz", "PERSON", 0), ("Paris", "GPE", 0)],
    )
    assert [(c.type, c.name) for c in find_actors(doc) if c.type != "GPE"] == [("PERSON", "Carla Ruiz")]


def test_place_with_person_descriptor_stays_no_person(nlp: Any) -> None:
    doc = with_ents(nlp, "They branded the official North East campaign a sham.", [("North East", "LOC", 0)])
    assert find_actors(doc) == []


def test_title_words_before_a_person_are_not_an_org(nlp: Any) -> None:
    doc = with_ents(
        nlp,
        "Trade and Industry Secretary Patricia Hewlin said the plan would work.",
        [("Trade and Industry", "ORG", 0), ("Patricia Hewlin", "PERSON", 0)],
    )
    assert [(c.type, c.name) for c in find_actors(doc)] == [("PERSON", "Patricia Hewlin")]


# --- collective names --------------------------------------------------------------------------------------

COLLECTIVE_CASES = [
    pytest.param("The Kazakh courts banned the movement in 2017.", "Kazakh courts", id="nationality-courts"),
    pytest.param(
        "Iranian authorities arrested the blogger last month.", "Iranian authorities", id="no-article"
    ),
    pytest.param("The Russian government rejected the claim.", "Russian government", id="government"),
    pytest.param("The company asked the US court to block the sale.", "US court", id="place-noun"),
    pytest.param(
        "Critics of the Bush administration protested.", "Bush administration", id="leader-administration"
    ),
]


@pytest.mark.parametrize("text, name", COLLECTIVE_CASES)
def test_collective_names_are_orgs(nlp: Any, text: str, name: str) -> None:
    c = named(actors(nlp, text), name)
    assert c is not None and c.type == "ORG"


def test_bare_collective_joins_the_qualified_one(nlp: Any) -> None:
    clusters = actors(nlp, "The Kazakh police detained ten protesters. The police said all were released.")
    police = named(clusters, "Kazakh police")
    assert police is not None and police.type == "ORG"
    assert [s.text for s in police.spans] == ["Kazakh police", "police"]


def test_government_named_by_its_country_is_gpe(nlp: Any) -> None:
    c = named(actors(nlp, "Russia said it would respond to the sanctions."), "Russia")
    assert c is not None and c.type == "GPE"


PARTY_CASES = [
    pytest.param("Labour MP Jane Smith criticised the plan.", "Labour", id="party-before-MP"),
    pytest.param("The Tories attacked the plan on Monday.", "Tories", id="the-plural-party"),
    pytest.param("The Liberal Democrats received just over £1m.", "Liberal Democrats", id="two-word-party"),
]


@pytest.mark.parametrize("text, name", PARTY_CASES)
def test_party_plurals_are_orgs(nlp: Any, text: str, name: str) -> None:
    c = named(actors(nlp, text), name)
    assert c is not None and c.type == "ORG"


# --- the type vote -----------------------------------------------------------------------------------------


def test_title_outvotes_org_tag(nlp: Any) -> None:
    doc = with_ents(
        nlp,
        "Bernard Kolby ran the firm. Mr Kolby denied fraud. Mr Kolby resigned.",
        [("Bernard Kolby", "PERSON", 0), ("Mr Kolby", "ORG", 0), ("Mr Kolby", "ORG", 1)],
    )
    assert [(c.type, c.name) for c in find_actors(doc)] == [("PERSON", "Bernard Kolby")]


def test_org_suffix_outvotes_person_tag(nlp: Any) -> None:
    doc = with_ents(
        nlp,
        "Harwick Holdings Ltd paid the fine. Harwick said it regretted the error.",
        [("Harwick Holdings Ltd", "PERSON", 0), ("Harwick", "PERSON", 1)],
    )
    assert [(c.type, c.name) for c in find_actors(doc)] == [("ORG", "Harwick Holdings Ltd")]


def test_descriptor_outvotes_repeated_wrong_tag(nlp: Any) -> None:
    text = "Russian oil firm Varko sued four rivals. Varko wants $20bn. Varko filed in Houston. Varko won."
    doc = with_ents(
        nlp,
        text,
        [("Varko", "PERSON", 0), ("Varko", "PERSON", 1), ("Varko", "PERSON", 2), ("Varko", "PERSON", 3)],
    )
    assert [(c.type, c.name) for c in find_actors(doc)] == [("ORG", "Varko")]


# Repairs added with the held-out check (bench/heldout): each on a forced NER mistake.
REPAIR_CASES = [
    pytest.param("Scott Halder, the man behind Quikmail, said lawsuits forced the firm into bankruptcy.",
                 [("Scott", "PERSON", 0)], "PERSON", "Scott Halder", id="person-cut-before-its-head-word"),
    pytest.param("Lawyers for MailBlastPro said MailBlastPro owed $50m to its banks.",
                 [("MailBlastPro", "GPE", 0), ("MailBlastPro", "GPE", 1)], "ORG", "MailBlastPro",
                 id="camel-case-is-no-place"),
    pytest.param("Auditors said Dutch retailer Verhold inflated its earnings. Verhold shares fell. "
                 "Verhold lost.",
                 [("Verhold", "GPE", 1), ("Verhold", "GPE", 2)], "ORG", "Verhold",
                 id="untagged-repeat-with-descriptor-retypes-place"),
    pytest.param("Verhold shares fell. Verhold is the world's fourth-largest supermarket chain.",
                 [("Verhold", "GPE", 0), ("Verhold", "GPE", 1)], "ORG", "Verhold", id="copula-complement"),
    pytest.param("The verdict was reported by the Continental Press news agency on Monday.",
                 [("the Continental Press news agency", "ORG", 0)], "ORG", "Continental Press",
                 id="trailing-descriptor-noun"),
    pytest.param("He repaid the loan to former Tory Treasurer Lord Halsey last year.",
                 [("Tory Treasurer Lord Halsey", "PERSON", 0)], "PERSON", "Lord Halsey",
                 id="party-before-inner-title"),
    pytest.param("John Major spoke in Leeds on Monday.", [("John Major", "PERSON", 0)], "PERSON",
                 "John Major", id="title-word-as-surname-kept"),
    pytest.param("He visits Leeds, Leicester, Dorset and Torbay this week.",
                 [("Leeds", "GPE", 0), ("Leicester", "GPE", 0), ("Dorset", "ORG", 0), ("Torbay", "PERSON", 0)],
                 "GPE", "Dorset", id="odd-one-out-in-a-list-of-places"),
    pytest.param("Dave Prentis told the Daily Record newspaper he wants a date to be set.",
                 [("Dave Prentis", "PERSON", 0)], "ORG", "Daily Record", id="the-name-before-an-org-noun"),
]


@pytest.mark.parametrize("text, ents, etype, name", REPAIR_CASES)
def test_ner_repairs(nlp: Any, text: str, ents: list[tuple[str, str, int]], etype: str, name: str) -> None:
    assert (etype, name) in {(c.type, c.name) for c in find_actors(with_ents(nlp, text, ents))}


def test_list_votes_leave_places_alone(nlp: Any) -> None:
    text = "Shares in Acme Foods, Brightwater Holdings and France rose."
    ents = [("Acme Foods", "ORG", 0), ("Brightwater Holdings", "ORG", 0), ("France", "GPE", 0)]
    assert ("GPE", "France") in {(c.type, c.name) for c in find_actors(with_ents(nlp, text, ents))}


def test_person_is_not_extended_over_a_member_title(nlp: Any) -> None:
    text = "Angry Labour MPs warned the prime minister."
    names = {c.name for c in find_actors(with_ents(nlp, text, [("Labour", "PERSON", 0)]))}
    assert "Labour MPs" not in names


def test_trailing_descriptor_is_kept_as_alias(nlp: Any) -> None:
    text = "The verdict was reported by the Continental Press news agency on Monday."
    doc = with_ents(nlp, text, [("the Continental Press news agency", "ORG", 0)])
    c = named(find_actors(doc), "Continental Press")
    assert c is not None and "Continental Press news agency" in c.aliases


def test_sentence_initial_common_noun_is_no_name(nlp: Any) -> None:
    text = '"Fraud is fraud," said Daniel Ortiz, who called it fraud.'
    doc = with_ents(nlp, text, [("Fraud", "GPE", 0), ("Daniel Ortiz", "PERSON", 0)])
    assert [c.name for c in find_actors(doc)] == ["Daniel Ortiz"]


def test_two_surnames_joined_by_a_hyphen_are_no_actor(nlp: Any) -> None:
    text = "Tony Marsh and Helen Grant argued. The Marsh-Grant feud grew."
    ents = [("Tony Marsh", "PERSON", 0), ("Helen Grant", "PERSON", 0), ("Marsh-Grant", "ORG", 0)]
    doc = with_ents(nlp, text, ents)
    assert sorted(c.name for c in find_actors(doc)) == ["Helen Grant", "Tony Marsh"]


def test_place_noun_after_name_votes_gpe(nlp: Any) -> None:
    doc = with_ents(nlp, "He was sentenced by a court in the Gilan area.", [("Gilan", "ORG", 0)])
    assert [(c.type, c.name) for c in find_actors(doc)] == [("GPE", "Gilan")]


def test_unsupported_one_word_person_is_dropped(nlp: Any) -> None:
    doc = with_ents(nlp, "The film won an Oscar last year.", [("Oscar", "PERSON", 0)])
    assert find_actors(doc) == []


def test_name_the_model_missed_ending_in_org_word(nlp: Any) -> None:
    text = "Kazakhstan's Bureau for Human Rights and the Civic Charter Foundation issued a statement."
    doc = with_ents(nlp, text, [("Kazakhstan", "GPE", 0)])
    c = named(find_actors(doc), "Civic Charter Foundation")
    assert c is not None and c.type == "ORG"


# --- masking, ids, offsets ---------------------------------------------------------------------------------


def test_masked_ranges_give_no_actor(nlp: Any) -> None:
    text = "Viktor Petrenko spoke in Vienna.\n\nTags: Acme Holdings, Brussels\n"
    start = text.index("Tags:")
    clusters = find_actors(nlp(text), masked=[(start, len(text))])
    assert all(s.start_char < start for c in clusters for s in c.spans)
    assert named(clusters, "Acme Holdings") is None


def test_ids_follow_first_mention(nlp: Any) -> None:
    clusters = actors(nlp, "Anna Lindqvist met Tomas Berger in Oslo. Berger thanked Lindqvist.")
    assert [c.id for c in clusters] == [f"e{n}" for n in range(1, len(clusters) + 1)]
    firsts = [c.spans[0].start for c in clusters]
    assert firsts == sorted(firsts)


def test_spans_index_the_text(nlp: Any) -> None:
    text = (
        "The fugitive oligarch Mukar Belov funds the Democratic Choice Union (DCU), the Astana courts said."
    )
    for c in actors(nlp, text):
        assert c.spans
        for span in c.spans:
            assert isinstance(span, Span)
            assert text[span.start_char : span.end_char] == span.text


@given(text=st.text(max_size=300))
def test_any_text_gives_valid_clusters(nlp: Any, text: str) -> None:
    clusters = find_actors(nlp(text))
    for c in clusters:
        assert c.type in {"PERSON", "ORG", "GPE"}
        assert c.name
        for span in c.spans:
            assert text[span.start_char : span.end_char] == span.text


@given(
    words=st.lists(
        st.sampled_from(
            ["Mr", "the", "Kazakh", "Bank", "of", "(", ")", "ODF", "’s", "\n", "\u00a0", "Smith", ","]
        ),
        max_size=40,
    )
)
def test_name_like_noise_gives_valid_clusters(nlp: Any, words: list[str]) -> None:
    text = " ".join(words)
    for c in find_actors(nlp(text), masked=[(0, len(text) // 3)]):
        for span in c.spans:
            assert text[span.start_char : span.end_char] == span.text
            assert span.start_char >= len(text) // 3 or span.end_char <= 0
