"""kill -9 after each write of `forget`, `merge`, `split`, `not-same` and `alias add`, then the same command again:
the graph equals that of an uninterrupted run. A seeded sample of write points runs by default; every write point
under `-m slow`.

Each killed run is a real `actorgraph` subprocess on the session's engine, killed by tests/crash_hook.py; the
uninterrupted run (whose writes are counted) and the re-run go through the same CLI in this process, which is
faster. The graph edits record their judgement with the changes it makes in their first write, so a re-run first
finishes those changes, then finds its work done: it exits 0 and says "nothing to do".
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import FalkorStore, GraphStore
from actorgraph.ids import actor_id
from actorgraph.ingest.ingest import ingest_paths
from actorgraph.resolve import merge_actors, resolve

HOOK = Path(__file__).resolve().parent / "crash_hook.py"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries_graph.jsonl"
SAMPLE = 2  # write points per command in the default run (each killed run is a subprocess of 1.5 to 3 s)
VOLATILE = {"ingested_at", "at"}  # timestamps of when something ran, not of what the graph holds
OVERRIDDEN = "superseded"  # when a judgement was overridden (a timestamp): compared as whether it was

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


def rerun(engine: EmbeddedEngine, graph: str, args: Sequence[str]) -> Result:
    """The command through the CLI in this process (its exit code and output as the installed CLI's)."""
    env = {"ACTORGRAPH_HOME": str(engine.home), "NEO4J_URI": ""}
    return CliRunner().invoke(app, ["--graph", graph, *args], env=env, catch_exceptions=False)


def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count `FalkorStore.write` calls from now on (what crash_hook.py counts), in a one-item list."""
    count = [0]
    original = FalkorStore.write

    def write(self: FalkorStore, query: str, /, **params: Any) -> Any:
        count[0] += 1
        return original(self, query, **params)

    monkeypatch.setattr(FalkorStore, "write", write)
    return count


def snapshot(store: GraphStore) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with all their properties, in a stable order (timestamps left out)."""
    nodes = store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props"
    )

    def clean(props: dict[str, Any]) -> dict[str, Any]:
        out = {k: sorted(v) if isinstance(v, list) else v for k, v in props.items() if k not in VOLATILE}
        if out.get(OVERRIDDEN):
            out[OVERRIDDEN] = True
        return out

    return (
        sorted((sorted(n["labels"]), sorted(clean(n["props"]).items())) for n in nodes),
        sorted((r["a"], r["type"], r["b"], sorted(clean(r["props"]).items())) for r in rels),
    )


@dataclass(frozen=True)
class Command:
    """A CLI command to kill and re-run, on the fixture graph after `setup`; `done` is what the re-run prints when
    the kill came after the command's last write (None: it must succeed like any other re-run)."""

    args: tuple[str, ...]
    setup: Callable[[GraphStore], object] = lambda store: None
    done: str | None = None
    note: str = ""  # what every re-run after the first write prints: the work was finished, nothing is left


def merged(store: GraphStore) -> object:
    return merge_actors(store, "Viktor Halvorsen", "Lena Marsh")


LENA = actor_id("PERSON", "Lena Marsh")
COMMANDS = {
    "forget": Command(("forget", "invented/halvorsen-money.txt"), done="no document"),
    "merge": Command(("merge", "Viktor Halvorsen", "Lena Marsh"), note="already one actor"),
    "merge --name": Command(
        ("merge", "Viktor Halvorsen", "Lena Marsh", "--name", "Lena Marsh"), note="already one actor"
    ),
    "split": Command(("split", "Lena Marsh"), setup=merged, note="already split off"),
    "not-same": Command(("not-same", "Viktor Halvorsen", LENA), setup=merged, note="already recorded"),
    "alias add": Command(("alias", "add", "Viktor Halvorsen", "Amira Kovac"), note="already an alias"),
}


def fresh(store: GraphStore, command: Command) -> None:
    store.clear()
    report = ingest_paths(store, [str(FIXTURE)], from_jsonl=True, resolver=resolve)
    assert report.ok and report.ingested == 5
    command.setup(store)


def write_points(total: int, exhaustive: bool, seed: str) -> list[int]:
    points = list(range(1, total + 1))
    return points if exhaustive else sorted(random.Random(seed).sample(points, min(SAMPLE, total)))


def check_command(
    name: str, graphs: dict[str, GraphStore], engine: EmbeddedEngine, exhaustive: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = COMMANDS[name]
    clean, crashed = graphs["crash-clean"], graphs["crash-killed"]
    fresh(clean, command)
    with monkeypatch.context() as patch:
        writes = counted(patch)
        done = rerun(engine, "crash-clean", command.args)
    assert done.exit_code == 0, done.output
    total = writes[0]
    assert total >= 3
    expected = snapshot(clean)
    if exhaustive:  # the writes counted in this process are those of the installed CLI
        fresh(crashed, command)
        assert f"writes: {total}\n" in run(engine, "crash-killed", command.args).stderr
    for point in write_points(total, exhaustive, name):
        fresh(crashed, command)
        killed = run(engine, "crash-killed", command.args, kill_after=point)
        assert killed.returncode == -9, f"{name}: not killed after write {point}: {killed.stderr}"
        again = rerun(engine, "crash-killed", command.args)
        where = f"{name}, killed after write {point} of {total}"
        finished = again.exit_code == 0 or (point == total and command.done and command.done in again.output)
        assert finished, f"{where}: the re-run failed: {again.output}"
        assert command.note in again.output, f"{where}: the re-run did not find the work done: {again.output}"
        assert snapshot(crashed) == expected, f"{where}: graphs differ"


@pytest.fixture
def graphs(named_graphs: Graphs) -> dict[str, GraphStore]:
    return named_graphs("crash-clean", "crash-killed")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_killed_after_a_sample_of_writes_then_rerun(
    name: str, graphs: dict[str, GraphStore], engine: EmbeddedEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_command(name, graphs, engine, False, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_killed_after_every_write_then_rerun(
    name: str, graphs: dict[str, GraphStore], engine: EmbeddedEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_command(name, graphs, engine, True, monkeypatch)


@pytest.mark.parametrize("finisher", [("resolve",), ("ingest", "--from-jsonl", str(FIXTURE), "--no-resolve")])
def test_resolve_or_the_next_ingest_finishes_an_interrupted_edit(
    finisher: tuple[str, ...], graphs: dict[str, GraphStore], engine: EmbeddedEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge killed half-way is finished by `resolve`, or by the next ingest's heal alone, replaying the changes
    the merge stored: no more writes than the merge itself made, beyond what the finisher writes anyway."""
    command = COMMANDS["merge"]
    clean, crashed = graphs["crash-clean"], graphs["crash-killed"]

    def writes_of(graph: str, args: Sequence[str]) -> int:
        with monkeypatch.context() as patch:
            writes = counted(patch)
            result = rerun(engine, graph, args)
        assert result.exit_code == 0, result.output
        return writes[0]

    fresh(clean, command)
    total = writes_of("crash-clean", command.args)
    anyway = writes_of("crash-clean", finisher)
    fresh(crashed, command)
    point = random.Random(finisher[0]).randint(1, total - 1)
    assert run(engine, "crash-killed", command.args, kill_after=point).returncode == -9
    writes = writes_of("crash-killed", finisher)
    assert writes <= anyway + total, f"{finisher[0]} after a kill at write {point} of {total}: {writes} writes"
    assert snapshot(crashed) == snapshot(clean)
