"""CHARGE objects: the offence a phrase names, as a short lower-case noun phrase ("money laundering", "fraud").

A charge comes from the argument of an accusation cue ("accused of X", "charges of X", "pleaded guilty to X",
"under investigation for X", "allegations he X-ed"). It is a noun phrase or a gerund phrase ("breaching
takeover rules", "misleading investors"): leading determiners and possessives, hedges ("alleged"), quantities,
dates, places and relative clauses are left out; a clause ("he bribed officials") is named by its gerund
("bribing officials"). Coordinated offences are separate charges ("fraud and money laundering" gives two); "a
string of crimes, including espionage" gives "crimes" and "espionage"; "declared an extremist organisation"
gives "extremism". Anything else is not a charge: a phrase longer than MAX_TOKENS, a lone generic word
("running", "claims"), a number or date, or page text around a verb of saying ("said made countless times").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from actorgraph.extract.lexicon import lexicon as shared_lexicon
from actorgraph.extract.lexicon import word_list

#: Verbs whose clause states an offence, named by its gerund phrase ("misleading investors").
OFFENCE_VERBS = frozenset(w.lower() for w in word_list("charges_offence_verbs.txt"))
#: Offence and wrongdoing head words (general knowledge); also the relation rules' "offence" cue.
OFFENCES = frozenset(w.lower() for w in word_list("charges_offences.txt"))
#: Hedging, counting and back-referring modifiers that are no part of the offence ("alleged", "same").
DROP_MODIFIERS = frozenset(w.lower() for w in word_list("charges_drop_modifiers.txt"))
#: Heads that never name an offence by themselves ("the rest of the season", "the incident").
GENERIC_HEADS = frozenset(w.lower() for w in word_list("charges_generic_heads.txt"))
#: Heads that link someone to a thing ("involvement in", "role in", "links to"): a charge only when the thing is an
#: offence ("involvement in fraud", not "involvement in the government").
LINK_HEADS = frozenset({"involvement", "role", "part", "participation", "links", "ties", "connection",
                        "connections", "association", "complicity"})
#: Heads whose "in" phrase belongs to the offence ("involvement in criminal activities").
IN_HEADS = frozenset(w.lower() for w in word_list("charges_in_heads.txt"))
#: Nouns for people: "three other men of distributing steroids" names the men, then what they did.
PERSON_NOUNS = frozenset(w.lower() for w in shared_lexicon().person_nouns)
#: Speech verbs: never the head of a charge, and a finite one inside the phrase marks page text.
SAY_VERBS = frozenset(w.lower() for w in word_list("entities_say_verbs.txt")) | {"say", "tell", "state", "report"}

#: Prepositions whose phrase stays inside a charge ("misuse of postal votes", "lying to the court").
_KEEP_PREPS = frozenset({"of", "for", "against", "to", "into", "with", "from", "on", "about", "without", "in"})
_LEADING = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these",
                      "those", "some", "any", "all", "no", "each", "every", "both", "such", "alleged"})
#: Entity types that say when, where, how much: never a charge, and dropped from inside one.
_NON_CHARGE_ENTS = frozenset({"DATE", "TIME", "MONEY", "CARDINAL", "PERCENT", "QUANTITY", "ORDINAL"})
_PLACE_TIME_ENTS = _NON_CHARGE_ENTS | {"GPE", "LOC", "FAC", "EVENT"}
#: Verb tags of a finite verb (a clause, not a gerund phrase).
_FINITE = frozenset({"VBD", "VBZ", "VBP"})
#: Adverbs kept in a gerund phrase ("illegally hiring an aide"); all other adverbs are left out.
_KEEP_ADVERBS = frozenset({"fraudulently", "illegally", "unlawfully", "improperly", "corruptly", "dishonestly",
                           "falsely", "secretly", "artificially", "deliberately", "knowingly"})
#: Adverbial particles the parser may attach as prepositions ("running out of", "covering up").
_PARTICLES = frozenset({"out", "up", "down", "off", "away", "back"})
#: Units of sums the tokenizer splits off ("$3m", "£2bn").
_AMOUNT_UNITS = frozenset({"m", "bn", "mn", "k", "million", "billion", "trillion"})
#: "his role in X", "their part in X": X is the offence.
_ROLE_NOUNS = frozenset({"role", "part", "hand", "complicity"})
#: Words for an accusation itself: a charge only with a noun naming the offence ("fraud charges").
_ACCUSATION_HEADS = frozenset({"charge", "allegation", "accusation", "claim", "case", "count", "complaint",
                               "suspicion", "lawsuit", "suit", "indictment"})
MAX_TOKENS = 8


@dataclass(frozen=True)
class Charge:
    """A normalised charge name and the char span of the text it was read from."""

    name: str
    start: int
    end: int


def normalise(words: list[str]) -> str:
    """Lower-case, drop leading articles/possessives/hedges and stray punctuation, collapse spaces."""
    out = [w.lower().replace("\u2019", "'") for w in words]
    while out and (out[0] in _LEADING or out[0] in DROP_MODIFIERS or out[0] in {"'s", "'"}):
        out.pop(0)
    text = " ".join(out)
    text = re.sub(r"\s+([,.;:!?'])", r"\1", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\s+'s\b", "'s", text)
    text = re.sub(r"[\"“”‘’()\[\]]", " ", text)
    text = text.strip(" ,.;:'")
    text = re.sub(r"\s+", " ", text).strip()
    while True:  # "providing financial support to" (its object an actor, taken out): no dangling link word
        cut = re.sub(r"\s+(?:to|of|for|from|with|by|on|in|at|and|or|against|towards)$", "", text)
        if cut == text:
            return text
        text = cut


def gerund(lemma: str) -> str:
    """The -ing form of a verb lemma ('lie' -> 'lying', 'hide' -> 'hiding', 'rig' -> 'rigging', 'fix' -> 'fixing')."""
    w = lemma.lower()
    if w == "be":
        return "being"
    if w.endswith("ie"):
        return w[:-2] + "ying"
    if w.endswith(("ee", "ye", "oe")) or w in {"singe", "dye"}:
        return w + "ing"
    if w.endswith("e") and len(w) > 2:
        return w[:-1] + "ing"
    if _doubles_final(w):
        return w + w[-1] + "ing"
    return w + "ing"


def _doubles_final(w: str) -> bool:
    """Consonant-vowel-consonant at the end of a one-syllable verb (or a stressed -mit/-fer/-pel/-cur one)."""
    vowels = "aeiou"
    if len(w) < 3 or w[-1] in vowels or w[-1] in "wxy" or w[-2] not in vowels or w[-3] in vowels:
        return False
    syllables = len(re.findall(r"[aeiouy]+", w))
    return syllables == 1 or w.endswith(("mit", "fer", "pel", "cur"))


def is_offence(tok: Token, cues: dict[str, frozenset[str]] | None = None) -> bool:
    """Whether the token's lemma or form is an offence word (the lexicon, plus the cues' own 'offence' list)."""
    words = OFFENCES | (cues.get("offence", frozenset()) if cues else frozenset())
    return tok.lemma_.lower() in words or tok.lower_ in words


def _expand(tok: Token) -> list[Token]:
    """`tok` and the nouns/gerunds coordinated with it ('murder, money laundering and fraud'); a coordinated
    verb with its own subject is another clause, not another charge."""
    out = [tok]
    for conj in tok.conjuncts:
        if conj.i <= tok.i or conj in out or conj.pos_ not in {"NOUN", "PROPN", "VERB", "ADJ"}:
            continue
        if conj.pos_ == "VERB" and any(c.dep_ in {"nsubj", "nsubjpass"} for c in conj.children):
            continue
        out.append(conj)
    return sorted(out, key=lambda t: t.i)


def _numeric(tok: Token) -> bool:
    """A number, date, sum or its unit ("$3m" is parsed "$", "3", "m")."""
    return (tok.like_num or tok.tag_ in {"CD", "$"} or tok.ent_type_ in _NON_CHARGE_ENTS
            or tok.lower_ in _AMOUNT_UNITS)


def _keep_pp(head: Token, prep: Token) -> bool:
    """Whether a prepositional phrase on `head` is part of the offence, not its time, place or size."""
    word = prep.lower_
    if word not in _KEEP_PREPS:
        return False
    if word == "in" and head.lemma_.lower() not in IN_HEADS and not any(
            c.dep_ == "dobj" and c.lemma_.lower() in IN_HEADS for c in head.children):  # "taking part in"
        return False
    objs = [g for g in prep.children if g.dep_ in {"pobj", "pcomp"}]
    return bool(objs) and not any(o.ent_type_ in _PLACE_TIME_ENTS or _numeric(o) for o in objs)


def _phrase(head: Token, *, preps: int = 2, depth: int = 0, split: bool | None = None,
            obj: Token | None = None) -> list[Token]:
    """The tokens of the offence phrase headed by `head`: a noun with its modifiers and argument phrases, or a
    verb with its particle, negation, objects and complements. `preps` is how many levels of prepositional
    phrases to keep; coordination is left out where it splits charges (`split`, by default at the top) and kept
    inside ("the legalisation of drugs and the sex trade"); `obj` stands in for the head's direct object."""
    keep = [head]
    verbal = head.pos_ in {"VERB", "AUX"}
    children = list(head.children)
    if depth == 0 and head.dep_ == "conj" and not [c for c in head.conjuncts if c.i > head.i]:
        children += [c for cj in head.conjuncts if cj.i < head.i for c in cj.children
                     if c.dep_ == "prep" and c.i > head.i]  # the last conjunct takes the phrases hung after it
    for child in children:
        dep = child.dep_
        if child.is_space or (dep == "punct" and child.tag_ != "HYPH"):
            continue
        if dep in {"conj", "cc", "preconj"}:
            if not (depth == 0 if split is None else split) and dep == "conj" and _same_kind(head, child):
                keep += _phrase(child, preps=preps, depth=depth)
                keep += [t for c in head.children if c.dep_ in {"cc", "preconj"} and c.i < child.i
                         for t in c.subtree]
            continue
        if dep == "dobj" and verbal and obj is not None:
            keep += _phrase(obj, preps=preps, depth=depth + 1, split=True)
            continue
        if verbal and dep in {"prep", "advmod"} and child.lower_ in _PARTICLES and child.i == head.i + 1:
            keep.append(child)  # "running out of solutions", "covering up the effects", "playing down risks"
            keep += [t for g in child.children if g.dep_ == "prep" and preps > 0 and _keep_pp(child, g)
                     for t in [g, *(x for o in g.children if o.dep_ in {"pobj", "pcomp"}
                                    for x in _phrase(o, preps=preps - 1, depth=depth + 1))]]
            continue
        if dep in {"prep", "agent"} and depth == 0 and any(head.i < c.i < child.i for c in head.conjuncts):
            continue  # "conspiracy and obstruction of justice": the parser hangs 'of justice' on the first
        if dep == "prep" or dep == "agent":
            if dep == "prep" and preps > 0 and _keep_pp(head, child):
                keep.append(child)
                for g in child.children:
                    if g.dep_ in {"pobj", "pcomp"}:
                        keep += _phrase(g, preps=preps - 1, depth=depth + 1)
            continue
        if verbal:
            if dep in {"neg", "prt"} or (dep == "punct" and child.tag_ == "HYPH"):
                keep.append(child)  # "not having insurance", "covering up", "performing U-turns over rules"
                keep += [t for g in child.children if g.dep_ == "pobj" for t in _phrase(g, preps=preps - 1,
                                                                                        depth=depth + 1)]
            elif dep in {"dobj", "dative", "attr", "acomp", "oprd", "xcomp"}:
                if not (dep in {"dobj", "attr"} and any(_numeric(t) for t in (child, *child.children)
                                                        if t.dep_ != "prep")):
                    keep += _phrase(child, preps=preps, depth=depth + 1)  # not "embezzling $3m"
            elif dep == "aux" and child.tag_ == "TO" and depth > 0:
                keep.append(child)  # "failing to take drugs tests"
            elif dep == "auxpass" and child.tag_ == "VBG":
                keep.append(child)  # "accused of being involved in"
            elif dep == "advmod" and child.lower_ in _KEEP_ADVERBS:
                keep.append(child)
            elif dep == "ccomp" and head.lemma_.lower() not in SAY_VERBS:
                keep += [t for t in child.subtree if not t.is_space and t.tag_ != "PRP$"]
            continue
        # a noun (or adjective) head
        if dep in {"det", "predet"}:
            if depth > 0 and child.i < head.i:
                keep.append(child)  # internal articles stay: "faking a motorcycle accident"
            continue
        if dep == "poss":
            sub = list(child.subtree)
            if depth > 0 and child.tag_ != "PRP$" and not any(_numeric(t) for t in sub):
                keep += sub  # "misusing the bank's funds"
            continue
        if dep == "case":
            continue
        if dep in {"amod", "compound", "nmod", "advmod", "npadvmod"}:
            sub = [t for t in child.subtree if not t.is_space]
            if child.lower_ in DROP_MODIFIERS or any(_numeric(t) for t in sub):
                continue
            if dep in {"advmod", "npadvmod"} and child.i > head.i:
                continue
            keep += sub
            continue
        if dep == "dobj":  # a noun the parser took for a verb: "over crowd trouble"
            keep += _phrase(child, preps=preps, depth=depth + 1)
            continue
        if dep == "acl" and any(g.dep_ == "aux" and g.tag_ == "TO" for g in child.children):
            keep += _phrase(child, preps=preps, depth=depth + 1)  # "conspiracy to commit fraud"
            continue
    return sorted(set(keep), key=lambda t: t.i)


def _same_kind(head: Token, conj: Token) -> bool:
    """Whether a conjunct coordinates with its head inside a phrase: a verb taken for a noun ('it supports gang
    culture and fuels the rivalry') does not."""
    verbal = head.pos_ in {"VERB", "AUX"}
    if (conj.pos_ in {"VERB", "AUX"}) != verbal:
        return False
    return verbal or not any(g.dep_ in {"dobj", "npadvmod"} for g in conj.children)


def _tokens_for(head: Token, obj: Token | None = None) -> list[Token] | None:
    """The phrase of `head`, shortened (fewer nested prepositional phrases) to at most MAX_TOKENS words."""
    for preps in (2, 1, 0):
        toks = _phrase(head, preps=preps, obj=obj)
        if sum(1 for t in toks if not t.is_punct and t.lower_ not in _LEADING) <= MAX_TOKENS:
            return toks
    return None


def _object_variants(head: Token, cues: dict[str, frozenset[str]]) -> tuple[list[Token | None], list[Token]]:
    """A gerund's coordinated direct objects, each its own charge with the verb ('possessing a forged
    prescription and oxycodone' -> two), and conjuncts that are offences of their own ('distributing steroids
    and money laundering': the parser hangs 'laundering' on 'steroids'). ([None], []) when nothing splits."""
    for child in head.children:
        if child.dep_ == "dobj":
            conjs = [c for c in child.conjuncts if c.i > child.i and c.pos_ in {"NOUN", "PROPN"}
                     and not any(g.dep_ in {"dobj", "npadvmod", "nsubj"} for g in c.children)]
            own = [c for c in conjs if is_offence(c, cues)]
            if conjs:
                return [child, *(c for c in conjs if c not in own)], own
    return [None], []


def charges_for(tok: Token, cues: dict[str, frozenset[str]], *, lexicon: bool = False,
                actor_tokens: frozenset[int] = frozenset()) -> list[Charge]:
    """Charges named by the phrase headed by `tok` (and its coordinated phrases). With `lexicon` (a weak cue),
    only offence words of the lexicon and their own short noun phrase count."""
    out: list[Charge] = []
    quantifiers = cues.get("quantifier_noun", frozenset())
    for item in _expand(tok):
        heads = [item]
        lemma = item.lemma_.lower()
        if item.pos_ == "NOUN" and lemma in _ROLE_NOUNS:  # "sanctioned for his role in human rights abuses"
            heads = [h for c in item.children if c.dep_ == "prep" and c.lower_ in {"in", "of"}
                     for g in c.children if g.dep_ in {"pobj", "pcomp"} for h in _expand(g)]
            if not heads:
                continue
        elif item.pos_ in {"NOUN", "PROPN"} and (lemma in quantifiers or lemma in PERSON_NOUNS):
            of_objs = [g for c in item.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ in {"pobj", "pcomp"}]
            if lemma in PERSON_NOUNS:  # "charged along with three other men of distributing steroids"
                of_objs = [o for o in of_objs if o.tag_ == "VBG" or is_offence(o, cues)]
                if not of_objs:
                    continue
            heads = [h for o in of_objs for h in _expand(o)] or heads
        extra: list[Token] = []
        for head in {*heads, item}:
            for child in head.children:  # "crimes ..., including espionage, insulting X"
                if child.dep_ == "prep" and child.lower_ == "including":
                    extra.extend(g for g in child.children if g.dep_ in {"pobj", "pcomp"})
        for head in heads:
            split = _split_coordinated_modifier(head)
            if split:
                out.extend(c for part in split if (c := _make(part, cues)) is not None)
                continue
            out.extend(_charges_of(head, cues, lexicon=lexicon, actor_tokens=actor_tokens))
        for head in extra:
            for sub in _expand(head):
                charge = _one(sub, cues, lexicon=lexicon, actor_tokens=actor_tokens)
                if charge is not None:
                    out.append(charge)
    return _unique(out)


def clause_charges(verb: Token, cues: dict[str, frozenset[str]],
                   actor_tokens: frozenset[int] = frozenset()) -> list[Charge]:
    """The offences a clause states, one per coordinated verb, each named by its gerund phrase ('allegations
    he bribed officials and lied' -> 'bribing officials', 'lying'); a passive clause names none."""
    out: list[Charge] = []
    for v in _expand(verb):
        if v.pos_ not in {"VERB", "AUX"} or any(c.dep_ == "auxpass" for c in v.children):
            continue
        out.extend(_charges_of(v, cues, lexicon=False, actor_tokens=actor_tokens))
    return _unique(out)


def _charges_of(head: Token, cues: dict[str, frozenset[str]], *, lexicon: bool,
                actor_tokens: frozenset[int]) -> list[Charge]:
    """The charge(s) of one head: one per coordinated direct object of a verb."""
    variants, own = _object_variants(head, cues) if head.pos_ in {"VERB", "AUX"} and not lexicon else ([None], [])
    out = [c for obj in variants if (c := _one(head, cues, lexicon=lexicon, actor_tokens=actor_tokens, obj=obj))]
    return out + [c for conj in own if (c := _one(conj, cues, lexicon=lexicon, actor_tokens=actor_tokens))]


def _unique(charges: list[Charge]) -> list[Charge]:
    seen: set[str] = set()
    unique = []
    for c in charges:
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
            first = _phrase(child)
            rest = [t for t in _phrase(head) if t not in set(child.subtree)]
            rest += [t for c in conjs for t in c.subtree]
            return [first, sorted(set(rest), key=lambda t: t.i)]
    return []


def _one(head: Token, cues: dict[str, frozenset[str]], *, lexicon: bool, actor_tokens: frozenset[int],
         obj: Token | None = None) -> Charge | None:
    if head.ent_type_ in _NON_CHARGE_ENTS or head.like_num or head.pos_ in {"PRON", "NUM", "DET", "PUNCT", "SPACE"}:
        return None
    lemma = head.lemma_.lower()
    if head.i in actor_tokens or lemma in cues.get("not_charge", frozenset()) or lemma in GENERIC_HEADS:
        return None
    if lemma in _ACCUSATION_HEADS and not any(c.dep_ in {"compound", "nmod"} for c in head.children):
        return None  # "highly damaging and unfounded charges" says nothing of the offence; "fraud charges" does
    if head.tag_ == "NNS" and lemma.endswith(("er", "or", "ist")) and not is_offence(head, cues):
        return None  # "the prosecution of spam distributors": people, not what they are accused of
    if head.pos_ == "PROPN" and not any(c.pos_ in {"NOUN", "VERB"} for c in head.subtree):
        return None
    if lexicon:
        hits = [t for t in head.subtree if is_offence(t, cues)]
        if not hits:
            return None
        if head.pos_ not in {"VERB", "AUX"}:  # a weak cue: keep only the offence's own short noun phrase
            hit = hits[0]
            short = _phrase(hit, preps=1) if hit.pos_ == "NOUN" else [hit]
            short = [t for t in short if not (t.dep_ == "poss" and t.head == hit)]
            return _make(short, cues) if len(short) <= MAX_TOKENS else None
    if lemma == "be" and not any(c.dep_ in {"attr", "prep"} for c in head.children):
        return None  # "(allegations that) its rates are unfair": a judgement, not an offence
    phrase = _tokens_for(head, obj)
    if phrase is None:
        return None
    return _make(phrase, cues, head=head)


def _make(toks: list[Token], cues: dict[str, frozenset[str]], head: Token | None = None) -> Charge | None:
    """The charge the tokens name, or None when they are no plausible offence phrase. A finite or perfect head
    verb becomes its gerund ('he lied about X' -> 'lying about x', 'having violated' -> 'violating')."""
    if not toks:
        return None
    if any(t.lemma_.lower() in SAY_VERBS and t.tag_ in _FINITE for t in toks):
        return None  # a clause around a verb of saying is page text ("said made countless times")
    toks = [t for t in toks if t.tag_ != "PRP$" or t is toks[0]]  # "falsifying its accounts" -> "falsifying accounts"
    words = []
    # A lone offence word the small model tags as a verb ("pleaded guilty to murder") stays the noun it is.
    lone_offence = len(toks) == 1 and toks[0].lower_ in (OFFENCES | cues.get("offence", frozenset()))
    for t in toks:
        if (head is not None and t is head and t.pos_ in {"VERB", "AUX"} and t.tag_ != "VBG" and not lone_offence
                and not any(c.dep_ == "auxpass" for c in t.children)):
            words.append(gerund(t.lemma_))
        elif head is not None and t.head is head and t.dep_ == "aux" and t.i < head.i:
            continue  # "having violated", "to steal": the head's own auxiliaries go with its tense
        else:
            words.append(t.text)
    name = normalise(words)
    if not plausible(name, cues, head=head):
        return None
    first = next((t for t in toks if t.lower_ not in _LEADING and not t.is_punct), toks[0])
    last = toks[-1]
    while last.is_punct and last.i > first.i:
        last = last.doc[last.i - 1]
    return Charge(name, first.idx, last.idx + len(last.text))


def plausible(name: str, cues: dict[str, frozenset[str]], head: Token | None = None) -> bool:
    """Whether a normalised name can be a charge: letters, at most MAX_TOKENS words, not headed by a speech
    verb; a one-word charge must be an offence word of the lexicon ("fraud", not "running", "poll", "claims")."""
    words = name.split()
    if not words or len(words) > MAX_TOKENS or not re.search(r"[a-z]", name):
        return False
    if words[0] in SAY_VERBS or words[0] in {"says", "said", "denies", "denied"} or words[0][:1].isdigit():
        return False  # "said made countless times", "5 may poll": page text, a date
    offences = OFFENCES | cues.get("offence", frozenset())
    if len(words) > 1 and words[0] in LINK_HEADS:  # "involvement in the government": no offence named
        rest = " ".join(words[1:])
        return any(w in offences for w in words[1:]) or any(" " in o and o in rest for o in offences)
    if len(words) > 1:
        return True
    return words[0] in offences or (head is not None and head.lemma_.lower() in offences)


def charge_from_adjective(tok: Token, cues: dict[str, frozenset[str]]) -> Charge | None:
    """'declared an extremist organisation' -> extremism (mapping in cues.jsonl: charge_adjective)."""
    mapping = dict(w.split("=", 1) for w in cues.get("charge_adjective", frozenset()) if "=" in w)
    for cand in [tok, *tok.children]:
        name = mapping.get(cand.lower_)
        if name:
            return Charge(name, cand.idx, cand.idx + len(cand.text))
    return None
