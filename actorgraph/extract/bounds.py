"""Bounds on what the parser and the rule matcher see, so extraction time grows with text length, not its square.

spaCy's DependencyMatcher walks every matched token's ancestors, so a sentence of n tokens costs up to n², and
table-like text (thousands of `| a | b |` lines with no sentence end) parses as one sentence. Before parsing:

- table blocks (two or more lines of `|`-separated or tab-separated cells) are read row by row: each row starts
  a sentence, and the parser sees each `|` as a comma and separator lines (`|---|---|`) as spaces (the text it
  sees has the same length, so every offset still indexes the document's text, from which mentions and
  evidence are always cut);
- a run of more than `Limits.sentence_tokens` tokens with no sentence start is cut, at the last sentence end in
  it, else at a line break, a cell or clause separator, a comma, a space (a per-document warning says so);
- a text longer than `Limits.part_chars` (or than `Limits.batch_tokens` tokens) is parsed in parts cut at
  paragraph boundaries (then sentence ends, then spaces), joined back into one Doc, so spaCy's `max_length`
  never applies; and no parser batch holds more than `Limits.batch_tokens` tokens, so memory stays bounded.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

SENTENCE_TOKENS = 300  # a news sentence is rarely over 80 tokens; a run this long is a table or a list
PART_CHARS = 100_000  # texts longer than this are parsed in parts
#: Tokens per parser batch (and at most per part): the tagger's, parser's and NER's working memory grows with the
#: tokens of one `nlp.pipe` batch, some 16 kB each, so a batch of 50 table-like texts, or one long text, could
#: take gigabytes; news articles are some 500 tokens, so their batches are as large as --batch-size says.
BATCH_TOKENS = 20_000
MIN_TABLE_ROWS = 2
#: The CLI's budget per document, in seconds (cli.py repeats it, as it does --max-bytes): a news article takes
#: about a second, and the largest text --max-bytes lets in (5 MB) a few minutes, so only a pathological
#: document reaches it.
DOC_TIMEOUT = 600.0

ROWS_KEY = "actorgraph_rows"  # Doc.user_data: char offsets of table rows (set before parsing, then removed)
LIMITS_KEY = "actorgraph_limits"  # Doc.user_data: the Limits for this Doc (else the defaults)
CUTS_KEY = "actorgraph_cuts"  # Doc.user_data: Counter of forced sentence starts by kind of break

#: Kinds of break, best first: where a run over the limit is cut.
SENTENCE_END, LINE_BREAK, SEPARATOR, COMMA, SPACE, HARD = range(6)
_CUT_NAMES = {LINE_BREAK: "line breaks", SEPARATOR: "separators", COMMA: "commas", SPACE: "spaces", HARD: "tokens"}


@dataclass(frozen=True)
class Limits:
    """How much one sentence and one parsed part may hold; `sentence_tokens=None` and `tables=False` turn the
    bounds off (the old behaviour, for benchmarks and tests that need a slow document)."""

    sentence_tokens: int | None = SENTENCE_TOKENS
    tables: bool = True
    part_chars: int = PART_CHARS
    batch_tokens: int = BATCH_TOKENS


DEFAULT_LIMITS = Limits()
UNBOUNDED = Limits(sentence_tokens=None, tables=False)


# -- tables -----------------------------------------------------------------------------------------------------------

_LINE = re.compile(r"[^\n]*")
_SEPARATOR_ROW = re.compile(r"[\s|:+\-=]*")


@dataclass
class Layout:
    """What the parser is given for one text: `text` (same length, table separators read as commas) and `rows`,
    the char offsets at which table rows (and the line after a table) start."""

    text: str
    rows: list[int] = field(default_factory=list)
    tables: int = 0


def _is_row(line: str) -> bool:
    stripped = line.strip()
    if stripped.count("|") >= 2:
        return True
    cells = [c for c in stripped.split("\t") if c.strip()]
    return len(cells) >= 2


def table_layout(text: str) -> Layout:
    """Find table blocks (MIN_TABLE_ROWS or more row lines, blank lines allowed between them); turn their `|`
    into commas (separator lines such as `|---|---|` into spaces) and list where their rows start."""
    if "|" not in text and "\t" not in text:
        return Layout(text)
    lines = [(m.start(), m.group()) for m in _LINE.finditer(text)]  # empty matches are skipped as blank
    chars: list[str] | None = None
    rows: list[int] = []
    tables = 0
    block: list[tuple[int, str]] = []

    def close(next_start: int | None) -> None:
        nonlocal chars, tables
        if len(block) >= MIN_TABLE_ROWS:
            tables += 1
            for start, line in block:
                if "|" in line:
                    chars = chars if chars is not None else list(text)
                    blank_all = _SEPARATOR_ROW.fullmatch(line) is not None
                    for k, ch in enumerate(line, start):
                        if blank_all and not ch.isspace():
                            chars[k] = " "
                        elif ch == "|":
                            chars[k] = ","  # the parser reads cells as a list; spaces would run names together
                    if blank_all:
                        continue
                first = len(line) - len(line.lstrip())
                rows.append(start + first)
            if next_start is not None:
                rows.append(next_start)
        block.clear()

    for start, line in lines:
        if not line.strip():
            continue  # blank lines neither end nor extend a block
        if _is_row(line):
            block.append((start, line))
        else:
            close(start + len(line) - len(line.lstrip()))
    close(None)
    if not tables:
        return Layout(text)
    return Layout("".join(chars) if chars is not None else text, sorted(set(rows)), tables)


# -- parts ------------------------------------------------------------------------------------------------------------

_PARAGRAPH_GAP = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_GAP = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_SPACE_GAP = re.compile(r"\s+")


def part_bounds(text: str, size: int = PART_CHARS) -> list[tuple[int, int]]:
    """(start, end) ranges covering `text`, each at most `size` chars when the text allows, cut after a blank
    line, else after a sentence end, else after whitespace; each part after the first starts at a non-space."""
    if len(text) <= size:
        return [(0, len(text))]
    bounds: list[tuple[int, int]] = []
    pos = 0
    while len(text) - pos > size:
        cut = None
        for gap in (_PARAGRAPH_GAP, _SENTENCE_GAP, _SPACE_GAP):
            last = None
            for m in gap.finditer(text, pos + size // 4, pos + size):
                if m.end() < len(text) and m.end() > pos:
                    last = m.end()
            if last is not None:
                cut = last
                break
        if cut is None:  # no whitespace at all: cut anyway (a token may be split)
            cut = pos + size
        while cut < len(text) and text[cut].isspace():  # a match stops at the window's end, a gap may not
            cut += 1
        if cut >= len(text):
            break
        bounds.append((pos, cut))
        pos = cut
    bounds.append((pos, len(text)))
    return bounds


# -- warnings ---------------------------------------------------------------------------------------------------------


def cut_warning(cuts: Counter[int], limit: int) -> str | None:
    """The per-document warning for runs cut elsewhere than at a sentence end (None when there were none)."""
    forced = {k: n for k, n in cuts.items() if k != SENTENCE_END and n}
    if not forced:
        return None
    total = sum(forced.values())
    how = ", ".join(_CUT_NAMES[k] for k in sorted(forced))
    return (
        f"{total:,} passage(s) of over {limit} tokens with no sentence end were cut into sentences at {how} "
        "before parsing"
    )
