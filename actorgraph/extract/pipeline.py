"""From paths to extractions: read documents lazily, run the extractor in batches, in one or N processes.

`extract_paths` is what `actorgraph extract` calls. It streams: documents are read one at a time, parsed in
chunks of `batch_size`, and with `workers > 1` at most two chunks per worker are in flight, so memory stays
flat whatever the corpus size. Results come out in input order. A text read twice in one run (byte-identical
files, or the same text by other means) is extracted once; see `reader.read_documents`.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from actorgraph.batching import chunks
from actorgraph.errors import ActorgraphError, ConfigError
from actorgraph.extract.model import Document, Extraction
from actorgraph.extract.reader import MAX_BYTES, OnSkip, OnWarn, log_skip, read_documents

_Failure = tuple[str, str]  # (path, reason)
_ErrorInfo = tuple[type[ActorgraphError], str, str]  # an ActorgraphError sent back from a worker
_ChunkResult = tuple[list[Extraction], list[_Failure], _ErrorInfo | None]
IN_FLIGHT_PER_WORKER = 2  # chunks queued per worker: one running, one ready, none piling up


def extract_paths(
    paths: Iterable[str],
    *,
    model: str | None = None,
    gazetteer: Path | str | None = None,
    workers: int = 1,
    batch_size: int = 50,
    max_bytes: int = MAX_BYTES,
    on_skip: OnSkip | None = None,
    on_warn: OnWarn | None = None,
) -> Iterator[Extraction]:
    """Extractions of the documents under `paths`, in input order.

    Each process loads the model once (`load_model(model, gazetteer)`). A file that cannot be read, or a
    document the extractor fails on, goes to `on_skip(path, reason)` and the rest go on; errors that concern
    the whole run (no such model, a bad pattern or gazetteer file) raise their `ActorgraphError`.
    """
    skip = on_skip or log_skip
    docs = read_documents(paths, max_bytes=max_bytes, on_skip=skip, on_warn=on_warn)
    yield from extract_documents(
        docs, model=model, gazetteer=gazetteer, workers=workers, batch_size=batch_size, on_skip=skip
    )


def extract_documents(
    docs: Iterable[Document],
    *,
    model: str | None = None,
    gazetteer: Path | str | None = None,
    workers: int = 1,
    batch_size: int = 50,
    on_skip: OnSkip | None = None,
) -> Iterator[Extraction]:
    """Extractions of already-read documents, in input order, in this process or in `workers` processes.

    What `extract_paths` runs after reading, and what ingest calls with the documents the graph lacks.
    """
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, not {batch_size}")
    skip = on_skip or log_skip
    gaz = str(gazetteer) if gazetteer is not None else None
    if workers == 1:
        from actorgraph.extract.nlp import load_model

        nlp = None
        for chunk in chunks(docs, batch_size):
            nlp = nlp or load_model(model, Path(gaz) if gaz else None)  # not loaded when nothing is new
            extractions, failures = _extract_chunk(chunk, nlp, batch_size)
            yield from _report(extractions, failures, skip)
    else:
        yield from _extract_parallel(docs, model, gaz, workers, batch_size, skip)


def _extract_parallel(
    docs: Iterable[Document], model: str | None, gazetteer: str | None, workers: int, batch_size: int, skip: OnSkip
) -> Iterator[Extraction]:
    """N worker processes (forkserver, else spawn: no forked copy of the parent's state), ordered results."""
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    pending: deque[AsyncResult[_ChunkResult]] = deque()
    with ctx.Pool(workers, initializer=_ignore_sigint) as pool:
        for chunk in chunks(docs, batch_size):
            pending.append(pool.apply_async(_work, (chunk, model, gazetteer, batch_size)))
            while len(pending) >= IN_FLIGHT_PER_WORKER * workers:
                yield from _collect(pending.popleft(), skip)
        while pending:
            yield from _collect(pending.popleft(), skip)


def _ignore_sigint() -> None:
    """Ctrl-C is the parent's to handle (it terminates the pool), so workers print no tracebacks of their own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _collect(result: AsyncResult[_ChunkResult], skip: OnSkip) -> Iterator[Extraction]:
    extractions, failures, error = result.get()
    if error is not None:
        cls, message, hint = error
        raise cls(message, hint=hint)
    yield from _report(extractions, failures, skip)


def _report(extractions: list[Extraction], failures: list[_Failure], skip: OnSkip) -> Iterator[Extraction]:
    for path, reason in failures:
        skip(path, reason)
    yield from extractions


def _work(docs: list[Document], model: str | None, gazetteer: str | None, batch_size: int) -> _ChunkResult:
    """Worker side: the process's model (loaded on first use, then cached by `load_model`), one chunk.

    An ActorgraphError is returned rather than raised so its hint survives the trip back (exceptions are
    pickled with their message only); loading lazily, not in a Pool initializer, because a Pool respawns
    workers whose initializer fails, forever.
    """
    from actorgraph.extract.nlp import load_model

    try:
        nlp = load_model(model, Path(gazetteer) if gazetteer else None)
        extractions, failures = _extract_chunk(docs, nlp, batch_size)
    except ActorgraphError as exc:
        return [], [], (type(exc), str(exc), exc.hint)
    return extractions, failures, None


def _extract_chunk(docs: list[Document], nlp: Any, batch_size: int) -> tuple[list[Extraction], list[_Failure]]:
    """One chunk through the extractor; if it fails, one document at a time, to name the one that fails."""
    from actorgraph.extract.extractor import extract_docs

    try:
        return list(extract_docs(docs, nlp, batch_size=batch_size)), []
    except ActorgraphError:
        raise
    except Exception:  # a bug on some text: isolate the document, report it, and keep the rest
        extractions: list[Extraction] = []
        failures: list[_Failure] = []
        for doc in docs:
            try:
                extractions.extend(extract_docs([doc], nlp, batch_size=1))
            except ActorgraphError:
                raise
            except Exception as exc:
                reason = f"extraction failed ({type(exc).__name__}: {exc}); please report this as a bug"
                failures.append((doc.path or doc.id, reason))
        return extractions, failures
