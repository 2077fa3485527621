"""Training labels: which candidates the gold annotations state, matched the way the scorer matches.

An argument matches a gold entity when one of its normalised surface forms (name, aliases, mention texts)
equals one of the gold entity's (charges: one contains the other); a candidate takes a gold relation's label
when both ends match and the gold evidence overlaps the candidate's sentence. This is the only module that
reads gold, and only to label: features never see it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from actorgraph.extract.learned.candidates import Candidate
from actorgraph.extract.learned.predict import NONE
from actorgraph.extract.model import Entity
from actorgraph.vocab import SYMMETRIC


def norm(name: str) -> str:
    """The scorer's normalisation: case-fold, drop a leading article and punctuation, collapse spaces."""
    s = unicodedata.normalize("NFKC", name).casefold()
    s = s.replace("\u2019", "'").replace("'s ", " ")
    s = re.sub(r"[^\w\s-]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^(the|a|an) ", "", s)


def forms_of(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in (norm(x) for x in names if x) if n)


def entity_forms(entities: Iterable[Entity]) -> dict[str, frozenset[str]]:
    """Predicted entity id -> its normalised forms (name, aliases, mention texts), as the scorer reads them."""
    return {e.id: forms_of([e.name, *e.aliases, *(m.text for m in e.mentions)]) for e in entities}


def charge_forms(cand: Candidate, text: str) -> frozenset[str]:
    return forms_of([cand.b.key, text[cand.b.start_char:cand.b.end_char]])


def pair_class(predicate: str, forward: bool) -> str:
    """The class name of a predicate between a first and a second argument."""
    if predicate in SYMMETRIC:
        return predicate
    return predicate + (">" if forward else "<")


def evidence_spans(text: str, evidence: str) -> list[tuple[int, int]]:
    out, at = [], text.find(evidence)
    while at >= 0 and evidence:
        out.append((at, at + len(evidence)))
        at = text.find(evidence, at + 1)
    return out


def label(cands: list[Candidate], forms: Mapping[str, frozenset[str]], gold: dict[str, Any], text: str,
          order: tuple[str, ...]) -> list[str]:
    """One class per candidate: `none`, `<PREDICATE>>` / `<PREDICATE><` for pairs (subject first / second),
    the bare predicate for symmetric ones and for charges; gold predicates earlier in `order` win ties."""
    gforms = {e["id"]: forms_of([e.get("name", ""), *(e.get("aliases") or [])]) for e in gold["entities"]}
    gtypes = {e["id"]: e.get("type") for e in gold["entities"]}
    rank = {p: n for n, p in enumerate(order)}
    rels = sorted(gold["relations"], key=lambda r: rank.get(r["predicate"], len(order)))
    spans = [evidence_spans(text, r.get("evidence", "")) for r in rels]
    out = []
    for cand in cands:
        s0, s1 = cand.sent.start_char, cand.sent.end_char
        af = forms.get(cand.a.key, frozenset())
        bf = charge_forms(cand, text) if cand.kind == "charge" else forms.get(cand.b.key, frozenset())
        cls = NONE
        for r, sp in zip(rels, spans, strict=True):
            if sp and not any(a < s1 and s0 < b for a, b in sp):
                continue
            subj, obj = gforms.get(r["subject"], frozenset()), gforms.get(r["object"], frozenset())
            if cand.kind == "charge":
                if gtypes.get(r["object"]) == "CHARGE" and af & subj and any(
                        p in g or g in p for p in bf for g in obj):
                    cls = r["predicate"]
                    break
                continue
            if gtypes.get(r["object"]) == "CHARGE":
                continue
            if af & subj and bf & obj:
                cls = pair_class(r["predicate"], True)
                break
            if bf & subj and af & obj:
                cls = pair_class(r["predicate"], False)
                break
        out.append(cls)
    return out
