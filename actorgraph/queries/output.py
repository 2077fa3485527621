"""Query results as text: a rich table for people, JSON and CSV for scripts (`query`, `cypher`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from actorgraph.queries.loader import CuratedQuery
from actorgraph.queries.run import QueryResult

EVIDENCE_CHARS = 300  # a table cell shows this much of a long sentence; JSON and CSV carry it whole


def _plain(value: Any) -> Any:
    """JSON-safe form of a cell (sets and tuples become lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def to_json(result: QueryResult) -> str:
    """One JSON object: query name, columns, rows, the claim ids behind them, resolved actors, truncation."""
    return json.dumps(
        {
            "query": result.name,
            "columns": list(result.columns),
            "rows": [_plain(r) for r in result.rows],
            "claim_ids": sorted(result.claim_ids),
            "actors": _plain(dict(result.actors)),
            "truncated": result.truncated,
        },
        ensure_ascii=False,
        indent=2,
    )


def to_csv(result: QueryResult) -> str:
    """A header and one line per row; list and map cells are JSON, so scripts can read them back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(
            [
                json.dumps(_plain(row.get(c)), ensure_ascii=False)
                if isinstance(row.get(c), list | dict | tuple)
                else ("" if row.get(c) is None else row.get(c))
                for c in result.columns
            ]
        )
    return buffer.getvalue()


def _cell(column: str, value: Any) -> Text:
    if column == "claim_ids" and isinstance(value, list):
        return Text(f"{len(value)} claim{'s' if len(value) != 1 else ''}", style="dim")
    if value is None:
        return Text("-", style="dim")
    if isinstance(value, bool):
        return Text("yes" if value else "no", style="bold red" if value and column == "denied" else "")
    if isinstance(value, list):
        return Text("\n".join(_short(str(v)) for v in value) if value else "-")
    return Text(_short(str(value)))


def _inline(value: Any) -> Text:
    if isinstance(value, list):
        return Text(", ".join(str(v) for v in value) or "-")
    return Text("-" if value is None else str(value))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1] + "…"


def _leading_constants(result: QueryResult) -> list[str]:
    """Leading columns with one value in every row (e.g. who the actor is): shown once, above the table."""
    if len(result.rows) < 2:
        return []
    fixed: list[str] = []
    for column in result.columns:
        first = result.rows[0].get(column)
        if column == "claim_ids" or any(r.get(column) != first for r in result.rows[1:]):
            break
        fixed.append(column)
    return fixed if len(fixed) < len(result.columns) else []


def to_table(result: QueryResult) -> RenderableType:
    """The rows as a rich table (no markup is interpreted: names and sentences may hold [brackets])."""
    fixed = _leading_constants(result)
    head = [
        Text.assemble((f"{c.replace('_', ' ')}: ", "bold"), _inline(result.rows[0].get(c))) for c in fixed
    ]
    columns = [c for c in result.columns if c not in fixed]
    table = Table(*[c.replace("_", " ") for c in columns], show_edge=False, show_lines=True)
    for row in result.rows:
        table.add_row(*[_cell(c, row.get(c)) for c in columns])
    if not result.rows:
        return Text("no rows", style="dim")
    return Group(*head, table) if head else table


def query_list(queries: Sequence[CuratedQuery]) -> Table:
    """The curated queries: name, parameters, what each answers, and an example."""
    table = Table("name", "parameters", "description", "example", show_edge=False, show_lines=True)
    for q in queries:
        params = ", ".join(
            p.name + f": {p.type}" + ("" if p.default is None else f" = {p.default!r}") for p in q.params
        )
        table.add_row(Text(q.name, style="bold"), Text(params or "-"), Text(q.description), Text(q.example))
    return table


def query_list_json(queries: Sequence[CuratedQuery]) -> str:
    """The curated queries as JSON, for scripts and other tools."""
    return json.dumps(
        [
            {
                "name": q.name,
                "description": q.description,
                "params": [
                    {"name": p.name, "type": p.type, "default": p.default, "help": p.help} for p in q.params
                ],
                "example": q.example,
                "file": q.path,
                "dialects": ["neo4j", *sorted(q.variants)],
            }
            for q in queries
        ],
        ensure_ascii=False,
        indent=2,
    )
