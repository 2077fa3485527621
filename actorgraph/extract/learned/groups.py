"""Near-duplicate groups of documents (shared 8-word shingles) and a seeded, deterministic held-out split.

Cross-validation must keep one story told twice in one fold, or it measures memory, not reading: two documents
join a group when the 8-word shingles of their bodies (the text after the title line) overlap by at least
`threshold` of the smaller document's shingles; groups are the connected components of that relation.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence

SHINGLE_WORDS = 8
DUPLICATE_SHARE = 0.20
_WORD = re.compile(r"\w+")


def body(text: str) -> str:
    """The text without its first non-blank line (news titles are rewritten when a story is re-run)."""
    lines = text.strip().split("\n", 1)
    return lines[1] if len(lines) > 1 else lines[0]


def shingles(text: str, n: int = SHINGLE_WORDS) -> frozenset[str]:
    """Every run of `n` consecutive lower-case words of `text`."""
    words = _WORD.findall(text.casefold())
    return frozenset(" ".join(words[i:i + n]) for i in range(max(len(words) - n + 1, 0)))


def near_duplicate_groups(texts: Mapping[str, str], threshold: float = DUPLICATE_SHARE) -> list[list[str]]:
    """Groups of keys whose bodies share >= `threshold` of the smaller one's 8-word shingles; each group sorted,
    groups sorted by their first key; singletons included."""
    keys = sorted(texts)
    sh = {k: shingles(body(texts[k])) for k in keys}
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            small = min(len(sh[a]), len(sh[b]))
            if small and len(sh[a] & sh[b]) >= threshold * small:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    out: dict[str, list[str]] = {}
    for k in keys:
        out.setdefault(find(k), []).append(k)
    return sorted((sorted(g) for g in out.values()), key=lambda g: g[0])


def seeded_rank(key: str, seed: str) -> str:
    """A fixed pseudo-random order of keys: sha256 of `seed:key` (independent of PYTHONHASHSEED)."""
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def locked_groups(groups: Sequence[Sequence[str]], size: int, seed: str) -> list[str]:
    """Whole groups, taken in seeded-hash order of their first key, until `size` documents are held out
    (a group that would overshoot is passed over). Returns the held-out keys, sorted."""
    chosen: list[str] = []
    for group in sorted(groups, key=lambda g: seeded_rank(g[0], seed)):
        if len(chosen) + len(group) <= size:
            chosen.extend(group)
        if len(chosen) == size:
            break
    return sorted(chosen)
