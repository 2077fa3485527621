"""How well accusations say how far they have gone: `stage` and `denied` against 100 hand-checked claims.

Usage: python bench/eval_stage.py [--shared ../shared] [--tsv bench/stage.tsv] [--show-errors]

Each row of bench/stage.tsv is one ACCUSED_OF or ACCUSES claim with the stage and denial a reader judged from its
sentence (how the rows were chosen and judged: the file's companion notes in bench/README-stage.md). A BBC row is
extracted from its whole article (so pronouns resolve as in a real run), a written row from its sentence alone;
the row's claim is the extracted relation of the same predicate whose evidence overlaps the sentence and whose
subject and object share a word with the row's (the best such). Prints how many claims were found, stage and
denied accuracy over the found claims (and over all rows, a missing claim counting as wrong), and the confusion
table of stages.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from actorgraph.extract.extractor import extract_docs
from actorgraph.extract.model import Document, Extraction, Relation
from actorgraph.extract.nlp import load_model
from actorgraph.extract.reader import read_documents
from actorgraph.vocab import STAGES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_TSV = ROOT / "bench" / "stage.tsv"
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"the", "and", "of", "to", "in", "for", "a", "an", "on", "with", "that", "its", "his", "her", "their",
                   "mr", "mrs", "ms", "dr", "inc", "ltd"})


@dataclass
class Row:
    """One hand-checked claim."""

    id: str
    doc: str  # corpus path under --shared, or "-" for a written sentence
    predicate: str
    subject: str
    object: str
    stage: str
    denied: bool
    sample: str
    sentence: str


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = [Row(r["id"], r["doc"], r["predicate"], r["subject"], r["object"], r["stage"], r["denied"] == "yes",
                    r["sample"], r["sentence"]) for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    bad = [r.id for r in rows if r.stage not in STAGES]
    if bad:
        raise SystemExit(f"{path}: rows with a stage outside {STAGES}: {', '.join(bad)}")
    return rows


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in _STOP and len(w) > 1}


def find_claim(row: Row, ex: Extraction) -> Relation | None:
    """The extracted relation that is this row's claim: same predicate, evidence overlapping the sentence,
    subject and object sharing words with the row's; the best overlap, a stored (not negated) one first."""
    text = ex.document.text
    start = text.find(row.sentence)
    if start < 0:
        return None
    end = start + len(row.sentence)
    names = {e.id: " ".join([e.name, *e.aliases]) for e in ex.entities}
    best: tuple[tuple[bool, int], Relation] | None = None
    for rel in ex.relations:
        if rel.predicate != row.predicate or rel.evidence.end <= start or rel.evidence.start >= end:
            continue
        s = len(words(row.subject) & words(names.get(rel.subject, "")))
        o = len(words(row.object) & words(names.get(rel.object, "")))
        if not s or not o:
            continue
        key = (not rel.negated, s + o)
        if best is None or key > best[0]:
            best = (key, rel)
    return best[1] if best else None


def extractions(rows: list[Row], shared: Path) -> dict[str, Extraction]:
    """One extraction per distinct source: the article for BBC rows, the sentence for written rows."""
    docs: dict[str, Document] = {}
    for row in rows:
        key = row.doc if row.doc != "-" else row.id
        if key in docs:
            continue
        if row.doc == "-":
            docs[key] = Document(text=row.sentence, path=row.id)
        else:
            found = list(read_documents([str(shared / row.doc)]))
            if len(found) != 1:
                raise SystemExit(f"cannot read {shared / row.doc} (give --shared)")
            docs[key] = found[0]
    nlp = load_model()
    keys = list(docs)
    return dict(zip(keys, extract_docs([docs[k] for k in keys], nlp), strict=True))


def confusion(pairs: list[tuple[str, str]]) -> str:
    """Rows: the judged stage; columns: the extracted one ('-' for no claim found)."""
    cols = [*STAGES, "-"]
    counts = Counter(pairs)
    width = max(len(s) for s in cols) + 1
    lines = ["judged \\ read".ljust(14) + "".join(c[:width - 1].rjust(width) for c in cols)]
    for judged in STAGES:
        if not any(j == judged for j, _ in pairs):
            continue
        lines.append(judged.ljust(14) + "".join(str(counts[(judged, c)] or ".").rjust(width) for c in cols))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder holding corpus/")
    ap.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    ap.add_argument("--show-errors", action="store_true", help="print every row read wrongly")
    args = ap.parse_args(argv)
    rows = read_rows(args.tsv)
    exs = extractions(rows, args.shared)
    pairs: list[tuple[str, str]] = []
    stage_ok = denied_ok = found = negated = 0
    by_sample: Counter[tuple[str, bool]] = Counter()
    errors: list[str] = []
    for row in rows:
        rel = find_claim(row, exs[row.doc if row.doc != "-" else row.id])
        if rel is None:
            pairs.append((row.stage, "-"))
            errors.append(f"{row.id} not found: {row.subject} {row.predicate} {row.object} | {row.sentence}")
            continue
        found += 1
        negated += rel.negated
        read = rel.stage or "-"
        pairs.append((row.stage, read))
        ok_stage, ok_denied = read == row.stage, rel.denied == row.denied
        stage_ok += ok_stage
        denied_ok += ok_denied
        by_sample[("written" if row.doc == "-" else "bbc, " + row.sample, ok_stage)] += 1
        if not (ok_stage and ok_denied) or rel.negated:
            errors.append(f"{row.id} judged {row.stage}{' denied' if row.denied else ''}, read {read}"
                          f"{' denied' if rel.denied else ''}{' NEGATED' if rel.negated else ''}: "
                          f"{row.subject} {row.predicate} {row.object} | {row.sentence}")
    n = len(rows)
    print(f"claims: {n} hand-checked, {found} found by the extractor ({negated} of them negated, so not stored)")
    if found:
        print(f"stage accuracy:  {stage_ok / found:.2f} of found ({stage_ok}/{found}), {stage_ok / n:.2f} of all")
        print(f"denied accuracy: {denied_ok / found:.2f} of found ({denied_ok}/{found}), {denied_ok / n:.2f} of all")
        judged_denied = [r for r in rows if r.denied]
        print(f"denied rows: {len(judged_denied)} judged denied")
    for sample in sorted({k[0] for k in by_sample}):
        ok, total = by_sample[(sample, True)], by_sample[(sample, True)] + by_sample[(sample, False)]
        print(f"  stage accuracy, {sample}: {ok}/{total}")
    print()
    print(confusion(pairs))
    if args.show_errors and errors:
        print()
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
