"""Load the hand-written extraction fixtures (tests/fixtures/*.jsonl) into a graph, as `ingest --from-jsonl` does."""

from __future__ import annotations

from pathlib import Path

from actorgraph.graph.store import GraphStore
from actorgraph.ingest.ingest import ingest_extractions, read_extractions
from actorgraph.resolve import resolve

FIXTURES = Path(__file__).parent / "fixtures"


def ingest_fixture(store: GraphStore, name: str = "rdf_graph.jsonl") -> None:
    """Ingest one fixture file; it must read without a single problem."""
    problems: list[str] = []
    found = list(read_extractions([str(FIXTURES / name)], on_skip=lambda p, r: problems.append(r)))
    assert not problems
    ingest_extractions(store, found, resolver=resolve)
