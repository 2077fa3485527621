"""General-knowledge equivalences of informal names ("Tories" = Conservative Party, "US" = United States), read
from the data file shipped with the package, or from the file the ACTORGRAPH_EQUIVALENCES variable names.

Each line of the file is one actor: its type, its canonical name and the other names it goes by; or a WORD line,
a leading country word interchangeable in names whose other words are common nouns ("British government" =
"UK government"). Names compare as the resolver's keys (it passes `actorgraph.resolve.names.core_words`), so
"the Tories", "Tories" and "TORIES" are one entry. A key of two lines keeps the first.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Final

from actorgraph.errors import ConfigError
from actorgraph.ids import normalize_name
from actorgraph.vocab import ACTOR_TYPES

EQUIVALENCES_ENV: Final = "ACTORGRAPH_EQUIVALENCES"
MAX_ENTRIES: Final = 200  # a general-knowledge list, not a gazetteer: the shipped file stays below this
_SEPARATOR: Final = "|"

#: How a name of a type is read as key words (`actorgraph.resolve.names.core_words`; passed in, so this
#: module imports nothing of the resolver's).
KeyWords = Callable[[str, str], tuple[str, ...]]


@dataclass(frozen=True)
class Equivalences:
    """Name keys by (type, key) -> the canonical key's words; leading words -> their canonical word."""

    names: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = field(default_factory=dict)
    words: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    canonical: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)  # (type, words) of canonical names

    def __len__(self) -> int:
        return len(self.names) + len(self.words)


@cache
def shipped_path() -> Path:
    """The equivalence file shipped with the package."""
    return Path(str(files("actorgraph.resolve").joinpath("data", "equivalences.tsv")))


def active_path() -> Path:
    """The file in force: the one ACTORGRAPH_EQUIVALENCES names, else the shipped one."""
    chosen = os.environ.get(EQUIVALENCES_ENV, "").strip()
    return Path(chosen).expanduser() if chosen else shipped_path()


def _words(text: str) -> tuple[str, ...]:
    return tuple(normalize_name(text).split())


def _plain_words(entity_type: str, name: str) -> tuple[str, ...]:
    return _words(name)


def parse(text: str, source: str = "equivalences", key: KeyWords = _plain_words) -> Equivalences:
    """The equivalences of a file's text, names read as keys by `key`; a malformed line is an error naming it."""
    out = Equivalences()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in raw.rstrip("\n").split("\t") if p.strip()]
        if len(parts) != 3 or (parts[0] not in ACTOR_TYPES and parts[0] != "WORD"):
            raise ConfigError(
                f"{source}:{number}: expected TYPE<tab>canonical name<tab>other names separated by '|'",
                hint=f"TYPE is one of {', '.join(sorted(ACTOR_TYPES))} or WORD",
            )
        kind, canonical, others = parts
        names = [canonical, *(o.strip() for o in others.split(_SEPARATOR) if o.strip())]
        if kind == "WORD":
            target = _words(canonical)
            for n in names:
                if _words(n) and _words(n) != target:
                    out.words.setdefault(_words(n), target)
            continue
        target = key(kind, canonical)
        out.canonical.add((kind, target))
        for n in names:
            words = key(kind, n)
            if words and words != target:
                out.names.setdefault((kind, words), target)
    return out


@cache
def _load(path: str, key: KeyWords) -> Equivalences:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read the equivalence file {path}: {exc.strerror or exc}",
            hint=f"set {EQUIVALENCES_ENV} to a readable file, or unset it to use the shipped list",
        ) from exc
    return parse(text, p.name, key)


def equivalences(key: KeyWords = _plain_words) -> Equivalences:
    """The equivalences in force, names read as keys by `key` (read once per file)."""
    return _load(str(active_path()), key)
