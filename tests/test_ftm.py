"""FollowTheMoney export: read back with `followthemoney`, entity and link counts agree with the graph.

`followthemoney` is the optional `ftm` extra (it builds pyicu); without it these tests skip and say why,
except in CI (CI=true), which installs it and must run them.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from fixture_graphs import ingest_fixture
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.export.ftm import INSTALL_HINT, export_ftm, ftm_id, read_ftm
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.vocab import PREDICATES

FIXTURES = Path(__file__).parent / "fixtures"
HAVE_FTM = importlib.util.find_spec("followthemoney") is not None
needs_ftm = pytest.mark.skipif(
    not HAVE_FTM and os.environ.get("CI") != "true",
    reason=f"followthemoney is not installed: {INSTALL_HINT}",
)
LINK_SCHEMATA = {"Payment", "Membership", "Associate", "Representation", "UnknownLink", "Sanction", "Note"}


def claim_counts(store: GraphStore) -> Counter[str]:
    return Counter({t: n for t, n in store.counts()["types"].items() if t in PREDICATES})


@needs_ftm
def test_entities_and_links_read_back_with_the_graphs_counts(graph: GraphStore) -> None:
    ingest_fixture(graph)
    out = io.StringIO()
    report = export_ftm(graph, out)
    counts = read_ftm(iter(out.getvalue().splitlines()))
    assert counts == report.entities
    labels = graph.counts()["labels"]
    assert counts["Person"] == labels["Person"]
    assert counts["Organization"] == labels["Organization"]
    assert counts["Address"] == labels["Place"]
    assert counts["Article"] == labels["Document"]
    claims = claim_counts(graph)
    assert sum(counts[s] for s in LINK_SCHEMATA) == sum(claims.values())  # one entity per claim, none dropped
    assert counts["Note"] == claims["ACCUSED_OF"] and counts["Sanction"] == claims["BANNED_BY"]
    actor_mentions = graph.read("MATCH (:Actor)-[m:MENTIONED_IN]->() RETURN count(m) AS n")[0]["n"]
    assert counts["Documentation"] == actor_mentions
    assert (
        report.not_exported["charges (FtM has no charge entity; each accusation is a Note)"]
        == labels["Charge"]
    )


@needs_ftm
def test_big_nodes_paged_separately_give_the_same_entities(graph: GraphStore) -> None:
    ingest_fixture(graph)
    small, default = io.StringIO(), io.StringIO()
    export_ftm(graph, small, budget=1, page=2, claim_page=1)
    export_ftm(graph, default)
    assert sorted(small.getvalue().splitlines()) == sorted(default.getvalue().splitlines())


@needs_ftm
def test_links_carry_evidence_denial_and_source(graph: GraphStore) -> None:
    ingest_fixture(graph)
    out = io.StringIO()
    export_ftm(graph, out)
    entities = [json.loads(line) for line in out.getvalue().splitlines()]
    by_id = {e["id"]: e for e in entities}
    links = [e for e in entities if e["schema"] in LINK_SCHEMATA]
    for link in links:
        props = link["properties"]
        assert props["description"] and props["proof"][0] in by_id  # evidence, and the Article it came from
        assert by_id[props["proof"][0]]["schema"] == "Article"
    denied = [e for e in links if "denies this" in e["properties"]["description"][0]]
    assert len(denied) == 1 and denied[0]["schema"] == "Note"
    assert denied[0]["properties"]["name"] == ["Accused of bribery"]
    payer = {e["properties"]["payer"][0] for e in entities if e["schema"] == "Payment"}
    assert all(by_id[p]["schema"] in ("Person", "Organization") for p in payer)
    placed = [e for e in entities if e["schema"] == "Organization" and "addressEntity" in e["properties"]]
    assert placed and all(
        by_id[a]["schema"] == "Address" for e in placed for a in e["properties"]["addressEntity"]
    )


@needs_ftm
def test_cli_export_ftm(graph: GraphStore, engine: EmbeddedEngine, tmp_path: Path) -> None:
    ingest_fixture(graph)
    path = tmp_path / "graph.ftm.json"
    env = {"ACTORGRAPH_HOME": str(engine.home)}
    done = CliRunner().invoke(app, ["--graph", "test", "export", "ftm", "-o", str(path)], env=env)
    assert done.exit_code == 0, done.output
    assert "not exported:" in done.output and "Note" in done.output
    with path.open(encoding="utf-8") as lines:
        assert sum(read_ftm(lines).values()) > 0


def test_ids_are_valid_ftm_ids() -> None:
    assert ftm_id("person:3f2a") == "person-3f2a"
    assert ftm_id("sha256:ab") == "sha256-ab"


def test_missing_extra_is_a_clear_error() -> None:
    """Without followthemoney importable (blocked in a fresh interpreter), the export says how to install
    it."""
    code = (
        "import sys; sys.modules['followthemoney'] = None\n"
        "from actorgraph.errors import ConfigError\n"
        "from actorgraph.export.ftm import _model\n"
        "try:\n    _model()\nexcept ConfigError as exc:\n    print(exc.hint)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'actorgraph[ftm]'" in done.stdout
