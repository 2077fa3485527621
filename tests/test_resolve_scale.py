"""The scale benchmark's generator and the plan on its output, small: variants and typos join their actor,
the blocks it promises exist, and the plan counts the pairs it scored (timing is the benchmark's job)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
import resolve_scale as rs

from actorgraph.resolve.plan import plan

NAMES = {
    "PERSON": ["Orla Bray", "Dara Quell", "Emrys Quell", "Ilsa Varn", "Peder Olm", "Brenna Halden", "Osric Tamsworth"],
    "ORG": ["Northern Farmers Union", "Marrowby Capital", "Tarn Mining", "Orrin Charitable Trust", "Vell Party"],
    "GPE": ["Harrowgate", "Vesk", "Ostland"],
}


def test_the_generator_makes_shared_blocks_and_the_plan_scores_pairs() -> None:
    atoms = rs.synthetic_atoms(NAMES, 600, random.Random(3))
    assert len(atoms) >= 600
    sizes = rs.block_sizes(atoms)
    assert sum(c for s, c in sizes.items() if s >= rs.BIG_BLOCK) >= 0.2 * len(atoms)
    result = plan(atoms, [], {})
    assert result.scored_pairs > 0
    assert result.target == plan(atoms, [], {}).target  # a pure function of its input
    rules = set(result.rule.values())
    assert {"fuzzy", "same-name"} <= rules  # typos and "Mr Bray" = "Bray" joined
    assert rs.typo("Osric Tamsworth", random.Random(1)) != "Osric Tamsworth"


def test_variants_are_what_a_news_corpus_writes() -> None:
    rng = random.Random(0)
    person = set(rs.variants("PERSON", "Orla Bray", rng))
    assert person and person <= {"Bray", "O Bray", "Mr Bray", "Mrs Bray", "Dr Bray", "Sir Bray"}
    assert rs.variants("ORG", "Northern Farmers Union", rng) == ["NFU"]
    assert rs.variants("GPE", "Vesk", rng) == []
