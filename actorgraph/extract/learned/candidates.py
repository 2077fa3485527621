"""Candidates for the learned extractor: argument pairs of one sentence, read from the rule pipeline's actors.

For each sentence: every actor mention (a named span of an actor cluster, or a pronoun, relative pronoun or
definite noun phrase that the pipeline's shallow coreference resolves), every pair of distinct actors (one
candidate per unordered pair, from the two mentions closest in the parse), and every actor with a charge phrase
of the same sentence. The hand rules run too: which rule linked which pair, in which direction, rides along as
evidence for the model (they become features, the model decides).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from actorgraph.extract.aliases import lexicon
from actorgraph.extract.charges import Charge, charges_for
from actorgraph.extract.coref import ActorIndex
from actorgraph.extract.extractor import RulePass, rule_pass
from actorgraph.extract.model import Document
from actorgraph.extract.relations import Found, RuleEngine, _Context

#: At most this many actor pairs per sentence (the longest sentences of a list-like page).
MAX_PAIRS_PER_SENTENCE = 2000
#: At most this many charge phrases per sentence.
MAX_CHARGES_PER_SENTENCE = 12
#: Heads whose "of/with/for/over" phrase may name an offence ("charged with breaching takeover rules").
CHARGE_HEADS = frozenset({
    "accuse", "charge", "convict", "suspect", "guilty", "investigate", "arrest", "jail", "fine", "allegation",
    "accusation", "acquit", "sentence", "deny", "admit", "plead", "probe", "investigation", "prosecute",
    "indict", "allege", "claim", "blame", "clear", "found", "jailed", "imprison", "punish", "ban", "suspend",
    "sue", "face", "trial", "try", "question", "inquiry", "case", "lawsuit", "complaint", "penalty",
    "penalise", "penalize", "censure", "criticise", "condemn", "wanted", "detain", "indictment", "conviction",
})
CHARGE_PREPS = frozenset({"of", "with", "for", "over", "to", "in"})
#: Prepositions whose gerund may name what someone did wrong ("banned after failing a test", "jailed for ...").
GERUND_PREPS = frozenset({"for", "of", "with", "over", "after", "by"})
#: How many of a document's most mentioned organisations and places a titled person is paired with across
#: sentences ("said chief executive X" in a story about one firm).
SALIENT_PARTNERS = 3
TITLE_DEPS = frozenset({"compound", "appos", "amod", "nmod"})
#: Nouns that sum up people named just before ("the pair", "both men"); plural person and organisation nouns
#: of the entity word lists count too.
GROUP_PERSON_NOUNS = frozenset({"pair", "duo", "trio", "couple", "man", "woman", "men", "women", "both"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "both"})
#: How many sentences back a group noun or plural pronoun may find the coordination it sums up.
GROUP_LOOKBACK = 2
CHARGE_TOKEN_POS = frozenset({"NOUN", "PROPN", "VERB"})


@dataclass(frozen=True)
class ArgMention:
    """One argument in a sentence: an actor (cluster id) or a charge (normalised name), with its parse head."""

    key: str
    type: str  # PERSON | ORG | GPE | CHARGE
    how: str  # direct | pronoun | relative | definite | appos | proxy | rule | lexicon | prep
    head: int  # token index of the head word
    start: int  # token span [start, end)
    end: int
    start_char: int
    end_char: int


@dataclass(frozen=True)
class RuleHit:
    """A hand rule that linked the two arguments of a candidate: `forward` when its subject comes first."""

    rule: str
    predicate: str
    forward: bool
    confidence: float
    negated: bool
    denied: bool


@dataclass
class Candidate:
    """Two arguments of one sentence, `a` before `b` in the text (an actor and a charge: `a` is the actor)."""

    kind: str  # "pair" (actor, actor), "charge" (actor, charge), "xsent" (titled person, salient actor elsewhere)
    sent: Span
    a: ArgMention
    b: ArgMention
    rules: list[RuleHit] = field(default_factory=list)
    others_between: int = 0  # other actor mentions between the two
    near_rank: int = 9  # 0 when no other actor of the sentence is closer in the parse to this one's partner
    rank: int = 0  # xsent: the partner's rank among the document's organisations and places by mentions
    sent_gap: int = 0  # xsent: sentences to the partner's nearest mention


@dataclass
class DocCandidates:
    """Every candidate of one document, with the rule pipeline's view of it."""

    doc: Doc
    candidates: list[Candidate]
    found: list[Found]


def _span_head(doc: Doc, start: int, end: int) -> int:
    """The token of [start, end) whose head lies outside the span."""
    for tok in doc[start:end]:
        if not (start <= tok.head.i < end) or tok.head.i == tok.i:
            return tok.i
    return end - 1


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse (a large number across sentences)."""
    if a.sent.start != b.sent.start:
        return 99
    up_a = {a.i: 0}
    n, node = 0, a
    while node.head.i != node.i:
        n += 1
        node = node.head
        up_a[node.i] = n
    n, node = 0, b
    while node.i not in up_a:
        if node.head.i == node.i:
            return 99
        n += 1
        node = node.head
    return n + up_a[node.i]


def coordinations(doc: Doc, index: ActorIndex) -> list[tuple[int, str, list[str]]]:
    """(token index, type, cluster ids) of every coordination of two or more actors of one type ("A, B and C")."""
    out = []
    for tok in doc:
        if tok.dep_ == "conj" or tok.i not in index.by_token or not tok.conjuncts:
            continue
        first = index.by_token[tok.i]
        members = [first.id]
        for c in tok.conjuncts:
            other = index.by_token.get(c.i)
            if other is not None and other.type == first.type and other.id not in members:
                members.append(other.id)
        if len(members) >= 2:
            out.append((max(c.i for c in [tok, *tok.conjuncts]), first.type, members))
    return out


def _group_type(tok: Token) -> str | None:
    """PERSON or ORG for a noun or pronoun that may sum up a coordination ("the firms", "the pair", "they")."""
    lex = lexicon()
    lower, lemma = tok.lower_, tok.lemma_.lower()
    if tok.pos_ == "PRON" or lower in {"both"}:
        return "ANY" if lower in GROUP_PRONOUNS else None
    if tok.pos_ != "NOUN":
        return None
    if lower in GROUP_PERSON_NOUNS or lemma in GROUP_PERSON_NOUNS:
        return "PERSON"
    if tok.tag_ != "NNS":
        return None
    if lower in lex.org_nouns or lemma in lex.org_nouns:
        return "ORG"
    if lower in lex.person_nouns or lemma in lex.person_nouns:
        return "PERSON"
    return None


def group_members(tok: Token, groups: Sequence[tuple[int, str, list[str]]], sent_no: dict[int, int]) -> list[str]:
    """The actors a group noun or plural pronoun sums up: the last coordination of a fitting type before it, in
    this sentence or the GROUP_LOOKBACK before."""
    kind = _group_type(tok)
    if kind is None:
        return []
    here = sent_no[tok.sent.start]
    for end, gtype, members in reversed(groups):
        if end >= tok.i:
            continue
        if here - sent_no[tok.doc[end].sent.start] > GROUP_LOOKBACK:
            break
        if kind in {"ANY", gtype}:
            return members
    return []


def actor_mentions(doc: Doc, index: ActorIndex, sent: Span, ctx: _Context | None = None,
                   groups: Sequence[tuple[int, str, list[str]]] = (), sent_no: dict[int, int] | None = None,
                   ) -> list[ArgMention]:
    """Named mentions of actors in `sent`, then the pronouns, relatives and definite NPs that resolve to one, and
    (with the rules' context) nationality adjectives and party singulars that stand for a named actor."""
    out: list[ArgMention] = []
    seen_tokens: set[int] = set()
    for cluster in index.clusters:
        for span in cluster.spans:
            if span.start < sent.start or span.end > sent.end:
                continue
            head = _span_head(doc, span.start, span.end)
            out.append(ArgMention(cluster.id, cluster.type, "direct", head, span.start, span.end,
                                  span.start_char, span.end_char))
            seen_tokens.update(range(span.start, span.end))
    for tok in sent:
        if tok.i in seen_tokens or tok.i in index.by_token:
            continue
        if ctx is not None and tok.dep_ in {"amod", "compound", "nmod"}:
            resolved = ctx._norp_place(tok)
            if resolved:
                r = resolved[0]
                out.append(ArgMention(r.cluster_id, r.type, "norp", tok.i, tok.i, tok.i + 1, tok.idx,
                                      tok.idx + len(tok.text)))
                continue
        if tok.pos_ not in {"PRON", "NOUN"} and tok.tag_ not in {"WDT", "WP", "WP$"}:
            continue
        if groups and sent_no is not None and tok.dep_ not in {"compound", "amod"}:
            members = group_members(tok, groups, sent_no)
            if members:
                types = {c.id: c.type for c in index.clusters}
                for key in members:
                    out.append(ArgMention(key, types[key], "group", tok.i, tok.i, tok.i + 1, tok.idx,
                                          tok.idx + len(tok.text)))
                continue
        for r in index.resolve(tok):
            out.append(ArgMention(r.cluster_id, r.type, r.how, tok.i, tok.i, tok.i + 1, tok.idx,
                                  tok.idx + len(tok.text)))
    return sorted(out, key=lambda m: (m.start, m.end, m.key))


def charge_mentions(doc: Doc, sent: Span, cues: dict[str, frozenset[str]], actor_tokens: frozenset[int],
                    rule_charges: Sequence[tuple[str, int, int]]) -> list[ArgMention]:
    """Charge phrases of `sent`: those the rules found, offence words of the lexicon, and the object of an
    accusation word's preposition ("charged with X", "guilty of X"), each normalised as charges.py does."""
    found: list[tuple[str, Charge]] = []
    for name, start, end in rule_charges:
        found.append(("rule", Charge(name, start, end)))
    offences = cues.get("offence", frozenset())
    accusing = any(t.lemma_.lower() in CHARGE_HEADS or t.lemma_.lower() in offences for t in sent)
    for tok in sent:
        if tok.pos_ in CHARGE_TOKEN_POS and (tok.lemma_.lower() in offences or tok.lower_ in offences):
            found.extend(("lexicon", c) for c in charges_for(tok, cues, actor_tokens=actor_tokens))
        if accusing and tok.dep_ == "pcomp" and tok.tag_ == "VBG" and tok.head.lower_ in GERUND_PREPS:
            found.extend(("gerund", c) for c in charges_for(tok, cues, actor_tokens=actor_tokens))
        if tok.lemma_.lower() in CHARGE_HEADS:
            for prep in tok.children:
                if prep.dep_ in {"prep", "agent"} and prep.lower_ in CHARGE_PREPS:
                    for obj in prep.children:
                        if obj.dep_ in {"pobj", "pcomp"}:
                            found.extend(("prep", c) for c in charges_for(obj, cues, actor_tokens=actor_tokens))
    out: list[ArgMention] = []
    names: set[str] = set()
    for how, ch in found:
        if ch.name in names or not ch.name or len(ch.name) > 80:
            continue
        span = doc.char_span(ch.start, ch.end, alignment_mode="expand")
        if span is None or span.start < sent.start or span.end > sent.end:
            continue
        names.add(ch.name)
        out.append(ArgMention(ch.name, "CHARGE", how, _span_head(doc, span.start, span.end), span.start, span.end,
                              ch.start, ch.end))
        if len(out) >= MAX_CHARGES_PER_SENTENCE:
            break
    return out


def _closest(doc: Doc, xs: Sequence[ArgMention], ys: Sequence[ArgMention]) -> tuple[ArgMention, ArgMention]:
    best = None
    for x in xs:
        for y in ys:
            key = (tree_distance(doc[x.head], doc[y.head]), abs(x.head - y.head), x.start, y.start)
            if best is None or key < best[0]:
                best = (key, x, y)
    assert best is not None
    return best[1], best[2]


def _rank(group: list[tuple[int, Candidate]]) -> None:
    """Give each candidate of a group its rank by parse distance (the smallest rank it gets in any group)."""
    for n, (_, cand) in enumerate(sorted(group, key=lambda dc: dc[0])):
        cand.near_rank = min(cand.near_rank, n)


def _titled(doc: Doc, m: ArgMention, titles: set[str]) -> bool:
    """Whether a person mention carries a title ("chief executive X", "X, the party's treasurer")."""
    head = doc[m.head]
    near = [*doc[m.start:m.end], *(c for c in head.children if c.dep_ in TITLE_DEPS)]
    if head.dep_ == "appos":
        near.append(head.head)
    near += [g for t in list(near) for g in t.children if g.dep_ in TITLE_DEPS]
    return any(t.lower_ in titles or t.lemma_.lower() in titles for t in near)


def build(doc: Doc, document: Document, engine: RuleEngine, reading: RulePass | None = None) -> DocCandidates:
    """Every candidate of a parsed document (masked sentences skipped), with the rules' findings attached
    (`reading`, the rules' pass, when the caller has made it already)."""
    reading = reading or rule_pass(doc, document, engine)
    index, skip, found = reading.index, reading.skip, reading.found
    actor_tokens = frozenset(index.by_token)
    ctx = _Context(engine, doc, index)
    sent_no = {sent.start: n for n, sent in enumerate(doc.sents)}
    counts: dict[str, int] = {}
    first: dict[str, ArgMention] = {}
    where: dict[str, list[int]] = {}
    for cluster in index.clusters:
        counts[cluster.id] = len(cluster.spans)
        if cluster.spans and cluster.type in {"ORG", "GPE"}:
            span = cluster.spans[0]
            first[cluster.id] = ArgMention(cluster.id, cluster.type, "salient", _span_head(doc, span.start, span.end),
                                           span.start, span.end, span.start_char, span.end_char)
            where[cluster.id] = [sent_no[s.sent.start] for s in cluster.spans]
    salient = sorted(first, key=lambda k: (-counts[k], first[k].start))[:SALIENT_PARTNERS]
    lex_titles = {w.lower() for w in lexicon().titles}
    groups = coordinations(doc, index)
    by_sent: dict[int, list[Found]] = {}
    for f in found:
        by_sent.setdefault(f.sentence.start, []).append(f)
    out: list[Candidate] = []
    for sent in doc.sents:
        if sent.start in skip:
            continue
        mentions = actor_mentions(doc, index, sent, ctx, groups, sent_no)
        rules = by_sent.get(sent.start, [])
        rule_charges = [(f.object.key, f.object.start, f.object.end) for f in rules if f.object.kind == "charge"]
        charges = charge_mentions(doc, sent, engine.cues, actor_tokens, rule_charges)
        by_key: dict[str, list[ArgMention]] = {}
        for m in mentions:
            by_key.setdefault(m.key, []).append(m)
        keys = sorted(by_key, key=lambda k: by_key[k][0].start)
        pairs = 0
        first_pair = len(out)
        for i, ka in enumerate(keys):
            for kb in keys[i + 1:]:
                if pairs >= MAX_PAIRS_PER_SENTENCE:
                    break
                x, y = _closest(doc, by_key[ka], by_key[kb])
                a, b = (x, y) if (x.start, x.end) <= (y.start, y.end) else (y, x)
                cand = Candidate("pair", sent, a, b)
                cand.rules = [RuleHit(f.rule, f.predicate, f.subject.key == a.key, f.confidence, f.negated, f.denied)
                              for f in rules if {f.subject.key, f.object.key} == {a.key, b.key}]
                lo, hi = min(a.start, b.start), max(a.end, b.end)
                cand.others_between = sum(1 for m in mentions if lo <= m.start < hi and m.key not in {a.key, b.key})
                out.append(cand)
                pairs += 1
        by_partner: dict[str, list[tuple[int, Candidate]]] = {}
        for cand in out[first_pair:]:
            d = tree_distance(doc[cand.a.head], doc[cand.b.head])
            by_partner.setdefault(cand.a.key, []).append((d, cand))
            by_partner.setdefault(cand.b.key, []).append((d, cand))
        for group in by_partner.values():
            _rank(group)
        here = sent_no[sent.start]
        for m in mentions:
            if m.type != "PERSON" or m.how != "direct" or not _titled(doc, m, lex_titles):
                continue
            for rank, key in enumerate(salient):
                if key in by_key:
                    continue
                cand = Candidate("xsent", sent, m, first[key], rank=rank,
                                 sent_gap=min(abs(n - here) for n in where[key]))
                out.append(cand)
        for ch in charges:
            group = []
            for ka in keys:
                x, _ = _closest(doc, by_key[ka], [ch])
                cand = Candidate("charge", sent, x, ch)
                cand.rules = [RuleHit(f.rule, f.predicate, True, f.confidence, f.negated, f.denied) for f in rules
                              if f.subject.key == ka and f.object.kind == "charge" and f.object.key == ch.key]
                group.append((tree_distance(doc[x.head], doc[ch.head]), cand))
            _rank(group)
            out.extend(c for _, c in group)
    return DocCandidates(doc, out, found)
