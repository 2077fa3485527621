"""CHARGE objects: the offence a phrase names, as a short lower-case noun phrase ("money laundering", "fraud").

A charge comes from the argument of an accusation cue ("accused of X", "charges of X", "pleaded guilty to X",
"allegations he X-ed"). Coordinated offences are separate charges; "a string of crimes, including espionage"
gives "crimes against the state" and "espionage"; "declared an extremist organisation" gives "extremism".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

#: Children that never belong to the charge phrase itself.
_DROP_DEPS = frozenset({"conj", "cc", "appos", "relcl", "acl", "punct", "advcl", "parataxis", "mark", "nsubj",
                        "nsubjpass", "aux", "auxpass", "neg", "dep", "preconj", "case"})
#: Prepositions whose phrase stays inside a charge ("seizure of power", "crimes against the state").
_KEEP_PREPS = frozenset({"of", "for", "against", "to", "into", "with", "from", "on"})
_LEADING = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "these", "those",
                      "some", "any", "all", "alleged", "various", "several", "other", "such"})
_NON_CHARGE_ENTS = frozenset({"DATE", "TIME", "MONEY", "CARDINAL", "PERCENT", "QUANTITY", "ORDINAL"})
MAX_TOKENS = 12


@dataclass(frozen=True)
class Charge:
    """A normalised charge name and the char span of the text it was read from."""

    name: str
    start: int
    end: int


def normalise(words: list[str]) -> str:
    """Lower-case, drop leading articles/possessives and stray punctuation, collapse spaces."""
    out = [w.lower().replace("\u2019", "'") for w in words]
    while out and out[0] in _LEADING:
        out.pop(0)
    text = " ".join(out)
    text = re.sub(r"\s+([,.;:!?'])", r"\1", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\s+'s\b", "'s", text)
    text = text.strip(" ,.;:\"'“”‘’()[]")
    return re.sub(r"\s+", " ", text)


def _expand(tok: Token) -> list[Token]:
    """`tok` and the nouns/gerunds coordinated with it ('murder, money laundering and fraud')."""
    out = [tok]
    for conj in tok.conjuncts:
        if conj.i > tok.i and conj.pos_ in {"NOUN", "PROPN", "VERB", "ADJ"} and conj not in out:
            out.append(conj)
    return sorted(out, key=lambda t: t.i)


def _phrase_tokens(head: Token, *, with_preps: bool = True) -> list[Token]:
    keep: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        keep.append(tok)
        for child in tok.children:
            if child.dep_ in _DROP_DEPS and not (child.dep_ == "punct" and child.tag_ == "HYPH"):
                continue
            if child.dep_ == "prep" and (not with_preps or child.lower_ not in _KEEP_PREPS):
                continue
            if child.dep_ in {"ccomp", "xcomp"} and head.pos_ == "NOUN":
                continue
            if child.is_space:
                continue
            stack.append(child)
    return sorted(keep, key=lambda t: t.i)


def charges_for(tok: Token, cues: dict[str, frozenset[str]], *, lexicon: bool = False,
                actor_tokens: frozenset[int] = frozenset()) -> list[Charge]:
    """Charges named by the phrase headed by `tok` (and its coordinated phrases)."""
    out: list[Charge] = []
    quantifiers = cues.get("quantifier_noun", frozenset())
    for item in _expand(tok):
        heads = [item]
        if item.pos_ in {"NOUN", "PROPN"} and item.lemma_.lower() in quantifiers:
            of_objs = [g for c in item.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ in {"pobj", "pcomp"}]
            heads = [h for o in of_objs for h in _expand(o)]
        extra: list[Token] = []
        for head in {*heads, item}:
            for child in head.children:  # "crimes ..., including espionage, insulting X"
                if child.dep_ == "prep" and child.lower_ == "including":
                    extra.extend(g for g in child.children if g.dep_ in {"pobj", "pcomp"})
        for head in heads:
            split = _split_coordinated_modifier(head)
            if split:
                out.extend(c for part in split if (c := _make(part)) is not None)
                continue
            charge = _one(head, cues, lexicon=lexicon, actor_tokens=actor_tokens)
            if charge is not None:
                out.append(charge)
        for head in extra:
            for sub in _expand(head):
                charge = _one(sub, cues, lexicon=lexicon, actor_tokens=actor_tokens)
                if charge is not None:
                    out.append(charge)
    seen: set[str] = set()
    unique = []
    for c in out:
        if c.name not in seen:
            seen.add(c.name)
            unique.append(c)
    return unique


def _split_coordinated_modifier(head: Token) -> list[list[Token]]:
    """'fraud and tax evasion' parsed as modifier 'fraud (and tax)' of 'evasion': two charges, not one."""
    for child in head.children:
        if child.dep_ in {"nmod", "compound"} and child.i < head.i and any(g.dep_ == "cc" for g in child.children):
            conjs = [g for g in child.children if g.dep_ == "conj"]
            if not conjs:
                continue
            first = [t for t in _phrase_tokens(child)]
            rest = [t for t in _phrase_tokens(head) if t not in set(child.subtree)]
            rest += [t for c in conjs for t in c.subtree]
            return [first, sorted(set(rest), key=lambda t: t.i)]
    return []


def _one(head: Token, cues: dict[str, frozenset[str]], *, lexicon: bool, actor_tokens: frozenset[int]) -> Charge | None:
    if head.ent_type_ in _NON_CHARGE_ENTS or head.like_num or head.pos_ in {"PRON", "NUM", "DET", "PUNCT", "SPACE"}:
        return None
    if head.i in actor_tokens or head.lemma_.lower() in cues.get("not_charge", frozenset()):
        return None
    offences = cues.get("offence", frozenset())
    lemma = head.lemma_.lower()
    if head.tag_ == "NNS" and lemma.endswith(("er", "or", "ist")) and lemma not in offences:
        return None  # "the prosecution of spam distributors": people, not what they are accused of
    if head.pos_ == "PROPN" and not any(c.pos_ in {"NOUN", "VERB"} for c in head.subtree):
        return None
    if lexicon:
        hits = [t for t in head.subtree if t.lemma_.lower() in offences or t.lower_ in offences]
        if not hits:
            return None
        if head.pos_ != "VERB":  # a weak cue: keep only the offence's own short noun phrase
            hit = hits[0]
            toks = [t for t in hit.subtree if t.dep_ in {"compound", "amod", "nmod"} or t == hit]
            toks = [t for t in toks if t.head == hit or t == hit]
            return _make(sorted(toks, key=lambda t: t.i))
    toks = _phrase_tokens(head)
    if len(toks) > MAX_TOKENS:
        toks = _phrase_tokens(head, with_preps=False)
    if len(toks) > MAX_TOKENS:
        return None
    return _make(toks)


def _make(toks: list[Token]) -> Charge | None:
    if not toks:
        return None
    toks = [t for t in toks if t.tag_ != "PRP$" or t is toks[0]]  # "falsifying its accounts" -> "falsifying accounts"
    name = normalise([t.text for t in toks])
    if not name or not re.search(r"[a-z]", name):
        return None
    first = next((t for t in toks if t.lower_ not in _LEADING and not t.is_punct), toks[0])
    last = toks[-1]
    while last.is_punct and last.i > first.i:
        last = last.doc[last.i - 1]
    return Charge(name, first.idx, last.idx + len(last.text))


def charge_from_adjective(tok: Token, cues: dict[str, frozenset[str]]) -> Charge | None:
    """'declared an extremist organisation' -> extremism (mapping in cues.jsonl: charge_adjective)."""
    mapping = dict(w.split("=", 1) for w in cues.get("charge_adjective", frozenset()) if "=" in w)
    for cand in [tok, *tok.children]:
        name = mapping.get(cand.lower_)
        if name:
            return Charge(name, cand.idx, cand.idx + len(cand.text))
    return None
