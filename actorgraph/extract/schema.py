"""The JSON contract as pydantic models: every input record is checked here before anything is built from it.

Two records come in as JSON: a document line of a `.jsonl` input file (`InputDocument`), and an `extract` record
read back by `ingest --from-jsonl` (`ExtractionRecord`, see docs/extract-format.md). Types are strict (no
`1` for a name, no `"abc"` for a list of paths, no `0` for `false`), entity types and predicates come from
`actorgraph.vocab`, every offset must lie inside the document text and give exactly the mention or evidence
text, and every relation must name entities of its record. Unknown fields are ignored, as the contract says.

Every string has been through `actorgraph.text.clean_text` first (NUL and lone surrogates become U+FFFD one for
one, so offsets still hold). A failure is one line: the field's path and what is wrong (`reason`).

pydantic is imported only by code that validates: importing `actorgraph` or running `--help` does not load it.
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from actorgraph.errors import InputError
from actorgraph.vocab import ENTITY_TYPES, PREDICATES, STAGES

SHOWN_INPUT = 40  # characters of a bad value quoted in a reason


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _entity_type(value: str) -> str:
    if value not in ENTITY_TYPES:
        raise ValueError(f"{value!r} is not an entity type (one of {', '.join(sorted(ENTITY_TYPES))})")
    return value


def _predicate(value: str) -> str:
    if value not in PREDICATES:
        raise ValueError(f"{value!r} is not a predicate (one of {', '.join(sorted(PREDICATES))})")
    return value


def _stage(value: str | None) -> str | None:
    if value is not None and value not in STAGES:
        raise ValueError(f"{value!r} is not a stage (one of {', '.join(STAGES)})")
    return value


NonBlank = Annotated[str, AfterValidator(_not_blank)]
Offset = Annotated[int, Field(ge=0)]


class _Record(BaseModel):
    """Strict types, unknown fields ignored (the contract only ever adds fields)."""

    model_config = ConfigDict(strict=True, extra="ignore")


class InputDocument(_Record):
    """One line of a `.jsonl` input file: a text to read, with optional metadata."""

    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None


class RecordDocument(_Record):
    """The `document` of an `extract` record; `text` is what every offset of the record indexes."""

    id: str | None = None
    path: str | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None
    paths: list[NonBlank] | None = None
    text: str = ""  # missing or blank: the caller reports the record as empty (skipped)


class RecordMention(_Record):
    start: Offset
    end: Offset
    text: str


class RecordEntity(_Record):
    id: NonBlank
    type: Annotated[str, AfterValidator(_entity_type)]
    name: NonBlank
    aliases: list[NonBlank] = []
    mentions: list[RecordMention] = []


class RecordEvidence(_Record):
    text: str
    start: Offset
    end: Offset


class RecordRelation(_Record):
    subject: NonBlank
    predicate: Annotated[str, AfterValidator(_predicate)]
    object: NonBlank
    evidence: RecordEvidence
    confidence: Annotated[float, Field(ge=0, le=1)] = 0.5
    rule: str = "unknown"
    denied: bool = False
    negated: bool = False
    stage: Annotated[str | None, AfterValidator(_stage)] = None


def _span(where: str, text: str, start: int, end: int, given: str, what: str) -> str | None:
    """Why `text[start:end]` is not `given` (None when it is)."""
    if not start <= end <= len(text):
        return f"{where}: offsets {start}:{end} are outside the text (0:{len(text)})"
    found = text[start:end]
    if found != given:
        return (
            f"{where}: offsets {start}:{end} give {found[:SHOWN_INPUT]!r}, "
            f"not the {what} text {given[:SHOWN_INPUT]!r}"
        )
    return None


class ExtractionRecord(_Record):
    """One `extract` JSON Lines record, checked for consistency: offsets and ids resolve inside it."""

    document: RecordDocument
    entities: list[RecordEntity] = []
    relations: list[RecordRelation] = []

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        text = self.document.text
        if not text.strip():
            return self  # nothing to check against; reported as an empty record
        problems: list[str] = []
        ids: set[str] = set()
        for i, entity in enumerate(self.entities):
            if entity.id in ids:
                problems.append(f"entities[{i}].id: {entity.id!r} is defined twice")
            ids.add(entity.id)
            for j, m in enumerate(entity.mentions):
                problems.append(_span(f"entities[{i}].mentions[{j}]", text, m.start, m.end, m.text, "mention") or "")
        for i, rel in enumerate(self.relations):
            for end, value in (("subject", rel.subject), ("object", rel.object)):
                if value not in ids:
                    problems.append(f"relations[{i}].{end}: {value!r} is not an entity id of this record")
            ev = rel.evidence
            problems.append(_span(f"relations[{i}].evidence", text, ev.start, ev.end, ev.text, "evidence") or "")
        problems = [p for p in problems if p]
        if problems:
            raise ValueError(problems[0] + _more(len(problems) - 1))
        return self


def _more(n: int) -> str:
    return f" (and {n} more problem{'s' if n != 1 else ''})" if n else ""


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _quoted(value: Any) -> str:
    shown = repr(value)  # repr escapes control and bidi characters: safe to print
    return shown if len(shown) <= SHOWN_INPUT else shown[: SHOWN_INPUT - 1] + "…"


def reason(exc: ValidationError) -> str:
    """A validation failure as one line: the first problem (field path, what is wrong) and how many more."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = tuple(first["loc"])
    msg = first["msg"]
    if first["type"] == "missing":
        parent, field = loc[:-1], loc[-1]
        line = f'{_path(parent)}: missing "{field}"' if parent else f'missing "{field}"'
    elif first["type"] == "value_error":
        message = msg.removeprefix("Value error, ")
        line = message if not loc else f"{_path(loc)}: {message}"  # a record-level check names its own path
    else:
        message = msg[:1].lower() + msg[1:]
        line = f"{_path(loc)}: {message}, got {_quoted(first['input'])}" if loc else message
    return line + _more(len(errors) - 1)


def validate_document(row: Any) -> InputDocument:
    """A `.jsonl` input line (parsed, strings cleaned) as an InputDocument; InputError with a one-line reason."""
    try:
        return InputDocument.model_validate(row)
    except ValidationError as exc:
        raise InputError(reason(exc)) from None


def validate_extraction(record: Any) -> ExtractionRecord:
    """An `extract` record (parsed, strings cleaned), checked; InputError with a one-line reason."""
    try:
        return ExtractionRecord.model_validate(record)
    except ValidationError as exc:
        raise InputError(reason(exc)) from None
