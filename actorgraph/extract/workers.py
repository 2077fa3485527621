"""Extraction in worker processes that can be killed and replaced: a document over its time budget is reported
as failed (`extraction took longer than N s`), its worker is killed, a new one takes its place, and the run goes
on. spaCy's compiled loops cannot be interrupted from inside a process, so a budget needs a process to end.

Each worker has its own task and result queues (a killed process may leave a queue broken, so both go with it),
loads the model before it takes a task (loading is not counted against any document), and reports each
document as soon as it is done, stamped with `time.monotonic()` (one clock for every process on the machine). A
budget counts from the last report of the chunk: the first document of a chunk also pays for parsing the whole
chunk, so when a chunk of several documents runs out of time its undone documents are run again one at a time,
and only a document that is over budget on its own is reported. Results come out in input order; at most
`IN_FLIGHT_PER_WORKER` chunks are queued per worker. `chunk_events` (one chunk, as events) also serves the
pipeline's in-process path.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from actorgraph.batching import chunks
from actorgraph.errors import ActorgraphError
from actorgraph.extract.bounds import Limits
from actorgraph.extract.model import Document, Extraction
from actorgraph.extract.reader import OnSkip, OnWarn

#: What one chunk produces, in order: ("ok", index, Extraction), ("failed", index, reason), ("warn", path, text).
Event = tuple[str, Any, Any]
IN_FLIGHT_PER_WORKER = 2  # chunks queued per worker: one running, one ready, none piling up
POLL_SECONDS = 0.5  # how often a wait checks that its worker is still alive
STOP_SECONDS = 5.0  # how long a worker told to stop may take before it is killed


@dataclass
class _Task:
    """A chunk of documents; `done` of them reported so far; `alone` when they run one at a time."""

    docs: list[Document]
    batch_size: int
    done: int = 0
    alone: bool = False
    started: float | None = None  # worker's clock: when it took the task, then its last report
    worker: _Worker | None = field(default=None, repr=False)


class _Worker:
    """One extraction process with its own queues."""

    def __init__(self, ctx: BaseContext, model: str | None, gazetteer: str | None, limits: Limits,
                 relation_model: str | None = None) -> None:
        self.tasks: Any = ctx.Queue()
        self.results: Any = ctx.Queue()
        self.assigned: deque[_Task] = deque()
        self.process = ctx.Process(  # type: ignore[attr-defined]
            target=_serve, args=(self.tasks, self.results, model, gazetteer, limits, relation_model), daemon=True
        )
        self.process.start()

    def give(self, task: _Task) -> None:
        task.worker = self
        task.started = None
        self.assigned.append(task)
        self.tasks.put((task.docs[task.done :], 1 if task.alone else task.batch_size))

    def kill(self) -> None:
        """End the process at once and drop its queues (what was queued for it is given to its successor)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        for q in (self.tasks, self.results):
            q.cancel_join_thread()  # data no process will read must not hold up this one's exit
            q.close()

    def stop(self) -> None:
        """Tell an idle process to finish, and kill it if it does not."""
        with contextlib.suppress(OSError, ValueError):  # its queue may be closed already
            self.tasks.put(None)
        self.process.join(STOP_SECONDS)
        self.kill()


def extract_supervised(
    docs: Iterable[Document],
    *,
    model: str | None,
    gazetteer: str | None,
    workers: int,
    batch_size: int,
    doc_timeout: float | None,
    limits: Limits,
    on_skip: OnSkip,
    on_warn: OnWarn,
    relation_model: str | None = None,
) -> Iterator[Extraction]:
    """Extractions of `docs` in input order from `workers` killable processes; with `doc_timeout` (seconds) a
    document that takes longer goes to `on_skip(path, reason)`, and its worker is replaced. Each worker loads
    the `relation_model` (a directory, or `default`) once, if one is given."""
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    pool = [_Worker(ctx, model, gazetteer, limits, relation_model) for _ in range(workers)]
    source = iter(chunks(docs, batch_size))
    pending: deque[_Task] = deque()
    finished = False

    def fill() -> None:
        while len(pending) < IN_FLIGHT_PER_WORKER * len(pool):
            chunk = next(source, None)
            if chunk is None:
                return
            task = _Task(list(chunk), batch_size)
            min(pool, key=lambda w: len(w.assigned)).give(task)
            pending.append(task)

    def replace(dead: _Worker) -> None:
        dead.kill()
        fresh = _Worker(ctx, model, gazetteer, limits, relation_model)
        pool[pool.index(dead)] = fresh
        for task in dead.assigned:
            fresh.give(task)

    try:
        fill()
        while pending:
            task = pending[0]
            worker = task.worker
            assert worker is not None
            message = _next_message(worker, task, doc_timeout)
            if message is None:  # over budget, or the process died
                _give_up(task, worker, doc_timeout, on_skip)
                replace(worker)
                continue
            kind = message[0]
            if kind == "error":
                cls, text, hint = message[1]
                raise cls(text, hint=hint)
            if kind == "start":
                task.started = message[1]
            elif kind == "ok":
                task.started = message[2]
                task.done += 1
                yield message[1]
            elif kind == "failed":
                task.started = message[2]
                doc = task.docs[task.done]
                task.done += 1
                on_skip(doc.path or doc.id, message[1])
            elif kind == "warn":
                on_warn(message[1], message[2])
            elif kind == "done":
                worker.assigned.popleft()
                pending.popleft()
                fill()
        finished = True
    finally:
        for worker in pool:
            if finished:
                worker.stop()
            else:
                worker.kill()


def _next_message(worker: _Worker, task: _Task, budget: float | None) -> tuple[Any, ...] | None:
    """The worker's next report; None when the task's current document is over budget or the process died."""
    while True:
        wait = POLL_SECONDS
        if budget is not None and task.started is not None:
            left = task.started + budget - time.monotonic()
            if left <= 0:
                return None
            wait = min(wait, left)
        try:
            message: tuple[Any, ...] = worker.results.get(timeout=wait)
            return message
        except queue.Empty:
            if not worker.process.is_alive():
                try:  # it may have reported just before it ended
                    return worker.results.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    return None


def _give_up(task: _Task, worker: _Worker, budget: float | None, on_skip: OnSkip) -> None:
    """After a timeout or a dead worker: name the document when it ran alone, else run the rest one by one."""
    left = len(task.docs) - task.done
    if task.alone or left == 1:
        doc = task.docs[task.done]
        task.done += 1
        if worker.process.is_alive():
            reason = f"extraction took longer than {budget:g} s"
        else:
            reason = f"the extraction process ended unexpectedly (exit code {worker.process.exitcode})"
        on_skip(doc.path or doc.id, reason)
    task.alone = True  # given again (what is left of it, maybe nothing), to the worker that replaces this one


def _serve(tasks: Any, results: Any, model: str | None, gazetteer: str | None, limits: Limits,
           relation_model: str | None = None) -> None:
    """Worker side: load the model, then run tasks until told to stop (None), reporting every document.

    An ActorgraphError is sent rather than raised so its hint survives the trip back (exceptions are pickled
    with their message only); Ctrl-C is the parent's to handle, so workers print no tracebacks of their own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from actorgraph.extract.nlp import load_model
    from actorgraph.extract.relations import engine_for
    from actorgraph.extract.segment import add_paragraph_starts

    try:
        nlp = load_model(model, Path(gazetteer) if gazetteer else None)
        add_paragraph_starts(nlp)
        engine_for(nlp)
        learned = None
        if relation_model is not None:
            from actorgraph.extract.learned.load import load_relation_model

            learned = load_relation_model(relation_model)
    except ActorgraphError as exc:
        results.put(("error", (type(exc), str(exc), exc.hint)))
        return
    while True:
        item = tasks.get()
        if item is None:
            return
        docs, batch_size = item
        results.put(("start", time.monotonic()))
        try:
            for kind, first, second in chunk_events(docs, nlp, batch_size, limits, learned):
                if kind == "warn":
                    results.put(("warn", first, second))
                else:
                    results.put((kind, second, time.monotonic()))
        except ActorgraphError as exc:
            results.put(("error", (type(exc), str(exc), exc.hint)))
            return
        results.put(("done",))


def chunk_events(docs: list[Document], nlp: Any, batch_size: int, limits: Limits,
                 relation_model: Any = None) -> Iterator[Event]:
    """One chunk through the extractor (with `relation_model`'s relations added, if given), as events in input
    order; if it fails, the documents not yet done go one at a time, to name the one that fails (an
    ActorgraphError concerns the run and is raised)."""
    from actorgraph.extract.extractor import extract_docs

    pending: list[Event] = []  # the warnings of the document being extracted, told once it is done

    def on_warn(path: str, message: str) -> None:
        pending.append(("warn", path, message))

    done = 0
    try:
        for extraction in extract_docs(docs, nlp, batch_size=batch_size, limits=limits, on_warn=on_warn,
                                       relation_model=relation_model):
            yield from pending
            pending.clear()
            yield "ok", done, extraction
            done += 1
        return
    except ActorgraphError:
        raise
    except Exception:  # a bug on some text: isolate the document, report it, and keep the rest
        pending.clear()
    for k in range(done, len(docs)):
        try:
            extractions = list(extract_docs([docs[k]], nlp, batch_size=1, limits=limits, on_warn=on_warn,
                                           relation_model=relation_model))
        except ActorgraphError:
            raise
        except Exception as exc:
            pending.clear()
            yield "failed", k, f"extraction failed ({type(exc).__name__}: {exc}); please report this as a bug"
            continue
        yield from pending
        pending.clear()
        yield "ok", k, extractions[0]
