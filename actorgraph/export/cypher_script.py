"""`actorgraph export cypher`: the whole graph as a parameter-free Cypher script for cypher-shell or Neo4j
Browser.

Each line is one statement ending in `;`: the schema first, then batched `UNWIND [literal rows] AS row MERGE
...` (the same MERGE statements `push` sends, with the rows written out as literals), nodes before
relationships. MERGE on ids makes running the script twice harmless. Every value is written as an escaped
Cypher literal (quotes, backslashes, newlines, any unicode), so no text from an article can end a string or a
statement early.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final, TextIO

from actorgraph.errors import ConfigError
from actorgraph.export import walk
from actorgraph.export.push import CopyReport, batches, node_rows, rel_rows
from actorgraph.graph.dialect import NEO4J, Dialect
from actorgraph.graph.store import GraphStore, Row
from actorgraph.vocab import NODE_LABELS

ROWS_PER_STATEMENT: Final = 500  # rows per UNWIND literal; cypher-shell and Browser send a statement whole
CHARS_PER_STATEMENT: Final = 1_000_000
_ROWS: Final = "$rows"  # the parameter each MERGE statement unwinds: the script puts the rows themselves there
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ESCAPES: Final = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
# Characters other tools treat as line breaks (str.splitlines, editors) or cannot show: Neo4j reads \uXXXX;
# FalkorDB keeps \u escapes as typed, so there they are written raw (the script splits on "\n" only).
_LINE_BREAKS: Final = frozenset("\x0b\x1c\x1d\x1e\x85\u2028\u2029")


def cypher_string(text: str, dialect: Dialect = NEO4J) -> str:
    """`text` as a single-quoted Cypher string literal, on one line, that reads back as exactly `text`."""
    out = []
    for char in text:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif dialect is NEO4J and (char in _LINE_BREAKS or unicodedata.category(char) == "Cc"):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def cypher_key(name: str) -> str:
    """A map key or property name: bare when it is a plain identifier, else in backticks."""
    if _IDENTIFIER.match(name):
        return name
    return "`" + name.replace("`", "``") + "`"


def cypher_literal(value: Any, dialect: Dialect = NEO4J) -> str:
    """Any property value (and the row maps around them) as a Cypher literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError(f"{value!r} has no Cypher literal", hint="store finite numbers only")
        return repr(value)
    if isinstance(value, str):
        return cypher_string(value, dialect)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v, dialect) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{cypher_key(str(k))}: {cypher_literal(v, dialect)}" for k, v in value.items())
            + "}"
        )
    raise ConfigError(
        f"cannot write a {type(value).__name__} as a Cypher literal", hint="store plain values only"
    )


def schema_statements(dialect: Dialect, labels: Iterable[str]) -> list[str]:
    """The schema statements of a script for `labels`: the output dialect's unique ids."""
    labels = set(labels)
    return [dialect.unique_statement(label) for label in NODE_LABELS if label in labels]


def _statements(pairs: Iterable[tuple[str, Row]], dialect: Dialect, rows: int) -> Iterator[tuple[str, int]]:
    for query, batch in batches(pairs, rows, CHARS_PER_STATEMENT):
        literal = cypher_literal(batch, dialect)
        yield query.replace(_ROWS, literal, 1) + ";", len(batch)


def write_cypher_script(
    store: GraphStore,
    out: TextIO,
    *,
    dialect: Dialect = NEO4J,
    schema: bool = True,
    rows_per_statement: int = ROWS_PER_STATEMENT,
    include_rejected: bool = False,
) -> CopyReport:
    """Write the graph in `store` to `out` as a Cypher script for `dialect`; returns what it holds. Reviews
    are copied, and claims keep their `review` mark; rejected claims only with `include_rejected`."""
    if rows_per_statement < 1:
        raise ConfigError(f"rows per statement must be at least 1, got {rows_per_statement}")
    report = CopyReport()
    out.write(
        f"// actorgraph graph as Cypher ({dialect.name}): one statement per line, nodes then relationships.\n"
        '// Run: cypher-shell -a "$NEO4J_URI" -u neo4j -p "$NEO4J_PASSWORD" -f graph.cypher\n'
    )
    if schema:
        for statement in schema_statements(dialect, walk.primary_labels(store)):
            out.write(statement + ";\n")
    for statement, n in _statements(node_rows(walk.nodes(store)), dialect, rows_per_statement):
        out.write(statement + "\n")
        report.nodes += n
    rels = walk.relationships(store, include_rejected=include_rejected)
    for statement, n in _statements(rel_rows(rels), dialect, rows_per_statement):
        out.write(statement + "\n")
        report.relationships += n
    out.write(f"// {report.nodes} nodes, {report.relationships} relationships\n")
    return report


def export_cypher(
    store: GraphStore, path: Path, *, dialect: Dialect = NEO4J, schema: bool = True, include_rejected: bool = False
) -> CopyReport:
    """Write the Cypher script to `path` (UTF-8); a path that cannot be written is one ConfigError."""
    try:
        with path.open("w", encoding="utf-8", newline="\n") as out:
            return write_cypher_script(store, out, dialect=dialect, schema=schema, include_rejected=include_rejected)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}", hint="check the -o path") from exc


def script_statements(script: str) -> Iterator[str]:
    """The statements of a script written here, without comments and final `;` (to run one by one)."""
    for line in script.split("\n"):
        if line and not line.startswith("//"):
            yield line.removesuffix(";")
