"""The word lists of `patterns/*.txt`, read through one loader and cached per process.

Every list file holds one entry per line; blank lines and lines starting with "#" (which say what the list is
for) are skipped. Some files follow a word with flags ("Sir keep honorific male first_name knighthood"):
properties another rule needs, kept on the word's own line so that a sub-list can never drift from its list.
Grammar stays in code (dependency labels, tags, punctuation, English function words); knowledge about names
and news wording lives in these files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType

from actorgraph.errors import PatternError

#: The folder of the pattern files (relations*.jsonl and cues*.jsonl are globbed here).
PATTERNS = Path(__file__).resolve().parent / "patterns"


@cache
def entries(name: str) -> tuple[tuple[int, str], ...]:
    """(line number, stripped line) of every entry of `patterns/<name>`: comments and blank lines skipped."""
    lines = files("actorgraph.extract").joinpath("patterns", name).read_text(encoding="utf-8").splitlines()
    return tuple(
        (number, line.strip())
        for number, line in enumerate(lines, 1)
        if line.strip() and not line.lstrip().startswith("#")
    )


def word_list(name: str) -> frozenset[str]:
    """The entries of a plain word list, as written (case kept)."""
    return frozenset(line for _, line in entries(name))


def flagged_words(name: str, allowed: frozenset[str]) -> dict[str, frozenset[str]]:
    """word -> its flags, for a list whose lines are a word and optional flags; an unknown flag is an error."""
    out: dict[str, frozenset[str]] = {}
    for number, line in entries(name):
        word, *flags = line.split()
        unknown = set(flags) - allowed
        if unknown:
            raise PatternError(
                f"{name}:{number}: unknown flag(s) {', '.join(sorted(unknown))} (use {', '.join(sorted(allowed))})"
            )
        out[word] = frozenset(flags)
    return out


def _with(table: Mapping[str, frozenset[str]], flag: str) -> frozenset[str]:
    return frozenset(w for w, flags in table.items() if flag in flags)


def _folded(ws: frozenset[str]) -> frozenset[str]:
    return frozenset(w.casefold() for w in ws)


TITLE_FLAGS = frozenset({"keep", "honorific", "male", "female", "first_name", "knighthood"})
HONOUR_FLAGS = frozenset({"generational"})
ORG_SUFFIX_FLAGS = frozenset({"legal", "extends", "describes"})
ORG_HEAD_FLAGS = frozenset({"party"})
COLLECTIVE_FLAGS = frozenset({"leader"})


@dataclass(frozen=True)
class Lexicon:
    """The shared word lists of patterns/entities_*.txt, and the sub-lists their flags mark."""

    titles: frozenset[str]
    honorifics: frozenset[str]  # titles that only ever precede a person
    keep_titles: frozenset[str]  # titles that are part of a British name ("Lord X", "Sir X")
    title_gender: Mapping[str, str]  # "Mr" -> "m", "Mrs" -> "f"
    first_name_titles_cf: frozenset[str]  # "prince", "king", "sir": followed by a first name
    knighthood_titles: frozenset[str]  # "Sir", "Dame": "Sir John" is the first name of "Sir John Pellow"
    honours: frozenset[str]
    honours_cf: frozenset[str]
    generational_cf: frozenset[str]  # "jr", "sr": name a different person, never dropped by resolution
    nationalities: frozenset[str]
    nationalities_cf: frozenset[str]  # with religions: words that are never an actor alone
    religions: frozenset[str]
    org_heads: frozenset[str]
    party_heads: frozenset[str]  # plural heads that name parties ("Democrats", "Greens")
    org_suffixes_cf: frozenset[str]
    legal_suffixes_cf: frozenset[str]  # suffixes that only state a legal form ("ltd", "plc")
    name_extenders: frozenset[str]  # lower-case words joining "the Acme corporation" into one name
    trailing_org_words: frozenset[str]  # lower-case words that mark "the Titan group" an organisation
    org_nouns: frozenset[str]
    person_nouns: frozenset[str]
    place_nouns: frozenset[str]
    collective_heads: frozenset[str]
    leader_heads: frozenset[str]  # collectives a leader's name may qualify ("the Kowal administration")
    not_actor_heads: frozenset[str]


@cache
def lexicon() -> Lexicon:
    """Load the shared word lists once per process."""
    titles = flagged_words("entities_titles.txt", TITLE_FLAGS)
    honours = flagged_words("entities_honours.txt", HONOUR_FLAGS)
    suffixes = flagged_words("entities_org_suffixes.txt", ORG_SUFFIX_FLAGS)
    heads = flagged_words("entities_org_heads.txt", ORG_HEAD_FLAGS)
    collectives = flagged_words("entities_collective_heads.txt", COLLECTIVE_FLAGS)
    nats = word_list("entities_nationalities.txt")
    religions = word_list("entities_religions.txt")
    gender = {w: "m" for w in _with(titles, "male")} | {w: "f" for w in _with(titles, "female")}
    return Lexicon(
        titles=frozenset(titles),
        honorifics=_with(titles, "honorific"),
        keep_titles=_with(titles, "keep"),
        title_gender=MappingProxyType(gender),
        first_name_titles_cf=_folded(_with(titles, "first_name")),
        knighthood_titles=_with(titles, "knighthood"),
        honours=frozenset(honours),
        honours_cf=_folded(frozenset(honours)),
        generational_cf=_folded(_with(honours, "generational")),
        nationalities=nats,
        nationalities_cf=_folded(nats | religions),
        religions=religions,
        org_heads=frozenset(heads),
        party_heads=_with(heads, "party"),
        org_suffixes_cf=_folded(frozenset(suffixes)),
        legal_suffixes_cf=_folded(_with(suffixes, "legal")),
        name_extenders=_with(suffixes, "extends"),
        trailing_org_words=_with(suffixes, "extends") | _with(suffixes, "describes"),
        org_nouns=word_list("entities_org_nouns.txt"),
        person_nouns=word_list("entities_person_nouns.txt"),
        place_nouns=word_list("entities_place_nouns.txt"),
        collective_heads=frozenset(collectives),
        leader_heads=_with(collectives, "leader"),
        not_actor_heads=word_list("entities_not_actor_heads.txt"),
    )
