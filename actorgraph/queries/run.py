"""Running curated and ad-hoc queries: bind arguments, resolve actors, pick the dialect's form, read.

The CLI (`actorgraph query`, `actorgraph cypher`), the benchmark, `viz --query` and `export rdf --query` all
go through `run_query`, so every caller gets the same answers and the same `claim_ids` behind them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from rapidfuzz import process

from actorgraph.errors import ConfigError, NotFound
from actorgraph.graph.dialect import MAX_HOPS, hop_bound, splice_hops, splice_types
from actorgraph.graph.guard import check_cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.queries.loader import CuratedQuery, curated_queries
from actorgraph.queries.lookup import resolve_actor
from actorgraph.vocab import ACTOR_TYPES, PREDICATES

DEFAULT_LIMIT: Final = 200  # rows shown unless --limit says otherwise (the limit the benchmark times)
NO_LIMIT: Final = 2**31 - 1  # --limit 0: every row

_PARAM_REF = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class QueryResult:
    """Rows of one query as plain dicts, their columns in order, and the ids of the claims behind them."""

    name: str
    columns: tuple[str, ...]
    rows: list[Row]
    claim_ids: frozenset[str]
    #: actor parameters as resolved: param name -> actor row (id, name, type, ...)
    actors: Mapping[str, Row] = field(default_factory=dict)
    limit: int = DEFAULT_LIMIT

    @property
    def truncated(self) -> bool:
        """True when the row limit was reached (there may be more rows)."""
        return len(self.rows) >= self.limit


def get_query(name: str) -> CuratedQuery:
    """The curated query called `name`; NotFound with the closest names otherwise."""
    queries = curated_queries()
    if name in queries:
        return queries[name]
    close = [m for m, _, _ in process.extract(name, list(queries), limit=3, score_cutoff=50)]
    hint = (
        "did you mean: " + ", ".join(close) + "? " if close else ""
    ) + "list them with `actorgraph query --list`"
    raise NotFound(f"no curated query is called {name!r}", hint=hint)


def _convert(query: CuratedQuery, name: str, kind: str, raw: str) -> Any:
    where = f"{query.name}: parameter {name!r}"
    if kind == "int":
        if not raw.strip().isdigit():
            raise ConfigError(f"{where} must be a non-negative integer, got {raw!r}")
        return int(raw)
    if kind == "hops":
        if not raw.strip().isdigit():
            raise ConfigError(f"{where} must be a hop count from 1 to {MAX_HOPS}, got {raw!r}")
        return hop_bound(int(raw))
    if kind == "predicates":
        names = [p.strip().upper() for p in raw.split(",") if p.strip()]
        bad = [p for p in names if p not in PREDICATES]
        if bad:
            raise ConfigError(
                f"{where}: unknown predicate(s) {', '.join(bad)}", hint=f"use {', '.join(PREDICATES)}"
            )
        return names
    if kind == "type":
        value = raw.strip().upper()
        if value and value not in ACTOR_TYPES:
            raise ConfigError(f"{where} must be PERSON, ORG or GPE, got {raw!r}")
        return value
    return raw


def bind(query: CuratedQuery, args: Sequence[str], params: Mapping[str, str]) -> dict[str, str]:
    """The raw value of every parameter: `--param` values, then positional args in order, then defaults."""
    unknown = [k for k in params if query.param(k) is None]
    if unknown:
        names = ", ".join(p.name for p in query.params) or "none"
        raise ConfigError(f"{query.name} has no parameter {unknown[0]!r}", hint=f"its parameters: {names}")
    values: dict[str, str] = dict(params)
    free = [p for p in query.params if p.name not in values]
    if len(args) > len(free):
        raise ConfigError(
            f"{query.name} takes {len(free)} more argument(s), got {len(args)}: {' '.join(args)}",
            hint=f"usage: {query.example}",
        )
    for param, arg in zip(free, args, strict=False):
        values[param.name] = arg
    for param in query.params:
        if param.name not in values:
            if param.default is None:
                raise ConfigError(
                    f"{query.name} needs {param.name!r} ({param.type})", hint=f"e.g. {query.example}"
                )
            values[param.name] = param.default
    return values


def prepare(
    store: GraphStore, query: CuratedQuery, args: Sequence[str] = (), params: Mapping[str, str] | None = None
) -> tuple[str, dict[str, Any], dict[str, Row]]:
    """The Cypher to send (dialect form; hops and predicates spliced), its parameters, the actors."""
    raw = bind(query, args, params or {})
    values: dict[str, Any] = {}
    actors: dict[str, Row] = {}
    text = query.text_for(store.dialect)
    for param in query.params:
        value = raw[param.name]
        if param.type == "actor":
            if value.strip():
                actors[param.name] = resolve_actor(store, value)
                values[param.name] = actors[param.name]["id"]
            else:
                values[param.name] = ""
            continue
        values[param.name] = _convert(query, param.name, param.type, value)
        if param.type == "hops":
            text = splice_hops(text, values[param.name])
        elif param.type == "predicates":
            text = splice_types(text, values[param.name])
    return text, values, actors


def _claim_ids(rows: Iterable[Row]) -> frozenset[str]:
    ids: set[str] = set()
    for row in rows:
        value = row.get("claim_ids")
        if isinstance(value, list):
            ids.update(v for v in value if isinstance(v, str))
    return frozenset(ids)


def run_query(
    store: GraphStore,
    name: str,
    args: Sequence[str] = (),
    params: Mapping[str, str] | None = None,
    limit: int | None = None,
    *,
    include_rejected: bool = False,
) -> QueryResult:
    """Run the curated query `name` with positional `args` and `--param` values; `limit` 0 means every row.

    Actor arguments are resolved first (ActorNotFound / AmbiguousActor); the query runs on the read path, so
    it can never write. Claims a reviewer rejected are left out unless `include_rejected`; each row says how
    many of its claims a reviewer confirmed (`confirmed`) and, with `include_rejected`, rejected (`rejected`).
    """
    query = get_query(name)
    shown = DEFAULT_LIMIT if limit is None else limit
    if shown < 0:
        raise ConfigError(f"--limit must be 0 (every row) or more, got {shown}")
    text, values, actors = prepare(store, query, args, params)
    rows = store.read(text, **values, limit=shown or NO_LIMIT, include_rejected=include_rejected)
    rows = _with_reviews(store, rows, include_rejected)
    columns = tuple(rows[0]) if rows else (*_columns(text), *_review_columns(include_rejected))
    return QueryResult(query.name, columns, rows, _claim_ids(rows), actors, shown or NO_LIMIT)


def _review_columns(include_rejected: bool) -> tuple[str, ...]:
    return ("confirmed", "rejected") if include_rejected else ("confirmed",)


def _with_reviews(store: GraphStore, rows: list[Row], include_rejected: bool) -> list[Row]:
    """Each row with how many of its claims reviewers confirmed (and, when shown, rejected)."""
    from actorgraph.review import verdict_marks

    marks = verdict_marks(store)
    out = []
    for row in rows:
        ids = [v for v in row.get("claim_ids") or [] if isinstance(v, str)]
        verdicts = [marks.get(i) for i in ids]
        extra = {"confirmed": verdicts.count("confirmed")}
        if include_rejected:
            extra["rejected"] = verdicts.count("rejected")
        out.append({**row, **extra})
    return out


def _columns(cypher: str) -> tuple[str, ...]:
    """Column names of the final RETURN (for empty results, so tables and CSV still get a header)."""
    tail = re.split(r"\bRETURN\b", cypher, flags=re.I)[-1]
    tail = re.split(r"\b(?:ORDER\s+BY|LIMIT|SKIP)\b", tail, flags=re.I)[0]
    names = re.findall(r"\bAS\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:,|$)", tail.strip(), flags=re.I)
    return tuple(names)


def run_cypher(
    store: GraphStore, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False
) -> QueryResult:
    """Ad-hoc Cypher: read-only unless `write` (the read path refuses writes with ReadOnlyViolation).

    Values travel as parameters; a `$name` the query uses but `params` lacks is a ConfigError, not a failure
    deep in the engine.
    """
    values = dict(params or {})
    check_cypher(cypher, values)
    missing = sorted(set(_PARAM_REF.findall(cypher)) - set(values))
    if missing:
        raise ConfigError(
            f"the query uses ${missing[0]} but no value was given", hint=f"add --param {missing[0]}=VALUE"
        )
    rows = store.write(cypher, **values) if write else store.read(cypher, **values)
    columns = tuple(rows[0]) if rows else ()
    return QueryResult("cypher", columns, rows, _claim_ids(rows), {}, NO_LIMIT)


def query_names() -> list[str]:
    """Names of every curated query, sorted."""
    return sorted(curated_queries())
