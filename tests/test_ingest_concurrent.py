"""Two real `actorgraph ingest` processes over overlapping inputs at once: no duplicate actors, claims or
mentions, and the same graph as one run over the union."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from test_ingest_crash import bbc_sample, environment, ingest_command, snapshot

from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore

DUPLICATE_NODES = "MATCH (n) WITH n.id AS id, count(*) AS k WHERE k > 1 RETURN id, k"
DUPLICATE_CLAIMS = (
    "MATCH ()-[r]->() WHERE type(r) <> 'MENTIONED_IN' WITH r.id AS id, count(*) AS k WHERE k > 1 RETURN id, k"
)
DUPLICATE_MENTIONS = (  # one edge per (actor, document-level id, document); merges keep one per merged-in id
    "MATCH (a)-[m:MENTIONED_IN]->(d) WITH a.id AS a, m.actor_key AS key, d.id AS d, count(m) AS k "
    "WHERE k > 1 "
    "RETURN a, key, d, k"
)


@pytest.fixture
def graphs(named_graphs: Callable[..., dict[str, GraphStore]]) -> dict[str, GraphStore]:
    return named_graphs("both", "union")


def test_two_processes_over_overlapping_inputs(
    engine: EmbeddedEngine, graphs: dict[str, GraphStore], tmp_path: Path
) -> None:
    corpus = bbc_sample(tmp_path / "bbc", n=30, section="business")
    files = sorted(corpus.glob("*.txt"))
    first, second = tmp_path / "first", tmp_path / "second"
    for target, chosen in ((first, files[:20]), (second, files[10:])):  # 10 articles in common
        target.mkdir()
        for path in chosen:
            (target / path.name).symlink_to(path)
    env = environment(engine)
    procs = [
        subprocess.Popen(
            ingest_command("both", *sorted(target.iterdir())),
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for target in (first, second)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err

    both = graphs["both"]
    assert both.read(DUPLICATE_NODES) == []
    assert both.read(DUPLICATE_CLAIMS) == []
    assert both.read(DUPLICATE_MENTIONS) == []

    union = subprocess.run(
        ingest_command("union", *files), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert union.returncode == 0, union.stderr
    got, expected = snapshot(both), snapshot(graphs["union"])
    assert got[0] == expected[0] and got[1] == expected[1]
    assert expected[0]["labels"]["Document"] == 30
    # the shared articles were read under both directories' paths: one document, every source
    assert sum(len(s) for s in got[2]) == 40
