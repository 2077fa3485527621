"""The extraction assembly: parsed text -> actors, charges and evidence-backed relations (one `Extraction` each).

`extract_docs` streams: documents go through `nlp.pipe` in batches and come out one `Extraction` at a time, in
input order, so memory stays flat whatever the corpus size. Nothing is read from sentences that overlap a
document's masked ranges (page furniture). What the parser sees is bounded first (bounds.py): table rows are
sentences, long runs are cut, long texts are parsed in parts and joined back into one Doc.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc

from actorgraph.extract.bounds import (
    CUTS_KEY,
    DEFAULT_LIMITS,
    LIMITS_KEY,
    ROWS_KEY,
    Limits,
    cut_warning,
    part_bounds,
    table_layout,
)
from actorgraph.extract.coref import ActorIndex
from actorgraph.extract.entities import ActorCluster, find_actors
from actorgraph.extract.model import Document, Entity, Evidence, Extraction, Mention, Relation
from actorgraph.extract.relations import Found, RuleEngine, engine_for
from actorgraph.extract.segment import add_paragraph_starts

CHARGE_ID_PREFIX = "c"
OnWarn = Callable[[str, str], None]
_Part = tuple[Document, int, int]  # (document, part index, number of parts)


class RelationModel(Protocol):
    """A learned relation model (extract/learned): the rules' extraction of a parse, with its relations added."""

    def extract(self, doc: Doc, document: Document, engine: RuleEngine) -> Extraction: ...


def extract_docs(
    docs: Iterable[Document],
    nlp: Language,
    batch_size: int = 50,
    *,
    limits: Limits = DEFAULT_LIMITS,
    on_warn: OnWarn | None = None,
    relation_model: RelationModel | None = None,
) -> Iterator[Extraction]:
    """Parse with `nlp.pipe` in batches of `batch_size` and yield one Extraction per document, in input order; a
    generator, never a list (memory stays flat). Documents whose long runs had to be cut go to
    `on_warn(path, message)` once each. With a `relation_model`, it reads the same parse and adds its
    relations to the rules'."""
    add_paragraph_starts(nlp)  # headlines and paragraphs are sentences of their own (once per pipeline)
    engine = engine_for(nlp)  # built once per pipeline, before the first document
    parsed = _parsed(nlp, _prepared(docs, nlp, limits), batch_size, limits.batch_tokens)
    for doc, document in _joined(parsed):
        cuts = doc.user_data.pop(CUTS_KEY, None)
        message = cut_warning(cuts, limits.sentence_tokens or 0) if cuts else None
        if message and on_warn is not None:
            on_warn(document.path or document.id, message)
        if relation_model is None:
            yield _extract(doc, document, engine)
        else:
            yield relation_model.extract(doc, document, engine)


def extract_text(text: str, nlp: Language, *, limits: Limits = DEFAULT_LIMITS) -> Extraction:
    """Convenience for tests and library users: one text."""
    return next(extract_docs([Document(text=text)], nlp, batch_size=1, limits=limits))


def _prepared(docs: Iterable[Document], nlp: Language, limits: Limits) -> Iterator[tuple[Doc, _Part]]:
    """Each document as tokenized parts (one unless it is long), tables laid out for the parser, the limits
    riding in `user_data` for the sentence-start step. The tokenizer is called directly: spaCy's `max_length`
    guards the parser's memory, which parts of at most `limits.batch_tokens` tokens bound instead."""
    for document in docs:
        layout = table_layout(document.text) if limits.tables else None
        text = layout.text if layout is not None else document.text
        rows = layout.rows if layout is not None else []
        pieces: list[tuple[int, Doc]] = []
        for start, end in part_bounds(text, limits.part_chars):
            doc = nlp.tokenizer(text[start:end])
            if len(doc) <= limits.batch_tokens or end - start < 2:
                pieces.append((start, doc))
                continue
            size = max(1, (end - start) * limits.batch_tokens // len(doc) * 9 // 10)  # dense text: smaller parts
            for a, b in part_bounds(text[start:end], size):
                pieces.append((start + a, nlp.tokenizer(text[start + a : start + b])))
        for k, (start, doc) in enumerate(pieces):
            doc.user_data[LIMITS_KEY] = limits
            if limits.tables:
                end = start + len(doc.text)
                lo, hi = bisect.bisect_left(rows, start), bisect.bisect_left(rows, end)
                doc.user_data[ROWS_KEY] = [r - start for r in rows[lo:hi]]
            yield doc, (document, k, len(pieces))


def _parsed(
    nlp: Language, items: Iterable[tuple[Doc, _Part]], batch_size: int, batch_tokens: int
) -> Iterator[tuple[Doc, _Part]]:
    """`nlp.pipe` in batches of `batch_size` documents or parts, fewer when they pass `batch_tokens` tokens."""
    batch: list[tuple[Doc, _Part]] = []
    tokens = 0
    for item in items:
        if batch and (len(batch) >= batch_size or tokens + len(item[0]) > batch_tokens):
            yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
            batch, tokens = [], 0
        batch.append(item)
        tokens += len(item[0])
    if batch:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))


def _joined(parsed: Iterable[tuple[Doc, _Part]]) -> Iterator[tuple[Doc, Document]]:
    """Parsed parts back into one Doc per document (offsets into the whole text), in input order."""
    parts: list[Doc] = []
    for doc, (document, k, n) in parsed:
        doc.user_data.pop(LIMITS_KEY, None)  # a pipeline without the sentence-start step leaves them
        doc.user_data.pop(ROWS_KEY, None)
        if n == 1:
            yield doc, document
            continue
        parts.append(doc)
        if k == n - 1:
            cuts: Counter[int] = Counter()
            for part in parts:
                cuts.update(part.user_data.pop(CUTS_KEY, None) or {})
            whole = Doc.from_docs(parts, ensure_whitespace=False)
            if cuts:
                whole.user_data[CUTS_KEY] = cuts
            parts = []
            yield whole, document


def _masked_sentences(doc: Doc, masked: Sequence[tuple[int, int]]) -> frozenset[int]:
    """Start tokens of sentences that overlap a masked char range."""
    merged: list[list[int]] = []
    for a, b in sorted((int(a), int(b)) for a, b in masked if b > a):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if not merged:
        return frozenset()
    starts = [a for a, _ in merged]
    out = set()
    for sent in doc.sents:
        i = bisect.bisect_right(starts, sent.end_char - 1) - 1
        if i >= 0 and merged[i][1] > sent.start_char:
            out.add(sent.start)
    return frozenset(out)


@dataclass(frozen=True)
class RulePass:
    """What the rules read off one parse: the actors, their index, the masked sentences and the rules' findings."""

    clusters: list[ActorCluster]
    index: ActorIndex
    skip: frozenset[int]
    found: list[Found]


def rule_pass(doc: Doc, document: Document, engine: RuleEngine) -> RulePass:
    """The rules' reading of a parse: the extraction and a learned model's candidates both start from it, so
    a caller that needs both makes it once and hands it to each."""
    clusters = find_actors(doc, document.masked)
    index = ActorIndex(doc, clusters, engine.cues)
    skip = _masked_sentences(doc, document.masked)
    return RulePass(clusters, index, skip, engine.find(doc, index, skip))


def _extract(doc: Doc, document: Document, engine: RuleEngine, reading: RulePass | None = None) -> Extraction:
    """One parsed document's actors, relations and charges (from `reading`, the rules' pass, when given)."""
    text = document.text
    reading = reading or rule_pass(doc, document, engine)
    clusters, index, found = reading.clusters, reading.index, reading.found

    entities: list[Entity] = []
    for cluster in clusters:
        mentions = [Mention(s.start_char, s.end_char, text[s.start_char:s.end_char]) for s in cluster.spans]
        entities.append(Entity(cluster.id, cluster.type, cluster.name, list(cluster.aliases), mentions))
    by_id = {e.id: e for e in entities}

    # definite NPs resolved to an actor ("the firm", "this Brussels-based NGO") become its mentions and aliases
    for cluster_id, start, end in index.extra_mentions:
        entity = by_id.get(cluster_id)
        if entity is None or any(m.start == start and m.end == end for m in entity.mentions):
            continue
        form = text[start:end]
        entity.mentions.append(Mention(start, end, form))
        if form != entity.name and form not in entity.aliases:
            entity.aliases.append(form)
    for entity in entities:
        entity.mentions.sort(key=lambda m: m.start)

    charges: dict[str, Entity] = {}
    relations: list[Relation] = []
    for f in sorted(found, key=lambda f: (f.sentence.start_char, f.subject.start, f.predicate, f.object.start)):
        subject_id = _arg_id(f.subject.kind, f.subject.key, f.subject.start, f.subject.end, charges, text)
        object_id = _arg_id(f.object.kind, f.object.key, f.object.start, f.object.end, charges, text)
        relations.append(_relation(f, subject_id, object_id, text))
    entities.extend(_merge_charges(charges, relations))
    return Extraction(document=document, entities=entities, relations=relations)


def _merge_charges(charges: dict[str, Entity], relations: list[Relation]) -> list[Entity]:
    """'worldcom fraud' and 'fraud' in one document are one charge: the longer name (ending in the shorter,
    or starting with a form of the same one-word offence: 'bribe' / 'bribing an official') becomes an alias
    of the shorter, and relations point to the survivor."""
    names = sorted(charges, key=len)
    target: dict[str, str] = {}
    for n, long in enumerate(names):
        for short in names[:n]:
            if short in target:
                continue
            same_word = " " not in short and len(short) >= 4 and long.split()[0][:4] == short[:4]
            if long.endswith(" " + short) or same_word:
                target[long] = short
                break
    if not target:
        return list(charges.values())
    remap: dict[str, str] = {}
    for long, short in target.items():
        gone, keep = charges[long], charges[short]
        remap[gone.id] = keep.id
        for form in [*gone.aliases, *(m.text for m in gone.mentions)]:
            if form.lower() != keep.name and form not in keep.aliases:
                keep.aliases.append(form)
        keep.mentions.extend(m for m in gone.mentions if m not in keep.mentions)
        keep.mentions.sort(key=lambda m: m.start)
    seen: set[tuple[str, str, str, int]] = set()
    kept: list[Relation] = []
    for r in relations:
        r.object = remap.get(r.object, r.object)
        key = (r.subject, r.predicate, r.object, r.evidence.start)
        if key not in seen:
            seen.add(key)
            kept.append(r)
    relations[:] = kept
    return [e for name, e in charges.items() if name not in target]


def _arg_id(kind: str, key: str, start: int, end: int, charges: dict[str, Entity], text: str) -> str:
    if kind != "charge":
        return key
    entity = charges.get(key)
    if entity is None:
        entity = Entity(f"{CHARGE_ID_PREFIX}{len(charges) + 1}", "CHARGE", key)
        charges[key] = entity
    if 0 <= start < end <= len(text) and not any(m.start == start and m.end == end for m in entity.mentions):
        entity.mentions.append(Mention(start, end, text[start:end]))
        form = text[start:end]
        if form.lower() != key and form not in entity.aliases and len(form) <= 120:
            entity.aliases.append(form)
    return entity.id


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def _evidence_span(f: Found, text: str) -> tuple[int, int]:
    """The sentence, cut at blank lines to the paragraph(s) holding the trigger and both arguments: the parser
    sometimes runs a headline into the first sentence."""
    start, end = f.sentence.start_char, f.sentence.end_char
    points = [p for p in (f.trigger_start, f.subject.start, f.object.start) if start <= p < end]
    if not points:
        return start, end
    lo, hi = min(points), max(points)
    for m in _BLANK_LINE.finditer(text, start, end):
        if m.end() <= lo:
            start = m.end()
        elif m.start() >= hi:
            end = m.start()
            break
    return start, end


def _relation(f: Found, subject_id: str, object_id: str, text: str) -> Relation:
    start, end = _evidence_span(f, text)
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return Relation(
        subject=subject_id,
        predicate=f.predicate,
        object=object_id,
        evidence=Evidence(text[start:end], start, end),
        confidence=f.confidence,
        rule=f.rule,
        denied=f.denied,
        negated=f.negated,
        stage=f.stage,
    )
