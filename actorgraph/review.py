"""Claim review as data: a user confirms or rejects a claim, and the judgement outlives the claim's id.

A review is a `(:Review)` node, apart from the claims (docs/graph-model.md). It records the claim id it was
given and what makes an equivalent claim the same claim again: its document, predicate, evidence sentence and
offsets, and the surface forms of its two ends in that document, summed up in a content `key`. Actor ids play no
part, so `resolve`, `merge` and `split` (which re-point claims, never change their ids or content) leave every
review on its claim; a re-ingest or a retrained model that writes the claim again, under the same id or under a
new one with the same content, gets the review back; a review whose claim has no equivalent any more is
*orphaned* and listed as such.

`reconcile(store)` finds each review's current claim and sets the claim's derived `review` mark ("confirmed" /
"rejected"; absent: unreviewed), which curated queries, `viz` and the exports filter on without a join. The
library runs it after every operation that writes claims or moves them, so the marks are always those of the
stored reviews.
"""

from __future__ import annotations

import getpass
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from actorgraph.errors import ConfigError, NotFound
from actorgraph.graph import cypher
from actorgraph.graph.store import GraphStore, Row
from actorgraph.vocab import PREDICATES, REVIEW_LABEL

VERDICTS: Final = ("confirmed", "rejected")
STATUSES: Final = ("unreviewed", "confirmed", "rejected", "orphaned")
DEFAULT_LIMIT: Final = 200

#: The fields a review keeps of its claim, to find an equivalent one after the id changed.
CONTENT_FIELDS: Final = (
    "doc_id", "predicate", "evidence", "start", "end", "subject_name", "object_name", "subject_forms",
    "object_forms", "subject_key", "object_key", "source",
)

_PUNCT = re.compile(r"[^\w\s]")
_CLAIM_ID = re.compile(r"^claim:[0-9a-f]{24}$")


class ClaimNotFound(NotFound):
    """No claim has this id (a review can only be given to a claim the graph holds)."""

    hint = "list claim ids with `actorgraph claims --status unreviewed` or `actorgraph query ... --format json`"


def _text(name: str) -> str:
    return cypher.text("review", name)


def norm(text: str | None) -> str:
    """Case-folded, punctuation-free, space-collapsed text: how evidence and surface forms are compared."""
    folded = unicodedata.normalize("NFKC", text or "").casefold().replace("\u2019", "'")
    return " ".join(_PUNCT.sub(" ", folded).split())


def end_form(forms: Iterable[str], name: str | None, evidence: str | None) -> str:
    """The surface form of a claim's end in its evidence: the longest of its forms the sentence contains,
    else its document-level name (a pronoun's antecedent), normalised."""
    sentence = f" {norm(evidence)} "
    inside = [f for f in {norm(x) for x in forms} if f and f" {f} " in sentence]
    return max(inside, key=lambda f: (len(f), f)) if inside else norm(name)


def content_key(doc_id: str, predicate: str, evidence: str | None, subject_form: str, object_form: str) -> str:
    """The content key of a claim: document, predicate, evidence sentence and its ends' surface forms."""
    parts = (doc_id, predicate, norm(evidence), subject_form, object_form)
    return "rk:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def review_id(claim_id: str) -> str:
    """The id of the review first given to `claim_id` (it keeps it when the review moves to an equivalent)."""
    return "review:" + hashlib.sha256(claim_id.encode("utf-8")).hexdigest()[:24]


def reviewer(by: str | None = None) -> str:
    """Who reviews: `by` when given, else the login name."""
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"


# -- reading claims with what identifies them ------------------------------------------------------------------


def _forms(store: GraphStore, docs: Sequence[str]) -> dict[tuple[str, str], tuple[list[str], str | None]]:
    """(document, document-level id) -> (surface forms, document-level name)."""
    found: dict[tuple[str, str], tuple[list[str], str | None]] = {}
    if docs:
        for row in store.read(_text("doc_forms"), docs=list(docs)):
            if row["key"] is not None:
                forms, name = found.get((row["doc"], row["key"]), ([], None))
                found[(row["doc"], row["key"])] = (sorted({*forms, *(row["forms"] or [])}), name or row["name"])
    return found


def _with_content(store: GraphStore, rows: list[Row]) -> list[Row]:
    """The claim rows with their ends' surface forms in their document and their content key."""
    forms = _forms(store, sorted({r["doc_id"] for r in rows}))
    out = []
    for row in rows:
        claim = dict(row)
        for end in ("subject", "object"):
            found, name = forms.get((row["doc_id"], row[f"{end}_key"]), ([], None))
            own = {norm(f) for f in [*found, name or ""] if norm(f)}
            claim[f"{end}_forms"] = sorted(own or {norm(row[f"{end}_name"])})
            claim[f"{end}_form"] = end_form(found, name or row[f"{end}_name"], row["evidence"])
        claim["key"] = content_key(row["doc_id"], row["predicate"], row["evidence"], claim["subject_form"],
                                   claim["object_form"])
        out.append(claim)
    return out


def find_claim(store: GraphStore, claim_id: str) -> Row:
    """The claim with this id, with its ends and content key; ClaimNotFound (with a hint) otherwise."""
    claim_id = claim_id.strip()
    rows = store.read(_text("claim_by_id"), id=claim_id, predicates=list(PREDICATES))
    if not rows:
        shape = "" if _CLAIM_ID.match(claim_id) else " (claim ids look like claim:<24 hex digits>)"
        raise ClaimNotFound(f"no claim has the id {claim_id!r}{shape}")
    return _with_content(store, rows)[0]


def doc_claims(store: GraphStore, docs: Sequence[str]) -> list[Row]:
    """Every claim of these documents, with its ends' forms and content key."""
    if not docs:
        return []
    rows = store.read(_text("doc_claims"), docs=list(docs), predicates=list(PREDICATES))
    return _with_content(store, rows)


def reviews(store: GraphStore) -> list[Row]:
    """Every stored review (its properties), oldest first."""
    return [dict(r["review"]) for r in store.read(_text("reviews"))]


# -- matching a review to a claim ------------------------------------------------------------------------------


def _overlap(review: Mapping[str, Any], claim: Mapping[str, Any]) -> bool:
    """The evidence is the same sentence: the same text, or overlapping offsets."""
    if norm(review.get("evidence")) == norm(claim.get("evidence")):
        return True
    spans = [review.get("start"), review.get("end"), claim.get("start"), claim.get("end")]
    if any(x is None for x in spans):
        return False
    a0, a1, b0, b1 = (int(x or 0) for x in spans)
    return a0 < b1 and b0 < a1


def equivalent(review: Mapping[str, Any], claim: Mapping[str, Any]) -> bool:
    """A claim says what the review judged: the same predicate, the same sentence (in the same document: the
    same text or overlapping offsets; in an edited version of it: the same text), and ends that share a surface
    form with the reviewed claim's ends (so a re-named or re-resolved actor still matches)."""
    if review.get("predicate") != claim.get("predicate"):
        return False
    same_doc = review.get("doc_id") == claim.get("doc_id")
    if same_doc and review.get("key") == claim.get("key"):
        return True
    sentence = _overlap(review, claim) if same_doc else norm(review.get("evidence")) == norm(claim.get("evidence"))
    return (
        sentence
        and bool(set(review.get("subject_forms") or []) & set(claim.get("subject_forms") or []))
        and bool(set(review.get("object_forms") or []) & set(claim.get("object_forms") or []))
    )


def match(review: Mapping[str, Any], by_id: Mapping[str, Row], candidates: Sequence[Row]) -> Row | None:
    """The claim a review judges now: its own id, else the claim it last moved to, else the best equivalent
    (the same content key first, then the nearest evidence offset)."""
    for claim_id in (review.get("claim_id"), review.get("claim")):
        if claim_id and claim_id in by_id:
            return by_id[claim_id]
    fits = [c for c in candidates if equivalent(review, c)]
    if not fits:
        return None
    start = review.get("start") or 0
    return min(fits, key=lambda c: (c.get("key") != review.get("key"), abs((c.get("start") or 0) - start), c["id"]))


def _successors(store: GraphStore, stored: Sequence[Row], present: set[str]) -> dict[str, list[str]]:
    """Source -> the documents now read from it, for reviews whose own document is gone (its text was edited
    and read again, so it is a new document): their claims may be the reviewed ones."""
    lost = sorted({str(r["source"]) for r in stored if r.get("source") and r.get("doc_id") not in present})
    found: dict[str, list[str]] = defaultdict(list)
    if lost:
        for row in store.read(_text("docs_by_source"), sources=lost):
            if row["doc"] not in present:
                found[row["source"]].append(row["doc"])
    return found


def reconcile(store: GraphStore) -> dict[str, int]:
    """Find every review's claim now, record it (or orphaned) and set the claims' `review` marks to match.

    Only the documents reviews name are read, so the cost is in the reviews, not the graph. Idempotent; the
    counts of reviews by status come back.
    """
    if not store.read(_text("count_reviews"))[0]["n"]:
        return {}
    stored = reviews(store)
    claims = doc_claims(store, sorted({r["doc_id"] for r in stored if r.get("doc_id")}))
    successors = _successors(store, stored, {c["doc_id"] for c in claims})
    claims += doc_claims(store, sorted({d for docs in successors.values() for d in docs}))
    by_id = {c["id"]: c for c in claims}
    by_doc: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in claims:
        by_doc[(row["doc_id"], row["predicate"])].append(row)
    marks: dict[str, str] = {}
    states: list[Row] = []
    counts: dict[str, int] = defaultdict(int)
    for review in stored:  # oldest first: a later review of the same claim wins its mark
        predicate = str(review.get("predicate"))
        candidates = list(by_doc.get((str(review.get("doc_id")), predicate), []))
        for doc in successors.get(str(review.get("source")), ()):
            candidates += by_doc.get((doc, predicate), [])
        found = match(review, by_id, candidates)
        status = str(review["verdict"]) if found is not None else "orphaned"
        claim: str | None = found["id"] if found is not None else None
        claim_doc = found["doc_id"] if found is not None else None
        if claim is not None:
            marks[claim] = review["verdict"]
        if (review.get("claim"), review.get("claim_doc"), review.get("status")) != (claim, claim_doc, status):
            states.append({"id": review["id"], "claim": claim, "doc": claim_doc, "status": status})
        counts[status] += 1
    writes = [
        {"doc": c["doc_id"], "id": c["id"], "verdict": marks.get(c["id"])}
        for c in claims
        if c.get("review") != marks.get(c["id"])
    ]
    if writes:
        store.write(_text("mark_claims"), rows=writes)
    if states:
        store.write(_text("review_state"), rows=states)
    return dict(counts)


# -- reviewing ---------------------------------------------------------------------------------------------------


def _status_of(claim: Mapping[str, Any]) -> str:
    return str(claim.get("review") or "unreviewed")


def review_claim(
    store: GraphStore, claim_id: str, verdict: str, *, why: str | None = None, by: str | None = None
) -> Row:
    """Confirm or reject a claim; the review is stored apart from it and reconciled at once. The claim row
    with its review comes back (`status`, `why`, `by`, `at`, `review_id`)."""
    if verdict not in VERDICTS:
        raise ConfigError(f"a review is {' or '.join(VERDICTS)}, not {verdict!r}")
    claim = find_claim(store, claim_id)
    reconcile(store)
    current = next((r for r in reviews(store) if r.get("claim") == claim["id"] or r.get("claim_id") == claim["id"]),
                   None)
    rid = current["id"] if current is not None else review_id(claim["id"])
    at = datetime.now(UTC).isoformat(timespec="seconds")
    _save(store, rid, claim, verdict, (why or "").strip() or None, reviewer(by), at)
    reconcile(store)
    return show_claim(store, claim["id"])


def _save(store: GraphStore, rid: str, claim: Row, verdict: str, why: str | None, by: str, at: str | None) -> None:
    """Write one review of `claim` (its verdict and the content that finds the claim again)."""
    props: dict[str, Any] = {
        "claim_id": claim["id"], "key": claim["key"], "verdict": verdict, "why": why, "by": by, "at": at,
        "claim": claim["id"], "claim_doc": claim["doc_id"], "status": verdict,
    }
    props.update({f: claim.get(f) for f in CONTENT_FIELDS})
    store.ensure_schema([REVIEW_LABEL])
    store.write(_text("save_review"), id=rid, props=props)


def restore_reviews(store: GraphStore, rows: Sequence[Row]) -> int:
    """Store reviews read back from an RDF export (id, claim_id, verdict, why, by, at), each with the content
    of its claim, which must be in the graph; how many were stored."""
    written = 0
    for row in rows:
        if row.get("verdict") not in VERDICTS or not row.get("id") or not row.get("claim_id"):
            continue
        try:
            claim = find_claim(store, str(row["claim_id"]))
        except ClaimNotFound:
            continue
        _save(store, str(row["id"]), claim, str(row["verdict"]), row.get("why"), row.get("by") or "unknown",
              row.get("at"))
        written += 1
    return written


def _review_fields(review: Mapping[str, Any] | None) -> Row:
    if review is None:
        return {"why": None, "by": None, "at": None, "review_id": None}
    return {"why": review.get("why"), "by": review.get("by"), "at": review.get("at"), "review_id": review["id"]}


def _claim_out(claim: Mapping[str, Any], review: Mapping[str, Any] | None) -> Row:
    """A claim as `claim show` and `claims` print it."""
    return {
        "id": claim["id"], "status": _status_of(claim) if review is None else review.get("status"),
        "subject": claim.get("subject_name"), "predicate": claim.get("predicate"),
        "object": claim.get("object_name"), "evidence": claim.get("evidence"), "source": claim.get("source"),
        "doc_id": claim.get("doc_id"), "start": claim.get("start"), "end": claim.get("end"),
        "confidence": claim.get("confidence"), "rule": claim.get("rule"), "denied": claim.get("denied"),
        "stage": claim.get("stage"), "subject_id": claim.get("subject"), "object_id": claim.get("object"),
        **_review_fields(review),
    }


def show_claim(store: GraphStore, claim_id: str) -> Row:
    """One claim with its review, if any (status unreviewed / confirmed / rejected)."""
    claim = find_claim(store, claim_id)
    current = [r for r in reviews(store) if r.get("claim") == claim["id"]]
    return _claim_out(claim, current[-1] if current else None)


def _orphan_out(review: Mapping[str, Any]) -> Row:
    """An orphaned review: what the claim it judged said (that claim is gone)."""
    return {
        "id": review.get("claim_id"), "status": "orphaned", "subject": review.get("subject_name"),
        "predicate": review.get("predicate"), "object": review.get("object_name"),
        "evidence": review.get("evidence"), "source": review.get("source"), "doc_id": review.get("doc_id"),
        "start": review.get("start"), "end": review.get("end"), "verdict": review.get("verdict"),
        **_review_fields(review),
    }


def list_claims(
    store: GraphStore, status: str, *, actor: Row | None = None, limit: int = DEFAULT_LIMIT
) -> list[Row]:
    """Claims by review status (`unreviewed`, `confirmed`, `rejected`, `orphaned`), optionally only those in and
    out of `actor` (a lookup row); `limit` rows at most (0: all)."""
    if status not in STATUSES:
        raise ConfigError(f"unknown review status {status!r}", hint=f"use one of {', '.join(STATUSES)}")
    cap = limit or 2**31 - 1
    reconcile(store)
    if status == "unreviewed":
        name, extra = ("unreviewed_of_actor", {"actor": actor["id"]}) if actor else ("unreviewed", {})
        rows = store.read(_text(name), predicates=list(PREDICATES), limit=cap, **extra)
        return [_claim_out(r, None) for r in rows]
    wanted = [r for r in reviews(store) if r.get("status") == status]
    if status == "orphaned":
        if actor is not None:
            names = {norm(actor.get("name")), *(norm(a) for a in actor.get("aliases") or [])}
            wanted = [r for r in wanted if names & {*(r.get("subject_forms") or []), *(r.get("object_forms") or [])}]
        return [_orphan_out(r) for r in wanted[:cap]]
    docs = sorted({r.get("claim_doc") or r["doc_id"] for r in wanted})
    claims = {c["id"]: c for c in doc_claims(store, docs)}
    out: dict[str, Row] = {}
    for review in wanted:  # oldest first: a later review of the same claim is the one that holds
        claim = claims.get(review.get("claim") or "")
        if claim is None or claim.get("review") != review.get("verdict"):  # a later review overrides it
            continue
        if actor is not None and actor["id"] not in (claim.get("subject"), claim.get("object")):
            continue
        out[claim["id"]] = _claim_out(claim, review)
    return list(out.values())[:cap]


def verdict_marks(store: GraphStore) -> dict[str, str]:
    """Current claim id -> verdict, for every review that has a claim (queries mark confirmed rows with it)."""
    if not store.read(_text("count_reviews"))[0]["n"]:
        return {}
    return {r["claim"]: r["verdict"] for r in reviews(store) if r.get("claim")}


# -- reviews as training labels ----------------------------------------------------------------------------------

_KEY_TYPES: Final = {"person": "PERSON", "org": "ORG", "gpe": "GPE", "charge": "CHARGE"}


def _end_type(key: str | None) -> str | None:
    """The entity type a document-level id says (`person:…` is a PERSON)."""
    return _KEY_TYPES.get((key or "").partition(":")[0])


def training_labels(store: GraphStore) -> tuple[list[Row], set[str]]:
    """Every review with what its claim said (orphaned ones too: a judgement of a sentence stays true), and
    the reviewed documents that still hold an unreviewed claim."""
    reconcile(store)
    stored = [r for r in reviews(store) if r.get("doc_id") and _end_type(r.get("subject_key"))]
    claims = doc_claims(store, sorted({r["doc_id"] for r in stored}))
    return stored, {c["doc_id"] for c in claims if c.get("review") is None}


def _same_sentence(a: str, b: str) -> bool:
    x, y = norm(a), norm(b)
    return bool(x) and bool(y) and (x in y or y in x)


def gold_with_reviews(
    gold: list[dict[str, Any]], labels: Sequence[Row], unreviewed: set[str], root: str
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The gold lines with reviews as extra labels: a confirmed claim becomes a relation of its document's line
    (unless the line states it already), a rejected one removes the line's relation it matches, so the model
    learns it as a negative. A reviewed document the gold lacks gets a line of its own when none of its claims
    is unreviewed (every other candidate of a line is a negative, so a half-reviewed document would teach
    wrong ones). The counts of what changed come back."""
    import os

    from actorgraph.extract.learned.gold import forms_of

    lines = [copy_line(r) for r in gold]
    by_path = {os.path.realpath(os.path.join(root, r["doc"])): r for r in lines}
    counts = {"added": 0, "removed": 0, "documents": 0, "skipped": 0}
    grouped: dict[str, list[Row]] = defaultdict(list)
    for label in labels:
        grouped[str(label["doc_id"])].append(label)
    for doc_id, group in sorted(grouped.items()):
        source = str(group[0].get("source") or "")
        path = os.path.realpath(source) if source else ""
        line = by_path.get(path)
        if line is None:
            inside = os.path.relpath(path, os.path.realpath(root)) if path and os.path.isfile(path) else ""
            if not inside or inside.startswith("..") or doc_id in unreviewed:
                counts["skipped"] += len(group)
                continue
            line = {"doc": inside.replace(os.sep, "/"), "entities": [], "relations": []}
            lines.append(line)
            by_path[path] = line
            counts["documents"] += 1
        gforms = {e["id"]: forms_of([e["name"], *(e.get("aliases") or [])]) for e in line["entities"]}
        for label in sorted(group, key=lambda r: (str(r.get("at")), str(r["id"]))):
            subject_forms = list(label.get("subject_forms") or [])
            object_forms = list(label.get("object_forms") or [])
            if not subject_forms or not object_forms:
                counts["skipped"] += 1
                continue
            sf, of = forms_of(subject_forms), forms_of(object_forms)
            same = [
                r for r in line["relations"]
                if r["predicate"] == label["predicate"] and gforms.get(r["subject"], frozenset()) & sf
                and gforms.get(r["object"], frozenset()) & of and _same_sentence(r["evidence"], label["evidence"])
            ]
            if label["verdict"] == "rejected":
                line["relations"] = [r for r in line["relations"] if r not in same]
                counts["removed"] += len(same)
            elif not same:
                subject = _gold_entity(line, gforms, subject_forms, label.get("subject_key"))
                obj = _gold_entity(line, gforms, object_forms, label.get("object_key"))
                line["relations"].append({"subject": subject, "predicate": label["predicate"], "object": obj,
                                          "evidence": label["evidence"]})
                counts["added"] += 1
    return lines, counts


def _gold_entity(
    line: dict[str, Any], gforms: dict[str, frozenset[str]], forms: Sequence[str], key: str | None
) -> str:
    """The id of the line's entity sharing a form with `forms`, else of a new entity made of them."""
    from actorgraph.extract.learned.gold import forms_of

    wanted = forms_of(forms)
    found = next((eid for eid, f in gforms.items() if f & wanted), None)
    if found is not None:
        return found
    eid = f"review-{len(line['entities']) + 1}"
    name = max(forms, key=lambda f: (len(f), f))
    line["entities"].append({"id": eid, "type": _end_type(key), "name": name, "aliases": sorted(set(forms) - {name})})
    gforms[eid] = wanted
    return eid


def copy_line(row: Mapping[str, Any]) -> dict[str, Any]:
    """A gold line with its own entity and relation lists (so adding labels leaves the caller's alone)."""
    return {**row, "entities": [dict(e) for e in row["entities"]], "relations": [dict(r) for r in row["relations"]]}
