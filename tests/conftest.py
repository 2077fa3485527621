"""Shared fixtures: the real spaCy model and a real embedded FalkorDB, each started once per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from actorgraph.config import Settings
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore

settings.register_profile(
    "actorgraph", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60
)
settings.load_profile("actorgraph")


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The real spaCy pipeline, loaded through the same path users get."""
    from actorgraph.extract.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedEngine]:
    """A real embedded FalkorDB in a temp dir, started once and stopped at the end of the session."""
    with EmbeddedEngine(tmp_path_factory.mktemp("graph")) as eng:
        yield eng


@pytest.fixture(scope="session")
def falkor_store(engine: EmbeddedEngine) -> Iterator[GraphStore]:
    """A store on the session's embedded engine, with the schema in place."""
    with GraphStore.connect(Settings(home=engine.home, graph="test")) as store:
        store.ensure_schema()
        yield store


@pytest.fixture(scope="session", params=["falkordb", "neo4j"])
def any_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """Each backend in turn: the embedded engine always, Neo4j when NEO4J_URI is set (else skipped, with why)."""
    if request.param == "falkordb":
        yield request.getfixturevalue("falkor_store")
        return
    settings = Settings.from_env()
    if not settings.neo4j_uri:
        pytest.skip("NEO4J_URI is not set: the Neo4j contract tests need a Neo4j server (none installable here)")
    with GraphStore.connect(settings) as store:
        store.ensure_schema()
        yield store


@pytest.fixture
def store(any_store: GraphStore) -> Iterator[GraphStore]:
    """An empty graph for each test, on each backend."""
    any_store.clear()
    yield any_store
    any_store.clear()


@pytest.fixture
def graph(falkor_store: GraphStore) -> Iterator[GraphStore]:
    """An empty embedded graph for each test (embedded-only tests)."""
    falkor_store.clear()
    yield falkor_store
    falkor_store.clear()


@pytest.fixture
def named_graphs(engine: EmbeddedEngine) -> Iterator[Callable[..., dict[str, GraphStore]]]:
    """Open empty embedded graphs by name on the session engine (for tests that compare two graphs)."""
    opened: list[GraphStore] = []

    def open_graphs(*names: str) -> dict[str, GraphStore]:
        stores = {name: GraphStore.connect(Settings(home=engine.home, graph=name)) for name in names}
        for store in stores.values():
            store.clear()
            opened.append(store)
        return stores

    yield open_graphs
    for store in opened:
        store.clear()
        store.close()
