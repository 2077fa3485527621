"""Linked-data export: the graph as RDF (schema.org types, W3C Web Annotation evidence, PROV sources).

Actors, charges, documents and claims get IRIs minted from their graph ids under a base (`urn:actorgraph:` by
default: `<urn:actorgraph:person:3f2a…>`), so two exports of the same graph agree and `import rdf` can read
the ids back. Each claim is an `ag:Claim` resource with its evidence, and the plain triple (`<a> ag:funds
<b>`) is asserted too, so simple SPARQL works. Ids merged away by resolution are exported `owl:sameAs` the
actor they joined.

N-Triples and Turtle are streamed: the store is read a page of actors at a time (each with its claims and
mentions) and lines are written from rdflib terms without building a Graph, so memory stays flat in the
graph's size. JSON-LD and RDF/XML build one rdflib Graph of the whole export (its memory grows with the graph:
use them for subgraphs). The vocabulary is `actorgraph/vocab/ag.ttl`; the SHACL shapes the tests validate
against are `vocab/shapes.ttl`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from queue import Empty, Full, Queue
from typing import Any, Final, TextIO
from urllib.parse import quote, unquote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, NamespaceManager

from actorgraph.errors import ConfigError, QueryError
from actorgraph.graph.store import GraphStore, Row
from actorgraph.vocab import INTERNAL_TYPES, PREDICATES

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
MENTIONED_IN: Final = INTERNAL_TYPES[0]

ACTOR_PAGE: Final = 10_000  # ids per keyset page (actors, charges, documents): few pages, each sorts the rest
CHARGE_PAGE: Final = 2_000  # charges per read in a subgraph
DOCUMENT_PAGE: Final = 200  # documents per read: they carry their full text
ID_PAGE: Final = 10_000  # redirects, decisions, and ids per lookup query
BUDGET: Final = 5_000  # claims + mentions per read at most: bounds memory (a bigger node is read in pages)
CLAIM_PAGE: Final = 5_000  # claims (or mentions) per page of one big node


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


# -- reading the graph: one query text per engine ------------------------------------------------------------
#
# Each read is written once as a map of fields and rendered twice: portable Cypher that ends `RETURN {...} AS
# row` (Neo4j, and the form the parser test checks), and for FalkorDB `RETURN toJSON(collect({...})) AS rows`,
# a whole page in one string: its Python client parses row values one by one (~85 µs per claim measured, 3x
# slower). FalkorDB's toJSON does not escape strings (FalkorDB issue #561), so the FalkorDB form escapes `\`
# and `"` in every string first.

#: (name, Cypher expression, kind): "s" a string, "S" a list of strings, "v" anything else, or nested fields
Field = tuple[str, str, Any]

_ESCAPE: Final = "replace(replace({x}, '\\\\', '\\\\\\\\'), '\"', '\\\\\"')"

CLAIM_FIELDS: Final[tuple[Field, ...]] = (
    ("predicate", "type(c)", "v"),
    ("object", "o.id", "s"),
    ("object_labels", "labels(o)", "v"),
    ("object_name", "o.name", "s"),
    ("id", "c.id", "s"),
    ("doc_id", "c.doc_id", "s"),
    ("evidence", "c.evidence", "s"),
    ("start", "c.start", "v"),
    ("end", "c.end", "v"),
    ("confidence", "c.confidence", "v"),
    ("rule", "c.rule", "s"),
    ("denied", "c.denied", "v"),
    ("subject_key", "c.subject_key", "s"),
    ("object_key", "c.object_key", "s"),
)
MENTION_FIELDS: Final[tuple[Field, ...]] = (
    ("doc", "d.id", "s"),
    ("count", "m.count", "v"),
    ("forms", "m.forms", "S"),
    ("actor_key", "m.actor_key", "s"),
    ("name", "m.name", "s"),
)
_CLAIMS: Final = "[(a)-[c]->(o) WHERE type(c) IN $predicates | MAP]"
_CLAIMS_IN: Final = "[(a)-[c]->(o) WHERE type(c) IN $predicates AND c.id IN $claim_ids | MAP]"
_MENTIONS: Final = f"[(a)-[m:{MENTIONED_IN}]->(d:Document) | MAP]"
ACTOR_FIELDS: Final[tuple[Field, ...]] = (
    ("key", "a.id", "s"),
    ("labels", "labels(a)", "v"),
    ("type", "a.type", "s"),
    ("name", "a.name", "s"),
    ("aliases", "a.aliases", "S"),
    ("manual_aliases", "a.manual_aliases", "S"),
    ("merged_from", "a.merged_from", "S"),
    ("mention_count", "a.mention_count", "v"),
    ("doc_count", "a.doc_count", "v"),
)
CHARGE_FIELDS: Final[tuple[Field, ...]] = (
    ("key", "a.id", "s"),
    ("name", "a.name", "s"),
    ("mention_count", "a.mention_count", "v"),
    ("doc_count", "a.doc_count", "v"),
)
DOCUMENT_FIELDS: Final[tuple[Field, ...]] = (
    ("key", "d.id", "s"),
    ("text", "d.text", "s"),
    ("sources", "d.sources", "S"),
    ("title", "d.title", "s"),
    ("author", "d.author", "s"),
    ("published", "d.published", "s"),
    ("url", "d.url", "s"),
    ("ingested_at", "d.ingested_at", "s"),
    ("complete", "d.complete", "v"),
)
REDIRECT_FIELDS: Final[tuple[Field, ...]] = (("key", "r.id", "s"), ("target", "r.target", "s"))
DECISION_FIELDS: Final[tuple[Field, ...]] = (
    ("key", "x.id", "s"),
    ("kind", "x.kind", "s"),
    ("a", "x.a", "s"),
    ("b", "x.b", "s"),
    ("name", "x.name", "s"),
    ("at", "x.at", "s"),
    ("by", "x.by", "s"),
    ("rule", "x.rule", "s"),
)


def _map(fields: Sequence[Field], packed: bool) -> str:
    """A Cypher map literal of `fields`; `packed`: strings escaped for FalkorDB's toJSON."""
    parts = []
    for name, expr, kind in fields:
        if not isinstance(kind, str):
            expr = expr.replace("MAP", _map(kind, packed))
        elif packed and kind == "s":
            expr = _ESCAPE.format(x=expr)
        elif packed and kind == "S":
            expr = f"[x IN coalesce({expr}, []) | {_ESCAPE.format(x='x')}]"
        parts.append(f"{name}: {expr}")
    return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True)
class Read:
    """One read, as portable Cypher (`RETURN {...} AS row`) and as FalkorDB's one-string-per-page form."""

    portable: str
    packed: str

    @classmethod
    def of(cls, head: str, fields: Sequence[Field]) -> Read:
        return cls(
            f"{head} RETURN {_map(fields, False)} AS row",
            f"{head} RETURN toJSON(collect({_map(fields, True)})) AS rows",
        )


_ACTOR_ROW: Final = (
    *ACTOR_FIELDS,
    ("claims", _CLAIMS, CLAIM_FIELDS),
    ("mentions", _MENTIONS, MENTION_FIELDS),
)
_CHARGE_ROW: Final = (*CHARGE_FIELDS, ("mentions", _MENTIONS, MENTION_FIELDS))
_HEAD_FIELDS: Final[tuple[Field, ...]] = (
    ("key", "a.id", "s"),
    ("claims", "size([(a)-[c]->() WHERE type(c) IN $predicates | 1])", "v"),
    ("mentions", f"size([(a)-[:{MENTIONED_IN}]->() | 1])", "v"),
)

#: Every actor id, a page at a time, with how many claims and mentions it has: the walk groups actors into
#: batches of at most BUDGET claims + mentions (ACTOR_BATCH); an actor above BUDGET alone (a hub with 80,000
#: claims) has its claims and mentions read in pages of their own (ACTOR_CLAIMS, ACTOR_MENTIONS), so no read
#: is ever larger than BUDGET and memory stays flat in the graph's size.
ACTOR_HEADS: Final = Read.of(
    "MATCH (a:Actor) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $limit", _HEAD_FIELDS
)
#: These actors with their outgoing claims and their mentions.
ACTOR_BATCH: Final = Read.of("UNWIND $ids AS id MATCH (a:Actor {id: id}) WITH a", _ACTOR_ROW)
#: These actors' own fields (big ones: their claims and mentions come in pages).
ACTOR_FIELDS_ONLY: Final = Read.of("UNWIND $ids AS id MATCH (a:Actor {id: id}) WITH a", ACTOR_FIELDS)
#: Every charge id with how many mentions it has.
CHARGE_HEADS: Final = Read.of(
    "MATCH (a:Charge) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $limit",
    (("key", "a.id", "s"), ("claims", "0", "v"), ("mentions", f"size([(a)-[:{MENTIONED_IN}]->() | 1])", "v")),
)
#: These charges with their mentions.
CHARGE_BATCH: Final = Read.of("UNWIND $ids AS id MATCH (a:Charge {id: id}) WITH a", _CHARGE_ROW)
#: These charges' own fields.
CHARGE_FIELDS_ONLY: Final = Read.of("UNWIND $ids AS id MATCH (a:Charge {id: id}) WITH a", CHARGE_FIELDS)
#: The claims of one big actor, a page at a time.
ACTOR_CLAIMS: Final = Read.of(
    "MATCH (a:Actor {id: $node})-[c]->(o) WHERE type(c) IN $predicates AND c.id > $after "
    "WITH c, o ORDER BY c.id LIMIT $limit",
    (("key", "c.id", "s"), *CLAIM_FIELDS),
)
_MENTION_PAGE: Final = (
    f"-[m:{MENTIONED_IN}]->(d:Document) WITH m, d, d.id + ' ' + coalesce(m.actor_key, '') AS k "
    "WHERE k > $after WITH m, d, k ORDER BY k LIMIT $limit"
)
#: The mentions of one big actor or charge, a page at a time.
ACTOR_MENTIONS: Final = Read.of(
    "MATCH (a:Actor {id: $node})" + _MENTION_PAGE, (("key", "k", "s"), *MENTION_FIELDS)
)
CHARGE_MENTIONS: Final = Read.of(
    "MATCH (a:Charge {id: $node})" + _MENTION_PAGE, (("key", "k", "s"), *MENTION_FIELDS)
)
#: Every document id, a page at a time (then DOCUMENT_BATCH reads them with their text, a few at a time).
DOCUMENT_IDS: Final = Read.of(
    "MATCH (d:Document) WHERE d.id > $after WITH d ORDER BY d.id LIMIT $limit", (("key", "d.id", "s"),)
)
#: These documents with their text.
DOCUMENT_BATCH: Final = Read.of("UNWIND $ids AS id MATCH (d:Document {id: id}) WITH d", DOCUMENT_FIELDS)
#: Every id merged away by resolution, and the actor it joined.
REDIRECTS: Final = Read.of(
    "MATCH (r:Redirect) WHERE r.id > $after WITH r ORDER BY r.id LIMIT $limit", REDIRECT_FIELDS
)
#: Every stored resolution decision.
DECISIONS: Final = Read.of(
    "MATCH (x:Decision) WHERE x.id > $after WITH x ORDER BY x.id LIMIT $limit", DECISION_FIELDS
)
#: Subgraph (--query): the claims with these ids (one scan of the claims), and the nodes they touch.
CLAIM_ENDS: Final = (
    "MATCH (s:Actor)-[c]->(o) WHERE type(c) IN $predicates AND c.id IN $ids "
    "RETURN c.id AS id, s.id AS subject, o.id AS object, labels(o) AS object_labels, c.doc_id AS doc_id"
)
SUBGRAPH_ACTORS: Final = Read.of(
    "UNWIND $ids AS id MATCH (a:Actor {id: id}) WITH a",
    (*ACTOR_FIELDS, ("claims", _CLAIMS_IN, CLAIM_FIELDS)),
)
SUBGRAPH_CHARGES: Final = Read.of("UNWIND $ids AS id MATCH (a:Charge {id: id}) WITH a", CHARGE_FIELDS)
#: When each document was ingested: a claim's prov:generatedAtTime.
DOCUMENT_TIMES: Final = "UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN d.id AS id, d.ingested_at AS at"

_READS: Final = (
    ACTOR_HEADS,
    ACTOR_BATCH,
    ACTOR_FIELDS_ONLY,
    CHARGE_HEADS,
    CHARGE_BATCH,
    CHARGE_FIELDS_ONLY,
    ACTOR_CLAIMS,
    ACTOR_MENTIONS,
    CHARGE_MENTIONS,
    DOCUMENT_IDS,
    DOCUMENT_BATCH,
    REDIRECTS,
    DECISIONS,
    SUBGRAPH_ACTORS,
    SUBGRAPH_CHARGES,
)


def cypher_statements() -> Iterator[str]:
    """Every portable Cypher string this module sends (the FalkorDB forms are the same reads, packed)."""
    for read in _READS:
        yield read.portable
    yield CLAIM_ENDS
    yield DOCUMENT_TIMES


def falkordb_statements() -> Iterator[str]:
    """The FalkorDB-only forms (toJSON, string escapes) of the same reads."""
    for read in _READS:
        yield read.packed


def _read(store: GraphStore, read: Read, **params: Any) -> list[Row]:
    """One page of maps, through the engine's fast form."""
    if store.dialect.name == "falkordb":
        rows = store.read(read.packed, **params)
        return list(json.loads(rows[0]["rows"], strict=False)) if rows else []
    return [record["row"] for record in store.read(read.portable, **params)]


def _pages(store: GraphStore, read: Read, page_size: int, **params: Any) -> Iterator[list[Row]]:
    """Keyset paging: pages of maps sorted by `key`, each starting after the largest key of the one before."""
    after = ""
    while True:
        page = _read(store, read, after=after, limit=page_size, **params)
        if page:
            yield page
        if len(page) < page_size:
            return
        last, after = after, max(row["key"] for row in page)
        if after <= last:  # a query whose `key` is not its sort key would page forever
            raise QueryError(f"keyset paging did not advance past {last!r}: the page key is not unique")


# -- rows to triples -----------------------------------------------------------------------------------------
#
# Triples are plain strings on the hot path: subject and predicate IRIs as `str`, the object an IRI `str` or a
# `Lit`. Building rdflib terms costs ~10 µs each (URIRef validates every IRI, Literal casts its value), which
# alone would hold the N-Triples export under 100,000 triples/s; `rdflib_triple()` makes terms where a Graph
# is wanted.


#: A literal: (lexical form, datatype IRI or None for xsd:string). A plain tuple: ~5x cheaper than a
#: NamedTuple.
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
_DECISION_KIND, _DECISION_A, _DECISION_B, _DECISION_NAME, _DECIDED_BY, _DECISION_RULE = (
    _AG + n for n in ("decisionKind", "decisionA", "decisionB", "decisionName", "decidedBy", "decisionRule")
)
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
    """Turns graph rows into lists of triples under one base IRI (lists: ~3x faster than generators here)."""

    def __init__(self, base: str = DEFAULT_BASE, doc_times: Mapping[str, Lit | None] | None = None) -> None:
        self.base = check_base(base)
        self.predicates = {name: str(term) for name, term in predicate_terms().items()}
        self.doc_times: Mapping[str, Lit | None] = {} if doc_times is None else doc_times
        self._docs: dict[str, str] = {}

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


def rdflib_triple(triple: Triple) -> tuple[URIRef, URIRef, URIRef | Literal]:
    """A triple as rdflib terms (for building a Graph)."""
    s, p, o = triple
    if isinstance(o, str):
        return URIRef(s), URIRef(p), URIRef(o)
    value, datatype = o
    return URIRef(s), URIRef(p), Literal(value, datatype=None if datatype is None else URIRef(datatype))


# -- walking the graph ---------------------------------------------------------------------------------------


@dataclass
class ExportStats:
    """What an export wrote."""

    format: str
    triples: int = 0
    actors: int = 0
    claims: int = 0
    charges: int = 0
    documents: int = 0
    mentions: int = 0
    redirects: int = 0
    decisions: int = 0
    streamed: bool = True
    query: str | None = None
    query_rows: int | None = None
    extra: dict[str, int] = field(default_factory=dict)

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
        for chunk in _chunks(missing, ID_PAGE):
            found = {r["id"]: r["at"] for r in self.store.read(DOCUMENT_TIMES, ids=chunk)}
            self.times.update({d: time_literal(found.get(d)) for d in chunk})
        return {d: self.times.get(d) for d in wanted}


@dataclass
class Item:
    """One step of the walk: rows of one kind, and for a big node's claim or mention pages, whose they are.

    kind: "actors" / "charges" (rows with their claims and mentions), "big-actor" / "big-charge" (one row,
    whose claims and mentions follow as "claims" / "mentions" items), "documents", "redirects", "decisions".
    """

    kind: str
    rows: list[Row]
    node: str | None = None
    times: dict[str, Lit | None] = field(default_factory=dict)


def _batched(heads: Iterable[Row], budget: int) -> Iterator[tuple[list[str], list[str]]]:
    """Group node ids into (batch, big) lists: batches of at most `budget` claims + mentions; bigger nodes
    alone."""
    batch: list[str] = []
    size = 0
    for head in heads:
        weight = int(head["claims"] or 0) + int(head["mentions"] or 0) + 1
        if weight > budget:
            yield [], [head["key"]]
            continue
        if size + weight > budget and batch:
            yield batch, []
            batch, size = [], 0
        batch.append(head["key"])
        size += weight
    if batch:
        yield batch, []


def walk(
    store: GraphStore,
    *,
    page: int = ACTOR_PAGE,
    budget: int = BUDGET,
    claim_page: int = CLAIM_PAGE,
    claim_limit: int | None = None,
) -> Iterator[Item]:
    """Every node of the graph as Items, no read larger than `budget` claims + mentions: actors with their
    claims and mentions, charges with their mentions, documents, redirects, decisions. `claim_limit` stops
    after the batch that reaches that many claims (benchmarks)."""
    predicates = list(PREDICATES)
    claims = 0
    for heads in _pages(store, ACTOR_HEADS, page, predicates=predicates):
        for batch, big in _batched(heads, budget):
            if batch:
                rows = _read(store, ACTOR_BATCH, ids=batch, predicates=predicates)
                claims += sum(len(r.get("claims") or []) for r in rows)
                yield Item("actors", rows)
            for key in big:
                yield Item("big-actor", _read(store, ACTOR_FIELDS_ONLY, ids=[key]))
                for found in _pages(store, ACTOR_CLAIMS, claim_page, node=key, predicates=predicates):
                    claims += len(found)
                    yield Item("claims", found, key)
                for found in _pages(store, ACTOR_MENTIONS, claim_page, node=key):
                    yield Item("mentions", found, key)
            if claim_limit is not None and claims >= claim_limit:
                return
    for heads in _pages(store, CHARGE_HEADS, page):
        for batch, big in _batched(heads, budget):
            if batch:
                yield Item("charges", _read(store, CHARGE_BATCH, ids=batch))
            for key in big:
                yield Item("big-charge", _read(store, CHARGE_FIELDS_ONLY, ids=[key]))
                for found in _pages(store, CHARGE_MENTIONS, claim_page, node=key):
                    yield Item("mentions", found, key)
    for heads in _pages(store, DOCUMENT_IDS, page):
        for ids in _chunks([h["key"] for h in heads], DOCUMENT_PAGE):
            yield Item("documents", _read(store, DOCUMENT_BATCH, ids=ids))
    for rows in _pages(store, REDIRECTS, ID_PAGE):
        yield Item("redirects", rows)
    for rows in _pages(store, DECISIONS, ID_PAGE):
        yield Item("decisions", rows)


def _with_times(store: GraphStore, items: Iterable[Item]) -> Iterator[Item]:
    """Attach to each item the ingest time of the documents its claims come from (prov:generatedAtTime)."""
    times = _DocTimes(store)
    for item in items:
        if item.kind == "actors":
            item.times = times.fetch(c["doc_id"] for row in item.rows for c in row.get("claims") or ())
        elif item.kind == "claims":
            item.times = times.fetch(c["doc_id"] for c in item.rows)
        yield item


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def in_background(items: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """Run `items` in a thread, `depth` items ahead, so reading the engine and writing triples overlap.

    The store is safe to share between threads (both drivers pool connections); stopping early (a closed
    generator) stops the thread too.
    """
    queue: Queue[Any] = Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        queue.put(item, timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            queue.put(_Failed(exc))

    thread = threading.Thread(target=produce, name="actorgraph-export-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = queue.get()
            if item is done:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(Empty):
                queue.get(timeout=0.1)
        thread.join()


def iter_triples(
    store: GraphStore,
    base: str = DEFAULT_BASE,
    *,
    stats: ExportStats | None = None,
    claim_limit: int | None = None,
) -> Iterator[Triple]:
    """Every triple of the graph, streamed (see `triple_batches`)."""
    for batch in triple_batches(store, base, stats=stats, claim_limit=claim_limit):
        yield from batch


def triple_batches(
    store: GraphStore,
    base: str = DEFAULT_BASE,
    *,
    stats: ExportStats | None = None,
    claim_limit: int | None = None,
    page: int = ACTOR_PAGE,
    budget: int = BUDGET,
    claim_page: int = CLAIM_PAGE,
) -> Iterator[list[Triple]]:
    """The graph's triples in lists (a batch of nodes, or a page of a big node's claims or mentions).

    The engine is read in a background thread (`walk`), one step ahead. `page`, `budget` and `claim_page` are
    the paging knobs (tests set them small to walk the big-node path on a small graph).
    """
    stats = stats or ExportStats("nt")
    triples = Triples(base)
    items = walk(store, page=page, budget=budget, claim_page=claim_page, claim_limit=claim_limit)
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
        yield out


def subgraph_batches(
    store: GraphStore, claim_ids: Iterable[str], base: str = DEFAULT_BASE, *, stats: ExportStats | None = None
) -> Iterator[list[Triple]]:
    """The triples of the claims with these ids, their subjects, objects and documents (no mentions)."""
    stats = stats or ExportStats("nt")
    ids = sorted(set(claim_ids))
    ends = store.read(CLAIM_ENDS, ids=ids, predicates=list(PREDICATES)) if ids else []
    actors = sorted(
        {e["subject"] for e in ends} | {e["object"] for e in ends if "Actor" in e["object_labels"]}
    )
    charges = sorted({e["object"] for e in ends if "Charge" in (e["object_labels"] or [])})
    docs = sorted({e["doc_id"] for e in ends})
    triples = Triples(base, _DocTimes(store).fetch(docs))
    wanted = [e["id"] for e in ends]
    for chunk in _chunks(actors, ACTOR_PAGE):
        for row in _read(store, SUBGRAPH_ACTORS, ids=chunk, claim_ids=wanted, predicates=list(PREDICATES)):
            stats.actors += 1
            stats.claims += len(row.get("claims") or [])
            yield triples.actor(row)
    for chunk in _chunks(charges, CHARGE_PAGE):
        for row in _read(store, SUBGRAPH_CHARGES, ids=chunk):
            stats.charges += 1
            yield triples.charge(row)
    for chunk in _chunks(docs, DOCUMENT_PAGE):
        for row in _read(store, DOCUMENT_BATCH, ids=chunk):
            stats.documents += 1
            yield triples.document(row)


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


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
) -> ExportStats:
    """Write the graph (or, with `query`, the subgraph behind a curated query's rows) to `out` as RDF in
    `fmt`."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown RDF format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    check_base(base)
    stats = ExportStats(fmt, streamed=fmt in STREAMED)
    if query is None:
        batches = triple_batches(store, base, stats=stats)
    else:
        from actorgraph.queries import run_query

        result = run_query(store, query, list(args), dict(params or {}), limit=limit)
        stats.query, stats.query_rows = query, len(result.rows)
        batches = subgraph_batches(store, result.claim_ids, base, stats=stats)
    stats.triples = write_rdf(batches, out, fmt)
    return stats
