"""FollowTheMoney export: the graph as FtM entities (JSON lines), for Aleph, OpenSanctions tools and the like.

Every entity is built and validated with the `followthemoney` library (an optional extra: `actorgraph[ftm]`,
which builds `pyicu`). The predicate -> schema table, and what FtM cannot express, are in docs/rdf.md; nothing
is dropped silently: the report counts, by reason, what was not exported or was exported in a weaker form.

| graph                   | FtM                                                                              |
|-------------------------|----------------------------------------------------------------------------------|
| Person / Organization   | Person / Organization (name, aliases as `alias`, notes)                          |
| Place                   | Address (`full` = name, `country` when the name is a country)                    |
| Document                | Article (title, author, publishedAt, bodyText, sourceUrl)                        |
| MENTIONED_IN (actor)    | Documentation (document -> entity, role "mentioned", forms in summary)           |
| FUNDS                   | Payment (payer -> beneficiary); UnknownLink when either end is a place           |
| MEMBER_OF               | Membership (member -> organization); UnknownLink when the object is not an org   |
| WORKS_WITH              | Associate (person -> associate) between two people; UnknownLink otherwise        |
| LOBBIES_FOR             | Representation (agent -> client); UnknownLink when either end is a place         |
| BANNED_BY               | Sanction (entity = the banned; authority = the banner's name, not a link)        |
| ACCUSED_OF              | Note on the accused (FtM has no charge entity; a topic would state a status)    |
| ACCUSES/SUPPORTS/OPPOSES| UnknownLink (subject -> object, role = the predicate)                            |
| LOCATED_IN              | UnknownLink (role "located in") and the place as the subject's `addressEntity`   |

Each link carries the evidence sentence in `description` (and says when the subject denies it), a summary with
confidence and rule, and the Article it was read from in `proof`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final, TextIO

from actorgraph.errors import ConfigError
from actorgraph.export.walk import Item, in_background, walk
from actorgraph.graph.store import GraphStore, Row

INSTALL_HINT: Final = (
    "pip install 'actorgraph[ftm]' (it builds pyicu: on Debian first apt-get install libicu-dev pkg-config)"
)
SCHEMA_OF_LABEL: Final = {"Person": "Person", "Organization": "Organization", "Place": "Address"}
VERBS: Final = {
    "FUNDS": "funds",
    "ACCUSES": "accuses",
    "ACCUSED_OF": "accused of",
    "BANNED_BY": "banned by",
    "WORKS_WITH": "works with",
    "MEMBER_OF": "member of",
    "LOBBIES_FOR": "lobbies for",
    "SUPPORTS": "supports",
    "OPPOSES": "opposes",
    "LOCATED_IN": "located in",
}
#: predicate -> (schema, subject property, object property, what both ends must be)
LINKS: Final = {
    "FUNDS": ("Payment", "payer", "beneficiary", ("LegalEntity", "LegalEntity")),
    "MEMBER_OF": ("Membership", "member", "organization", ("LegalEntity", "Organization")),
    "WORKS_WITH": ("Associate", "person", "associate", ("Person", "Person")),
    "LOBBIES_FOR": ("Representation", "agent", "client", ("LegalEntity", "LegalEntity")),
}


def _model() -> Any:
    """The FtM model, imported lazily: the package is an optional extra."""
    try:
        from followthemoney import model
    except ImportError as exc:
        raise ConfigError(
            "the FollowTheMoney export needs the followthemoney package", hint=INSTALL_HINT
        ) from exc
    return model


def ftm_id(node_id: str) -> str:
    """An FtM entity id from a graph id (FtM allows letters, digits, `.`, `-`): `person:3f` -> `person-3f`."""
    return node_id.replace(":", "-")


@dataclass
class FtmReport:
    """Entities written, by schema, and what was not exported (or only in part), by reason."""

    entities: Counter[str] = field(default_factory=Counter)
    not_exported: Counter[str] = field(default_factory=Counter)
    weaker: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.entities.values())

    def summary(self) -> str:
        """Lines for the CLI: what was written, and what was not and why."""
        lines = [
            f"{self.total:,} entities: " + ", ".join(f"{n:,} {s}" for s, n in sorted(self.entities.items()))
        ]
        for why, n in sorted(self.weaker.items()):
            lines.append(f"  {n:,} {why}")
        for why, n in sorted(self.not_exported.items()):
            lines.append(f"  not exported: {n:,} {why}")
        return "\n".join(lines)


class _Writer:
    """Builds FtM entities, validates them with the library, and writes them as JSON lines."""

    def __init__(self, out: TextIO, report: FtmReport) -> None:
        self.model = _model()
        self.out, self.report = out, report

    def make(self, schema: str, entity_id: str) -> Any:
        proxy = self.model.make_entity(schema)
        proxy.id = entity_id
        return proxy

    def emit(self, proxy: Any) -> None:
        data = proxy.to_dict()
        proxy.schema.validate(data)  # raises followthemoney's InvalidData: a bug here, never the user's input
        self.out.write(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")
        self.report.entities[proxy.schema.name] += 1


class _Export:
    """One walk over the graph, writing FtM entities."""

    def __init__(
        self, store: GraphStore, out: TextIO, walk_options: dict[str, int] | None = None,
        include_rejected: bool = False,
    ) -> None:
        self.store = store
        self.include_rejected = include_rejected
        self.report = FtmReport()
        self.writer = _Writer(out, self.report)
        self.walk_options = walk_options or {}  # paging knobs of `walk` (tests make them small)

    def run(self) -> FtmReport:
        pending: tuple[Row, str, set[str]] | None = None  # a big actor, finished once its pages are read
        for item in in_background(walk(self.store, **self.walk_options, include_rejected=self.include_rejected)):
            if pending is not None and item.kind not in ("claims", "mentions"):
                self.entity(*pending)
                pending = None
            if item.kind == "actors":
                for row in item.rows:
                    self.actor(row)
            elif item.kind == "big-actor":
                row = item.rows[0]
                pending = (row, self._schema(row.get("labels"), row.get("type")), set())
            elif item.kind == "claims" and pending is not None:
                for claim in item.rows:
                    self.claim(pending[0], pending[1], claim, pending[2])
            elif item.kind == "mentions" and pending is not None:
                for mention in item.rows:
                    self.documentation(pending[0]["key"], mention)
            elif item.kind in ("charges", "big-charge", "mentions"):
                self.charges(item)
            elif item.kind == "documents":
                for row in item.rows:
                    self.document(row)
            elif item.kind == "redirects":
                self.report.not_exported[
                    "merged-away ids (FtM has no sameAs; links use the surviving actor)"
                ] += len(item.rows)
            elif item.kind == "decisions":
                self.report.not_exported["entity-resolution decisions"] += len(item.rows)
        if pending is not None:
            self.entity(*pending)
        return self.report

    def charges(self, item: Item) -> None:
        """Charges are no FtM entities (each accusation is a Note on the accused): count them and their
        mentions."""
        if item.kind == "mentions":
            self.report.not_exported["mentions of charges"] += len(item.rows)
            return
        self.report.not_exported["charges (FtM has no charge entity; each accusation is a Note)"] += len(
            item.rows
        )
        mentions = sum(len(row.get("mentions") or []) for row in item.rows)
        if mentions:
            self.report.not_exported["mentions of charges"] += mentions

    @staticmethod
    def _schema(labels: list[str] | None, entity_type: str | None = None) -> str:
        """Person, Organization or Address from the graph labels (or the `type` property)."""
        for label in labels or []:
            if label in SCHEMA_OF_LABEL:
                return SCHEMA_OF_LABEL[label]
        return {"PERSON": "Person", "GPE": "Address"}.get(entity_type or "", "Organization")

    def actor(self, row: Row) -> None:
        """An actor with its claims (links) and mentions (Documentation)."""
        schema = self._schema(row.get("labels"), row.get("type"))
        places: set[str] = set()
        for claim in row.get("claims") or []:
            self.claim(row, schema, claim, places)
        self.entity(row, schema, places)
        for mention in row.get("mentions") or []:
            self.documentation(row["key"], mention)

    def entity(self, row: Row, schema: str, places: set[str]) -> None:
        """The actor's own entity; `places` are the Addresses its LOCATED_IN claims name."""
        entity = self.writer.make(schema, ftm_id(row["key"]))
        entity.add("name", row.get("name"))
        aliases = sorted(set(row.get("aliases") or []) - {row.get("name")})
        if aliases:
            entity.add("alias", aliases)
        if schema == "Address":
            entity.add("full", row.get("name"))
            country = self._country(row.get("name"))
            if country:
                entity.add("country", country)
        elif places:
            entity.add("addressEntity", sorted(ftm_id(p) for p in places))
        self.writer.emit(entity)

    def _country(self, name: str | None) -> str | None:
        from followthemoney.types import registry

        return registry.country.clean(name) if name else None

    def claim(self, subject: Row, subject_schema: str, claim: Row, places: set[str]) -> None:
        predicate = claim["predicate"]
        obj = claim["object"]
        object_schema = (
            self._schema(claim.get("object_labels")) if "Actor" in (claim.get("object_labels") or []) else ""
        )
        details = self._details(subject, claim)
        if predicate == "ACCUSED_OF":
            note = self.writer.make("Note", ftm_id(claim["id"]))
            note.add("entity", ftm_id(subject["key"]))
            note.add("name", f"Accused of {claim.get('object_name') or obj}")
            self._describe(note, details)
            self.writer.emit(note)
            self.report.weaker[
                "ACCUSED_OF claims as a Note on the accused (the charge is text, not an entity)"
            ] += 1
            return
        if predicate == "BANNED_BY":
            sanction = self.writer.make("Sanction", ftm_id(claim["id"]))
            sanction.add("entity", ftm_id(subject["key"]))
            sanction.add("authority", claim.get("object_name") or obj)
            sanction.add("reason", claim.get("evidence"))
            self._describe(sanction, details)
            self.writer.emit(sanction)
            self.report.weaker["BANNED_BY claims as a Sanction (the banning actor is named, not linked)"] += 1
            return
        if predicate == "LOCATED_IN" and object_schema == "Address":
            places.add(obj)
        schema, source_prop, target_prop = "UnknownLink", "subject", "object"
        if predicate in LINKS:
            wanted, src, dst, (need_s, need_o) = LINKS[predicate]
            if self._is_a(subject_schema, need_s) and self._is_a(object_schema, need_o):
                schema, source_prop, target_prop = wanted, src, dst
            else:
                self.report.weaker[
                    f"{predicate} claims as UnknownLink (an end is not a {need_s}/{need_o})"
                ] += 1
        link = self.writer.make(schema, ftm_id(claim["id"]))
        link.add(source_prop, ftm_id(subject["key"]))
        link.add(target_prop, ftm_id(obj))
        if schema in ("UnknownLink", "Membership", "Representation"):
            link.add("role", VERBS[predicate])
        elif schema == "Associate":
            link.add("relationship", VERBS[predicate])
        self._describe(link, details)
        self.writer.emit(link)

    def _is_a(self, schema: str, parent: str) -> bool:
        found = self.writer.model.get(schema) if schema else None
        return bool(found and found.is_a(parent))

    @staticmethod
    def _details(subject: Row, claim: Row) -> dict[str, Any]:
        denied = bool(claim.get("denied"))
        stage = claim.get("stage")
        evidence = claim.get("evidence") or ""
        if denied:
            evidence += f"\n(The text reports that {subject.get('name')} denies this.)"
        summary = (
            f"{subject.get('name')} {VERBS[claim['predicate']]} {claim.get('object_name') or claim['object']}"
            f"{' (denied)' if denied else ''}{f'; stage {stage}' if stage else ''}; "
            f"confidence {claim.get('confidence')}; rule {claim.get('rule')}"
            f"{f'; review {review}' if (review := claim.get('review')) else ''}"
        )
        return {"description": evidence, "summary": summary, "proof": ftm_id(claim["doc_id"])}

    @staticmethod
    def _describe(proxy: Any, details: dict[str, Any]) -> None:
        for prop, value in details.items():
            proxy.add(prop, value)

    def documentation(self, actor: str, mention: Row) -> None:
        doc = self.writer.make(
            "Documentation", ftm_id(f"mentioned:{actor}:{mention['doc'].split(':')[-1][:24]}")
        )
        doc.add("document", ftm_id(mention["doc"]))
        doc.add("entity", ftm_id(actor))
        doc.add("role", "mentioned")
        forms = sorted(set(mention.get("forms") or []))
        if forms:
            doc.add("summary", "as " + ", ".join(forms))
        self.writer.emit(doc)

    def document(self, row: Row) -> None:
        article = self.writer.make("Article", ftm_id(row["key"]))
        sources = sorted(set(row.get("sources") or []))
        article.add("title", row.get("title") or (sources[0] if sources else row["key"]))
        article.add("author", row.get("author"))
        article.add("publishedAt", row.get("published"))
        article.add("bodyText", row.get("text"))
        article.add("sourceUrl", row.get("url"))
        if sources:
            article.add("fileName", sources)
        self.writer.emit(article)


def export_ftm(store: GraphStore, out: TextIO, *, include_rejected: bool = False, **walk_options: int) -> FtmReport:
    """Write the whole graph to `out` as FollowTheMoney entities, one JSON object per line; a claim's review
    is in its `summary` ("review confirmed"), and rejected claims are left out unless `include_rejected`."""
    return _Export(store, out, walk_options, include_rejected).run()


def read_ftm(lines: Iterator[str]) -> Counter[str]:
    """Entities per schema in an FtM JSON-lines stream, each read back through followthemoney."""
    model = _model()
    counts: Counter[str] = Counter()
    for line in lines:
        if line.strip():
            proxy = model.get_proxy(json.loads(line), cleaned=False)
            counts[proxy.schema.name] += 1
    return counts
