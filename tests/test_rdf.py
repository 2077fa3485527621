"""RDF export: it validates (SHACL), agrees with the graph (counts, SPARQL = Cypher), round-trips, and
re-imports.

Two graphs: `tests/fixtures/rdf_graph.jsonl` (hand-written extractions about invented actors: every predicate,
a denial, quotes, backslashes and an emoji) and the dev graph, read from ../shared/eval/dev/*.txt by the real
extractor and ingest.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixture_graphs import ingest_fixture
from rdflib import RDF, Graph, Literal, URIRef
from typer.testing import CliRunner

from actorgraph.cli import app
from actorgraph.config import Settings
from actorgraph.errors import ConfigError, InputError
from actorgraph.export import rdf
from actorgraph.export.rdf import AG, OA, SCHEMA, export_rdf, predicate_terms, triple_batches
from actorgraph.export.rdf_import import import_rdf
from actorgraph.graph import cypher
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ingest.ingest import ingest_paths
from actorgraph.queries import run_query
from actorgraph.resolve import resolve
from actorgraph.vocab import PREDICATES

FIXTURES = Path(__file__).parent / "fixtures"
DEV = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "dev"
SHAPES = Path(rdf.__file__).resolve().parents[1] / "vocab" / "shapes.ttl"
RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
SH_RESULT = URIRef("http://www.w3.org/ns/shacl#result")
SH_MESSAGE = URIRef("http://www.w3.org/ns/shacl#resultMessage")


@pytest.fixture(scope="module")
def fixture_store(engine: EmbeddedEngine) -> Iterator[GraphStore]:
    """The invented-actor graph, written once for the module (tests only read it)."""
    with GraphStore.connect(Settings(home=engine.home, graph="rdf_fixture")) as store:
        store.clear()
        ingest_fixture(store)
        yield store
        store.clear()


@pytest.fixture(scope="module")
def dev_store(engine: EmbeddedEngine) -> Iterator[GraphStore]:
    """The dev texts, through the real extractor, ingest and resolution."""
    texts = sorted(DEV.glob("*.txt"))
    if not texts:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no dev texts in {DEV}: CI runs with ../shared beside the repo")
        pytest.skip(f"no dev texts in {DEV} (../shared is not beside the repo)")
    with GraphStore.connect(Settings(home=engine.home, graph="rdf_dev")) as store:
        store.clear()
        ingest_paths(store, [str(p) for p in texts], resolver=resolve)
        yield store
        store.clear()


def export(store: GraphStore, fmt: str = "turtle", **kwargs: Any) -> tuple[str, rdf.ExportStats]:
    out = io.StringIO()
    stats = export_rdf(store, out, fmt=fmt, **kwargs)
    return out.getvalue(), stats


def parsed(text: str, fmt: str = "turtle") -> Graph:
    return Graph().parse(data=text, format=RDFLIB_FORMAT[fmt])


def shacl(data: Graph) -> tuple[bool, list[str]]:
    import pyshacl

    conforms, report, _ = pyshacl.validate(data, shacl_graph=Graph().parse(SHAPES), advanced=True)
    messages = sorted({str(report.value(r, SH_MESSAGE)) for r in report.objects(None, SH_RESULT)})
    return bool(conforms), messages


def graph_counts(store: GraphStore) -> dict[str, Any]:
    """What the export must agree with, counted in Cypher."""
    counts = store.counts()
    pairs = {
        p: store.read(f"MATCH (s:Actor)-[c:{p}]->(o) RETURN count(DISTINCT [s.id, o.id]) AS n")[0]["n"]
        for p in PREDICATES
    }
    return {
        "actors": counts["labels"].get("Actor", 0),
        "charges": counts["labels"].get("Charge", 0),
        "documents": counts["labels"].get("Document", 0),
        "claims": sum(n for t, n in counts["types"].items() if t in PREDICATES),
        "mentions": counts["types"].get("MENTIONED_IN", 0),
        "redirects": counts["labels"].get("Redirect", 0),
        "pairs": pairs,
    }


def rdf_counts(g: Graph) -> dict[str, Any]:
    def typed(cls: URIRef) -> int:
        return len(set(g.subjects(RDF.type, cls)))

    terms = predicate_terms()
    return {
        "actors": typed(AG.Actor),
        "charges": typed(AG.Charge),
        "documents": typed(AG.Document),
        "claims": typed(AG.Claim),
        "mentions": typed(AG.Mention),
        "redirects": len(set(g.subjects(URIRef("http://www.w3.org/2002/07/owl#sameAs"), None))),
        "pairs": {p: len(set(g.subject_objects(terms[p]))) for p in PREDICATES},
    }


# -- the vocabulary ------------------------------------------------------------------------------------------


def test_vocabulary_covers_every_predicate_and_minds_schema_org_direction() -> None:
    vocab = rdf.vocabulary()
    terms = predicate_terms()
    assert set(terms) == set(PREDICATES)
    owl = "http://www.w3.org/2002/07/owl#"
    assert (terms["FUNDS"], URIRef(owl + "inverseOf"), SCHEMA.funder) in vocab
    assert (
        terms["MEMBER_OF"],
        URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf"),
        SCHEMA.memberOf,
    ) in vocab
    assert (terms["WORKS_WITH"], RDF.type, URIRef(owl + "SymmetricProperty")) in vocab
    for term in terms.values():  # every predicate has a label and a comment
        assert vocab.value(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None
        assert vocab.value(term, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")) is not None


def test_base_must_be_an_absolute_iri_ending_in_a_separator() -> None:
    assert rdf.check_base("https://example.org/graph/") == "https://example.org/graph/"
    for bad in ("example.org/", "https://example.org/graph", "not an iri"):
        with pytest.raises(ConfigError):
            rdf.check_base(bad)
    assert rdf.id_from_iri("https://x.org/g/", rdf.iri("https://x.org/g/", "person:ab cd")) == "person:ab cd"


# -- SHACL ---------------------------------------------------------------------------------------------------


def test_dev_graph_export_has_zero_shacl_violations(dev_store: GraphStore) -> None:
    text, stats = export(dev_store)
    assert stats.claims > 0 and stats.actors > 0
    conforms, messages = shacl(parsed(text))
    assert conforms, messages


def test_fixture_export_has_zero_shacl_violations(fixture_store: GraphStore) -> None:
    text, _ = export(fixture_store, base="https://example.org/graph/")
    conforms, messages = shacl(parsed(text))
    assert conforms, messages


def test_broken_exports_are_caught(fixture_store: GraphStore) -> None:
    text, _ = export(fixture_store)
    claim = next(iter(parsed(text).subjects(RDF.type, AG.Claim)))

    no_evidence = parsed(text)
    no_evidence.remove((claim, AG.evidence, None))
    conforms, messages = shacl(no_evidence)
    assert not conforms and "a claim without evidence is not a claim" in messages

    wrong_quote = parsed(text)
    quote = URIRef(f"{claim}#quote")
    wrong_quote.set((quote, OA.exact, Literal("Something the text never said.")))
    conforms, messages = shacl(wrong_quote)
    assert not conforms
    assert "the quoted evidence is not the document's text at the selector's offsets" in messages

    no_plain = parsed(text)
    s, p, o = (no_plain.value(claim, x) for x in (RDF.subject, RDF.predicate, RDF.object))
    no_plain.remove((s, p, o))
    conforms, messages = shacl(no_plain)
    assert not conforms and "the claim's plain triple (subject predicate object) is missing" in messages


# -- agreement with the graph --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "xml"])
def test_every_format_parses_back_with_the_graphs_counts(fixture_store: GraphStore, fmt: str) -> None:
    text, stats = export(fixture_store, fmt)
    g = parsed(text, fmt)
    assert len(g) == stats.triples  # no duplicate lines: every triple written once
    assert rdf_counts(g) == graph_counts(fixture_store)
    assert stats.streamed is (fmt in ("turtle", "nt"))


def test_all_formats_hold_the_same_triples(fixture_store: GraphStore) -> None:
    graphs = [set(parsed(export(fixture_store, fmt)[0], fmt)) for fmt in RDFLIB_FORMAT]
    assert all(g == graphs[0] for g in graphs[1:])


def test_dev_graph_counts_agree(dev_store: GraphStore) -> None:
    text, stats = export(dev_store, "nt")
    g = parsed(text, "nt")
    assert len(g) == stats.triples
    assert rdf_counts(g) == graph_counts(dev_store)


def test_claim_details_survive(fixture_store: GraphStore) -> None:
    g = parsed(export(fixture_store)[0])
    denied = [c for c in g.subjects(RDF.type, AG.Claim) if (c, AG.denied, Literal(True)) in g]
    assert len(denied) == 1
    quote = g.value(g.value(denied[0], AG.evidence), OA.hasSelector)
    assert quote is not None
    assert any(str(g.value(s, OA.exact)) == "Quenby denies bribery." for s in g.objects(None, OA.hasSelector))
    docs = {str(g.value(d, SCHEMA.headline)) for d in g.subjects(RDF.type, AG.Document)}
    assert 'The "Quarry" papers' in docs
    assert any("😀" in str(t) for t in g.objects(None, SCHEMA.text))


def test_big_nodes_paged_separately_give_the_same_triples(fixture_store: GraphStore) -> None:
    """Claims and mentions of nodes above the read budget come in pages of their own: same triples either
    way."""

    def triples(**knobs: int) -> set[tuple[str, str, Any]]:
        return {t for batch in triple_batches(fixture_store, **knobs) for t in batch}

    assert triples(budget=1, page=2, claim_page=1) == triples()
    assert triples(budget=12, page=3, claim_page=2) == triples()


def test_falkordb_page_form_reads_odd_strings_exactly(graph: GraphStore) -> None:
    """FalkorDB's toJSON does not escape strings: the packed form escapes them first, and reads them back
    exact."""
    odd = [
        'q"uote',
        "back\\slash",
        "trail\\",
        "nl\nx",
        "tab\tx",
        "emoji 😀",
        "\x01\x1f",
        "x' CREATE (:P) //",
        "",
    ]
    graph.write(
        "UNWIND $rows AS r CREATE (:Document {id: r.id, text: r.t, sources: [r.t, 'a'], title: r.t})",
        rows=[{"id": f"sha256:{i:064d}", "t": t} for i, t in enumerate(odd)],
    )
    ids = [f"sha256:{i:064d}" for i in range(len(odd))]
    query = cypher.text("export", "document_batch")
    packed = graph.read_maps(query, ids=ids)
    portable = [r["row"] for r in graph.read(query, ids=ids)]
    assert [r["text"] for r in packed] == odd
    assert packed == portable


def test_read_maps_needs_a_query_that_returns_one_map_per_row(graph: GraphStore) -> None:
    with pytest.raises(ConfigError, match="RETURN"):
        graph.read_maps(cypher.text("export", "document_times"), ids=[])


# -- two engines agree: SPARQL on pyoxigraph = the curated Cypher --------------------------------------------


def oxigraph(text: str) -> Any:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    return store


PREFIXES = """
PREFIX ag: <https://w3id.org/actorgraph/ns#>
PREFIX schema: <https://schema.org/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def select(ox: Any, query: str, **iris: str) -> set[tuple[str, ...]]:
    for name, value in iris.items():
        query = query.replace(f"?{name}_", f"<{value}>")
    solutions = ox.query(PREFIXES + query)
    names = [v.value for v in solutions.variables]
    return {tuple(s[n].value if s[n] is not None else "" for n in names) for s in solutions}


def actor_iri(actor_id: str) -> str:
    return str(rdf.iri(rdf.DEFAULT_BASE, actor_id))


def flat_claims(rows: list[dict[str, Any]]) -> set[str]:
    return {c for row in rows for c in row["claim_ids"] or []}


def check_engines_agree(store: GraphStore) -> int:
    """funders, accusations-against and bans: SPARQL over the Turtle equals the Cypher answers; returns
    checks."""
    ox = oxigraph(export(store)[0])
    checked = 0
    funded = [r["id"] for r in store.read("MATCH ()-[:FUNDS]->(x:Actor) RETURN DISTINCT x.id AS id")]
    for x in funded:
        rows = run_query(store, "funders", [x], {"depth": "1"}, limit=0).rows
        sparql = select(
            ox,
            "SELECT ?id ?name WHERE { ?c rdf:predicate ag:funds ; rdf:subject ?f ; rdf:object ?x_ ;"
            " dcterms:identifier ?id . ?f schema:name ?name . FILTER (?f != ?x_) }",
            x=actor_iri(x),
        )
        assert {name for _, name in sparql} == {r["funder"] for r in rows}
        assert {c for c, _ in sparql} == flat_claims(rows)
        checked += 1
    accused = [
        r["id"]
        for r in store.read(
            "MATCH (x:Actor)-[:ACCUSED_OF]->() RETURN x.id AS id "
            "UNION MATCH ()-[:ACCUSES]->(x:Actor) RETURN x.id AS id"
        )
    ]
    for x in accused:
        rows = run_query(store, "accusations-against", [x], limit=0).rows
        claims = select(
            ox,
            "SELECT ?id WHERE { { ?c rdf:predicate ag:accusedOf ; rdf:subject ?x_ } UNION "
            "{ ?c rdf:predicate ag:accuses ; rdf:object ?x_ } ?c dcterms:identifier ?id }",
            x=actor_iri(x),
        )
        assert {c for (c,) in claims} == flat_claims(rows)
        charges = select(
            ox,
            "SELECT ?name ?evidence ?denied WHERE { ?c rdf:predicate ag:accusedOf ; rdf:subject ?x_ ;"
            " rdf:object ?ch ; ag:evidence/oa:hasSelector/oa:exact ?evidence . ?ch schema:name ?name ."
            " OPTIONAL { ?c ag:denied ?d } BIND (IF(BOUND(?d), 'true', 'false') AS ?denied) }",
            x=actor_iri(x),
        )
        assert charges == {
            (r["charge"], r["evidence"], str(bool(r["denied"])).lower())
            for r in rows
            if r["charge"] is not None
        }
        checked += 1
    rows = run_query(store, "bans", [], limit=0).rows
    pairs = select(
        ox, "SELECT ?banned ?by WHERE { ?s ag:bannedBy ?o . ?s schema:name ?banned . ?o schema:name ?by }"
    )
    assert pairs == {(r["banned"], r["banned_by"]) for r in rows}
    claims = select(
        ox,
        "SELECT ?id WHERE { { ?c rdf:predicate ag:bannedBy } UNION {"
        " ?b rdf:predicate ag:bannedBy ; rdf:subject ?s ; prov:wasDerivedFrom ?d ;"
        " ag:evidence/oa:hasSelector/oa:start ?st . ?c rdf:predicate ag:accusedOf ; rdf:subject ?s ;"
        " prov:wasDerivedFrom ?d ; ag:evidence/oa:hasSelector/oa:start ?st } ?c dcterms:identifier ?id }",
    )
    assert {c for (c,) in claims} == flat_claims(rows)
    return checked + 1


def test_sparql_answers_equal_the_curated_cypher_on_the_fixture(fixture_store: GraphStore) -> None:
    assert check_engines_agree(fixture_store) >= 4


def test_sparql_answers_equal_the_curated_cypher_on_the_dev_graph(dev_store: GraphStore) -> None:
    assert check_engines_agree(dev_store) >= 2


# -- --query: the subgraph behind a curated query ------------------------------------------------------------


def test_query_export_holds_exactly_the_claims_behind_the_rows(fixture_store: GraphStore) -> None:
    result = run_query(fixture_store, "bans", [], limit=0)
    text, stats = export(fixture_store, query="bans")
    g = parsed(text)
    ids = {
        str(g.value(c, URIRef("http://purl.org/dc/terms/identifier"))) for c in g.subjects(RDF.type, AG.Claim)
    }
    assert ids == set(result.claim_ids) and stats.claims == len(ids) > 0
    assert stats.query == "bans" and stats.query_rows == len(result.rows)
    conforms, messages = shacl(g)
    assert conforms, messages


# -- import --------------------------------------------------------------------------------------------------


def dump(store: GraphStore) -> dict[str, Any]:
    """The graph as comparable sets: every node and relationship with its properties (lists as sorted
    tuples)."""

    def frozen(props: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        skip = {"dirty", "rev", "keys"}  # internal to ingest, and the lookup keys refreshed on import
        return tuple(
            sorted(
                (k, tuple(sorted(v)) if isinstance(v, list) else v)
                for k, v in props.items()
                if k not in skip and v is not None and v != []
            )
        )

    nodes = store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = store.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props")
    return {
        "counts": store.counts(),
        "nodes": {(tuple(sorted(n["labels"])), frozen(n["props"])) for n in nodes},
        "rels": {(r["a"], r["t"], r["b"], frozen(r["props"])) for r in rels},
    }


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_import_into_an_empty_graph_gives_the_same_graph(graph: GraphStore, tmp_path: Path, fmt: str) -> None:
    from actorgraph.resolve import merge_actors

    ingest_fixture(graph)
    merge_actors(graph, "Harbour Front", "Ferrow Mining")  # a Redirect and a Decision to carry over
    before = dump(graph)
    assert before["counts"]["labels"].get("Redirect") == 1
    path = tmp_path / f"graph.{'ttl' if fmt == 'turtle' else 'nt'}"
    with path.open("w", encoding="utf-8") as out:
        export_rdf(graph, out, fmt=fmt, base="https://example.org/g/")
    conforms, messages = shacl(Graph().parse(path))
    assert conforms, messages
    graph.clear()
    report = import_rdf(graph, path)
    assert report.base == "https://example.org/g/" and not report.skipped
    after = dump(graph)
    assert after["counts"] == before["counts"]
    assert after["rels"] == before["rels"]
    assert after["nodes"] == before["nodes"]


def test_import_reports_bad_input(graph: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        import_rdf(graph, tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    with pytest.raises(InputError, match="not valid turtle"):
        import_rdf(graph, bad)
    with pytest.raises(ConfigError, match="cannot tell the RDF format"):
        import_rdf(graph, tmp_path / "graph.unknown")
    empty = tmp_path / "empty.ttl"
    empty.write_text("<urn:x> <urn:y> <urn:z> .\n", encoding="utf-8")
    with pytest.raises(InputError, match="no actorgraph resources"):
        import_rdf(graph, empty)


# -- CLI -----------------------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(graph: GraphStore, engine: EmbeddedEngine) -> dict[str, str]:
    ingest_fixture(graph)
    return {"ACTORGRAPH_HOME": str(engine.home), "ACTORGRAPH_GRAPH": "test"}


def test_cli_export_rdf_and_import_rdf(cli_env: dict[str, str], tmp_path: Path, graph: GraphStore) -> None:
    runner = CliRunner()
    path = tmp_path / "graph.ttl"
    done = runner.invoke(app, ["--graph", "test", "export", "rdf", "-o", str(path)], env=cli_env)
    assert done.exit_code == 0, done.output
    assert "13 claims" in done.output and path.stat().st_size > 0
    claims_before = graph.counts()["types"]
    graph.clear()
    done = runner.invoke(app, ["--graph", "test", "import", "rdf", str(path)], env=cli_env)
    assert done.exit_code == 0, done.output
    assert "13 claims" in done.output
    assert graph.counts()["types"] == claims_before
    done = runner.invoke(app, ["--graph", "test", "export", "rdf", "-f", "nt"], env=cli_env)
    assert done.exit_code == 0 and done.stdout.count(" .\n") > 100


def test_cli_errors_are_one_line_with_a_hint(cli_env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["--graph", "test", "export", "rdf", "--base", "nope"], env=cli_env)
    assert done.exit_code == 2 and "Hint:" in done.output and "Traceback" not in done.output
    done = runner.invoke(app, ["--graph", "test", "export", "rdf", "--query", "no-such-query"], env=cli_env)
    assert done.exit_code == 1 and "no curated query" in done.output and "Traceback" not in done.output
    done = runner.invoke(app, ["--graph", "test", "export", "rdf", "stray"], env=cli_env)
    assert done.exit_code == 2 and "--query" in done.output
    done = runner.invoke(app, ["--graph", "test", "import", "rdf", str(tmp_path / "missing.nt")], env=cli_env)
    assert done.exit_code == 1 and "no such file" in done.output and "Traceback" not in done.output
