"""The extraction data model: what `extract` emits, per ../shared/docs/relations.md (the JSON Lines contract).

These plain dataclasses are the only thing passed between reading, extraction and ingest, so ingest can
load `extract` output produced on another machine (`ingest --from-jsonl`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def text_id(text: str) -> str:
    """Document id: `sha256:` of the text as stored (offsets index that text)."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Document:
    """One document's text as stored, with its metadata; `masked` are (start, end) ranges nothing is read from."""

    text: str
    path: str | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 string
    paths: list[str] = field(default_factory=list)
    masked: list[tuple[int, int]] = field(default_factory=list)
    encoding: str | None = None  # set when the file was not UTF-8 and was decoded by detection
    _id: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def id(self) -> str:
        """`text_id(text)`, hashed once per text (ingest asks for it once per claim)."""
        if self._id is None or self._id[0] is not self.text:
            self._id = (self.text, text_id(self.text))
        return self._id[1]

    def to_json(self, *, with_text: bool = True) -> dict[str, Any]:
        """The contract's `document` object; `text` rides along so `ingest --from-jsonl` needs no files."""
        out: dict[str, Any] = {"id": self.id}
        for key in ("path", "title", "url", "author", "published"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.paths:
            out["paths"] = list(self.paths)
        if with_text:
            out["text"] = self.text
        return out


@dataclass
class Mention:
    """One surface form of an entity at `text[start:end]`."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Entity:
    """One real actor (or charge / place) within a document, with every form that names it."""

    id: str
    type: str  # PERSON | ORG | GPE | CHARGE
    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "aliases": list(self.aliases),
            "mentions": [m.to_json() for m in self.mentions],
        }


@dataclass
class Evidence:
    """The sentence a relation was read from, with offsets into the document text."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Relation:
    """subject --predicate--> object, entity ids of the same document, backed by one evidence sentence."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence
    confidence: float
    rule: str
    denied: bool = False
    negated: bool = False
    stage: str | None = None  # ACCUSED_OF and ACCUSES: one of vocab.STAGES

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "evidence": self.evidence.to_json(),
            "confidence": round(self.confidence, 3),
            "rule": self.rule,
        }
        if self.denied:
            out["denied"] = True
        if self.negated:
            out["negated"] = True
        if self.stage is not None:
            out["stage"] = self.stage
        return out


@dataclass
class Extraction:
    """Everything read from one document: the `extract` JSON Lines record."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document.to_json(),
            "entities": [e.to_json() for e in self.entities],
            "relations": [r.to_json() for r in self.relations],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], text: str | None = None) -> Extraction:
        """Rebuild an extraction from its JSON record (`text`, when given, is its document's text), checked
        against the contract by `actorgraph.extract.schema`: an InputError with a one-line reason if it fails.

        Strings are cleaned first (`actorgraph.text.clean_text`), as `ingest --from-jsonl` does.
        """
        from actorgraph.extract import schema
        from actorgraph.text import clean_strings

        if text is not None and isinstance(data, dict) and isinstance(data.get("document"), dict):
            data = {**data, "document": {**data["document"], "text": text}}
        cleaned, _ = clean_strings(data)
        return cls.from_record(schema.validate_extraction(cleaned))

    @classmethod
    def from_record(cls, record: Any) -> Extraction:
        """The extraction of a record `actorgraph.extract.schema.validate_extraction` has checked."""
        d = record.document
        doc = Document(
            text=d.text,
            path=d.path,
            title=d.title,
            url=d.url,
            author=d.author,
            published=d.published,
            paths=list(d.paths or []),
        )
        entities = [
            Entity(
                id=e.id,
                type=e.type,
                name=e.name,
                aliases=list(e.aliases),
                mentions=[Mention(m.start, m.end, m.text) for m in e.mentions],
            )
            for e in record.entities
        ]
        relations = [
            Relation(
                subject=r.subject,
                predicate=r.predicate,
                object=r.object,
                evidence=Evidence(r.evidence.text, r.evidence.start, r.evidence.end),
                confidence=r.confidence,
                rule=r.rule,
                denied=r.denied,
                negated=r.negated,
                stage=r.stage,
            )
            for r in record.relations
        ]
        return cls(document=doc, entities=entities, relations=relations)
