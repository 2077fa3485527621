"""The graph's model version: stamped on the first write, checked on every connection, migrated forward."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from actorgraph.config import Settings
from actorgraph.extract.model import Document, Extraction
from actorgraph.graph import cypher, model
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ingest.ingest import ingest_extractions

Graphs = Callable[..., dict[str, GraphStore]]


def test_ingest_stamps_the_current_version_and_counts_leave_it_out(named_graphs: Graphs) -> None:
    store = named_graphs("model-stamp")["model-stamp"]
    assert model.read_version(store) is None  # an empty graph records nothing
    ingest_extractions(store, [Extraction(document=Document(text="Nothing to read here."))])
    assert model.read_version(store) == model.MODEL_VERSION
    counts = store.counts()
    assert "ActorgraphModel" not in counts["labels"] and counts["nodes"] == counts["labels"]["Document"] == 1
    assert model.check_model(store) == model.MODEL_VERSION


def test_a_graph_from_a_newer_actorgraph_is_refused_with_a_hint(named_graphs: Graphs, engine: EmbeddedEngine) -> None:
    store = named_graphs("model-newer")["model-newer"]
    store.write(cypher.text("model", "set_version"), version=model.MODEL_VERSION + 1, written_by="actorgraph 99")
    with pytest.raises(model.NewerModel, match="newer than"):
        GraphStore.connect(Settings(home=engine.home, graph="model-newer"))
    env = {**os.environ, "ACTORGRAPH_HOME": str(engine.home), "COLUMNS": "200"}
    env.pop("NEO4J_URI", None)
    done = subprocess.run(
        [sys.executable, "-m", "actorgraph", "--graph", "model-newer", "stats"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("Error: ") and "newer than" in lines[0]
    assert lines[1].startswith("Hint: ") and "upgrade actorgraph" in lines[1]


def test_an_older_graph_is_migrated_step_by_step_on_connect(
    named_graphs: Graphs, engine: EmbeddedEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A made-up next model (documents gain a flag): connecting runs its real Cypher step once, then records it."""
    store = named_graphs("model-older")["model-older"]
    ingest_extractions(store, [Extraction(document=Document(text="An old graph."))])
    step = cypher.Statement("model", "test_flag_documents", "MATCH (d:Document) SET d.flagged = true", "", 0)
    monkeypatch.setitem(cypher.concern("model"), step.name, step)
    monkeypatch.setattr(model, "MODEL_VERSION", model.MODEL_VERSION + 1)
    monkeypatch.setitem(model.MIGRATIONS, model.MODEL_VERSION, (step.name,))
    with GraphStore.connect(Settings(home=engine.home, graph="model-older")) as again:
        assert model.read_version(again) == model.MODEL_VERSION
        assert again.read("MATCH (d:Document) RETURN d.flagged AS f") == [{"f": True}]
    assert model.check_model(store) == model.MODEL_VERSION  # already migrated: nothing left to do


def test_an_unstamped_graph_with_data_reads_as_the_first_model(named_graphs: Graphs) -> None:
    """Graphs written before versions were recorded are model 1: they open, and the next write stamps them."""
    store = named_graphs("model-legacy")["model-legacy"]
    store.write("CREATE (:Document {id: 'doc:legacy', text: 'old', complete: true, sources: ['a.txt']})")
    assert model.read_version(store) is None and model.check_model(store) == 1
