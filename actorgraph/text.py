"""Text hygiene in both directions: what may be stored, and how stored text is shown to a person.

`clean_text` is applied to every text on its way in (each reader format, `--from-jsonl` records, raw `texts=`):
a NUL or a lone surrogate cannot be stored (FalkorDB ends a query at a NUL; a lone surrogate has no UTF-8
form), so each becomes U+FFFD, one character for one, which keeps every offset into the text valid.

`shown` is applied to names and sentences on their way out to a table or an HTML page: control characters and
bidirectional formatting characters become visible `\\uXXXX` escapes, so a name cannot move the cursor, colour
the terminal or make a row read backwards (a right-to-left override turns "Voss" into "ssoV" on screen).
"""

from __future__ import annotations

import re
from typing import Any, Final

REPLACEMENT: Final = "\ufffd"
#: what `clean_text` replaces: NUL and any surrogate code point (in a Python string one is always unpaired)
_UNSTORABLE: Final = re.compile("[\x00\ud800-\udfff]")
#: what `shown` escapes: C0 and C1 controls (newline and tab too: a cell is one line), the Unicode
#: Bidi_Control characters (ALM, LRM, RLM, LRE..RLO, LRI..PDI), the line and paragraph separators, and surrogates
_HIDDEN: Final = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
_NAMED: Final = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def clean_text_count(text: str) -> tuple[str, int]:
    """`text` with each NUL and lone surrogate replaced by U+FFFD (same length), and how many were replaced."""
    if _UNSTORABLE.search(text) is None:  # the common case: one scan, no copy
        return text, 0
    return _UNSTORABLE.subn(REPLACEMENT, text)


def clean_text(text: str) -> str:
    """`text` with each NUL and lone surrogate replaced by U+FFFD: storable, and offsets into it unchanged."""
    return clean_text_count(text)[0]


#: a JSON escape that can decode to NUL or a surrogate (a valid pair too, or an escaped backslash: then only slower)
_JSON_UNSTORABLE: Final = re.compile(rb"\\u(?:0000|[dD][89abcdefABCDEF][0-9a-fA-F]{2})")


def json_needs_cleaning(raw: bytes) -> bool:
    """Whether the JSON text `raw` may decode to a string `clean_text` changes (a cheap scan of the bytes).

    JSON writes a NUL or a surrogate only as a `\\u` escape (UTF-8 has no surrogates, a raw NUL is refused
    before parsing), so a line without one needs no walk over its parsed strings.
    """
    return _JSON_UNSTORABLE.search(raw) is not None


def clean_strings(value: Any) -> tuple[Any, int]:
    """A parsed JSON value with `clean_text` applied to every string in it (keys too), and the replacements."""
    if isinstance(value, str):
        return clean_text_count(value)
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        total = 0
        for key, item in value.items():
            key, n = clean_strings(key)
            out[key], m = clean_strings(item)
            total += n + m
        return out, total
    if isinstance(value, list):
        items = []
        total = 0
        for item in value:
            item, n = clean_strings(item)
            items.append(item)
            total += n
        return items, total
    return value, 0


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def shown(text: str) -> str:
    """`text` for display: control and bidi formatting characters as visible escapes (`\\u202e`, `\\n`)."""
    return _HIDDEN.sub(_escape, text) if _HIDDEN.search(text) else text


def shown_all(value: Any) -> Any:
    """A JSON-ready value with `shown` applied to every string in it (for data rendered into a page)."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {shown_all(k): shown_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [shown_all(v) for v in value]
    return value
