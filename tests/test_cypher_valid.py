"""Every Cypher string actorgraph sends is valid Neo4j 5 Cypher, as judged by Neo4j's own parser.

The parser is the npm package `@neo4j-cypher/language-support@2.0.0-next.38` (only prereleases exist, so the
version is pinned in tests/cypher_lint/package.json), installed on first use into
tests/cypher_lint/node_modules (git-ignored) with the machine's node and npm, and called once per session by
tests/cypher_lint/lint.mjs.

Checked: every curated query file and each of its dialect variants; the dialect's generated statements; every
named statement of `actorgraph/graph/cypher/*.cypher`, each template expanded over every value of its
placeholders; and every query Python composes from fragments (`composed()`). No other Cypher can exist:
tests/test_layout.py finds none outside graph/ and queries/. Without node, the tests fail under CI (CI=true)
and are skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from actorgraph.graph import cypher
from actorgraph.graph.dialect import FALKORDB, MAX_HOPS, NEO4J
from actorgraph.queries import curated_queries
from actorgraph.vocab import INTERNAL_TYPES, NODE_LABELS, PREDICATES

LINT_DIR = Path(__file__).resolve().parent / "cypher_lint"
PARSER = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support"


def composed() -> Iterator[tuple[str, str]]:
    """The queries Python composes from named fragments, for every label and type they are built for."""
    from actorgraph.export import push
    from actorgraph.export.walk import ACTOR_LABELS
    from actorgraph.ingest import writer

    yield "actorgraph.ingest.writer.write_documents_query()", writer.write_documents_query()
    for labels in [*(("Actor", a) for a in ACTOR_LABELS), *((x,) for x in NODE_LABELS if x not in ACTOR_LABELS)]:
        yield f"actorgraph.export.push.merge_nodes_query({', '.join(labels)})", push.merge_nodes_query(labels)
    for rel in PREDICATES:
        target = "Charge" if rel == "ACCUSED_OF" else "Actor"
        yield f"actorgraph.export.push.merge_rels_query({rel})", push.merge_rels_query(rel, "Actor", target, keyed=True)
    for rel in INTERNAL_TYPES:
        for source in ("Actor", "Charge"):
            where = f"actorgraph.export.push.merge_rels_query({rel}, {source})"
            yield where, push.merge_rels_query(rel, source, "Document", keyed=False)


def statements() -> list[tuple[str, str]]:
    """(where, cypher) for every Cypher string the package sends."""
    found: list[tuple[str, str]] = []
    for query in curated_queries().values():
        for dialect, text in query.texts():
            found.append((f"actorgraph/queries/{query.path} [{dialect}]", text))
    for dialect in (NEO4J, FALKORDB):
        for label in NODE_LABELS:
            found.append(
                (f"dialect {dialect.name}: unique_statement({label})", dialect.unique_statement(label))
            )
        for hops in (1, MAX_HOPS):
            found.append((f"dialect {dialect.name}: shortest_paths({hops})", dialect.shortest_paths(hops)))
    for statement in cypher.all_statements():
        if statement.fragment:
            continue
        found.extend((f"actorgraph/graph/cypher/{where}", text) for where, text in statement.expansions())
    found.extend(composed())
    return found


def _fail_or_skip(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the Neo4j parser check must run in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def lint() -> Any:
    """A function linting [(name, query)] with Neo4j's parser; installs the parser on first use."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _fail_or_skip("node and npm are needed for Neo4j's Cypher parser (install nodejs and npm)")
    assert node and npm
    if not PARSER.exists():
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund"],
            cwd=LINT_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0 or not PARSER.exists():
            _fail_or_skip(f"npm install of the Neo4j Cypher parser failed: {done.stderr.strip()[-500:]}")

    def run(items: list[tuple[str, str]]) -> dict[str, list[dict[str, Any]]]:
        payload = json.dumps([{"name": n, "query": q} for n, q in items])
        done = subprocess.run(
            [node, "lint.mjs"], cwd=LINT_DIR, input=payload, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return {r["name"]: r["diagnostics"] for r in json.loads(done.stdout)}

    return run


STATEMENTS = statements()


@pytest.fixture(scope="session")
def diagnostics(lint: Any) -> dict[str, list[dict[str, Any]]]:
    """Diagnostics of every statement, from one run of the parser."""
    result: dict[str, list[dict[str, Any]]] = lint([(w, q) for w, q in STATEMENTS if q])
    return result


@pytest.mark.parametrize("where, cypher", STATEMENTS, ids=[w for w, _ in STATEMENTS])
def test_neo4j_parser_accepts(where: str, cypher: str, diagnostics: dict[str, list[dict[str, Any]]]) -> None:
    assert cypher, f"{where}: no Cypher to check"
    errors = [d for d in diagnostics[where] if d["severity"] == 1]
    lines = cypher.splitlines()
    detail = "\n".join(
        f"  line {d['line']} col {d['column']}: {d['message']}\n    "
        + (lines[d["line"] - 1] if d["line"] <= len(lines) else "")
        for d in errors
    )
    assert not errors, f"{where} is not valid Neo4j 5 Cypher:\n{detail}"


def test_the_parser_rejects_a_syntax_error(lint: Any) -> None:
    found = lint(
        [("broken", "MATCH (a:Actor {id: $id} RETURN a"), ("fine", "MATCH (a:Actor {id: $id}) RETURN a")]
    )
    assert any(d["severity"] == 1 for d in found["broken"])
    assert not found["fine"]


def test_every_curated_query_and_variant_is_collected() -> None:
    names = {w for w, _ in STATEMENTS}
    for query in curated_queries().values():
        assert f"actorgraph/queries/{query.path} [neo4j]" in names
        for dialect in query.variants:
            assert f"actorgraph/queries/{query.path} [{dialect}]" in names
    assert "actorgraph.ingest.writer.write_documents_query()" in names
    assert any(n.startswith("actorgraph/graph/cypher/ingest.count_claims_of[rel=") for n in names)
    assert "actorgraph/graph/cypher/lookup.actors_by_key" in names
    assert {f"actorgraph/graph/cypher/resolve.move_out[rel={p}]" for p in PREDICATES} <= names
