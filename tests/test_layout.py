"""The package layout holds: who may import whom, where Cypher may live, and no import cycles (docs/architecture.md).

These are static checks over the source (Python's own `ast`), so they see imports inside functions too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "actorgraph"
CYPHER = re.compile(r"^\s*(?:OPTIONAL\s+MATCH|MATCH|MERGE|CREATE|UNWIND|CALL\s*\{|DETACH\s+DELETE)\b")
CYPHER_ANYWHERE = re.compile(r"\b(?:MATCH|MERGE|UNWIND)\s*\(|\bCREATE\s*\(|\bUNWIND\s+\$")


def modules() -> Iterator[tuple[str, Path]]:
    """(dotted name, path) of every module of the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def imports(name: str, path: Path) -> set[str]:
    """Every actorgraph module `path` imports (anywhere in the file, TYPE_CHECKING blocks excluded)."""
    tree = ast.parse(path.read_text("utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return found


ALL = dict(modules())
IMPORTS = {name: {i for i in imports(name, path)} for name, path in ALL.items()}


def _internal(targets: set[str]) -> set[str]:
    """The package's own modules among `targets` (a `from X import name` names X, or X.name when a module)."""
    return {t for t in targets if t in ALL}


def test_extract_imports_nothing_from_the_store_or_ingest() -> None:
    bad = {
        name: sorted(t for t in targets if t.startswith(("actorgraph.graph", "actorgraph.ingest")))
        for name, targets in IMPORTS.items()
        if name.startswith("actorgraph.extract")
    }
    assert not {k: v for k, v in bad.items() if v}


def test_only_graph_imports_the_database_drivers() -> None:
    drivers = ("falkordb", "neo4j", "redis")
    bad = {
        name: sorted(t for t in targets if t.split(".")[0] in drivers)
        for name, targets in IMPORTS.items()
        if not name.startswith("actorgraph.graph")
    }
    assert not {k: v for k, v in bad.items() if v}


def test_the_package_has_no_import_cycle() -> None:
    graph = {name: _internal(targets) - {name} for name, targets in IMPORTS.items()}
    # A package's __init__ re-exporting its own modules is not a cycle between what they do.
    for name in list(graph):
        graph[name] = {t for t in graph[name] if not (t.startswith(name + ".") and ALL[name].name == "__init__.py")}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


def _string_constants(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal that is not a docstring (f-strings by their literal parts)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_cypher_literal_outside_graph_and_queries() -> None:
    found = []
    for name, path in ALL.items():
        if name.startswith(("actorgraph.graph", "actorgraph.queries")):
            continue
        for line, text in _string_constants(path):
            if CYPHER.match(text) or CYPHER_ANYWHERE.search(text):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {text[:70]!r}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("text", ["MATCH (a) RETURN a", "UNWIND $rows AS row", "x MERGE (a)-[r]->(b)"])
def test_the_cypher_check_sees_cypher(text: str) -> None:
    assert CYPHER.match(text) or CYPHER_ANYWHERE.search(text)


@pytest.mark.parametrize("text", ["use MERGE on the id instead of CREATE", "match the actor's name", "Call it"])
def test_the_cypher_check_passes_prose(text: str) -> None:
    assert not (CYPHER.match(text) or CYPHER_ANYWHERE.search(text))
