"""Ingest: documents in, graph out; idempotent, crash-safe, safe with two processes at once.

`ingest_paths` reads documents lazily, skips those whose text is already complete in the graph (one read per
batch, before any parsing), extracts the rest (`nlp.pipe`, one or N processes) and writes each batch of
documents in one atomic query (`writer.WRITE_DOCUMENTS`). `ingest_extractions` does the writing half for
extractions made elsewhere (`--from-jsonl`). After each batch the derived actor fields are recomputed
(`refresh_actors`), sources that now hold a new text are taken from the old documents, and documents left with
no source are forgotten. At the start of every run `heal` finishes whatever a crash interrupted; at the end,
cross-document resolution runs.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from actorgraph.batching import chunks
from actorgraph.errors import GraphUnavailable, InputError, NotFound, QueryError
from actorgraph.extract.model import Document, Extraction, text_id
from actorgraph.extract.reader import (
    MAX_BYTES,
    cleaned_warning,
    count_documents,
    expand_paths,
    parse_json_line,
    read_documents,
)
from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore
from actorgraph.ids import actor_keys
from actorgraph.ingest import writer
from actorgraph.text import clean_strings, clean_text, json_needs_cleaning
from actorgraph.vocab import PREDICATES

Row = dict[str, Any]
OnProblem = Callable[[str, str, str], None]  # (kind "skipped"/"failed"/"warning", path, reason)
OnProgress = Callable[[int], None]  # documents done since the last call
Resolver = Callable[[GraphStore], Any]  # run after the writes (cross-document resolution); result in the report

BATCH_SIZE: Final = 50  # documents per nlp.pipe batch and per write query
REFRESH_ROWS: Final = 5_000  # node ids per derived-field query
REFRESH_EVERY: Final = 100_000  # distinct nodes written before derived fields are recomputed (and at the end)
GC_GEN0: Final = 50_000  # allocations between the collector's young passes while ingest runs (see below)
REFRESH_ROUNDS: Final = 3  # re-reads when a concurrent write changed a node between our read and write
#: Reader reasons that mean "this file holds no document" (skipped); any other reason is a failure (exit 1).
SKIP_REASONS: Final = (
    "empty",
    "binary",
    "too large",
    "unsupported file type",
    "no main text",
    "not a regular",
)
JSONL_SUFFIXES: Final = (".jsonl", ".ndjson", ".json")
_SNIFF: Final = 8192  # bytes looked at for NUL (binary) before reading records


@dataclass
class IngestReport:
    """What one ingest did: the summary table of the CLI, and what tests assert on."""

    ingested: int = 0
    unchanged: int = 0
    duplicates: int = 0  # files whose text was already read in this run: one document, one more source
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    sources_added: int = 0
    forgotten: list[str] = field(default_factory=list)
    dropped_relations: int = 0  # relations outside the schema or with an unknown end: not storable as claims
    actors_added: int = 0
    claims_added: int = 0
    charges_added: int = 0
    resolution: Any = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no file failed (the CLI exits 1 otherwise)."""
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        """Plain counts, for `--json` and logs."""
        return {
            "documents ingested": self.ingested,
            "documents unchanged": self.unchanged,
            "duplicate texts": self.duplicates,
            "files skipped": len(self.skipped),
            "files failed": len(self.failed),
            "sources added": self.sources_added,
            "documents forgotten": len(self.forgotten),
            "actors added": self.actors_added,
            "claims added": self.claims_added,
            "charges added": self.charges_added,
            "relations not storable": self.dropped_relations,
            "seconds": round(self.seconds, 2),
        }


@dataclass
class RefreshResult:
    """What `refresh_actors` did."""

    updated: int = 0
    deleted: int = 0


@dataclass
class ForgetResult:
    """What `forget_document` removed."""

    document: str
    claims: int = 0
    refreshed: int = 0
    deleted: int = 0


@contextlib.contextmanager
def _fewer_collections(gen0: int = GC_GEN0) -> Iterator[None]:
    """Run the block with the garbage collector's first threshold raised to `gen0` allocations (then restored).

    A batch makes tens of thousands of short-lived rows and reply values; at Python's default (700) the
    collector ran 29 full passes over 200k synthetic claims, 1.3 s of 10.6 (bench/write_speed.py; 0.1 s at
    50,000). Nothing ingest allocates lives in reference cycles for long, so memory does not grow by it.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(max(gen0, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Run:
    """State of one ingest: the report, callbacks, and duplicate paths the reader folded into one text."""

    def __init__(self, on_problem: OnProblem | None, on_progress: OnProgress | None) -> None:
        self.report = IngestReport()
        self.on_problem = on_problem
        self.on_progress = on_progress
        self.touched: set[str] = set()  # actors and charges written since their derived fields were refreshed
        self.pending: list[str] = []  # documents written since then (`pending` in the graph until refreshed)
        self.extra_sources: dict[str, list[str]] = {}

    def problem(self, path: str, reason: str) -> None:
        kind = "skipped" if reason.startswith(SKIP_REASONS) else "failed"
        (self.report.skipped if kind == "skipped" else self.report.failed).append((path, reason))
        if self.on_problem:
            self.on_problem(kind, path, reason)
        self.progress(1)

    def duplicate(self, path: str, first: str, doc_id: str) -> None:
        """The reader met `first`'s text again under `path`: one document, one more source."""
        self.extra_sources.setdefault(doc_id, []).append(path)
        self.report.duplicates += 1
        self.progress(1)

    def warn(self, path: str, message: str) -> None:
        if self.on_problem:
            self.on_problem("warning", path, message)

    def progress(self, n: int) -> None:
        if self.on_progress and n:
            self.on_progress(n)


# -- ingest --------------------------------------------------------------------------------------------------


def ingest_paths(
    store: GraphStore,
    paths: Iterable[str],
    *,
    from_jsonl: bool = False,
    model: str | None = None,
    gazetteer: Path | str | None = None,
    workers: int = 1,
    batch_size: int = BATCH_SIZE,
    max_bytes: int = MAX_BYTES,
    doc_timeout: float | None = None,
    on_problem: OnProblem | None = None,
    on_progress: OnProgress | None = None,
    on_total: Callable[[int], None] | None = None,
    resolver: Resolver | None = None,
    relation_model: str | None = None,
) -> IngestReport:
    """Extract and write the documents under `paths` (or, `from_jsonl`, the `extract` records in them).
    A `relation_model` (a trained model directory, or `default`) adds its relations to the rules'.

    Files that cannot be used go to `on_problem(kind, path, reason)` and into the report; the rest go on.
    `on_total(n)` is called once with the number of documents expected, `on_progress(k)` as they are done.
    """
    started = time.monotonic()
    run = _Run(on_problem, on_progress)
    files = expand_paths([str(p) for p in paths], on_skip=run.problem)
    if on_total:
        on_total(count_documents(files))
    before = _prepare(store)
    if from_jsonl:
        extractions: Iterable[Extraction] = read_extractions(
            files, max_bytes=max_bytes, on_skip=run.problem, on_warn=run.warn
        )
    else:
        docs = read_documents(
            files, max_bytes=max_bytes, on_skip=run.problem, on_warn=run.warn, on_duplicate=run.duplicate
        )
        todo = _not_complete(store, docs, batch_size, run)
        extractions = _extract(todo, model, gazetteer, workers, batch_size, doc_timeout, run, relation_model)
    with _fewer_collections():
        _write_all(store, extractions, batch_size, run)
        return _finish(store, run, before, started, resolver)


def ingest_extractions(
    store: GraphStore,
    extractions: Iterable[Extraction],
    *,
    batch_size: int = BATCH_SIZE,
    on_problem: OnProblem | None = None,
    on_progress: OnProgress | None = None,
    resolver: Resolver | None = None,
) -> IngestReport:
    """Write extractions made elsewhere (library use, `--from-jsonl`): same guarantees as `ingest_paths`."""
    started = time.monotonic()
    run = _Run(on_problem, on_progress)
    before = _prepare(store)
    with _fewer_collections():
        _write_all(store, extractions, batch_size, run)
        return _finish(store, run, before, started, resolver)


def _prepare(store: GraphStore) -> dict[str, int]:
    writer.ensure_ingest_schema(store)
    heal(store)
    return _totals(store)


def _refresh_touched(store: GraphStore, run: _Run) -> None:
    """Derived fields of the nodes written since the last refresh: once per node, however many batches."""
    refresh_actors(store, sorted(run.touched))
    settle_documents(store, run.pending)
    run.touched.clear()
    run.pending.clear()


def settle_documents(store: GraphStore, ids: Sequence[str]) -> None:
    """Mark documents whose nodes' derived fields are now recomputed (no longer `pending`)."""
    for chunk in chunks(ids, REFRESH_ROWS):
        writer.with_retry(store, writer.SETTLE_DOCUMENTS, ids=chunk)


def _finish(
    store: GraphStore, run: _Run, before: dict[str, int], started: float, resolver: Resolver | None
) -> IngestReport:
    report = run.report
    _refresh_touched(store, run)
    if run.extra_sources:
        rows = [{"id": k, "sources": v} for k, v in run.extra_sources.items()]
        writer.add_sources(store, rows)
        report.sources_added += sum(len(v) for v in run.extra_sources.values())
        _forget_all(store, writer.take_sources(store, rows), report)
    if resolver is not None:
        report.resolution = resolver(store)
    after = _totals(store)
    report.actors_added = after["actors"] - before["actors"]
    report.claims_added = after["claims"] - before["claims"]
    report.charges_added = after["charges"] - before["charges"]
    report.seconds = time.monotonic() - started
    return report


def _totals(store: GraphStore) -> dict[str, int]:
    labels = {r["label"]: r["n"] for r in store.read(writer.COUNT_LABELS)}
    claims = writer.count_claims(store)
    return {
        "actors": labels.get("Actor", 0),
        "charges": labels.get("Charge", 0),
        "claims": claims,
    }


def _sources(doc: Document) -> list[str]:
    return writer.document_sources(Extraction(document=doc))


def _files(doc: Document) -> int:
    """How many input files this text was read from (the reader folds byte-identical files into one)."""
    return max(1, len(doc.paths))


def _not_complete(
    store: GraphStore, docs: Iterable[Document], batch_size: int, run: _Run
) -> Iterator[Document]:
    """The documents whose text is not complete in the graph yet; the others only get their sources added."""
    for chunk in chunks(docs, batch_size):
        done = writer.complete_sources(store, [d.id for d in chunk])
        seen: list[Row] = []
        for doc in chunk:
            if doc.id in done:
                seen.append({"id": doc.id, "sources": _sources(doc), "files": _files(doc)})
            else:
                yield doc
        _unchanged(store, seen, done, run)


def _unchanged(store: GraphStore, rows: list[Row], done: dict[str, list[str]], run: _Run) -> None:
    """Already-complete documents: add new sources, take them from older texts, count them."""
    if not rows:
        return
    new = [{"id": r["id"], "sources": [s for s in r["sources"] if s not in done[r["id"]]]} for r in rows]
    new = [r for r in new if r["sources"]]
    writer.add_sources(store, new)
    run.report.sources_added += sum(len(r["sources"]) for r in new)
    _forget_all(store, writer.take_sources(store, rows), run.report)
    run.report.unchanged += len(rows)
    run.report.duplicates += sum(r["files"] - 1 for r in rows)
    run.progress(sum(r["files"] for r in rows))


def _extract(
    docs: Iterable[Document],
    model: str | None,
    gazetteer: Path | str | None,
    workers: int,
    batch_size: int,
    doc_timeout: float | None,
    run: _Run,
    relation_model: str | None = None,
) -> Iterator[Extraction]:
    """Extractions of `docs` in input order, in this process or in `workers` processes (the pipeline's)."""
    from actorgraph.extract.pipeline import extract_documents

    # Ingest drops complete documents before any parsing, so it hands documents (not paths) to the pipeline.
    yield from extract_documents(
        docs, model=model, gazetteer=gazetteer, workers=workers, batch_size=batch_size, doc_timeout=doc_timeout,
        on_skip=run.problem, on_warn=run.warn, relation_model=relation_model,
    )


def _write_all(store: GraphStore, extractions: Iterable[Extraction], batch_size: int, run: _Run) -> None:
    for chunk in chunks(extractions, batch_size):
        _write_batch(store, chunk, run)


def _write_batch(store: GraphStore, chunk: Sequence[Extraction], run: _Run) -> None:
    """One batch: skip complete texts, write the rest in one query, refresh actors, move sources."""
    report = run.report
    done = writer.complete_sources(store, {e.document.id for e in chunk})
    now = _now()
    rows: dict[str, Row] = {}
    files_of: dict[str, int] = {}
    seen: list[Row] = []
    for extraction in chunk:
        doc_id = extraction.document.id
        sources = writer.document_sources(extraction)
        if doc_id in done:
            seen.append({"id": doc_id, "sources": sources, "files": _files(extraction.document)})
        elif doc_id in rows:  # the same text twice in one batch (e.g. repeated jsonl records)
            rows[doc_id]["sources"] += [s for s in sources if s not in rows[doc_id]["sources"]]
            report.duplicates += 1
            run.progress(1)
        else:
            row, dropped = writer.document_row(extraction, now)
            report.dropped_relations += dropped
            rows[doc_id] = row
            files_of[doc_id] = _files(extraction.document)
    _unchanged(store, seen, done, run)
    written = _write_rows(store, list(rows.values()), run)
    if not written:
        return
    run.touched.update(n["id"] for r in written for n in r["actors"] + r["charges"])
    run.pending += [r["id"] for r in written]
    if len(run.touched) >= REFRESH_EVERY:
        _refresh_touched(store, run)
    _forget_all(store, writer.take_sources(store, written), report)
    report.ingested += len(written)
    files = sum(files_of[r["id"]] for r in written)
    report.duplicates += files - len(written)
    run.progress(files)


def _write_rows(store: GraphStore, rows: list[Row], run: _Run) -> list[Row]:
    """Write rows in one query; if the graph refuses it, one document at a time, to name the bad one."""
    try:
        writer.write_documents(store, rows)
        return rows
    except GraphUnavailable:
        raise
    except QueryError:
        pass
    written: list[Row] = []
    for row in rows:
        try:
            writer.write_documents(store, [row])
            written.append(row)
        except GraphUnavailable:
            raise
        except QueryError as exc:
            path = row["sources"][0]
            run.report.failed.append((path, f"the graph refused the document: {exc}"))
            if run.on_problem:
                run.on_problem("failed", path, f"the graph refused the document: {exc}")
            run.progress(1)
    return written


def _forget_all(store: GraphStore, ids: Iterable[str], report: IngestReport) -> None:
    for doc_id in ids:
        forget_document(store, doc_id)
        report.forgotten.append(doc_id)


# -- --from-jsonl --------------------------------------------------------------------------------------------


def read_extractions(
    paths: Iterable[str],
    *,
    max_bytes: int = MAX_BYTES,
    on_skip: Callable[[str, str], None],
    on_warn: Callable[[str, str], None] | None = None,
) -> Iterator[Extraction]:
    """`extract` JSON Lines records as Extractions, lazily; a bad line goes to `on_skip("file:line", reason)`.

    Each record is checked against the contract (`actorgraph.extract.schema`: types, required fields, vocabulary,
    offsets that give the mention and evidence texts, relations between the record's own entities) and must
    carry its document's `text` (`extract` writes it). A NUL or lone surrogate in any string becomes U+FFFD one
    for one, so offsets hold; such a record is written, and named through `on_warn("file:line", message)`.
    """
    for path in paths:
        if Path(path).suffix.lower() not in JSONL_SUFFIXES:
            on_skip(path, "unsupported file type for --from-jsonl (it reads `extract` .jsonl output)")
            continue
        try:
            fh = open(path, "rb")  # noqa: SIM115 - closed below; lines are streamed
            head = fh.read(_SNIFF)
            fh.seek(0)
        except OSError as exc:
            on_skip(path, f"cannot read ({exc.strerror or exc})")
            continue
        if not head.strip() or b"\x00" in head:
            fh.close()
            reason = "empty (no records)" if not head.strip() else "binary file (NUL bytes), not JSON Lines"
            on_skip(path, reason)
            continue
        with fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    extraction, replaced = _extraction_from_line(raw, where, max_bytes)
                except InputError as exc:
                    on_skip(where, str(exc))
                    continue
                if replaced and on_warn is not None:
                    on_warn(where, cleaned_warning(replaced))
                yield extraction


def _extraction_from_line(raw: bytes, where: str, max_bytes: int) -> tuple[Extraction, int]:
    """One checked record, and how many NUL or lone surrogate characters its strings held (now U+FFFD)."""
    from actorgraph.extract import schema

    data = parse_json_line(raw, "an extract record")
    if not isinstance(data, dict) or not isinstance(data.get("document"), dict):
        raise InputError('not an extract record (no "document" object)')
    given = data["document"].get("text")
    data, replaced = clean_strings(data) if json_needs_cleaning(raw) else (data, 0)
    record = schema.validate_extraction(data)
    text = record.document.text
    if not text.strip():
        raise InputError('empty (the record has no document "text"; produce it with `actorgraph extract`)')
    if len(text.encode("utf-8")) > max_bytes:
        raise InputError(f"too large (document text over {max_bytes:,} bytes; see --max-bytes)")
    claimed = record.document.id
    if claimed and claimed not in (text_id(text), _raw_text_id(given)):
        raise InputError(f"document id {claimed} does not match its text (offsets would point elsewhere)")
    extraction = Extraction.from_record(record)
    doc = extraction.document
    if not doc.path and not doc.paths and not doc.url:
        doc.path = clean_text(where)
    return extraction, replaced


def _raw_text_id(text: Any) -> str | None:
    """The id a producer may have computed over the text before cleaning (lone surrogates kept as such)."""
    if not isinstance(text, str):
        return None
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# -- derived fields, heal, forget ----------------------------------------------------------------------------


def _fullest(names: dict[str, int]) -> str:
    """The fullest document-level name: most words, then most documents, then longest, then alphabetical."""
    return min(names, key=lambda n: (-len(n.split()), -names[n], -len(n), n))


def _derived(row: Row, actor: bool) -> Row:
    """Derived fields from one READ_DERIVED row; a name's weight is how many edges (≈ documents) use it. The
    name a user chose (`merge --name`, kept by resolve as `manual_name`) wins over the fullest."""
    names: dict[str, int] = {}
    for name in row["names"]:
        names[name] = names.get(name, 0) + 1
    name = row.get("manual_name") or (_fullest(names) if names else row["name"])
    out: Row = {
        "id": row["id"],
        "rev": row["rev"],
        "name": name,
        "mention_count": int(row["mentions"] or 0),
        "doc_count": row["docs"],
        "edges": row["edges"],
    }
    if actor:
        forms = {form for group in row["forms"] for form in group or []}
        out["aliases"] = sorted((forms | set(names) | set(row["manual"] or [])) - {name})
        out["keys"] = actor_keys(row["id"], name, out["aliases"])  # the indexed name lookup (queries/lookup.py)
    return out


def refresh_actors(store: GraphStore, ids: Iterable[str]) -> RefreshResult:
    """Recompute `name`, `aliases`, `mention_count`, `doc_count` of these actors and charges from their
    MENTIONED_IN edges, and delete those left with no claim and no mention (after forget, merge, split).

    Safe with concurrent writers: a node written between our read and our write is re-read (`rev` changed).
    """
    result = RefreshResult()
    pending = list(dict.fromkeys(ids))
    charges = [i for i in pending if i.startswith("charge:")]
    actors = [i for i in pending if not i.startswith("charge:")]
    for group, actor in ((actors, True), (charges, False)):
        read_q = writer.READ_DERIVED_ACTORS if actor else writer.READ_DERIVED_CHARGES
        write_q = writer.WRITE_DERIVED_ACTORS if actor else writer.WRITE_DERIVED_CHARGES
        delete_q = writer.DELETE_ORPHAN_ACTORS if actor else writer.DELETE_ORPHAN_CHARGES
        for todo in chunks(group, REFRESH_ROWS):
            for _ in range(REFRESH_ROUNDS):
                rows = store.read(read_q, ids=todo)
                # Orphans go first, while they are still dirty: a crash between the two writes leaves nothing
                # that looks refreshed but should be gone. The delete checks `rev` and the degree itself.
                orphans = [{"id": r["id"], "rev": r["rev"]} for r in rows if not r["edges"]]
                deleted = (
                    {r["id"] for r in writer.with_retry(store, delete_q, rows=orphans)} if orphans else set()
                )
                live = [_derived(r, actor) for r in rows if r["id"] not in deleted]
                done = {r["id"] for r in writer.with_retry(store, write_q, rows=live)} if live else set()
                result.deleted += len(deleted)
                result.updated += len(done)
                todo = [r["id"] for r in live if r["id"] not in done]
                if not todo:
                    break
    return result


def heal(store: GraphStore) -> None:
    """Finish what a crash interrupted: merge, split, not-same or alias edits left pending (their stored changes
    replayed), half-forgotten or sourceless documents, stale derived fields (of nodes marked dirty, and of the
    nodes of documents written but not settled). Costs what the interrupted operations touch."""
    if store.read(cypher.text("resolve", "pending_decisions")):  # only after a crash: resolve loads word lists
        from actorgraph.resolve.changes import replay_pending

        replay_pending(store, refresh_actors)
    for row in store.read(writer.ABANDONED_DOCUMENTS):
        forget_document(store, row["id"])
    pending = store.read(writer.PENDING_DOCUMENTS)
    dirty = _dirty_nodes(store) + [n for r in pending for n in r["named"] if n]
    if dirty:
        refresh_actors(store, dirty)
    settle_documents(store, [r["id"] for r in pending])


def find_documents(store: GraphStore, ref: str) -> list[str]:
    """Document ids named by `ref`: a document id (`sha256:...`), or a source path or URL it was read from."""
    if store.read(writer.DOCUMENT_BY_ID, id=ref):
        return [ref]
    candidates = [ref, os.path.normpath(ref)]
    if os.path.exists(ref):
        candidates += [os.path.relpath(ref), os.path.abspath(ref)]
    candidates = [clean_text(c) for c in candidates]  # sources are stored cleaned (a non-UTF-8 file name)
    found: list[str] = []
    for source in dict.fromkeys(candidates):
        found += [
            r["id"] for r in store.read(writer.DOCUMENTS_BY_SOURCE, source=source) if r["id"] not in found
        ]
    return found


def forget_document(store: GraphStore, ref: str) -> ForgetResult:
    """Remove a document (by id or source), its claims and mentions; recompute the actors it named and delete
    those left with no claim and no mention.

    Crash-safe: the first write marks the document incomplete and its nodes dirty at once, and the document node
    goes last, so after a crash at any write the same call (or `heal` at the next ingest) finishes the job.
    """
    ids = find_documents(store, ref)
    if not ids:
        raise NotFound(f"no document with id or source {ref!r}", hint="list sources with `actorgraph stats`")
    result = ForgetResult(document=ids[0])
    for doc_id in ids:
        marked = writer.with_retry(store, writer.FORGET_MARK, id=doc_id)
        named = [n for n in (marked[0]["named"] if marked else []) if n]
        result.claims += writer.with_retry(store, writer.FORGET_CLAIMS, id=doc_id)[0]["claims"]
        writer.with_retry(store, writer.FORGET_MENTIONS, id=doc_id)
        refreshed = refresh_actors(store, [*named, *_dirty_nodes(store)])
        result.refreshed += refreshed.updated
        result.deleted += refreshed.deleted
        writer.with_retry(store, writer.FORGET_DOCUMENT, id=doc_id)
    return result


def _dirty_nodes(store: GraphStore) -> list[str]:
    """Nodes an interrupted forget, merge, split or alias edit left to refresh (few: only what it touched)."""
    return [r["id"] for r in store.read(writer.DIRTY_ACTORS)] + [r["id"] for r in store.read(writer.DIRTY_CHARGES)]


# -- stats ---------------------------------------------------------------------------------------------------


def graph_stats(store: GraphStore, *, top: int = 10) -> dict[str, Any]:
    """Counts by label and relationship type, documents and sources, and the `top` actors by claims."""
    labels = {r["label"]: r["n"] for r in store.read(writer.COUNT_LABELS)}
    types = {r["type"]: r["n"] for r in store.read(writer.COUNT_TYPES)}
    docs = store.read(writer.COUNT_SOURCES)[0]
    claims = sum(n for t, n in types.items() if t in PREDICATES)
    return {
        "labels": labels,
        "types": types,
        "documents": int(docs["documents"] or 0),
        "sources": int(docs["sources"] or 0),  # FalkorDB's sum() is a float
        "claims": claims,
        "top_actors": store.read(writer.TOP_ACTORS, limit=top),
    }
