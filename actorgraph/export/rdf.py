"""Linked-data export: the graph as RDF (schema.org types, W3C Web Annotation evidence, PROV sources).

Actors, charges, documents and claims get IRIs minted from their graph ids under a base (`urn:actorgraph:` by
default: `<urn:actorgraph:person:3f2a…>`), so two exports of the same graph agree and `import rdf` can read
the ids back. Each claim is an `ag:Claim` resource with its evidence, and the plain triple (`<a> ag:funds
<b>`) is asserted too, so simple SPARQL works. Ids merged away by resolution are exported `owl:sameAs` the
actor they joined.

N-Triples and Turtle are streamed: the graph is read by `walk` (a batch of actors at a time, each with its
claims and mentions, in a background thread) and lines are written without building a Graph, so memory stays
flat in the graph's size. JSON-LD and RDF/XML build one rdflib Graph of the whole export (its memory grows
with the graph: use them for subgraphs). The vocabulary is `actorgraph/vocab/ag.ttl`; the SHACL shapes the
tests validate against are `vocab/shapes.ttl`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any, Final, TextIO
from urllib.parse import quote, unquote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, NamespaceManager

from actorgraph.errors import ConfigError
from actorgraph.export.walk import (
    ACTOR_PAGE,
    BUDGET,
    CLAIM_PAGE,
    Item,
    document_times,
    in_background,
    subgraph,
    walk,
)
from actorgraph.graph.store import GraphStore, Row
from actorgraph.vocab import PREDICATES

AG: Final = Namespace("https://w3id.org/actorgraph/ns#")
SCHEMA: Final = Namespace("https://schema.org/")
OA: Final = Namespace("http://www.w3.org/ns/oa#")
DEFAULT_BASE: Final = "urn:actorgraph:"
FORMATS: Final = ("turtle", "nt", "jsonld", "xml")
STREAMED: Final = frozenset({"turtle", "nt"})
PREFIXES: Final[dict[str, str]] = {
    "ag": str(AG),
    "schema": str(SCHEMA),
    "oa": str(OA),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}
#: Graph label of an actor -> its schema.org class (and back, for import).
ACTOR_CLASSES: Final[dict[str, URIRef]] = {
    "Person": SCHEMA.Person,
    "Organization": SCHEMA.Organization,
    "Place": SCHEMA.Place,
}
LABEL_TYPE: Final[dict[str, str]] = {"Person": "PERSON", "Organization": "ORG", "Place": "GPE"}


# -- the vocabulary ------------------------------------------------------------------------------------------


@cache
def vocabulary() -> Graph:
    """Our RDFS/OWL vocabulary (`actorgraph/vocab/ag.ttl`), parsed once."""
    graph = Graph()
    graph.parse(data=(files("actorgraph.vocab") / "ag.ttl").read_text("utf-8"), format="turtle")
    return graph


@cache
def predicate_terms() -> dict[str, URIRef]:
    """Graph relationship type -> `ag:` property, read from the vocabulary's `ag:graphType` annotations."""
    terms: dict[str, URIRef] = {}
    for prop, name in vocabulary().subject_objects(AG.graphType):
        if isinstance(prop, URIRef):
            terms[str(name)] = prop
    if set(terms) != set(PREDICATES):
        missing, extra = sorted(set(PREDICATES) - set(terms)), sorted(set(terms) - set(PREDICATES))
        raise ConfigError(
            f"actorgraph/vocab/ag.ttl does not match the predicates: missing {missing}, unknown {extra}",
            hint="give every predicate of actorgraph.vocab.PREDICATES one property with ag:graphType",
        )
    return terms


def namespace_manager() -> NamespaceManager:
    """A namespace manager with our prefixes bound (Turtle header, JSON-LD context, RDF/XML)."""
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, override=True, replace=True)
    return manager


# -- IRIs ----------------------------------------------------------------------------------------------------


def check_base(base: str) -> str:
    """The base IRI all ids are minted under; it must be absolute and end in `/`, `#` or `:`."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S*$", base) or base[-1] not in "/#:":
        raise ConfigError(
            f"--base must be an absolute IRI ending in '/', '#' or ':', got {base!r}",
            hint=f"e.g. https://example.org/graph/ (the default is {DEFAULT_BASE})",
        )
    return base


def iri(base: str, node_id: str) -> URIRef:
    """The IRI of a graph id under `base`: the id itself, percent-encoded where it needs to be."""
    return URIRef(base + quote(node_id, safe=":-._~!$&'()*+,;=@"))


def id_from_iri(base: str, term: object) -> str | None:
    """The graph id an IRI was minted from, or None when it is not under `base`."""
    text = str(term)
    if not isinstance(term, URIRef) or not text.startswith(base) or "#" in text[len(base) :]:
        return None
    return unquote(text[len(base) :])


def mention_id(key: str, doc_id: str) -> str:
    """Id of a mention resource: one per (document-level entity id, document)."""
    return "mention:" + hashlib.sha256(f"{key}\x1f{doc_id}".encode()).hexdigest()[:24]


# -- rows to triples -----------------------------------------------------------------------------------------
#
# Triples are plain strings on the hot path: subject and predicate IRIs as `str`, the object an IRI `str` or a
# `Lit`. An rdflib term is costly to build (URIRef validates every IRI, Literal casts its value) and the export
# makes millions; `rdflib_triple()` makes terms where a Graph is wanted.


#: A literal: (lexical form, datatype IRI or None for xsd:string). A plain tuple: cheaper than a NamedTuple.
Lit = tuple[str, str | None]


Obj = str | Lit
Triple = tuple[str, str, Obj]

_XSD = str(XSD)
_INTEGER, _NON_NEGATIVE, _DOUBLE = _XSD + "integer", _XSD + "nonNegativeInteger", _XSD + "double"
_BOOLEAN, _DATE, _DATETIME, _ANY_URI = _XSD + "boolean", _XSD + "date", _XSD + "dateTime", _XSD + "anyURI"
_TRUE = ("true", _BOOLEAN)
_A, _SUBJECT, _PREDICATE, _OBJECT = str(RDF.type), str(RDF.subject), str(RDF.predicate), str(RDF.object)
_LABEL, _ALT_LABEL = str(RDFS.label), str(SKOS.altLabel)
_IDENTIFIER, _SAME_AS = str(DCTERMS.identifier), str(OWL.sameAs)
_DERIVED, _GENERATED = str(PROV.wasDerivedFrom), str(PROV.generatedAtTime)
_S_NAME, _S_MENTIONS, _S_TEXT = str(SCHEMA.name), str(SCHEMA.mentions), str(SCHEMA.text)
_S_HEADLINE, _S_AUTHOR, _S_PUBLISHED, _S_URL = (
    str(SCHEMA.headline),
    str(SCHEMA.author),
    str(SCHEMA.datePublished),
    str(SCHEMA.url),
)
_S_ARTICLE, _S_NEWS = str(SCHEMA.Article), str(SCHEMA.NewsArticle)
_OA_SPECIFIC, _OA_SOURCE, _OA_SELECTOR = str(OA.SpecificResource), str(OA.hasSource), str(OA.hasSelector)
_OA_QUOTE, _OA_EXACT, _OA_POSITION = str(OA.TextQuoteSelector), str(OA.exact), str(OA.TextPositionSelector)
_OA_START, _OA_END = str(OA.start), str(OA.end)
_AG = str(AG)
_ACTOR, _CHARGE, _DOCUMENT, _CLAIM, _MENTION, _DECISION = (
    _AG + n for n in ("Actor", "Charge", "Document", "Claim", "Mention", "Decision")
)
_EVIDENCE, _CONFIDENCE, _RULE, _DENIED, _SUBJECT_KEY, _OBJECT_KEY = (
    _AG + n for n in ("evidence", "confidence", "rule", "denied", "subjectKey", "objectKey")
)
_MENTION_COUNT, _DOC_COUNT, _MANUAL_ALIAS, _MERGED_FROM = (
    _AG + n for n in ("mentionCount", "docCount", "manualAlias", "mergedFrom")
)
_MENTION_OF, _IN_DOCUMENT, _COUNT, _FORM, _KEY, _DOCUMENT_NAME = (
    _AG + n for n in ("mentionOf", "inDocument", "count", "form", "key", "documentName")
)
_SOURCE, _INGESTED_AT, _COMPLETE = _AG + "source", _AG + "ingestedAt", _AG + "complete"
_STAGE = _AG + "stage"
_DECISION_KIND, _DECISION_A, _DECISION_B, _DECISION_NAME, _DECIDED_BY, _DECISION_RULE = (
    _AG + n for n in ("decisionKind", "decisionA", "decisionB", "decisionName", "decidedBy", "decisionRule")
)
_REVIEW, _REVIEW_STATUS, _REVIEW_OF, _VERDICT, _REASON, _CONTENT_KEY = (
    _AG + n for n in ("Review", "reviewStatus", "reviewOf", "verdict", "reason", "contentKey")
)
_ATTRIBUTED, _PROV_AGENT = str(PROV.wasAttributedTo), str(PROV.Agent)
_CLASS_OF_LABEL: Final = {label: str(cls) for label, cls in ACTOR_CLASSES.items()}
_PLAIN_ID: Final = re.compile(r"[A-Za-z0-9:._~-]+")
_DATE_RE: Final = re.compile(r"-?\d{4,}-\d\d-\d\d")
_DATETIME_RE: Final = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def time_literal(value: object) -> Lit | None:
    """An ISO date or date-time as an xsd:date / xsd:dateTime literal (lexical form kept), else a string."""
    if value is None or value == "":
        return None
    text = str(value)
    try:
        if _DATE_RE.fullmatch(text):
            date.fromisoformat(text)
            return (text, _DATE)
        if _DATETIME_RE.fullmatch(text):
            datetime.fromisoformat(text.replace("Z", "+00:00"))
            return (text, _DATETIME)
    except ValueError:
        pass
    return (text, None)


def _int(value: Any) -> Lit:
    return (str(int(value)), _INTEGER)


class Triples:
    """Turns graph rows into lists of triples under one base IRI (lists, not generators: faster here)."""

    def __init__(self, base: str = DEFAULT_BASE, doc_times: Mapping[str, Lit | None] | None = None) -> None:
        self.base = check_base(base)
        self.predicates = {name: str(term) for name, term in predicate_terms().items()}
        self.doc_times: Mapping[str, Lit | None] = {} if doc_times is None else doc_times
        self._docs: dict[str, str] = {}
        self.reviewed: set[str] = set()  # ids of the claims written with a review mark (few: a user's reviews)
        self._agents: set[str] = set()

    def iri(self, node_id: str) -> str:
        """The IRI of a graph id (ids from actorgraph.ids need no encoding: the fast path)."""
        if _PLAIN_ID.fullmatch(node_id):
            return self.base + node_id
        return str(iri(self.base, node_id))

    def doc_iri(self, doc_id: str) -> str:
        """The IRI of a document: many claims and mentions share one, so it is cached (bounded)."""
        found = self._docs.get(doc_id)
        if found is None:
            if len(self._docs) >= DOC_TIMES_KEPT:
                self._docs.clear()
            found = self._docs[doc_id] = self.iri(doc_id)
        return found

    def actor(
        self, row: Row, plain: set[tuple[str, str]] | None = None, docs: set[str] | None = None
    ) -> list[Triple]:
        """An actor, its aliases and counts, its outgoing claims (each with the plain triple) and mentions.

        `plain` and `docs` carry what was already written for this actor when its claims or mentions come in
        pages.
        """
        a = self.iri(row["key"])
        out: list[Triple] = [(a, _A, _ACTOR)]
        for label in row.get("labels") or ():
            if label in _CLASS_OF_LABEL:
                out.append((a, _A, _CLASS_OF_LABEL[label]))
        out.append((a, _IDENTIFIER, (row["key"], None)))
        self._named(out, a, row)
        name = row.get("name")
        out += [(a, _ALT_LABEL, (x, None)) for x in sorted(set(row.get("aliases") or ())) if x != name]
        out += [(a, _MANUAL_ALIAS, (x, None)) for x in sorted(set(row.get("manual_aliases") or ()))]
        out += [(a, _MERGED_FROM, self.iri(x)) for x in sorted(set(row.get("merged_from") or ()))]
        claims: list[Triple] = []
        self.claims(claims, a, row.get("claims") or (), set() if plain is None else plain, out)
        out += claims
        self.mentions(out, a, row.get("mentions") or (), set() if docs is None else docs)
        return out

    def claims(
        self,
        out: list[Triple],
        subject: str,
        claims: Iterable[Row],
        plain: set[tuple[str, str]],
        plain_out: list[Triple] | None = None,
    ) -> None:
        """Claim resources, and each distinct plain triple once (`plain`: those already written) into
        `plain_out` (default `out`), so in Turtle an actor's own statements stay in one block."""
        plain_out = out if plain_out is None else plain_out
        for claim in claims:
            self.claim(out, subject, claim)
            pair = (self.predicates[claim["predicate"]], self.iri(claim["object"]))
            if pair not in plain:
                plain.add(pair)
                plain_out.append((subject, pair[0], pair[1]))

    @staticmethod
    def _named(out: list[Triple], node: str, row: Row) -> None:
        if row.get("name") is not None:
            name = (row["name"], None)
            out += [(node, _S_NAME, name), (node, _LABEL, name)]
        if row.get("mention_count") is not None:
            out.append((node, _MENTION_COUNT, _int(row["mention_count"])))
        if row.get("doc_count") is not None:
            out.append((node, _DOC_COUNT, _int(row["doc_count"])))

    def claim(self, out: list[Triple], subject: str, claim: Row) -> None:
        """One claim resource: subject/predicate/object, source, evidence (text quote + position), details."""
        c = self.iri(claim["id"])
        doc = self.doc_iri(claim["doc_id"])
        evidence, quote_, position = c + "#evidence", c + "#quote", c + "#position"
        out += [
            (c, _A, _CLAIM),
            (c, _IDENTIFIER, (claim["id"], None)),
            (c, _SUBJECT, subject),
            (c, _PREDICATE, self.predicates[claim["predicate"]]),
            (c, _OBJECT, self.iri(claim["object"])),
            (c, _DERIVED, doc),
            (c, _EVIDENCE, evidence),
        ]
        if claim.get("confidence") is not None:
            out.append((c, _CONFIDENCE, (repr(float(claim["confidence"])), _DOUBLE)))
        if claim.get("rule") is not None:
            out.append((c, _RULE, (claim["rule"], None)))
        if claim.get("denied"):
            out.append((c, _DENIED, _TRUE))
        if claim.get("stage") is not None:
            out.append((c, _STAGE, (claim["stage"], None)))
        if claim.get("review") is not None:
            out.append((c, _REVIEW_STATUS, (claim["review"], None)))
            self.reviewed.add(claim["id"])
        when = self._time(claim["doc_id"])
        if when is not None:
            out.append((c, _GENERATED, when))
        if claim.get("subject_key") is not None:
            out.append((c, _SUBJECT_KEY, (claim["subject_key"], None)))
        if claim.get("object_key") is not None:
            out.append((c, _OBJECT_KEY, (claim["object_key"], None)))
        out += [
            (evidence, _A, _OA_SPECIFIC),
            (evidence, _OA_SOURCE, doc),
            (evidence, _OA_SELECTOR, quote_),
            (evidence, _OA_SELECTOR, position),
            (quote_, _A, _OA_QUOTE),
            (quote_, _OA_EXACT, (claim["evidence"] or "", None)),
            (position, _A, _OA_POSITION),
            (position, _OA_START, (str(int(claim["start"])), _NON_NEGATIVE)),
            (position, _OA_END, (str(int(claim["end"])), _NON_NEGATIVE)),
        ]

    def _time(self, doc_id: str) -> Lit | None:
        return self.doc_times.get(doc_id)

    def mentions(self, out: list[Triple], node: str, mentions: Iterable[Row], docs: set[str]) -> None:
        """MENTIONED_IN edges: `<doc> schema:mentions <node>` once per document (`docs`: already written), and
        an ag:Mention with count, forms and key."""
        for mention in mentions:
            doc = self.doc_iri(mention["doc"])
            if doc not in docs:
                docs.add(doc)
                out.append((doc, _S_MENTIONS, node))
            m = self.base + mention_id(mention.get("actor_key") or node, mention["doc"])  # hex: no encoding
            out += [(m, _A, _MENTION), (m, _MENTION_OF, node), (m, _IN_DOCUMENT, doc)]
            if mention.get("count") is not None:
                out.append((m, _COUNT, _int(mention["count"])))
            out += [(m, _FORM, (form, None)) for form in sorted(set(mention.get("forms") or ()))]
            if mention.get("actor_key") is not None:
                out.append((m, _KEY, (mention["actor_key"], None)))
            if mention.get("name") is not None:
                out.append((m, _DOCUMENT_NAME, (mention["name"], None)))

    def charge(self, row: Row, docs: set[str] | None = None) -> list[Triple]:
        """A charge (an ag:Charge, a skos:Concept by the vocabulary) with its mentions."""
        c = self.iri(row["key"])
        out: list[Triple] = [(c, _A, _CHARGE), (c, _IDENTIFIER, (row["key"], None))]
        self._named(out, c, row)
        self.mentions(out, c, row.get("mentions") or (), set() if docs is None else docs)
        return out

    def document(self, row: Row) -> list[Triple]:
        """A document: schema:NewsArticle when it has a publication date, else schema:Article."""
        d = self.iri(row["key"])
        out: list[Triple] = [
            (d, _A, _DOCUMENT),
            (d, _A, _S_NEWS if row.get("published") else _S_ARTICLE),
            (d, _IDENTIFIER, (row["key"], None)),
        ]
        if row.get("title"):
            out.append((d, _S_HEADLINE, (row["title"], None)))
        if row.get("author"):
            out.append((d, _S_AUTHOR, (row["author"], None)))
        published = time_literal(row.get("published"))
        if published is not None:
            out.append((d, _S_PUBLISHED, published))
        if row.get("url"):
            out.append((d, _S_URL, (row["url"], _ANY_URI)))
        out += [(d, _SOURCE, (source, None)) for source in sorted(set(row.get("sources") or ()))]
        ingested = time_literal(row.get("ingested_at"))
        if ingested is not None:
            out.append((d, _INGESTED_AT, ingested))
        if row.get("complete") is not None:
            out.append((d, _COMPLETE, ("true" if row["complete"] else "false", _BOOLEAN)))
        out.append((d, _S_TEXT, (row.get("text") or "", None)))
        return out

    def redirect(self, row: Row) -> list[Triple]:
        """An id merged away by resolution: `owl:sameAs` the actor it joined."""
        return [(self.iri(row["key"]), _SAME_AS, self.iri(row["target"]))]

    def decision(self, row: Row) -> list[Triple]:
        """A stored resolution decision (so an import replays to the same graph)."""
        x = self.iri(row["key"])
        out: list[Triple] = [(x, _A, _DECISION), (x, _IDENTIFIER, (row["key"], None))]
        for name, prop in (
            ("kind", _DECISION_KIND),
            ("name", _DECISION_NAME),
            ("by", _DECIDED_BY),
            ("rule", _DECISION_RULE),
        ):
            if row.get(name) is not None:
                out.append((x, prop, (row[name], None)))
        for name, prop in (("a", _DECISION_A), ("b", _DECISION_B)):
            if row.get(name):
                out.append((x, prop, self.iri(row[name])))
        when = time_literal(row.get("at"))
        if when is not None:
            out.append((x, _GENERATED, when))
        return out


    def review(self, row: Row, *, include_rejected: bool = False) -> list[Triple]:
        """A review of a claim this export wrote, as PROV: who (prov:wasAttributedTo an agent), when
        (prov:generatedAtTime), why (ag:reason). Rejections only with `include_rejected`; orphans never."""
        claim, verdict = row.get("claim"), row.get("verdict")
        if claim not in self.reviewed or row.get("status") != verdict:
            return []
        if verdict == "rejected" and not include_rejected:
            return []
        r = self.iri(row["key"])
        out: list[Triple] = [
            (r, _A, _REVIEW),
            (r, _IDENTIFIER, (row["key"], None)),
            (r, _REVIEW_OF, self.iri(str(claim))),
            (r, _VERDICT, (str(verdict), None)),
        ]
        by = row.get("by") or "unknown"
        agent = self.iri("agent:" + by)
        out.append((r, _ATTRIBUTED, agent))
        if agent not in self._agents:
            self._agents.add(agent)
            out += [(agent, _A, _PROV_AGENT), (agent, _LABEL, (by, None))]
        when = time_literal(row.get("at"))
        if when is not None:
            out.append((r, _GENERATED, when))
        if row.get("why"):
            out.append((r, _REASON, (row["why"], None)))
        if row.get("content_key"):
            out.append((r, _CONTENT_KEY, (row["content_key"], None)))
        return out


def rdflib_triple(triple: Triple) -> tuple[URIRef, URIRef, URIRef | Literal]:
    """A triple as rdflib terms (for building a Graph)."""
    s, p, o = triple
    if isinstance(o, str):
        return URIRef(s), URIRef(p), URIRef(o)
    value, datatype = o
    return URIRef(s), URIRef(p), Literal(value, datatype=None if datatype is None else URIRef(datatype))


# -- from the walk to triples -------------------------------------------------------------------------------


@dataclass
class ExportStats:
    """What an export wrote."""

    triples: int = 0
    actors: int = 0
    claims: int = 0
    charges: int = 0
    documents: int = 0
    mentions: int = 0
    redirects: int = 0
    decisions: int = 0
    reviews: int = 0
    streamed: bool = True
    query: str | None = None
    query_rows: int | None = None

    def summary(self) -> str:
        """One line for the CLI."""
        parts = [f"{self.triples:,} triples", f"{self.actors:,} actors", f"{self.claims:,} claims"]
        parts += [f"{self.charges:,} charges", f"{self.documents:,} documents"]
        if self.mentions:
            parts.append(f"{self.mentions:,} mentions")
        if self.redirects:
            parts.append(f"{self.redirects:,} merged ids (owl:sameAs)")
        if self.decisions:
            parts.append(f"{self.decisions:,} decisions")
        if self.reviews:
            parts.append(f"{self.reviews:,} reviews (PROV)")
        head = f"query {self.query} ({self.query_rows:,} rows): " if self.query else ""
        return head + ", ".join(parts)


DOC_TIMES_KEPT: Final = 20_000  # document times cached at most; then the cache starts over (flat memory)


class _DocTimes:
    """Document id -> ingested_at as a literal, looked up a batch of claims at a time, in a bounded cache."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.times: dict[str, Lit | None] = {}

    def fetch(self, doc_ids: Iterable[str]) -> dict[str, Lit | None]:
        """The times of these documents (a dict of their own, so a later cache reset cannot affect it)."""
        wanted = set(doc_ids)
        missing = sorted(d for d in wanted if d not in self.times)
        if len(self.times) + len(missing) > DOC_TIMES_KEPT:
            self.times.clear()
            missing = sorted(wanted)
        found = document_times(self.store, missing)
        self.times.update({d: time_literal(found.get(d)) for d in missing})
        return {d: self.times.get(d) for d in wanted}


def _with_times(store: GraphStore, items: Iterable[Item]) -> Iterator[Item]:
    """Attach to each item the ingest time of the documents its claims come from (prov:generatedAtTime)."""
    times = _DocTimes(store)
    for item in items:
        if item.kind == "actors":
            item.times = times.fetch(c["doc_id"] for row in item.rows for c in row.get("claims") or ())
        elif item.kind == "claims":
            item.times = times.fetch(c["doc_id"] for c in item.rows)
        yield item


def triple_batches(
    store: GraphStore,
    base: str = DEFAULT_BASE,
    *,
    stats: ExportStats | None = None,
    claim_limit: int | None = None,
    page: int = ACTOR_PAGE,
    budget: int = BUDGET,
    claim_page: int = CLAIM_PAGE,
    include_rejected: bool = False,
) -> Iterator[list[Triple]]:
    """The graph's triples in lists (a batch of nodes, or a page of a big node's claims or mentions).

    The engine is read in a background thread (`walk`), one step ahead. `page`, `budget` and `claim_page` are
    the paging knobs (tests set them small to walk the big-node path on a small graph). Claims a reviewer
    rejected, and their reviews, only with `include_rejected`.
    """
    items = walk(store, page=page, budget=budget, claim_page=claim_page, claim_limit=claim_limit,
                 include_rejected=include_rejected)
    return _triples(store, items, base, stats or ExportStats(), include_rejected)


def subgraph_batches(
    store: GraphStore,
    claim_ids: Iterable[str],
    base: str = DEFAULT_BASE,
    *,
    stats: ExportStats | None = None,
    include_rejected: bool = False,
) -> Iterator[list[Triple]]:
    """The triples of the claims with these ids, their subjects, objects and documents (no mentions)."""
    items = subgraph(store, claim_ids, include_rejected=include_rejected)
    return _triples(store, items, base, stats or ExportStats(), include_rejected)


def _triples(
    store: GraphStore, items: Iterator[Item], base: str, stats: ExportStats, include_rejected: bool = False
) -> Iterator[list[Triple]]:
    """The triples of the walk's items, a list per item, counted into `stats`."""
    triples = Triples(base)
    plain: set[tuple[str, str]] = set()
    docs: set[str] = set()
    current = ""
    for item in in_background(_with_times(store, items)):
        triples.doc_times = item.times
        out: list[Triple] = []
        if item.kind in ("actors", "big-actor", "charges", "big-charge"):
            for row in item.rows:
                plain, docs, current = set(), set(), triples.iri(row["key"])
                stats.mentions += len(row.get("mentions") or ())
                if item.kind in ("actors", "big-actor"):
                    stats.actors += 1
                    stats.claims += len(row.get("claims") or ())
                    out += triples.actor(row, plain, docs)
                else:
                    stats.charges += 1
                    out += triples.charge(row, docs)
        elif item.kind == "claims":
            stats.claims += len(item.rows)
            triples.claims(out, current, item.rows, plain)
        elif item.kind == "mentions":
            stats.mentions += len(item.rows)
            triples.mentions(out, current, item.rows, docs)
        elif item.kind == "documents":
            stats.documents += len(item.rows)
            for row in item.rows:
                out += triples.document(row)
        elif item.kind == "redirects":
            stats.redirects += len(item.rows)
            for row in item.rows:
                out += triples.redirect(row)
        elif item.kind == "decisions":
            stats.decisions += len(item.rows)
            for row in item.rows:
                out += triples.decision(row)
        elif item.kind == "reviews":
            for row in item.rows:
                written = triples.review(row, include_rejected=include_rejected)
                stats.reviews += bool(written)
                out += written
        yield out


# -- writing -------------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """A string's body as N-Triples / Turtle need it (one line: `\\`, `"`, LF and CR escaped)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def nt_line(triple: Triple) -> str:
    """One N-Triples line. IRIs are ours (minted by `iri()`, or vocabulary terms), so they need no checks."""
    s, p, o = triple
    if isinstance(o, str):
        return f"<{s}> <{p}> <{o}> .\n"
    value, datatype = o
    if datatype is None:
        return f'<{s}> <{p}> "{_escape(value)}" .\n'
    return f'<{s}> <{p}> "{_escape(value)}"^^<{datatype}> .\n'


class _TurtleTerms:
    """Turtle terms: vocabulary IRIs as prefixed names, data IRIs in full, literals as in N-Triples."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def iri(self, term: str) -> str:
        short = self.names.get(term)
        if short is None:
            short = f"<{term}>"
            for prefix, namespace in PREFIXES.items():
                if term.startswith(namespace) and re.fullmatch(
                    r"[A-Za-z][A-Za-z0-9_-]*", term[len(namespace) :]
                ):
                    short = f"{prefix}:{term[len(namespace) :]}"
                    break
            if len(self.names) < 10_000:  # vocabulary terms repeat; data IRIs mostly don't
                self.names[term] = short
        return short

    def obj(self, term: Obj) -> str:
        if isinstance(term, str):
            return self.iri(term)
        value, datatype = term
        if datatype is None:
            return f'"{_escape(value)}"'
        return f'"{_escape(value)}"^^{self.iri(datatype)}'


def write_nt(batches: Iterable[list[Triple]], out: TextIO, chunk: int = 20_000) -> int:
    """Write lists of triples as N-Triples lines, `chunk` lines per write; returns how many."""
    count = 0
    for batch in batches:
        for i in range(0, len(batch), chunk):
            out.write("".join(map(nt_line, batch[i : i + chunk])))
        count += len(batch)
    return count


def write_turtle(batches: Iterable[list[Triple]], out: TextIO) -> int:
    """Write lists of triples as Turtle, a list at a time: the prefixes once, then each list's consecutive
    triples of one subject grouped with `;` (every list ends its last statement, so lists are independent
    chunks)."""
    terms = _TurtleTerms()
    out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n")
    count = 0
    for batch in batches:
        parts: list[str] = []
        subject: str | None = None
        for s, p, o in batch:
            predicate = "a" if p == _A else terms.iri(p)
            if s == subject:
                parts.append(f" ;\n    {predicate} {terms.obj(o)}")
            else:
                if subject is not None:
                    parts.append(" .\n")
                subject = s
                parts.append(f"{terms.iri(s)} {predicate} {terms.obj(o)}")
            if len(parts) >= 20_000:  # a big batch goes out in pieces (text only: statements may span them)
                out.write("".join(parts))
                parts = []
        if subject is not None:
            parts.append(" .\n")
        out.write("".join(parts))
        count += len(batch)
    return count


def to_graph(batches: Iterable[list[Triple]]) -> Graph:
    """One rdflib Graph of the triples, with our prefixes bound (not streamed: memory grows with the
    graph)."""
    graph = Graph(namespace_manager=namespace_manager())
    for batch in batches:
        for triple in batch:
            graph.add(rdflib_triple(triple))
    return graph


def write_rdf(batches: Iterable[list[Triple]], out: TextIO, fmt: str) -> int:
    """Write triples in `fmt` (turtle, nt: streamed; jsonld, xml: through one Graph); returns triples
    written."""
    if fmt == "nt":
        return write_nt(batches, out)
    if fmt == "turtle":
        return write_turtle(batches, out)
    if fmt not in FORMATS:
        raise ConfigError(f"unknown RDF format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    graph = to_graph(batches)
    if fmt == "jsonld":
        out.write(graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True))
    else:
        out.write(graph.serialize(format="pretty-xml" if len(graph) < 50_000 else "xml"))
    return len(graph)


def export_rdf(
    store: GraphStore,
    out: TextIO,
    *,
    fmt: str = "turtle",
    base: str = DEFAULT_BASE,
    query: str | None = None,
    args: Sequence[str] = (),
    params: Mapping[str, str] | None = None,
    limit: int = 0,
    include_rejected: bool = False,
) -> ExportStats:
    """Write the graph (or, with `query`, the subgraph behind a curated query's rows) to `out` as RDF in
    `fmt`; claims a reviewer rejected (and their reviews) only with `include_rejected`."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown RDF format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    check_base(base)
    stats = ExportStats(streamed=fmt in STREAMED)
    if query is None:
        batches = triple_batches(store, base, stats=stats, include_rejected=include_rejected)
    else:
        from actorgraph.queries import run_query

        result = run_query(store, query, list(args), dict(params or {}), limit=limit,
                           include_rejected=include_rejected)
        stats.query, stats.query_rows = query, len(result.rows)
        batches = subgraph_batches(store, result.claim_ids, base, stats=stats, include_rejected=include_rejected)
    stats.triples = write_rdf(batches, out, fmt)
    return stats
