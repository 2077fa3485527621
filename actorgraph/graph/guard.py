"""A pre-check of user Cypher before it reaches the engine: refuse text that could take the server down.

The embedded engine does not bound parsing time or memory per query (deep nesting parses for minutes, a huge
`range()` grows the server until the kernel kills it), so ad-hoc Cypher is checked here first, on its text
alone: size, bracket nesting, operator-chain length, and `range()` bounds that cannot be proved small.
Curated queries are actorgraph's own and do not pass through this check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from actorgraph.errors import QueryRefused

MAX_TEXT_BYTES: Final = 32 * 1024  # the query text; parameters travel apart
MAX_NESTING: Final = 12  # (), [] and {} nested in one another
MAX_TERMS: Final = 5_000  # operands of operator chains in one query
MAX_RANGE: Final = 10_000_000  # elements one range() may produce

_STRING_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_OPERATOR = re.compile(r"<>|<=|>=|=~|[-+*/%^=<>]|\b(?:AND|OR|XOR)\b", re.I)
_RANGE_CALL = re.compile(r"\brange\s*\(", re.I)
_INT = re.compile(r"\s*(-?\s*\d+)\s*")
_PARAM = re.compile(r"\s*\$(\w+)\s*")


def _blank(cypher: str) -> str:
    """The text with string literals, quoted names and comments replaced by spaces (same length)."""
    return _STRING_OR_COMMENT.sub(lambda m: " " * len(m.group()), cypher)


def _nesting(code: str) -> int:
    """The deepest bracket nesting of the (blanked) text."""
    depth = deepest = 0
    for ch in code:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth = max(depth - 1, 0)
    return deepest


def _call_args(code: str, start: int) -> list[str] | None:
    """The top-level, comma-separated arguments of the call whose "(" is at `start`; None if unclosed."""
    depth, args, begin = 0, [], start + 1
    for i in range(start, len(code)):
        ch = code[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                args.append(code[begin:i])
                return args
        elif ch == "," and depth == 1:
            args.append(code[begin:i])
            begin = i + 1
    return None


def _integer(arg: str, params: Mapping[str, Any]) -> int | None:
    """An integer literal or an integer-valued parameter; None for anything else (an expression)."""
    literal = _INT.fullmatch(arg)
    if literal:
        return int(literal.group(1).replace(" ", ""))
    param = _PARAM.fullmatch(arg)
    if param:
        value = params.get(param.group(1))
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _range_size(args: list[str], params: Mapping[str, Any]) -> int | None:
    """How many elements range(start, end[, step]) yields, or None when the bounds are not plain integers."""
    if len(args) not in (2, 3):
        return None
    bounds = [_integer(a, params) for a in args]
    if any(b is None for b in bounds):
        return None
    start, end = bounds[0], bounds[1]
    step = bounds[2] if len(bounds) == 3 else 1
    assert start is not None and end is not None and step is not None
    if step == 0:
        return 0
    return max((end - start) // step + 1, 0)


def check_cypher(cypher: str, params: Mapping[str, Any] | None = None) -> None:
    """Raise QueryRefused (one line and a hint) if `cypher` is too large, too deep, too long a chain, or
    calls range() with bounds not provably small; return quietly otherwise."""
    values = params or {}
    size = len(cypher.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise QueryRefused(
            f"the query text is {size:,} bytes, over the {MAX_TEXT_BYTES // 1024} KB limit; nothing was sent",
            hint="pass long values as --param K=V instead of pasting them into the text",
        )
    code = _blank(cypher)
    depth = _nesting(code)
    if depth > MAX_NESTING:
        raise QueryRefused(
            f"the query nests brackets {depth} deep, over the limit of {MAX_NESTING}; nothing was sent",
            hint="deeply nested expressions can keep the engine parsing for minutes: flatten them with WITH",
        )
    terms = len(_OPERATOR.findall(code)) + 1
    if terms > MAX_TERMS:
        raise QueryRefused(
            f"the query chains {terms:,} operands, over the limit of {MAX_TERMS:,}; nothing was sent",
            hint="aggregate with UNWIND and sum() or reduce() instead of writing out the terms",
        )
    for call in _RANGE_CALL.finditer(code):
        args = _call_args(code, call.end() - 1)
        n = _range_size(args, values) if args is not None else None
        if n is None:
            raise QueryRefused(
                "the query calls range() with bounds that are not plain integers; nothing was sent",
                hint="give range() integer literals or integer --param values, so its size can be checked",
            )
        if n > MAX_RANGE:
            raise QueryRefused(
                f"range() would make {n:,} values, over the limit of {MAX_RANGE:,}; nothing was sent",
                hint="a list that large can exhaust the engine's memory: narrow the bounds",
            )
