"""Name keys for cross-document resolution: what two names of one type must share to count as the same actor.

Built on `actorgraph.ids.normalize_name` (so keys and ids see the same folding) and the word lists of
`extract/patterns/entities_*.txt` (titles, honours, organisation suffixes and their flags), read through
`actorgraph.extract.lexicon`. Fuzzy
scores come from rapidfuzz; the FollowTheMoney normalisers are not used (they need an ICU build).
"""

from __future__ import annotations

from functools import cache
from typing import Final

from rapidfuzz import fuzz

from actorgraph.extract.aliases import initials, is_acronym
from actorgraph.extract.lexicon import lexicon
from actorgraph.ids import normalize_name
from actorgraph.resolve.equivalences import equivalences

#: Suffixes that only state a legal form (flag "legal" of entities_org_suffixes.txt): "Acme Holdings Ltd" and
#: "Acme Holdings" are one name. The other suffixes ("group", "party", "holdings", ...) only make a short form
#: ("Labour" for "Labour Party"), which joins only when it fits exactly one organisation.
LEGAL_SUFFIXES: Final = lexicon().legal_suffixes_cf
#: Titles that precede a first name (flag "first_name" of entities_titles.txt: "Prince Aurel", "Sir Alex"):
#: stripped only when at least two words of the name remain, so "Prince Aurel" never becomes "Aurel".
FIRST_NAME_TITLES: Final = lexicon().first_name_titles_cf
#: Generational suffixes name a different person ("Hank Williams Jr." is not "Hank Williams"): never dropped.
GENERATIONAL: Final = lexicon().generational_cf
FUZZY_PERSON: Final = 85.0  # rapidfuzz ratio, the differing word of two person names ("Mohamed"/"Mohammed")
FUZZY_OTHER: Final = 85.0  # ... of organisation or place names ("Defence"/"Defense", "Telekom"/"Telecom")
FUZZY_MIN_LEN: Final = 5  # shorter words never match fuzzily ("Jon"/"Jan" are two people)
FUZZY_SINGLE: Final = 90.0  # ... of two one-word organisation names
FUZZY_SINGLE_MIN_LEN: Final = 8  # ... each at least this long


@cache
def _titles() -> frozenset[str]:
    return frozenset(t.casefold() for t in lexicon().titles)


#: Descriptive suffixes that name the organisation itself ("Labour Party" is Labour, "Menatep Group" Menatep);
#: the others of the suffix list ("capital", "finance", "international", "website") name a part of it or a
#: subsidiary ("Barclays Capital" is not Barclays), so they make no short form.
SELF_SUFFIXES: Final = frozenset({"party", "group", "company", "holdings", "holding"})


@cache
def _descriptive_suffixes() -> frozenset[str]:
    return (lexicon().org_suffixes_cf - LEGAL_SUFFIXES) & SELF_SUFFIXES


@cache
def _person_nouns() -> frozenset[str]:
    return frozenset(w.casefold() for w in lexicon().person_nouns)


@cache
def _generic_words() -> frozenset[str]:
    lex = lexicon()
    words = lex.org_heads | lex.org_nouns | lex.collective_heads | lex.person_nouns | lex.not_actor_heads
    folded = {w.casefold() for w in words}
    return frozenset(folded | {w + "s" for w in folded} | {w[:-1] for w in folded if w.endswith("s")})


def is_generic(key: str) -> bool:
    """A one-word key that is a common noun of the word lists ("union", "parliament", "court", "manager"): not
    a name, so it never joins another actor by a short-form rule."""
    return " " not in key and key in _generic_words()


_LIST_SEPARATORS: Final = (",", ";", " or ", " v ", " vs ", " versus ", " v. ", " vs. ")


def is_list_name(name: str) -> bool:
    """A name that reads as two names ("Arsenal or Sheffield United", "Brentford v Manchester United"): an
    extraction slip that must not attract the short names inside it."""
    text = f" {name.casefold()} "
    return any(sep in text for sep in _LIST_SEPARATORS)


def _join_letters(words: list[str]) -> list[str]:
    """ "u s" (from "U.S.") -> "us": a name spelled as single letters is one acronym word."""
    if len(words) > 1 and all(len(w) == 1 for w in words):
        return ["".join(words)]
    return words


@cache
def core_words(entity_type: str, name: str) -> tuple[str, ...]:
    """The words that identify an actor of this type: titles and honours dropped from person names, legal-form
    suffixes from organisation names ("President Jan W. Kowal" -> jan w kowal, "Varko Oil Co" -> varko
    oil)."""
    words = _join_letters(normalize_name(name).split())
    if entity_type == "PERSON":
        titles, nouns, honours = _titles(), _person_nouns(), lexicon().honours_cf
        while len(words) > 1 and (words[0] in titles or (words[0] in nouns and len(words) > 2)):
            if words[0] in FIRST_NAME_TITLES and len(words) == 2:
                break
            words = words[1:]
        while len(words) > 1 and words[-1] in honours and words[-1] not in GENERATIONAL:
            words = words[:-1]
    elif entity_type == "ORG":
        if len(words) > 2:  # "Securities & Exchange Commission": the folding drops "&", so "and" goes too
            words = [w for i, w in enumerate(words) if w != "and" or i in (0, len(words) - 1)]
        while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
            if words[-1] == "co" and len(words) == 2:  # "Notts Co" is Notts County
                break
            words = words[:-1]
    return tuple(words)


def _all_common(words: tuple[str, ...]) -> bool:
    """Whether every word is a common noun of the word lists or a small joining word ("court of appeal")."""
    return bool(words) and all(w in _generic_words() or w in _JOINING for w in words) and words[0] not in _JOINING


_JOINING: Final = frozenset({"of", "for", "and", "the", "on", "in"})


def canonical_words(entity_type: str, words: tuple[str, ...], acronym_head: bool = False) -> tuple[str, ...]:
    """Core words as the equivalences in force read them: an informal name's canonical words ("tories" ->
    conservative party); an organisation's leading acronym expanded in longer names (`acronym_head`: "UN
    Development Programme" -> united nations development programme, while "Congress Party" keeps its words);
    a leading country word made canonical before common nouns ("british government" -> uk government); the
    words themselves otherwise."""
    eq = equivalences(core_words)
    found = eq.names.get((entity_type, words))
    if found is not None:
        return found
    if (entity_type, words) in eq.canonical:
        return words
    if acronym_head and entity_type == "ORG" and len(words) >= 2 and (expanded := eq.names.get(("ORG", words[:1]))):
        return expanded + words[1:]  # "UN Development Programme" = United Nations Development Programme
    if entity_type != "PERSON":
        for size in (2, 1):
            head, rest = words[:size], words[size:]
            if len(words) > size and head in eq.words and _all_common(rest):
                return eq.words[head] + rest
    return words


def name_key(entity_type: str, name: str) -> str:
    """Names of one type with equal keys are one actor ("Mr Halden" and "Halden"; "Acme Ltd" and "ACME"; an
    informal name and its canonical one by the equivalences, "Tories" and "Conservative Party")."""
    return " ".join(canonical_words(entity_type, core_words(entity_type, name), starts_with_acronym(name)))


def starts_with_acronym(name: str) -> bool:
    """Whether a name of two or more words begins with an acronym ("UN Development Programme", "U.N. envoy")."""
    words = name.split()
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    return len(words) > 1 and bool(acronym(words[0]))


def names_a_part(short: str, long: str) -> bool:
    """Whether the long organisation key is the short one plus a suffix naming a part or a subsidiary of it
    ("barclays capital", "acme finance"): the short name is then the parent, never a short form of it."""
    rest = long.removeprefix(short + " ") if long.startswith(short + " ") else ""
    words = rest.split()
    suffixes = lexicon().org_suffixes_cf - LEGAL_SUFFIXES - SELF_SUFFIXES
    return bool(words) and all(w in suffixes for w in words)


def org_stem(key: str) -> str:
    """An organisation key without the suffixes that name the organisation itself ("labour party" -> "labour";
    "barclays capital" stays); the key if none."""
    words = key.split()
    suffixes = _descriptive_suffixes()
    while len(words) > 1 and words[-1] in suffixes:
        words = words[:-1]
    return " ".join(words)


def acronym(name: str) -> str:
    """Lower-case letters of a name written as an acronym ("ODF", "U.S." -> "us"); "" for other names."""
    text = name.strip()
    if text.casefold().startswith("the "):
        text = text[4:].strip()
    return text.replace(".", "").replace("&", "").lower() if is_acronym(text) else ""


def name_initials(name: str) -> set[str]:
    """Initials of a full name's content words ("Open Dialogue Foundation" -> {"odf"}); empty for one word,
    for names with one-letter words ("C Jones" is no "CJ") and names holding an acronym ("IRB Rugby Aid")."""
    if any(len(w) > 1 and w.isupper() for w in name.split()):
        return set()
    words = _join_letters(normalize_name(name).split())
    if any(len(w) < 2 for w in words):
        return set()
    return initials(words)


@cache
def _org_words() -> frozenset[str]:
    lex = lexicon()
    return frozenset(w.casefold() for w in lex.org_heads | lex.org_nouns)


def is_org_like(name: str) -> bool:
    """Whether a name holds an organisation word ("Association", "Foundation", "Ministry", "League"): what an
    acronym can be expanded to by initials alone ("Newcastle Brown Ale" is no "NBA")."""
    return any(w in _org_words() for w in normalize_name(name).split())


def last_word(name: str) -> str:
    """The last whitespace-separated word of a name, normalised ("Simpson-Daniel" -> "simpson daniel")."""
    parts = name.split()
    return normalize_name(parts[-1]) if parts else ""


def is_place_word(key: str) -> bool:
    """A nationality or demonym ("british", "kazakh"): never a surname on its own."""
    return key in lexicon().nationalities_cf


@cache
def _title_gender() -> dict[str, str]:
    return {t.casefold(): g for t, g in lexicon().title_gender.items()}


def title_gender(form: str) -> str:
    """The gender a form's leading honorific states ("Mrs Kowal" -> "f", "Sir Ian" -> "m"), else ""."""
    words = form.replace(".", " ").split()
    return _title_gender().get(words[0].casefold(), "") if len(words) >= 2 else ""


def fuzzy_twins(entity_type: str, a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two keys of equal length that differ in exactly one word, spelled almost alike (a rapidfuzz ratio).

    Conservative on purpose: person names need the FUZZY_PERSON ratio (or a transposition) and a word of
    FUZZY_MIN_LEN letters or more; a differing surname must keep its length or only double a letter
    ("Kovalenko"/"Kowalenko", "Marlow"/"Marllow", never "Marlowe"/"Marlow"); and a word that merely
    extends the other ("Paul"/"Paula", "Christophe"/"Christopher") never matches, since it names someone else.
    """
    if len(a) != len(b) or len(a) < 2:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    if (x.startswith(y) or y.startswith(x)) and _all_common(a):
        return False  # "Court of Appeal" and "Court of Appeals" are two countries' courts, not a plural
    if entity_type == "PERSON" and x == a[-1] and len(x) != len(y) and not _doubled(x, y):
        return False  # surnames a letter longer or shorter are other families ("Marlowe", "Marlow")
    return fuzzy_words(entity_type, x, y)


def _doubled(x: str, y: str) -> bool:
    """One word is the other with a letter doubled ("Waggoner", "Wagoner"): a spelling slip."""
    long, short = (x, y) if len(x) > len(y) else (y, x)
    return len(long) == len(short) + 1 and any(
        long[i] == long[i + 1] and long[:i] + long[i + 1 :] == short for i in range(len(long) - 1)
    )


def fuzzy_words(entity_type: str, x: str, y: str) -> bool:
    """Two words spelled almost alike (a rapidfuzz ratio), both of FUZZY_MIN_LEN letters or more, neither
    merely extending the other ("Paul"/"Paula" name two people; a plural does match an organisation)."""
    if min(len(x), len(y)) < FUZZY_MIN_LEN or x.isdigit() or y.isdigit():
        return False
    if x.startswith(y) or y.startswith(x):
        plural = {x.removesuffix("s"), x.removesuffix("es")} & {y, y.removesuffix("s")}
        return entity_type != "PERSON" and bool(plural)
    threshold = FUZZY_PERSON if entity_type == "PERSON" else FUZZY_OTHER
    return fuzz.ratio(x, y) >= threshold or _transposed(x, y)


def _transposed(x: str, y: str) -> bool:
    """The same letters in another order, first and last kept, in words of 6+ letters ("Mihkail",
    "Khordokovsky"): a typing slip, not another name."""
    return len(x) == len(y) >= 6 and x[0] == y[0] and x[-1] == y[-1] and sorted(x) == sorted(y)


def fuzzy_single(entity_type: str, x: str, y: str) -> bool:
    """Two one-word organisation names that are one typo apart ("DaimlerChrylser"): long words only
    (FUZZY_SINGLE_MIN_LEN), the same first letters, a high ratio; never people or places (too many are
    near-alike)."""
    if entity_type != "ORG" or min(len(x), len(y)) < FUZZY_SINGLE_MIN_LEN or x[:3] != y[:3]:
        return False
    return fuzz.ratio(x, y) >= FUZZY_SINGLE and not (x.startswith(y) or y.startswith(x))
