"""Measurement: cross-document resolution on the 2,225 BBC articles (../shared/corpus/bbc/).

Run: python bench/resolve_bbc.py [--cache bbc.jsonl] [--workers 1] [--sample 30] [--seed 5]

Extracts the corpus (or reads `--cache`, written on the first run, so resolution can be re-measured without
parsing again), ingests it into a fresh embedded graph in a temp dir WITHOUT resolution, then runs `resolve`
twice. Prints actor nodes before and after, the number of merges by rule and type, the biggest clusters, and a
random sample (fixed seed) of merges to check by hand; the second run shows that resolving again changes
nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from actorgraph.config import Settings
from actorgraph.extract.pipeline import extract_paths
from actorgraph.extract.reader import expand_paths
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ingest.ingest import ingest_paths
from actorgraph.resolve import resolve

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "bbc"
ACTOR_TYPES = "MATCH (a:Actor) RETURN a.type AS type, count(a) AS n ORDER BY type"


def write_extractions(cache: Path, workers: int) -> None:
    """Extract every article once into `cache` (the `extract` JSON Lines contract, texts included)."""
    files = [f for f in expand_paths([str(CORPUS.resolve())]) if f.endswith(".txt") and "README" not in f]
    began, n = time.perf_counter(), 0
    with cache.open("w", encoding="utf-8") as out:
        skipped = lambda p, r: print(f"skipped {p}: {r}")  # noqa: E731
        for extraction in extract_paths(files, workers=workers, on_skip=skipped):
            out.write(json.dumps(extraction.to_json(), ensure_ascii=False) + "\n")
            n += 1
    print(f"extracted {n:,} documents in {time.perf_counter() - began:.0f} s -> {cache}")


def by_type(store: GraphStore) -> dict[str, int]:
    return {r["type"]: r["n"] for r in store.read(ACTOR_TYPES)}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cache", type=Path, help="extractions JSONL: read if it exists, else written")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="agr-") as tmp:
        cache = args.cache or Path(tmp) / "bbc.jsonl"
        if not cache.exists():
            write_extractions(cache, args.workers)
        with EmbeddedEngine(Path(tmp) / "g") as engine, GraphStore.connect(
            Settings(home=engine.home, graph="bbc")
        ) as store:
            began = time.perf_counter()
            ingested = ingest_paths(store, [str(cache)], from_jsonl=True)
            print(f"ingested {ingested.ingested:,} documents ({ingested.duplicates:,} duplicate texts) "
                  f"in {time.perf_counter() - began:.0f} s")
            before = by_type(store)
            began = time.perf_counter()
            report = resolve(store)
            first = time.perf_counter() - began
            after = by_type(store)
            began = time.perf_counter()
            again = resolve(store)
            second = time.perf_counter() - began

    print(f"\nactor nodes before resolve: {sum(before.values()):,}  {before}")
    print(f"actor nodes after resolve:  {sum(after.values()):,}  {after}")
    print(f"merges (document-level ids folded into another actor): {report.merged_atoms:,}; "
          f"{report.edges_moved:,} edges moved; resolve took {first:.1f} s")
    print(f"second resolve: {len(again.merged_now)} merged, {len(again.split_now)} set apart, "
          f"{again.edges_moved} edges moved, {second:.1f} s")
    kinds = Counter((m.merged.split(":")[0], m.rule) for m in report.merges)
    print("\nmerges by type and rule:")
    for (kind, rule), n in sorted(kinds.items(), key=lambda x: -x[1]):
        print(f"  {kind:7} {rule:18} {n:6,}")
    clusters: dict[str, list[str]] = defaultdict(list)
    for m in report.merges:
        clusters[m.target_name].append(m.merged_name)
    print("\nbiggest clusters:")
    for name, members in sorted(clusters.items(), key=lambda x: (-len(x[1]), x[0]))[:10]:
        print(f"  {name} <- {len(members)}: {', '.join(sorted(members)[:8])}")
    sample = random.Random(args.seed).sample(report.merges, min(args.sample, len(report.merges)))
    print(f"\nrandom sample of {len(sample)} merges (seed {args.seed}), to check by hand:")
    for i, m in enumerate(sorted(sample, key=lambda m: (m.merged.split(':')[0], m.target_name)), 1):
        print(f"  {i:2}. {m.merged.split(':')[0]:6} {m.merged_name!r} -> {m.target_name!r}  [{m.rule}]")


if __name__ == "__main__":
    main()
