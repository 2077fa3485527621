"""The `actorgraph` command line: parse, call one `actorgraph.Graph` method (or `extract_documents`), print.

It imports only the library's top-level names, its errors and the output renderers (a test holds it to that).
Every command's errors are `ActorgraphError`s, mapped in one place (`_Group.invoke`) to one line, a hint and an
exit code: the user never sees a traceback for a failure we foresaw.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from typer.core import TyperGroup

from actorgraph import Graph, __version__, extract_documents, train_model
from actorgraph.errors import ActorgraphError, ConfigError, InputError, ReadOnlyViolation

if TYPE_CHECKING:
    from actorgraph import QueryResult, ResolveReport

out = Console()
err = Console(stderr=True)


def _say(text: str, *, style: str | None = None, to: Console = out) -> None:
    """Print text as it is: no rich markup (article text may hold [brackets]), no highlighting, no wrapping."""
    to.print(text, style=style, markup=False, highlight=False, soft_wrap=True)


class _Group(TyperGroup):
    """Maps the error hierarchy to one line + hint + exit code, for every command."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors click: its Context type is private
        try:
            return super().invoke(ctx)
        except ActorgraphError as exc:
            message = "Error: " + " ".join(str(exc).split()) + (f"\nHint: {exc.hint}" if exc.hint else "")
            _say(message, style="red", to=err)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    help="Turn news text into an evidence-backed graph of actors and accusations.\n\n"
    "Example: actorgraph db start && actorgraph db status",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
)
db_app = typer.Typer(
    cls=_Group,
    help="Start, stop and inspect the graph database.\n\nExample: actorgraph db start && actorgraph db status",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")
export_app = typer.Typer(
    cls=_Group,
    help="Write the graph in other formats (Cypher script, GraphML, GEXF, ...).\n\n"
    "Example: actorgraph export cypher -o graph.cypher",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")


class State:
    """The global options of this invocation; the environment fills in the rest (`Graph.from_env`)."""

    graph: str | None = None
    uri: str | None = None
    database: str | None = None


def _graph() -> Graph:
    """The graph the settings name; it connects (starting the embedded engine) when a command first needs it."""
    return Graph.from_env(graph=State.graph, uri=State.uri, database=State.database, connect=False)


def _params(pairs: list[str] | None) -> dict[str, str]:
    """`--param k=v` values as a dict; ConfigError naming a malformed one."""
    values: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"--param needs key=value, got {pair!r}", hint="e.g. --param depth=2")
        values[key] = value
    return values


def _version(value: bool) -> None:
    if value:
        out.print(f"actorgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    graph: Annotated[str | None, typer.Option("--graph", help="Embedded graph name \\[env: ACTORGRAPH_GRAPH].")] = None,
    uri: Annotated[str | None, typer.Option("--uri", help="Use Neo4j at this URI \\[env: NEO4J_URI].")] = None,
    database: Annotated[
        str | None, typer.Option("--database", help="Neo4j database \\[env: NEO4J_DATABASE].")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Turn news text into an evidence-backed graph of actors and accusations.

    Example: actorgraph db start && actorgraph db status
    """
    State.graph, State.uri, State.database = graph, uri, database


# -- db -------------------------------------------------------------------------------------------------------------


@db_app.command("start")
def db_start() -> None:
    """Start the embedded graph engine (or check that Neo4j answers); it keeps running after this command.

    Example: actorgraph db start
    """
    with _graph() as g:
        info = g.start_engine()
    _say(f"{info['backend']} ready at {info['where']}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded graph engine; the graph stays on disk for the next start.

    Example: actorgraph db stop
    """
    _say(_graph().stop_engine())


@db_app.command("status")
def db_status(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show the backend, where it is, the data dir, and node and relationship counts.

    Example: actorgraph db status --json
    """
    from actorgraph.output import status_table

    info = _graph().engine_status()
    if as_json:
        out.print_json(json.dumps(info))
        return
    out.print(status_table(info))


@db_app.command("path")
def db_path() -> None:
    """Print the data dir of the embedded engine (graph, password file, log).

    Example: ls "$(actorgraph db path)"
    """
    _say(str(_graph().home))


# -- extract --------------------------------------------------------------------------------------------------------


class _Format(StrEnum):
    jsonl = "jsonl"
    table = "table"


@app.command("extract")
def extract(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH", help="Files, directories (recursive), globs, - for stdin.")
    ],
    fmt: Annotated[
        _Format, typer.Option("--format", "-f", help="jsonl: the extract contract; table: for reading.")
    ] = _Format.jsonl,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy model (default: en_core_web_sm, else its re-upload).")
    ] = None,
    gazetteer: Annotated[
        Path | None, typer.Option("--gazetteer", help="Watch-list JSON Lines: name, type, aliases.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Processes, each with its model.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per nlp.pipe batch.")] = 50,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Skip files (jsonl: lines) larger than this.")
    ] = 5_000_000,
    doc_timeout: Annotated[
        float, typer.Option("--doc-timeout", min=0, help="Seconds one document may take (0: no limit).")
    ] = 600.0,
    relation_model: Annotated[
        str | None,
        typer.Option(
            "--relation-model", help="Relation model: default (shipped), none (hand rules only), or a DIR from `train`."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
) -> None:
    """Extract actors, aliases and evidence-backed relations from PATHS (.txt, .md, .html, .jsonl).

    Prints one JSON line per document (the contract in ../shared/docs/relations.md), or tables to read.

    Unreadable files, and documents that take longer than --doc-timeout, are reported on stderr with the
    reason; the rest go on, and the exit code is then 1.

    Examples:

        actorgraph extract ../shared/eval/dev/*.txt -o pred.jsonl

        actorgraph extract corpus/ --workers 2 -o corpus.jsonl

        cat story.html | actorgraph extract - --format table

        actorgraph extract story.txt --relation-model none
    """
    from actorgraph.output import extraction_tables, problem_line

    failed: list[str] = []

    def on_skip(path: str, reason: str) -> None:
        failed.append(path)
        _say(problem_line("skipped", path, reason), style="yellow", to=err)

    def on_warn(path: str, message: str) -> None:
        _say(problem_line("warning:", path, message), to=err)

    output = None if output is not None and str(output) == "-" else output  # -o - is stdout
    total: list[int] = []
    results = extract_documents(
        paths,
        model=model,
        gazetteer=gazetteer,
        workers=workers,
        batch_size=batch_size,
        max_bytes=max_bytes,
        doc_timeout=doc_timeout or None,
        exclude=[output] if output is not None else [],  # a re-run into the input folder skips its own output
        on_skip=on_skip,
        on_warn=on_warn,
        on_total=total.append,
        relation_model=relation_model,
    )
    counts = [0, 0, 0]  # documents, entities, relations
    with _extract_output(output) as stream, _extract_progress(sum(total), quiet) as advance:
        for extraction in results:
            if fmt is _Format.jsonl:
                stream.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
            else:
                console = Console(file=stream, width=120 if output else None)
                for part in extraction_tables(extraction):
                    console.print(part)
                console.print()
            counts[0] += 1
            counts[1] += len(extraction.entities)
            counts[2] += len(extraction.relations)
            advance()
    if not quiet:
        where = f" -> {output}" if output else ""
        problems = f"; {len(failed)} failed" if failed else ""
        _say(f"{counts[0]:,} documents, {counts[1]:,} entities, {counts[2]:,} relations{where}{problems}", to=err)
    if not counts[0] and not failed:
        raise InputError(
            "no documents found in " + " ".join(paths), hint="pass .txt, .md, .html, .htm or .jsonl files"
        )
    if failed:
        raise typer.Exit(1)


@contextmanager
def _extract_output(output: Path | None) -> Iterator[TextIO]:
    """stdout, or the -o file (opened here so a bad path is one error line, not a traceback)."""
    if output is None:
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError:  # `actorgraph extract ... | head`: stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        return
    try:
        stream = output.open("w", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror or exc}", hint="check the -o path") from exc
    with stream:
        yield stream


@contextmanager
def _extract_progress(total: int, quiet: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for more than a few documents (not with --quiet, nor when stderr is a file)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    disable = quiet or total <= 3 or not err.is_terminal
    with Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=disable,
    ) as progress:
        task = progress.add_task("extract", total=total)
        yield lambda: progress.advance(task)


# -- ingest, stats, forget -----------------------------------------------------------------------------------


@app.command("ingest")
def ingest(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH", help="Files, directories (recursive), globs, - for stdin.")
    ],
    from_jsonl: Annotated[
        bool, typer.Option("--from-jsonl", help="PATHS hold `extract` output: write it, no parsing.")
    ] = False,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy model (default: en_core_web_sm, else its re-upload).")
    ] = None,
    gazetteer: Annotated[
        Path | None, typer.Option("--gazetteer", help="Watch-list JSON Lines: name, type, aliases.")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Processes, each with its model.")
    ] = 1,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Documents per nlp.pipe batch and per write query.")
    ] = 50,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Skip files (jsonl: lines) larger than this.")
    ] = 5_000_000,
    doc_timeout: Annotated[
        float, typer.Option("--doc-timeout", min=0, help="Seconds one document may take (0: no limit).")
    ] = 600.0,
    no_resolve: Annotated[
        bool, typer.Option("--no-resolve", help="Skip cross-document resolution at the end.")
    ] = False,
    relation_model: Annotated[
        str | None,
        typer.Option(
            "--relation-model", help="Relation model: default (shipped), none (hand rules only), or a DIR from `train`."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object.")] = False,
) -> None:
    """Extract actors and claims from PATHS and write them to the graph.

Idempotent: a text already in the graph is skipped. Crash-safe: run the same command again.

    Safe to run twice at once. The same text under two paths is one document with both sources.

    A path whose text changed gets a new document; the old one goes when no source is left.

    Bad files are reported on stderr with the reason and the rest go on.

    Exit code 1 if any file failed, or took longer than --doc-timeout (empty, binary and oversized files are
    skipped, not failed).

    Example: actorgraph ingest examples/*.txt && actorgraph stats
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from actorgraph.output import ingest_table, problem_line

    def on_problem(kind: str, path: str, reason: str) -> None:
        if kind == "warning" and quiet:
            return
        style = {"failed": "red", "skipped": "yellow"}.get(kind)
        _say(problem_line(kind if kind != "warning" else "warning:", path, reason), style=style, to=err)

    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    ) as progress:
        task = progress.add_task("ingest", total=None, rate="-")

        def on_progress(n: int) -> None:
            progress.advance(task, n)
            speed = progress.tasks[0].speed
            progress.update(task, rate=f"{speed:,.1f}" if speed else "-")

        with _graph() as g:
            report = g.ingest(
                paths,
                from_jsonl=from_jsonl,
                model=model,
                gazetteer=gazetteer,
                workers=workers,
                batch_size=batch_size,
                max_bytes=max_bytes,
                doc_timeout=doc_timeout or None,
                resolve=not no_resolve,
                on_problem=on_problem,
                on_progress=on_progress,
                on_total=lambda n: progress.update(task, total=n),
                relation_model=relation_model,
            )
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
    elif not quiet:
        out.print(ingest_table(report))
        out.print(f"{report.seconds:.1f} s", style="dim", highlight=False)
    seen = report.ingested + report.unchanged + report.duplicates + len(report.skipped) + len(report.failed)
    if not seen:
        raise InputError(
            "no documents found in " + " ".join(paths), hint="pass .txt, .md, .html, .htm or .jsonl files"
        )
    if not report.ok:
        raise typer.Exit(1)


@app.command("train")
def train_cmd(
    gold: Annotated[Path, typer.Argument(metavar="GOLD.jsonl", help="Annotations: doc, entities, relations.")],
    root: Annotated[Path, typer.Option("--root", help="The folder the gold's doc paths start from.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The model directory to write.")],
    exclude: Annotated[
        Path | None, typer.Option("--exclude", help="A file of doc paths to leave out (one a line).")
    ] = None,
    min_precision: Annotated[
        float, typer.Option("--min-precision", min=0.0, max=1.0, help="Thresholds for F1 among those this precise.")
    ] = 0.0,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy model (default: en_core_web_sm, else its re-upload).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    with_reviews: Annotated[
        bool,
        typer.Option("--with-reviews", help="Add the graph's reviews as labels: confirmed claims positive, "
                     "rejected ones negative."),
    ] = False,
) -> None:
    """Train a relation model from annotated texts; use it with `extract`/`ingest --relation-model DIR`.

    Deterministic: the same gold file (and, with --with-reviews, the same reviews) gives the same model files.
    See docs/model-card.md.

    Example: actorgraph train ../shared/eval/train/gold.jsonl --root ../shared -o my-model --min-precision 0.8
    """
    log = None if quiet else (lambda line: _say(line, to=err))
    if with_reviews:
        with _graph() as g:
            report = g.train(gold, root=root, output=output, exclude=exclude, min_precision=min_precision,
                             model=model, log=log)
    else:
        report = train_model(gold, root=root, output=output, exclude=exclude, min_precision=min_precision,
                             model=model, log=log)
    _say(f"{report.version}: {report.documents:,} documents, {report.candidates:,} candidates, "
         f"{report.seconds:.0f} s -> {output}", to=err)


@app.command("stats")
def stats(
    top: Annotated[int, typer.Option("--top", min=0, help="How many actors to list, by claims.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show counts by label and relationship type, documents and sources, and the top actors by claims.

    Example: actorgraph stats --top 20
    """
    from actorgraph.output import stats_tables

    with _graph() as g:
        info = g.stats(top=top)
    if as_json:
        out.print_json(json.dumps(info))
        return
    for part in stats_tables(info):
        out.print(part)


@app.command("forget")
def forget(
    document: Annotated[
        str, typer.Argument(help="A document id (sha256:...) or a path or URL it was read from.")
    ],
) -> None:
    """Remove a document, its claims and its mentions; actors it named are recomputed, orphans removed.

    Example: actorgraph forget examples/seed_kazakhstan.txt
    """
    with _graph() as g:
        result = g.forget(document)
    _say(
        f"forgot {result.document}: {result.claims:,} claims; {result.refreshed:,} actors recomputed, "
        f"{result.deleted:,} removed"
    )


# -- resolve, merge, split, not-same, alias -------------------------------------------------------------

alias_app = typer.Typer(
    cls=_Group,
    help="Record other names of an actor.\n\nExample: actorgraph alias add \"Open Dialogue Foundation\" ODF",
    no_args_is_help=True,
)
app.add_typer(alias_app, name="alias")


def _print_resolution(report: ResolveReport, *, all_merges: bool = False) -> None:
    """What a resolution run changed: merges and splits made now, and the totals."""
    from actorgraph.output import resolution_lines

    for line in resolution_lines(report, all_merges=all_merges):
        _say(line)


@app.command("resolve")
def resolve_cmd(
    show_all: Annotated[
        bool, typer.Option("--all", help="List every merge in force, not only new ones.")
    ] = False,
) -> None:
    """Merge actors across documents (same name, surname, acronym, recorded alias); re-apply stored decisions.

    Runs at the end of every ingest; idempotent. How it decides: docs/resolution.md.

    Example: actorgraph resolve --all
    """
    with _graph() as g:
        _print_resolution(g.resolve(), all_merges=show_all)


@app.command("merge")
def merge_cmd(
    keep: Annotated[str, typer.Argument(metavar="A", help="Actor that stays (keeps its id): id, name or alias.")],
    other: Annotated[str, typer.Argument(metavar="B", help="Actor merged into A: id, name or alias.")],
    name: Annotated[
        str | None,
        typer.Option("--name", help="The survivor's name (one of A's or B's names); default: the fuller one."),
    ] = None,
) -> None:
    """Merge actor B into actor A: claims, mentions and aliases move to A, B's id redirects to A.

    The survivor is named by the fuller of the two names unless --name says otherwise. Prints both actors
    before (and what else each name fits) and the survivor after. The decision is stored, so later ingests and
    `resolve` keep it; `actorgraph split B` undoes it.

    Example: actorgraph merge "Mukhtar Ablyazov" "M. Ablyazov"
    """
    from actorgraph.output import merge_lines

    with _graph() as g:
        report = g.merge(keep, other, name=name)
    for line in merge_lines(report):
        _say(line)
    _print_resolution(report)


@app.command("split")
def split_cmd(
    merged: Annotated[
        str, typer.Argument(metavar="B", help="A merged-away actor id, or its document-level name.")
    ],
) -> None:
    """Undo a merge: B gets its own actor back with the claims and mentions its documents made; stays apart.

    Example: actorgraph split person:3f2a9c0d1e2b4a5c6d7e
    """
    with _graph() as g:
        _print_resolution(g.split(merged))


@app.command("unmerge")
def unmerge_cmd(
    merged: Annotated[
        str, typer.Argument(metavar="B", help="A merged-away actor id, or its document-level name.")
    ],
) -> None:
    """Same as `split`: give a merged-away actor its own node back, and keep it apart.

    Example: actorgraph unmerge "Mr Halden"
    """
    split_cmd(merged)


@app.command("not-same")
def not_same_cmd(
    first: Annotated[str, typer.Argument(metavar="A", help="Actor id, name or alias.")],
    second: Annotated[str, typer.Argument(metavar="B", help="Actor id, name or alias.")],
) -> None:
    """Record that A and B are different actors: resolve never merges them, and parts them if merged.

    Example: actorgraph not-same "Labour" "Labour Party of Australia"
    """
    with _graph() as g:
        _print_resolution(g.not_same(first, second))


@alias_app.command("add")
def alias_add_cmd(
    actor: Annotated[str, typer.Argument(metavar="ACTOR", help="Actor id, name or alias.")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="Another name of that actor.")],
) -> None:
    """Add NAME to ACTOR's manual aliases; resolve then merges actors that go by that name into it.

    Example: actorgraph alias add "Open Dialogue Foundation" "Open Dialog"
    """
    with _graph() as g:
        _print_resolution(g.add_alias(actor, name))


# -- claim review: claim show|confirm|reject, claims ------------------------------------------------------

claim_app = typer.Typer(
    cls=_Group,
    help="Show, confirm or reject one claim; the review is stored apart and survives re-ingest and resolution."
    "\n\nExample: actorgraph claim show claim:69405bcf248a1241b73f9b01",
    no_args_is_help=True,
)
app.add_typer(claim_app, name="claim")

_ClaimId = Annotated[
    str, typer.Argument(metavar="CLAIM_ID", help="A claim id (claim:...), as `query` and `claims` print them.")
]
_Why = Annotated[str | None, typer.Option("--why", help="Why: the reason, kept with the review.")]
_By = Annotated[str | None, typer.Option("--by", help="Who reviews (default: your login name).")]
_Json = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def _print_claim(row: dict[str, Any], as_json: bool) -> None:
    from actorgraph.output import claim_lines

    if as_json:
        sys.stdout.write(json.dumps(row, ensure_ascii=False, indent=2) + "\n")
        return
    for line in claim_lines(row):
        _say(line)


@claim_app.command("show")
def claim_show_cmd(claim_id: _ClaimId, as_json: _Json = False) -> None:
    """Show one claim: its ends, evidence sentence, source and offsets, rule, and its review (who, when, why).

    Example: actorgraph claim show claim:69405bcf248a1241b73f9b01 --json
    """
    with _graph() as g:
        _print_claim(g.claim(claim_id), as_json)


def _review(claim_id: str, verdict: str, why: str | None, by: str | None, as_json: bool) -> None:
    with _graph() as g:
        row = g.review(claim_id, verdict, why=why, by=by)
    _print_claim(row, as_json)


@claim_app.command("confirm")
def claim_confirm_cmd(claim_id: _ClaimId, why: _Why = None, by: _By = None, as_json: _Json = False) -> None:
    """Confirm a claim: queries, viz and exports mark it; RDF carries the review as PROV.

    Reviewing a claim again replaces its review. The review is stored apart from the claim, so it survives
    re-ingest, `forget` of other documents, `resolve`, `merge`, `split` and a retrained model.

    Example: actorgraph claim confirm claim:69405bcf248a1241b73f9b01 --why "court record, 2017" --by ana
    """
    _review(claim_id, "confirmed", why, by, as_json)


@claim_app.command("reject")
def claim_reject_cmd(claim_id: _ClaimId, why: _Why = None, by: _By = None, as_json: _Json = False) -> None:
    """Reject a claim: curated queries, viz and exports leave it out (--include-rejected shows it).

    A re-ingest that writes the same claim again, or an equivalent one, does not bring it back.

    Example: actorgraph claim reject claim:13a40e2f8f75b2a9084e0a1a --why "the sentence reports a claim by others"
    """
    _review(claim_id, "rejected", why, by, as_json)


class _ReviewStatus(StrEnum):
    unreviewed = "unreviewed"
    confirmed = "confirmed"
    rejected = "rejected"
    orphaned = "orphaned"


@app.command("claims")
def claims_cmd(
    status: Annotated[
        _ReviewStatus,
        typer.Option("--status", "-s", help="unreviewed, confirmed, rejected, or orphaned (reviews whose claim "
                     "has no equivalent any more)."),
    ] = _ReviewStatus.unreviewed,
    actor: Annotated[
        str | None, typer.Option("--actor", "-a", help="Only claims in and out of this actor (name, alias or id).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Rows at most (0: all).")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON list, a claim an object.")] = False,
) -> None:
    """List claims by review status, to review them (`claim confirm|reject CLAIM_ID`).

    Example: actorgraph claims --status unreviewed --actor Ablyazov   (then: actorgraph claims -s rejected --json)
    """
    from actorgraph.output import claims_table

    with _graph() as g:
        rows = g.claims(status.value, actor=actor, limit=limit)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(claims_table(rows))
    if limit and len(rows) >= limit:
        err.print(f"showing the first {len(rows):,} claims; --limit N for more, 0 for all", style="yellow")


# -- seeing the network: viz, push, browser-style, export cypher|graphml|gexf --------------------------------


@app.command("viz")
def viz_cmd(
    actor: Annotated[
        str | None, typer.Argument(metavar="[ACTOR]", help="Centre on this actor (name, alias or id).")
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", "-d", min=1, help="Hops out from ACTOR (default 2).")
    ] = None,
    queries: Annotated[
        list[str] | None,
        typer.Option("--query", "-q", metavar="NAME", help="Draw the claims behind this query's rows."),
    ] = None,
    params: Annotated[
        list[str] | None, typer.Option("--param", "-p", metavar="K=V", help="A parameter for the queries.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Claims (and query rows) at most.")] = 1000,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "network.html"
    ),
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also the claims a reviewer rejected (marked).")
    ] = False,
) -> None:
    """Draw the network as one self-contained HTML file that works offline (open it in any browser).

    Nodes are coloured by type and sized by mentions; edges are labelled by predicate; hover or click an edge
    to read its evidence sentence and source. Without ACTOR or --query: the whole graph (up to --limit claims).
    Claims a reviewer confirmed are marked (a tick); rejected ones are left out unless --include-rejected.

    Example: actorgraph viz "Northwind Holdings" --depth 2 -o network.html
    """
    from actorgraph.output import actor_lines

    values = _params(params)
    with _graph() as g:
        if actor is not None:  # the lookup viz's queries make: say which actor the name was taken for
            for line in actor_lines("actor", g.actor(actor)):
                _say(line, style="dim", to=err)
        view = g.viz(output, actor, depth=depth, queries=queries or [], params=values, limit=limit,
                     include_rejected=include_rejected)
    more = " (limited by --limit)" if view.truncated else ""
    _say(f"{len(view.nodes):,} nodes, {len(view.edges):,} edges, {view.claims:,} claims{more} -> {output}")


@app.command("push")
def push_cmd(
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also the claims a reviewer rejected (marked).")
    ] = False,
) -> None:
    """Copy the embedded graph into the Neo4j at NEO4J_URI (batched MERGEs: safe to run again).

    Then open Neo4j Browser, apply `actorgraph browser-style` with :style, and run the curated queries there.

    Example: NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=... actorgraph push
    """
    g = _graph()
    report = g.push(include_rejected=include_rejected)
    where = g.uri
    _say(f"pushed {report.nodes:,} nodes and {report.relationships:,} relationships to {where}")


@app.command("browser-style")
def browser_style_cmd() -> None:
    """Print the GraSS stylesheet for Neo4j Browser: captions by name, colours by label, types on edges.

    Example: actorgraph browser-style > actorgraph.grass   (then drag the file onto Browser, or :style)
    """
    sys.stdout.write(Graph.browser_style())


class _CypherDialect(StrEnum):
    neo4j = "neo4j"
    falkordb = "falkordb"


@export_app.command("cypher")
def export_cypher_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="The script to write.")] = Path(
        "graph.cypher"
    ),
    dialect: Annotated[
        _CypherDialect, typer.Option("--dialect", help="Schema statements for this engine.")
    ] = _CypherDialect.neo4j,
    no_schema: Annotated[bool, typer.Option("--no-schema", help="Leave out the schema statements.")] = False,
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also the claims a reviewer rejected (marked).")
    ] = False,
) -> None:
    """Write the whole graph as a parameter-free Cypher script (one statement per line) for cypher-shell.

    Example: actorgraph export cypher -o graph.cypher && cypher-shell -f graph.cypher
    """
    with _graph() as g:
        report = g.export_cypher(output, dialect=dialect.value, schema=not no_schema,
                                 include_rejected=include_rejected)
    _say(f"{report.nodes:,} nodes, {report.relationships:,} relationships -> {output}")


def _export_networkx(kind: str, output: Path, documents: bool, include_rejected: bool) -> None:
    with _graph() as g:
        writer = g.export_graphml if kind == "graphml" else g.export_gexf
        nodes, edges = writer(output, documents=documents, include_rejected=include_rejected)
    _say(f"{nodes:,} nodes, {edges:,} edges -> {output}")


@export_app.command("graphml")
def export_graphml_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")] = Path(
        "graph.graphml"
    ),
    documents: Annotated[
        bool, typer.Option("--documents", help="Add the documents and MENTIONED_IN edges.")
    ] = False,
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also the claims a reviewer rejected (marked).")
    ] = False,
) -> None:
    """Write the actor network as GraphML (actors and charges; one edge per claim, with its evidence).

    Example: actorgraph export graphml -o graph.graphml
    """
    _export_networkx("graphml", output, documents, include_rejected)


@export_app.command("gexf")
def export_gexf_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")] = Path("graph.gexf"),
    documents: Annotated[
        bool, typer.Option("--documents", help="Add the documents and MENTIONED_IN edges.")
    ] = False,
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also the claims a reviewer rejected (marked).")
    ] = False,
) -> None:
    """Write the actor network as GEXF for Gephi, coloured by type and sized by mentions.

    Example: actorgraph export gexf -o graph.gexf
    """
    _export_networkx("gexf", output, documents, include_rejected)



# -- linked data: export rdf | ftm, import rdf -------------------------------------------------------------------


class _RdfFormat(StrEnum):
    turtle = "turtle"
    nt = "nt"
    jsonld = "jsonld"
    xml = "xml"


@contextmanager
def _stdout_unless(output: Path | None) -> Iterator[Path | TextIO]:
    """The -o path as it is, or stdout (a closed pipe stops quietly, as Unix tools do)."""
    if output is not None:
        yield output
        return
    with _extract_output(None) as stream:
        yield stream


@export_app.command("rdf")
def export_rdf_cmd(
    args: Annotated[
        list[str] | None, typer.Argument(metavar="[ARGS]...", help="Arguments of the --query (an actor...).")
    ] = None,
    fmt: Annotated[
        _RdfFormat, typer.Option("--format", "-f", help="turtle and nt are streamed; jsonld and xml are not.")
    ] = _RdfFormat.turtle,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here, not to stdout.")] = None,
    base: Annotated[
        str, typer.Option("--base", help="Base IRI the graph ids are minted under (ends in /, # or :).")
    ] = "urn:actorgraph:",
    query: Annotated[
        str | None,
        typer.Option("--query", "-q", metavar="NAME", help="Only the claims behind a curated query's rows."),
    ] = None,
    params: Annotated[
        list[str] | None, typer.Option("--param", "-p", metavar="K=V", help="A parameter of the --query.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Rows of the --query at most (0: all).")] = 0,
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also rejected claims, and their reviews as PROV.")
    ] = False,
) -> None:
    """Write the graph as RDF: schema.org types, claims with W3C Web Annotation evidence, PROV sources.

    Each claim is an ag:Claim with subject, predicate, object, source document, evidence quote and offsets,
    confidence and rule, and the plain triple (<a> ag:funds <b>) is there too. The vocabulary and the IRIs
    are in docs/rdf.md; the summary goes to stderr. Confirmed reviews come as PROV (who, when, why); claims a
    reviewer rejected, and their reviews, only with --include-rejected.

    Example: actorgraph export rdf -o graph.ttl && actorgraph export rdf -q funders "Northwind Holdings" -f nt
    """
    if args and query is None:
        raise ConfigError(f"unexpected arguments {' '.join(args)!r}", hint="ARGS go with --query NAME")
    values = _params(params)
    with _graph() as g, _stdout_unless(output) as stream:  # a file is opened by export_rdf, after connecting
        stats = g.export_rdf(
            stream, fmt=fmt.value, base=base, query=query, args=args or [], params=values, limit=limit,
            include_rejected=include_rejected,
        )
    where = f" -> {output}" if output else ""
    _say(stats.summary() + where, to=err)


@export_app.command("ftm")
def export_ftm_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="The FtM JSON-lines file to write.")] = Path(
        "graph.ftm.json"
    ),
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also the claims a reviewer rejected (marked).")
    ] = False,
) -> None:
    """Write the graph as FollowTheMoney entities (for Aleph, OpenSanctions tools), one JSON object a line.

    Needs the ftm extra: pip install 'actorgraph[ftm]'. The summary says what FtM cannot express and how many.

    Example: actorgraph export ftm -o graph.ftm.json
    """
    with _graph() as g:
        report = g.export_ftm(output, include_rejected=include_rejected)
    _say(report.summary() + f"\n-> {output}")


import_app = typer.Typer(
    cls=_Group,
    help="Load a graph written by an export back in.\n\nExample: actorgraph import rdf graph.ttl",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")


@import_app.command("rdf")
def import_rdf_cmd(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A file written by `actorgraph export rdf`.")],
    fmt: Annotated[
        _RdfFormat | None, typer.Option("--format", "-f", help="Default: from the file's suffix.")
    ] = None,
    base: Annotated[
        str | None, typer.Option("--base", help="Base IRI of the export (default: read from the file).")
    ] = None,
) -> None:
    """Load an RDF export into the graph (MERGE on ids: into an empty graph, the same graph comes back).

    Example: actorgraph --graph copy import rdf graph.ttl && actorgraph --graph copy db status
    """
    with _graph() as g:
        report = g.import_rdf(path, fmt=fmt.value if fmt else None, base=base)
    _say(f"{report.summary()} <- {path}")


# -- query, cypher ------------------------------------------------------------------------------------------


class _QueryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _print_result(result: QueryResult, fmt: _QueryFormat) -> None:
    """A query result on stdout as a table, JSON or CSV; a table says on stderr when rows were cut."""
    from actorgraph.output import actor_lines, to_csv, to_json, to_table

    if fmt is _QueryFormat.json:
        sys.stdout.write(to_json(result) + "\n")
    elif fmt is _QueryFormat.csv:
        sys.stdout.write(to_csv(result))
    else:
        for param, actor in result.actors.items():
            for line in actor_lines(param, actor):
                _say(line, style="dim", to=err)
        out.print(to_table(result))
        if result.truncated:
            shown = f"showing the first {len(result.rows):,} rows; --limit N for more, 0 for all"
            err.print(shown, style="yellow")


@app.command("query")
def query_cmd(
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="A curated query (see --list).")] = None,
    args: Annotated[
        list[str] | None, typer.Argument(metavar="[ARG]...", help="Its parameters in order (actor names...).")
    ] = None,
    params: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", metavar="K=V", help="A named parameter, e.g. depth=3."),
    ] = None,
    fmt: Annotated[
        _QueryFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = _QueryFormat.table,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, help="Rows at most (default 200; 0: every row).")
    ] = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the curated queries and exit.")] = False,
    include_rejected: Annotated[
        bool, typer.Option("--include-rejected", help="Also the claims a reviewer rejected (marked).")
    ] = False,
) -> None:
    """Run a curated query: who funds whom, who is accused of what, paths between actors, ...

    Actor arguments are names, aliases or ids, case-insensitive; a name that fits several actors lists them
    with their ids, so one can be picked. Every row carries the ids of the claims behind it, and `confirmed`:
    how many of them a reviewer confirmed; claims a reviewer rejected are left out unless --include-rejected.

    Example: actorgraph query accusations-against "Viktor Halvorsen" --format json
    """
    from actorgraph.output import query_list, query_list_json

    if list_queries or name is None:
        queries = Graph.curated_queries()
        if fmt is _QueryFormat.json:
            sys.stdout.write(query_list_json(queries) + "\n")
        else:
            out.print(query_list(queries))
        if name is None and not list_queries:
            raise typer.Exit(2)
        return
    values = _params(params)
    with _graph() as g:
        result = g.query_result(name, *(args or []), limit=limit, params=values, include_rejected=include_rejected)
    _print_result(result, fmt)


def _cypher_value(raw: str) -> Any:
    """A --param value: a JSON number, true/false/null, list or object if it parses, else the string."""
    text = raw.strip()
    number = text.lstrip("-").replace(".", "", 1).isdigit()
    if text[:1] in "[{" or text in {"true", "false", "null"} or number:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return raw
    return raw


@app.command("cypher")
def cypher_cmd(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="Cypher; values as $parameters.")],
    params: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", metavar="K=V", help="A parameter (JSON numbers and lists parse)."),
    ] = None,
    write: Annotated[bool, typer.Option("--write", help="Allow the query to change the graph.")] = False,
    fmt: Annotated[
        _QueryFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = _QueryFormat.table,
) -> None:
    """Run ad-hoc Cypher against the graph: read-only unless --write (a query that writes is refused).

    Pass values as parameters (--param name=value and $name in the query), never pasted into the text.

    Example: actorgraph cypher "MATCH (a:Actor {name: \\$name}) RETURN a.id, a.type" -p name="Lena Marsh"
    """
    values = {k: _cypher_value(v) for k, v in _params(params).items()}
    with _graph() as g:
        try:
            result = g.cypher_result(query, params=values, write=write)
        except ReadOnlyViolation as exc:
            raise ReadOnlyViolation(
                "the query would change the graph, and `actorgraph cypher` is read-only; nothing was changed",
                hint="pass --write if you really mean to change the graph",
            ) from exc
    _print_result(result, fmt)


def main() -> None:
    """Console-script entry point."""
    app()
