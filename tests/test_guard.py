"""The pre-check of user Cypher: what it refuses before anything reaches the engine, and that it lets
ordinary queries through. Dangerous texts (a huge range, a 50,000-term chain) are only ever checked, never sent.
"""

from __future__ import annotations

import pytest

from actorgraph.errors import QueryRefused
from actorgraph.graph.guard import MAX_NESTING, MAX_RANGE, MAX_TERMS, MAX_TEXT_BYTES, check_cypher
from actorgraph.graph.store import GraphStore
from actorgraph.queries import run_cypher


def nested(depth: int) -> str:
    return "RETURN " + "(" * depth + "1" + ")" * depth + " AS x"


def chain(terms: int) -> str:
    return "RETURN " + "+".join(["1"] * terms) + " AS x"


ACCEPTED = [
    "MATCH (a:Actor {name: $name}) RETURN a.id, a.type",
    "MATCH (a:Actor)-[r:CLAIM]->(b:Actor) RETURN a.name, r.predicate, b.name LIMIT 10",
    nested(MAX_NESTING),
    chain(MAX_TERMS),
    "UNWIND range(1, 100) AS x RETURN x",
    f"UNWIND range(0, {MAX_RANGE - 1}) AS x RETURN count(x)",
    "UNWIND range(10, 1, -1) AS x RETURN x",
    "UNWIND range(1, 1000000000, 1000) AS x RETURN count(x)",
    "RETURN '" + "(" * 40 + "' AS brackets_in_a_string",  # brackets in literals are text, not nesting
    "RETURN 1 // range(1, 100000000000) in a comment",
    "RETURN 1 AS `range(1, 100000000000)`",
]


@pytest.mark.parametrize("cypher", ACCEPTED)
def test_ordinary_queries_pass(cypher: str) -> None:
    check_cypher(cypher, {"name": "Lena Marsh"})


REFUSED = [
    ("RETURN '" + "x" * MAX_TEXT_BYTES + "' AS s", "bytes"),
    (nested(MAX_NESTING + 1), "nests brackets 13 deep"),
    ("RETURN [[[[[[[[[[[[[1]]]]]]]]]]]]] AS x", "nests brackets"),
    (chain(MAX_TERMS + 1), "5,001 operands"),
    (chain(50_000), "over the"),  # a 100 KB expression: refused on size first
    ("UNWIND range(1, 100000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n", "range() would make"),
    ("UNWIND range(0, $n) AS x RETURN count(x)", "not plain integers"),  # $n not given
    ("UNWIND range(0, toInteger('1e11')) AS x RETURN x", "not plain integers"),
    ("UNWIND RANGE (1, 2 * 100000000000) AS x RETURN x", "not plain integers"),
    ("UNWIND range(1, 5) AS x UNWIND range(1, 100000000) AS y RETURN count(*)", "range() would make"),
]


@pytest.mark.parametrize(("cypher", "says"), REFUSED)
def test_dangerous_queries_are_refused_with_a_hint(cypher: str, says: str) -> None:
    with pytest.raises(QueryRefused) as caught:
        check_cypher(cypher)
    message = str(caught.value)
    assert says in message and "nothing was sent" in message
    assert "\n" not in message and caught.value.hint


def test_range_bounds_may_come_from_parameters() -> None:
    check_cypher("UNWIND range(1, $n) AS x RETURN x", {"n": 1000})
    with pytest.raises(QueryRefused, match="range"):
        check_cypher("UNWIND range(1, $n) AS x RETURN x", {"n": 10**11})
    with pytest.raises(QueryRefused, match="not plain integers"):
        check_cypher("UNWIND range(1, $n) AS x RETURN x", {"n": "1000"})


def test_the_size_limit_leaves_parameters_apart() -> None:
    check_cypher("RETURN size($text) AS n", {"text": "x" * (4 * MAX_TEXT_BYTES)})


def test_a_refused_query_is_never_sent_and_the_engine_answers_after(graph: GraphStore) -> None:
    with pytest.raises(QueryRefused):
        run_cypher(graph, "UNWIND range(1, 100000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n")
    with pytest.raises(QueryRefused):
        run_cypher(graph, nested(24))
    assert run_cypher(graph, "UNWIND range(1, $n) AS x RETURN count(x) AS n", {"n": 1000}).rows == [{"n": 1000}]
