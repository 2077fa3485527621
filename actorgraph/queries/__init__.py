"""Curated queries (`*.cypher` beside this module), actor lookup, and the one code path that runs them.

    from actorgraph.queries import run_query
    result = run_query(store, "funders", ["Northwind Holdings"], {"depth": "3"})
    result.rows        # plain dicts, in `result.columns` order
    result.claim_ids   # the claims behind the rows: exactly the subgraph to draw or export

Every query returns a `claim_ids` column; `viz --query` and `export rdf --query` take that subgraph. The
queries are loaded and their headers checked when this package is imported (PatternError names the file and
line).
"""

from __future__ import annotations

from actorgraph.queries.loader import PARAM_TYPES, CuratedQuery, Param, curated_queries, load_queries
from actorgraph.queries.lookup import (
    ActorNotFound,
    AmbiguousActor,
    actor_keys,
    ensure_lookup_index,
    find_actors,
    is_named,
    rank_candidates,
    refresh_actor_keys,
    resolve_actor,
)
from actorgraph.queries.run import (
    DEFAULT_LIMIT,
    QueryResult,
    get_query,
    query_names,
    run_cypher,
    run_query,
)

curated_queries()  # validate every header at import time

__all__ = [
    "DEFAULT_LIMIT",
    "PARAM_TYPES",
    "ActorNotFound",
    "AmbiguousActor",
    "CuratedQuery",
    "Param",
    "QueryResult",
    "actor_keys",
    "curated_queries",
    "ensure_lookup_index",
    "find_actors",
    "get_query",
    "is_named",
    "load_queries",
    "query_names",
    "rank_candidates",
    "refresh_actor_keys",
    "resolve_actor",
    "run_cypher",
    "run_query",
]
