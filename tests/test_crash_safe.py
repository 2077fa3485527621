"""kill -9 after each write of `forget` (and the graph edits), then the same command again: the graph equals that
of an uninterrupted run. A seeded sample of write points runs by default; every write point under `-m slow`.

Each run is a real `actorgraph` subprocess on the session's engine, killed by tests/crash_hook.py.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ingest.ingest import ingest_paths
from actorgraph.resolve import resolve

HOOK = Path(__file__).resolve().parent / "crash_hook.py"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries_graph.jsonl"
SAMPLE = 4  # write points per command in the default run
VOLATILE = {"ingested_at", "at"}  # timestamps of when something ran, not of what the graph holds

Graphs = Callable[..., dict[str, GraphStore]]


def run(
    engine: EmbeddedEngine, graph: str, args: Sequence[str], kill_after: int = 0
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["ACTORGRAPH_HOME"] = str(engine.home)
    return subprocess.run(
        [sys.executable, str(HOOK), str(kill_after), "--graph", graph, *args],
        env=env, capture_output=True, text=True, timeout=120,
    )


def snapshot(store: GraphStore) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with all their properties, in a stable order (timestamps left out)."""
    nodes = store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props"
    )

    def clean(props: dict[str, Any]) -> dict[str, Any]:
        return {k: sorted(v) if isinstance(v, list) else v for k, v in props.items() if k not in VOLATILE}

    return (
        sorted((sorted(n["labels"]), sorted(clean(n["props"]).items())) for n in nodes),
        sorted((r["a"], r["type"], r["b"], sorted(clean(r["props"]).items())) for r in rels),
    )


def fresh(store: GraphStore) -> None:
    store.clear()
    report = ingest_paths(store, [str(FIXTURE)], from_jsonl=True, resolver=resolve)
    assert report.ok and report.ingested == 5


def write_points(total: int, exhaustive: bool, seed: str) -> list[int]:
    points = list(range(1, total + 1))
    return points if exhaustive else sorted(random.Random(seed).sample(points, min(SAMPLE, total)))


COMMANDS = {
    "forget": ["forget", "invented/halvorsen-money.txt"],
}


def check_command(name: str, graphs: dict[str, GraphStore], engine: EmbeddedEngine, exhaustive: bool) -> None:
    args = COMMANDS[name]
    clean, crashed = graphs["crash-clean"], graphs["crash-killed"]
    fresh(clean)
    done = run(engine, "crash-clean", args)
    assert done.returncode == 0, done.stderr
    total = int(re.search(r"writes: (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    assert total >= 3
    expected = snapshot(clean)
    for point in write_points(total, exhaustive, name):
        fresh(crashed)
        killed = run(engine, "crash-killed", args, kill_after=point)
        assert killed.returncode == -9, f"{name}: not killed after write {point}: {killed.stderr}"
        again = run(engine, "crash-killed", args)
        finished = again.returncode == 0 or (point == total and "no document" in again.stderr)
        assert finished, f"{name}, killed after write {point} of {total}: the re-run failed: {again.stderr}"
        assert snapshot(crashed) == expected, f"{name}, killed after write {point} of {total}: graphs differ"


@pytest.fixture
def graphs(named_graphs: Graphs) -> dict[str, GraphStore]:
    return named_graphs("crash-clean", "crash-killed")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_killed_after_a_sample_of_writes_then_rerun(
    name: str, graphs: dict[str, GraphStore], engine: EmbeddedEngine
) -> None:
    check_command(name, graphs, engine, exhaustive=False)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_killed_after_every_write_then_rerun(name: str, graphs: dict[str, GraphStore], engine: EmbeddedEngine) -> None:
    check_command(name, graphs, engine, exhaustive=True)
