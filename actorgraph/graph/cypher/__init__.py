"""The Cypher that is not a curated query: named statements in `*.cypher` files beside this module, one per concern.

    from actorgraph.graph import cypher
    cypher.text("ingest", "count_labels")                        # a statement as written
    cypher.text("ingest", "read_derived", entity_label="Actor")  # a template, its {{placeholders}} filled

A file holds statements, each opened by a `// --- name` line and followed by a one-line `//` comment that says
what it is for; `// --- name (fragment)` marks a piece that only runs inside a query Python composes (the
parser test checks the composed query, not the piece). `{{name}}` marks a placeholder Python fills from a known
domain (a node label, a relationship type, ...; see `PLACEHOLDERS`), so the Neo4j-parser test can expand every
template over its whole domain. Python code outside `graph/` and `queries/` names statements; it never holds a
Cypher literal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import product

from actorgraph.errors import PatternError

HEADER = re.compile(r"^//\s*---\s*([a-z][a-z0-9_]*)\s*(\(fragment\))?\s*$")
PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")


def _labels() -> list[str]:
    from actorgraph.vocab import NODE_LABELS

    return list(NODE_LABELS)


def _actor_labels() -> list[str]:
    from actorgraph.vocab import ACTOR_TYPES, TYPE_LABEL

    return [TYPE_LABEL[t] for t in sorted(ACTOR_TYPES)]


def _entity_labels() -> list[str]:
    return ["Actor", "Charge"]


def _rel_types() -> list[str]:
    from actorgraph.vocab import PREDICATES, rel_type

    return [rel_type(p) for p in PREDICATES]


def _any_rel_types() -> list[str]:
    from actorgraph.vocab import INTERNAL_TYPES

    return [*_rel_types(), *INTERNAL_TYPES]


#: The values each placeholder may take: what a template is expanded over when it is checked.
PLACEHOLDERS: dict[str, Callable[[], list[str]]] = {
    "label": _labels,
    "actor_label": _actor_labels,
    "entity_label": _entity_labels,
    "rel": _rel_types,
    "any_rel": _any_rel_types,
}


@dataclass(frozen=True)
class Statement:
    """One named statement of a `.cypher` file: its text and the placeholders it needs."""

    concern: str
    name: str
    text: str
    doc: str
    line: int
    fragment: bool = False

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(PLACEHOLDER.findall(self.text)))

    def fill(self, **values: str) -> str:
        """The text with every placeholder replaced; a missing or unknown one is a programming error."""
        needed = set(self.placeholders)
        if needed != set(values):
            raise KeyError(f"{self.concern}.{self.name} needs {sorted(needed)}, got {sorted(values)}")
        return PLACEHOLDER.sub(lambda m: values[m.group(1)], self.text)

    def expansions(self) -> Iterator[tuple[str, str]]:
        """(where, text) for every value of every placeholder: what the parser test checks."""
        names = self.placeholders
        if not names:
            yield f"{self.concern}.{self.name}", self.text
            return
        for combo in product(*(PLACEHOLDERS[n]() for n in names)):
            values = dict(zip(names, combo, strict=True))
            where = ",".join(f"{k}={v}" for k, v in values.items())
            yield f"{self.concern}.{self.name}[{where}]", self.fill(**values)


def parse(concern: str, source: str) -> dict[str, Statement]:
    """The statements of one file; PatternError names the line of a malformed or repeated header."""
    found: dict[str, Statement] = {}
    name: str | None = None
    fragment = False
    start = 0
    body: list[str] = []

    def close() -> None:  # the statement whose lines were collected since the last header
        if name is None:
            if any(line.strip() and not line.lstrip().startswith("//") for line in body):
                raise PatternError(f"{concern}.cypher:{start + 1}: Cypher before the first `// --- name` header")
            return
        doc_lines = [ln.lstrip("/ ").strip() for ln in body if ln.lstrip().startswith("//")]
        text = "\n".join(ln for ln in body if not ln.lstrip().startswith("//")).strip()
        if not text:
            raise PatternError(f"{concern}.cypher:{start + 1}: statement {name!r} is empty")
        for hole in PLACEHOLDER.findall(text):
            if hole not in PLACEHOLDERS:
                raise PatternError(f"{concern}.cypher:{start + 1}: unknown placeholder {{{{{hole}}}}} in {name!r}")
        found[name] = Statement(concern, name, text, " ".join(doc_lines[:1]), start + 1, fragment)

    for number, line in enumerate(source.splitlines()):
        match = HEADER.match(line.strip())
        if match:
            close()
            name, fragment, start, body = match.group(1), bool(match.group(2)), number, []
            if name in found:
                raise PatternError(f"{concern}.cypher:{number + 1}: statement {name!r} defined twice")
            continue
        if line.strip().startswith("// ---"):
            raise PatternError(f"{concern}.cypher:{number + 1}: malformed header {line.strip()!r}")
        body.append(line)
    close()
    return found


@cache
def concern(name: str) -> dict[str, Statement]:
    """Every statement of `<name>.cypher`, parsed once."""
    resource = files("actorgraph.graph.cypher") / f"{name}.cypher"
    return parse(name, resource.read_text("utf-8"))


def concerns() -> list[str]:
    """The names of every `.cypher` file here."""
    root = files("actorgraph.graph.cypher")
    return sorted(p.name.removesuffix(".cypher") for p in root.iterdir() if p.name.endswith(".cypher"))


def statement(concern_name: str, name: str) -> Statement:
    """One statement; KeyError names the file when it has no such statement."""
    try:
        return concern(concern_name)[name]
    except KeyError:
        raise KeyError(f"no statement {name!r} in actorgraph/graph/cypher/{concern_name}.cypher") from None


def text(concern_name: str, name: str, **values: str) -> str:
    """The Cypher of one statement, its placeholders filled from `values`."""
    return statement(concern_name, name).fill(**values)


def all_statements() -> Iterator[Statement]:
    """Every statement of every file: the parser test expands each one."""
    for name in concerns():
        yield from concern(name).values()
