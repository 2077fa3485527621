"""Shared fixtures: the real spaCy model and a real embedded FalkorDB, each started once per session."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "actorgraph", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60
)
settings.load_profile("actorgraph")


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The real spaCy pipeline, loaded through the same path users get."""
    from actorgraph.ingest.nlp import load_model

    return load_model()
