"""Benchmark: claims written batched (ingest's one-query-per-batch writer) vs one MERGE per claim.

Run: python bench/write_speed.py [--claims 200000] [--sample 5000] [--batch-size 50]

Synthetic documents (100 claims each, among a pool of actors and charges, every claim with its evidence
sentence and offsets), made lazily on the clock as a streamed corpus would be, go through the real path,
`ingest_extractions` (complete-id check, the atomic write query, derived actor fields, source bookkeeping),
into a fresh embedded engine in a temp dir. The slow path MERGEs the two ends and the claim one query per
claim, on a sample. Both run in one process against one engine, so the ratio is comparable on a noisy shared
machine. Target: batched >= 20,000 claims/s.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from actorgraph.config import Settings
from actorgraph.extract.model import Document, Entity, Evidence, Extraction, Mention, Relation
from actorgraph.graph.embedded import EmbeddedEngine
from actorgraph.graph.store import GraphStore
from actorgraph.ids import actor_id, claim_id
from actorgraph.ingest.ingest import ingest_extractions
from actorgraph.ingest.writer import count_claims, document_row, ensure_ingest_schema
from actorgraph.vocab import PREDICATES

CLAIMS_PER_DOC = 100
ACTORS_PER_DOC = 40
ACTOR_POOL = 20_000
CHARGE_POOL = 200
TYPES = ("PERSON", "ORG", "GPE")
ACTOR_PREDICATES = [p for p in PREDICATES if p != "ACCUSED_OF"]

SINGLE_CLAIM = (  # the slow path: one query per claim (FUNDS for all: the type does not change the cost)
    "MERGE (s:Actor {id: $s}) ON CREATE SET s.name = $sname "
    "MERGE (o:Actor {id: $o}) ON CREATE SET o.name = $oname "
    "MERGE (s)-[r:FUNDS {id: $id}]->(o) "
    "SET r.doc_id = $doc, r.evidence = $evidence, r.start = $start, r.end = $end, r.confidence = $confidence"
)


def synthetic(prefix: str, claims: int, seed: int) -> Iterator[Extraction]:
    """Documents of CLAIMS_PER_DOC claims each, made lazily; every evidence offset points into the text."""
    rng = random.Random(seed)
    for d in range(claims // CLAIMS_PER_DOC):
        picks = rng.sample(range(ACTOR_POOL), ACTORS_PER_DOC)
        entities = [Entity(f"e{i}", TYPES[a % 3], f"{prefix} Actor {a}") for i, a in enumerate(picks)]
        charges = [Entity(f"c{i}", "CHARGE", f"charge number {rng.randrange(CHARGE_POOL)}") for i in range(5)]
        parts: list[str] = [f"Synthetic document {prefix}-{d}."]
        relations: list[Relation] = []
        offset = len(parts[0]) + 1
        for k in range(CLAIMS_PER_DOC):
            subject = entities[rng.randrange(ACTORS_PER_DOC)]
            if k % 10 == 0:
                obj, predicate = charges[rng.randrange(len(charges))], "ACCUSED_OF"
            else:
                obj = rng.choice([e for e in entities if e is not subject])
                predicate = rng.choice(ACTOR_PREDICATES)
            sentence = f"{subject.name} {predicate.lower()} {obj.name} (claim {k})."
            for ent, start in ((subject, offset), (obj, offset + len(subject.name) + len(predicate) + 2)):
                ent.mentions.append(Mention(start, start + len(ent.name), ent.name))
            relations.append(
                Relation(
                    subject.id,
                    predicate,
                    obj.id,
                    Evidence(sentence, offset, offset + len(sentence)),
                    0.8,
                    "bench.v1",
                )
            )
            parts.append(sentence)
            offset += len(sentence) + 1
        doc = Document(text=" ".join(parts), path=f"bench/{prefix}/{d}.txt")
        yield Extraction(doc, entities + charges, relations)


def single_rows(prefix: str, count: int) -> Iterator[dict[str, object]]:
    rng = random.Random(7)
    for k in range(count):
        s, o = rng.sample(range(ACTOR_POOL), 2)
        sid, oid = actor_id("ORG", f"{prefix} Actor {s}"), actor_id("ORG", f"{prefix} Actor {o}")
        yield {
            "s": sid,
            "o": oid,
            "sname": f"{prefix} Actor {s}",
            "oname": f"{prefix} Actor {o}",
            "id": claim_id(sid, "FUNDS", oid, f"doc-{k // 100}", k, k + 40),
            "doc": f"doc-{k // 100}",
            "evidence": f"{prefix} Actor {s} funds {prefix} Actor {o} (claim {k}).",
            "start": k,
            "end": k + 40,
            "confidence": 0.8,
        }


def peak_rss_mb(pid: int | None) -> float:
    """Peak resident memory of a process (Linux `VmHWM`), 0 where it cannot be read."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (OSError, TypeError):
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0.0)


def expected_edges(data: list[Extraction]) -> set[tuple[str, str, str]]:
    """Every (from id, type or claim id, to id) edge the writer must leave, from the rows it is given."""
    edges: set[tuple[str, str, str]] = set()
    for extraction in data:
        row, _ = document_row(extraction, "")
        edges |= {(n["id"], "MENTIONED_IN", row["id"]) for n in row["actors"] + row["charges"]}
        edges |= {(c["subject_key"], c["id"], c["object_key"]) for c in row["claims"]}
    return edges


def written_edges(store: GraphStore) -> set[tuple[str, str, str]]:
    rows = store.read(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, CASE type(r) WHEN 'MENTIONED_IN' THEN 'MENTIONED_IN' ELSE r.id END"
        " AS r, b.id AS b"
    )
    return {(r["a"], r["r"], r["b"]) for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=5_000, help="claims for the one-MERGE-per-claim path")
    parser.add_argument("--batch-size", type=int, default=50, help="documents per write query")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ag-bench-") as tmp, EmbeddedEngine(Path(tmp)) as engine:
        settings = Settings(home=engine.home, graph="bench")
        with GraphStore.connect(settings) as store:
            ensure_ingest_schema(store)
            ingest_extractions(store, synthetic("warm", 5_000, 1), batch_size=args.batch_size)
            store.clear()

            began = time.perf_counter()
            made = sum(1 for _ in synthetic("batched", args.claims, 2))
            making_s = time.perf_counter() - began  # the input alone, for the record
            began = time.perf_counter()  # streamed, as ingest reads a corpus: the input is made on the clock
            report = ingest_extractions(
                store, synthetic("batched", args.claims, 2), batch_size=args.batch_size
            )
            batched_s = time.perf_counter() - began
            assert report.ingested == made
            data = list(synthetic("batched", args.claims, 2))  # the same documents again, to check every edge
            written = count_claims(store)
            assert written == report.claims_added, (written, report.claims_added)
            wrong = expected_edges(data) ^ written_edges(store)  # every edge where it belongs, none elsewhere
            assert not wrong, f"{len(wrong)} edges missing or misplaced, e.g. {sorted(wrong)[:3]}"
            nodes = store.counts()["nodes"]

            singles = list(single_rows("single", args.sample))
            began = time.perf_counter()
            for row in singles:
                store.write(SINGLE_CLAIM, **row)
            single_s = time.perf_counter() - began
            single_written = count_claims(store) - written
            server_peak = peak_rss_mb(engine.pid())

    batched, single = written / batched_s, single_written / single_s
    print("claims into the embedded engine (AOF everysec, unix socket)")
    print(
        f"batched: {written:,} claims in {report.ingested:,} documents ({args.batch_size} docs/query, "
        f"{nodes:,} nodes) in {batched_s:,.1f} s = {batched:,.0f} claims/s (target >= 20,000); making the input"
        f" alone took {making_s:,.1f} s of that"
    )
    print(f"one MERGE per claim: {single_written:,} claims in {single_s:,.1f} s = {single:,.0f} claims/s")
    print(f"ratio batched / single: {batched / single:,.1f}x")
    client_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: this process {client_peak:,.0f} MB (it made the input twice), server {server_peak:,.0f} MB")


if __name__ == "__main__":
    main()
