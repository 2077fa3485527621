"""Benchmark: every curated query on a synthetic graph of 100,000 actors and 1,000,000 claims (embedded).

Run: python bench/query_speed.py [--actors 100000] [--claims 1000000] [--samples 50] [--home DIR]

Subjects and objects are both Zipf-skewed (s = 1, independent rankings), so a few hubs hold most claims, as in
news. The graph has the shape ingest writes (docs/graph-model.md): typed actors with `keys`, charges,
documents, MENTIONED_IN edges and claims with evidence, written with `store.write_rows` into a fresh temp
engine (or `--home DIR`, reused when it already holds a graph of that size). Each query then runs through
`run_query`, the CLI's code path (the actor argument is a name, resolved through the indexed `keys`), on
`--samples` random actors; `paths` on random pairs from the same connected component within 3 hops. Prints p50
/ p95 per query, the targets and the hub's degree.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from actorgraph.config import Settings
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore, Row
from actorgraph.ids import claim_id
from actorgraph.ingest.writer import count_claims, ensure_ingest_schema
from actorgraph.queries import actor_keys, curated_queries, ensure_lookup_index, run_query
from actorgraph.vocab import PREDICATES, TYPE_LABEL

CHARGES = 300
CLAIMS_PER_DOC = 10
TARGETS_MS = {"actor": 200, "accusations-against": 200, "network": 300, "paths": 1000}
ACTOR_PREDICATES = [p for p in PREDICATES if p != "ACCUSED_OF"]

CREATE_ACTORS = {
    t: f"UNWIND $rows AS r CREATE (a:Actor:{label} {{id: r.id, name: r.name, type: '{t}', "
    "aliases: r.aliases, "
    "keys: r.keys, mention_count: r.mentions, doc_count: r.docs, dirty: false})"
    for t, label in TYPE_LABEL.items()
    if t != "CHARGE"
}
CREATE_CHARGES = "UNWIND $rows AS r CREATE (:Charge {id: r.id, name: r.name, mention_count: 1, doc_count: 1})"
CREATE_DOCUMENTS = (
    "UNWIND $rows AS r CREATE (:Document {id: r.id, text: r.text, title: r.title, sources: [r.source], "
    "published: r.published, ingested_at: '2025-01-01T00:00:00+00:00', complete: true})"
)
CREATE_CLAIMS = {
    p: "UNWIND $rows AS r MATCH (s:Actor {id: r.s}) MATCH (o:"
    + ("Charge" if p == "ACCUSED_OF" else "Actor")
    + " {id: r.o}) CREATE (s)-[:"
    + p
    + " {id: r.id, doc_id: r.doc, evidence: r.evidence, start: r.start, "
    "end: r.end, confidence: 0.8, rule: 'bench.v1', denied: r.denied, subject_key: r.s, "
    "object_key: r.o}]->(o)"
    for p in PREDICATES
}
CREATE_MENTIONS = (
    "UNWIND $rows AS r MATCH (a:Actor {id: r.a}) MATCH (d:Document {id: r.d}) "
    "CREATE (a)-[:MENTIONED_IN {count: r.count, forms: [r.name], actor_key: r.a, name: r.name}]->(d)"
)
CREATE_CHARGE_MENTIONS = (
    "UNWIND $rows AS r MATCH (c:Charge {id: r.c}) MATCH (d:Document {id: r.d}) "
    "CREATE (c)-[:MENTIONED_IN {count: 1, forms: [], actor_key: r.c}]->(d)"
)
DEGREE = (
    "MATCH (a:Actor {id: $id})-[r:FUNDS|ACCUSES|ACCUSED_OF|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|"
    "SUPPORTS|"
    "OPPOSES|LOCATED_IN]-() RETURN count(r) AS n"
)
#: One step of a random walk over claims (either direction), for `paths` pairs in one connected component.
STEP = (
    "MATCH (a:Actor {id: $id})-[:FUNDS|ACCUSES|BANNED_BY|WORKS_WITH|MEMBER_OF|LOBBIES_FOR|SUPPORTS|OPPOSES|"
    "LOCATED_IN]-(b:Actor) WITH b ORDER BY rand() LIMIT 1 RETURN b.id AS id"
)
FIRST_NAMES = [
    "Ada",
    "Boris",
    "Chen",
    "Dana",
    "Emil",
    "Farah",
    "Goran",
    "Hana",
    "Ivo",
    "Jana",
    "Karim",
    "Lea",
]
ORG_WORDS = ["Holdings", "Foundation", "Party", "Trust", "Group", "Council", "Bank", "Institute", "Union"]


def zipf_indices(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """`size` draws from 0..n-1, P(rank k) proportional to 1/k, ranks randomly permuted over the indices."""
    weights = 1.0 / np.arange(1, n + 1)
    ranks = rng.choice(n, size=size, p=weights / weights.sum())
    return rng.permutation(n)[ranks]


def actor_name(i: int, kind: str) -> str:
    if kind == "PERSON":
        return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} Testperson{i}"
    if kind == "ORG":
        return f"Org{i} {ORG_WORDS[i % len(ORG_WORDS)]}"
    return f"Place{i}"


def build(store: GraphStore, n_actors: int, n_claims: int, seed: int = 7) -> dict[str, Any]:
    """Write the synthetic graph; returns the actors' ids and names and how long writing took."""
    rng = np.random.default_rng(seed)
    began = time.perf_counter()
    store.clear()
    ensure_ingest_schema(store)
    ensure_lookup_index(store)
    kinds = rng.choice(["PERSON", "ORG", "GPE"], size=n_actors, p=[0.5, 0.4, 0.1])
    names = [actor_name(i, str(k)) for i, k in enumerate(kinds)]
    ids = [f"{str(k).lower()}:bench{i:07d}" for i, k in enumerate(kinds)]
    n_docs = max(1, n_claims // CLAIMS_PER_DOC)
    subjects = zipf_indices(rng, n_actors, n_claims)
    objects = zipf_indices(rng, n_actors, n_claims)
    preds = rng.integers(0, len(PREDICATES), size=n_claims)
    charges = zipf_indices(rng, CHARGES, n_claims)
    denied = rng.random(n_claims) < 0.05
    docs = np.arange(n_claims) // CLAIMS_PER_DOC
    to_charge = preds == PREDICATES.index("ACCUSED_OF")
    keep = to_charge | (subjects != objects)  # no self-loops
    # MENTIONED_IN: every (actor, document) pair a claim names, with how many claims name it there
    pair_keys = np.concatenate(
        [subjects[keep] * n_docs + docs[keep], (objects * n_docs + docs)[keep & ~to_charge]]
    )
    pairs, counts = np.unique(pair_keys, return_counts=True)
    actor_of, doc_of = pairs // n_docs, pairs % n_docs
    mentions = np.bincount(actor_of, weights=counts, minlength=n_actors).astype(int)
    doc_counts = np.bincount(actor_of, minlength=n_actors)

    def aliases(i: int) -> list[str]:
        return [names[i].split()[-1]] if kinds[i] != "GPE" else []

    for kind in ("PERSON", "ORG", "GPE"):
        store.write_rows(
            CREATE_ACTORS[kind],
            (
                {
                    "id": ids[i],
                    "name": names[i],
                    "aliases": aliases(i),
                    "keys": actor_keys(ids[i], names[i], aliases(i)),
                    "mentions": int(mentions[i]),
                    "docs": int(doc_counts[i]),
                }
                for i in range(n_actors)
                if kinds[i] == kind
            ),
        )
    store.write_rows(
        CREATE_CHARGES, ({"id": f"charge:bench{c:04d}", "name": f"charge {c}"} for c in range(CHARGES))
    )
    store.write_rows(
        CREATE_DOCUMENTS,
        (
            {
                "id": f"sha256:bench{d:08d}",
                "text": f"Synthetic document {d}.",
                "title": f"Story {d}",
                "source": f"bench/doc{d:08d}.txt",
                "published": f"20{10 + d % 15:02d}-{1 + d % 12:02d}-{1 + d % 28:02d}",
            }
            for d in range(n_docs)
        ),
    )

    def claim_rows(p: int) -> Iterator[Row]:
        pred = PREDICATES[p]
        for i in np.flatnonzero((preds == p) & keep):
            s = int(subjects[i])
            oid = f"charge:bench{int(charges[i]):04d}" if to_charge[i] else ids[int(objects[i])]
            start = int(i % CLAIMS_PER_DOC) * 100
            doc_id = f"sha256:bench{int(docs[i]):08d}"
            yield {
                "id": claim_id(ids[s], pred, oid, doc_id, start, start + 90),
                "s": ids[s],
                "o": oid,
                "doc": doc_id,
                "evidence": f"Sentence {i}: {names[s]} {pred.lower()} {oid}.",
                "start": start,
                "end": start + 90,
                "denied": bool(denied[i] and to_charge[i]),
            }

    for p, pred in enumerate(PREDICATES):
        store.write_rows(CREATE_CLAIMS[pred], claim_rows(p))
    charge_pairs = np.unique(charges[to_charge] * n_docs + docs[to_charge])
    store.write_rows(
        CREATE_CHARGE_MENTIONS,
        (
            {"c": f"charge:bench{int(k // n_docs):04d}", "d": f"sha256:bench{int(k % n_docs):08d}"}
            for k in charge_pairs
        ),
    )
    store.write_rows(
        CREATE_MENTIONS,
        (
            {"a": ids[int(a)], "d": f"sha256:bench{int(d):08d}", "count": int(c), "name": names[int(a)]}
            for a, d, c in zip(actor_of, doc_of, counts, strict=True)
        ),
    )
    return {"ids": ids, "names": names, "seconds": time.perf_counter() - began}


def timed(fn: Any) -> float:
    began = time.perf_counter()
    fn()
    return (time.perf_counter() - began) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pairs_within(
    store: GraphStore, ids: list[str], rng: random.Random, count: int
) -> Iterator[tuple[str, str]]:
    """Random pairs (a, b) joined by a random walk of 1-3 claims: one component, at most 3 hops apart."""
    made = 0
    while made < count:
        a = b = rng.choice(ids)
        for _ in range(rng.randint(1, 3)):
            step = store.read(STEP, id=b)
            if not step:
                break
            b = step[0]["id"]
        if b != a:
            made += 1
            yield a, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument(
        "--home", type=Path, help="engine data dir to use and reuse, left running (stop: actorgraph db stop)"
    )
    parser.add_argument("--only", nargs="*", help="time only these queries")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ag-qbench-") as tmp, contextlib.ExitStack() as stack:
        home = args.home or Path(tmp)
        engine = EmbeddedEngine(home)
        if args.home:
            engine.start()  # left running for the next --home run: replaying a large AOF takes minutes
        else:
            stack.enter_context(engine)
        with GraphStore.connect(Settings(home=engine.home, graph="bench")) as store:
            have = count_claims(store) if args.home else 0
            if (
                args.home
                and have
                and store.read("MATCH (a:Actor) RETURN count(a) AS n")[0]["n"] == args.actors
            ):
                rows = store.read("MATCH (a:Actor) RETURN a.id AS id, a.name AS name ORDER BY id")
                graph = {"ids": [r["id"] for r in rows], "names": [r["name"] for r in rows], "seconds": 0.0}
                print(f"reusing the graph in {home} ({have:,} claims)")
            else:
                graph = build(store, args.actors, args.claims)
            counts = store.counts()
            claims = sum(n for t, n in counts["types"].items() if t != "MENTIONED_IN")
            print(
                f"graph: {counts['labels'].get('Actor', 0):,} actors, {claims:,} claims, "
                f"{counts['labels'].get('Document', 0):,} documents, "
                f"{counts['types'].get('MENTIONED_IN', 0):,} "
                f"mentions; written in {graph['seconds']:.0f} s"
            )
            hub = store.read(
                "MATCH (a:Actor)-[r]-() WHERE type(r) <> 'MENTIONED_IN' "
                "RETURN a.name AS name, count(r) AS degree ORDER BY degree DESC LIMIT 1"
            )[0]
            print(f"hub: {hub['name']} with {hub['degree']:,} claims (in + out)")
            rng = random.Random(11)
            by_id = dict(zip(graph["ids"], graph["names"], strict=True))
            sample = rng.sample(graph["ids"], args.samples)
            run_query(store, "actor", [by_id[sample[0]]])  # warm-up
            results: dict[str, list[float]] = {}
            for name, query in sorted(curated_queries().items()):
                if args.only and name not in args.only:
                    continue
                kinds = [p for p in query.params if p.type == "actor" and p.default is None]
                if name == "paths":
                    pairs = list(pairs_within(store, graph["ids"], rng, args.samples))
                    calls = [[by_id[a], by_id[b]] for a, b in pairs]
                elif len(kinds) == 2:
                    calls = [[by_id[a], by_id[rng.choice(graph["ids"])]] for a in sample]
                elif kinds:
                    calls = [[by_id[a]] for a in sample]
                else:
                    calls = [[] for _ in range(min(args.samples, 5))]
                times = []
                for call in calls:
                    times.append(timed(lambda c=call, n=name: run_query(store, n, c)))
                results[name] = times
                target = TARGETS_MS.get(name)
                verdict = "" if target is None else (" ok" if percentile(times, 0.95) <= target else " OVER")
                print(
                    f"{name:<20} n={len(times):>3} p50 {statistics.median(times):8.1f} ms  "
                    f"p95 {percentile(times, 0.95):8.1f} ms  max {max(times):8.1f} ms"
                    + (f"  target p95 <= {target} ms{verdict}" if target else "")
                )


if __name__ == "__main__":
    main()
