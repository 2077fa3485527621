"""Write bench/locked.txt: 40 training documents held out from all tuning, chosen before any tuning.

Usage: python bench/make_locked.py [--shared ../shared] [--size 40] [--seed learned-locked-v1] [-o bench/locked.txt]

Documents are grouped by near-duplicate bodies (actorgraph.extract.learned.groups: shared 8-word shingles
>= 20 % of the smaller body), and whole groups are taken in the order of sha256("<seed>:<first path>") until
`size` documents are held out. Deterministic: the same gold file and seed give the same file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from actorgraph.extract.learned.groups import DUPLICATE_SHARE, SHINGLE_WORDS, locked_groups, near_duplicate_groups

ROOT = Path(__file__).resolve().parent.parent
SEED = "learned-locked-v1"


def gold_texts(gold: Path, root: Path) -> dict[str, str]:
    """doc path (as in the gold) -> its text."""
    out = {}
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc = json.loads(line)["doc"]
            out[doc] = (root / doc).read_text(encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--size", type=int, default=40)
    ap.add_argument("--seed", default=SEED)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "bench" / "locked.txt")
    args = ap.parse_args()
    texts = gold_texts(args.shared / "eval" / "train" / "gold.jsonl", args.shared)
    groups = near_duplicate_groups(texts)
    locked = locked_groups(groups, args.size, args.seed)
    multi = [g for g in groups if len(g) > 1]
    header = [
        f"# Training documents held out from all tuning ({len(locked)} of {len(texts)}): scored once, at the end.",
        "# Chosen by bench/make_locked.py before any tuning: near-duplicate groups (bodies sharing >= "
        f"{DUPLICATE_SHARE:.0%} of the smaller one's {SHINGLE_WORDS}-word shingles)",
        f"# taken whole, in the order of sha256('{args.seed}:<first path of the group>'), until {args.size} "
        "documents are held out.",
        "# Paths are relative to ../shared, as in eval/train/gold.jsonl.",
    ]
    args.output.write_text("\n".join([*header, *locked]) + "\n", encoding="utf-8")
    print(f"{len(groups)} groups, {len(multi)} with more than one document:")
    for g in multi:
        print("  " + "  ".join(g) + ("   [locked]" if g[0] in locked else ""))
    print(f"wrote {args.output} ({len(locked)} documents)")


if __name__ == "__main__":
    main()
