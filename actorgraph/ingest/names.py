"""Name keys for cross-document resolution: what two names of one type must share to count as the same actor.

Built on `actorgraph.ids.normalize_name` (so keys and ids see the same folding) and the word lists of
`patterns/entities_*.txt` (titles, honours, organisation suffixes), read through `aliases.lexicon()`. Fuzzy
scores come from rapidfuzz; the FollowTheMoney normalisers are not used (they need an ICU build).
"""

from __future__ import annotations

from functools import cache
from typing import Final

from rapidfuzz import fuzz

from actorgraph.ids import normalize_name
from actorgraph.ingest.aliases import initials, is_acronym, lexicon

#: Suffixes that only state a legal form: "Acme Holdings Ltd" and "Acme Holdings" are one name. The other
#: suffixes of entities_org_suffixes.txt ("group", "party", "holdings", ...) only make a short form ("Labour"
#: for "Labour Party"), which joins only when it fits exactly one organisation.
LEGAL_SUFFIXES: Final = frozenset(
    {
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "llc",
        "llp",
        "lp",
        "sa",
        "ag",
        "gmbh",
        "nv",
        "bv",
        "spa",
    }
)
#: Titles that precede a first name ("Prince Charles", "King Abdullah", "Sir Alex"): stripped only when at
#: least two words of the name remain, so "Prince Charles" never becomes the surname "Charles".
FIRST_NAME_TITLES: Final = frozenset(
    {
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "sheikh",
        "sheik",
        "emir",
        "tsar",
        "sultan",
        "duke",
        "duchess",
        "earl",
        "count",
        "countess",
        "crown",
        "lord",
        "lady",
        "sir",
        "dame",
        "baroness",
        "baron",
        "viscount",
    }
)
FUZZY_PERSON: Final = (
    90.0  # rapidfuzz ratio for the one differing word of two person names ("Mohamed"/"Mohammed")
)
FUZZY_OTHER: Final = 85.0  # ... of two organisation or place names ("Defence"/"Defense", "Telekom"/"Telecom")
FUZZY_MIN_LEN: Final = 5  # shorter words never match fuzzily ("Jon"/"Jan" are two people)


@cache
def _titles() -> frozenset[str]:
    return frozenset(t.casefold() for t in lexicon().titles)


@cache
def _descriptive_suffixes() -> frozenset[str]:
    return lexicon().org_suffixes_cf - LEGAL_SUFFIXES


def _join_letters(words: list[str]) -> list[str]:
    """ "u s" (from "U.S.") -> "us": a name spelled as single letters is one acronym word."""
    if len(words) > 1 and all(len(w) == 1 for w in words):
        return ["".join(words)]
    return words


@cache
def core_words(entity_type: str, name: str) -> tuple[str, ...]:
    """The words that identify an actor of this type: titles and honours dropped from person names, legal-form
    suffixes from organisation names ("President George W. Bush" -> george w bush, "Yukos Oil Co" -> yukos
    oil)."""
    words = _join_letters(normalize_name(name).split())
    if entity_type == "PERSON":
        titles, honours = _titles(), lexicon().honours_cf
        while len(words) > 1 and words[0] in titles:
            if words[0] in FIRST_NAME_TITLES and len(words) == 2:
                break
            words = words[1:]
        while len(words) > 1 and words[-1] in honours:
            words = words[:-1]
    elif entity_type == "ORG":
        while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
            words = words[:-1]
    return tuple(words)


def name_key(entity_type: str, name: str) -> str:
    """Names of one type with equal keys are one actor ("Mr Ebbers" and "Ebbers"; "Acme Ltd" and "ACME")."""
    return " ".join(core_words(entity_type, name))


def org_stem(key: str) -> str:
    """An organisation key without its descriptive suffixes ("labour party" -> "labour"); the key if none."""
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
    """Initials of a full name's content words ("Open Dialogue Foundation" -> {"odf"}); empty for one word."""
    return initials(_join_letters(normalize_name(name).split()))


def fuzzy_twins(entity_type: str, a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two keys of equal length that differ in exactly one word, spelled almost alike (a rapidfuzz ratio).

    Conservative on purpose: person names need a 90 ratio and a word of 5+ letters, and a word that merely
    extends the other ("Paul"/"Paula", "Christophe"/"Christopher") never matches, since it names someone else.
    """
    if len(a) != len(b) or len(a) < 2:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    if min(len(x), len(y)) < FUZZY_MIN_LEN or x.isdigit() or y.isdigit():
        return False
    if x.startswith(y) or y.startswith(x):
        plural = {x.removesuffix("s"), x.removesuffix("es")} & {y, y.removesuffix("s")}
        return entity_type != "PERSON" and bool(plural)
    threshold = FUZZY_PERSON if entity_type == "PERSON" else FUZZY_OTHER
    return fuzz.ratio(x, y) >= threshold
