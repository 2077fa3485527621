"""A pipeline step that sets sentence starts before the parser runs: after blank lines, at table rows, and
wherever a run of tokens would otherwise be longer than the sentence limit (bounds.py says why).

News text puts its headline, dateline and paragraphs on lines of their own; without this the small model's
parser runs a headline into the first sentence ("Mara accused of attacking Voss\\n\\nMara Lind has been
accused ...") and builds one broken tree over both. spaCy's parser keeps sentence starts that are already set.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from actorgraph.extract.bounds import (
    COMMA,
    CUTS_KEY,
    DEFAULT_LIMITS,
    HARD,
    LIMITS_KEY,
    LINE_BREAK,
    ROWS_KEY,
    SENTENCE_END,
    SEPARATOR,
    SPACE,
    Limits,
    table_layout,
)

COMPONENT = "actorgraph_paragraphs"
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


@Language.component(COMPONENT)
def paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence at the first token after a blank line (and after a whitespace token holding one), at
    each table row, and where a run would pass the sentence limit (`Doc.user_data` may carry the Limits and
    the table rows, set by the extractor; else the defaults, and rows found in the Doc's own text)."""
    limits: Limits = doc.user_data.pop(LIMITS_KEY, DEFAULT_LIMITS)
    rows: list[int] | None = doc.user_data.pop(ROWS_KEY, None)
    starts = numpy.zeros(len(doc), dtype=bool)
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_space:
            continue
        gap = prev.whitespace_ if not prev.is_space else prev.text + prev.whitespace_
        if prev.is_space and tok.i >= 2:
            gap = doc[tok.i - 2].whitespace_ + gap
        if "\n" in gap and _BLANK_LINE.search(gap):
            starts[tok.i] = True
    if limits.tables:
        starts[row_tokens(doc, rows if rows is not None else table_layout(doc.text).rows)] = True
    if limits.sentence_tokens is not None and len(doc) > limits.sentence_tokens:
        preset = doc.to_array([SENT_START]).astype(numpy.int64) == 1
        preset[0] = True
        before = starts | preset
        cuts = cap_runs(doc, before, limits.sentence_tokens)
        if cuts:
            starts |= before & ~preset
            doc.user_data[CUTS_KEY] = cuts
    set_starts(doc, starts)
    return doc


def _break_kind(doc: Doc, i: int) -> int:
    """How good a sentence start token `i` would be (lower is better); HARD when it is a space."""
    tok = doc[i]
    if tok.is_space:
        return HARD
    prev = doc[i - 1]
    gap = prev.whitespace_
    if prev.is_space:
        gap = prev.text + gap
        prev = doc[i - 2] if i >= 2 else prev
    ends = prev.text in (".", "!", "?") or (prev.is_quote and prev.i >= 1 and doc[prev.i - 1].text in (".", "!", "?"))
    if ends and gap and (tok.is_title or tok.is_upper or tok.like_num or tok.is_quote):
        return SENTENCE_END
    if "\n" in gap:
        return LINE_BREAK
    if prev.text in ("|", ";", ":") or "\t" in gap:
        return SEPARATOR
    if prev.text == ",":
        return COMMA
    if gap:
        return SPACE
    return HARD


def cap_runs(doc: Doc, starts: numpy.ndarray, limit: int) -> Counter[int]:
    """Add sentence starts to `starts` (a bool array over `doc`, True where a sentence starts) so no run without
    one is longer than `limit` tokens; returns how many were added, by kind of break. Only runs over the limit
    are looked at token by token."""
    cuts: Counter[int] = Counter()
    marks = numpy.flatnonzero(starts).tolist()
    if not marks or marks[0] != 0:
        marks.insert(0, 0)
    marks.append(len(doc))
    for begin, end in itertools.pairwise(marks):
        if end - begin <= limit:
            continue
        last = begin
        best: dict[int, int] = {}
        for i in range(begin + 1, end):
            kind = _break_kind(doc, i)
            if kind != HARD:
                best[kind] = i
            if i - last >= limit:
                chosen = min(best) if best else HARD
                j = best[chosen] if best else i
                starts[j] = True
                cuts[chosen] += 1
                last = j
                best = {k: v for k, v in best.items() if v > j}
    return cuts


def set_starts(doc: Doc, starts: numpy.ndarray) -> None:
    """Mark the tokens flagged in `starts` as sentence starts in one write (Token.is_sent_start checks the
    whole Doc for a parse on every call, so setting them one by one is quadratic)."""
    if not starts.any():
        return
    values = doc.to_array([SENT_START]).astype(numpy.int64)
    values[starts] = 1
    doc.from_array([SENT_START], values.astype(numpy.uint64))  # type: ignore[arg-type]


def row_tokens(doc: Doc, rows: list[int]) -> list[int]:
    """Indices of the tokens that start at (or first after) each row offset."""
    if not rows:
        return []
    idx = doc.to_array("IDX")
    found = numpy.searchsorted(idx, numpy.asarray(rows, dtype=idx.dtype), side="left")
    return sorted({int(i) for i in found if 0 < i < len(doc) and not doc[int(i)].is_space})


def add_paragraph_starts(nlp: Language) -> None:
    """Insert the step before the parser (once; a pipeline without a parser is left alone)."""
    if COMPONENT in nlp.pipe_names or "parser" not in nlp.pipe_names:
        return
    nlp.add_pipe(COMPONENT, before="parser")
