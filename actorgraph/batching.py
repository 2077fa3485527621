"""The one chunking helper: lazy fixed-size batches, used by the reader, the writer, resolution and the exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most `size` items, pulled lazily (itertools.batched needs 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
