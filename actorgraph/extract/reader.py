"""Reading documents: files, directories, globs and stdin become `Document`s; a bad file never stops the rest.

Supported: `.txt`, `.md`, `.html`/`.htm` (main text only, via trafilatura) and `.jsonl` (one document a line:
`text` required; `title`, `url`, `published`, `author` optional). The stored text is the decoded file text
(newlines normalised as Python's text mode does), or for HTML, JSON Lines and stdin-HTML the extracted text;
`Document.id` hashes that text and every offset indexes it. Page furniture lines ("Tags: , ,", "Comments are
closed.") are masked, not deleted, by the regexes of `patterns/furniture.txt`.

Every text passes through `actorgraph.text.clean_text` before anything indexes it: a NUL or a lone surrogate (from
a `.jsonl` escape such as `"\\ud800"`, or a file name that is not UTF-8) becomes U+FFFD, one for one. A file with a
NUL byte anywhere is binary, not text. A `.jsonl` line is checked against `actorgraph.extract.schema`.

A file, `.jsonl` line or directory that cannot be read is reported through `on_skip(path, reason)` and the rest go
on; a file decoded by charset detection, or a text that needed cleaning, through `on_warn(path, message)`.
Neither raises.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from actorgraph.errors import InputError, PatternError
from actorgraph.extract.lexicon import entries
from actorgraph.extract.model import Document
from actorgraph.text import clean_strings, clean_text, json_needs_cleaning

log = logging.getLogger(__name__)

OnSkip = Callable[[str, str], None]
OnWarn = Callable[[str, str], None]
OnDuplicate = Callable[[str, str, str], None]  # (path, first path with the same text, the text's id)

STDIN = "-"
MAX_BYTES = 5_000_000  # per file (per line for .jsonl); a news article is rarely over 100 kB
#: file suffix (lower case) -> reader kind; a directory is walked for these only
SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
}
#: file stems (upper case) a directory walk skips: a corpus folder's notes, not its articles
FOLDER_NOTES = frozenset({"README", "LICENSE", "LICENCE", "CHANGELOG", "CHANGES", "NOTICE", "COPYING", "AUTHORS"})
FURNITURE_FILE = "furniture.txt"
FURNITURE_MAX_LINE = 200  # a longer line is prose, never furniture
_TOP_LINES = 10  # title, byline and dateline are looked for in this many non-blank lines
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


# -------------------- paths


def _is_hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def _walk(directory: str, on_skip: OnSkip) -> Iterator[str]:
    """Supported files under `directory`, recursively, sorted (deterministic order).

    Hidden files and a folder's own notes (README.txt, LICENSE.md, ...) are not documents: a directory walk
    skips them; named on their own, they are read like any file. A directory that cannot be listed (no
    permission, path too long) goes to `on_skip` and the walk goes on.
    """

    def unreadable(exc: OSError) -> None:
        on_skip(str(exc.filename or directory), f"cannot read directory ({exc.strerror or exc})")

    for root, dirs, names in os.walk(directory, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for name in sorted(names):
            stem, suffix = os.path.splitext(name)
            if not _is_hidden(name) and suffix.lower() in SUFFIXES and stem.upper() not in FOLDER_NOTES:
                yield os.path.join(root, name)


def expand_paths(paths: Iterable[str], *, on_skip: OnSkip | None = None) -> list[str]:
    """Files named by `paths`: directories walked recursively (sorted), globs expanded (sorted), `-` kept.

    Idempotent (a list it returns expands to itself), so a caller may expand first to count documents.
    A path that names nothing, and a directory that cannot be listed, are reported through `on_skip`. The same
    file named twice is listed once.
    """
    skip = on_skip or log_skip
    found: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = path if path == STDIN else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for raw in paths:
        path = str(raw)
        if path == STDIN:
            add(path)
        elif os.path.isdir(path):
            for child in _walk(path, skip):
                add(child)
        elif os.path.lexists(path):
            add(path)
        elif glob.has_magic(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                skip(path, "no file matches this pattern")
            for match in matches:
                if os.path.isdir(match):
                    for child in _walk(match, skip):
                        add(child)
                else:
                    add(match)
        else:
            skip(path, "no such file or directory")
    return found


def count_documents(paths: Iterable[str]) -> int:
    """How many documents `paths` (already expanded) hold, cheaply: a `.jsonl` counts its non-blank lines."""
    total = 0
    for path in paths:
        if path != STDIN and _kind(path) == "jsonl":
            try:
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def _kind(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return SUFFIXES.get(suffix, "text" if not suffix else "unsupported")


# -------------------- decoding


def decode_bytes(data: bytes, path: str) -> tuple[str, str | None]:
    """Decode bytes: (text, None) for UTF-8 (BOM allowed), else (text, encoding) found by charset detection.

    Raises InputError for binary data (a NUL byte anywhere) and for bytes no detector can decode.
    Newlines are normalised to "\\n" as Python's text mode does, so the id matches `Path.read_text()`.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _newlines(data.decode(codec)), (None if codec == "utf-8-sig" else codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: starts with a {codec} byte-order mark but is not {codec}") from exc
    if b"\x00" in data:  # anywhere, not only near the start: a NUL can never be stored
        raise InputError(f"{path}: binary file (NUL bytes), not text")
    try:
        return _newlines(data.decode("utf-8")), None
    except UnicodeDecodeError:
        pass
    encoding, text = _detect(data)
    if text is None:
        raise InputError(
            f"{path}: not UTF-8, and charset detection found no encoding that decodes it",
            hint="convert the file to UTF-8 (e.g. with iconv) and try again",
        )
    return _newlines(text), encoding


def _detect(data: bytes) -> tuple[str, str | None]:
    """Best charset-normalizer guess, ranked by coherence minus chaos, ties to Windows-1252.

    charset-normalizer's own first pick favours the lowest chaos, which on English text with one stray byte
    can be a CJK code page (it reads a Latin-1 `£` as cp932 `｣`); language coherence breaks that tie, and
    where nothing does, cp1252 wins: the WHATWG Encoding standard's default for legacy Western text.
    """
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        return "", None

    def rank(item: tuple[int, Any]) -> tuple[float, bool, int]:
        index, match = item
        return round(match.coherence - match.chaos, 2), match.encoding == "cp1252", -index

    best = max(enumerate(results), key=rank)[1]
    return best.encoding, str(best)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# -------------------- furniture


@cache
def furniture_patterns() -> tuple[re.Pattern[str], ...]:
    """The page-furniture regexes of `patterns/furniture.txt`, compiled once; a bad one names its line."""
    patterns = []
    for lineno, line in entries(FURNITURE_FILE):
        try:
            patterns.append(re.compile(line, re.IGNORECASE))
        except re.error as exc:
            raise PatternError(f"{FURNITURE_FILE}:{lineno}: bad regular expression: {exc}") from exc
    return tuple(patterns)


_LINE = re.compile(r"^[^\S\n]*(\S[^\n]*?)[^\S\n]*$", re.MULTILINE)  # group 1: a non-blank line, stripped


def mask_furniture(text: str) -> list[tuple[int, int]]:
    """(start, end) of every page-furniture line of `text` (the line without its surrounding spaces)."""
    patterns = furniture_patterns()
    masked = []
    for m in _LINE.finditer(text):
        line = m.group(1)
        if len(line) <= FURNITURE_MAX_LINE and any(p.fullmatch(line) for p in patterns):
            masked.append((m.start(1), m.end(1)))
    return masked


# -------------------- metadata

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATES = (
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 9 June 2019
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # June 21, 2019
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),  # 2019-06-21
)

_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_PARTICLE = r"(?:van|von|de|der|den|da|di|du|la|le|bin|ibn|al|el)"
_HONORIFIC = r"(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Lord|Lady)\.?\s+)"
_NAME = rf"(?P<name>{_HONORIFIC}?{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD}){{0,3}})"
_BYLINE = re.compile(rf"(?:by|written by|words by|author:)\s+{_NAME}\s*(?:$|[,|–—-]|\band\b)", re.IGNORECASE)
_WRITES = re.compile(rf"[,.;:–—-]\s*(?:writes|reports)\s+{_NAME}\s*\.?$")


def _top_lines(text: str) -> list[re.Match[str]]:
    lines = []
    for m in _LINE.finditer(text):
        lines.append(m)
        if len(lines) >= _TOP_LINES:
            break
    return lines


def _title_from_text(text: str, masked: list[tuple[int, int]]) -> str | None:
    """A headline: the first line when it is short, more text follows and it is set apart or unpunctuated."""
    lines = [m for m in _top_lines(text) if (m.start(1), m.end(1)) not in masked]
    if len(lines) < 2:
        return None
    first = lines[0]
    line = first.group(1)
    if len(line) > 150 or _dateline(line) is not None:
        return None
    blank_after = text[first.end() : lines[1].start()].count("\n") >= 2
    if blank_after or not line.endswith((".", ",", ";", ":")):
        return line
    return None


def _dates(line: str) -> Iterator[tuple[re.Match[str], str]]:
    """Every valid date written in `line`, with its ISO 8601 form."""
    for pattern in _DATES:
        for m in pattern.finditer(line):
            month_text = m.group("month").lower().rstrip(".")
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text]
            try:
                yield m, date(int(m.group("year")), month, int(m.group("day"))).isoformat()
            except ValueError:
                continue


_STAMP = re.compile(r"(?:published|updated|posted|dated?|first published)\b\W*", re.IGNORECASE)
_BEFORE_DATELINE = re.compile(r"(?:[A-Z][\w.'’ -]{0,30},\s*)?")  # "LONDON, " or nothing
_AFTER_DATELINE = re.compile(r"\s*(?:$|[|(:–—-]|\d\d?:\d\d)")


def _dateline(line: str) -> str | None:
    """ISO date when `line` is a dateline: mostly a date ("| June 21, 2019"), a stamp ("Published: 9 June
    2019") or a place-and-date lead ("LONDON, 21 June 2019 -"); None for a date inside a sentence."""
    line = line.lstrip("|*_#>–—- ").strip()
    stamp = _STAMP.match(line)
    for m, iso in _dates(line):
        if len(m.group(0)) >= 0.4 * len(line):
            return iso
        if stamp and m.start() <= stamp.end() + 12:  # "Published: Sunday, 9 June 2019"
            return iso
        if _BEFORE_DATELINE.fullmatch(line, 0, m.start()) and _AFTER_DATELINE.match(line, m.end()):
            return iso
    return None


def _name(match: re.Match[str]) -> str | None:
    name = match.group("name").rstrip(".,;:")
    words = name.split()
    # "By Reuters" is a byline, "By Monday" or "By comparison" are not: a name needs a capital on every word
    if not words or words[-1].lower() in _MONTHS or not words[-1][0].isupper():
        return None
    return name


def metadata_from_text(text: str, *, markdown: bool = False) -> tuple[str | None, str | None, str | None]:
    """(title, author, published) as the text states them near its top; None for what it does not state.

    Title: a markdown `# ` heading, else a short first line set apart from the body (BBC style).
    Author: a byline ("By Jane Doe") or a sign-off ("..., writes Ana Ruiz."). Published: a dateline
    ("| June 21, 2019", "LONDON, 21 June 2019 -") in the first lines, as an ISO 8601 date.
    """
    masked = mask_furniture(text)
    title = None
    if markdown:
        heading = re.search(r"^#{1,2}[ \t]+(.+?)[ \t#]*$", text, re.MULTILINE)
        title = heading.group(1).strip() if heading else None
    if title is None:
        title = _title_from_text(text, masked)
        if title and markdown:
            title = title.lstrip("#").strip() or None
    author = published = None
    for m in _top_lines(text):
        line = m.group(1)
        if published is None:
            published = _dateline(line)
        if author is None and len(line) <= 100:
            byline = _BYLINE.match(line.lstrip("|*_ ").strip())
            author = _name(byline) if byline else None
    if author is None:
        head = text[:3000]
        for m in _LINE.finditer(head):
            sign_off = _WRITES.search(m.group(1))
            if sign_off and (author := _name(sign_off)):
                break
    return title, author, published


def document_from_text(
    text: str,
    *,
    path: str | None = None,
    markdown: bool = False,
    title: str | None = None,
    author: str | None = None,
    published: str | None = None,
    url: str | None = None,
    encoding: str | None = None,
) -> Document:
    """A `Document` for `text` with its furniture masked and the metadata it states filled in (given wins).

    The text (and every given string) is cleaned first (`clean_text`), so offsets index what is stored.
    """
    text = clean_text(text)
    path, title, author, published, url = (
        None if value is None else clean_text(value) for value in (path, title, author, published, url)
    )
    found_title, found_author, found_published = metadata_from_text(text, markdown=markdown)
    return Document(
        text=text,
        path=path,
        title=title or found_title,
        url=url,
        author=author or found_author,
        published=published or found_published,
        masked=mask_furniture(text),
        encoding=encoding,
    )


# -------------------- readers


def _read_bytes(path: str, max_bytes: int) -> bytes:
    """A file's bytes, refusing what is not a regular file or is over `max_bytes`."""
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read(max_bytes + 1)
            size = len(data)
        else:
            size = os.stat(path).st_size
            if size > max_bytes:
                raise InputError(f"{path}: too large ({size:,} bytes > {max_bytes:,}; see --max-bytes)")
            if not os.path.isfile(path):
                raise InputError(f"{path}: not a regular file")
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise InputError(f"{path}: too large (over {max_bytes:,} bytes; see --max-bytes)")
    return data


def _require_text(text: str, path: str) -> None:
    if not text.strip():
        raise InputError(f"{path}: empty (no text)")


def _html_document(html: str, path: str) -> Document:
    """Main text of an HTML page (trafilatura: navigation, scripts, footers and comments dropped)."""
    import trafilatura

    try:
        found = trafilatura.bare_extraction(
            html, include_comments=False, include_tables=True, with_metadata=True, deduplicate=False
        )
    except Exception as exc:  # a third-party parser on arbitrary input: any failure is this file's problem
        raise InputError(f"{path}: HTML could not be parsed ({type(exc).__name__}: {exc})") from exc
    body = getattr(found, "text", None) if found is not None else None
    if not body or not body.strip():
        raise InputError(f"{path}: no main text found in the HTML")
    # paragraphs one per line from trafilatura; a blank line between them keeps headlines out of sentences
    text = "\n\n".join(line.strip() for line in body.splitlines() if line.strip())
    published = getattr(found, "date", None)
    return document_from_text(
        text,
        path=path,
        title=getattr(found, "title", None),
        author=getattr(found, "author", None),
        published=published if published and re.fullmatch(r"\d{4}-\d\d-\d\d.*", published) else None,
        url=getattr(found, "url", None),
    )


def _jsonl_documents(path: str, max_bytes: int, on_skip: OnSkip, on_warn: OnWarn) -> Iterator[Document]:
    """One document per line; a bad line is reported as `path:line` and the rest go on."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below; lines are streamed
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    with fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                yield _jsonl_document(raw, where, max_bytes, on_warn)
            except InputError as exc:
                on_skip(where, _reason(exc, where))


def parse_json_line(raw: bytes, what: str = "JSON Lines") -> Any:
    """One JSON Lines line parsed; InputError with a one-line reason (no path) when it is not UTF-8 JSON."""
    if b"\x00" in raw:
        raise InputError(f"a NUL byte in the line: binary data, not {what}")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 (JSON Lines must be UTF-8)") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise InputError("not JSON (nested too deeply)") from exc


def cleaned_warning(replaced: int) -> str:
    """The warning for a record whose strings held NULs or lone surrogates (stored as U+FFFD)."""
    s = "s" if replaced != 1 else ""
    return f"{replaced} NUL or lone surrogate character{s} replaced by U+FFFD (offsets unchanged)"


def _jsonl_document(raw: bytes, where: str, max_bytes: int, on_warn: OnWarn) -> Document:
    from actorgraph.extract import schema

    if len(raw) > max_bytes:
        raise InputError(f"{where}: too large ({len(raw):,} bytes > {max_bytes:,}; see --max-bytes)")
    try:
        row = parse_json_line(raw)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from exc
    if not isinstance(row, dict):
        raise InputError(f"{where}: not a JSON object")
    row, replaced = clean_strings(row) if json_needs_cleaning(raw) else (row, 0)
    try:
        record = schema.validate_document(row)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    text = _newlines(record.text)
    _require_text(text, where)
    if replaced:
        on_warn(where, cleaned_warning(replaced))
    return document_from_text(
        text,
        path=where,
        title=record.title or None,
        url=record.url or None,
        author=record.author or None,
        published=record.published or None,
    )


def _file_documents(path: str, max_bytes: int, on_skip: OnSkip, on_warn: OnWarn) -> Iterator[Document]:
    """The documents of one file (many for `.jsonl`); raises InputError when the whole file is unusable."""
    kind = "text" if path == STDIN else _kind(path)
    if kind == "unsupported":
        raise InputError(
            f"{path}: unsupported file type {Path(path).suffix!r} (use .txt, .md, .html, .htm or .jsonl)"
        )
    if kind == "jsonl":
        yield from _jsonl_documents(path, max_bytes, on_skip, on_warn)
        return
    data = _read_bytes(path, max_bytes)
    name = "<stdin>" if path == STDIN else path
    text, encoding = decode_bytes(data, name)
    if encoding:
        on_warn(name, f"not valid UTF-8; decoded as {encoding} (detected)")
    _require_text(text, name)
    sniffed_html = path == STDIN and text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))
    if kind == "html" or sniffed_html:
        doc = _html_document(text, name)
        doc.encoding = encoding
    else:
        doc = document_from_text(text, path=name, markdown=kind == "markdown", encoding=encoding)
    yield doc


def _reason(exc: InputError, path: str) -> str:
    """The message without its leading `path: `, since on_skip names the path itself."""
    message = str(exc)
    return message[len(path) + 2 :] if message.startswith(path + ": ") else message


def log_skip(path: str, reason: str) -> None:
    """Default `on_skip`: a logged warning."""
    log.warning("skipped %s: %s", path, reason)


def log_warn(path: str, message: str) -> None:
    """Default `on_warn`: a logged warning."""
    log.warning("%s: %s", path, message)


def _group_identical(paths: list[str], max_bytes: int) -> dict[str, list[str]]:
    """first path -> every path with byte-identical content (files only; one cheap hash pass, no decoding)."""
    groups: dict[str, list[str]] = {}
    first_of: dict[str, str] = {}
    for path in paths:
        if path == STDIN or _kind(path) == "jsonl":
            continue
        try:
            if os.stat(path).st_size > max_bytes:
                continue
            with open(path, "rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError:
            continue  # reported when the file is read
        first = first_of.setdefault(digest, path)
        groups.setdefault(first, []).append(path)
    return groups


def read_documents(
    paths: Iterable[str],
    *,
    max_bytes: int = MAX_BYTES,
    on_skip: OnSkip | None = None,
    on_warn: OnWarn | None = None,
    on_duplicate: OnDuplicate | None = None,
) -> Iterator[Document]:
    """Documents of `paths` (files, directories, globs, `-` for stdin), lazily, in input order.

    Duplicates: files with identical bytes are read once, as the first path, with every path in
    `Document.paths`; a later document whose text is identical to one already yielded by other means (a
    repeated `.jsonl` line, an HTML page with the same main text) is not yielded again and goes to
    `on_duplicate(path, first_path, doc_id)` (default: a warning). Unusable files and lines go to `on_skip(path,
    reason)` (default: logged) and never raise.
    """
    skip = on_skip or log_skip
    warn = on_warn or log_warn

    def duplicate(path: str, first: str, doc_id: str) -> None:
        warn(path, f"same text as {first}; extracted once")

    dup = on_duplicate or duplicate
    expanded = expand_paths(paths, on_skip=skip)
    groups = _group_identical(expanded, max_bytes)
    grouped = {p for members in groups.values() for p in members[1:]}
    first_path: dict[str, str] = {}
    for path in expanded:
        if path in grouped:
            continue
        try:
            for doc in _file_documents(path, max_bytes, skip, warn):
                where = doc.path or path
                if doc.id in first_path:
                    dup(where, first_path[doc.id], doc.id)
                    continue
                first_path[doc.id] = where
                members = groups.get(path, [])
                if len(members) > 1:
                    doc.paths = [clean_text(p) for p in members]
                yield doc
        except InputError as exc:
            name = "<stdin>" if path == STDIN else path
            for member in groups.get(path) or [path]:  # identical files fail alike: report each one
                skip(name if member == path else member, _reason(exc, name))
