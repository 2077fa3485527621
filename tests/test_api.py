"""The library object `actorgraph.Graph`: the README's example as written, the methods the CLI is built on, and
the CLI's promise to import nothing but the library."""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import actorgraph
from actorgraph import Graph
from actorgraph.errors import ActorgraphError, ConfigError, NotFound, ReadOnlyViolation
from actorgraph.graph.embedded import EmbeddedEngine

ROOT = Path(__file__).resolve().parent.parent
TEXT = (
    "The Northwind Trust is funded by the shipping magnate Harlan Voss. "
    "Harlan Voss is accused of money laundering by the Interior Ministry. Voss denies the charges."
)


def readme_example() -> str:
    """The first ```python block of the README's "From Python" section, exactly as written there."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("\n## From Python\n", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's From Python section has no ```python block"
    return match.group(1)


@pytest.fixture
def api_graph(engine: EmbeddedEngine, nlp: Any) -> Iterator[Graph]:
    """An empty embedded graph on the session engine, opened through the library."""
    with Graph(home=engine.home, graph="api") as g:
        g.store.clear()
        yield g
        g.store.clear()


def test_readme_example_runs_as_written(engine: EmbeddedEngine, nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTORGRAPH_HOME", str(engine.home))
    monkeypatch.setenv("ACTORGRAPH_GRAPH", "readme")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {}
    try:
        exec(compile(readme_example(), "README.md", "exec"), namespace)
        df = namespace["df"]
        assert len(df) > 0 and {"charge", "accused_by", "evidence", "claim_ids"} <= set(df.columns)
        assert namespace["g"].closed
    finally:
        with Graph(home=engine.home, graph="readme") as g:
            g.store.clear()


def test_context_manager_closes(engine: EmbeddedEngine) -> None:
    with Graph(home=engine.home, graph="api") as g:
        assert g.stats()["claims"] >= 0 and "open" in repr(g)
    assert g.closed and "closed" in repr(g)
    with pytest.raises(ConfigError, match="closed"):
        g.stats()


def test_graph_starts_the_engine_when_not_running(tmp_path: Path) -> None:
    home = tmp_path / "data"
    try:
        lazy = Graph(home=home, connect=False)
        assert lazy.engine_status()["state"] == "stopped" and "not connected" in repr(lazy)
        with Graph(home=home) as g:
            assert EmbeddedEngine(home).status().running
            assert g.backend == "falkordb" and g.home == home and g.name == "actorgraph"
            assert g.stats()["documents"] == 0
        assert EmbeddedEngine(home).status().running  # closing leaves the engine up, as a CLI command does
        assert "stopped" in Graph(home=home, connect=False).stop_engine()
        assert not EmbeddedEngine(home).status().running
    finally:
        EmbeddedEngine(home).stop()


def test_neo4j_graph_is_settings_until_used() -> None:
    g = Graph.neo4j("bolt://127.0.0.1:1", auth=("neo4j", "secret"), database="news", connect=False)
    assert g.backend == "neo4j" and g.uri == "bolt://127.0.0.1:1" and g.settings.neo4j_database == "news"
    assert "bolt://127.0.0.1:1" in repr(g) and "secret" not in repr(g)
    with pytest.raises(ActorgraphError, match="Neo4j"):
        g.stats()  # nothing listens there: one mapped error, quickly


def test_ingest_a_text_then_query_actor_stats(api_graph: Graph) -> None:
    report = api_graph.ingest(texts=TEXT)
    assert report.ok and report.ingested == 1 and report.claims_added > 0 and report.resolution is not None
    assert api_graph.ingest(texts=[TEXT]).unchanged == 1  # idempotent, like a path
    actor = api_graph.actor("harlan voss")
    assert actor["name"] == "Harlan Voss" and actor["type"] == "PERSON"
    rows = api_graph.query("accusations-against", "Harlan Voss")
    assert rows and all(isinstance(r, dict) for r in rows)
    assert any("money laundering" in (r["charge"] or "") for r in rows)
    result = api_graph.query_result("funders", "Northwind Trust", depth=2)
    assert result.claim_ids and result.actors["actor"]["id"] == api_graph.actor("Northwind Trust")["id"]
    stats = api_graph.stats(top=3)
    assert stats["documents"] == 1 and stats["sources"] == 1 and stats["claims"] > 0
    assert len(stats["top_actors"]) <= 3
    with pytest.raises(NotFound):
        api_graph.actor("Nobody Known At All")


def test_ingest_extractions_and_paths(api_graph: Graph, tmp_path: Path) -> None:
    extractions = list(actorgraph.extract_documents(texts={"note.txt": TEXT}))
    assert extractions[0].document.path == "note.txt" and extractions[0].relations
    report = api_graph.ingest(extractions, resolve=False)
    assert report.ingested == 1 and report.resolution is None
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    again = api_graph.ingest(tmp_path / "a.txt")  # the same text from a file: one document, one more source
    assert again.unchanged == 1 and again.ingested == 0
    with pytest.raises(ConfigError, match="separate calls"):
        api_graph.ingest(tmp_path, texts=TEXT)
    turtle = io.StringIO()
    assert api_graph.export_rdf(turtle, fmt="nt").triples > 0 and "Harlan Voss" in turtle.getvalue()
    with Graph(home=api_graph.home, graph="api-copy") as copy:
        copy.store.clear()
        try:
            assert api_graph.push(copy).nodes > 0
            assert copy.stats()["claims"] == api_graph.stats()["claims"]
        finally:
            copy.store.clear()


def test_cypher_is_read_only_unless_write(api_graph: Graph) -> None:
    with pytest.raises(ReadOnlyViolation):
        api_graph.cypher("CREATE (s:Scratch {n: 1}) RETURN s.n AS n")
    assert api_graph.cypher("MATCH (s:Scratch) RETURN count(s) AS n") == [{"n": 0}]
    assert api_graph.cypher("CREATE (s:Scratch {n: $n}) RETURN s.n AS n", write=True, n=41) == [{"n": 41}]
    assert api_graph.cypher("MATCH (s:Scratch) RETURN s.n AS n", params={"write": 1}) == [{"n": 41}]


def test_extract_documents_needs_no_store() -> None:
    """Store-free: extracting through the library imports nothing of the graph, ingest or the store's clients."""
    code = (
        "import sys, actorgraph\n"
        "found = list(actorgraph.extract_documents(texts='Harlan Voss funds the Northwind Trust.'))\n"
        "assert found and found[0].entities, found\n"
        "loaded = [m for m in sys.modules if m.startswith(('actorgraph.graph', 'actorgraph.ingest', 'falkordb'))]\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_every_exported_name_resolves() -> None:
    """The lazily imported result types still live where `actorgraph/__init__.py` looks for them."""
    for name in actorgraph.__all__:
        assert getattr(actorgraph, name) is not None, name


def test_cli_imports_only_the_library() -> None:
    """cli.py reaches actorgraph only through its top-level names, its errors and the output renderers."""
    allowed = {"actorgraph", "actorgraph.errors", "actorgraph.output"}
    tree = ast.parse((ROOT / "actorgraph" / "cli.py").read_text("utf-8"))
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            used.add(node.module)
            if node.module == "actorgraph":  # `from actorgraph import cli` would reach a submodule
                assert all(alias.name in actorgraph.__all__ for alias in node.names), ast.dump(node)
        elif isinstance(node, ast.Import):
            used.update(alias.name for alias in node.names)
    ours = {m for m in used if m == "actorgraph" or m.startswith("actorgraph.")}
    assert ours and ours <= allowed, sorted(ours - allowed)
