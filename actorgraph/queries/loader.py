"""Curated queries are `.cypher` files beside this module; their header comments are checked on load.

A file starts with `//` header lines, then the Cypher (valid Neo4j 5 Cypher that also runs on FalkorDB):

    // name: funders
    // description: Who funds this actor, directly or through a money trail of up to `depth` hops.
    // param: actor: actor             the funded actor (name, alias or id)
    // param: depth: hops = 1          hops of money to follow back
    // example: actorgraph query funders "Northwind Holdings" --param depth=3

`NAME.falkordb.cypher` holds the FalkorDB form of a query where the engines need different Cypher (a header
with `name` and `dialect` only). A bad header is a PatternError naming the file and line, at import time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Final

from actorgraph.errors import PatternError
from actorgraph.graph.dialect import MAX_HOPS, Dialect
from actorgraph.vocab import ACTOR_TYPES, INTERNAL_TYPES, PREDICATES

#: Parameter types a header may declare (what the user types, and what the query receives).
PARAM_TYPES: Final = {
    "actor": "an actor's name, alias or id; the query receives the actor's id ('' = any, when defaulted)",
    "str": "a string",
    "int": "a non-negative integer",
    "hops": f"a hop count from 1 to {MAX_HOPS}, spliced into variable-length patterns as a validated literal",
    "predicates": "comma-separated predicates (FUNDS,ACCUSES,...); '' = every predicate",
    "type": "an actor type: PERSON, ORG or GPE; '' = every type",
}
#: Parameters every query receives without declaring them.
IMPLICIT_PARAMS: Final = frozenset({"limit", "include_rejected"})
DIALECTS: Final = ("neo4j", "falkordb")

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_HEADER = re.compile(r"^//\s*(?P<key>[a-z]+)\s*:(?!\S)\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s*:\s*(?P<type>[a-z]+)"
    r"(?:\s*=\s*(?P<default>\"[^\"]*\"|'[^']*'|\S+))?(?:\s+(?P<help>\S.*))?$"
)
_PARAM_REF = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_REL_TYPES = re.compile(r"\[\s*[a-z_0-9]*\s*:\s*([A-Z_|:]+)")
#: Forms FalkorDB refuses (../shared/docs/facts.md): caught here, with the line, rather than at run time.
_FORBIDDEN: Final = (
    (re.compile(r"\bEXISTS\s*\{", re.I), "EXISTS { } subqueries"),
    (re.compile(r"\bCOUNT\s*\{", re.I), "COUNT { } subqueries"),
    (re.compile(r"=~"), "regular expressions (=~)"),
    (re.compile(r"\belementId\s*\(", re.I), "elementId()"),
    (re.compile(r"\bdatetime\s*\(", re.I), "datetime()"),
    (re.compile(r"\bCALL\s*\(", re.I), "scoped CALL (x) { } subqueries"),
    (re.compile(r"\*\s*\d*\s*\.\.\s*\$"), "parameters as hop bounds"),
)
INTERNAL_REL_TYPES: Final = frozenset(INTERNAL_TYPES)


@dataclass(frozen=True)
class Param:
    """One declared query parameter; `default` None means the user must give it."""

    name: str
    type: str
    default: str | None = None
    help: str = ""


@dataclass(frozen=True)
class CuratedQuery:
    """One curated query: its header and its Cypher (the Neo4j form, plus per-dialect variants)."""

    name: str
    description: str
    params: tuple[Param, ...]
    example: str
    cypher: str
    variants: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    path: str = ""

    def param(self, name: str) -> Param | None:
        """The declared parameter called `name`, if any."""
        return next((p for p in self.params if p.name == name), None)

    def text_for(self, dialect: Dialect) -> str:
        """The Cypher this dialect runs (hop bounds not yet spliced)."""
        return self.variants.get(dialect.name, self.cypher)

    def texts(self) -> Iterator[tuple[str, str]]:
        """(dialect name, Cypher) for every form of this query, for the Neo4j-parser test."""
        yield "neo4j", self.cypher
        yield from sorted(self.variants.items())


def _strip_default(value: str | None) -> str | None:
    if value is not None and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _check_default(param: Param, where: str) -> None:
    if param.default is None or param.default == "":
        return
    value = param.default
    if param.type in {"int", "hops"}:
        if not value.isdigit():
            raise PatternError(f"{where}: default of {param.name!r} must be an integer, got {value!r}")
        if param.type == "hops" and not 1 <= int(value) <= MAX_HOPS:
            raise PatternError(
                f"{where}: default of {param.name!r} must be from 1 to {MAX_HOPS}, got {value}"
            )
    elif param.type == "predicates":
        bad = [p for p in value.split(",") if p.strip().upper() not in PREDICATES]
        if bad:
            raise PatternError(
                f"{where}: unknown predicate(s) {', '.join(bad)} in the default of {param.name!r}"
            )
    elif param.type == "type" and value.upper() not in ACTOR_TYPES:
        raise PatternError(f"{where}: default of {param.name!r} must be PERSON, ORG or GPE, got {value!r}")


def _body_checks(body: list[tuple[int, str]], where: str, params: tuple[Param, ...]) -> None:
    """Forms FalkorDB refuses, relationship types outside the vocabulary, undeclared `$params`, `$limit`."""
    declared = {p.name for p in params} | IMPLICIT_PARAMS
    used: set[str] = set()
    for lineno, line in body:
        code = line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
        for pattern, what in _FORBIDDEN:
            if pattern.search(code):
                raise PatternError(f"{where}:{lineno}: {what} are not accepted by both engines")
        for group in _REL_TYPES.findall(code):
            for rel in filter(None, re.split(r"[|:]", group)):
                if rel not in PREDICATES and rel not in INTERNAL_REL_TYPES:
                    raise PatternError(
                        f"{where}:{lineno}: relationship type {rel!r} is not in the vocabulary"
                    )
        for ref in _PARAM_REF.findall(code):
            if ref not in declared:
                raise PatternError(
                    f"{where}:{lineno}: ${ref} is not a declared parameter (add a `// param:` line)"
                )
            used.add(ref)
    if "limit" not in used:
        raise PatternError(
            f"{where}: the query must end with `LIMIT $limit` (the row limit shown to the user)"
        )
    for p in params:
        if p.name not in used:
            raise PatternError(
                f"{where}: parameter {p.name!r} is declared but the query never uses ${p.name}"
            )


def parse_query(text: str, where: str) -> tuple[dict[str, str], tuple[Param, ...], str]:
    """Split a `.cypher` file into header fields, parameters and Cypher; PatternError on a bad header."""
    header: dict[str, str] = {}
    params: list[Param] = []
    body: list[tuple[int, str]] = []
    lines = text.splitlines()
    lineno = 0
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            if header:
                continue
            raise PatternError(f"{where}:{lineno}: a curated query starts with `// name: ...` header lines")
        if not line.startswith("//"):
            break
        match = _HEADER.match(line)
        if not match:
            continue  # a comment inside the header (a line that does not start with `// key:`)
        key, value = match["key"], match["value"]
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise PatternError(f"{where}:{lineno}: a param line reads `name: type [= default] [help]`")
            if pm["type"] not in PARAM_TYPES:
                raise PatternError(
                    f"{where}:{lineno}: unknown param type {pm['type']!r}; "
                    f"use one of {', '.join(PARAM_TYPES)}"
                )
            if any(p.name == pm["name"] for p in params) or pm["name"] in IMPLICIT_PARAMS:
                raise PatternError(
                    f"{where}:{lineno}: parameter {pm['name']!r} is declared twice or reserved"
                )
            param = Param(pm["name"], pm["type"], _strip_default(pm["default"]), (pm["help"] or "").strip())
            _check_default(param, f"{where}:{lineno}")
            params.append(param)
        elif key in {"name", "description", "example", "dialect"}:
            if key in header:
                raise PatternError(f"{where}:{lineno}: `{key}` is given twice")
            if not value:
                raise PatternError(f"{where}:{lineno}: `{key}` is empty")
            header[key] = value
        else:
            raise PatternError(
                f"{where}:{lineno}: unknown header key {key!r} (name, description, param, example)"
            )
    else:
        lineno += 1
    first_body = lineno
    body = [(n, line) for n, line in enumerate(lines[first_body - 1 :], first_body) if line.strip()]
    if "name" not in header:
        raise PatternError(f"{where}:1: the header has no `// name:` line")
    if not _NAME.match(header["name"]):
        raise PatternError(f"{where}:1: query name {header['name']!r} must be lower-case words joined by '-'")
    if not body:
        raise PatternError(f"{where}:{first_body}: the file has a header but no Cypher")
    _body_checks(body, where, tuple(params))
    cypher = "\n".join(line for _, line in body if not line.lstrip().startswith("//")).strip()
    return header, tuple(params), cypher


def _read(entry: Traversable | Path) -> str:
    try:
        return entry.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PatternError(f"{entry.name}: cannot read: {exc}") from exc


def load_queries(directory: Traversable | Path | None = None) -> dict[str, CuratedQuery]:
    """Every curated query in `directory` (default: the package's), by name; PatternError names file:line."""
    root = directory if directory is not None else files("actorgraph.queries")
    entries = sorted((e for e in root.iterdir() if e.name.endswith(".cypher")), key=lambda e: e.name)
    queries: dict[str, CuratedQuery] = {}
    variants: dict[str, dict[str, str]] = {}
    for entry in entries:
        stem = entry.name.removesuffix(".cypher")
        header, params, cypher = parse_query(_read(entry), entry.name)
        base, _, dialect = stem.partition(".")
        if header["name"] != base:
            raise PatternError(
                f"{entry.name}:1: name {header['name']!r} does not match the file name {base!r}"
            )
        if dialect:
            if header.get("dialect") != dialect or dialect not in DIALECTS:
                raise PatternError(
                    f"{entry.name}:1: a variant file needs `// dialect: {dialect}` (neo4j/falkordb)"
                )
            variants.setdefault(base, {})[dialect] = cypher
            variants[base][f"{dialect}:params"] = ",".join(p.name for p in params)
            continue
        for key in ("description", "example"):
            if key not in header:
                raise PatternError(f"{entry.name}:1: the header has no `// {key}:` line")
        if not header["example"].startswith(f"actorgraph query {base}"):
            raise PatternError(f"{entry.name}:1: the example must start with `actorgraph query {base}`")
        queries[base] = CuratedQuery(
            name=base,
            description=header["description"],
            params=params,
            example=header["example"],
            cypher=cypher,
            path=entry.name,
        )
    for base, forms in variants.items():
        if base not in queries:
            raise PatternError(f"{base}.*.cypher: a dialect variant without its main file {base}.cypher")
        main = queries[base]
        for key, names in forms.items():
            if key.endswith(":params") and names != ",".join(p.name for p in main.params):
                raise PatternError(f"{base}.{key.split(':')[0]}.cypher:1: its params must match {main.path}")
        clean = {k: v for k, v in forms.items() if not k.endswith(":params")}
        queries[base] = CuratedQuery(**{**main.__dict__, "variants": MappingProxyType(clean)})
    return queries


@cache
def curated_queries() -> Mapping[str, CuratedQuery]:
    """The package's curated queries, loaded and checked once per process."""
    return MappingProxyType(load_queries())
