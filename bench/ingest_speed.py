"""Benchmark: `actorgraph ingest` over the whole BBC corpus against raw `nlp.pipe` over the same texts.

Run from the repository root: python bench/ingest_speed.py [--workers 1] [--batch-size 50] [--limit N]

1. The real CLI in a subprocess, `actorgraph ingest ../shared/corpus/bbc --quiet`, into a fresh embedded
   engine in its own temp ACTORGRAPH_HOME (stopped after), start-up and model loading included. The peak RSS
   of the whole process tree (the CLI, its extraction workers, and the engine server) is sampled with psutil.
2. In this process, raw `nlp.pipe` (same model, batch size and number of processes) over the same texts, read
   beforehand (reading is not timed here, so the ratio is conservative).

Prints documents/s, words/s, the ratio ingest / nlp.pipe (target >= 0.7) and the peak RSS (target <= 1.5 GB).
The machine is shared, so absolute figures are noisy: the ratio is measured side by side in one run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT / ".." / "shared" / "corpus" / "bbc"
MB = 1024 * 1024


class TreeRSS:
    """Peak summed RSS of a process tree plus extra pids (the engine server is not our child), sampled."""

    def __init__(self, pid: int, extra: list[int], every: float = 0.2) -> None:
        self.peak_total = 0
        self.peak_by_name: dict[str, int] = {}
        self._root, self._extra, self._every = psutil.Process(pid), extra, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _processes(self) -> list[psutil.Process]:
        procs = [self._root]
        with contextlib.suppress(psutil.Error):
            procs += self._root.children(recursive=True)
        return procs + [psutil.Process(p) for p in self._extra if psutil.pid_exists(p)]

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for proc in self._processes():
                try:
                    rss = proc.memory_info().rss
                    name = proc.name()
                except psutil.Error:
                    continue
                total += rss
                self.peak_by_name[name] = max(self.peak_by_name.get(name, 0), rss)
            self.peak_total = max(self.peak_total, total)
            self._stop.wait(self._every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument(
        "--limit", type=int, default=0, help="only the first N files (sorted), for a quick run"
    )
    args = parser.parse_args()

    from actorgraph.extract.nlp import load_model
    from actorgraph.extract.reader import read_documents
    from actorgraph.graph.embedded import EmbeddedEngine

    files = sorted(str(p) for p in BBC.glob("*/*.txt"))
    if args.limit:
        files = files[: args.limit]
    texts = [d.text for d in read_documents(files)]
    words = sum(len(t.split()) for t in texts)
    print(
        f"{len(files):,} files, {len(texts):,} distinct texts, {words:,} words; workers {args.workers}, "
        f"batch {args.batch_size}"
    )

    with tempfile.TemporaryDirectory(prefix="ag-ingest-bench-") as home:
        engine = EmbeddedEngine(Path(home))
        engine.start()
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
            env["ACTORGRAPH_HOME"] = home
            command = [
                sys.executable,
                "-m",
                "actorgraph",
                "ingest",
                "--quiet",
                "--json",
                "--workers",
                str(args.workers),
                "--batch-size",
                str(args.batch_size),
                *files,
            ]
            began = time.perf_counter()
            proc = subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            rss = TreeRSS(proc.pid, [engine.pid() or 0])
            out, err = proc.communicate()
            ingest_s = time.perf_counter() - began
            rss.stop()
            if proc.returncode not in (0, 1):
                raise SystemExit(f"ingest failed ({proc.returncode}): {err[-2000:]}")
            print(f"ingest summary: {out.strip()}")
            if err.strip():
                print(f"ingest stderr (last lines): {err.strip().splitlines()[-3:]}")
        finally:
            engine.stop()

    nlp = load_model()
    list(nlp.pipe(texts[:20]))  # warm-up
    began = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.workers):
        pass
    pipe_s = time.perf_counter() - began

    n = len(texts)
    print(f"{'':<14} {'seconds':>8} {'docs/s':>8} {'words/s':>9}")
    print(f"{'ingest (CLI)':<14} {ingest_s:>8.1f} {n / ingest_s:>8.1f} {words / ingest_s:>9,.0f}")
    print(f"{'nlp.pipe':<14} {pipe_s:>8.1f} {n / pipe_s:>8.1f} {words / pipe_s:>9,.0f}")
    print(f"ratio ingest / nlp.pipe: {pipe_s / ingest_s:.2f} (target >= 0.7)")
    parts = ", ".join(f"{name} {peak / MB:,.0f} MB" for name, peak in sorted(rss.peak_by_name.items()))
    print(f"peak RSS of the ingest process tree: {rss.peak_total / MB:,.0f} MB (target <= 1,536 MB); {parts}")


if __name__ == "__main__":
    main()
