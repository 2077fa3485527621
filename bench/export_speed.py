"""Benchmark: `actorgraph export rdf -f nt` on the query benchmark's synthetic graph, against one rdflib
Graph.

Run: python bench/export_speed.py [--claims 1000000] [--actors 100000] [--sample 50000] [--home DIR]

The graph is bench/query_speed.py's (Zipf-skewed hubs, documents, mentions, claims with evidence), built with
its `build()` into a fresh temp engine, or reused from `--home DIR` when it already holds one of that size.
In one run:

1. the CLI itself (`python -m actorgraph export rdf -f nt -o /dev/null`) exports a tenth of the graph, then
   the whole graph, each in a child process: triples/s, and peak RSS from the child's own rusage (flat: the
   two about equal);
2. one rdflib Graph is built from a `--sample`-claim prefix of the same triples and serialised as N-Triples
   (the way that does not stream), in a child process: triples/s and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from query_speed import build

from actorgraph.config import Settings
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ingest.writer import count_claims


def ensure_graph(home: Path, graph: str, actors: int, claims: int) -> int:
    """Build the query benchmark's graph in `graph` unless it is already there; returns its claims."""
    with GraphStore.connect(Settings(home=home, graph=graph)) as store:
        have = count_claims(store)
        if not have or store.read("MATCH (a:Actor) RETURN count(a) AS n")[0]["n"] != actors:
            began = time.perf_counter()
            build(store, actors, claims)
            have = count_claims(store)
            print(f"built {graph}: {have:,} claims in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        return int(have)


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a child process; its wall time, its own peak RSS (MB, from wait4) and its stderr."""
    began = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - began
    stdout, stderr = child.stdout.read() if child.stdout else "", child.stderr.read() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, stdout + stderr


def cli_export(home: Path, graph: str) -> dict[str, Any]:
    """The CLI code path: `actorgraph export rdf -f nt -o /dev/null` in a child process."""
    env = {**os.environ, "ACTORGRAPH_HOME": str(home), "ACTORGRAPH_GRAPH": graph}
    command = [sys.executable, "-m", "actorgraph", "export", "rdf", "-f", "nt", "-o", os.devnull]
    seconds, rss, output = run_child(command, env)
    found = re.search(r"([\d,]+) triples, ([\d,]+) actors, ([\d,]+) claims", output)
    if not found:
        raise SystemExit(f"no summary in the export's output:\n{output[-2000:]}")
    triples, claims = int(found[1].replace(",", "")), int(found[3].replace(",", ""))
    return {"triples": triples, "claims": claims, "seconds": seconds, "rss_mb": rss}


def full_graph(home: Path, graph: str, sample: int) -> dict[str, Any]:
    """One rdflib Graph of the first `sample` claims' triples, serialised as N-Triples, in a child process."""
    env = {**os.environ, "ACTORGRAPH_HOME": str(home), "ACTORGRAPH_GRAPH": graph}
    command = [sys.executable, __file__, "--child-full", str(home), graph, str(sample)]
    seconds, rss, output = run_child(command, env)
    result = json.loads(output.strip().splitlines()[-1])
    return {**result, "seconds": seconds, "rss_mb": rss}


def child_full(home: str, graph: str, sample: int) -> None:
    from actorgraph.export.rdf import ExportStats, to_graph, triple_batches

    stats = ExportStats()
    with GraphStore.connect(Settings(home=Path(home), graph=graph)) as store:
        g = to_graph(triple_batches(store, stats=stats, claim_limit=sample))
        data = g.serialize(format="nt", encoding="utf-8")
    print(json.dumps({"triples": len(g), "claims": stats.claims, "bytes": len(data)}))


def line(label: str, r: dict[str, Any]) -> str:
    rate = r["triples"] / r["seconds"]
    return (
        f"{label:<40} {r['claims']:>10,} claims {r['triples']:>12,} triples {r['seconds']:>7.1f} s "
        f"{rate:>10,.0f} triples/s  peak RSS {r['rss_mb']:>6,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=50_000, help="claims in the full rdflib Graph")
    parser.add_argument("--home", type=Path, help="engine data dir to use (and reuse) instead of a temp dir")
    parser.add_argument("--child-full", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_full:
        child_full(args.child_full[0], args.child_full[1], int(args.child_full[2]))
        return

    with tempfile.TemporaryDirectory(prefix="ag-export-bench-") as tmp:
        home = args.home or Path(tmp)
        with EmbeddedEngine(home) as engine:
            ensure_graph(engine.home, "bench_tenth", args.actors // 10, args.claims // 10)
            ensure_graph(engine.home, "bench", args.actors, args.claims)
            cli_export(engine.home, "bench_tenth")  # warm-up: imports and the engine's caches
            small = cli_export(engine.home, "bench_tenth")
            big = cli_export(engine.home, "bench")
            full = full_graph(engine.home, "bench", args.sample)
    print("N-Triples export from the embedded engine (2 shared cores; each run in its own process)")
    print(line("streamed (CLI), a tenth of the graph", small))
    print(line("streamed (CLI), the whole graph", big))
    print(line("one rdflib Graph, serialised", full))
    speedup = big["triples"] * full["seconds"] / (full["triples"] * big["seconds"])
    print(
        f"streamed vs one Graph {speedup:.1f}x; "
        f"peak RSS whole/tenth {big['rss_mb'] / small['rss_mb']:.2f} (flat = about 1); "
        f"targets: >= 200,000 triples/s, <= 300 MB"
    )


if __name__ == "__main__":
    main()
