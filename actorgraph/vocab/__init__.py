"""The closed vocabulary: the only words ever spliced into Cypher (labels and relationship types).

Defined here once, as Python; `ag.ttl` and `shapes.ttl` describe the same predicates and types for RDF, and
tests/test_vocab.py checks that they agree (the Turtle is not parsed at import: rdflib is slow to load).
"""

from __future__ import annotations

from typing import Final

from actorgraph.errors import ConfigError

#: Relation predicates of ../shared/docs/relations.md (v1), in table order.
PREDICATES: Final[tuple[str, ...]] = (
    "FUNDS",
    "ACCUSES",
    "ACCUSED_OF",
    "BANNED_BY",
    "WORKS_WITH",
    "MEMBER_OF",
    "LOBBIES_FOR",
    "SUPPORTS",
    "OPPOSES",
    "LOCATED_IN",
)
SYMMETRIC: Final[frozenset[str]] = frozenset({"WORKS_WITH"})
#: How far an accusation has gone, as an ACCUSED_OF or ACCUSES claim's `stage` says (docs/extract-format.md).
STAGES: Final[tuple[str, ...]] = ("alleged", "investigated", "charged", "convicted", "acquitted", "settled", "admitted")
#: The predicates whose claims carry a `stage`.
STAGED: Final[frozenset[str]] = frozenset({"ACCUSED_OF", "ACCUSES"})

#: Extraction entity types and the graph labels they become.
TYPE_LABEL: Final[dict[str, str]] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "CHARGE": "Charge",
}
ENTITY_TYPES: Final[tuple[str, ...]] = tuple(TYPE_LABEL)
#: The entity types that are actors (every type but the charges they may be accused of).
ACTOR_TYPES: Final[frozenset[str]] = frozenset(ENTITY_TYPES) - {"CHARGE"}
#: Labels of resolve's decisions as data (docs/resolution.md): merged-away ids and the decision log.
RESOLUTION_LABELS: Final[tuple[str, ...]] = ("Redirect", "Decision")
#: The label of a user's review of a claim, stored apart from the claim (docs/graph-model.md).
REVIEW_LABEL: Final = "Review"
#: Every node label we MERGE on (unique `id`).
NODE_LABELS: Final[tuple[str, ...]] = ("Actor", *TYPE_LABEL.values(), "Document", *RESOLUTION_LABELS, REVIEW_LABEL)
#: Relationship types that are not claims: an actor or charge named in a document (docs/graph-model.md).
INTERNAL_TYPES: Final[tuple[str, ...]] = ("MENTIONED_IN",)


class UnknownPredicate(ConfigError):
    """A predicate outside the closed set was about to reach Cypher."""


def rel_type(predicate: str) -> str:
    """Return a relationship type that is safe to splice into a query."""
    if predicate not in PREDICATES:
        raise UnknownPredicate(f"unknown predicate {predicate!r}", hint=f"use one of {', '.join(PREDICATES)}")
    return predicate


def node_label(label: str) -> str:
    """Return a node label that is safe to splice into a query."""
    if label not in NODE_LABELS:
        raise ConfigError(f"unknown label {label!r}", hint=f"use one of {', '.join(NODE_LABELS)}")
    return label
