"""How far an accusation has gone: the `stage` of an ACCUSED_OF or ACCUSES claim, and when it is denied.

A rumour and a conviction must not read the same in an export. The stage comes from the cue words
(patterns/stage_cues.jsonl) of the trigger's clause: the trigger and the heads above it (the clause chain the
rules already walk for negation), verbs coordinated with them that name no charge of their own ("was charged
with fraud and later convicted"; not "acquitted of murder but convicted of manslaughter"), the verb a relative
clause's or a charge noun's subject belongs to ("charges against X were dropped", "X, who denies fraud, will
stand trial"), and the complements, objects and prepositional objects of those ("found guilty", "faces trial",
"under investigation", "agreed to pay"). Negated, hypothetical ("if convicted") and voided ("released without
charge") cues say nothing. When several stages are stated the furthest wins; with no cue it is `alleged`.

The same reading corrects `denied`: an admission ("pleaded guilty", "admitted theft") is never denied, nor is a
claim whose denial verb is only coordinated with it ("denied fraud but admitted theft"), counterfactual ("had
he denied the charge") or under "without" ("without admitting or denying"); "pleaded not guilty" is a denial,
not a negated claim, and "found not guilty" is an acquittal, not a negated claim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from spacy.tokens import Token

from actorgraph.errors import PatternError
from actorgraph.vocab import STAGES

CUE_FILE = "stage_cues.jsonl"
#: Stages in the order an accusation moves through them: the furthest stated wins. A settlement or an
#: acquittal ends what a conviction or an admission began ("convicted, then cleared on appeal").
PROGRESSION: tuple[str, ...] = ("alleged", "investigated", "charged", "admitted", "convicted", "settled", "acquitted")
DEFAULT_STAGE = "alleged"
OTHER_CUES = frozenset({"denial", "void", "term", "accusation"})
_WORD = re.compile(r"^(not )?([a-z-]+)(?:/([A-Z]+))?(\+pass)?(?:([<>])([a-z-]+))?$")
#: Prepositions that hang a charge on a verb ("convicted of", "charged with", "fined for", "pleaded guilty to").
CHARGE_PREPS = frozenset({"of", "with", "over", "for", "to"})
#: Prepositions whose verb is an earlier or later step of the same story ("jailed after pleading guilty").
STEP_PREPS = frozenset({"after", "following", "since", "upon", "before"})
#: Entity types of an object that is a sum, a date or a number, never a charge ("fined £2m", "jailed in 2001").
MEASURE_TYPES = frozenset({"MONEY", "DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "ORDINAL"})
_RANK = {s: n for n, s in enumerate(PROGRESSION)}
#: Where a clause chain stops climbing: a relative clause's attachment and noun-phrase-internal links (the rules
#: climb the same chain: `clause_chain`).
CHAIN_STOPS = frozenset({"relcl", "compound", "appos", "amod", "nmod", "poss", "nsubj", "nsubjpass", "npadvmod",
                         "nummod"})


def clause_chain(tok: Token) -> list[Token]:
    """`tok` and the heads up to the sentence root, stopping where a relative clause attaches and at
    noun-phrase-internal links ('WorldCom chief X has denied ...' does not deny that X is chief)."""
    chain = [tok]
    while chain[-1].head.i != chain[-1].i and chain[-1].dep_ not in CHAIN_STOPS:
        chain.append(chain[-1].head)
    return chain


@dataclass(frozen=True)
class Cue:
    """One entry of the cue file: a word, with the conditions written around it."""

    stage: str  # a stage, or "denial"
    word: str
    negated: bool = False
    pos: str | None = None
    passive: bool = False
    head: str | None = None
    child: str | None = None

    @property
    def specific(self) -> bool:
        """Whether the entry names more than the word (it wins over the bare word on the same token)."""
        return bool(self.negated or self.head or self.child)


@dataclass(frozen=True)
class StageCues:
    """The cue file, as loaded: entries by word, the void prepositions, the penalty and the accusation words."""

    by_word: Mapping[str, tuple[Cue, ...]]
    void: frozenset[str]
    term: frozenset[str]
    accusation: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reading:
    """What the cues say of one trigger: its stage, and its negation and denial once the cues are read."""

    stage: str
    negated: bool
    denied: bool


def parse_cues(lines: Sequence[str], where: str = CUE_FILE) -> StageCues:
    """Validate and index the cue file's lines; PatternError naming `where:line` on any problem."""
    by_word: dict[str, list[Cue]] = {}
    void: set[str] = set()
    term: set[str] = set()
    accusation: set[str] = set()
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        at = f"{where}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PatternError(f"{at}: not JSON: {exc.msg}") from exc
        if not isinstance(row, dict) or set(row) - {"cue", "words", "note"}:
            raise PatternError(f"{at}: expected {{\"cue\": ..., \"words\": [...], \"note\": ...}}")
        name, words = row.get("cue"), row.get("words")
        if name not in STAGES and name not in OTHER_CUES:
            raise PatternError(f"{at}: unknown cue {name!r} (use one of {', '.join([*STAGES, *sorted(OTHER_CUES)])})")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise PatternError(f"{at}: 'words' must be a non-empty list of strings")
        seen.add(name)
        if name in {"void", "term", "accusation"}:
            {"void": void, "term": term, "accusation": accusation}[name].update(w.lower() for w in words)
            continue
        for word in words:
            m = _WORD.match(word)
            if m is None:
                raise PatternError(f"{at}: bad cue word {word!r} (e.g. 'convict', 'not guilty<find', 'try+pass')")
            neg, base, pos, passive, link, other = m.groups()
            cue = Cue(name, base, bool(neg), pos, bool(passive), other if link == "<" else None,
                      other if link == ">" else None)
            by_word.setdefault(base, []).append(cue)
    missing = set(STAGES) - seen
    if missing:
        raise PatternError(f"{where}: no words for stage(s) {', '.join(sorted(missing))}")
    return StageCues({w: tuple(c) for w, c in by_word.items()}, frozenset(void), frozenset(term),
                     frozenset(accusation))


@cache
def stage_cues() -> StageCues:
    """The package's cue file, read once per process."""
    text = files("actorgraph.extract").joinpath("patterns", CUE_FILE).read_text(encoding="utf-8")
    return parse_cues(text.splitlines())


def furthest(stages: Sequence[str]) -> str:
    """The furthest of these stages (`alleged` for none)."""
    return max(stages, key=_RANK.__getitem__, default=DEFAULT_STAGE)


def read_stage(chain: Sequence[Token], negated: bool, denied: bool, cues: Mapping[str, frozenset[str]],
               predicate: str = "ACCUSED_OF", table: StageCues | None = None) -> Reading:
    """The stage of the claim a trigger makes, with its negation and denial corrected by the cues.

    `chain` is the trigger and the heads above it (its first token is the trigger); `negated` and `denied`
    are what the rules read from that chain; `cues` are the rules' cue lists (denial verbs, hypothetical marks
    and modals, offences, words that are no charge). For ACCUSES the subject is the accuser: what befalls it
    ("X accused Y and was fined") says nothing of the accusation.
    """
    table = table or stage_cues()
    reader = _Reader(table, cues, accuser=predicate == "ACCUSES")
    stated: list[str] = []
    consumed: set[int] = set()  # negations a "not ..." cue has read ("found not guilty")
    plea_denied = False
    for tok in reader.scope(chain):
        cue = reader.match(tok)
        if cue is None:
            continue
        if cue.negated:
            consumed.update(n.i for n in reader.negations(tok))
        if cue.stage == "denial":  # the accused's plea: it says nothing of what an accuser claims
            if predicate == "ACCUSED_OF":
                plea_denied = True
                stated.append("charged")  # a plea answers a charge
        else:
            stated.append(cue.stage)
    if negated and consumed:
        negated = any(c.dep_ == "neg" and c.i not in consumed for node in chain for c in node.children)
    if reader.admission(chain):
        denied = False
    elif denied:
        denied = reader.denial_stands(chain)
    elif predicate == "ACCUSED_OF":
        denied = reader.relative_denial(chain)
    return Reading(furthest(stated), negated, denied or plea_denied)


def stage_of(anchor: Token, cues: Mapping[str, frozenset[str]], predicate: str = "ACCUSED_OF") -> str:
    """The stage of a claim read at `anchor` (its trigger, or for a claim no rule made, the word that links its
    two ends), for callers without the rules' clause chain (the learned extractor)."""
    return read_stage(clause_chain(anchor), False, False, cues, predicate).stage


class _Reader:
    """The grammar of one reading: which tokens speak about the claim, and which cue each one is."""

    def __init__(self, table: StageCues, cues: Mapping[str, frozenset[str]], accuser: bool = False) -> None:
        self.table = table
        self.accuser = accuser
        self.denial = cues.get("denial", frozenset())
        self.marks = cues.get("hypothetical_mark", frozenset())
        self.modals = cues.get("hypothetical_modal", frozenset())
        self.offences = cues.get("offence", frozenset())
        self.not_charge = cues.get("not_charge", frozenset()) | table.term

    # -- which tokens -----------------------------------------------------------------------------------------------

    def scope(self, chain: Sequence[Token]) -> list[Token]:
        """The tokens whose words say how far the claim has gone (see the module docstring)."""
        chain = self._own_clause(chain)
        nodes: list[Token] = []
        active = chain[0].pos_ in {"VERB", "AUX"} and not _passive(chain[0])
        for n, tok in enumerate(chain):
            below = chain[n - 1] if n else None
            if below is not None and below.dep_ == "conj" and self._own_charge(tok):
                continue  # "acquitted of murder but convicted of manslaughter": the first verb is another claim
            nodes.append(tok)
            nodes += [c for c in tok.conjuncts if c.pos_ in {"VERB", "AUX"} and c not in chain
                      and not self._own_charge(c) and not self._own_subject(c)
                      and not (self.accuser and active and _passive(c))]  # "X accused Y and was fined"
        if chain[0].pos_ in {"NOUN", "PROPN"}:  # "allegations, of which he was cleared", "charges, later dropped"
            nodes += [c for c in chain[0].children if c.dep_ in {"relcl", "acl"} and c.pos_ in {"VERB", "AUX"}
                      and not self._own_charge(c)]
        nodes += self._subject_verbs(chain[-1])
        out: dict[int, Token] = {}
        for node in nodes:
            if self._hypothetical(node):
                continue
            out[node.i] = node
            for child in self._complements(node):
                if not self._hypothetical(child):
                    out[child.i] = child
        return [out[i] for i in sorted(out)]

    @staticmethod
    def _own_clause(chain: Sequence[Token]) -> Sequence[Token]:
        """The chain below a verb the trigger's clause is the charge of ('fined for accusing X', 'jailed for
        helping X'): that verb judges the trigger's subject for doing it, which is another claim."""
        for n, tok in enumerate(chain[:-1]):
            if tok.dep_ == "pcomp" and tok.pos_ in {"VERB", "AUX"} and chain[n + 1].lower_ in CHARGE_PREPS:
                return chain[:n + 1]
        return chain

    def _subject_verbs(self, last: Token) -> list[Token]:
        """'charges against X were dropped', 'X, who denies fraud, will stand trial': the verb of the subject the
        chain ends in, and verbs coordinated with it, when they name no charge of their own."""
        noun = last.head if last.dep_ in {"relcl", "acl"} else last
        if noun.dep_ not in {"nsubj", "nsubjpass"} or noun.head.i == noun.i:
            return []
        verb = noun.head
        verbs = [verb, *(c for c in verb.conjuncts if c.pos_ in {"VERB", "AUX"} and not self._own_subject(c))]
        return [v for v in verbs if v is not last and not self._own_charge(v)]

    def _complements(self, node: Token, depth: int = 0) -> list[Token]:
        """What a node's own words are completed by: 'found guilty', 'faces trial', 'under investigation',
        'agreed to pay', 'jailed after pleading guilty', 'without admitting'."""
        out: list[Token] = []
        for c in node.children:
            if c.dep_ in {"acomp", "oprd", "attr", "dobj"}:
                out.append(c)
            elif c.dep_ in {"xcomp", "advcl"}:
                if not (self._own_charge(c) or self._own_subject(c)):
                    out += [c, *(self._complements(c, depth + 1) if depth == 0 else [])]
            elif c.dep_ in {"prep", "agent"}:
                void = c.lower_ in self.table.void
                for g in c.children:
                    if g.dep_ == "pobj":
                        out.append(g)
                    elif g.dep_ == "pcomp" and (void or (c.lower_ in STEP_PREPS and not self._own_charge(g))):
                        out += [g, *(self._complements(g, depth + 1) if depth == 0 else [])]
        return out

    def _own_charge(self, verb: Token) -> bool:
        """Whether a verb names a charge of its own ('convicted of manslaughter', 'admitted theft'): then it makes
        a claim of its own, whose stage is not this one's."""
        if verb.pos_ not in {"VERB", "AUX", "ADJ"}:
            return False
        for head in [verb, *(c for c in verb.children if c.dep_ in {"acomp", "oprd"})]:
            for prep in head.children:
                if prep.dep_ != "prep" or prep.lower_ not in CHARGE_PREPS:
                    continue
                for obj in prep.children:
                    if obj.dep_ in {"pobj", "pcomp"} and not self._measure(obj):
                        return True
        for c in verb.children:
            if c.dep_ == "dobj" and (c.lemma_.lower() in self.offences or c.lower_ in self.offences):
                return True
            if c.dep_ in {"dobj", "xcomp", "ccomp"} and c.tag_ == "VBG":
                return True
        return False

    def _measure(self, obj: Token) -> bool:
        """A sum, a term or a penalty ('sentenced to five years', 'jailed for life'), never a charge."""
        return (obj.like_num or obj.ent_type_ in MEASURE_TYPES or obj.lemma_.lower() in self.not_charge
                or obj.lower_ in self.not_charge)

    @staticmethod
    def _own_subject(verb: Token) -> bool:
        return any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)

    def _hypothetical(self, tok: Token) -> bool:
        """'if convicted', 'could face trial', 'had he denied the charge': a cue that states nothing."""
        verb = self._governor(tok)
        for node in {tok, verb}:
            if any(c.dep_ == "mark" and c.lower_ in self.marks for c in node.children):
                return True
            if any(c.dep_ == "aux" and c.lower_ in self.modals for c in node.children):
                return True
            if _inverted(node):
                return True
        return False

    # -- which cue --------------------------------------------------------------------------------------------------

    def match(self, tok: Token) -> Cue | None:
        """The cue a token is (the most specific entry that fits, then the furthest stage), or None."""
        entries = self.table.by_word.get(tok.lemma_.lower(), ()) + (
            self.table.by_word.get(tok.lower_, ()) if tok.lower_ != tok.lemma_.lower() else ()
        )
        if not entries:
            return None
        void = self._void(tok)
        negated = self.negated(tok)
        fits = [c for c in entries if self._fits(c, tok, negated, void)]
        if not fits:
            return None
        return max(fits, key=lambda c: (c.specific, _RANK.get(c.stage, _RANK["charged"])))

    def _fits(self, cue: Cue, tok: Token, negated: bool, void: str | None) -> bool:
        if cue.negated != negated:
            return False
        if void is not None and cue.head != void:
            return False
        if cue.pos is not None and tok.pos_ != cue.pos:
            return False
        if cue.passive and not _passive(tok):
            return False
        if cue.head is not None:
            heads = {tok.head, self._governor(tok)}
            if not any(cue.head in {h.lemma_.lower(), h.lower_} for h in heads if h.i != tok.i):
                return False
        return cue.child is None or any(cue.child in {c.lemma_.lower(), c.lower_} for c in tok.children)

    def _void(self, tok: Token) -> str | None:
        """The void preposition a token sits under ('without admitting or denying'), if any."""
        node = tok
        for _ in range(4):
            if node.head.lower_ in self.table.void and node.head.i != node.i:
                return node.head.lower_
            if node.dep_ != "conj":
                return None
            node = node.head
        return None

    @staticmethod
    def _governor(tok: Token) -> Token:
        """The verb a complement, object or prepositional object hangs on ('guilty' -> 'found')."""
        node = tok
        for _ in range(3):
            if node.dep_ not in {"acomp", "oprd", "attr", "dobj", "pobj", "pcomp", "prep", "xcomp"}:
                break
            if node.head.i == node.i:
                break
            node = node.head
            if node.pos_ in {"VERB", "AUX"}:
                return node
        return node

    def negations(self, tok: Token) -> list[Token]:
        """The negating words of a token or, for a complement, of its verb ('pleaded not guilty')."""
        nodes = [tok] if tok.pos_ in {"VERB", "AUX"} else [tok, self._governor(tok)]
        return [c for n in nodes for c in n.children
                if c.dep_ == "neg" or (c.dep_ in {"det", "advmod"} and c.lower_ in {"no", "never"})]

    def negated(self, tok: Token) -> bool:
        return bool(self.negations(tok))

    # -- denial -----------------------------------------------------------------------------------------------------

    def admission(self, chain: Sequence[Token]) -> bool:
        """Whether the claim's own clause is an admission ('pleaded guilty to charges of fraud', 'admitted
        theft'): the chain up to its first verb, and that verb's complement, read as `admitted`."""
        clause: list[Token] = []
        for node in chain:
            clause.append(node)
            if node.pos_ in {"VERB", "AUX"}:
                clause += [c for c in node.children if c.dep_ in {"acomp", "oprd"}]
                break
        for tok in clause:
            cue = self.match(tok)
            if cue is not None and cue.stage == "admitted":
                return True
        return False

    def relative_denial(self, chain: Sequence[Token]) -> bool:
        """'faced charges in court, which he denies', 'accusing it of X, a charge the company denies': a relative
        clause that denies, on the trigger's own words or on an accusation noun set beside its clause."""
        trigger = chain[0]
        nouns = [g for node in chain for g in node.children
                 if g.dep_ == "appos" and g.lemma_.lower() in self.table.accusation]
        verb = next((n for n in chain if n.pos_ in {"VERB", "AUX"}), None)
        words = [*trigger.subtree] if trigger.pos_ in {"NOUN", "PROPN"} else []
        if verb is not None:  # "faced charges in court, which she denies": the parse hangs it on the verb's phrase
            words += [t for c in verb.children if c.dep_ in {"dobj", "prep"} and c.i > trigger.i for t in c.subtree]
        for head in [*words, *nouns]:
            for rel in head.children:
                if rel.dep_ != "relcl" or rel.lemma_.lower() not in self.denial or self.negated(rel):
                    continue
                subj = [c for c in rel.children if c.dep_ == "nsubj"]
                if subj and subj[0].tag_ not in {"WP", "WDT"} and not self._hypothetical(rel):
                    return True  # the relative pronoun (or none) is what is denied, not who denies
        return False

    def denial_stands(self, chain: Sequence[Token]) -> bool:
        """Whether a denial verb of the chain denies this claim: not one the claim is only coordinated with
        ('denied fraud but admitted theft'), nor a counterfactual ('had he denied'), nor one under 'without'."""
        for n, node in enumerate(chain):
            if node.lemma_.lower() not in self.denial or (n and node.pos_ != "VERB"):
                continue
            if n and chain[n - 1].dep_ == "conj":
                continue
            if self._void(node) is not None or self._hypothetical(node):
                continue
            return True
        return False


def _passive(tok: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in {"acl", "amod"})


def _inverted(verb: Token) -> bool:
    """'had he denied the charge', 'were it true': an auxiliary before the subject, a condition without 'if'."""
    if verb.pos_ not in {"VERB", "AUX"} or verb.sent.text.rstrip().endswith("?"):
        return False
    subj = [c.i for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    aux = [c.i for c in verb.children if c.dep_ in {"aux", "auxpass"} and c.lower_ in {"had", "were", "should"}]
    return bool(subj and aux and min(aux) < min(subj))


__all__ = ["CUE_FILE", "DEFAULT_STAGE", "PROGRESSION", "Cue", "Reading", "StageCues", "furthest", "parse_cues",
           "read_stage", "stage_cues", "stage_of"]
