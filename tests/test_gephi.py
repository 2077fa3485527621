"""`export graphml|gexf`: written with networkx, read back with networkx, same nodes, edges and evidence."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from test_export_cypher import BANKER, FRONT, INJECTOR, load_sample
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.errors import ConfigError
from actorgraph.export import gephi
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore

ACTORS_AND_CHARGES = 8  # 6 actors + 2 charges in the sample
CLAIMS = 10


@pytest.fixture
def sample(graph: GraphStore) -> GraphStore:
    load_sample(graph)
    return graph


def _names(graph: nx.Graph) -> set[str]:
    return {data["label"] for _, data in graph.nodes(data=True)}


def test_claim_graph_has_one_edge_per_claim(sample: GraphStore) -> None:
    graph = gephi.claim_graph(sample)
    assert graph.number_of_nodes() == ACTORS_AND_CHARGES
    assert graph.number_of_edges() == CLAIMS
    funds = [d for _, _, d in graph.edges(data=True) if d["predicate"] == "FUNDS"]
    assert len(funds) == 2  # said in two documents: two claims, two edges
    assert {d["doc_source"] for d in funds} == {"news/one.txt", "news/two.html"}
    assert all(FRONT in d["evidence"] for d in funds)
    denied = [d for _, _, d in graph.edges(data=True) if d["denied"]]
    assert len(denied) == 1 and denied[0]["predicate"] == "ACCUSED_OF"


def test_graphml_round_trip(sample: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    assert gephi.export_graphml(sample, path) == (ACTORS_AND_CHARGES, CLAIMS)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == ACTORS_AND_CHARGES
    assert back.number_of_edges() == CLAIMS
    assert {BANKER, INJECTOR, FRONT} <= _names(back)
    banker = next(d for _, d in back.nodes(data=True) if d["label"] == BANKER)
    assert banker["entity_type"] == "PERSON" and banker["mention_count"] >= 3
    evidence = {d["evidence"] for _, _, d in back.edges(data=True)}
    assert any("through\ttwo banks" in e for e in evidence)  # tabs and quotes survive the XML


def test_gexf_round_trip_with_colours_and_sizes(sample: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.gexf"
    assert gephi.export_gexf(sample, path) == (ACTORS_AND_CHARGES, CLAIMS)
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == ACTORS_AND_CHARGES
    assert back.number_of_edges() == CLAIMS
    assert {BANKER, INJECTOR, FRONT} <= _names(back)
    person = next(d for _, d in back.nodes(data=True) if d["label"] == BANKER)
    assert person["viz"]["color"] == {"r": 0x4E, "g": 0x79, "b": 0xA7, "a": 1.0}
    charge = next(d for _, d in back.nodes(data=True) if d["entity_type"] == "CHARGE")
    assert person["viz"]["size"] > charge["viz"]["size"]  # sized by mentions
    ids = {d["id"] for _, _, d in back.edges(data=True)}
    assert len(ids) == CLAIMS and all(i.startswith("claim:") for i in ids)


def test_documents_add_mention_edges(sample: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.gexf"
    nodes, edges = gephi.export_gexf(sample, path, documents=True)
    back = nx.read_gexf(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (nodes, edges)
    assert nodes == ACTORS_AND_CHARGES + 2
    assert edges > CLAIMS
    titles = {d["label"] for _, d in back.nodes(data=True) if d["entity_type"] == "DOCUMENT"}
    assert titles == {"Money & 'trails'", "Second source\nwith a newline"}


def test_unwritable_path_is_one_error(sample: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot write"):
        gephi.export_graphml(sample, tmp_path / "missing" / "graph.graphml")


@pytest.mark.parametrize("kind", ["graphml", "gexf"])
def test_cli(sample: GraphStore, engine: EmbeddedEngine, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"graph.{kind}"
    env = {"ACTORGRAPH_HOME": str(engine.home), "ACTORGRAPH_GRAPH": "test"}
    result = CliRunner().invoke(app, ["export", kind, "-o", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert f"{ACTORS_AND_CHARGES} nodes, {CLAIMS} edges" in result.output
    back = nx.read_graphml(path) if kind == "graphml" else nx.read_gexf(path)
    assert back.number_of_nodes() == ACTORS_AND_CHARGES
