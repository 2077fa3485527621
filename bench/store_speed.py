"""Benchmark: `write_rows` into the embedded engine at batch sizes 1, 100, 1,000 and 10,000.

Run: python bench/store_speed.py [--rows 200000] [--sample 2000]

All sizes run in one process against one fresh engine, so the ratios are comparable on a noisy shared machine.
Batch size 1 runs on a small sample (it is the slow path being compared against). Prints rows/s per batch size,
the ratio to batch size 1, and peak RSS of this process and of the server.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import psutil

from actorgraph.config import Settings
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore

MERGE_ROWS = "UNWIND $rows AS row MERGE (a:Actor {id: row.id}) SET a.name = row.name, a.n = row.n"


def rows(prefix: str, count: int) -> list[dict[str, object]]:
    return [{"id": f"{prefix}-{i:07d}", "name": f"Actor {i} of {prefix}", "n": i} for i in range(count)]


def timed_write(store: GraphStore, prefix: str, count: int, batch: int) -> float:
    data = rows(prefix, count)
    began = time.perf_counter()
    written = store.write_rows(MERGE_ROWS, data, batch_size=batch)
    elapsed = time.perf_counter() - began
    assert written == count
    assert store.read("MATCH (a:Actor) WHERE a.id STARTS WITH $p RETURN count(a) AS n", p=prefix + "-")[0]["n"] == count
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=2_000, help="rows for batch size 1")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ag-bench-") as tmp, EmbeddedEngine(Path(tmp)) as engine:
        with GraphStore.connect(Settings(home=engine.home, graph="bench")) as store:
            store.ensure_schema(["Actor"])
            timed_write(store, "warmup", 5_000, 1_000)
            results: dict[int, float] = {}
            for batch in (1, 100, 1_000, 10_000):
                count = args.sample if batch == 1 else args.rows
                results[batch] = timed_write(store, f"b{batch}", count, batch)
            server_rss = psutil.Process(engine.pid()).memory_info().rss if engine.pid() else 0
        base = results[1]
        print("write_rows into the embedded engine (UNWIND ... MERGE on a unique id, AOF everysec, unix socket)")
        print(f"{'batch':>7} {'rows':>8} {'rows/s':>10} {'x batch 1':>10}")
        for batch, rate in results.items():
            count = args.sample if batch == 1 else args.rows
            print(f"{batch:>7,} {count:>8,} {rate:>10,.0f} {rate / base:>10.1f}")
        best = max(results, key=lambda b: results[b])
        print(f"best: batch {best:,} at {results[best]:,.0f} rows/s (target >= 50,000)")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: this process {peak_mb:,.0f} MB, server {server_rss / 2**20:,.0f} MB")


if __name__ == "__main__":
    main()
