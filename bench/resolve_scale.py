"""Benchmark: the resolution plan on 100k synthetic document-level actors (blocking, not all pairs).

Usage: python bench/resolve_scale.py [--actors 100000] [--seed 7] [--names CACHE.json] [--corpus DIR] [--store]

Names come from the BBC corpus (../shared/corpus/bbc/): spaCy's named entities (PERSON, ORG, GPE) of every
article, found once and cached in `--names`. From them it builds synthetic actors: people as first name x
surname of the NER people (so common surnames are shared by many), organisations and places as the NER names;
then, for a share of them, the variants a news corpus writes — a surname alone ("Blair"), an initial ("T
Blair"), an honorific ("Mr Blair"), an acronym of a multi-word organisation ("ODF") — and 3 % with a typo
(one letter swapped, dropped or doubled). Each actor is one atom (a document-level id) named in a
Zipf-distributed number of documents, its documents drawn so that actors of one story share some. At least
20 % of the actors sit in blocks of 10 or more (actors sharing a surname, or a blocking key).

It times `actorgraph.resolve.plan.plan` — the clustering that `resolve` computes from the atoms it reads —
and prints the time, the peak RSS of the process, the number of scored candidate pairs and the block sizes,
against the targets (<= 60 s, <= 1 GB). With `--store` it also writes the actors, as one synthetic document
per document id, into a fresh embedded graph (ingest's own function, untimed) and times the whole `resolve`
there: reading the atoms, the plan, and the writes that make the graph match it (the engine's RSS is printed
apart: it is another process). A benchmark prints; it is not a timed test.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from collections import Counter
from pathlib import Path

from actorgraph.extract.model import Document, Entity, Extraction, Mention
from actorgraph.ids import actor_id
from actorgraph.resolve.plan import plan
from actorgraph.resolve.state import Atom

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = next(
    (p / "shared" / "corpus" / "bbc" for p in ROOT.parents if (p / "shared" / "corpus" / "bbc").is_dir()),
    ROOT.parent / "shared" / "corpus" / "bbc",
)
TARGET_SECONDS, TARGET_RSS_MB = 60.0, 1024.0
TYPO_SHARE, VARIANT_SHARE, ZIPF_S, MAX_DOCS = 0.03, 0.35, 1.3, 400
BIG_BLOCK = 10


def bbc_names(corpus: Path, cache: Path) -> dict[str, list[str]]:
    """PERSON, ORG and GPE entity texts spaCy finds in the corpus, read from `cache` when present."""
    if cache.exists():
        return dict(json.loads(cache.read_text("utf-8")))
    from actorgraph.extract.nlp import load_model

    nlp = load_model()
    files = sorted(p for p in corpus.rglob("*.txt") if "README" not in p.name)
    began = time.perf_counter()
    found: dict[str, Counter[str]] = {t: Counter() for t in ("PERSON", "ORG", "GPE")}
    texts = (p.read_text("utf-8", errors="replace") for p in files)
    keep = [n for n in nlp.pipe_names if n in ("tok2vec", "ner")]
    with nlp.select_pipes(enable=keep):
        for doc in nlp.pipe(texts, batch_size=32):
            for ent in doc.ents:
                if ent.label_ in found and any(c.isalpha() for c in ent.text):
                    found[ent.label_][" ".join(ent.text.split())] += 1
    names = {t: sorted(c) for t, c in found.items()}
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(names), encoding="utf-8")
    print(f"NER over {len(files)} articles in {time.perf_counter() - began:.0f} s -> {cache}")
    return names


def typo(name: str, rng: random.Random) -> str:
    """One letter of a word of 5+ letters swapped with the next, dropped or doubled."""
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return name
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    kind = rng.randrange(3)
    words[i] = (w[:j] + w[j + 1] + w[j] + w[j + 2 :]) if kind == 0 else (w[:j] + w[j + 1 :]) if kind == 1 else (
        w[:j] + w[j] + w[j:]
    )
    return " ".join(words)


def variants(etype: str, name: str, rng: random.Random) -> list[str]:
    """The other ways a corpus names this actor: surname, initial, honorific (people); acronym (orgs)."""
    words = name.split()
    if etype == "PERSON" and len(words) >= 2:
        options = [words[-1], f"{words[0][0]} {words[-1]}", f"{rng.choice(('Mr', 'Mrs', 'Dr', 'Sir'))} {words[-1]}"]
        return rng.sample(options, rng.randint(1, 2))
    if etype == "ORG" and len(words) >= 3:
        return ["".join(w[0] for w in words if w[0].isupper())]
    return []


def synthetic_atoms(names: dict[str, list[str]], n: int, rng: random.Random) -> dict[str, Atom]:
    """About `n` atoms: base actors from the NER names, their variants and typos, Zipf document counts."""
    people = [p.split() for p in names["PERSON"] if len(p.split()) == 2 and all(w.isalpha() for w in p.split())]
    firsts = sorted({p[0] for p in people})
    surnames = [p[1] for p in people]  # repeated as often as the corpus has them: shared surnames
    orgs, places = names["ORG"], names["GPE"]
    atoms: dict[str, Atom] = {}
    docs_total = max(1000, n // 3)
    ranks = [1.0 / (k**ZIPF_S) for k in range(1, MAX_DOCS + 1)]

    def add(etype: str, name: str, story: int) -> None:
        key = actor_id(etype, name)
        atom = atoms.get(key)
        if atom is None:
            atom = atoms[key] = Atom(key, etype)
        atom.names.add(name)
        atom.forms.add(name)
        count = rng.choices(range(1, MAX_DOCS + 1), weights=ranks)[0]
        for _ in range(count):  # mostly documents of its story, some elsewhere
            d = story + rng.randrange(20) if rng.random() < 0.7 else rng.randrange(docs_total)
            atom.doc_ids.add(f"doc:{d % docs_total}")
        atom.docs = len(atom.doc_ids)

    while len(atoms) < n:
        story = rng.randrange(docs_total)
        roll = rng.random()
        if roll < 0.55:
            etype, name = "PERSON", f"{rng.choice(firsts)} {rng.choice(surnames)}"
        elif roll < 0.9:
            etype, name = "ORG", rng.choice(orgs)
            if rng.random() < 0.5:  # more organisations than the corpus names: "<place> <org>"
                name = f"{rng.choice(places)} {name}"
        else:
            etype, name = "GPE", rng.choice(places)
        add(etype, name, story)
        if rng.random() < VARIANT_SHARE:
            for v in variants(etype, name, rng):
                add(etype, v, story)
        if rng.random() < TYPO_SHARE:
            add(etype, typo(name, rng), story)
    return atoms


def block_sizes(atoms: dict[str, Atom]) -> Counter[int]:
    """Atoms by the size of their biggest blocking group (type and last word of the core name)."""
    groups = Counter((a.type, a.words[-1] if a.words else "") for a in atoms.values())
    return Counter(groups[(a.type, a.words[-1] if a.words else "")] for a in atoms.values())


def as_extractions(atoms: dict[str, Atom]) -> list[Extraction]:
    """One synthetic document per document id, naming its atoms (a sentence each), as ingest takes them."""
    by_doc: dict[str, list[Atom]] = {}
    for atom in atoms.values():
        for d in atom.doc_ids:
            by_doc.setdefault(d, []).append(atom)
    out = []
    for d, found in sorted(by_doc.items()):
        parts, entities, at = [], [], 0
        for i, atom in enumerate(sorted(found, key=lambda a: a.key)):
            sentence = f"{atom.name} was named."
            mention = Mention(at, at + len(atom.name), atom.name)
            entities.append(Entity(f"e{i}", atom.type, atom.name, [atom.name], [mention]))
            parts.append(sentence)
            at += len(sentence) + 1
        out.append(Extraction(Document(text=" ".join(parts), path=f"{d}.txt"), entities, []))
    return out


def timed_resolve(home: str, graph: str) -> None:
    """`resolve` on an existing embedded graph, phase by phase, in this (fresh) process: prints the times and
    this process's peak RSS."""
    from actorgraph.config import Settings
    from actorgraph.graph.store import GraphStore
    from actorgraph.resolve.apply import (
        apply_changes,
        count_actors,
        ensure_resolution_schema,
        finish_pending,
        plan_changes,
    )
    from actorgraph.resolve.state import load_state

    store = GraphStore.connect(Settings(home=Path(home), graph=graph))
    marks = [("start", time.perf_counter())]
    ensure_resolution_schema(store)
    finish_pending(store)
    state = load_state(store)
    marks.append(("read the atoms", time.perf_counter()))
    partition = plan(state.atoms, state.decisions, state.redirects)
    marks.append(("plan", time.perf_counter()))
    changes, report = plan_changes(state, partition)
    del state
    moved = apply_changes(store, changes)
    marks.append(("write", time.perf_counter()))
    after = count_actors(store)
    seconds = marks[-1][1] - marks[0][1]
    phases = ", ".join(f"{name} {t - marks[i][1]:.1f} s" for i, (name, t) in enumerate(marks[1:]))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"store: resolve {seconds:.1f} s (<= {TARGET_SECONDS:.0f} s {'ok' if seconds <= TARGET_SECONDS else 'OVER'}):"
          f" {phases}; {report.atoms} atoms, {report.actors_before} -> {after} actors, {moved} edges moved; peak "
          f"RSS {rss_mb:.0f} MB (<= {TARGET_RSS_MB:.0f} MB {'ok' if rss_mb <= TARGET_RSS_MB else 'OVER'})")


def through_store(atoms: dict[str, Atom]) -> None:
    """Ingest the atoms into a fresh embedded graph without resolving, then time `resolve` on it in a child
    process (so the RSS it prints is the resolve's own, not the ingest's; the engine is a process of its own)."""
    import subprocess
    import sys
    import tempfile

    from actorgraph.config import Settings
    from actorgraph.graph.embedded import EmbeddedEngine
    from actorgraph.graph.store import GraphStore
    from actorgraph.ingest.ingest import ingest_extractions

    with tempfile.TemporaryDirectory(prefix="agr-scale-") as tmp, EmbeddedEngine(Path(tmp) / "g") as engine:
        store = GraphStore.connect(Settings(home=engine.home, graph="scale"))
        began = time.perf_counter()
        extractions = as_extractions(atoms)
        ingest_extractions(store, extractions)
        del extractions
        print(f"store: {len(atoms)} actors ingested (untimed setup) in {time.perf_counter() - began:.0f} s", flush=True)
        subprocess.run([sys.executable, __file__, "--resolve-in", str(engine.home), "scale"], check=True)
        import psutil

        pid = int(engine.pid_file.read_text().split()[0]) if engine.pid_file.exists() else 0
        if pid and psutil.pid_exists(pid):
            print(f"store: the engine's RSS after resolve {psutil.Process(pid).memory_info().rss / 2**20:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--actors", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--names", type=Path, default=Path("/tmp/actorgraph-bbc-names.json"))
    ap.add_argument("--store", action="store_true", help="also time the whole resolve on an embedded graph")
    ap.add_argument("--resolve-in", nargs=2, metavar=("HOME", "GRAPH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.resolve_in:  # the child process of --store
        timed_resolve(*args.resolve_in)
        return
    names = bbc_names(args.corpus, args.names)
    print(f"BBC NER names: {', '.join(f'{t} {len(v)}' for t, v in names.items())}")
    rng = random.Random(args.seed)
    atoms = synthetic_atoms(names, args.actors, rng)
    sizes = block_sizes(atoms)
    in_big = sum(c for s, c in sizes.items() if s >= BIG_BLOCK)
    docs = sorted(a.docs for a in atoms.values())
    print(f"{len(atoms)} actors; documents per actor: median {docs[len(docs) // 2]}, max {docs[-1]}; "
          f"{in_big / len(atoms):.0%} in blocks of >= {BIG_BLOCK} (same type and last word; need >= 20%)")
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the input itself, and Python
    began = time.perf_counter()
    result = plan(atoms, [], {})
    seconds = time.perf_counter() - began
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clusters = len(set(result.target.values()))
    rules = Counter(r for r in result.rule.values() if r)
    print(f"plan: {seconds:.1f} s (<= {TARGET_SECONDS:.0f} s {'ok' if seconds <= TARGET_SECONDS else 'OVER'}); "
          f"peak RSS {rss_mb:.0f} MB (<= {TARGET_RSS_MB:.0f} MB {'ok' if rss_mb <= TARGET_RSS_MB else 'OVER'}), "
          f"{before_mb:.0f} MB of it before the plan (the atoms as `resolve` loads them)")
    print(f"scored candidate pairs: {result.scored_pairs}; {len(atoms)} actors -> {clusters} clusters; "
          f"joined by rule: {dict(sorted(rules.items()))}")
    if args.store:
        through_store(atoms)


if __name__ == "__main__":
    main()
