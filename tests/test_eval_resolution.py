"""The resolution measure (bench/eval_resolution.py) on a tiny hand-made gold whose figures are worked out by hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
import eval_resolution as er

# Three documents; real actors X, Y, Z; nodes N1, N2 and a row with no node (a singleton).
# N1 joins X and Y across d1/d2 (a false merge), X is also split off in d3, and a/g, c/e share a document.
ROWS = [
    er.Row("d1#a", "d1", "X", "N1"),
    er.Row("d1#b", "d1", "Y", "N2"),
    er.Row("d1#g", "d1", "Z", "N1"),
    er.Row("d2#c", "d2", "X", "N1"),
    er.Row("d2#e", "d2", "Y", "N1"),
    er.Row("d3#f", "d3", "X", "singleton:d3#f"),
]


def test_pairwise_counts_cross_document_pairs_only() -> None:
    """Same-node pairs: (a,c) (a,e) (g,c) (g,e) -- not (a,g) nor (c,e), same document; same-actor: (a,c) (a,f)
    (c,f) (b,e); right: (a,c) alone."""
    m = er.pairwise(ROWS)
    assert (m["tp"], m["pred"], m["gold"]) == (1, 4, 4)
    assert m["p"] == pytest.approx(0.25) and m["r"] == pytest.approx(0.25) and m["f1"] == pytest.approx(0.25)


def test_pairwise_of_a_perfect_and_of_an_all_singleton_answer() -> None:
    perfect = [er.Row(r.key, r.doc, r.gold, r.gold) for r in ROWS]
    assert er.pairwise(perfect)["p"] == 1.0 and er.pairwise(perfect)["r"] == 1.0
    alone = [er.Row(r.key, r.doc, r.gold, f"singleton:{r.key}") for r in ROWS]
    m = er.pairwise(alone)
    assert (m["tp"], m["pred"], m["gold"], m["r"]) == (0, 0, 4, 0.0)  # singletons stay in the recall's denominator


def test_b_cubed_by_hand() -> None:
    """Per row (itself plus other documents' rows), in the order a b g c e f: P = 2/3, 1, 1/3, 2/3, 1/3, 1 and
    R = 2/3, 1/2, 1, 2/3, 1/2, 1/3."""
    m = er.b_cubed(ROWS)
    assert m["p"] == pytest.approx(4 / 6)
    assert m["r"] == pytest.approx(11 / 18)


def test_macro_recall_over_actors_in_two_or_more_documents() -> None:
    """X (3 documents) recalls 1 of 3 pairs, Y (2) none; Z (1 document) is not counted."""
    value, n = er.macro_recall(ROWS)
    assert n == 2 and value == pytest.approx((1 / 3 + 0) / 2)


def test_worst_splits_and_merges() -> None:
    names = {"N1": "Node one", "N2": "Node two"}
    splits = er.worst_splits(ROWS, names, 5)
    assert [(n, actor.split()[0]) for n, actor, _ in splits] == [(2, "X"), (1, "Y")]
    assert "(no node) x1" in splits[0][2]
    merges = er.worst_merges(ROWS, names, 5)
    assert [(n, node) for n, node, _ in merges] == [(3, "Node one [N1]")]
    assert merges[0][2] == "X x2, Y x1, Z x1"


def test_a_row_maps_to_the_node_sharing_most_forms() -> None:
    nodes = {
        "org:a": ({"labour", "labour party"}, "ORG", 2),
        "org:b": ({"labour"}, "ORG", 9),
        "person:c": ({"labour party", "labour"}, "PERSON", 50),
    }
    assert er.best_node({"labour party", "labour"}, "ORG", nodes) == "org:a"  # two shared, and the gold type
    assert er.best_node({"labour"}, "ORG", nodes) == "org:b"  # one shared each: the type, then most mentions
    assert er.best_node({"tories"}, "ORG", nodes) is None  # no node: the row is a singleton


def test_map_rows_keeps_every_row(tmp_path: Path) -> None:
    """A row whose document holds no node sharing its forms becomes a singleton of its own."""

    class Scorer:
        @staticmethod
        def surface_forms(entity: dict[str, object]) -> set[str]:
            return {str(entity["name"]).casefold()}

    doc = tmp_path / "d.txt"
    gold = [er.GoldRow("d.txt#1", "d.txt", {"name": "Acme", "type": "ORG"}, "org:acme", "Acme"),
            er.GoldRow("d.txt#2", "d.txt", {"name": "Zed", "type": "ORG"}, "org:zed", "Zed")]
    per_source = {str(doc.resolve()): {"org:1": ({"acme"}, "ORG", 1)}}
    rows = er.map_rows(gold, tmp_path, per_source, Scorer)  # type: ignore[arg-type]
    assert [r.pred for r in rows] == ["org:1", "singleton:d.txt#2"]
