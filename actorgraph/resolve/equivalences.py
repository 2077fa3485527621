"""General-knowledge equivalences of informal names ("Tories" = Conservative Party, "US" = United States), read
from the data file shipped with the package, or from the file the ACTORGRAPH_EQUIVALENCES variable names.

Each line of the file is one actor: its type, its canonical name and the other names it goes by; or a WORD line,
a leading country word interchangeable in names whose other words are common nouns ("British government" =
"UK government"). Names compare as resolution keys (`actorgraph.resolve.names.core_words`), so "the Tories",
"Tories" and "TORIES" are one entry. A key of two lines keeps the first.
"""

from __future__ import annotations

import os
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


def parse(text: str, source: str = "equivalences") -> Equivalences:
    """The equivalences of a file's text; a malformed line is an error naming it."""
    from actorgraph.resolve.names import core_words  # names imports nothing from here

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
        target = core_words(kind, canonical)
        out.canonical.add((kind, target))
        for n in names:
            key = core_words(kind, n)
            if key and key != target:
                out.names.setdefault((kind, key), target)
    return out


@cache
def _load(path: str) -> Equivalences:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read the equivalence file {path}: {exc.strerror or exc}",
            hint=f"set {EQUIVALENCES_ENV} to a readable file, or unset it to use the shipped list",
        ) from exc
    return parse(text, p.name)


def equivalences() -> Equivalences:
    """The equivalences in force (read once per file)."""
    return _load(str(active_path()))
