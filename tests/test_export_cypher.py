"""`export cypher` and `push`: the graph copied into an empty embedded graph (by script and by the store
writer) must hold the same nodes, relationships and claims, whatever the names contain; the script is valid
Neo4j Cypher.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.config import Settings
from actorgraph.errors import ConfigError
from actorgraph.export import cypher_script, push
from actorgraph.extract.model import Document, Entity, Evidence, Extraction, Mention, Relation
from actorgraph.graph import cypher
from actorgraph.graph.dialect import FALKORDB, NEO4J
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ingest.ingest import ingest_extractions
from actorgraph.resolve import resolve

# Names that break naive quoting, HTML and Cypher: quotes, a backslash, an injection attempt, markup, unicode.
BANKER = 'Dana O\'Brien "the Banker"'
INJECTOR = 'x"}) DETACH DELETE n //'
FUND = "Back\\slash Fund"
FRONT = "</script><b>Green Front</b>"
MINISTRY = "Ministry of Justice"
LAND = "Zoë-Land 😀"
TYPES = {BANKER: "PERSON", INJECTOR: "PERSON", FUND: "ORG", FRONT: "ORG", MINISTRY: "ORG", LAND: "GPE"}

#: (title, source, [(sentence, [(subject, predicate, object, denied)])]) per document.
SAMPLE: list[tuple[str, str, list[tuple[str, list[tuple[str, str, str, bool]]]]]] = [
    (
        "Money & 'trails'",
        "news/one.txt",
        [
            (f"{BANKER} funds {FRONT} through\ttwo banks.", [(BANKER, "FUNDS", FRONT, False)]),
            (
                f"{FRONT} is accused of fraud by the {MINISTRY}.",
                [(FRONT, "ACCUSED_OF", "fraud", False), (MINISTRY, "ACCUSES", FRONT, False)],
            ),
            (f"{FRONT} was banned by the {MINISTRY}.", [(FRONT, "BANNED_BY", MINISTRY, False)]),
            (f"The {MINISTRY} is based in {LAND}.", [(MINISTRY, "LOCATED_IN", LAND, False)]),
            (f"{BANKER} denies money laundering.", [(BANKER, "ACCUSED_OF", "money laundering", True)]),
        ],
    ),
    (
        "Second source\nwith a newline",
        "news/two.html",
        [
            (f"{INJECTOR} works with {BANKER}.", [(INJECTOR, "WORKS_WITH", BANKER, False)]),
            (f"{INJECTOR} is a member of {FUND}.", [(INJECTOR, "MEMBER_OF", FUND, False)]),
            (f"Again, {BANKER} funds {FRONT}.", [(BANKER, "FUNDS", FRONT, False)]),
            (f"{FUND} supports the {MINISTRY}.", [(FUND, "SUPPORTS", MINISTRY, False)]),
        ],
    ),
]


def _extraction(
    title: str, source: str, sentences: list[tuple[str, list[tuple[str, str, str, bool]]]]
) -> Extraction:
    text = "\n".join(sentence for sentence, _ in sentences) + "\n"
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []
    offset = 0
    for sentence, claims in sentences:
        for subject, predicate, obj, denied in claims:
            for name in (subject, obj):
                if name not in entities:
                    entity_type = TYPES.get(name, "CHARGE")
                    mentions, at = [], text.find(name)
                    while at >= 0:
                        mentions.append(Mention(at, at + len(name), name))
                        at = text.find(name, at + 1)
                    entities[name] = Entity(f"e{len(entities) + 1}", entity_type, name, [name], mentions)
            relations.append(
                Relation(
                    entities[subject].id,
                    predicate,
                    entities[obj].id,
                    Evidence(sentence, offset, offset + len(sentence)),
                    0.8,
                    "test.v1",
                    denied=denied,
                )
            )
        offset += len(sentence) + 1
    doc = Document(text=text, path=source, title=title, published="2024-05-01")
    return Extraction(doc, list(entities.values()), relations)


def sample_extractions() -> list[Extraction]:
    """Two hand-written documents: 10 claims (one denied, one said twice) among actors with hostile names."""
    return [_extraction(*doc) for doc in SAMPLE]


def load_sample(store: GraphStore) -> None:
    """Ingest the sample through the real ingest path."""
    report = ingest_extractions(store, sample_extractions(), resolver=resolve)
    assert report.ok


CLAIMS_QUERY = (
    "MATCH (a)-[c]->(b) WHERE c.id IS NOT NULL "
    "RETURN a.name AS a, type(c) AS t, b.name AS b, c.id AS id, c.evidence AS evidence, c.denied AS denied "
    "ORDER BY id"
)


def snapshot(store: GraphStore) -> dict[str, Any]:
    """Counts by label and type, every node's properties, every claim: what a faithful copy must reproduce.

    The model-version node is each graph's own (stamped by its first write), not data a copy carries.
    """
    nodes = store.read(
        "MATCH (n) WHERE NOT n:ActorgraphModel RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id"
    )
    mentions = store.read(
        "MATCH (a)-[m:MENTIONED_IN]->(d) RETURN a.id AS a, d.id AS d, properties(m) AS props ORDER BY a, d"
    )
    for node in nodes:
        node["labels"] = sorted(node["labels"])
    return {
        "counts": store.counts(),
        "nodes": nodes,
        "mentions": mentions,
        "claims": store.read(CLAIMS_QUERY),
    }


@pytest.fixture
def target(engine: EmbeddedEngine) -> Iterator[GraphStore]:
    """A second, empty embedded graph (no schema yet), deleted afterwards."""
    with GraphStore.connect(Settings(home=engine.home, graph="export_target")) as store:
        store.clear()
        yield store
        store.clear()


@pytest.fixture
def sample(graph: GraphStore) -> GraphStore:
    load_sample(graph)
    return graph


def test_sample_graph_is_what_the_tests_expect(sample: GraphStore) -> None:
    counts = sample.counts()
    assert counts["labels"]["Actor"] == 6
    assert counts["labels"]["Charge"] == 2
    assert counts["labels"]["Document"] == 2
    assert sum(n for t, n in counts["types"].items() if t != "MENTIONED_IN") == 10


def test_push_copies_everything_through_the_store_writer(sample: GraphStore, target: GraphStore) -> None:
    report = push.copy_graph(sample, target, batch_size=3)  # small batches: several queries per kind
    expected = snapshot(sample)
    assert report.nodes == expected["counts"]["nodes"]
    assert report.relationships == expected["counts"]["relationships"]
    assert snapshot(target) == expected
    names = {row["a"] for row in target.read(CLAIMS_QUERY)}
    assert INJECTOR in names and BANKER in names  # the injection attempt is just a name


def test_push_twice_is_idempotent(sample: GraphStore, target: GraphStore) -> None:
    push.copy_graph(sample, target)
    again = push.copy_graph(sample, target)
    assert again.nodes == sample.counts()["nodes"]
    assert snapshot(target) == snapshot(sample)


def test_push_needs_neo4j_uri(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="NEO4J_URI"):
        push.push(Settings(home=tmp_path))


def test_cli_push_without_neo4j_is_one_line_and_a_hint(engine: EmbeddedEngine) -> None:
    env = {"ACTORGRAPH_HOME": str(engine.home), "ACTORGRAPH_GRAPH": "test", "NEO4J_URI": ""}
    result = CliRunner().invoke(app, ["push"], env=env)
    assert result.exit_code == 2
    assert "NEO4J_URI is not set" in result.output and "Hint: set NEO4J_URI" in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(
    not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set: pushing needs a Neo4j server"
)
def test_push_into_neo4j(sample: GraphStore) -> None:  # pragma: no cover - needs a server
    settings = Settings.from_env()
    with GraphStore.connect(settings) as neo:
        neo.clear()
        push.copy_graph(sample, neo)
        assert snapshot(neo)["claims"] == snapshot(sample)["claims"]
        neo.clear()


def test_script_runs_into_an_empty_graph_with_the_same_counts_and_claims(
    sample: GraphStore, target: GraphStore
) -> None:
    out = io.StringIO()
    report = cypher_script.write_cypher_script(
        sample, out, dialect=FALKORDB, schema=False, rows_per_statement=4
    )
    script = out.getvalue()
    statements = list(cypher_script.script_statements(script))
    assert not any("$" in re.sub(r"'(?:[^'\\]|\\.)*'", "", s) for s in statements)  # parameter-free
    assert len(statements) > 4
    for statement in statements:
        target.write(statement)
    assert report.nodes == sample.counts()["nodes"]
    assert snapshot(target) == snapshot(sample)


def test_neo4j_script_has_constraints_and_one_statement_per_line(sample: GraphStore) -> None:
    out = io.StringIO()
    cypher_script.write_cypher_script(sample, out, dialect=NEO4J)
    lines = [line for line in out.getvalue().split("\n") if line and not line.startswith("//")]
    assert lines[0].startswith("CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor)")
    assert all(line.endswith(";") for line in lines)
    assert any("MERGE (n:Actor {id: row.id}) SET n += row.props SET n:Person" in line for line in lines)
    assert "\\u2028" not in out.getvalue()  # nothing to escape in the sample; see the literal tests


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        pytest.param("plain", "'plain'", id="plain"),
        pytest.param("O'Brien", "'O\\'Brien'", id="single-quote"),
        pytest.param('say "no"', "'say \"no\"'", id="double-quote"),
        pytest.param("back\\slash\\", "'back\\\\slash\\\\'", id="backslashes"),
        pytest.param("two\nlines\r\n", "'two\\nlines\\r\\n'", id="newlines"),
        pytest.param("zoë 😀", "'zoë 😀'", id="unicode-raw"),
        pytest.param("a\u2028b\x00", "'a\\u2028b\\u0000'", id="line-separator-neo4j"),
    ],
)
def test_string_literals(text: str, literal: str) -> None:
    assert cypher_script.cypher_string(text) == literal


def test_literals_of_every_property_type() -> None:
    value = {"n": 2**62, "f": 1e-07, "t": True, "none": None, "l": ["a", "b"], "odd key": []}
    assert (
        cypher_script.cypher_literal(value) == "{n: 4611686018427387904, f: 1e-07, t: true, none: null, "
        "l: ['a', 'b'], `odd key`: []}"
    )
    with pytest.raises(ConfigError):
        cypher_script.cypher_literal(float("nan"))


@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
    )
)
def test_any_text_round_trips_through_falkordb(graph: GraphStore, text: str) -> None:
    """Whatever a name or sentence holds, the literal reads back as the same string, on one line."""
    literal = cypher_script.cypher_string(text, FALKORDB)
    assert "\n" not in literal
    assert graph.read(f"RETURN {literal} AS s")[0]["s"] == text


def test_cli_export_cypher_writes_the_file(
    sample: GraphStore, engine: EmbeddedEngine, tmp_path: Path
) -> None:
    path = tmp_path / "graph.cypher"
    env = {"ACTORGRAPH_HOME": str(engine.home), "ACTORGRAPH_GRAPH": "test"}
    result = CliRunner().invoke(app, ["export", "cypher", "-o", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert "MERGE (n:Document {id: row.id})" in path.read_text("utf-8")
    bad = CliRunner().invoke(
        app, ["export", "cypher", "-o", str(tmp_path / "no" / "such" / "x.cypher")], env=env
    )
    assert bad.exit_code == 2 and "cannot write" in bad.output and "Traceback" not in bad.output


# Lints JSON [{name, query}] from stdin with Neo4j's parser; prints the syntax errors (severity 1) of each.
# Parameters are not declared here, so "Parameter $x is not defined" is not an error for these checks.
_LINT_JS = r"""
const { createRequire } = require("module");
const parser = createRequire(process.argv[1] + "/")("@neo4j-cypher/language-support");
const items = JSON.parse(require("fs").readFileSync(0, "utf8"));
let bad = 0;
for (const it of items) {
  const result = parser.lintCypherQuery(it.query, { parameters: {} }) || {};
  const errors = (result.diagnostics || []).filter(
    (d) => d.severity === 1 && !/^Parameter \$\S+ is not defined/.test(d.message));
  if (errors.length) { bad++; console.log(it.name + ": " + errors.map((e) => e.message).join("; ")); }
}
console.log(items.length + " statements, " + bad + " with syntax errors");
process.exit(bad ? 1 : 0);
"""


def _neo4j_parser_dir() -> Path | None:
    """Where `@neo4j-cypher/language-support` is installed (the test set-up puts it in tests/cypher_lint)."""
    candidates = [os.environ.get("CYPHER_LINT_DIR", ""), str(Path(__file__).parent / "cypher_lint")]
    for folder in filter(None, candidates):
        if (Path(folder) / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
            return Path(folder)
    return None


def lint_with_neo4j(statements: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run Neo4j's parser over named statements; skip (fail in CI) when it is not installed."""
    folder = _neo4j_parser_dir()
    if folder is None or shutil.which("node") is None:
        reason = "Neo4j's parser (npm @neo4j-cypher/language-support@2.0.0-next.38) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    request = [{"name": name, "query": query} for name, query in statements.items()]
    return subprocess.run(
        ["node", "-e", _LINT_JS, str(folder)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_statements_are_valid_neo4j_cypher(sample: GraphStore) -> None:
    """The script, every statement push sends and viz reads, through Neo4j's own parser."""
    out = io.StringIO()
    cypher_script.write_cypher_script(sample, out, dialect=NEO4J)
    lines = cypher_script.script_statements(out.getvalue())
    statements = {f"script line {i}": q for i, q in enumerate(lines)}
    # One of each template push sends (the variants differ only in vocabulary words); the parser is slow.
    statements.update(
        {
            "walk labels": cypher.text("export", "labels"),
            "walk node_page": cypher.text("export", "node_page", label="Actor"),
            "walk outgoing": cypher.text("export", "outgoing", label="Charge"),
            "push merge_nodes_query": push.merge_nodes_query(("Actor", "Person")),
            "push merge_rels_query keyed": push.merge_rels_query("ACCUSED_OF", "Actor", "Charge", keyed=True),
            "push merge_rels_query pair": push.merge_rels_query("MENTIONED_IN", "Actor", "Document", keyed=False),
            "viz all claims": cypher.text("export", "viz_all_claims"),
            "viz claims by id": cypher.text("export", "viz_claims_by_id"),
            "viz documents": cypher.text("export", "viz_documents"),
        }
    )
    done = lint_with_neo4j(statements)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(statements)} statements, 0 with syntax errors" in done.stdout


def test_any_literal_is_valid_neo4j_cypher() -> None:
    """Whatever the text (quotes, backslashes, control characters, line separators), Neo4j parses its literal:
    120 seeded random strings over the troublesome characters, in one statement (the parser is slow)."""
    rnd = random.Random(6)
    alphabet = [chr(c) for c in [*range(0x80), 0x85, 0xA0, 0xE9, 0x200B, 0x2028, 0x2029, 0xFEFF, 0x1F600]]
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(120)]
    literal = cypher_script.cypher_literal([{"s": t, "l": [t, 1, 2.5e-9, True, None]} for t in texts])
    done = lint_with_neo4j({"literals": f"RETURN {literal} AS m"})
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_parser_check_catches_a_broken_statement() -> None:
    done = lint_with_neo4j({"broken": "RETURN 'unterminated AS x"})
    assert done.returncode == 1 and "broken:" in done.stdout
