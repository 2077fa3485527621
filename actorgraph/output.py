"""What the CLI shows: rich tables for people, JSON and CSV for scripts; renderers only, nothing is printed here.

Query results (`query`, `cypher`), the curated query list, extractions (`extract --format table`), the ingest
summary, graph stats, resolution runs and the engine status. Library users get the same views of the objects
`actorgraph.Graph` returns. Every name, sentence and path in a table or line goes through `actorgraph.text.shown`:
control and bidi formatting characters are printed as escapes, never sent raw to the terminal. JSON and CSV carry
the text unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from actorgraph.text import shown

if TYPE_CHECKING:
    from actorgraph.extract.model import Extraction
    from actorgraph.ingest.ingest import IngestReport
    from actorgraph.queries import CuratedQuery, QueryResult
    from actorgraph.resolve import MergeReport, ResolveReport

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
        return Text(", ".join(shown(str(v)) for v in value) or "-")
    return Text("-" if value is None else shown(str(value)))


def _short(text: str, limit: int = EVIDENCE_CHARS) -> str:
    """One line of at most `limit` characters: whitespace collapsed, then hidden characters escaped."""
    text = shown(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


# -- extract, ingest, stats, resolve, db status ----------------------------------------------------------------


def extraction_tables(extraction: Extraction) -> Iterator[RenderableType]:
    """One document as readable tables: a heading, its entities (type, name, aliases), relations with evidence."""
    doc = extraction.document
    names = {e.id: e.name for e in extraction.entities}
    heading = Text(shown(doc.path or doc.id), style="bold")
    if doc.title:
        heading.append(f"  {shown(doc.title)}", style="italic")
    yield heading
    entities = Table("id", "type", "name", "aliases", "mentions", title_justify="left", show_edge=False)
    for e in extraction.entities:
        aliases = ", ".join(shown(a) for a in e.aliases if a != e.name)
        entities.add_row(Text(shown(e.id)), Text(e.type), Text(shown(e.name)), Text(aliases), str(len(e.mentions)))
    yield entities
    relations = Table("subject", "predicate", "object", "evidence", "conf", show_edge=False)
    for r in extraction.relations:
        predicate = (r.predicate + (f" ({r.stage})" if r.stage else "") + (" (denied)" if r.denied else "")
                     + (" (negated)" if r.negated else ""))
        relations.add_row(
            Text(shown(names.get(r.subject, r.subject))),
            Text(predicate, style="dim" if r.negated else "bold"),
            Text(shown(names.get(r.object, r.object))),
            Text(_short(r.evidence.text, 100)),
            f"{r.confidence:.2f}",
        )
    yield relations if extraction.relations else Text("no relations", style="dim")


def problem_line(label: str, path: str, reason: str) -> str:
    """One line of the skipped/failed/warning report on stderr; a file name cannot hold terminal escapes."""
    return f"{label} {shown(path)}: {shown(reason)}"


def ingest_table(report: IngestReport) -> Table:
    """The summary table of one ingest: documents on the left, what the graph gained on the right."""
    table = Table("documents", "", "graph", "", title="ingest", title_justify="left", show_edge=False)
    left = [
        ("ingested", report.ingested),
        ("unchanged", report.unchanged),
        ("duplicate texts", report.duplicates),
        ("skipped", len(report.skipped)),
        ("failed", len(report.failed)),
    ]
    right = [
        ("actors added", report.actors_added),
        ("claims added", report.claims_added),
        ("charges added", report.charges_added),
        ("sources added", report.sources_added),
        ("documents forgotten", len(report.forgotten)),
    ]
    for (a, x), (b, y) in zip(left, right, strict=True):
        table.add_row(a, f"{x:,}", b, f"{y:,}")
    return table


def stats_tables(info: Mapping[str, Any]) -> Iterator[RenderableType]:
    """`stats`: counts by label and type, the documents/sources/claims line, and the top actors (if any)."""
    counts = Table("nodes", "", "relationships", "", show_edge=False)
    labels, types = list(info["labels"].items()), list(info["types"].items())
    for i in range(max(len(labels), len(types))):
        a, x = labels[i] if i < len(labels) else ("", "")
        b, y = types[i] if i < len(types) else ("", "")
        counts.add_row(a, f"{x:,}" if x != "" else "", b, f"{y:,}" if y != "" else "")
    yield counts
    yield Text(f"{info['documents']:,} documents from {info['sources']:,} sources, {info['claims']:,} claims")
    if info["top_actors"]:
        actors = Table(
            "actor", "type", "claims", "documents", "mentions",
            title="top actors by claims", title_justify="left", show_edge=False,
        )
        for row in info["top_actors"]:
            actors.add_row(
                Text(shown(row["name"] or row["id"])), row["type"] or "", f"{row['claims']:,}",
                f"{row['documents']:,}", f"{row['mentions']:,}",
            )
        yield actors


def resolution_lines(report: ResolveReport, *, all_merges: bool = False) -> list[str]:
    """What a resolution run changed: merges and splits made now (or every merge in force), then the totals;
    or only the note of a command that found its work already done."""
    if report.note:
        return [report.note]
    lines = [
        shown(f"merged  {m.merged_name} ({m.merged}) -> {m.target_name} ({m.target})  [{m.rule}]")
        for m in (report.merges if all_merges else report.merged_now)
    ]
    lines += [shown(f"apart   {atom}") for atom in report.split_now]
    lines.append(
        f"{report.actors_before:,} actors -> {report.actors_after:,} actors; "
        f"{report.atoms:,} document-level ids, "
        f"{report.merged_atoms:,} merged into another; {len(report.merged_now):,} merged and "
        f"{len(report.split_now):,} set apart by this run"
    )
    return lines


def _evidence(row: Mapping[str, Any]) -> str:
    claims = f", {row['claims']:,} claims" if "claims" in row else ""
    return f"{row['type']}, {row['id']}{claims}, {row.get('mentions') or 0:,} mentions"


def actor_lines(label: str, row: Mapping[str, Any], *, others: int = 5) -> list[str]:
    """Which actor the lookup took for `label` (an argument's name or the typed text), and the other actors
    the name also fits, strongest first (`resolve_actor` ranks them by evidence), so one can be picked by id."""
    lines = [shown(f"{label}: {row['name']} ({_evidence(row)})")]
    rest = list(row.get("others") or [])
    if rest:
        listed = "; ".join(shown(f"{o['name']} ({_evidence(o)})") for o in rest[:others])
        more = f"; and {len(rest) - others:,} more" if len(rest) > others else ""
        lines.append(f"  the name also fits {len(rest):,} other actor(s): {listed}{more}; pass an id to pick one")
    return lines


def merge_lines(report: MergeReport) -> list[str]:
    """A merge's before and after: A and B as the lookup took them (and what else each name fits), then the
    survivor with its name, id, evidence and aliases."""
    lines: list[str] = []
    for label, row in zip(("before A", "before B"), report.before, strict=False):
        lines += actor_lines(label, row)
    if report.after:
        after = report.after
        names = list(after.get("aliases") or [])
        aliases = ", ".join(names[:10]) + (f" and {len(names) - 10:,} more" if len(names) > 10 else "") or "-"
        lines.append(shown(f"after: {after['name']} ({_evidence(after)}); aliases: {aliases}"))
    return lines


def status_table(info: Mapping[str, Any]) -> Table:
    """`db status` as a two-column table; counts by label or type on one line each."""
    table = Table(show_header=False, box=None)
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v:,}" for k, v in value.items()) or "-"
        table.add_row(key.replace("_", " "), f"{value:,}" if isinstance(value, int) else str(value))
    return table


#: The columns `actorgraph claims` shows (JSON carries every field); a review's who and why when there is one.
CLAIM_COLUMNS = ("id", "status", "subject", "predicate", "object", "evidence", "source")
CLAIM_TABLE_EVIDENCE = 120


def claim_lines(row: Mapping[str, Any]) -> list[str]:
    """One claim and its review, as `actorgraph claim show|confirm|reject` prints it."""
    lines = [
        f"{shown(str(row.get('id')))}  [{row.get('status')}]",
        f"  {shown(str(row.get('subject')))} {row.get('predicate')} {shown(str(row.get('object')))}"
        + ("  (the text reports a denial)" if row.get("denied") else ""),
        f"  evidence: {_short(str(row.get('evidence') or ''))}",
        f"  source: {shown(str(row.get('source')))} (offsets {row.get('start')}-{row.get('end')})",
    ]
    if row.get("rule") is not None or row.get("confidence") is not None:
        lines.append(f"  rule: {shown(str(row.get('rule')))}, confidence {row.get('confidence')}")
    if row.get("by"):
        why = f": {shown(str(row['why']))}" if row.get("why") else ""
        lines.append(f"  reviewed by {shown(str(row['by']))} at {row.get('at')}{why}")
    return lines


def claims_table(rows: Sequence[Mapping[str, Any]]) -> RenderableType:
    """Claims with their review status, one row each (`actorgraph claims`); ids are never cut."""
    if not rows:
        return Text("no claims", style="dim")
    columns = [*CLAIM_COLUMNS, *(c for c in ("by", "why") if any(r.get(c) for r in rows))]
    table = Table(show_edge=False, show_lines=True)
    for column in columns:
        table.add_column(column, no_wrap=column == "id", min_width=30 if column == "id" else None)
    for row in rows:
        cells = [
            Text(_short(str(row.get(c) or ""), CLAIM_TABLE_EVIDENCE)) if c == "evidence" else _cell(c, row.get(c))
            for c in columns
        ]
        table.add_row(*cells)
    return table
