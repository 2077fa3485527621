"""`actorgraph import rdf`: load an `export rdf` file back into a graph (into an empty graph: the same graph).

The file is parsed into one rdflib Graph (memory grows with the file), read back through our vocabulary (ag:,
schema:, oa:, prov:, owl:sameAs) and written with batched, idempotent MERGEs on the graph ids, which the
export keeps in `dcterms:identifier` and in the IRIs under its base. Properties the export does not carry
(ingest's internal `dirty` and `rev`, the lookup `keys`) are recomputed or left unset; the curated queries'
lookup keys are refreshed at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from actorgraph.batching import chunks
from actorgraph.errors import ConfigError, InputError
from actorgraph.export.rdf import AG, LABEL_TYPE, OA, SCHEMA, id_from_iri, predicate_terms
from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.vocab import node_label, rel_type

BATCH: Final = 2_000  # rows per write query
SUFFIX_FORMATS: Final = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}
FORMAT_NAMES: Final = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
CLASS_LABEL: Final = {SCHEMA.Person: "Person", SCHEMA.Organization: "Organization", SCHEMA.Place: "Place"}


@dataclass
class ImportReport:
    """What an import read and wrote; `skipped` counts what could not be written, by reason."""

    base: str
    triples: int = 0
    actors: int = 0
    charges: int = 0
    documents: int = 0
    mentions: int = 0
    claims: int = 0
    redirects: int = 0
    decisions: int = 0
    reviews: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [
            f"{self.triples:,} triples",
            f"{self.actors:,} actors",
            f"{self.claims:,} claims",
            f"{self.charges:,} charges",
            f"{self.documents:,} documents",
            f"{self.mentions:,} mentions",
        ]
        if self.redirects:
            parts.append(f"{self.redirects:,} merged ids")
        if self.decisions:
            parts.append(f"{self.decisions:,} decisions")
        if self.reviews:
            parts.append(f"{self.reviews:,} reviews")
        skipped = (
            "; skipped: " + ", ".join(f"{n:,} {why}" for why, n in self.skipped.items())
            if self.skipped
            else ""
        )
        return ", ".join(parts) + skipped


def parse(path: Path, fmt: str | None = None) -> Graph:
    """The file as an rdflib Graph; InputError naming the file when it is missing or not RDF in that
    format."""
    rdf_format = FORMAT_NAMES.get(fmt or "") or SUFFIX_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise ConfigError(
            f"cannot tell the RDF format of {path}",
            hint="pass --format turtle|nt|jsonld|xml, or use a .ttl, .nt, .jsonld or .rdf file",
        )
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="check the path")
    graph = Graph()
    try:
        graph.parse(str(path), format=rdf_format)
    except (
        Exception
    ) as exc:  # rdflib's parsers raise many types (BadSyntax, SAXParseException, JSONDecodeError)
        raise InputError(
            f"{path}: not valid {rdf_format}: {' '.join(str(exc).split())[:300]}",
            hint="export it again with `actorgraph export rdf`, or pass the right --format",
        ) from exc
    return graph


def find_base(graph: Graph) -> str | None:
    """The base the export minted its IRIs under: an IRI minus its `dcterms:identifier`."""
    for node, identifier in graph.subject_objects(DCTERMS.identifier):
        text, ident = str(node), str(identifier)
        if isinstance(node, URIRef) and text.endswith(ident) and len(text) > len(ident):
            return text[: -len(ident)]
    return None


class _Reader:
    """Reads one export back into graph rows."""

    def __init__(self, graph: Graph, base: str) -> None:
        self.g, self.base = graph, base
        self.predicate_names = {term: name for name, term in predicate_terms().items()}

    def id_of(self, node: Node | None) -> str | None:
        if node is None:
            return None
        ident = self.g.value(node, DCTERMS.identifier)
        return str(ident) if ident is not None else id_from_iri(self.base, node)

    def one(self, node: Node, prop: URIRef) -> Any:
        value = self.g.value(node, prop)
        return value.toPython() if isinstance(value, Literal) else value

    def text(self, node: Node, prop: URIRef) -> str | None:
        value = self.g.value(node, prop)
        return None if value is None else str(value)

    def texts(self, node: Node, prop: URIRef) -> list[str]:
        return sorted(str(v) for v in self.g.objects(node, prop))

    def integer(self, node: Node, prop: URIRef) -> int | None:
        value = self.g.value(node, prop)
        return None if value is None else int(str(value))

    def actors(self) -> dict[str, list[Row]]:
        by_label: dict[str, list[Row]] = defaultdict(list)
        for node in self.g.subjects(RDF.type, AG.Actor):
            labels = [
                CLASS_LABEL[c]
                for c in self.g.objects(node, RDF.type)
                if isinstance(c, URIRef) and c in CLASS_LABEL
            ]
            label = labels[0] if labels else "Organization"
            by_label[label].append(
                {
                    "id": self.id_of(node),
                    "name": self.text(node, SCHEMA.name) or self.text(node, RDFS.label),
                    "type": LABEL_TYPE[label],
                    "aliases": self.texts(node, SKOS.altLabel),
                    "manual_aliases": self.texts(node, AG.manualAlias) or None,
                    "merged_from": sorted(filter(None, map(self.id_of, self.g.objects(node, AG.mergedFrom))))
                    or None,
                    "mention_count": self.integer(node, AG.mentionCount),
                    "doc_count": self.integer(node, AG.docCount),
                }
            )
        return by_label

    def charges(self) -> list[Row]:
        return [
            {
                "id": self.id_of(node),
                "name": self.text(node, SCHEMA.name) or self.text(node, RDFS.label),
                "mention_count": self.integer(node, AG.mentionCount),
                "doc_count": self.integer(node, AG.docCount),
            }
            for node in self.g.subjects(RDF.type, AG.Charge)
        ]

    def documents(self) -> list[Row]:
        return [
            {
                "id": self.id_of(node),
                "text": self.text(node, SCHEMA.text) or "",
                "sources": self.texts(node, AG.source),
                "title": self.text(node, SCHEMA.headline),
                "author": self.text(node, SCHEMA.author),
                "published": self.text(node, SCHEMA.datePublished),
                "url": self.text(node, SCHEMA.url),
                "ingested_at": self.text(node, AG.ingestedAt),
                "complete": self.one(node, AG.complete),
            }
            for node in self.g.subjects(RDF.type, AG.Document)
        ]

    def mentions(self) -> dict[str, list[Row]]:
        by_label: dict[str, list[Row]] = defaultdict(list)
        for node in self.g.subjects(RDF.type, AG.Mention):
            target = self.g.value(node, AG.mentionOf)
            label = "Charge" if (target, RDF.type, AG.Charge) in self.g else "Actor"
            target_id = self.id_of(target)
            by_label[label].append(
                {
                    "node": target_id,
                    "doc": self.id_of(self.g.value(node, AG.inDocument)),
                    "count": self.integer(node, AG["count"]),
                    "forms": self.texts(node, AG.form),
                    "key": self.text(node, AG.key) or target_id,
                    "name": self.text(node, AG.documentName),
                }
            )
        return by_label

    def claims(self, skipped: dict[str, int]) -> dict[tuple[str, str], list[Row]]:
        by_kind: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for node in self.g.subjects(RDF.type, AG.Claim):
            term = self.g.value(node, RDF.predicate)
            predicate = self.predicate_names.get(term) if isinstance(term, URIRef) else None
            evidence = self.g.value(node, AG.evidence)
            if predicate is None or evidence is None:
                why = (
                    "claims with a predicate outside ag:" if predicate is None else "claims without evidence"
                )
                skipped[why] = skipped.get(why, 0) + 1
                continue
            obj = self.g.value(node, RDF.object)
            quote = position = None
            for selector in self.g.objects(evidence, OA.hasSelector):
                if (selector, RDF.type, OA.TextQuoteSelector) in self.g:
                    quote = selector
                elif (selector, RDF.type, OA.TextPositionSelector) in self.g:
                    position = selector
            label = "Charge" if (obj, RDF.type, AG.Charge) in self.g else "Actor"
            denied = self.one(node, AG.denied)
            confidence = self.one(node, AG.confidence)
            by_kind[(predicate, label)].append(
                {
                    "id": self.id_of(node),
                    "s": self.id_of(self.g.value(node, RDF.subject)),
                    "o": self.id_of(obj),
                    "doc_id": self.id_of(self.g.value(node, PROV.wasDerivedFrom)),
                    "evidence": self.text(quote, OA.exact) if quote is not None else None,
                    "start": self.integer(position, OA.start) if position is not None else None,
                    "end": self.integer(position, OA.end) if position is not None else None,
                    "confidence": None if confidence is None else float(confidence),
                    "rule": self.text(node, AG.rule),
                    "denied": bool(denied),
                    "stage": self.text(node, AG.stage),
                    "subject_key": self.text(node, AG.subjectKey),
                    "object_key": self.text(node, AG.objectKey),
                }
            )
        return by_kind

    def reviews(self) -> list[Row]:
        """The ag:Review resources: which claim, the verdict, who (the agent's label), when and why."""
        rows = []
        for node in self.g.subjects(RDF.type, AG.Review):
            agent = self.g.value(node, PROV.wasAttributedTo)
            at = self.one(node, PROV.generatedAtTime)
            rows.append({
                "id": self.id_of(node),
                "claim_id": self.id_of(self.g.value(node, AG.reviewOf)),
                "verdict": self.text(node, AG.verdict),
                "why": self.text(node, AG.reason),
                "by": self.text(agent, RDFS.label) if agent is not None else None,
                "at": None if at is None else str(at),
            })
        return sorted(rows, key=lambda r: str(r["id"]))

    def redirects(self) -> list[Row]:
        return [
            {"id": id_from_iri(self.base, old), "target": self.id_of(new)}
            for old, new in self.g.subject_objects(OWL.sameAs)
            if id_from_iri(self.base, old) is not None
        ]

    def decisions(self) -> list[Row]:
        return [
            {
                "id": self.id_of(node),
                "kind": self.text(node, AG.decisionKind),
                "a": self.id_of(self.g.value(node, AG.decisionA)),
                "b": self.id_of(self.g.value(node, AG.decisionB)),
                "name": self.text(node, AG.decisionName),
                "at": self.text(node, PROV.generatedAtTime),
                "by": self.text(node, AG.decidedBy),
                "rule": self.text(node, AG.decisionRule),
            }
            for node in self.g.subjects(RDF.type, AG.Decision)
        ]


def _text(name: str, **values: str) -> str:
    return cypher.text("push", name, **values)


def _write(store: GraphStore, query: str, rows: list[Row]) -> int:
    """Write rows in batches; returns how many the query matched and wrote."""
    written = 0
    for batch in chunks(rows, BATCH):
        written += sum(int(r["n"]) for r in store.write(query, rows=batch))
    return written


def _ensure_schema(store: GraphStore) -> None:
    from actorgraph.ingest.writer import ensure_ingest_schema
    from actorgraph.resolve import ensure_resolution_schema

    ensure_ingest_schema(store)  # stamps the model version too
    ensure_resolution_schema(store)


def _refresh_lookup(store: GraphStore, ids: list[str]) -> None:
    """Recompute the actor lookup keys of the imported actors (the index `query` and `merge` find names by)."""
    from actorgraph.queries import ensure_lookup_index, refresh_actor_keys

    ensure_lookup_index(store)
    if ids:
        refresh_actor_keys(store, ids)


def import_rdf(
    store: GraphStore, path: Path | str, *, fmt: str | None = None, base: str | None = None
) -> ImportReport:
    """Load an `export rdf` file into `store` (MERGE on ids: into an empty graph it rebuilds the exported
    graph)."""
    path = Path(path)
    graph = parse(path, fmt)
    found = base or find_base(graph)
    if found is None:
        raise InputError(
            f"{path}: no actorgraph resources (nothing has a dcterms:identifier)",
            hint="import files written by `actorgraph export rdf`",
        )
    report = ImportReport(found, triples=len(graph))
    reader = _Reader(graph, found)
    _ensure_schema(store)
    documents = reader.documents()
    report.documents = _write(store, _text("import_documents"), documents)
    actor_ids: list[str] = []
    for label, rows in reader.actors().items():
        report.actors += _write(store, _text("import_actors", actor_label=node_label(label)), rows)
        actor_ids += [r["id"] for r in rows]
    report.charges = _write(store, _text("import_charges"), reader.charges())
    for label, rows in reader.mentions().items():
        report.mentions += _note(
            report,
            "mentions of a node or document not in the file",
            rows,
            _write(store, _text("import_mentions", entity_label=label), rows),
        )
    for (predicate, label), rows in reader.claims(report.skipped).items():
        report.claims += _note(
            report,
            "claims whose subject or object is not in the file",
            rows,
            _write(store, _text("import_claims", entity_label=label, rel=rel_type(predicate)), rows),
        )
    report.redirects = _write(store, _text("import_redirects"), reader.redirects())
    report.decisions = _write(store, _text("import_decisions"), reader.decisions())
    from actorgraph.review import restore_reviews

    reviews = reader.reviews()
    report.reviews = _note(report, "reviews of a claim not in the file", reviews, restore_reviews(store, reviews))
    _refresh_lookup(store, actor_ids)
    return report


def _note(report: ImportReport, why: str, rows: list[Row], written: int) -> int:
    """Count rows the write could not match (a dangling reference) under `why`; returns `written`."""
    if written < len(rows):
        report.skipped[why] = report.skipped.get(why, 0) + len(rows) - written
    return written
