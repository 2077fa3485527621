"""The library: `Graph`, one object for everything the CLI does, and the store-free `extract_documents`.

    from actorgraph import Graph

    with Graph() as g:                                   # the graph the environment names (embedded by default)
        g.ingest("examples/")                            # read a folder; cross-document resolution at the end
        rows = g.query("accusations-against", "Mukhtar Ablyazov")

`Graph()` opens the graph named by the settings (ACTORGRAPH_HOME / ACTORGRAPH_GRAPH, or NEO4J_URI when set) and
starts the embedded engine when it is not running; `Graph(home=..., graph=...)` picks an embedded graph,
`Graph.neo4j(uri, auth=..., database=...)` a Neo4j one. The engine keeps running after `close()`, as after a CLI
command; `stop_engine()` stops it. The heavy parts (spaCy, rdflib, the store's clients) are imported by the
methods that need them, so importing this module is cheap.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

from actorgraph.config import Settings
from actorgraph.errors import ConfigError

if TYPE_CHECKING:
    from actorgraph.export.ftm import FtmReport
    from actorgraph.export.push import CopyReport
    from actorgraph.export.rdf import ExportStats
    from actorgraph.export.rdf_import import ImportReport
    from actorgraph.export.viz import View
    from actorgraph.extract.learned.training import TrainReport
    from actorgraph.extract.model import Document, Extraction
    from actorgraph.graph.store import GraphStore, Row
    from actorgraph.ingest.ingest import ForgetResult, IngestReport
    from actorgraph.queries import CuratedQuery, QueryResult
    from actorgraph.resolve import MergeReport, ResolveReport

PathArg = str | os.PathLike[str]
_T = TypeVar("_T")
#: Raw texts: one string, several, or source name -> text (the name is the source the graph records).
Texts = str | Iterable[str] | Mapping[str, str]
TEXT_SOURCE = "<text>"  # the source of a text given without a name (a pseudo-source: never "changes text")


def _texts(texts: Texts) -> list[tuple[str, str]]:
    """(source, text) pairs of a `texts=` argument."""
    if isinstance(texts, str):
        return [(TEXT_SOURCE, texts)]
    if isinstance(texts, Mapping):
        return [(str(name), str(text)) for name, text in texts.items()]
    pairs = []
    for text in texts:
        if not isinstance(text, str):
            raise ConfigError(f"texts= takes strings, not {type(text).__name__}")
        pairs.append((TEXT_SOURCE, text))
    return pairs


def _documents(pairs: Iterable[tuple[str, str]]) -> Iterator[Document]:
    """Documents of (source, text) pairs, read as a .txt file would be (furniture masked, metadata filled in)."""
    from actorgraph.extract.reader import document_from_text

    for source, text in pairs:
        yield document_from_text(text, path=source)


def _paths(paths: PathArg | Iterable[PathArg]) -> list[str]:
    """A path, or several, as strings; a ConfigError for anything else."""
    if isinstance(paths, str | os.PathLike):
        return [os.fspath(paths)]
    found: list[str] = []
    for path in paths:
        if not isinstance(path, str | os.PathLike):
            raise ConfigError(f"expected a path, got {type(path).__name__}", hint="pass texts with texts=")
        found.append(os.fspath(path))
    return found


def _given(**options: Any) -> dict[str, Any]:
    """The options that were given (not None), so the wrapped function's own defaults apply to the rest."""
    return {k: v for k, v in options.items() if v is not None}


def _raw(value: Any) -> str:
    """A curated query's parameter value as the query takes it: text (a list of predicates comma-joined)."""
    if isinstance(value, list | tuple | set | frozenset):
        return ",".join(str(v) for v in value)
    return str(value)


def _query_params(params: Mapping[str, Any] | None, extra: Mapping[str, Any]) -> dict[str, str]:
    return {k: _raw(v) for k, v in {**(params or {}), **extra}.items()}


@contextlib.contextmanager
def _text_out(out: PathArg | TextIO) -> Iterator[TextIO]:
    """`out` itself when it is a stream, else the file at that path (a bad path is one ConfigError)."""
    if not isinstance(out, str | os.PathLike):
        yield out
        return
    path = Path(out)
    try:
        stream = path.open("w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}", hint="check the -o path") from exc
    with stream:
        yield stream


def extract_documents(
    paths: PathArg | Iterable[PathArg] = (),
    *,
    texts: Texts = (),
    model: str | None = None,
    gazetteer: PathArg | None = None,
    workers: int = 1,
    batch_size: int = 50,
    max_bytes: int | None = None,
    doc_timeout: float | None = None,
    exclude: Iterable[PathArg] = (),
    on_skip: Callable[[str, str], None] | None = None,
    on_warn: Callable[[str, str], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    relation_model: PathArg | None = None,
) -> Iterator[Extraction]:
    """Extract actors and evidence-backed relations from files and raw texts, without any graph.

    `paths` are files, directories (recursive), globs or `-` for stdin; `texts` raw strings (or a mapping of
    source name to text). Paths are expanded now (`on_total(n)` is told how many documents to expect; a path
    in `exclude` is left out); the extractions come lazily, in input order. Unusable files, and documents that
    take longer than `doc_timeout` seconds (None: no limit; documents then run in a worker process), go to
    `on_skip(path, reason)` (default: logged) and the rest go on; warnings go to `on_warn(path, message)`.
    `relation_model` (a directory `train_model` wrote, or "default" for the shipped one) adds a learned model's
    relations to the rules'; each records the model's version in its `rule` (`model:<version>`).
    """
    from actorgraph.extract.pipeline import extract_documents as extract_docs
    from actorgraph.extract.pipeline import extract_paths
    from actorgraph.extract.reader import count_documents, expand_paths

    files = expand_paths(_paths(paths), on_skip=on_skip) if paths else []
    skipped = {os.path.realpath(p) for p in _paths(exclude)}
    files = [f for f in files if os.path.realpath(f) not in skipped]
    pairs = _texts(texts)
    if on_total:
        on_total(count_documents(files) + len(pairs))
    gaz = os.fspath(gazetteer) if gazetteer is not None else None
    options: dict[str, Any] = {"model": model, "gazetteer": gaz, "workers": workers, "batch_size": batch_size}
    options.update(doc_timeout=doc_timeout, on_skip=on_skip, on_warn=on_warn)
    options.update(relation_model=os.fspath(relation_model) if relation_model is not None else None)
    from_files: Iterator[Extraction] = (
        extract_paths(files, **options, **_given(max_bytes=max_bytes)) if files else iter(())
    )
    from_texts: Iterator[Extraction] = extract_docs(_documents(pairs), **options) if pairs else iter(())
    return itertools.chain(from_files, from_texts)


def train_model(
    gold: PathArg,
    *,
    root: PathArg,
    output: PathArg,
    exclude: PathArg | None = None,
    min_precision: float = 0.0,
    model: str | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainReport:
    """Train a relation model on annotations in the gold format (`docs/model-card.md`) and write it to `output`.

    `gold` holds one line per document (`doc`: its path relative to `root`, `entities`, `relations`); paths
    listed in `exclude` are left out. Thresholds are chosen for F1 on out-of-fold predictions (among those
    reaching `min_precision`). Deterministic: the same gold gives the same files. Use the result with
    `extract_documents(..., relation_model=output)` or `Graph.ingest(..., relation_model=output)`.
    """
    from actorgraph.extract.learned.training import train_model as train

    return train(Path(gold), Path(root), Path(output), exclude=Path(exclude) if exclude is not None else None,
                 min_precision=min_precision, spacy_model=model, log=log)


class Graph:
    """One actorgraph graph (embedded FalkorDB or Neo4j) and everything the CLI does with it, as methods.

    A context manager: `with Graph() as g: ...` closes the connection at the end (the engine keeps running).
    """

    def __init__(
        self,
        home: PathArg | None = None,
        graph: str | None = None,
        *,
        settings: Settings | None = None,
        connect: bool = True,
    ) -> None:
        """Open a graph: the one the environment names, or with `home`/`graph` that embedded graph.

        The embedded engine is started when it is not running. `connect=False` opens nothing until the first
        call that needs the graph (`engine_status()` and `stop_engine()` never start it).
        """
        if settings is None:
            settings = Settings.from_env()
            if home is not None or graph is not None:  # an embedded graph, whatever NEO4J_URI says
                settings = replace(settings, neo4j_uri=None).override(
                    home=Path(home).expanduser() if home is not None else None, graph=graph
                )
        self._settings = settings
        self._store: GraphStore | None = None
        self._closed = False
        if connect:
            self._connect()

    @classmethod
    def neo4j(
        cls,
        uri: str,
        *,
        auth: tuple[str, str] | None = None,
        database: str | None = None,
        connect: bool = True,
    ) -> Graph:
        """A graph on the Neo4j at `uri`; `auth` is (user, password), by default NEO4J_USERNAME/NEO4J_PASSWORD."""
        settings = Settings.from_env().override(neo4j_uri=uri, neo4j_database=database)
        if auth is not None:
            settings = replace(settings, neo4j_user=auth[0], neo4j_password=auth[1])
        return cls(settings=settings, connect=connect)

    @classmethod
    def from_env(
        cls,
        *,
        graph: str | None = None,
        uri: str | None = None,
        database: str | None = None,
        env: Mapping[str, str] | None = None,
        connect: bool = True,
    ) -> Graph:
        """The graph the environment names, with the CLI's global options (--graph, --uri, --database) over it."""
        settings = Settings.from_env(env).override(graph=graph, neo4j_uri=uri, neo4j_database=database)
        return cls(settings=settings, connect=connect)

    # -- the connection -----------------------------------------------------------------------------------------

    def _connect(self) -> GraphStore:
        if self._closed:
            raise ConfigError("this Graph is closed", hint="open a new one, e.g. `with Graph() as g:`")
        if self._store is None:
            from actorgraph.graph.store import GraphStore

            self._store = GraphStore.connect(self._settings)
        return self._store

    @property
    def store(self) -> GraphStore:
        """The underlying `GraphStore` (read/write Cypher with parameters), connected on first use."""
        return self._connect()

    @property
    def settings(self) -> Settings:
        """Where this graph lives and how it is reached."""
        return self._settings

    @property
    def backend(self) -> str:
        """"falkordb" (the embedded engine) or "neo4j"."""
        return "neo4j" if self._settings.neo4j_uri else "falkordb"

    @property
    def home(self) -> Path:
        """The embedded engine's data dir (graph, password, log)."""
        return self._settings.home

    @property
    def name(self) -> str:
        """The embedded graph's name (its FalkorDB key)."""
        return self._settings.graph

    @property
    def uri(self) -> str | None:
        """The Neo4j URI, or None for the embedded engine."""
        return self._settings.neo4j_uri

    @property
    def closed(self) -> bool:
        """True after `close()`."""
        return self._closed

    def close(self) -> None:
        """Release the connection (the embedded engine keeps running; `stop_engine()` stops it)."""
        if self._store is not None:
            self._store.close()
            self._store = None
        self._closed = True

    def __enter__(self) -> Graph:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open" if self._store is not None else "not connected"
        if self.uri:
            database = self._settings.neo4j_database
            where = f"{self.uri!r}" + (f", database={database!r}" if database else "")
            return f"<Graph neo4j {where} ({state})>"
        return f"<Graph embedded {self.name!r} in {str(self.home)!r} ({state})>"

    # -- the engine ---------------------------------------------------------------------------------------------

    def start_engine(self) -> dict[str, str]:
        """Connect, starting the embedded engine if it is down (on Neo4j: check that it answers); where it is."""
        return self.store.describe()

    def stop_engine(self) -> str:
        """Drop the connection and stop the embedded engine; says what happened (Neo4j is not ours to stop)."""
        from actorgraph.graph import lifecycle

        if self._store is not None:
            self._store.close()
            self._store = None
        return lifecycle.stop(self._settings)

    def engine_status(self) -> dict[str, Any]:
        """Backend, address, data dir and counts; a stopped embedded engine is reported, not started."""
        from actorgraph.graph import lifecycle

        return lifecycle.status(self._settings)

    # -- ingest, stats, forget ----------------------------------------------------------------------------------

    def ingest(
        self,
        source: PathArg | Extraction | Iterable[PathArg | Extraction] = (),
        *,
        texts: Texts = (),
        from_jsonl: bool = False,
        model: str | None = None,
        gazetteer: PathArg | None = None,
        workers: int = 1,
        batch_size: int | None = None,
        max_bytes: int | None = None,
        doc_timeout: float | None = None,
        resolve: bool = True,
        on_problem: Callable[[str, str, str], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
        on_total: Callable[[int], None] | None = None,
        relation_model: PathArg | None = None,
    ) -> IngestReport:
        """Read paths, Extractions or raw `texts` into the graph, then resolve actors across documents.

        `source` is a path (file, folder, glob; with `from_jsonl`, `extract` output) or several, or Extractions
        made elsewhere; `texts` a string, several, or a mapping of source name to text. Paths and texts go in
        separate calls. Idempotent: a text already in the graph is skipped. Unusable files go to
        `on_problem(kind, path, reason)` and into the report; the rest go on (a document that takes longer than
        `doc_timeout` seconds is one: None, no limit). `resolve=False` skips resolution. `relation_model` (a
        trained model directory, or "default") adds a learned model's relations to the rules'.
        """
        from actorgraph.extract.model import Extraction
        from actorgraph.ingest import ingest
        from actorgraph.resolve import resolve as resolve_all

        resolver = resolve_all if resolve else None
        if isinstance(source, Extraction):
            source = [source]
        items = iter([source] if isinstance(source, str | os.PathLike) else source)
        first = next(items, None)
        extractions: Iterable[Extraction] = ()
        if isinstance(first, Extraction):
            extractions = itertools.chain([first], cast(Iterator[Extraction], items))  # the rest, lazily
        elif first is not None:
            paths = _paths(cast(Iterator[PathArg], itertools.chain([first], items)))  # checked there
            if texts:
                raise ConfigError("ingest paths and texts in separate calls", hint="g.ingest(texts=...) for texts")
            return self._reconciled(ingest.ingest_paths(
                self.store,
                paths,
                from_jsonl=from_jsonl,
                model=model,
                gazetteer=os.fspath(gazetteer) if gazetteer is not None else None,
                workers=workers,
                doc_timeout=doc_timeout,
                on_problem=on_problem,
                on_progress=on_progress,
                on_total=on_total,
                resolver=resolver,
                relation_model=os.fspath(relation_model) if relation_model is not None else None,
                **_given(batch_size=batch_size, max_bytes=max_bytes),
            ))
        failed: list[tuple[str, str]] = []
        if texts:

            def skip(path: str, reason: str) -> None:
                failed.append((path, reason))
                if on_problem is not None:
                    on_problem("failed", path, reason)

            def warn(path: str, message: str) -> None:
                if on_problem is not None:
                    on_problem("warning", path, message)

            extracted = extract_documents(
                texts=texts, model=model, gazetteer=gazetteer, workers=workers, doc_timeout=doc_timeout,
                on_skip=skip, on_warn=warn, relation_model=relation_model, **_given(batch_size=batch_size),
            )
            extractions = itertools.chain(extractions, extracted)
        report = ingest.ingest_extractions(
            self.store,
            extractions,
            on_problem=on_problem,
            on_progress=on_progress,
            resolver=resolver,
            **_given(batch_size=batch_size),
        )
        report.failed += failed  # texts the extractor failed on: never written, so not in the writer's report
        self._reconcile()
        return report

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Counts by label and relationship type, documents and sources, claims, and the `top` actors by claims."""
        from actorgraph.ingest.ingest import graph_stats

        return graph_stats(self.store, top=top)

    def forget(self, document: str) -> ForgetResult:
        """Remove a document (by id `sha256:...` or a path or URL it was read from), its claims and mentions."""
        from actorgraph.ingest.ingest import forget_document

        return self._reconciled(forget_document(self.store, document))

    # -- queries ------------------------------------------------------------------------------------------------

    @staticmethod
    def curated_queries() -> list[CuratedQuery]:
        """The curated queries, by name: what each answers, its parameters and an example."""
        from actorgraph.queries import curated_queries

        return [q for _, q in sorted(curated_queries().items())]

    def query_result(
        self,
        name: str,
        /,
        *args: str,
        limit: int | None = 0,
        params: Mapping[str, Any] | None = None,
        include_rejected: bool = False,
        **kw: Any,
    ) -> QueryResult:
        """Run a curated query; the whole result: rows, columns, the claim ids behind the rows, the actors.

        `args` fill its parameters in order, `params` / keywords by name (e.g. `depth=3`). `limit`: rows at
        most, 0 every row, None the CLI's default (200). Claims a reviewer rejected are left out unless
        `include_rejected`; each row's `confirmed` counts its claims a reviewer confirmed.
        """
        from actorgraph.queries.run import run_query

        return run_query(self.store, name, list(args), _query_params(params, kw), limit,
                         include_rejected=include_rejected)

    def query(
        self,
        name: str,
        /,
        *args: str,
        limit: int | None = 0,
        params: Mapping[str, Any] | None = None,
        include_rejected: bool = False,
        **kw: Any,
    ) -> list[Row]:
        """Run a curated query (see `curated_queries()`); its rows as dicts, e.g. for `pandas.DataFrame(rows)`."""
        return self.query_result(name, *args, limit=limit, params=params, include_rejected=include_rejected,
                                 **kw).rows

    def cypher_result(
        self, query: str, /, *, write: bool = False, params: Mapping[str, Any] | None = None, **kw: Any
    ) -> QueryResult:
        """Run ad-hoc Cypher, read-only unless `write` (a write is refused: ReadOnlyViolation); the result.
        After a write, reviews are reconciled (a claim written anew gets its review mark back)."""
        from actorgraph.queries import run_cypher

        result = run_cypher(self.store, query, {**(params or {}), **kw}, write=write)
        return self._reconciled(result) if write else result

    def cypher(
        self, query: str, /, *, write: bool = False, params: Mapping[str, Any] | None = None, **kw: Any
    ) -> list[Row]:
        """Run ad-hoc Cypher with `$parameters` as keywords, read-only unless `write`; its rows as dicts."""
        return self.cypher_result(query, write=write, params=params, **kw).rows

    def actor(self, ref: str) -> Row:
        """The actor a name, alias or id names (id, name, type, aliases, claims, mentions, documents, others).

        Case-insensitive. When several actors fit, the one with the most evidence (claims, then mentions, then
        documents) is taken and `others` lists the rest, strongest first; NotFound with the closest names, or
        AmbiguousActor listing candidates that are equal on all of it.
        """
        from actorgraph.queries import resolve_actor

        return resolve_actor(self.store, ref)

    # -- resolution ---------------------------------------------------------------------------------------------

    def resolve(self) -> ResolveReport:
        """Merge actors across documents and re-apply stored decisions (ingest runs this at its end)."""
        from actorgraph.resolve import resolve

        return self._reconciled(resolve(self.store))

    def merge(self, keep: str, other: str, *, name: str | None = None) -> MergeReport:
        """Merge actor `other` into `keep` (ids, names or aliases); stored, so later runs keep it.

        `keep` keeps its id; the survivor is named by the fuller of the two names, or by `name` (one of their
        names or aliases). The report's `before` holds both actors as the lookup took them (with the `others`
        each name also fits), `after` the survivor. Crash-safe, like split, not_same and add_alias: after an
        interruption, calling it again finishes the job; work already done gives a report whose `note` says so
        (nothing changed).
        """
        from actorgraph.resolve import merge_actors

        return self._reconciled(merge_actors(self.store, keep, other, name=name))

    def split(self, merged: str) -> ResolveReport:
        """Undo a merge: `merged` (an id or document-level name) gets its own actor back and stays apart."""
        from actorgraph.resolve import split_actor

        return self._reconciled(split_actor(self.store, merged))

    def not_same(self, first: str, second: str) -> ResolveReport:
        """Record that two actors differ: resolution never merges them, and parts them if merged."""
        from actorgraph.resolve import not_same

        return self._reconciled(not_same(self.store, first, second))

    def add_alias(self, actor: str, name: str) -> ResolveReport:
        """Record `name` as another name of `actor`; actors going by that name are merged into it."""
        from actorgraph.resolve import add_alias

        return self._reconciled(add_alias(self.store, actor, name))

    # -- claim review -------------------------------------------------------------------------------------------

    def _reconcile(self) -> None:
        """Move every review to its claim now and re-mark the claims (after anything that writes or moves them)."""
        from actorgraph.review import reconcile

        reconcile(self.store)

    def _reconciled(self, result: _T) -> _T:
        self._reconcile()
        return result

    def claim(self, claim_id: str) -> Row:
        """One claim by id: its ends, evidence, source and review (`status` unreviewed/confirmed/rejected,
        `why`, `by`, `at`); ClaimNotFound otherwise."""
        from actorgraph.review import show_claim

        return show_claim(self.store, claim_id)

    def review(self, claim_id: str, verdict: str, *, why: str | None = None, by: str | None = None) -> Row:
        """Confirm or reject a claim (`verdict` "confirmed"/"rejected"), by `by` (default: the login name).

        The review is stored apart from the claim, so it survives re-ingest, forget of other documents,
        resolve, merge, split and a retrained model: an equivalent new claim inherits it. Reviewing a claim
        again replaces its review. Rejected claims leave queries, `viz` and exports (`include_rejected` to
        see them). The claim with its review comes back.
        """
        from actorgraph.review import review_claim

        return review_claim(self.store, claim_id, verdict, why=why, by=by)

    def confirm(self, claim_id: str, *, why: str | None = None, by: str | None = None) -> Row:
        """`review(claim_id, "confirmed", ...)`."""
        return self.review(claim_id, "confirmed", why=why, by=by)

    def reject(self, claim_id: str, *, why: str | None = None, by: str | None = None) -> Row:
        """`review(claim_id, "rejected", ...)`."""
        return self.review(claim_id, "rejected", why=why, by=by)

    def claims(self, status: str = "unreviewed", *, actor: str | None = None, limit: int = 200) -> list[Row]:
        """Claims by review status: "unreviewed", "confirmed", "rejected" or "orphaned" (reviews whose claim has
        no equivalent any more); only those of `actor` (a name, alias or id) if given; `limit` 0: all."""
        from actorgraph.review import list_claims

        found = self.actor(actor) if actor is not None else None
        return list_claims(self.store, status, actor=found, limit=limit)

    def review_gold(self, gold: PathArg, *, root: PathArg) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """The lines of a gold file with this graph's reviews as extra labels, and what changed.

        A confirmed claim becomes a relation of its document's line, a rejected one removes the relation it
        matches (so the model learns it as a negative); a reviewed document the gold lacks gets a line when it
        lies under `root` and every claim of it is reviewed. Counts: added, removed, documents, skipped.
        """
        from actorgraph.extract.learned.training import read_gold
        from actorgraph.review import gold_with_reviews, training_labels

        rows, _ = read_gold(Path(gold))
        labels, unreviewed = training_labels(self.store)
        return gold_with_reviews(rows, labels, unreviewed, os.fspath(root))

    def train(
        self,
        gold: PathArg,
        *,
        root: PathArg,
        output: PathArg,
        exclude: PathArg | None = None,
        min_precision: float = 0.0,
        model: str | None = None,
        log: Callable[[str], None] | None = None,
    ) -> TrainReport:
        """`train_model` on `gold` with this graph's reviews as extra labels (`review_gold`): confirmed claims
        are positives, rejected ones negatives. The shipped model is never touched: it writes `output`."""
        import json
        import tempfile

        lines, counts = self.review_gold(gold, root=root)
        if log is not None:
            log("reviews as labels: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        with tempfile.TemporaryDirectory(prefix="actorgraph-gold-") as tmp:
            merged = Path(tmp) / "gold-with-reviews.jsonl"
            merged.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8")
            return train_model(merged, root=root, output=output, exclude=exclude, min_precision=min_precision,
                               model=model, log=log)

    # -- exports, import, push ----------------------------------------------------------------------------------

    def export_rdf(
        self,
        out: PathArg | TextIO,
        *,
        fmt: str = "turtle",
        base: str | None = None,
        query: str | None = None,
        args: Iterable[str] = (),
        params: Mapping[str, Any] | None = None,
        limit: int = 0,
        include_rejected: bool = False,
    ) -> ExportStats:
        """Write the graph as RDF (turtle, nt, jsonld, xml) to a path or stream; summary counts come back.

        With `query`, only the claims behind that curated query's rows (`args`/`params` its parameters,
        `limit` its rows, 0: all). IRIs are minted under `base` (default `urn:actorgraph:`). Confirmed
        reviews come as PROV (who, when, why); rejected claims and their reviews only with `include_rejected`.
        """
        from actorgraph.export.rdf import export_rdf

        store = self.store
        with _text_out(out) as stream:
            return export_rdf(
                store,
                stream,
                fmt=fmt,
                query=query,
                args=list(args),
                params=_query_params(params, {}),
                limit=limit,
                include_rejected=include_rejected,
                **_given(base=base),
            )

    def export_ftm(self, out: PathArg | TextIO, *, include_rejected: bool = False) -> FtmReport:
        """Write the graph as FollowTheMoney entities, one JSON object a line (needs the `ftm` extra); rejected
        claims only with `include_rejected`."""
        from actorgraph.export.ftm import export_ftm

        store = self.store
        with _text_out(out) as stream:
            return export_ftm(store, stream, include_rejected=include_rejected)

    def export_cypher(
        self, path: PathArg, *, dialect: str = "neo4j", schema: bool = True, include_rejected: bool = False
    ) -> CopyReport:
        """Write the graph as a parameter-free Cypher script; `dialect` ("neo4j"/"falkordb") picks the schema.
        Reviews are copied; rejected claims only with `include_rejected`."""
        from actorgraph.export.cypher_script import export_cypher
        from actorgraph.graph.dialect import dialect_for

        return export_cypher(self.store, Path(path), dialect=dialect_for(dialect), schema=schema,
                             include_rejected=include_rejected)

    def export_graphml(
        self, path: PathArg, *, documents: bool = False, include_rejected: bool = False
    ) -> tuple[int, int]:
        """Write the actor network as GraphML (with `documents`, also documents); (nodes, edges) written.
        Confirmed claims carry `review`; rejected ones only with `include_rejected`."""
        from actorgraph.export.gephi import export_graphml

        return export_graphml(self.store, Path(path), documents=documents, include_rejected=include_rejected)

    def export_gexf(
        self, path: PathArg, *, documents: bool = False, include_rejected: bool = False
    ) -> tuple[int, int]:
        """Write the actor network as GEXF for Gephi (with `documents`, also documents); (nodes, edges).
        Confirmed claims carry `review`; rejected ones only with `include_rejected`."""
        from actorgraph.export.gephi import export_gexf

        return export_gexf(self.store, Path(path), documents=documents, include_rejected=include_rejected)

    def viz(
        self,
        path: PathArg,
        actor: str | None = None,
        *,
        depth: int | None = None,
        queries: Iterable[str] = (),
        params: Mapping[str, Any] | None = None,
        limit: int | None = None,
        include_rejected: bool = False,
    ) -> View:
        """Write the network (around `actor`, or behind `queries`' rows, else all) as one offline HTML page;
        claims a reviewer rejected only with `include_rejected`, confirmed ones marked."""
        from actorgraph.export.viz import network_page

        return network_page(
            self.store,
            Path(path),
            actor,
            depth=depth,
            queries=list(queries),
            params=_query_params(params, {}),
            include_rejected=include_rejected,
            **_given(limit=limit),
        )

    @staticmethod
    def browser_style() -> str:
        """The GraSS stylesheet for Neo4j Browser (captions by name, colours by label, types on edges)."""
        from actorgraph.export.viz import browser_style

        return browser_style()

    def import_rdf(self, path: PathArg, *, fmt: str | None = None, base: str | None = None) -> ImportReport:
        """Load an `export_rdf` file into this graph (MERGE on ids: into an empty graph, the same graph)."""
        from actorgraph.export.rdf_import import import_rdf

        return self._reconciled(import_rdf(self.store, Path(path), fmt=fmt, base=base))

    def push(
        self,
        other: Graph | None = None,
        *,
        on_progress: Callable[[str, int], None] | None = None,
        include_rejected: bool = False,
    ) -> CopyReport:
        """Copy this graph into `other` (batched MERGEs: safe to run again); reviews are copied, rejected claims
        only with `include_rejected`.

        Without `other`, what `actorgraph push` does: copy the embedded graph at `home`/`name` into the Neo4j
        these settings name (NEO4J_URI; ConfigError when there is none).
        """
        from actorgraph.export import push

        if other is None:
            return push.push(self._settings, on_progress=on_progress, include_rejected=include_rejected)
        return push.copy_graph(self.store, other.store, on_progress=on_progress, include_rejected=include_rejected)
