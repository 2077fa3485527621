"""The store contract, run on every backend: the embedded engine always, Neo4j when NEO4J_URI is set."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actorgraph.errors import ConfigError, ConstraintViolation, ReadOnlyViolation
from actorgraph.graph.store import GraphStore, cypher_literal

ODD_STRINGS = [
    pytest.param('say "hi"', id="double-quotes"),
    pytest.param("it's", id="single-quote"),
    pytest.param("back\\slash and trailing \\", id="backslashes"),
    pytest.param("line one\nline two\r\n\ttabbed", id="newlines"),
    pytest.param("emoji 🕵️‍♀️ and CJK 汉字 and RTL עברית", id="unicode"),
    pytest.param("x' CREATE (:Pwned) //", id="injection-single-quote"),
    pytest.param('}) DETACH DELETE n //', id="injection-detach-delete"),
    pytest.param('x"}) DETACH DELETE n //', id="injection-double-quote"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("value", ODD_STRINGS)
def test_strings_round_trip_exactly(store: GraphStore, value: str) -> None:
    store.write("CREATE (:Document {id: 'keep'})")
    store.write(
        "CREATE (a:Actor {id: $a, name: $value})-[:FUNDS {id: $r, evidence: $value}]->(b:Actor {id: $b})",
        a="a1", b="b1", r="r1", value=value,
    )
    rows = store.read(
        "MATCH (a:Actor {id: $a})-[r:FUNDS]->(b:Actor) RETURN a.name AS name, r.evidence AS evidence, b.id AS b",
        a="a1",
    )
    assert rows == [{"name": value, "evidence": value, "b": "b1"}]
    counts = store.counts()
    assert counts["nodes"] == 3 and counts["relationships"] == 1
    assert "Pwned" not in counts["labels"]


def test_numbers_lists_and_maps_round_trip(store: GraphStore) -> None:
    values = {"tiny": 1e-7, "pi": 1.23456789, "big": 2**62, "neg": -3, "flag": True}
    store.write(
        "CREATE (n:Charge {id: 'c', tiny: $tiny, pi: $pi, big: $big, neg: $neg, flag: $flag, forms: $forms})",
        forms=["a", "b'c", 'd"e'], **values,
    )
    rows = store.read(
        "MATCH (n:Charge {id: 'c'}) RETURN n.tiny AS tiny, n.pi AS pi, n.big AS big, n.neg AS neg, "
        "n.flag AS flag, n.forms AS forms, {k: n.pi, `odd key`: [1, 2]} AS m, null AS nothing"
    )
    expected = {**values, "forms": ["a", "b'c", 'd"e'], "m": {"k": 1.23456789, "odd key": [1, 2]}, "nothing": None}
    assert rows == [expected]
    assert type(rows[0]["m"]) is dict  # plain dicts, never driver objects


def test_nodes_come_back_as_plain_dicts(store: GraphStore) -> None:
    store.write("CREATE (:Actor:Person {id: 'p', name: 'Jane'})-[:MEMBER_OF {id: 'm'}]->(:Actor {id: 'o'})")
    row = store.read("MATCH (a:Person)-[r]->(b) RETURN a, r, b")[0]
    assert all(type(v) is dict for v in row.values())
    assert row["a"]["name"] == "Jane" and row["a"]["id"] == "p"


def test_write_rows_batches_100k(store: GraphStore) -> None:
    rows = ({"id": f"d{i:06d}", "n": i, "title": f"title {i}"} for i in range(100_000))
    sent = store.write_rows(
        "UNWIND $rows AS row MERGE (d:Document {id: row.id}) SET d.n = row.n, d.title = row.title", rows, 10_000
    )
    assert sent == 100_000
    assert store.read("MATCH (d:Document) RETURN count(d) AS n") == [{"n": 100_000}]
    sample = store.read(
        "MATCH (d:Document) WHERE d.id IN $ids RETURN d.id AS id, d.n AS n, d.title AS t ORDER BY id",
        ids=["d000000", "d054321", "d099999"],
    )
    assert sample == [
        {"id": "d000000", "n": 0, "t": "title 0"},
        {"id": "d054321", "n": 54321, "t": "title 54321"},
        {"id": "d099999", "n": 99999, "t": "title 99999"},
    ]


def test_write_rows_needs_unwind(store: GraphStore) -> None:
    with pytest.raises(ConfigError):
        store.write_rows("CREATE (:Document)", [{"id": 1}])


def test_read_refuses_a_write_and_changes_nothing(store: GraphStore) -> None:
    store.write("CREATE (:Actor {id: 'a', name: 'before'})")
    with pytest.raises(ReadOnlyViolation):
        store.read("MATCH (a:Actor {id: 'a'}) SET a.name = 'after' CREATE (:Pwned)")
    assert store.read("MATCH (a:Actor) RETURN a.name AS name") == [{"name": "before"}]
    assert store.counts()["nodes"] == 1


def test_ensure_schema_is_idempotent_and_refuses_duplicates(store: GraphStore) -> None:
    store.ensure_schema()
    store.ensure_schema()
    store.write("CREATE (:Actor {id: 'dup'})")
    with pytest.raises(ConstraintViolation):
        store.write("CREATE (:Actor {id: 'dup'})")
    store.write("MERGE (:Actor {id: 'dup'})")  # MERGE of an existing id is fine
    assert store.read("MATCH (a:Actor {id: 'dup'}) RETURN count(a) AS n") == [{"n": 1}]


def test_stream_pages_through_everything_in_order(store: GraphStore) -> None:
    store.write_rows("UNWIND $rows AS row CREATE (:Document {id: row.id})", ({"id": f"k{i:05d}"} for i in range(2_500)))
    query = "MATCH (d:Document) WHERE d.id > $after RETURN d.id AS key ORDER BY key LIMIT $limit"
    keys = [row["key"] for row in store.stream(query, page_size=1_000)]
    assert keys == [f"k{i:05d}" for i in range(2_500)]


def test_stream_needs_keyset_parameters(store: GraphStore) -> None:
    with pytest.raises(ConfigError):
        list(store.stream("MATCH (d:Document) RETURN d.id AS key"))


def test_stream_memory_stays_flat(store: GraphStore) -> None:
    """200,000 rows of ~200 bytes: a full list would hold far more than any one page."""
    payload = "x" * 200
    store.write_rows(
        "UNWIND $rows AS row CREATE (:Document {id: row.id, text: $payload})",
        ({"id": f"s{i:06d}"} for i in range(200_000)),
        20_000,
        payload=payload,
    )
    query = "MATCH (d:Document) WHERE d.id > $after RETURN d.id AS key, d.text AS text ORDER BY key LIMIT $limit"
    tracemalloc.start()
    try:
        seen = sum(len(row["text"]) for row in store.stream(query, page_size=5_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == 200_000 * 200
    whole = 200_000 * (200 + 100)  # at least the payload and key of every row, were they held at once
    assert peak < whole / 5, f"stream peaked at {peak / 1e6:.1f} MB"


def test_clear_empties_the_graph(store: GraphStore) -> None:
    store.write_rows("UNWIND $rows AS row CREATE (:Document {id: row.id})-[:R]->(:Charge)", [{"id": "1"}, {"id": "2"}])
    store.clear()
    assert store.counts() == {"nodes": 0, "relationships": 0, "labels": {}, "types": {}}


def test_describe_never_shows_a_password(store: GraphStore) -> None:
    info = store.describe()
    assert info["backend"]
    assert not any("password" in str(v).lower() for v in info.values())


# -- the embedded store's own parameter encoding and reply parsing ------------------------------------------------

_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(min_size=1).filter(lambda k: "`" not in k), inner, max_size=4),
    max_leaves=20,
)


@given(_JSONISH)
@settings(max_examples=300, deadline=None)
def test_cypher_literal_is_the_clients_encoding(value: object) -> None:
    """The fast encoder writes exactly what the falkordb client's `stringify_param_value` writes."""
    from falkordb.helpers import stringify_param_value

    assert cypher_literal(value) == stringify_param_value(value)


def test_cypher_literal_refuses_what_falkordb_cannot_read() -> None:
    with pytest.raises(ValueError, match="backtick"):
        cypher_literal({"a`b": 1})
    with pytest.raises(ValueError, match="empty"):
        cypher_literal({"": 1})


def test_every_value_kind_comes_back_plain(falkor_store: GraphStore) -> None:
    """Replies are parsed by the store (fast path for scalars and lists, the client for nodes, edges, maps)."""
    falkor_store.write("CREATE (:Actor {id: 'p1', name: 'N'})-[:FUNDS {id: 'f1'}]->(:Actor {id: 'p2'})")
    rows = falkor_store.read(
        "MATCH (a:Actor {id: 'p1'})-[r:FUNDS]->(b) RETURN 1 AS i, 2.5 AS f, true AS t, false AS no, null AS z, "
        "'é' AS s, [1, 'a', [2.0, null]] AS l, {k: 1, m: ['x']} AS m, a, r"
    )
    assert rows == [
        {
            "i": 1, "f": 2.5, "t": True, "no": False, "z": None, "s": "é", "l": [1, "a", [2.0, None]],
            "m": {"k": 1, "m": ["x"]}, "a": {"_labels": ["Actor"], "id": "p1", "name": "N"},
            "r": {"_type": "FUNDS", "id": "f1"},
        }
    ]
    assert falkor_store.write("MATCH (a:Actor {id: 'p1'}) SET a.seen = true") == []


def test_deleting_after_a_large_create_leaves_no_ghosts(named_graphs: Callable[..., dict[str, GraphStore]]) -> None:
    """FalkorDB/FalkorDB#2103 (FalkorDB 4.16): a node deleted while its label's matrix awaited a resize stayed
    in the label without attributes, and the next filtered scan failed. The store reads labels before deletes."""
    store = named_graphs("ghosts")["ghosts"]
    store.write("CREATE (:Charge {id: 'ghost'})")
    store.write("UNWIND range(0, 100000) AS i CREATE ()")  # grows the matrices
    store.write("MATCH (n) WITH n LIMIT 10000 DELETE n RETURN count(*) AS n")  # the ghost is among the first
    assert store.read("MATCH (c:Charge) WHERE c.id = 'ghost' RETURN c.id AS id") == []
