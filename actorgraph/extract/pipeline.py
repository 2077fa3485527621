"""From paths to extractions: read documents lazily, run the extractor in batches, in one or N processes.

`extract_paths` is what `actorgraph extract` calls. It streams: documents are read one at a time, parsed in
chunks of `batch_size`, and with `workers > 1` at most two chunks per worker are in flight, so memory stays
flat whatever the corpus size. Results come out in input order. A text read twice in one run (byte-identical
files, or the same text by other means) is extracted once; see `reader.read_documents`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from actorgraph.batching import chunks
from actorgraph.errors import ConfigError
from actorgraph.extract.bounds import DEFAULT_LIMITS, Limits
from actorgraph.extract.model import Document, Extraction
from actorgraph.extract.reader import MAX_BYTES, OnSkip, OnWarn, log_skip, log_warn, read_documents


def extract_paths(
    paths: Iterable[str],
    *,
    model: str | None = None,
    gazetteer: Path | str | None = None,
    workers: int = 1,
    batch_size: int = 50,
    max_bytes: int = MAX_BYTES,
    doc_timeout: float | None = None,
    limits: Limits = DEFAULT_LIMITS,
    on_skip: OnSkip | None = None,
    on_warn: OnWarn | None = None,
    relation_model: str | None = None,
) -> Iterator[Extraction]:
    """Extractions of the documents under `paths`, in input order.

    Each process loads the model once (`load_model(model, gazetteer)`). A file that cannot be read, or a
    document the extractor fails on (or that takes longer than `doc_timeout` seconds), goes to
    `on_skip(path, reason)` and the rest go on; errors that concern the whole run (no such model, a bad
    pattern or gazetteer file) raise their `ActorgraphError`.
    """
    skip = on_skip or log_skip
    docs = read_documents(paths, max_bytes=max_bytes, on_skip=skip, on_warn=on_warn)
    yield from extract_documents(
        docs,
        model=model,
        gazetteer=gazetteer,
        workers=workers,
        batch_size=batch_size,
        doc_timeout=doc_timeout,
        limits=limits,
        on_skip=skip,
        on_warn=on_warn,
        relation_model=relation_model,
    )


def extract_documents(
    docs: Iterable[Document],
    *,
    model: str | None = None,
    gazetteer: Path | str | None = None,
    workers: int = 1,
    batch_size: int = 50,
    doc_timeout: float | None = None,
    limits: Limits = DEFAULT_LIMITS,
    on_skip: OnSkip | None = None,
    on_warn: OnWarn | None = None,
    relation_model: str | None = None,
) -> Iterator[Extraction]:
    """Extractions of already-read documents, in input order, in this process or in `workers` processes.

    What `extract_paths` runs after reading, and what ingest calls with the documents the graph lacks. With a
    `doc_timeout` (seconds; None or 0: none) documents always run in worker processes, even with one worker,
    because only a process can be stopped in the middle of spaCy's compiled loops (workers.py). A
    `relation_model` (a directory `actorgraph train` wrote; `default` or None: the shipped model; `none`: the
    hand rules alone) adds its relations to the rules'; each process loads it once.
    """
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, not {batch_size}")
    if doc_timeout is not None and doc_timeout < 0:
        raise ConfigError(f"--doc-timeout must be 0 (none) or more, not {doc_timeout}")
    skip = on_skip or log_skip
    warn = on_warn or log_warn
    gaz = str(gazetteer) if gazetteer is not None else None
    from actorgraph.extract.learned.load import load_relation_model, model_spec

    relation_model = model_spec(relation_model)
    # a bad directory fails before any document is read
    learned = load_relation_model(relation_model) if relation_model is not None else None
    if workers == 1 and not doc_timeout:
        from actorgraph.extract.nlp import load_model
        from actorgraph.extract.workers import chunk_events

        nlp = None
        for chunk in chunks(docs, batch_size):
            nlp = nlp or load_model(model, Path(gaz) if gaz else None)  # not loaded when nothing is new
            for kind, first, second in chunk_events(chunk, nlp, batch_size, limits, learned):
                if kind == "ok":
                    yield second
                elif kind == "failed":
                    skip(chunk[first].path or chunk[first].id, second)
                else:
                    warn(first, second)
    else:
        from actorgraph.extract.workers import extract_supervised

        yield from extract_supervised(
            docs,
            model=model,
            gazetteer=gaz,
            workers=workers,
            batch_size=batch_size,
            doc_timeout=doc_timeout or None,
            limits=limits,
            on_skip=skip,
            on_warn=warn,
            relation_model=relation_model,
        )
