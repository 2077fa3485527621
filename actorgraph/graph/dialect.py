"""Where Neo4j 5 and FalkorDB differ: one `Dialect` object per backend, chosen once at connect time.

Everything above `graph/` writes Cypher both engines accept; what cannot be shared (schema statements, path forms,
hop bounds, how driver errors map onto ours) lives here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

from actorgraph import errors
from actorgraph.vocab import PREDICATES, node_label, rel_type

MAX_HOPS: Final = 6  # hop bounds are spliced into Cypher (neither engine takes a parameter there): keep them small


def hop_bound(value: object) -> int:
    """Validate a hop count before it is spliced into a variable-length pattern."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_HOPS:
        raise errors.ConfigError(f"hop count must be an integer from 1 to {MAX_HOPS}, got {value!r}")
    return value


_PROPERTY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VAR_LENGTH = re.compile(r"\*\s*(\d*)\s*\.\.\s*(\d+)")
_TYPE_ALTERNATION = re.compile(r"\[(\s*[A-Za-z_][A-Za-z0-9_]*\s*)?:\s*([A-Z_]+(?:\s*\|\s*:?\s*[A-Z_]+)+)")


def splice_hops(query: str, hops: int) -> str:
    """Tighten every variable-length bound written as `*lo..MAX_HOPS` to the validated hop count.

    Curated queries are valid as written (`[*1..6]` plus `WHERE length(p) <= $depth`), so Neo4j Browser can
    run them; neither engine takes a parameter as a hop bound, so the runner splices the real bound here,
    which stops the traversal early instead of filtering paths afterwards.
    """
    bound = hop_bound(hops)

    def tighten(m: re.Match[str]) -> str:
        low = int(m[1]) if m[1] else 1
        if int(m[2]) != MAX_HOPS:
            return m[0]
        return f"*{m[1]}..{max(bound, low)}"

    return _VAR_LENGTH.sub(tighten, query)


def splice_types(query: str, predicates: Iterable[str]) -> str:
    """Narrow every relationship-type alternation of claim predicates (`[:FUNDS|ACCUSES|...]`).

    The query's own `WHERE ... type(r) IN $predicates` keeps it correct as written; narrowing the pattern lets
    the engine walk only those relationship types. Types come from the closed vocabulary (`rel_type`) and only
    the types already in an alternation are kept, so nothing is ever widened.
    """
    wanted = [rel_type(p) for p in predicates]
    if not wanted:
        return query

    def narrow(m: re.Match[str]) -> str:
        present = [t.strip(" :") for t in m[2].split("|")]
        if not set(present) <= set(PREDICATES):
            return m[0]
        kept = [t for t in present if t in wanted] or present
        return f"[{m[1] or ''}:{'|'.join(kept)}"

    return _TYPE_ALTERNATION.sub(narrow, query)


def _map_falkordb(exc: Exception) -> errors.ActorgraphError:
    text = str(exc)
    kind = type(exc).__name__
    if kind == "AuthenticationError" or "WRONGPASS" in text or "NOAUTH" in text or "username-password" in text:
        return errors.AuthError(f"the embedded graph refused the password: {text}")
    if kind in {"ConnectionError", "TimeoutError", "BusyLoadingError"}:
        return errors.GraphUnavailable(f"the embedded graph is not reachable: {text}")
    if "read-only" in text or "RO_QUERY" in text:
        return errors.ReadOnlyViolation(f"a read-only query tried to write: {text}")
    if "unique constraint violation" in text:
        return errors.ConstraintViolation(text)
    return errors.QueryError(f"the graph refused the query: {text}")


def _map_neo4j(exc: Exception) -> errors.ActorgraphError:
    text = str(exc)
    kind = type(exc).__name__
    code = str(getattr(exc, "code", "") or "")
    if kind in {"AuthError", "Unauthorized"} or "Security.Unauthorized" in code:
        return errors.AuthError(f"Neo4j refused the credentials: {getattr(exc, 'message', text)}")
    if kind in {"ServiceUnavailable", "SessionExpired", "DriverError"} or isinstance(exc, OSError):
        return errors.GraphUnavailable(f"Neo4j is not reachable: {text}")
    if "AccessMode" in code or "ForbiddenDueToTransactionType" in code or "read-only" in text.lower():
        return errors.ReadOnlyViolation(f"a read-only query tried to write: {getattr(exc, 'message', text)}")
    if kind == "ConstraintError" or "ConstraintValidationFailed" in code:
        return errors.ConstraintViolation(getattr(exc, "message", text) or text)
    return errors.QueryError(f"Neo4j refused the query: {getattr(exc, 'message', None) or text}")


@dataclass(frozen=True)
class Dialect:
    """The Cypher and error conventions of one backend."""

    name: str
    #: Cypher statements that make `n.id` unique for a label; FalkorDB also needs GRAPH.CONSTRAINT (not Cypher).
    unique_template: str
    #: A plain index on one property; FalkorDB's has no IF NOT EXISTS (the store checks db.indexes() first).
    index_template: str
    map_error: Callable[[Exception], errors.ActorgraphError] = field(repr=False)

    def index_statement(self, label: str, prop: str) -> str:
        """The schema statement for a plain (non-unique) index on `label.prop`."""
        if not _PROPERTY.fullmatch(prop):
            raise errors.ConfigError(f"not a property name: {prop!r}")
        label = node_label(label)
        return self.index_template.format(label=label, prop=prop, name=f"{label.lower()}_{prop}")

    def unique_statement(self, label: str) -> str:
        """The schema statement for a unique id on `label` (label checked against the closed vocabulary)."""
        return self.unique_template.format(label=node_label(label), name=f"{node_label(label).lower()}_id")

    def shortest_paths(self, max_hops: int) -> str:
        """Shortest paths between `$a` and `$b` (node ids) over claims, either direction, up to `max_hops`.

        Returns rows with `path_nodes` (list of node ids) and `path_rels` (list of relationship ids). FalkorDB
        takes `allShortestPaths` only after `WITH a, b`, and its undirected `algo.SPpaths` is far slower on a
        skewed graph (bench/query_speed.py measures both), so both engines run the same form; the curated `paths`
        query (actorgraph/queries/paths*.cypher) meets in the middle on FalkorDB for speed.
        """
        hops = hop_bound(max_hops)
        types = "|".join(p for p in PREDICATES if p != "ACCUSED_OF")  # actor-to-actor claims; no documents
        return (
            "MATCH (a {id: $a}), (b {id: $b}) WITH a, b "
            f"MATCH p = allShortestPaths((a)-[:{types}*..{hops}]-(b)) "
            "RETURN [n IN nodes(p) | n.id] AS path_nodes, [r IN relationships(p) | r.id] AS path_rels "
            "LIMIT $limit"
        )


NEO4J: Final = Dialect(
    name="neo4j",
    unique_template="CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE",
    index_template="CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})",
    map_error=_map_neo4j,
)
FALKORDB: Final = Dialect(
    name="falkordb",
    unique_template="CREATE INDEX FOR (n:{label}) ON (n.id)",  # then GRAPH.CONSTRAINT CREATE (not Cypher)
    index_template="CREATE INDEX FOR (n:{label}) ON (n.{prop})",
    map_error=_map_falkordb,
)


def dialect_for(backend: str) -> Dialect:
    """Pick the Cypher dialect once per connection, so no other module asks which engine it is."""
    try:
        return {"neo4j": NEO4J, "falkordb": FALKORDB}[backend]
    except KeyError:
        raise errors.ConfigError(f"unknown backend {backend!r}", hint="use neo4j or falkordb") from None
