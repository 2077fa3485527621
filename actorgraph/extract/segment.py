"""A pipeline step that starts a sentence after every blank line, before the parser runs.

News text puts its headline, dateline and paragraphs on lines of their own; without this the small model's
parser runs a headline into the first sentence ("Cherie accused of attacking Bush\\n\\nCherie Blair has been
accused ...") and builds one broken tree over both. spaCy's parser keeps sentence starts that are already set.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "actorgraph_paragraphs"
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


@Language.component(COMPONENT)
def paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after a blank line (and after a whitespace token holding one) as a sentence start."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_space:
            continue
        gap = prev.whitespace_ if not prev.is_space else prev.text + prev.whitespace_
        if prev.is_space and tok.i >= 2:
            gap = doc[tok.i - 2].whitespace_ + gap
        if "\n" in gap and _BLANK_LINE.search(gap):
            tok.is_sent_start = True
    return doc


def add_paragraph_starts(nlp: Language) -> None:
    """Insert the step before the parser (once; a pipeline without a parser is left alone)."""
    if COMPONENT in nlp.pipe_names or "parser" not in nlp.pipe_names:
        return
    nlp.add_pipe(COMPONENT, before="parser")
