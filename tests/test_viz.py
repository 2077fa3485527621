"""`viz`: one self-contained HTML page, drawn in real headless Chromium with the network off.

The page must draw the expected number of nodes (it writes `data-drawn-nodes` once drawn), show evidence as
text (never as markup, whatever the names hold), search by name or alias, and fetch nothing. The examples'
network is also drawn and screenshotted (ACTORGRAPH_UPDATE_SCREENSHOT=1 copies it to docs/img/network.png).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from chromium import dump_dom, run_chromium, screenshot
from test_export_cypher import BANKER, FRONT, INJECTOR, load_sample
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.errors import ConfigError
from actorgraph.export import viz
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore

REPO = Path(__file__).resolve().parents[1]
DRAWN = re.compile(r'<html[^>]*\sdata-drawn-nodes="(\d+)"[^>]*\sdata-drawn-edges="(\d+)"')


@pytest.fixture
def sample(graph: GraphStore) -> GraphStore:
    load_sample(graph)
    return graph


def _drawn(dom: str) -> tuple[int, int]:
    match = DRAWN.search(dom)
    assert match, "the page never finished drawing (no data-drawn-nodes on <html>)"
    return int(match[1]), int(match[2])


def _info(dom: str) -> str:
    match = re.search(r'<div id="info"[^>]*>(.*?)</div>\s*</section>', dom, re.S)
    assert match, "no evidence panel in the page"
    return match[1]


def test_view_aggregates_claims_into_edges(sample: GraphStore) -> None:
    view = viz.build_view(sample)
    assert (len(view.nodes), len(view.edges), view.claims) == (8, 9, 10)
    funds = next(e for e in view.edges if e["predicate"] == "FUNDS")
    assert len(funds["evidence"]) == 2
    assert {ev["source"] for ev in funds["evidence"]} == {"news/one.txt", "news/two.html"}
    assert next(e for e in view.edges if e["denied"])["predicate"] == "ACCUSED_OF"
    assert next(e for e in view.edges if e["predicate"] == "WORKS_WITH")["symmetric"] is True
    assert viz.build_view(sample, limit=3).truncated


def test_page_is_self_contained_and_escaped(sample: GraphStore) -> None:
    page = viz.render_html(viz.build_view(sample, title='Sample </script> "x" & co'))
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.I)  # nothing to fetch
    assert page.count("</script>") == page.count("<script") == 4  # no name closed a script early
    assert "<title>Sample &lt;/script&gt; &quot;x&quot; &amp; co</title>" in page
    data = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert data and "<" not in data[1] and "&" not in data[1]
    names = {n["name"] for n in json.loads(data[1])["nodes"]}
    assert {BANKER, INJECTOR, FRONT} <= names  # and the JSON reads back exactly
    assert "sourceMappingURL" not in page


def test_drawn_in_chromium_offline(sample: GraphStore, tmp_path: Path) -> None:
    page = tmp_path / "network.html"
    view = viz.build_view(sample, title="sample")
    viz.write_html(view, page)
    dom = dump_dom(page)
    assert _drawn(dom) == (len(view.nodes), len(view.edges)) == (8, 9)
    assert 'id="stats">8 nodes, 9 edges, 10 claims' in dom
    assert "Organization <" in html.unescape(dom) or "Organization" in dom  # legend
    assert dom.count('class="swatch"') == 4  # Person, Organization, Place, Charge
    png = screenshot(page, tmp_path / "network.png")
    assert png.stat().st_size > 20_000  # a drawn network, not a blank page


def test_evidence_and_names_show_as_text(sample: GraphStore, tmp_path: Path) -> None:
    page = tmp_path / "network.html"
    view = viz.build_view(sample)
    viz.write_html(view, page)
    edge = next(e for e in view.edges if e["predicate"] == "FUNDS")
    dom = run_chromium(page, "--dump-dom", fragment=f"claim={edge['evidence'][0]['claim']}")
    info = _info(dom)
    assert "&lt;/script&gt;&lt;b&gt;Green Front&lt;/b&gt;" in info  # markup in a name stays text
    assert "<b>" not in info
    assert "news/one.txt" in info and "news/two.html" in info  # both sources of the claim
    assert html.unescape(info).count("funds") >= 2


def test_search_finds_by_alias_case_insensitively(sample: GraphStore, tmp_path: Path) -> None:
    page = tmp_path / "network.html"
    viz.write_html(viz.build_view(sample), page)
    dom = run_chromium(page, "--dump-dom", fragment="q=DETACH delete")
    assert 'data-matches="1"' in dom
    assert html.escape(INJECTOR, quote=False) in _info(dom)
    none = run_chromium(page, "--dump-dom", fragment="q=nobody at all")
    assert 'data-matches="0"' in none and "no match" in none


def test_empty_graph_draws_an_empty_page(graph: GraphStore, tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    viz.write_html(viz.build_view(graph), page)
    dom = dump_dom(page, budget_ms=5_000)
    assert _drawn(dom) == (0, 0)
    assert "No claims to draw." in dom


def test_select_claims_by_actor_and_queries(sample: GraphStore) -> None:
    ids, title = viz.select_claims(sample, INJECTOR, depth=1)
    assert ids is not None and len(ids) == 2 and "depth 1" in title  # WORKS_WITH and MEMBER_OF
    ids2, _ = viz.select_claims(sample, INJECTOR, depth=2)
    assert ids2 is not None and ids < ids2
    bans, _ = viz.select_claims(sample, queries=["bans"])
    assert len(viz.build_view(sample, bans).edges) == 1
    with pytest.raises(ConfigError, match="no chosen query has a parameter"):
        viz.select_claims(sample, INJECTOR, queries=["bans"], params={"nope": "1"})
    with pytest.raises(ConfigError, match="need an ACTOR"):
        viz.select_claims(sample, depth=2)


def test_cli_viz(sample: GraphStore, engine: EmbeddedEngine, tmp_path: Path) -> None:
    env = {"ACTORGRAPH_HOME": str(engine.home), "ACTORGRAPH_GRAPH": "test"}
    page = tmp_path / "n.html"
    result = CliRunner().invoke(app, ["viz", INJECTOR, "--depth", "1", "-o", str(page)], env=env)
    assert result.exit_code == 0, result.output
    assert "3 nodes, 2 edges, 2 claims" in result.output and page.exists()
    result = CliRunner().invoke(app, ["viz", "--query", "bnas", "-o", str(page)], env=env)
    assert result.exit_code == 1 and "did you mean: bans" in result.output
    assert "Traceback" not in result.output


def test_cli_browser_style() -> None:
    result = CliRunner().invoke(app, ["browser-style"])
    assert result.exit_code == 0
    assert "caption: '{name}';" in result.output and "caption: '<type>';" in result.output
    pairs = (("Person", "PERSON"), ("Organization", "ORG"), ("Place", "GPE"), ("Charge", "CHARGE"))
    for label, colour in pairs:
        block = re.search(r"node\." + label + r" \{(.*?)\}", result.output, re.S)
        assert block and f"color: {viz.TYPE_COLOURS[colour]};" in block[1]  # the same colours as the page


def test_examples_network_screenshot(
    nlp: object, graph: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's picture: the examples ingested for real, drawn, and screenshotted."""
    from actorgraph.ingest.ingest import ingest_paths
    from actorgraph.resolve import resolve

    monkeypatch.chdir(REPO)  # sources shown in the picture read examples/..., not this machine's path
    report = ingest_paths(graph, ["examples"], resolver=resolve)
    assert report.ok and report.ingested >= 5
    page = tmp_path / "network.html"
    view = viz.network_page(graph, page)
    assert len(view.nodes) >= 10
    assert _drawn(dump_dom(page)) == (len(view.nodes), len(view.edges))
    funds = max((e for e in view.edges if e["predicate"] == "FUNDS"), key=lambda e: len(e["evidence"]))
    claim = f"claim={funds['evidence'][0]['claim']}"  # the picture shows an edge's evidence in the panel
    assert funds["evidence"][0]["sentence"][:40] in html.unescape(_info(dump_dom(page, fragment=claim)))
    png = screenshot(page, tmp_path / "network.png", size="1400,900", fragment=claim)
    assert png.stat().st_size > 50_000
    if os.environ.get("ACTORGRAPH_UPDATE_SCREENSHOT") == "1":
        (REPO / "docs" / "img").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, REPO / "docs" / "img" / "network.png")
