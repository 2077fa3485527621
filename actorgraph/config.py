"""Settings, read from the environment once; CLI options override them.

| variable            | meaning                                                     | default                  |
|---------------------|-------------------------------------------------------------|--------------------------|
| ACTORGRAPH_HOME     | data dir of the embedded engine (graph, password, log)      | platform user data dir   |
| ACTORGRAPH_GRAPH    | name of the embedded graph (its FalkorDB key)               | actorgraph               |
| ACTORGRAPH_EQUIVALENCES | informal-name equivalences for resolve (docs/resolution.md) | the shipped list     |
| NEO4J_URI           | use Neo4j at this URI instead of the embedded engine         | unset                    |
| NEO4J_USERNAME      | Neo4j user                                                  | neo4j                    |
| NEO4J_PASSWORD      | Neo4j password                                              | unset                    |
| NEO4J_DATABASE      | Neo4j database                                              | the server's default     |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

DEFAULT_GRAPH = "actorgraph"


def default_home() -> Path:
    """The platform's user data dir for actorgraph (e.g. ~/.local/share/actorgraph on Linux)."""
    return Path(platformdirs.user_data_dir("actorgraph", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Where the graph lives and how to reach it; `neo4j_uri` set means the Neo4j backend."""

    home: Path
    graph: str = DEFAULT_GRAPH
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from the environment (once, at start-up)."""
        env = os.environ if env is None else env
        home = env.get("ACTORGRAPH_HOME")
        return cls(
            home=Path(home).expanduser() if home else default_home(),
            graph=env.get("ACTORGRAPH_GRAPH") or DEFAULT_GRAPH,
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USERNAME") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE") or None,
        )

    def override(self, **changes: object) -> Settings:
        """A copy with the non-None `changes` applied (CLI options over the environment)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]
