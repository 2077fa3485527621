"""Extraction speed: raw `nlp.pipe` against the full extractor, then `--workers 2` against `--workers 1`.

Run from the repository root:  python bench/extract_speed.py [--n 500] [--batch-size 50]

1. In this process: raw `nlp.pipe` over the first N articles of ../shared/corpus/bbc (sorted paths), then
   `extract_docs` over the same texts with the same model and batch size, with the relation model that runs by
   default (target: >= 0.75x raw) and with the hand rules alone; the three alternate for --repeat rounds and the
   best of each counts.
2. The real CLI in a subprocess, `actorgraph extract PATHS --workers 1` and `--workers 2`, end to end
   (start-up and model loading included; target: >= 1.4x), with the peak RSS and CPU time of every process
   of the tree sampled by psutil (target: <= 1 GB per process). The load average is printed beside each run.
The machine is shared, so absolute figures are noisy: compare the ratios, measured side by side in one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
MB = 1024 * 1024


def article_paths(corpus: Path, n: int) -> list[str]:
    """The first `n` articles of the corpus, by sorted path (README files are not articles)."""
    return sorted(str(p) for p in corpus.glob("*/*.txt"))[:n]


def timed(label: str, words: int, run: Callable[[], None]) -> float:
    """Run once; print and return words per second."""
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(f"{label:<30} {seconds:7.1f} s  {words / seconds:8,.0f} words/s")
    return words / seconds


class TreeSampler:
    """Peak RSS and CPU seconds of each process in a subprocess tree (the process and every descendant).

    Sampled every `every` seconds, because forkserver workers are grandchildren that getrusage never sees.
    """

    def __init__(self, pid: int, every: float = 0.1) -> None:
        self.rss: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._root = psutil.Process(pid)
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self._root, *self._root.children(recursive=True)]
            except psutil.Error:
                return
            for proc in procs:
                try:
                    with proc.oneshot():
                        rss, times = proc.memory_info().rss, proc.cpu_times()
                except psutil.Error:
                    continue
                self.rss[proc.pid] = max(rss, self.rss.get(proc.pid, 0))
                self.cpu[proc.pid] = times.user + times.system
            self._stop.wait(self._every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def load() -> str:
    return open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"


def cli_run(paths: list[str], workers: int, batch_size: int, words: int) -> tuple[float, float, int]:
    """`actorgraph extract` end to end in a subprocess.

    Returns (words/s, busiest process's CPU seconds, largest per-process peak RSS in bytes). With a free core
    per process the run would take about as long as its busiest process computes, so the CPU figure gives a
    speed-up estimate that other users of the machine do not distort.
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        cmd = [sys.executable, "-m", "actorgraph", "extract", *paths, "-q", "-o", str(out)]
        cmd += ["--workers", str(workers), "--batch-size", str(batch_size)]
        before = load()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        sampler = TreeSampler(proc.pid)
        _, stderr = proc.communicate()
        seconds = time.perf_counter() - start
        sampler.stop()
        lines = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"extract --workers {workers} failed ({proc.returncode}):\n{stderr}")
    biggest, busiest = max(sampler.rss.values()), max(sampler.cpu.values())
    print(
        f"cli --workers {workers:<16} {seconds:7.1f} s  {words / seconds:8,.0f} words/s  {lines} docs; "
        f"CPU {sum(sampler.cpu.values()):.1f} s in {len(sampler.cpu)} processes (busiest {busiest:.1f} s); "
        f"peak RSS {biggest / MB:,.0f} MB per process (max); load {before} -> {load()}"
    )
    return words / seconds, busiest, biggest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "bbc")
    ap.add_argument("--n", type=int, default=500, help="articles (first N by sorted path)")
    ap.add_argument("--batch-size", type=int, default=50)
    ap.add_argument("--model", default=None)
    ap.add_argument("--repeat", type=int, default=2, help="interleaved rounds of raw/extract (best kept)")
    ap.add_argument("--skip-workers", action="store_true", help="only the in-process comparison")
    ap.add_argument("--relation-model", default="default", help="the relation model timed (default: the shipped one)")
    args = ap.parse_args()

    from actorgraph.extract.extractor import extract_docs
    from actorgraph.extract.learned.load import load_relation_model
    from actorgraph.extract.nlp import load_model
    from actorgraph.extract.reader import read_documents

    paths = article_paths(args.corpus, args.n)
    if not paths:
        raise SystemExit(f"no articles under {args.corpus}")
    docs = list(read_documents(paths, on_skip=lambda p, r: None, on_warn=lambda p, m: None))
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(docs)} articles ({len(paths)} files), {words:,} words, batch size {args.batch_size}")

    nlp = load_model(args.model)
    for _ in nlp.pipe(texts[:20], batch_size=args.batch_size):  # warm-up
        pass
    learned = load_relation_model(args.relation_model)
    list(extract_docs(docs[:20], nlp, batch_size=args.batch_size, relation_model=learned))

    def rules() -> None:
        for _ in extract_docs(docs, nlp, batch_size=args.batch_size):
            pass

    def raw() -> None:
        for _ in nlp.pipe(texts, batch_size=args.batch_size):
            pass

    def full() -> None:
        for _ in extract_docs(docs, nlp, batch_size=args.batch_size, relation_model=learned):
            pass

    raw_wps = full_wps = rules_wps = 0.0
    for round_ in range(1, args.repeat + 1):  # interleaved, best of each: load from others hits all alike
        raw_wps = max(raw_wps, timed(f"raw nlp.pipe (round {round_})", words, raw))
        full_wps = max(full_wps, timed(f"extract_docs, {learned.version} (round {round_})", words, full))
        rules_wps = max(rules_wps, timed(f"extract_docs, hand rules alone (round {round_})", words, rules))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    verdict = "ok" if full_wps >= 0.75 * raw_wps else "BELOW TARGET"
    print(f"extract with the model / raw: {full_wps / raw_wps:.2f}x (target >= 0.75: {verdict}); "
          f"hand rules alone / raw: {rules_wps / raw_wps:.2f}x; peak RSS {peak / MB:,.0f} MB")
    if args.skip_workers:
        return

    one, cpu1, rss1 = cli_run(paths, 1, args.batch_size, words)
    two, cpu2, rss2 = cli_run(paths, 2, args.batch_size, words)
    verdict = "ok" if two >= 1.4 * one else "BELOW TARGET"
    print(f"workers 2 / 1: {two / one:.2f}x wall clock (target >= 1.4: {verdict}; {os.cpu_count()} CPUs shared)")
    print(f"workers 2 / 1: {cpu1 / cpu2:.2f}x estimated with a free core per process (busiest process CPU)")
    worst = max(peak, rss1, rss2)
    print(f"peak RSS per process: {worst / MB:,.0f} MB (target <= 1024: {'ok' if worst <= 1024 * MB else 'OVER'})")


if __name__ == "__main__":
    main()
