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
    "object_forms", "source",
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
    """A claim says what the review judged: same document and predicate, the same sentence, and ends that share
    a surface form with the reviewed claim's ends (so a re-named or re-resolved actor still matches)."""
    if review.get("doc_id") != claim.get("doc_id") or review.get("predicate") != claim.get("predicate"):
        return False
    if review.get("key") == claim.get("key"):
        return True
    return (
        _overlap(review, claim)
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


def reconcile(store: GraphStore) -> dict[str, int]:
    """Find every review's claim now, record it (or orphaned) and set the claims' `review` marks to match.

    Only the documents reviews name are read, so the cost is in the reviews, not the graph. Idempotent; the
    counts of reviews by status come back.
    """
    if not store.read(_text("count_reviews"))[0]["n"]:
        return {}
    stored = reviews(store)
    claims = doc_claims(store, sorted({r["doc_id"] for r in stored if r.get("doc_id")}))
    by_id = {c["id"]: c for c in claims}
    by_doc: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in claims:
        by_doc[(row["doc_id"], row["predicate"])].append(row)
    marks: dict[str, str] = {}
    states: list[Row] = []
    counts: dict[str, int] = defaultdict(int)
    for review in stored:  # oldest first: a later review of the same claim wins its mark
        where = (str(review.get("doc_id")), str(review.get("predicate")))
        found = match(review, by_id, by_doc.get(where, []))
        status = str(review["verdict"]) if found is not None else "orphaned"
        claim: str | None = found["id"] if found is not None else None
        if claim is not None:
            marks[claim] = review["verdict"]
        if (review.get("claim"), review.get("status")) != (claim, status):
            states.append({"id": review["id"], "claim": claim, "status": status})
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
    props: dict[str, Any] = {
        "claim_id": claim["id"], "key": claim["key"], "verdict": verdict, "why": (why or "").strip() or None,
        "by": reviewer(by), "at": datetime.now(UTC).isoformat(timespec="seconds"), "claim": claim["id"],
        "status": verdict,
    }
    props.update({f: claim.get(f) for f in CONTENT_FIELDS})
    store.ensure_schema([REVIEW_LABEL])
    store.write(_text("save_review"), id=rid, props=props)
    reconcile(store)
    return show_claim(store, claim["id"])


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
    claims = {c["id"]: c for c in doc_claims(store, sorted({r["doc_id"] for r in wanted}))}
    out = []
    for review in wanted:
        claim = claims.get(review.get("claim") or "")
        if claim is None:
            continue
        if actor is not None and actor["id"] not in (claim.get("subject"), claim.get("object")):
            continue
        out.append(_claim_out(claim, review))
    return out[:cap]


def verdict_marks(store: GraphStore) -> dict[str, str]:
    """Current claim id -> verdict, for every review that has a claim (queries mark confirmed rows with it)."""
    if not store.read(_text("count_reviews"))[0]["n"]:
        return {}
    return {r["claim"]: r["verdict"] for r in reviews(store) if r.get("claim")}
