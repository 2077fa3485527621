"""Features of a candidate, from the parse only: the one function training and prediction both call.

Generic on purpose, so the model carries beyond the phrasing it was trained on: dependency paths (labels,
directions, lemmas), cue *classes* from the pattern files (which predicate's rule a lemma triggers, denial,
hedge, modal, money, offence, title...) rather than surface words, entity types, order, distance, voice,
negation and quotation, and which hand rule fired. Names never enter: argument tokens are described by type
and role, not by text. Nothing here reads gold annotations.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from actorgraph.extract.aliases import lexicon
from actorgraph.extract.learned.candidates import ArgMention, Candidate
from actorgraph.extract.relations import default_rules

MAX_PATH = 7
QUOTES = frozenset({'"', "“", "”"})
REPORTING = frozenset({"say", "tell", "claim", "allege", "add", "insist", "argue", "state", "report", "believe",
                       "suggest", "warn", "announce", "write", "accord"})


@lru_cache(maxsize=1)
def cue_classes() -> dict[str, frozenset[str]]:
    """lemma -> the classes it belongs to: `rule:<PREDICATE>` for rule trigger words, `cue:<name>` for the cue
    lists of patterns/, `lex:<list>` for the entity word lists (titles, organisation and person nouns)."""
    rules = default_rules()
    out: dict[str, set[str]] = {}
    for rule in rules.rules:
        attrs = rule.pattern[0].get("RIGHT_ATTRS", {})
        for key in ("LEMMA", "LOWER"):
            spec = attrs.get(key)
            words = spec.get("IN", []) if isinstance(spec, dict) else [spec] if isinstance(spec, str) else []
            for w in words:
                out.setdefault(str(w).lower(), set()).add("rule:" + rule.predicate)
    for name, words in rules.cues.items():
        for w in words:
            w = w.split("=", 1)[0]
            out.setdefault(w.lower(), set()).add("cue:" + name)
    lex = lexicon()
    for name, words in (("title", lex.titles), ("org_noun", lex.org_nouns), ("person_noun", lex.person_nouns),
                        ("org_head", lex.org_heads)):
        for w in words:
            out.setdefault(w.lower(), set()).add("lex:" + name)
    return {k: frozenset(v) for k, v in out.items()}


def classes_of(tok: Token) -> frozenset[str]:
    table = cue_classes()
    return table.get(tok.lemma_.lower(), frozenset()) | table.get(tok.lower_, frozenset())


def _up(tok: Token) -> list[Token]:
    chain = [tok]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def dep_path(a: Token, b: Token) -> tuple[list[Token], Token | None, list[Token]]:
    """(a .. below the lowest common ancestor, the ancestor, below it .. b) or ([], None, []) if unconnected."""
    ua, ub = _up(a), _up(b)
    pos_b = {t.i: n for n, t in enumerate(ub)}
    for n, t in enumerate(ua):
        if t.i in pos_b:
            return ua[:n], t, list(reversed(ub[:pos_b[t.i]]))
    return [], None, []


def _lemma(tok: Token) -> str:
    if tok.like_num or tok.ent_type_ in {"MONEY", "CARDINAL", "PERCENT", "QUANTITY"}:
        return "<num>"
    if tok.ent_type_ == "DATE":
        return "<date>"
    if tok.pos_ == "PROPN":
        return "<propn>"
    return tok.lemma_.lower()


def _bucket(n: int) -> str:
    for edge in (0, 1, 2, 3, 5, 8, 12, 20):
        if n <= edge:
            return str(edge)
    return "big"


def _is_passive(tok: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in tok.children) or (
        tok.tag_ == "VBN" and any(c.dep_ == "agent" for c in tok.children))


def _in_quote(sent: Span, tok_i: int) -> bool:
    return sum(1 for t in sent if t.i < tok_i and t.text in QUOTES) % 2 == 1


def _arg(prefix: str, m: ArgMention, tok: Token) -> list[str]:
    """How an argument sits in the sentence: its type, how it was found, its role and what governs it, and the
    classes of the words of its own mention ('court', 'commission', 'party': what kind of actor, not which)."""
    f = [f"{prefix}.type={m.type}", f"{prefix}.how={m.how}", f"{prefix}.dep={tok.dep_}",
         f"{prefix}.dephead={tok.dep_}|{_lemma(tok.head)}"]
    if m.type != "CHARGE":
        for t in tok.doc[m.start:m.end]:
            f += [f"{prefix}.namecls={c}" for c in classes_of(t) if not c.startswith("rule:")]
    if tok.dep_ in {"pobj", "pcomp"}:
        prep = tok.head
        f.append(f"{prefix}.prep={prep.lower_}|{_lemma(prep.head)}")
        f.append(f"{prefix}.prepword={prep.lower_}")
        f += [f"{prefix}.prepcls={prep.lower_}|{c}" for c in classes_of(prep.head)]
    f += [f"{prefix}.headcls={tok.dep_}|{c}" for c in classes_of(tok.head)]
    for c in tok.children:
        if c.dep_ in {"appos", "compound", "amod", "poss"}:
            f += [f"{prefix}.mod={c.dep_}|{k}" for k in classes_of(c)]
    f += [f"{prefix}.ownmod={c.dep_}|{k}" for c in tok.children for k in classes_of(c) if c.dep_ in {"compound",
                                                                                                  "amod", "appos"}]
    return f


def _xsent_features(cand: Candidate, ta: Token) -> list[str]:
    """A titled person and one of the document's most mentioned organisations or places, not in the sentence."""
    f = [f"kind={cand.kind}", f"types={cand.a.type}_{cand.b.type}", f"x.rank={cand.rank}",
         f"x.gap={_bucket(cand.sent_gap)}", f"x.rank_type={cand.rank}|{cand.b.type}", f"a.dep={ta.dep_}"]
    near = [*(c for c in ta.children if c.dep_ in {"compound", "appos", "amod", "nmod"})]
    if ta.dep_ == "appos":
        near.append(ta.head)
    for t in near:
        f.append(f"x.title={_lemma(t)}")
        f.append(f"x.title_type={_lemma(t)}|{cand.b.type}")
        f += [f"x.titlec={c}|{cand.b.type}" for c in classes_of(t)]
        for g in t.children:
            if g.dep_ in {"compound", "amod", "poss", "nmod"}:
                f.append(f"x.mod={g.ent_type_ or g.pos_}|{cand.b.type}")
    others = {t.ent_type_ for t in cand.sent if t.ent_type_ in {"ORG", "GPE", "NORP"}}
    f += [f"x.sent_has={e}" for e in sorted(others)] or ["x.sent_has=none"]
    return sorted(set(f))


def candidate_features(cand: Candidate) -> list[str]:
    """The binary features of one candidate (sorted, unique)."""
    doc = cand.sent.doc
    ta, tb = doc[cand.a.head], doc[cand.b.head]
    sent = cand.sent
    if cand.kind == "xsent":
        return _xsent_features(cand, ta)
    f: list[str] = [f"kind={cand.kind}", f"types={cand.a.type}_{cand.b.type}"]
    f += _arg("a", cand.a, ta) + _arg("b", cand.b, tb)
    gap = max(0, max(cand.a.start, cand.b.start) - min(cand.a.end, cand.b.end))
    f.append(f"gap={_bucket(gap)}")
    f.append(f"between_actors={min(cand.others_between, 3)}")
    f.append(f"near_rank={min(cand.near_rank, 2)}")
    f.append(f"near_rank_kind={cand.kind}|{min(cand.near_rank, 2)}")
    if cand.kind == "charge":
        f.append("charge_after" if cand.b.start >= cand.a.end else "charge_before")
        f.append(f"charge_words={min(cand.b.end - cand.b.start, 5)}")
    if cand.a.start < cand.b.end and cand.b.start < cand.a.end:
        f.append("overlap")

    up, top, down = dep_path(ta, tb)
    path_key = "none"
    inner: list[Token] = []
    if top is None:
        f.append("path=none")
    else:
        n = len(up) + len(down)
        f.append(f"pathlen={_bucket(n)}")
        labels = [f"<{t.dep_}" for t in up] + [f">{t.dep_}" for t in down]
        inner = [*up[1:], top, *down[:-1]] if n else []
        path_key = " ".join(labels) if n <= MAX_PATH else "long"
        if n <= MAX_PATH:
            f.append("plab=" + " ".join(labels))
            f.append("plab_top=" + " ".join(labels) + "|" + _lemma(top))
            f.append(f"plab_types={cand.a.type}_{cand.b.type}|" + " ".join(labels))
        f.append(f"top={_lemma(top)}")
        f.append(f"top_pos={top.pos_}")
        f.append(f"top_sides={up[-1].dep_ if up else 'self'}|{_lemma(top)}|{down[0].dep_ if down else 'self'}")
        f.append(f"top_side_labels={up[-1].dep_ if up else 'self'}|{top.pos_}|{down[0].dep_ if down else 'self'}")
        for t in inner:
            if t.i in {ta.i, tb.i}:
                continue
            f.append(f"pl={_lemma(t)}")
            for c in classes_of(t):
                f.append(f"pc={c}")
                f.append(f"pc_types={cand.a.type}_{cand.b.type}|{c}")
                f.append(f"pc_sides={up[-1].dep_ if up else 'self'}|{c}|{down[0].dep_ if down else 'self'}")
            if t.pos_ in {"VERB", "AUX"} and _is_passive(t):
                f.append("passive_on_path")
        for c in classes_of(top):
            f.append(f"topc={c}")
            f.append(f"topc_dir={c}|{'passive' if _is_passive(top) else 'active'}")
        # modality on the clause chain above the path's top
        chain = _up(top)
        for node in chain:
            at_top = node.i == top.i
            for child in node.children:
                if child.dep_ == "neg":
                    f.append("neg" if at_top else "neg_above")
                if child.dep_ == "mark":
                    f += [f"mark={child.lower_}", *(f"markc={k}" for k in classes_of(child))]
                if child.dep_ == "aux" and child.lower_ in {"would", "could", "might", "may", "should", "will"}:
                    f.append(f"modal={child.lower_}" if at_top else f"modal_above={child.lower_}")
            if not at_top:
                f += [f"above={k}" for k in classes_of(node) if k.startswith("cue:") or k.startswith("rule:")]
                if node.lemma_.lower() in REPORTING:
                    f.append("reported")
        for t in (*inner, top):
            if any(c.lower_ in {"no", "never", "neither", "nor"} for c in t.children):
                f.append("no_word")
            if t.i != top.i and any(c.dep_ == "neg" for c in t.children):
                f.append("neg_path")
    # money: a sum on the path, between the two, or in the sentence (funding, fines and salaries alike)
    money = {t.i for t in sent if t.ent_type_ == "MONEY"}
    if money:
        f.append("money_in_sentence")
        lo_m, hi_m = min(cand.a.start, cand.b.start), max(cand.a.end, cand.b.end)
        if any(lo_m <= i < hi_m for i in money):
            f.append("money_between")
        if top is not None and any(c.i in money or any(g.i in money for g in c.subtree)
                                   for t in (*inner, top) for c in t.children if c.dep_ in {"dobj", "attr", "pobj"}):
            f.append("money_on_path")
            f.append(f"money_on_path_types={cand.a.type}_{cand.b.type}")
            f.append(f"money_path={path_key}")
    # words between the two and just around them, as lemmas and classes
    lo, hi = min(cand.a.end, cand.b.end), max(cand.a.start, cand.b.start)
    between = [t for t in doc[lo:hi] if not t.is_punct and not t.is_space]
    for t in between[:12]:
        f.append(f"bw={_lemma(t)}")
        f += [f"bc={c}" for c in classes_of(t)]
    first, last = min(cand.a.start, cand.b.start), max(cand.a.end, cand.b.end)
    for t in doc[max(sent.start, first - 3):first]:
        f += [f"before={_lemma(t)}"] + [f"beforec={c}" for c in classes_of(t)]
    for t in doc[last:min(sent.end, last + 4)]:
        f += [f"after={_lemma(t)}"] + [f"afterc={c}" for c in classes_of(t)]
    if sent.text.rstrip().rstrip("\"'”’").endswith("?"):
        f.append("question")
    if sent.text.rstrip()[-1:] not in {".", '"', "”", "!", "?", "'"}:
        f.append("headline")
    if _in_quote(sent, ta.i):
        f.append("a_quoted")
    if _in_quote(sent, tb.i):
        f.append("b_quoted")
    for hit in cand.rules:
        d = ">" if hit.forward else "<"
        f.append(f"rule={hit.predicate}{d}")
        f.append(f"ruleid={hit.rule}{d}")
        if hit.negated:
            f.append(f"rule_neg={hit.predicate}")
        if hit.denied:
            f.append("rule_denied")
    if not cand.rules:
        f.append("rule=none")
    return sorted(set(f))
