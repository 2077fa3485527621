"""A pipeline step that sets sentence starts before the parser runs: after blank lines, at table rows, and
wherever a run of tokens would otherwise be longer than the sentence limit (bounds.py says why).

News text puts its headline, dateline and paragraphs on lines of their own; without this the small model's
parser runs a headline into the first sentence ("Cherie accused of attacking Bush\\n\\nCherie Blair has been
accused ...") and builds one broken tree over both. spaCy's parser keeps sentence starts that are already set.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from actorgraph.extract.bounds import (
    CUTS_KEY,
    DEFAULT_LIMITS,
    LIMITS_KEY,
    ROWS_KEY,
    Limits,
    cap_runs,
    row_tokens,
    set_starts,
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


def add_paragraph_starts(nlp: Language) -> None:
    """Insert the step before the parser (once; a pipeline without a parser is left alone)."""
    if COMPONENT in nlp.pipe_names or "parser" not in nlp.pipe_names:
        return
    nlp.add_pipe(COMPONENT, before="parser")
