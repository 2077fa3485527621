"""Cross-document resolution: which actor nodes are one real actor, and the user's merge / split / alias decisions.

`state` reads the atoms (document-level actor ids), nodes, redirects and decisions; `plan` clusters the atoms;
`apply` makes the graph match (`resolve`) and finishes a judgement a crash interrupted (`finish_pending`);
`decisions` records the user's judgements with the changes they make, then makes them.
"""

from actorgraph.resolve.apply import Merge, ResolveReport, ensure_resolution_schema, finish_pending, resolve
from actorgraph.resolve.decisions import MergeReport, add_alias, merge_actors, not_same, split_actor

__all__ = [
    "Merge",
    "MergeReport",
    "ResolveReport",
    "add_alias",
    "ensure_resolution_schema",
    "finish_pending",
    "merge_actors",
    "not_same",
    "resolve",
    "split_actor",
]
