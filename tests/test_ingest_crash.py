"""kill -9 of a real `actorgraph ingest` mid-run, then the same command again: equal to an uninterrupted run.

Both runs talk to the session's embedded engine (its ACTORGRAPH_HOME) in separate graphs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore

BBC = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "bbc"
ARTICLES = 40
BATCH = 4  # small batches, so there is a "mid-run" to kill in


def bbc_sample(target: Path, n: int = ARTICLES, section: str = "politics") -> Path:
    """Copy `n` BBC articles into `target` (so sources are the same short paths in every run)."""
    if not (BBC / section).is_dir():
        pytest.skip(f"the BBC corpus is not at {BBC} (../shared beside the repo)")
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted((BBC / section).glob("*.txt"))[:n]:
        shutil.copy(path, target / path.name)
    return target


def ingest_command(graph: str, *paths: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "actorgraph",
        "--graph",
        graph,
        "ingest",
        "--quiet",
        "--batch-size",
        str(BATCH),
        *map(str, paths),
    ]


def environment(engine: EmbeddedEngine) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["ACTORGRAPH_HOME"] = str(engine.home)
    return env


def snapshot(
    store: GraphStore,
) -> tuple[dict[str, object], set[tuple[str, str, str, str]], set[tuple[str, ...]]]:
    """Counts, claims by (subject name, predicate, object name, evidence), and document sources."""
    claims = store.read(
        "MATCH (s:Actor)-[r]->(o) WHERE type(r) <> 'MENTIONED_IN' "
        "RETURN s.name AS s, type(r) AS p, o.name AS o, r.evidence AS e"
    )
    docs = store.read("MATCH (d:Document) RETURN d.sources AS s, d.complete AS c")
    assert all(d["c"] for d in docs)
    return (
        store.counts(),
        {(c["s"], c["p"], c["o"], c["e"]) for c in claims},
        {tuple(d["s"]) for d in docs},
    )


@pytest.fixture
def graphs(named_graphs: Callable[..., dict[str, GraphStore]]) -> dict[str, GraphStore]:
    return named_graphs("crashed", "clean")


def test_kill_mid_run_then_rerun_equals_uninterrupted(
    engine: EmbeddedEngine, graphs: dict[str, GraphStore], tmp_path: Path
) -> None:
    corpus = bbc_sample(tmp_path / "bbc")
    env = environment(engine)
    crashed = graphs["crashed"]
    proc = subprocess.Popen(
        ingest_command("crashed", corpus),
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 240
    documents = 0
    while time.monotonic() < deadline and proc.poll() is None:
        documents = crashed.read("MATCH (d:Document) RETURN count(d) AS n")[0]["n"]
        if documents >= 2 * BATCH:
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read()!r}"  # type: ignore[union-attr]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert 0 < documents < ARTICLES

    rerun = subprocess.run(
        ingest_command("crashed", corpus), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr
    clean = subprocess.run(
        ingest_command("clean", corpus), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert clean.returncode == 0, clean.stderr

    after_crash, expected = snapshot(crashed), snapshot(graphs["clean"])
    assert after_crash[0] == expected[0]  # same node and relationship counts, by label and type
    assert after_crash[1] == expected[1]  # same claims by name, predicate and evidence
    assert after_crash[2] == expected[2]  # same documents and sources
    assert expected[0]["labels"]["Document"] == ARTICLES and len(expected[1]) > 10
