"""Actors of one parsed document: spaCy's NER, repaired by general rules, grouped into one cluster per actor.

The small English model trims names badly (line breaks, "the", possessives), types one name differently in
different sentences, splits some names and tags nationality adjectives. The repairs here are general rules and
word lists (`patterns/entities_*.txt`), never names: see annotation.md for what counts as an actor.
Aliases within the document (surnames, titles, acronyms, descriptors) are joined by `aliases.py`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from actorgraph.extract import aliases as _al
from actorgraph.extract.aliases import LINK_WORDS, Mention, words
from actorgraph.extract.lexicon import Lexicon, lexicon, word_list
from actorgraph.vocab import ACTOR_TYPES

#: Labels of the statistical NER we read. NORP becomes ORG only for party-like plurals ("the Tories");
#: FAC/LOC/PRODUCT become actors only with an organisation cue ("its unit X", "X Ltd").
READ_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"})
NON_ACTOR_ENTS = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL", "LAW", "EVENT", "WORK_OF_ART"}
)
#: Links that may sit inside a name: an inner "the" after one starts no new name ("Ministry of the Interior").
NAME_PREPOSITIONS = LINK_WORDS | {"by"}
LEADING_DROP = frozenset({"the", "a", "an", "this", "that", "these", "those"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’", "s"})
OPEN_QUOTES = frozenset({'"', "“", "‘", "'", "«", "(", "["})
NAME_PARTICLES = word_list("entities_name_particles.txt")
#: Lower-case words that may sit inside a name ("Bureau for ... of Law", "Prosecutor's Office").
CONNECTORS = NAME_PREPOSITIONS | NAME_PARTICLES | POSSESSIVE | {"the", "des", "y", "e"}
SAY_VERBS = word_list("entities_say_verbs.txt")
MEMBER_TITLES = word_list("entities_member_titles.txt")
ORG_PARTS = word_list("entities_org_parts.txt")
THING_NOUNS = word_list("entities_thing_nouns.txt")
LOCATIVE_PREPS = frozenset({"in", "from", "to", "across", "throughout", "within", "into"})

W_NER, W_CUE, W_STRONG, W_GAZ, W_WEAK = 2, 6, 8, 40, 1  # integer votes: NER label < cue < title/descriptor


@dataclass
class ActorCluster:
    """One real actor of a document with every span that names it."""

    id: str  # "e1", "e2", ... stable within the document (order of first mention)
    type: str  # "PERSON" | "ORG" | "GPE"
    name: str  # the fullest proper form seen
    aliases: list[str] = field(default_factory=list)  # every OTHER surface form naming it
    # Every mention in document order, descriptor noun phrases ("the fugitive oligarch") included. Spans of
    # two clusters may nest: "Kowal" (PERSON) inside "Kowal administration" (ORG).
    spans: list[Span] = field(default_factory=list)


class _Mask:
    """Character ranges nothing may be read from, answering overlap queries in log time."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted((int(a), int(b)) for a, b in ranges if b > a):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def hits(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.starts, b - 1) - 1
        return i >= 0 and self.ends[i] > a


def find_actors(doc: Doc, masked: Sequence[tuple[int, int]] = ()) -> list[ActorCluster]:
    """Named actors of one parsed document, one cluster per real actor; nothing from `masked` char ranges."""
    mask = _Mask(masked)
    mentions = _ner_mentions(doc, mask)
    mentions = _drop_name_pairs(doc, mentions)
    mentions += _unlabelled_org_names(doc, mask, mentions)
    mentions += _untagged_conjuncts(doc, mask, mentions)
    mentions += _collective_mentions(doc, mask, mentions)
    mentions = _drop_headline_runs(doc, mentions)
    taken = bytearray(len(doc))  # 1: a PERSON/ORG candidate's token, 2: a place's
    for m in mentions:
        if m.source != "bare":
            taken[m.start : m.end] = (b"\x02" if m.label == "GPE" else b"\x01") * (m.end - m.start)
    for m in mentions:
        _context_votes(doc, m, taken)
    _list_votes(doc, mentions)
    elsewhere = {m.form(doc) for m in mentions if not m.title_part}
    mentions = [m for m in mentions if not m.title_part or m.form(doc) in elsewhere]
    groups = _al.cluster(doc, mentions)
    return _finish(doc, groups, mask, taken)


# --- mentions from the NER ------------------------------------------------------------------------------


def _ner_mentions(doc: Doc, mask: _Mask) -> list[Mention]:
    pieces: list[Mention] = []
    lower_words: set[str] | None = None
    for ent in doc.ents:
        if ent.label_ not in READ_LABELS:
            continue
        parts = _split_lines(doc, ent.start, ent.end)
        for a, b in parts:
            if len(parts) > 1 and b - a == 1 and doc[a].tag_ in {"NN", "NNS"}:
                continue  # "Kazakhstan\n\nComments": a common word at a line start, glued on by the model
            m = _clean(doc, a, b, ent.label_, ent.ent_id_)
            if m is None or mask.hits(doc[m.start].idx, _end_char(doc, m.end)):
                continue
            first = doc[m.start]
            if m.end - m.start == 1 and first.tag_ in {"NN", "NNS"} and not ent.ent_id_ and (
                first.is_sent_start or (first.i > 0 and doc[first.i - 1].text in OPEN_QUOTES)
            ):
                if lower_words is None:
                    lower_words = {t.text for t in doc if t.is_lower}
                if first.lower_ in lower_words:
                    continue  # '"Fraud is fraud," he said': a common noun capitalised by its place, no name
            pieces.append(m)
    pieces = _merge_contiguous(doc, pieces)
    pieces = _join_double_coordination(doc, pieces)
    pieces = _join_org_coordinations(doc, pieces)
    # a name extended over the next entity ("Police Federation of England" + "and Wales") takes it in
    pieces = [m for m in pieces if not any(o is not m and o.start <= m.start and m.end <= o.end
                                           and o.end - o.start > m.end - m.start for o in pieces)]
    for m in pieces:
        if m.label == "PERSON":
            _cut_title_qualifier(doc, m)
    pieces = _split_coordinations(doc, pieces)
    _mark_title_parts(doc, pieces)
    return pieces


def _cut_title_qualifier(doc: Doc, m: Mention) -> None:
    """ "Tory Treasurer Lord X", "Science Minister X": the words before an inner title qualify the title (a
    party, a portfolio) and are no part of the person's name; "Ellen Major", "X King Jr" keep theirs."""
    lex = lexicon()
    for k in range(m.start + 1, m.end - 1):
        if doc[k].text.rstrip(".") in lex.titles and doc[k - 1].text.rstrip(".") not in lex.titles:
            rest = [t for t in doc[k : m.end] if t.text.rstrip(".") not in lex.titles]
            if rest and any(t.text not in lex.honours for t in rest):
                m.start = k
            return


def _drop_name_pairs(doc: Doc, pieces: list[Mention]) -> list[Mention]:
    """ "the Voss-Marrow feud": two people's surnames joined by a hyphen name no third actor."""
    surnames = {doc[m.end - 1].text for m in pieces if m.label == "PERSON" and m.end - m.start > 1}
    out = []
    for m in pieces:
        parts = doc[m.start : m.end].text.split("-")
        if m.label != "PERSON" and len(parts) == 2 and all(p in surnames for p in parts):
            continue
        out.append(m)
    return out


def _mark_title_parts(doc: Doc, pieces: list[Mention]) -> None:
    """An organisation name right before a title ("Trade and Industry Secretary X", "the Home Secretary") is
    part of the title; it stays an actor only if it is also named elsewhere."""
    lex = lexicon()
    person_starts = {m.start for m in pieces if m.label == "PERSON"}
    for m in pieces:
        if m.label not in {"ORG", "NORP"}:
            continue
        j = m.end
        while j < len(doc) and doc[j].text in lex.titles and doc[j].text not in lex.honours:
            j += 1
        if j > m.end and (j in person_starts or doc[m.end].text not in lex.honorifics):
            m.title_part = True  # "Shadow Home Secretary X", "the Home Secretary"
        i = _prev(doc, m.start)
        if i > 0 and doc[i].lower_ == "of" and doc[i - 1].text in lex.titles and m.end - m.start == 1:
            m.title_part = True  # "Secretary of State"


def _end_char(doc: Doc, end: int) -> int:
    t = doc[end - 1]
    return t.idx + len(t.text)


def _inline_space(tok: Token) -> bool:
    """A whitespace token inside a line (a no-break space), which names may span."""
    return tok.is_space and "\n" not in tok.text and "\r" not in tok.text


def _prev(doc: Doc, i: int) -> int:
    """Index of the token before token i, skipping no-break-space tokens; -1 at the start."""
    j = i - 1
    while j >= 0 and _inline_space(doc[j]):
        j -= 1
    return j


def _split_lines(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a span at line breaks, brackets, spaced dashes and an inner "the" not after a preposition."""
    out, a = [], start
    for i in range(start, end):
        t = doc[i]
        spaced_dash = t.text in {"-", "–", "—"} and t.whitespace_ and i > start and doc[i - 1].whitespace_
        if t.lower_ == "the" and i > a and doc[i - 1].lower_ not in NAME_PREPOSITIONS:
            out.append((a, i))  # "the Independent the Tories": two names glued together
            a = i
            continue
        clause_word = t.is_lower and (t.tag_ in {"WDT", "WP", "VBD", "VBZ", "VBP", "MD"} or t.lower_ == "that")
        if (
            (t.is_space and not _inline_space(t))
            or "\n" in t.text
            or t.text in {"(", ")", "[", "]"}
            or spaced_dash
            or clause_word  # "the Commons that Downing Street": a clause word ends one name, starts another
        ):
            if i > a:
                out.append((a, i))
            a = i + 1
        elif "\n" in t.whitespace_:
            out.append((a, i + 1))
            a = i + 1
    if end > a:
        out.append((a, end))
    return out


def _is_name_word(tok: Token) -> bool:
    """A capitalised proper noun (or capitalised noun inside a sentence) that may be part of a name."""
    lex = lexicon()
    return (
        (tok.tag_ == "NNP" or (tok.tag_ in {"NNPS", "NN", "NNS"} and not tok.is_sent_start))
        and tok.text[:1].isupper()
        and tok.text.rstrip(".") not in lex.titles
        and tok.text not in lex.nationalities
        and tok.ent_iob_ == "O"
    )


def _clean(doc: Doc, a: int, b: int, label: str, gaz: str) -> Mention | None:
    """Trim determiners, punctuation and possessives off a span; type NORP; drop what is no actor."""
    lex = lexicon()
    a, b = _trim(doc, a, b, lex)
    if label in {"ORG", "NORP"}:
        b = _without_member_title(doc, a, b)
    described, b = _split_trailing_descriptor(doc, a, b, label, lex)
    a = _after_inner_common_noun(doc, a, b)
    if a >= b:
        return None
    full_a = a
    a = _after_inner_possessive(doc, a, b, lex)
    if label == "PERSON":
        person = _person_bounds(doc, a, b)
        if person is None:
            return None
        a, b = person
        full_a = max(full_a, a)
    if not gaz:
        extended = _extend_left(doc, a, label)
        if extended < a:
            a = full_a = extended
    b = _extend_right(doc, a, b, label)
    if label == "PERSON" and not gaz and b - a == 1 and b + 1 < len(doc) and doc[b].lower_ in _NAME_LINKS:
        before = _prev(doc, a)
        if before < 0 or doc[before].text.rstrip(".") not in lex.titles:
            longer = _extend_name_right(doc, a, b)
            if longer > b:  # "Network" + "for Good": a name with a complement is an organisation's
                label, b = "ORG", longer
    if label == "ORG" and not gaz:
        b = _extend_name_right(doc, a, b)
    span = doc[a:b]
    if _no_actor(doc, span, lex):
        return None
    if label in {"PERSON", "ORG"} and _compass_place(span, lex):
        label = "GPE"  # "Leeds North West", "Bristol South": a constituency or region, a place
    if label == "NORP":
        before = _prev(doc, a)
        named_org = before >= 0 and doc[before].is_lower and doc[before].lower_ in lex.org_nouns
        if not named_org and not _party(doc, span, lex):
            return None  # "security firm Symantec" is a firm's name whatever the tag
        label = "ORG"
    return _new_mention(doc, a, b, label, gaz, full_a, described)


def _trim(doc: Doc, a: int, b: int, lex: Lexicon) -> tuple[int, int]:
    """Drop determiners, punctuation, spaces and lower-case words before a name, and punctuation and
    possessive endings after it."""
    if b - a > 2 and doc[a].lower_ in {"ex", "former"} and doc[a + 1].tag_ == "HYPH":
        a += 2  # "Ex-Boeing director": the prefix qualifies the role, not the name
    while a < b and (
        doc[a].lower_ in LEADING_DROP
        or doc[a].is_punct
        or doc[a].is_space
        or (doc[a].is_lower and doc[a].lower_ not in NAME_PARTICLES)  # "bank UFJ Holdings"
        or (doc[a].text in lex.org_nouns and a + 1 < b)  # "NGO Open Rights Watch"
    ):
        a += 1
    while b - 2 > a and doc[b - 2].tag_ == "HYPH" and doc[b - 1].is_lower and not doc[b - 2].whitespace_:
        b -= 2  # "George Bush-style", "Kremlin-backed": a hyphened common word makes an adjective of the name
    money = next((k for k in range(a + 1, b) if doc[k].is_currency), None)
    if money is not None:
        b = money  # "Northgate Capital £4m": a sum glued onto a name is no part of it
    while b > a and (
        doc[b - 1].is_punct
        or doc[b - 1].is_space
        or doc[b - 1].tag_ == "POS"
        or doc[b - 1].text in POSSESSIVE
    ):
        b -= 1
    return a, b


def _without_member_title(doc: Doc, a: int, b: int) -> int:
    """ "Labour MP": the party, without the member's title."""
    while b - 1 > a and doc[b - 1].text in MEMBER_TITLES:
        b -= 1
    return b


def _split_trailing_descriptor(doc: Doc, a: int, b: int, label: str, lex: Lexicon) -> tuple[str, int]:
    """ "the Associated Press news agency": (the whole span as a form, the end of the name before the
    lower-case descriptor), or ("", b) when an organisation span ends in no such descriptor."""
    if not (
        label == "ORG"
        and doc[b - 1].is_lower
        and doc[b - 1].lower_ in lex.org_nouns
        and doc[b - 1].lower_ not in lex.collective_heads | lex.name_extenders
    ):
        return "", b
    k = b - 1
    while k > a and doc[k - 1].is_lower and doc[k - 1].tag_ in {"NN", "NNS", "JJ"}:
        k -= 1
    if k > a and doc[k - 1].text[:1].isupper() and doc[k - 1].text not in lex.nationalities:
        return doc[a:b].text, k
    return "", b


def _after_inner_common_noun(doc: Doc, a: int, b: int) -> int:
    """ "Iraq war Labour": a lower-case common noun inside a span ends what came before; the name starts after."""
    cut = max((k for k in range(a, b - 1) if doc[k].is_lower and doc[k].lower_ not in CONNECTORS), default=-1)
    if cut >= 0 and doc[cut + 1].text[:1].isupper():
        return cut + 1
    return a


#: Plural possessors that belong to a name ("People's Republic of China", "Women's Institute", "Workers' Party").
COLLECTIVE_OWNERS = frozenset({"people", "peoples", "workers", "women", "children", "citizens", "farmers",
                               "soldiers", "veterans", "pensioners", "writers", "teachers", "nurses"})


def _after_inner_possessive(doc: Doc, a: int, b: int, lex: Lexicon) -> int:
    """ "Kazakhstan's Bureau for ...": the actor is what follows an inner possessive, unless the possessor is a
    title or person noun ("the General Prosecutor's Office")."""
    for i in range(b - 2, a, -1):
        if doc[i].tag_ == "POS" or doc[i].text in ("'s", "’s"):
            owner = doc[i - 1].text
            if (
                doc[i + 1].text[:1].isupper()
                and owner.casefold() not in lex.person_nouns
                and owner.casefold() not in COLLECTIVE_OWNERS
                and owner not in lex.titles
            ):
                return i + 1
            break
    return a


def _person_bounds(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """A person's name starts after leading plural nouns and takes the untagged head word it modifies; None
    when it ends in a plural common noun ("Young Carers" is no person)."""
    while a < b - 1 and doc[a].tag_ in {"NNS", "NNPS"}:
        a += 1  # "Families Margaret Hodge": a person's name does not start with a plural noun
    if doc[b - 1].tag_ == "NNS":
        return None
    k = b
    while k < len(doc) and k - b < 3 and doc[k].lower_ in NAME_PARTICLES and doc[k - 1].whitespace_ == " ":
        k += 1
    if (doc[b - 1].lower_ in NAME_PARTICLES or k > b) and k < len(doc) and doc[k].tag_ == "NNP" and doc[k].is_title:
        b = k + 1  # "Walter van" + "der Vijver": the model stopped at a particle
    while (
        b < len(doc)
        and doc[b - 1].dep_ == "compound"
        and doc[b - 1].head.i == b
        and doc[b - 1].whitespace_ == " "
        and doc[b].tag_ == "NNP"
        and doc[b].text not in MEMBER_TITLES
        and len(doc[b].text) > 1  # "Episode I" is no surname
        and _is_name_word(doc[b])
    ):
        b += 1  # "Nils" tagged alone in "Nils Pellam": the untagged head word ends the name
    return a, b


def _extend_left(doc: Doc, a: int, label: str) -> int:
    """Extend left over proper nouns the model left out of an organisation ("Acme" + "Holdings"), or the start
    of a name that cannot begin with a preposition ("Reporters" + "Without Borders")."""
    truncated = doc[a].tag_ == "IN"  # a name does not begin with a preposition
    j = _prev(doc, a)
    while (
        j >= 0
        and (_is_name_word(doc[j]) or (label == "NORP" and _group_word(doc, j, a)))
        and doc[j].whitespace_
        and a - j < 4
        and (truncated or label != "PERSON")  # "Tory Dominic X", "of the Exchequer X": no first names
    ):
        a = j
        j = _prev(doc, j)
    return a


def _group_word(doc: Doc, j: int, a: int) -> bool:
    """A capitalised adjective that may begin a group's name: "Liberal" of "Liberal Democrat", which the model
    leaves out of the NORP "Democrat"; at a sentence start only when the text writes the two together again."""
    lex = lexicon()
    tok = doc[j]
    return (
        tok.tag_ in {"JJ", "NNP"}
        and tok.is_alpha
        and tok.text[:1].isupper()
        and (not tok.is_sent_start or doc.text.count(f"{tok.text} {doc[a].text}") > 1)
        and tok.ent_iob_ == "O"
        and tok.text not in lex.nationalities
        and tok.text.rstrip(".") not in lex.titles
    )


def _extend_right(doc: Doc, a: int, b: int, label: str) -> int:
    """Take in what belongs to the name after it: the 's of "McDonald's are listed", the lower-case
    "corporation" of "the Acme corporation"."""
    lex = lexicon()
    if label == "ORG" and b < len(doc) - 1 and doc[b].text in ("'s", "’s") and (
        _verb_like(doc[b + 1]) or doc[b + 1].tag_ == "CC" or doc[b + 1].text in {",", ")", ".", ";"}
    ):
        b += 1  # a verb, a conjunction or a comma follows: the 's belongs to the name ("Moody's and Fitch")
    if (
        b < len(doc)
        and doc[b].lower_ in lex.name_extenders
        and doc[b].is_lower
        and _prev(doc, a) >= 0
        and doc[_prev(doc, a)].lower_ == "the"
    ):
        b += 1
    return b


#: Lower-case words inside an organisation's name before a capitalised complement ("Network for Good",
#: "Medecins sans Frontieres"); "and" continues such a complement only ("Department for Work and Pensions").
_NAME_LINKS = frozenset({"of", "for", "sans", "on", "against", "without"})


def _extend_name_right(doc: Doc, a: int, b: int) -> int:
    """Take in the capitalised words the model cut off an organisation's name: "Fair Trials" + "Abroad",
    "Network" + "for Good", "Police Federation of England" + "and Wales". Only untagged words on the same
    line; no title, nationality or sentence start; "and" only inside an of/for complement."""
    lex = lexicon()

    def name_word(k: int, linked: bool = False) -> bool:
        t = doc[k]
        place = t.ent_type_ in {"GPE", "LOC"} and (linked or t.ent_iob_ != "B")  # "... of England and Wales"
        group = t.ent_type_ == "NORP" and not linked and t.text not in lex.nationalities  # "Liberal" + "Democrat"
        return (
            t.tag_ in {"NNP", "NNPS"} and t.text[:1].isupper() and t.is_alpha
            and (t.ent_iob_ == "O" or place or group)
            and t.text.rstrip(".") not in lex.titles and t.text not in lex.nationalities
            and t.text not in MEMBER_TITLES and not t.is_sent_start
        )

    def glued(k: int) -> bool:  # token k follows token k-1 on the same line, after a space
        return doc[k - 1].whitespace_ == " "

    while b < len(doc) and b - a < 10 and glued(b):
        t = doc[b]
        if name_word(b):
            b += 1
            continue
        linked = t.lower_ in _NAME_LINKS or (
            t.lower_ == "and" and any(doc[k].lower_ in _NAME_LINKS for k in range(a, b))
        )
        if linked and t.is_lower and b + 1 < len(doc) and glued(b + 1) and name_word(b + 1, linked=True):
            b += 2
            continue
        break
    return b


def _no_actor(doc: Doc, span: Span, lex: Lexicon) -> bool:
    """Whether a cleaned span names no actor: no capital letter, a common noun, a bare title or nationality, or
    a law, event or product."""
    text = span.text
    if not any(c.isalpha() for c in text) or not any(c.isupper() for c in text):
        return True
    if len(span) == 1 and (span[0].tag_ in {"JJR", "JJS", "VB", "VBD", "VBN", "RB"} or text in MEMBER_TITLES):
        return True  # "Younger", "Sacked", "MPs": a capitalised comparative, verb or title names no one
    if text in lex.org_nouns or text.casefold() in lex.person_nouns:
        return True  # "NGO" alone is a common noun, not a name
    if all(t.text.rstrip(".") in lex.titles or t.is_punct or t.is_space for t in span):
        return True  # "Supreme", "President": a title without a name
    if all(w in lex.nationalities_cf for w in words(text)):
        return True  # "Kazakh", "British": nationality adjectives are not actors, whatever the tag
    link = next((k for k in range(1, len(span) - 1) if span[k].lower_ in {"of", "on", "for"}), None)
    if link is not None and span[link - 1].text in lex.not_actor_heads:
        return True  # "the European Convention on Human Rights": a law's head before its complement
    # "the Foreign Corrupt Practices Act", "the Labour Party Conference"
    return doc[span.end - 1].text in lex.not_actor_heads and not _headed_by_org_word(span)


_COMPASS = frozenset({"North", "South", "East", "West", "Central", "North-West", "North-East", "South-West",
                      "South-East", "Northwest", "Northeast", "Southwest", "Southeast"})


def _compass_place(span: Span, lex: Lexicon) -> bool:
    """ "Leeds North West", "Islington South", "Sheffield Central": a place name and compass words, no
    organisation word, names a place (a constituency, a region), whatever the model tagged it."""
    ws = [t.text for t in span]
    k = len(ws)
    while k > 0 and ws[k - 1] in _COMPASS:
        k -= 1
    if k == len(ws) or k == 0:
        return False
    return all(w[:1].isupper() and w not in lex.org_heads for w in ws[:k])


def _party(doc: Doc, span: Span, lex: Lexicon) -> bool:
    """Whether a NORP span names a party: a plural group name ("the Tories", "Liberal Democrats"), not a bare
    plural such as "Palestinians" or "Muslims", which is a people, not an actor."""
    the = _prev(doc, span.start) >= 0 and doc[_prev(doc, span.start)].lower_ == "the"
    if _plural_name(span):
        return the or len(span) > 1 or span[-1].text in lex.org_heads
    return _group_adjective(span, lex)


def _group_adjective(span: Span, lex: Lexicon) -> bool:
    """ "Tory MP", "Liberal Democrat leader", "the Republican senator": a capitalised group word that qualifies a
    noun and is no nationality, region or religion names a party (annotation.md: "Labour MP Jane Smith" gives
    MEMBER_OF Labour)."""
    root = span.root
    if root.dep_ not in {"amod", "compound", "nmod"} or root.head.pos_ != "NOUN" or root.head.i < span.end:
        return False
    if not all(t.is_alpha and t.text[:1].isupper() for t in span):
        return False  # "anti-Tory", "ex-Soviet"
    return not any(w in lex.nationalities_cf for w in words(span.text))


def _new_mention(doc: Doc, a: int, b: int, label: str, gaz: str, full_a: int, described: str) -> Mention:
    """The NER mention of tokens a..b, with its type votes, its gazetteer cue and its longer forms."""
    votes: Counter[str] = Counter()
    if label in ACTOR_TYPES:
        votes[label] += W_NER + (1 if b - a > 1 else 0)  # a longer name's tag is the more reliable
    m = Mention(a, b, label, votes, source="ner", gaz=gaz)
    if gaz:
        m.cues[label] += W_GAZ
    if full_a < a:
        m.extra_forms.append(doc[full_a:b].text)
    if described:
        m.extra_forms.append(described)
        m.cues["ORG"] += W_STRONG
    return m


def _headed_by_org_word(span: Span) -> bool:
    """ "Bureau for Human Rights and Rule of Law": an organisation word followed by its of/for complement."""
    lex = lexicon()
    return any(t.text in lex.org_heads and t.nbor(1).lower_ in {"of", "for", "to", "on"} for t in span[:-1])


def _verb_like(tok: Token) -> bool:
    return tok.tag_ in {"VBZ", "VBP", "VBD", "MD"}


def _plural_name(span: Span) -> bool:
    last = span[-1]
    return last.tag_ in {"NNPS", "NNS"} or (last.text.endswith("s") and last.text[:1].isupper())


def _merge_contiguous(doc: Doc, pieces: list[Mention]) -> list[Mention]:
    """Join names the model split in two ("Ursula von der" + "Leyen", "Nurlan" + "Tessakov")."""
    pieces.sort(key=lambda m: m.start)
    out: list[Mention] = []
    for m in pieces:
        prev = out[-1] if out else None
        gap_ok = prev is not None and (
            (prev.end == m.start and doc[prev.end - 1].whitespace_ == " ")
            or (prev.end + 1 == m.start and _inline_space(doc[prev.end]))
        )
        if prev is not None and gap_ok and not prev.gaz and not m.gaz:
            # "Liberal" + "Democrat": two one-word organisation names side by side are one name
            adjective = (prev.label == "ORG" and m.label in {"ORG", "PERSON"}
                         and prev.end - prev.start == 1 == m.end - m.start)  # "Lockheed" + "Martin" too
            surname = (prev.label == "PERSON" and m.end - m.start == 3 and doc[m.start + 1].text in {"-", "‐"}
                       and doc[m.start].whitespace_ == "" and doc[m.start + 1].whitespace_ == ""
                       and doc[m.end - 1].text not in lexicon().org_heads)  # "Rosa Emilia" + "Rodríguez-Vélez"
            joint = (doc[prev.end - 1].lower_ in NAME_PARTICLES or prev.label == m.label == "PERSON" or adjective
                     or surname)
            if joint:
                label = "PERSON" if surname else "ORG" if adjective else "PERSON" if "PERSON" in (
                    prev.label, m.label) else prev.label
                prev.end = m.end
                prev.label = label
                prev.votes = Counter({label: W_NER * 2})
                continue
        out.append(m)
    return out


def _join_double_coordination(doc: Doc, pieces: list[Mention]) -> list[Mention]:
    """ "..., Liggett Group and Brown and Williamson": a list takes one final "and", so two one-word names
    joined by a second "and" right after the list's own are one firm's name ("X and Y")."""
    pieces.sort(key=lambda m: m.start)
    out: list[Mention] = []
    for m in pieces:
        prev = out[-1] if out else None
        if (prev is not None and prev.end + 1 == m.start and doc[prev.end].lower_ in {"and", "&"}
                and prev.end - prev.start == 1 == m.end - m.start and not prev.gaz and not m.gaz
                and prev.start > 0 and doc[prev.start - 1].lower_ in {"and", "&"}):
            prev.end, prev.label = m.end, "ORG"
            prev.votes = Counter({"ORG": W_NER * 2})
            continue
        out.append(m)
    return out


def _split_coordinations(doc: Doc, pieces: list[Mention]) -> list[Mention]:
    """Split "A and B" tagged as one name when A or B is named alone elsewhere in the document."""
    alone = {doc[m.start : m.end].text for m in pieces}
    out: list[Mention] = []
    for m in pieces:
        cut = next((i for i in range(m.start + 1, m.end - 1) if doc[i].lower_ in {"and", "&"}), None)
        if cut is not None and _shared_org_head(doc, m.start, cut, m.end):
            out.append(m)  # "Foreign and Commonwealth Office": the left part has no head of its own
            continue
        if cut is not None:
            left, right = doc[m.start : cut].text, doc[cut + 1 : m.end].text
            if left in alone or right in alone:
                out.append(Mention(m.start, cut, m.label, Counter(m.votes), source=m.source))
                out.append(Mention(cut + 1, m.end, m.label, Counter(m.votes), source=m.source))
                continue
        out.append(m)
    return out


def _shared_org_head(doc: Doc, a: int, cut: int, b: int) -> bool:
    """Whether "A and B <Head>" is one organisation's name: B ends in an organisation word ("Office", "Party") and
    A, one or two capitalised words, ends in none ("Foreign and Commonwealth Office", "Social Democratic and
    Labour Party"; not "Tesco and Sainsbury's Bank")."""
    heads = lexicon().org_heads
    if doc[b - 1].text not in heads or doc[cut - 1].text in heads or not 0 < cut - a <= 2:
        return False
    if cut + 1 < b and doc[a].text == doc[cut + 1].text:
        return False  # "AZ Fly and AZ Services": two names of one family
    return all(t.text[:1].isupper() and not t.is_upper and t.pos_ in {"PROPN", "ADJ"}
               and t.ent_type_ not in {"PERSON", "GPE"} for t in doc[a:cut])


def _join_org_coordinations(doc: Doc, pieces: list[Mention]) -> list[Mention]:
    """'Foreign' + 'Commonwealth Office' split by the model around "and"/"&", and "Foreign, Commonwealth and
    Development Office" cut after its first word: one organisation whose words share the final head."""
    pieces.sort(key=lambda m: m.start)
    out: list[Mention] = []
    for m in pieces:
        prev = out[-1] if out else None
        if (prev is not None and prev.end + 1 == m.start and doc[prev.end].lower_ in {"and", "&"}
                and m.label == "ORG" and not prev.gaz and not m.gaz
                and _shared_org_head(doc, prev.start, prev.end, m.end)):
            prev.end, prev.label = m.end, "ORG"
            prev.votes = Counter({"ORG": W_NER * 2})
            continue
        out.append(m)
    for m in out:  # "Foreign, Commonwealth and Development Office"
        if m.label != "ORG" or m.start < 2 or doc[m.start - 1].text != ",":
            continue
        cut = next((i for i in range(m.start + 1, m.end - 1) if doc[i].lower_ in {"and", "&"}), None)
        first = doc[m.start - 2]
        if (cut is not None and _shared_org_head(doc, m.start, cut, m.end) and first.text[:1].isupper()
                and first.pos_ in {"PROPN", "ADJ"} and not first.ent_type_ and not any(
                    o.start <= first.i < o.end for o in out)
                and (first.i == 0 or not doc[first.i - 1].text[:1].isupper() or doc[first.i - 1].is_punct)):
            m.start = first.i
    return out


def _title_case_lines(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of headline lines in title case ("Elon Musk Settles SEC Fraud Charges"): most words
    capitalised, no final stop. The model reads runs of capitalised words there as names."""
    out = []
    pos = 0
    for line in doc.text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line)]
        if len(words) < 3 or line.rstrip().endswith((".", "?", "!", ":", '"', "”")):
            continue
        if re.search(r"[a-z0-9)][.?!](?:\s|,|$)", line):
            continue  # a sentence ends inside the line (a table row, a caption): no headline
        content = [w for w in words if w.lower() not in _SMALL_TITLE_WORDS]
        if len(content) >= 3 and sum(w[0].isupper() for w in content) >= 0.8 * len(content):
            out.append((start, end))
    return out


_SMALL_TITLE_WORDS = frozenset({"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with",
                                "from", "as", "vs", "v", "its", "his", "her", "their"})


def _drop_headline_runs(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A name read from a title-case headline stays only if the text writes it again outside the headline
    ('Elon Musk' does; 'Elon Musk Settles SEC Fraud Charges' does not)."""
    lines = _title_case_lines(doc)
    if not lines:
        return mentions
    text = doc.text
    out = []
    for m in mentions:
        a, b = doc[m.start].idx, _end_char(doc, m.end)
        line = next(((s, e) for s, e in lines if s <= a and b <= e), None)
        if line is None or m.label not in {"ORG", "PERSON"}:
            out.append(m)
            continue
        form = text[a:b]
        if text.find(form, 0, line[0]) >= 0 or text.find(form, line[1]) >= 0:
            out.append(m)
    return out


def _unlabelled_org_names(doc: Doc, mask: _Mask, named: list[Mention]) -> list[Mention]:
    """Capitalised names ending in an organisation word the NER missed ("the Human Rights Fund")."""
    lex = lexicon()
    taken = bytearray(len(doc))
    for m in named:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    out: list[Mention] = []
    for t in doc:
        if t.text not in lex.org_heads or t.tag_ not in {"NNP", "NNPS"} or taken[t.i] or t.ent_iob_ != "O":
            continue
        a = t.i
        while a > 0 and not taken[a - 1] and "\n" not in doc[a - 1].whitespace_:
            p = doc[a - 1]
            connector = p.lower_ in {"of", "for", "and", "on"} or p.tag_ == "HYPH" or p.text == "-"
            if (
                _is_name_word(p)
                or (p.text[:1].isupper() and p.tag_ in {"NNP", "NNPS"} and p.ent_iob_ == "O")
                or (p.text in lex.nationalities and a - 1 < t.i)
                or (connector and a - 2 >= 0 and doc[a - 2].text[:1].isupper())
            ):
                a -= 1
            else:
                break
        while a < t.i and (doc[a].lower_ in {"of", "for", "and", "on"} or doc[a].text == "-"):
            a += 1
        b = t.i + 1
        if b + 1 < len(doc) and doc[b].lower_ in {"of", "for"} and _is_name_word(doc[b + 1]):
            b += 2
            while b < len(doc) and _is_name_word(doc[b]):
                b += 1
        if b - a < 2 or doc[a].lower_ in LEADING_DROP:
            continue
        b = _extend_name_right(doc, a, b)  # "Department for Work" + "and Pensions"
        if any(taken[a:b]) or mask.hits(doc[a].idx, _end_char(doc, b)):
            continue
        taken[a:b] = b"\x01" * (b - a)
        out.append(Mention(a, b, "ORG", Counter({"ORG": W_NER}), source="ner"))
    out += _party_before_member_title(doc, mask, taken)
    out += _untagged_acronyms(doc, mask, taken)
    out += _untagged_person_names(doc, mask, taken)
    out += _untagged_speakers(doc, mask, taken)
    out += _untagged_described_names(doc, mask, taken)
    if _al.known_names_on():
        out += _institutions(doc, mask, taken)
        out += _party_words_before_people(doc, mask, taken)
    out += _name_before_org_noun(doc, mask, taken)
    return out


def _untagged_acronyms(doc: Doc, mask: _Mask, taken: bytearray) -> list[Mention]:
    """ "the IAAF", "athletics' ruling body the IAAF", "SDLP said": an all-capital word the NER left untagged,
    after "the" or as a clause subject, heading its own phrase (not "the GSM standard"), names an organisation."""
    out: list[Mention] = []
    for t in doc:
        if taken[t.i] or t.ent_iob_ != "O" or t.tag_ not in {"NNP", "NNPS"} or not _al.is_acronym(t.text):
            continue
        after_the = t.i > 0 and doc[t.i - 1].lower_ == "the"
        actor_like = t.dep_ in {"nsubj", "nsubjpass"} and t.head.pos_ in {"VERB", "AUX"}  # "the RSPCA said"
        if len(t.text) < 3 or not (after_the or actor_like) or t.text in MEMBER_TITLES or t.text in lexicon().titles:
            continue
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        if nxt is not None and (nxt.pos_ in {"NOUN", "PROPN", "NUM"} or nxt.tag_ == "HYPH"):
            continue
        if mask.hits(t.idx, t.idx + len(t.text)):
            continue
        taken[t.i] = 1
        m = Mention(t.i, t.i + 1, "ORG", Counter({"ORG": W_NER}), source="ner")
        out.append(m)
    return out


def _institutions(doc: Doc, mask: _Mask, taken: bytearray) -> list[Mention]:
    """ "the Commons", "Downing Street said": the general-knowledge institutions the model leaves untagged or
    takes for places (`patterns/entities_institutions.txt`), written as listed, are organisation mentions."""
    forms = _al.institution_forms()
    firsts = {f[0] for f in forms}
    out: list[Mention] = []
    for t in doc:
        if t.text not in firsts or taken[t.i] or t.ent_type_ in {"PERSON", "ORG"}:
            continue
        for f in forms:
            b = t.i + len(f)
            if b <= len(doc) and tuple(x.text for x in doc[t.i : b]) == f and not any(taken[t.i : b]):
                if b < len(doc) and doc[b].tag_ in {"NNP", "NNPS"} and doc[b].text[:1].isupper():
                    break  # "Commons Speaker X", "Lords Reform Bill": part of a longer name
                if mask.hits(t.idx, _end_char(doc, b)):
                    break
                taken[t.i : b] = b"\x01" * (b - t.i)
                m = Mention(t.i, b, "ORG", Counter({"ORG": W_NER}), source="ner")
                m.cues["ORG"] += W_STRONG
                out.append(m)
                break
    return out


def _untagged_conjuncts(doc: Doc, mask: _Mask, named: list[Mention]) -> list[Mention]:
    """ "Moody's and Fitch", "Deutsche Telekom, Energis, NTT": a capitalised proper noun the NER left untagged,
    coordinated with an organisation's name, is one more organisation of the list."""
    lex = lexicon()
    taken = bytearray(len(doc))
    for m in named:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    out: list[Mention] = []
    for m in named:
        if m.label != "ORG" or m.source != "ner":
            continue
        root = doc[m.start : m.end].root
        for c in root.conjuncts:
            if (taken[c.i] or c.ent_iob_ != "O" or c.tag_ not in {"NNP", "NNPS"} or not c.text[:1].isupper()
                    or c.text.rstrip(".") in lex.titles or c.text in lex.nationalities or c.is_sent_start):
                continue
            a = c.i
            while (a > 0 and not taken[a - 1] and doc[a - 1].dep_ == "compound" and doc[a - 1].head.i == c.i
                   and doc[a - 1].tag_ in {"NNP", "NNPS"} and doc[a - 1].ent_iob_ == "O"):
                a -= 1
            if mask.hits(doc[a].idx, _end_char(doc, c.i + 1)) or doc[c.i].text in lex.not_actor_heads:
                continue
            taken[a : c.i + 1] = b"\x01" * (c.i + 1 - a)
            out.append(Mention(a, c.i + 1, "ORG", Counter({"ORG": W_NER}), source="ner"))
    return out


def _party_words_before_people(doc: Doc, mask: _Mask, taken: bytearray) -> list[Mention]:
    """ "Conservative local government spokesman X", "a Labour candidate": a party of the general-knowledge
    list, written capitalised and untagged, qualifying a person noun, names the party (annotation.md: the
    member's title gives MEMBER_OF the party)."""
    lex = lexicon()
    known = _al.known_names()
    out: list[Mention] = []
    for t in doc:
        if taken[t.i] or t.ent_iob_ != "O" or not t.is_title or (t.lower_,) not in known:
            continue
        head = t
        while head.dep_ in {"amod", "compound", "nmod"} and head.head.i > head.i and head.head.i - t.i <= 4:
            head = head.head
        if head is t or not head.is_lower or not (head.lower_ in lex.person_nouns or head.text in MEMBER_TITLES):
            continue
        if mask.hits(t.idx, t.idx + len(t.text)):
            continue
        taken[t.i] = 1
        out.append(Mention(t.i, t.i + 1, "ORG", Counter({"ORG": W_NER}), source="ner"))
    return out


def _untagged_described_names(doc: Doc, mask: _Mask, taken: bytearray) -> list[Mention]:
    """ "Parmalat, the Italian food group, ...", "Kovra, a lobbying firm, ...": capitalised proper nouns the NER
    left untagged, set in apposition to a noun phrase whose head names an organisation or a person, are that
    kind of actor (the descriptor itself joins it as for any other name)."""
    lex = lexicon()
    out: list[Mention] = []
    for t in doc:
        if (taken[t.i] or t.ent_iob_ != "O" or t.tag_ not in {"NNP", "NNPS"} or not t.text[:1].isupper()
                or t.text.rstrip(".") in lex.titles or t.text in lex.nationalities or not t.is_alpha):
            continue
        if t.i + 1 >= len(doc) or doc[t.i + 1].text != ",":
            continue
        kind = next((_noun_kind(c.lemma_.casefold(), lex, guess=False) for c in t.children
                     if c.dep_ == "appos" and c.i > t.i + 1 and c.is_lower and c.tag_ in {"NN", "NNS"}), "")
        if kind not in {"ORG", "PERSON"}:
            continue
        a = t.i
        while a > 0 and not taken[a - 1] and doc[a - 1].tag_ in {"NNP", "NNPS"} and doc[a - 1].ent_iob_ == "O" \
                and doc[a - 1].head.i == t.i and doc[a - 1].text[:1].isupper():
            a -= 1
        if kind == "PERSON" and t.i == a:
            continue  # a lone word is too often a place or a product before "the man"
        if mask.hits(doc[a].idx, _end_char(doc, t.i + 1)):
            continue
        taken[a : t.i + 1] = b"\x01" * (t.i + 1 - a)
        out.append(Mention(a, t.i + 1, kind, Counter({kind: W_NER}), source="ner"))
    return out


def _untagged_speakers(doc: Doc, mask: _Mask, taken: bytearray) -> list[Mention]:
    """ "told the Observer", "the Scottish Executive said": "the" and capitalised proper nouns the NER left
    untagged, as the one told something or the one saying it, name an organisation (a paper, a body)."""
    lex = lexicon()
    out: list[Mention] = []
    for the in doc:
        if the.lower_ != "the":
            continue
        a = b = the.i + 1
        while (b < len(doc) and b - a < 3 and doc[b].tag_ in {"NNP", "NNPS"} and doc[b].ent_iob_ == "O"
               and doc[b].is_alpha and doc[b].text[:1].isupper() and not taken[b]
               and doc[b].text.rstrip(".") not in lex.titles and doc[b - 1].whitespace_ == " "):
            b += 1
        if b == a or (b < len(doc) and doc[b].pos_ in {"NOUN", "PROPN", "NUM", "PART"}):
            continue
        root = doc[a:b].root
        told = root.dep_ in {"dobj", "dative"} and root.head.lemma_ == "tell"
        said = root.dep_ == "nsubj" and root.head.lemma_ in SAY_VERBS
        if not (told or said) or all(t.text in lex.nationalities for t in doc[a:b]):
            continue
        if mask.hits(doc[a].idx, _end_char(doc, b)):
            continue
        taken[a:b] = b"\x01" * (b - a)
        out.append(Mention(a, b, "ORG", Counter({"ORG": W_NER}), source="ner"))
    return out


#: Dependency labels of a verb's own arguments: the subject and the object of "accused Jan Kowal of fraud".
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})


def _untagged_person_names(doc: Doc, mask: _Mask, taken: bytearray) -> list[Mention]:
    """ "The opposition accused Jan Kowal of corruption": two or three capitalised proper nouns the NER left
    untagged, standing bare (no article, no possessor) as a verb's subject or object, with no organisation word,
    title or nationality among them, name a person: an organisation's name takes "the" or ends in its kind."""
    lex = lexicon()

    def name_word(t: Token) -> bool:
        return (t.tag_ == "NNP" and t.ent_iob_ == "O" and t.is_alpha and t.is_title and not taken[t.i]
                and t.text.rstrip(".") not in lex.titles and t.text not in lex.nationalities
                and t.text not in lex.org_heads and t.text not in lex.org_nouns)

    out: list[Mention] = []
    i = 0
    while i < len(doc):
        if not name_word(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < len(doc) and j - i < 4 and name_word(doc[j]) and doc[j - 1].whitespace_ == " ":
            j += 1
        a, b, i = i, j, j
        span = doc[a:b]
        if not 2 <= b - a <= 3 or span.root.dep_ not in _ARGUMENT_DEPS or span.root.head.pos_ not in {"VERB", "AUX"}:
            continue
        before = _prev(doc, a)
        if doc[a].is_sent_start or (before >= 0 and (doc[before].pos_ == "DET" or doc[before].tag_ == "POS")):
            continue  # "The Football Association", "London's Evening Standard": an article or a possessor
        if _al.known_names_on() and tuple(words(span.text)) in _al.known_names():
            continue
        if mask.hits(doc[a].idx, _end_char(doc, b)):
            continue
        taken[a:b] = b"\x01" * (b - a)
        out.append(Mention(a, b, "PERSON", Counter({"PERSON": W_NER}), source="ner"))
    return out


def _name_before_org_noun(doc: Doc, mask: _Mask, taken: bytearray) -> list[Mention]:
    """ "the Daily Record newspaper", "the Foodservice unit": capitalised words the NER left untagged between
    "the" and a lower-case organisation noun name an organisation."""
    lex = lexicon()
    out: list[Mention] = []
    for t in doc:
        if not t.is_lower or t.lower_ not in lex.org_nouns or t.i < 2:
            continue
        b = _prev(doc, t.i) + 1
        a = b
        while a > 0 and b - a < 4 and not taken[a - 1]:
            p = doc[a - 1]
            untagged = p.ent_iob_ == "O" or (p.ent_type_ == "DATE" and a < b)  # "the Daily Record newspaper"
            if not (p.tag_ in {"NNP", "NNPS"} and p.text[:1].isupper() and untagged):
                break
            if p.text in lex.nationalities or p.text.rstrip(".") in lex.titles:
                break
            a -= 1
        if a == b or a == 0 or doc[a - 1].lower_ != "the" or mask.hits(doc[a].idx, _end_char(doc, b)):
            continue
        taken[a:b] = b"\x01" * (b - a)
        m = Mention(a, b, "ORG", Counter({"ORG": W_NER}), source="ner")
        m.cues["ORG"] += W_STRONG
        m.extra_forms.append(doc[a : t.i + 1].text)
        out.append(m)
    return out


#: Person nouns that are roles in an organisation: "X chairman Jane Smith" names the organisation X.
ORG_ROLES = frozenset({"chairman", "chairwoman", "chief", "founder", "director", "owner"})


def _party_before_member_title(doc: Doc, mask: _Mask, taken: bytearray) -> list[Mention]:
    """ "Labour MP Jane Smith", "Arsenal boss Arne Weller": the capitalised words before MP/MEP, or before an
    organisation's role right before a person's name, name a party or an organisation, though the NER is silent."""
    lex = lexicon()
    out: list[Mention] = []
    for t in doc:
        role = (t.is_lower and t.lower_ in ORG_PARTS | ORG_ROLES and t.i + 1 < len(doc)
                and doc[t.i + 1].ent_type_ == "PERSON")  # "Arsenal boss Arne Weller"
        if (t.text not in MEMBER_TITLES and not role) or t.i == 0:
            continue
        b = _prev(doc, t.i) + 1
        a = b
        while a > 0 and not taken[a - 1] and b - a < 3:
            p = doc[a - 1]
            if not (p.text[:1].isupper() and p.tag_ in {"NNP", "NNPS", "JJ"} and p.ent_iob_ in {"O", ""}):
                break
            if p.text in lex.nationalities or p.text.rstrip(".") in lex.titles:
                break
            if p.is_sent_start and p.tag_ != "NNP":
                break  # "Former MP X"
            a -= 1
        if a == b or mask.hits(doc[a].idx, _end_char(doc, b)):
            continue
        taken[a:b] = b"\x01" * (b - a)
        out.append(Mention(a, b, "ORG", Counter({"ORG": W_NER}), source="ner"))
    return out


# --- collective actors ("the Kazakh courts", "Iranian authorities") ----------------------------------------


def _collective_mentions(doc: Doc, mask: _Mask, named: list[Mention]) -> list[Mention]:
    """Nationality/place + collective head noun is an ORG; "the police" alone is kept to join one of them."""
    lex = lexicon()
    taken = {i for m in named for i in range(m.start, m.end) if m.label != "GPE"}
    out: list[Mention] = []
    for t in doc:
        if t.lower_ not in lex.collective_heads or not t.is_lower or t.i in taken:
            continue
        if t.pos_ not in {"NOUN", "PROPN"}:
            continue
        if t.i + 1 < len(doc) and doc[t.i + 1].pos_ in {"NOUN", "PROPN"} and doc[t.i + 1].dep_ == "compound":
            continue  # "police officers", "government officials": the head noun is further on
        if t.dep_ == "compound" and t.head.i > t.i:
            continue  # "French stock market regulator AMF": the collective noun describes the name after it
        i = _prev(doc, t.i)
        while (
            i >= 0 and doc[i].is_lower and doc[i].pos_ in {"NOUN", "ADJ"} and t.i - i < 3 and i not in taken
        ):
            i = _prev(doc, i)  # "the government authorities", "the Kazakh security services"
        a = i + 1
        person_ok = t.lower_ in lex.leader_heads
        mod = _place_modifier(doc, i, person_ok=person_ok)
        if mod is None and i > 0 and doc[i].tag_ == "POS":
            mod = _place_modifier(doc, _prev(doc, i), person_ok=person_ok)  # "Indonesia's previous government"
        while mod is not None and mod[0] > 0 and doc[mod[0] - 1].text in lex.nationalities:
            mod = (mod[0] - 1, mod[1])  # "the Greek Cypriot government"
        head = _al.singular(t.lower_)
        end_char = t.idx + len(t.text)
        if mod is not None:  # "the Kazakh courts", "the US bankruptcy court", "the Kazakh security services"
            ms = mod[0]
            if mask.hits(doc[ms].idx, end_char):
                continue
            key = " ".join([*words(doc[ms : t.i].text), head])
            m = Mention(ms, t.i + 1, "ORG", Counter({"ORG": W_NER}), source="collective", key=key)
            m.cues["ORG"] += W_STRONG
            out.append(m)
        elif i >= 0 and doc[i].lower_ in {"the", "its", "their"} and not mask.hits(doc[a].idx, end_char):
            out.append(Mention(a, t.i + 1, "ORG", Counter({"ORG": W_NER}), source="bare", key=head))
    return out


def _place_modifier(doc: Doc, i: int, person_ok: bool = False) -> tuple[int, int] | None:
    """Token range of a nationality adjective or place name ending at token i ("Kazakh", "the US");
    with `person_ok` also a leader's name ("the Kowal administration")."""
    if i < 0:
        return None
    t = doc[i]
    lex = lexicon()
    if t.text in lex.nationalities:
        return (i, i + 1)
    kinds = {"GPE", "NORP", "PERSON"} if person_ok else {"GPE", "NORP"}
    if t.ent_type_ in kinds and t.text[:1].isupper() and t.text not in lex.religions:
        a = i
        while a > 0 and t.ent_iob_ != "B" and doc[a].ent_iob_ != "B" and doc[a - 1].ent_type_ == t.ent_type_:
            a -= 1
        if doc[a].lower_ == "the":
            a += 1
        return (a, i + 1) if a <= i else None
    return None


# --- votes from the words around a mention ----------------------------------------------------------------


#: Nouns only a person has ("X's wife", "X's press secretary"): a possessor of one is a person.
KIN_AND_AIDES = frozenset({"wife", "husband", "widow", "widower", "son", "daughter", "father", "mother", "brother",
                           "sister", "children", "parents", "girlfriend", "boyfriend", "fiancee", "fiancée", "spouse",
                           "bodyguard", "bodyguards", "aide", "aides", "secretary", "spokesman", "spokeswoman",
                           "spokesperson", "lawyer", "lawyers", "biographer", "successor", "predecessor"})


def _owns_kin_or_aide(doc: Doc, end: int) -> bool:
    """Whether the name ending at `end` is followed by "'s" and, within two words, a noun of KIN_AND_AIDES."""
    if end >= len(doc) or doc[end].text not in {"'s", "’s"}:
        return False
    for j in range(end + 1, min(end + 4, len(doc))):
        if doc[j].lower_ in KIN_AND_AIDES:
            return True
        if doc[j].pos_ not in {"ADJ", "NOUN", "PROPN"}:
            return False
    return False


def _context_votes(doc: Doc, m: Mention, taken: bytearray) -> None:
    """Titles, organisation words, descriptors and speech verbs around a mention vote for its type."""
    if m.source in {"bare", "collective"}:
        return
    lex = lexicon()
    span = doc[m.start : m.end]
    # Titles inside the span ("Mr Halden" tagged ORG) or just before it ("President Varko").
    core = m.start
    while (
        core < m.end - 1
        and doc[core].text.rstrip(".") in lex.titles
        and (m.label == "PERSON" or doc[core].text.rstrip(".") in lex.honorifics)
    ):
        core += 1
    titles_in = [doc[i].text for i in range(m.start, core)]
    titles_out: list[str] = []
    first = m.start
    i = _prev(doc, m.start)
    while i >= 0 and doc[i].text.rstrip(".") in lex.titles and doc[i].text[:1].isupper() and not taken[i]:
        titles_out.insert(0, doc[i].text)
        first = i
        i = _prev(doc, i)
    m.core_start = core
    m.titles = titles_out + titles_in
    m.title_start = first
    if m.titles:
        m.cues["PERSON"] += W_STRONG
    if _owns_kin_or_aide(doc, m.end):
        m.cues["PERSON"] += W_CUE  # "Putin's press secretary", "Halden's wife": only a person has these
    if _al.known_names_on() and m.label not in {"ORG", "PERSON"} and m.form(doc) in _al.institution_keys():
        m.cues["ORG"] += W_STRONG  # "passing to the Lords" tagged as a product: a listed institution
    last = doc[m.end - 1].text
    if _state_name(span, lex):
        m.cues["GPE"] += W_STRONG  # "the Russian Federation", "the People's Republic of China": a state
    elif last in lex.org_heads or (last.casefold() in lex.org_suffixes_cf and len(span) > 1):
        m.cues["ORG"] += W_STRONG
    elif any(t.text in lex.org_heads for t in span[1:]) and m.label != "PERSON":
        m.cues["ORG"] += W_CUE  # "Bureau for Human Rights and Rule of Law"
    after = m.end if m.end < len(doc) else -1
    if (
        after >= 0
        and doc[after].is_lower
        and _prev(doc, m.start) >= 0
        and doc[_prev(doc, m.start)].lower_ == "the"
    ):
        if doc[after].lower_ in lex.trailing_org_words:
            m.cues["ORG"] += W_STRONG  # "the Titan corporation"
        elif doc[after].lower_ in lex.place_nouns:
            m.cues["GPE"] += W_STRONG  # "the Gilan area"
    if len(span) > 1 and span[-1].text in lex.honours:
        m.cues["PERSON"] += W_CUE
    if m.label == "PERSON" and len(span) > 1 and any(len(t.text) >= 3 and _al.is_acronym(t.text) for t in span):
        m.cues["ORG"] += W_STRONG  # "BBC Sport", "ABC Holdings": a person's name holds no acronym
    before = _prev(doc, m.start)
    if (m.label == "PERSON" and not m.titles and before >= 0 and doc[before].lower_ == "the"
            and span.root.dep_ not in {"compound", "nmod", "amod", "poss"}):
        m.cues["ORG"] += W_STRONG  # "the Tote", "the Beatles": no person's bare name takes the article
    root = span.root
    if (root.dep_ in {"poss", "compound"} and root.head.lower_ in ORG_PARTS and root.head.i > root.i
            and not (m.label == "GPE" and _al.is_acronym(span.text))):  # "US shares" are a country's
        m.cues["ORG"] += W_CUE  # "Varko's key production unit", "Velor boss X": only an organisation has one
    if root.dep_ == "nsubj" and root.head.lemma_ in SAY_VERBS:
        m.votes["PERSON"] += W_NER if root.head.i < root.i else W_WEAK  # "..., said X" is a person's way
    if m.label == "GPE" and _prev(doc, m.start) >= 0 and doc[_prev(doc, m.start)].lower_ in LOCATIVE_PREPS:
        m.votes["GPE"] += W_WEAK
    if (m.label == "PERSON" and not m.titles and before >= 0 and doc[before].lower_ == "in"
            and root.dep_ == "pobj" and root.head.i == before and doc[before].head.pos_ in {"VERB", "AUX", "PROPN"}):
        m.cues["GPE"] += W_STRONG  # "lives in Melton Mowbray", "X, in Melton Mowbray, said": a place, not a person
    if m.label == "GPE" and _contest_side(root):
        m.cues["ORG"] += W_CUE  # "the defeat to Ireland", "a match against Charlton": a side, not a place
    if m.label == "GPE" and any(c.isdigit() for c in span.text):
        m.cues["ORG"] += W_STRONG  # "G7", "the G20": a place's name holds no digit; a group's may
    if m.label == "GPE" and _money_source(root) and not _country_like(span.text, lex):
        m.cues["ORG"] += W_CUE  # "received £200,000 from Gazprom": a donor or lender, not a place
    camel = len(span) == 1 and _CAMEL.match(span.text) and not span.text.startswith(("Mc", "Mac"))
    if m.label == "GPE" and camel:
        m.cues["ORG"] += W_CUE  # "PowderJect", "OptInRealBig": a capital inside a word names a brand
    _descriptors(doc, m, taken)
    if m.label not in ACTOR_TYPES:  # a LOC/FAC/PRODUCT name becomes an actor only as an organisation
        m.cues = Counter({"ORG": m.cues["ORG"]}) if m.cues["ORG"] else Counter()


#: Verbs and nouns of taking money from someone: "received £200,000 from X", "a £1m loan from X".
_RECEIVING = frozenset({"receive", "accept", "take", "get", "obtain", "raise", "borrow", "collect", "solicit",
                        "donation", "loan", "gift", "payment", "contribution", "grant", "funding"})


#: Nouns of a contest between sides: the place named as the other side of one is a team ("a defeat to X").
_CONTESTS = frozenset({"match", "defeat", "win", "victory", "draw", "game", "clash", "fixture", "loss", "tie"})


def _contest_side(root: Token) -> bool:
    """Whether a name is the other side of a contest: "defeat to X", "match against X", "victory over X"."""
    prep = root.head
    return (root.dep_ == "pobj" and prep.lower_ in {"to", "against", "over", "at", "with", "by"}
            and prep.head.lower_ in _CONTESTS)


def _country_like(text: str, lex: Lexicon) -> bool:
    """Whether a place name shares its stem with a nationality adjective ("Russia": "Russian", "Norway":
    "Norwegian"): a country, which may give money too."""
    return len(text) >= 4 and any(n.startswith(text[:4]) for n in lex.nationalities)


#: Heads of a state's formal name ("Russian Federation", "Czech Republic", "Republic of Korea").
STATE_HEADS = frozenset({"Federation", "Republic", "Kingdom", "Emirates"})


def _state_name(span: Span, lex: Lexicon) -> bool:
    """Whether a name is a state's formal name: a nationality adjective and a state head ("Russian Federation"),
    or a state head with "of" and a place ("People's Republic of China"), not "Russian Football Federation"."""
    words = [t.text for t in span if t.text not in {"the", "The"}]
    if len(words) == 2 and words[1] in STATE_HEADS and words[0] in lex.nationalities:
        return True
    for i, w in enumerate(words[:-2]):
        if w in STATE_HEADS and words[i + 1] == "of" and (i == 0 or words[i - 1] in {"'s", "’s", "Democratic",
                                                                                    "Islamic", "Arab", "United"}):
            return all(x[:1].isupper() for x in words[i + 2:])
    return False


def _money_source(root: Token) -> bool:
    """Whether a name is where a stated sum comes from: the object of "from" after a verb or noun of receiving
    that carries the sum ("received £200,000 from X", "a £1m loan from X")."""
    prep = root.head
    if root.dep_ != "pobj" or prep.lower_ != "from":
        return False
    taker = prep.head
    if taker.lemma_.casefold() not in _RECEIVING:
        return False
    sums = [t for t in taker.subtree if t.ent_type_ == "MONEY" and not (prep.left_edge.i <= t.i <= prep.right_edge.i)]
    return bool(sums)


def _list_votes(doc: Doc, mentions: list[Mention]) -> None:
    """ "Leicester, Somerset, Dorset and Torbay": names in one list are mostly of one kind, so a majority of
    two or more list-mates of one type votes for it on the odd one out."""
    by_root: dict[int, Mention] = {}
    for m in mentions:
        if m.source == "ner":
            by_root[doc[m.start : m.end].root.i] = m
    for m in list(by_root.values()):
        root = doc[m.start : m.end].root
        mates = [t for t in root.conjuncts if t.i != root.i]
        labels = Counter(by_root[t.i].label for t in mates if t.i in by_root)
        if labels and m.label != "GPE":  # the model's places are reliable; lists move no name to PERSON
            label, n = labels.most_common(1)[0]
            if n >= 2 and 2 * n > labels.total() and label != m.label and label in {"ORG", "GPE"}:
                m.cues[label] += W_CUE


def _descriptors(doc: Doc, m: Mention, taken: bytearray) -> None:
    """Descriptors ("the fugitive oligarch X", "X, a Texas-based company,"): forms and votes; a copula
    complement ("X is the world's largest retailer") votes the same way.

    A descriptor before the name is part of the name's noun phrase, so the phrase with the name is the form
    ("chief executive X", not "chief executive"); one after it, in apposition, is a form of its own and joins
    only an actor of the type its head noun names ("X, the nearest contender", never "X, the money")."""
    lex = lexicon()
    m.premod_start = _premodifier_start(doc, m)
    heads = []
    left = _left_descriptor(doc, m, taken)
    if left is not None:
        a, end, head = left  # the span runs from the descriptor's own first word ("leader X" of "Tory leader X")
        m.descriptors.append((a, m.end))
        # "the fugitive banker" of "the fugitive banker X" stands alone too; "leader" of "Tory leader X" does
        # not, nor "its founder" of "its founder X" (it means something only with its possessor)
        if doc[a].lower_ in ARTICLES and _noun_kind(head, lex):
            m.extra_forms.append(doc[a:end].text)
        heads.append(head)
    relational: set[int] = set()
    for right in (_right_descriptor(doc, m, taken), _comma_descriptor_before(doc, m, taken)):
        if right is None:
            continue
        a, b, head = right
        kind = _noun_kind(head, lex)
        if kind:
            m.descriptors.append((a, b))
            m.descriptor_kind[(a, b)] = kind
        if doc[a].lower_ in _POSSESSIVE_DETS:
            relational.add(len(heads))  # "X, its former banker": a role towards another actor, held by firms too
        heads.append(head)
    root = doc[m.start : m.end].root
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        heads += [c.lemma_.casefold() for c in root.head.children
                  if c.dep_ == "attr" and c.tag_ in {"NN", "NNS"}]
    for n, head in enumerate(heads):
        kind = _noun_kind(head, lex, guess=False)
        if kind:
            m.cues[kind] += W_WEAK if n in relational else W_STRONG


_POSSESSIVE_DETS = frozenset({"its", "their", "his", "her"})
#: Endings of nouns that name a person ("campaigner" is listed; "economist", "politician", "chairwoman").
PERSON_ENDINGS = ("ist", "ian", "man", "woman", "person", "eer")


def _noun_kind(head: str, lex: Lexicon, *, guess: bool = True) -> str:
    """The actor type a descriptor's head noun names: ORG, PERSON, GPE, or "" for a noun that names no actor
    ("money", "threshold", "belief"); with `guess`, person-noun endings count too."""
    if head in lex.org_nouns:
        return "ORG"
    if head in lex.person_nouns or (guess and head.endswith(PERSON_ENDINGS) and len(head) > 5):
        return "PERSON"
    if head in lex.place_nouns:
        return "GPE"
    return ""


#: Dependency labels that end a name's premodifiers: a coordination, a clause or a preposition's phrase.
_PREMOD_STOP = frozenset(
    {"cc", "conj", "punct", "prep", "pobj", "relcl", "acl", "advcl", "mark", "appos", "advmod", "npadvmod",
     "preconj", "nummod", "quantmod"}
)
#: Honorifics that say only a gender; a peer's or knight's title may follow a descriptor ("Tory peer Lord X").
_PLAIN_HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx"})
_QUANTIFIERS = frozenset({"both", "neither", "either", "all", "other", "another", "each", "every", "no", "some"})
#: Entity labels of words that qualify no name ("Yesterday X", "Five X").
_PREMOD_STOP_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY"})


def _premodifier_start(doc: Doc, m: Mention) -> int:
    """First token of the words before a name inside its own noun phrase: "the Tory leader" in "the Tory
    leader Peter Halden", "Ardent Group's managing director" in "Ardent Group's managing director Tim
    Varga" (a name in apposition to the noun just before it). m.start when nothing qualifies it; never
    across a coordination ("Labour leader X and Conservative leader Y": each title to its own name),
    punctuation other than a hyphen or possessive, a line break or a sentence start."""
    root = doc[m.start : m.end].root
    owner = root
    head = root.head
    if root.dep_ == "appos" and head.i < m.start and head.tag_ in {"NN", "NNS", "NNP"} and not any(
        doc[k].is_punct for k in range(head.i + 1, m.start)
    ):
        owner = head
    left, right = owner.left_edge.i, owner.right_edge.i
    a = m.title_start if 0 <= m.title_start < m.start else m.start
    if doc[m.start].is_sent_start or doc[a].text.rstrip(".") in _PLAIN_HONORIFICS:
        return a  # "Mr Halden": nothing before a plain honorific qualifies the name ("the BBC Mr Halden")
    plural_name = doc[m.end - 1].tag_ in {"NNS", "NNPS"}
    j = _prev(doc, a)
    while j >= left and a - j <= 10 and j <= right:
        t = doc[j]
        possessive = t.tag_ == "POS" or t.text in POSSESSIVE
        hyphened = j + 1 < len(doc) and doc[j + 1].tag_ == "HYPH"  # "UK-based", "three-time"
        if "\n" in t.whitespace_ or t.is_space or t.tag_ in {"WDT", "WP", "WP$"}:
            break
        if not hyphened and not possessive and t.tag_ != "HYPH" and (
            t.dep_ in _PREMOD_STOP or t.ent_type_ in _PREMOD_STOP_ENTS
        ):
            break
        if t.pos_ in {"VERB", "AUX"} and t.tag_ not in {"VBN", "VBG"}:
            break
        if t.lower_ in _QUANTIFIERS:
            break  # "Neither Vodafone", "both Tory", "other X": a quantifier picks no one out
        if t.tag_ in {"NNS", "NNPS"} and not plural_name and m.start <= t.head.i < m.end:
            break  # "Greek athletes X", "Presidents X and Y": a plural noun describes a list, not this name
        if not _in_subtree(t, owner):
            break
        a = j
        if t.is_sent_start:
            break
        j = _prev(doc, j)
    while a < m.start and (
        doc[a].is_punct or doc[a].is_space or doc[a].tag_ == "POS" or _glued_to_previous(doc, a)
    ):
        a += 1  # "- Peter Halden": a list dash is no part of the phrase; nor is half a word ("100m")
    return a


def _glued_to_previous(doc: Doc, a: int) -> bool:
    """Whether token a continues the word before it ("m" of "100m")."""
    before = doc[a - 1] if a > 0 else None
    return before is not None and (before.is_alpha or before.like_num) and not before.whitespace_


def _in_subtree(tok: Token, owner: Token) -> bool:
    """Whether `owner` is `tok` or one of its ancestors."""
    return tok.i == owner.i or any(anc.i == owner.i for anc in tok.ancestors)


DETERMINERS = frozenset({"the", "a", "an", "this", "its", "his", "her", "their", "our"})
ARTICLES = frozenset({"the", "a", "an", "this", "that"})
_CAMEL = re.compile(r"[A-Z][a-z]+[A-Z]")


def _left_descriptor(doc: Doc, m: Mention, taken: bytearray) -> tuple[int, int, str] | None:
    """ "the fugitive oligarch X", "investment firm X", "the rogue NGO the X": the noun phrase before."""
    lex = lexicon()
    before = _head_before(doc, m, taken)
    if before is None:
        return None
    i, double_det = before
    head = doc[i]
    if not _descriptor_noun(doc, head, lex) or not _describes_only(doc, m, head, double_det):
        return None
    a, end = _descriptor_start(doc, i, taken, lex), i + 1
    if a >= end:
        return None
    known = head.lower_ in lex.person_nouns or head.lower_ in lex.org_nouns or head.text in lex.org_nouns
    if not known and not (doc[a].lower_ in DETERMINERS or head.lower_ in lex.place_nouns):
        return None  # "outspent Labour": an unknown bare noun before a name is too often no descriptor
    return (a, end, head.lemma_.casefold() if head.is_lower else head.text)


def _head_before(doc: Doc, m: Mention, taken: bytearray) -> tuple[int, bool] | None:
    """The token before a mention and its titles, past a second "the" ("the rogue NGO the X"): (its index,
    whether a "the" was passed); None at a sentence start or when the token belongs to another name."""
    start = m.title_start if 0 <= m.title_start < m.start else m.start
    if doc[start].is_sent_start:
        return None
    i = _prev(doc, start)
    double_det = i >= 0 and doc[i].lower_ == "the"
    if double_det:
        i = _prev(doc, i)
    if i < 0 or taken[i]:
        return None
    return i, double_det


def _descriptor_noun(doc: Doc, head: Token, lex: Lexicon) -> bool:
    """A common noun that can head a descriptor: lower case, or a listed person or organisation noun ("NGO";
    "criminal" is often tagged JJ); not a date or number ("this year"), not the end of a compound ("two-bit")."""
    listed = head.lower_ in lex.person_nouns or head.text in lex.org_nouns
    is_noun = head.is_alpha and (
        (head.tag_ in {"NN", "NNS"} and head.is_lower)
        or (listed and (head.is_lower or head.tag_.startswith("NN")))
    )
    return is_noun and head.ent_type_ not in NON_ACTOR_ENTS and not (head.i > 0 and doc[head.i - 1].tag_ == "HYPH")


def _describes_only(doc: Doc, m: Mention, head: Token, double_det: bool) -> bool:
    """Whether the noun describes this name alone: a plural only a plural name it is not coordinated in ("the
    tycoons X and Y" describes the pair; "fast food giants McDonald's" one firm), and the parse links the two
    unless a second "the" sets the name apart."""
    root = doc[m.start : m.end].root
    plural_name = doc[m.end - 1].text.endswith("s")  # "fast food giants McDonald's", "the rebel Tories"
    if head.tag_ == "NNS" and (
        not plural_name or root.dep_ == "conj" or any(c.dep_ == "conj" for c in root.children)
    ):
        return False
    if head.i + 1 == m.start and head.is_lower and head.lower_ in lexicon().org_nouns and head.tag_ == "NN":
        return True  # "Shares in engineering group X": the parse may hang X elsewhere; the words are adjacent
    return double_det or head.head.i in range(m.start, m.end) or root.head.i == head.i


def _descriptor_start(doc: Doc, i: int, taken: bytearray, lex: Lexicon) -> int:
    """First token of the descriptor headed by token i: back over its modifiers (adjectives, nouns,
    participles, nationalities, "Texas-based") to a determiner, within eight tokens and one sentence."""
    j = _prev(doc, i)
    while j >= 0 and i - j < 8 and taken[j] != 1:
        t = doc[j]
        if t.lower_ in DETERMINERS:
            j -= 1
            break
        lower_ok = t.is_lower or (t.is_sent_start and t.is_title)
        ok = (
            (lower_ok and t.tag_ in {"JJ", "JJR", "JJS", "NN", "NNS", "VBN", "VBG", "RB"})
            or t.tag_ == "HYPH"
            or (t.text in lex.nationalities)
            or (t.ent_type_ == "GPE" and j + 1 < len(doc) and doc[j + 1].tag_ == "HYPH")
        )
        if not ok:
            break
        j -= 1
        if t.is_sent_start:
            break
    a = j + 1
    while a < i + 1 and (doc[a].tag_ == "HYPH" or (doc[a].tag_ == "RB" and doc[a + 1].tag_ != "HYPH")):
        a += 1  # a descriptor starts with no hyphen and no adverb of its own
    return a


def _comma_descriptor_before(doc: Doc, m: Mention, taken: bytearray) -> tuple[int, int, str] | None:
    """ "Dalen's lawyer, Petra Anvik, said": a noun phrase the name stands in apposition to, before it
    and set off by a comma (the parse states the link); its head is a common noun, its phrase ends at the comma."""
    root = doc[m.start : m.end].root
    head = root.head
    if root.dep_ != "appos" or head.i >= m.start or not head.is_lower or head.tag_ not in {"NN", "NNS"}:
        return None
    comma = _prev(doc, m.start)
    if comma > 0 and doc[comma].lower_ in LEADING_DROP:
        comma = _prev(doc, comma)  # "the sanctions regulator, the Office of ..."
    if comma != head.i + 1 or doc[comma].text != ",":
        return None
    if head.tag_ == "NNS" and doc[m.end - 1].tag_ not in {"NNS", "NNPS"}:
        return None
    a = head.left_edge.i
    while a < head.i and (doc[a].is_punct or doc[a].is_space):
        a += 1
    if head.i + 1 - a > 10 or 1 in taken[head.i : head.i + 1] or head.ent_type_ in NON_ACTOR_ENTS:
        return None
    if any(doc[k].is_punct and doc[k].tag_ not in {"HYPH", "POS"} for k in range(a, head.i)):
        return None
    return (a, head.i + 1, head.lemma_.casefold())


def _right_descriptor(doc: Doc, m: Mention, taken: bytearray) -> tuple[int, int, str] | None:
    """ "X, the nearest contender,", "X, a California-based company, ...": an appositive after a name."""
    if m.end + 1 >= len(doc) or doc[m.end].text != ",":
        return None
    root = doc[m.start : m.end].root
    for child in root.children:
        plural_ok = doc[m.end - 1].tag_ in {"NNPS", "NNS"}  # "X and Y, the firms," describes both, not Y
        if child.dep_ != "appos" or child.i <= m.end or not child.is_lower:
            continue
        if child.tag_ != "NN" and not (child.tag_ == "NNS" and plural_ok):
            continue
        sub = list(child.subtree)
        a = sub[0].i
        b = child.i + 1
        for t in sub:
            if t.i > child.i:
                if t.text in {",", ";", ":", "(", "—", "–"} or t.lower_ in {"who", "which", "that", "whose"}:
                    break
                if t.pos_ in {"VERB", "AUX"}:
                    break  # "a sequencer designed to ...": the descriptor ends before a clause
                b = t.i + 1
        while a < b and (doc[a].tag_ == "RB" or doc[a].is_punct or doc[a].is_space):
            a += 1
        first = m.end + 1
        while first < a and (doc[first].tag_ == "RB" or doc[first].is_space):
            first += 1
        if a >= b or b - a > 10 or a != first or 1 in taken[child.i : b] or child.ent_type_ in NON_ACTOR_ENTS:
            continue
        return (a, b, child.lemma_.casefold())
    return None


# --- from mention groups to clusters ----------------------------------------------------------------------


def _finish(doc: Doc, groups: list[list[Mention]], mask: _Mask, taken: bytearray) -> list[ActorCluster]:
    """Vote each group's type, add its untagged repeats, pick name and aliases, number by first mention."""
    typed: list[tuple[str, list[Mention]]] = []
    for group in groups:
        for ms in _split_genders(doc, group):
            _surname_use(doc, ms)
            etype = _al.decide(ms)
            if not etype or not any(m.source in {"ner", "collective", "acronym"} for m in ms):
                continue
            if all(m.title_part for m in ms if m.source != "bare"):
                continue
            if all(_modifier_only(doc, m) for m in ms if m.source != "bare"):
                continue  # "the MacWorld conference", "its Jaguar brand": a name that only qualifies a thing
            if etype == "PERSON" and _unsupported_single_name(doc, ms):
                votes = Counter[str]()
                for m in ms:
                    votes.update(m.votes)
                if (not votes["ORG"] or votes["ORG"] < votes["PERSON"]) and not _org_shaped_word(doc, ms):
                    continue
                etype = "ORG"  # "Labour", tagged PERSON as often as ORG: no lone first name, so the organisation
            typed.append((etype, ms))
    _al.more_mentions(doc, typed, mask.hits)
    for n, (etype, ms) in enumerate(typed):
        for m in ms:
            if m.source == "scan":
                _descriptors(doc, m, taken)  # "the fugitive criminal X", where the NER missed X
        if etype == "GPE":
            # "Dutch retailer X", "X is the world's largest retailer": the untagged repeats of a name the
            # model took for a place may show it is a company; otherwise they are dropped
            retyped = _al.decide(ms)
            if retyped in {"ORG", "PERSON"}:
                typed[n] = (retyped, ms)
            else:
                ms[:] = [m for m in ms if m.source != "scan"]
    clusters: list[ActorCluster] = []
    for etype, ms in typed:
        ms.sort(key=lambda m: m.start)
        name = _name(doc, etype, ms)
        for m in ms:  # a descriptor reaching into page furniture is dropped with it
            m.descriptors = [(a, b) for a, b in m.descriptors if not mask.hits(doc[a].idx, _end_char(doc, b))]
        for m in ms:  # an appositive descriptor joins an actor of the type its head noun names
            m.descriptors = [d for d in m.descriptors if m.descriptor_kind.get(d, etype) == etype]
        spans = {(m.start, m.end) for m in ms} | {d for m in ms for d in m.descriptors}
        forms: list[str] = []
        for m in ms:
            # the text's own forms: each mention, with the words that qualify it ("Mr Halden", "Tory leader
            # Peter Halden"); a core never written alone ("Halden" of "Mr Halden") is no form of the text
            forms.append(doc[m.start : m.end].text)
            premod = _qualified_start(m)
            if premod < m.start:
                forms.append(doc[premod : m.end].text)
            forms.extend(m.extra_forms)
            # a descriptor inside the name's noun phrase is in its premodified form; one in apposition is its own
            forms.extend(doc[a:b].text for a, b in m.descriptors if (a, b) in m.descriptor_kind)
        name = " ".join(name.split())
        seen = {name.casefold()}
        aliases = []
        for f in forms:
            f = " ".join(f.split())  # a no-break space or line break inside a form becomes one space
            if f and f.casefold() not in seen:
                seen.add(f.casefold())
                aliases.append(f)
        clusters.append(
            ActorCluster(
                id="", type=etype, name=name, aliases=aliases, spans=[doc[a:b] for a, b in sorted(spans)]
            )
        )
    clusters.sort(key=lambda c: c.spans[0].start)
    for n, c in enumerate(clusters, 1):
        c.id = f"e{n}"
    return clusters


def _modifier_only(doc: Doc, m: Mention) -> bool:
    """Whether a mention only qualifies a common noun that names no actor or part of one ("the MacWorld
    conference", "BitTorrent technology", "the Islington hotel"): such a name is a product, event or place
    more often than an actor; one with a title, a descriptor or a watch-list entry is kept."""
    if m.gaz or m.titles:
        return False
    before = _prev(doc, m.start)
    if before >= 0 and doc[before].lower_ in {"the", "a", "an"}:
        before = _prev(doc, before)  # "boxing show The Next Great Champ"
    if before >= 0 and doc[before].is_lower and doc[before].lower_ in THING_NOUNS:
        return True  # "its programme Fear Factor", "the anabolic steroid X": a thing's name
    if m.descriptors or any(m.cues.values()):
        return False
    if _al.is_acronym(doc[m.start : m.end].text) or (m.label == "PERSON" and m.end - m.start > 1):
        return False  # "BBC interview", "EU rules": an acronym or a full name is named as itself
    if _al.known_names_on() and m.form(doc) in _al.known_names():
        return False  # "Tory plans": a party or union of the general-knowledge list
    root = doc[m.start : m.end].root
    head = root.head
    if root.dep_ not in {"compound", "nmod", "amod"} or head.i < m.end or head.tag_ not in {"NN", "NNS"}:
        return False
    if not head.is_lower or any(doc[k].tag_ in {"NN", "NNS"} and doc[k].is_lower for k in range(m.end, head.i)):
        return False  # "Yukos oil production": the name qualifies an inner noun; let others judge
    lex = lexicon()
    noun = head.lower_
    kinds = (lex.org_nouns, lex.person_nouns, lex.place_nouns, lex.collective_heads, lex.trailing_org_words, ORG_PARTS,
             MEMBER_TITLES)
    return not any(noun in k or head.lemma_ in k for k in kinds) and noun.title() not in lex.titles


def _surname_use(doc: Doc, ms: list[Mention]) -> None:
    """ "Ilse Marrow ... Marrow said": a name whose last word is used alone is a person's (companies are
    shortened by their first word: "Hollis" of "Hollis Brothers"), whatever the model tagged the repeats; a
    person cue, once per group, when some mention was tagged PERSON and nothing marks an organisation."""
    if any(m.cues.get("ORG", 0) for m in ms):
        return
    full = [m for m in ms if m.source == "ner" and len(m.form(doc)) > 1]
    for last in {m.form(doc)[-1] for m in full}:
        alone = [m for m in ms if m.source == "ner" and m.form(doc) == (last,)]
        people = sum(m.label == "PERSON" for m in alone)
        tagged = any(m.label == "PERSON" for m in full if m.form(doc)[-1] == last)
        if alone and (tagged or 2 * people > len(alone)):  # the model took the full name or its repeats for one
            ms[0].cues["PERSON"] += W_CUE
            return


def _qualified_start(m: Mention) -> int:
    """Start of a mention's longest own form: its premodifiers, else its titles, else the mention."""
    starts = [x for x in (m.premod_start, m.title_start) if 0 <= x < m.start]
    return min(starts) if starts else m.start


#: Nouns that, possessed by a name, say it is the other spouse ("Peter Halden's wife, Anna").
_SPOUSES = {"wife": "m", "widow": "m", "husband": "f", "widower": "f"}
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}


def _split_genders(doc: Doc, ms: list[Mention]) -> list[list[Mention]]:
    """ "Mrs Halden" is not "Mr Halden": when titles of both genders name one surname, each gender's titled
    mentions are a person of their own, and the untitled ones ("Peter Halden") join the gender the text gives
    them: a pronoun after the name in its sentence, a spouse it is said to have ("X's wife"), else the first
    titled form after it (or, with none after, the first in the text)."""
    gender = lexicon().title_gender
    genders = [gender.get(m.titles[-1].rstrip(".")) if m.titles else None for m in ms]
    counts = Counter(g for g in genders if g)
    if len(counts) < 2:
        return [ms]
    untitled = [m for m, g in zip(ms, genders, strict=True) if g is None]
    groups = {one: [m for m, g in zip(ms, genders, strict=True) if g == one] for one in sorted(counts)}
    if untitled:
        own = _stated_gender(doc, untitled)
        if own is None:
            first = min((m for m in untitled), key=lambda m: m.start).start
            titled = sorted((m.start, g) for m, g in zip(ms, genders, strict=True) if g)
            own = next((g for start, g in titled if start > first), titled[0][1])
        groups[own] = sorted(groups[own] + untitled, key=lambda m: m.start)
    return list(groups.values())


def _stated_gender(doc: Doc, ms: list[Mention]) -> str | None:
    """The gender the text gives untitled mentions of a name: one pronoun gender after a mention in its sentence
    ("Peter Halden said he ..."), or a spouse ("Peter Halden's wife"); None when it gives none or both."""
    spouse: set[str] = set()
    said: set[str] = set()
    for m in ms:
        root = doc[m.start : m.end].root
        if root.dep_ == "poss":
            owned = root.head if root.head.dep_ not in {"compound", "amod"} else root.head.head
            if owned.lower_ in _SPOUSES:
                spouse.add(_SPOUSES[owned.lower_])  # the stated link outweighs pronouns
        sent = doc[m.start].sent
        said |= {_PRONOUN_GENDER[t.lower_] for t in doc[m.end : sent.end] if t.lower_ in _PRONOUN_GENDER}
    for evidence in (spouse, said):
        if len(evidence) == 1:
            return next(iter(evidence))
    return None


def _org_shaped_word(doc: Doc, ms: list[Mention]) -> bool:
    """Whether a lone word the model took for a person reads as an organisation: written with a digit or in
    capitals ("MI6", "G8"), or named again and again and never as a place ("in X", "for X") would be."""
    text = doc[ms[0].start : ms[0].end].text
    if any(c.isdigit() for c in text) or _al.is_acronym(text):
        return True
    if len(ms) < 2:
        return False
    for m in ms:
        i = _prev(doc, m.start)
        if i >= 0 and doc[i].lower_ in LOCATIVE_PREPS | {"for", "of", "at"}:
            return False
    return True


def _unsupported_single_name(doc: Doc, ms: list[Mention]) -> bool:
    """A one-word PERSON never given a full name, a title or a describing noun is usually a mis-tag
    ("Oscar", a place, a product); annotation.md wants named people."""
    if any(m.titles or m.cues.get("PERSON", 0) > 0 or m.gaz for m in ms):
        return False
    return all(len(m.form(doc)) <= 1 for m in ms)


def _name(doc: Doc, etype: str, ms: list[Mention]) -> str:
    """The gazetteer's name, else the fullest proper form: most words, then most letters ("Liberal Democrats"
    over "Lib Dems"), not an acronym or a web address when a longer form exists, first seen on ties."""
    lex = lexicon()
    listed = next((m.gaz for m in ms if m.gaz), "")
    if listed:
        return listed  # a watch-list actor keeps its listed name, whichever alias the text used
    best, best_score = "", (-1, -1, -1)
    for n, m in enumerate(ms):
        if m.source == "bare":
            continue
        text = m.core(doc)
        ws = text.split()
        while etype == "PERSON" and len(ws) > 1 and ws[-1] in lex.honours:
            ws = ws[:-1]
        text = " ".join(ws) if etype == "PERSON" else text
        score = (0 if _al.is_acronym(text) or _al.is_domain(text) else 1, len(_al.words(text)), len(text))
        if score > best_score or (score == best_score and n == 0):
            best, best_score = text, score
    if not best:
        best = doc[ms[0].start : ms[0].end].text
    if etype == "PERSON":  # "Lord Fenwick", "Sir Christopher X": peerage and royal titles belong to the name
        for m in ms:
            kept = [t for t in m.titles if t in lex.keep_titles]
            if kept and (len(best.split()) == 1 or " ".join(m.core(doc).split()) == best):
                return f"{kept[-1]} {best}"
    return best
