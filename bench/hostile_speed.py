"""Extraction time and peak memory on hostile text (table rows, a large HTML table page) beside normal news.

Run from the repository root:  python bench/hostile_speed.py [--sizes 3000,6000,12000] [--html-bytes 1700000]

Inputs: N lines of `| a | b |` (one table, no sentence end; N = --sizes), a generated HTML page of
--html-bytes (a <table> of short cells between a few paragraphs, read by trafilatura as `extract` reads it), and
--bbc articles of --corpus (../shared/corpus/bbc/politics). Each input runs in a subprocess of its own, through
the extractor (`actorgraph.extract.extractor.extract_docs`, as `actorgraph extract` runs it; model loading is
not timed), which prints its seconds and its peak RSS. Targets: the tables in <= 15 / 30 / 60 s for 3k / 6k /
12k rows, the page in <= 5 min, every process <= 1 GB. Side by side, each in a process of its own: the BBC
sample with the bounds on and off (the bounds must not slow normal text: target >= 0.95x), and the smallest
table with the bounds off (--unbounded-sizes), which is what extraction cost before (it grows with the square
of the rows). The machine is shared: compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
MB = 1024 * 1024
WORDS = ["alpha", "beta", "gamma", "delta", "total", "amount", "name", "donor", "party", "fund", "region", "year"]
TABLE_TARGETS = {3000: 15.0, 6000: 30.0, 12000: 60.0}
PAGE_TARGET = 300.0


def table_text(rows: int) -> str:
    """`rows` lines of `| a | b |`, as in the report: one table, no sentence end anywhere. Uniform rows are the
    worst case (the parser reads them as one sentence); with varied cells it splits them now and then."""
    return "| a | b |\n" * rows


def html_page(size: int, seed: int = 0) -> str:
    """An HTML page of about `size` bytes: a headline, a few paragraphs and a long table of short cells."""
    rnd = random.Random(seed)
    parts = [
        "<!doctype html><html><head><title>Register of donations</title></head><body><article>",
        "<h1>Register of donations</h1>",
        "<p>The Electoral Commission published the register on Monday. Northwind Holdings donated £5,000 to the "
        "Civic Voice Party, the register shows.</p>",
        "<p>Critics accused the party of hiding its donors. The party denied the claims.</p>",
        "<table><thead><tr><th>Donor</th><th>Amount</th><th>Region</th></tr></thead><tbody>",
    ]
    tail = "</tbody></table><p>Labour said the figures showed the scale of private funding.</p></article></body></html>"
    total = sum(map(len, parts)) + len(tail)
    while total < size:
        row = (
            f"<tr><td>{rnd.choice(WORDS)} {rnd.choice(WORDS)}</td><td>£{rnd.randint(1, 99)},{rnd.randint(100, 999)}"
            f"</td><td>{rnd.choice(WORDS)}</td></tr>\n"
        )
        parts.append(row)
        total += len(row)
    return "".join(parts) + tail


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def one(kind: str, arg: str, bounded: bool) -> dict[str, float]:
    """Child side: build the input, load the model, extract (timed); print figures as one JSON line."""
    from actorgraph.extract.bounds import DEFAULT_LIMITS, UNBOUNDED
    from actorgraph.extract.extractor import extract_docs
    from actorgraph.extract.model import Document
    from actorgraph.extract.nlp import load_model
    from actorgraph.extract.reader import read_documents

    limits = DEFAULT_LIMITS if bounded else UNBOUNDED
    nlp = load_model()
    list(extract_docs([Document(text="Warm-up: Acme Ltd funds the Civic Party.")], nlp))
    warnings: list[str] = []
    read = 0.0
    if kind == "table":
        docs = [Document(text=table_text(int(arg)), path=f"table-{arg}")]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            paths = [str(p) for p in sorted(Path(arg.split(":")[0]).glob("*.txt"))] if kind == "bbc" else []
            if kind == "html":
                page = Path(tmp) / "page.html"
                page.write_text(html_page(int(arg.split(":")[1])), encoding="utf-8")
                paths = [str(page)]
            start = time.perf_counter()
            docs = list(read_documents(paths, on_skip=lambda p, r: None, on_warn=lambda p, m: None))
            read = time.perf_counter() - start
        if kind == "bbc":
            docs = docs[: int(arg.split(":")[1])] if ":" in arg else docs
    rounds = 2 if kind == "bbc" else 1
    best = float("inf")
    relations = entities = 0
    for _ in range(rounds):
        start = time.perf_counter()
        out = list(extract_docs(docs, nlp, limits=limits, on_warn=lambda p, m: warnings.append(m)))
        best = min(best, time.perf_counter() - start)
        relations = sum(len(x.relations) for x in out)
        entities = sum(len(x.entities) for x in out)
    return {
        "seconds": best,
        "read": read,
        "chars": sum(len(d.text) for d in docs),
        "docs": len(docs),
        "entities": entities,
        "relations": relations,
        "rss": peak_rss(),
        "warnings": len(warnings),
    }


def run(kind: str, arg: str, bounded: bool = True) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--one", kind, arg] + ([] if bounded else ["--unbounded"])
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} {arg} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def show(label: str, r: dict[str, float], target: float | None = None) -> None:
    seconds = r["seconds"]
    verdict = "" if target is None else f"  target <= {target:.0f} s: {'ok' if seconds <= target else 'OVER'}"
    read = r["read"]
    reading = f" (+ {read:.1f} s reading)" if read else ""
    print(
        f"{label:<28} {r['chars']:>10,.0f} chars  {seconds:7.1f} s{reading}  peak RSS "
        f"{r['rss'] / MB:6,.0f} MB  {r['entities']:.0f} entities, {r['relations']:.0f} relations, "
        f"{r['warnings']:.0f} warnings{verdict}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="3000,6000,12000", help="table rows, comma-separated")
    ap.add_argument("--unbounded-sizes", default="3000", help="table rows to run with the bounds off too")
    ap.add_argument("--html-bytes", type=int, default=1_700_000)
    ap.add_argument("--bbc", type=int, default=50, help="normal articles (the first N by name)")
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "bbc" / "politics", help="of normal text")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "ARG"), help=argparse.SUPPRESS)
    ap.add_argument("--unbounded", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], not args.unbounded)))
        return

    worst = 0.0
    bbc = f"{args.corpus}:{args.bbc}"
    on, off = run("bbc", bbc), run("bbc", bbc, bounded=False)
    show(f"bbc politics x{on['docs']:.0f} bounded", on)
    show(f"bbc politics x{off['docs']:.0f} unbounded", off)
    ratio = off["seconds"] / on["seconds"]
    print(f"normal text, bounded / unbounded speed: {ratio:.2f}x (target >= 0.95: {'ok' if ratio >= 0.95 else 'LOW'})")
    worst = max(worst, on["rss"], off["rss"])
    sizes = [int(s) for s in args.sizes.split(",") if s]
    for rows in sizes:
        r = run("table", str(rows))
        show(f"table {rows:,} rows bounded", r, TABLE_TARGETS.get(rows))
        worst = max(worst, r["rss"])
        if str(rows) in args.unbounded_sizes.split(","):
            u = run("table", str(rows), bounded=False)
            show(f"table {rows:,} rows unbounded", u)
            print(f"table {rows:,} rows, unbounded / bounded time: {u['seconds'] / r['seconds']:.1f}x")
    if args.html_bytes:
        r = run("html", f"page:{args.html_bytes}")
        show(f"html page {args.html_bytes / 1e6:.1f} MB bounded", r, PAGE_TARGET)
        worst = max(worst, r["rss"])
    print(f"peak RSS per process: {worst / MB:,.0f} MB (target <= 1024: {'ok' if worst <= 1024 * MB else 'OVER'})")


if __name__ == "__main__":
    main()
