"""Relations from dependency patterns: rules are data (patterns/relations*.jsonl), roles are grammar (this module).

A rule names a predicate, a trigger (a spaCy DependencyMatcher pattern, or the shorthand `trigger` with lemmas /
POS that compiles to one) and, for subject and object, a *role*: either a node of its pattern or one of the
grammatical roles below, which handle voice, relative clauses, control, coordination and nominalisations once
for every rule:

    agent            logical subject: nsubj; the "by" phrase of a passive; the antecedent of "who"/"which";
                     climbs xcomp/advcl/conj/pcomp for controlled verbs; for a noun, its possessor or the
                     subject of the clause it sits in ("his convictions", "X seeks revenge against Y")
    patient          logical object: dobj; nsubjpass of a passive; the noun a participle or relative clause
                     modifies ("the DVK, which he funds", "the Committee created by X")
    patient_or_agent patient for a passive, agent otherwise ("X is based in", "X lives in")
    prep:a|b         the object of one of these prepositions on the trigger ("works with", "revenge against")
    recipient        prep:to|into|for|towards or the dative ("gave the party £1m", "donations to X")
    from             prep:from on the trigger, the noun it is equated with ("a bequest from X") or the verb
                     it is the object of ("X faced charges from Y")
    holder           who holds a title noun: "WorldCom chief X", "X, chairman of Y", "its founder X", "X as
                     president"
    org              where the title is held: "chairman of Y", "Y's treasurer", "Y chief", "Iranian
                     President", "Tory co-chairman" (a party's singular stands for the party the text names)
    head             the noun an adjective trigger modifies ("US-funded Radio X", "a Houston-based firm")
    accused          who a charge noun is against: "against X", "X's convictions", "X denied charges"
    clause_subject   the subject of the clause under the trigger ("allegations he pressured ...")
    urge_subject     the subject of the verb that urges ("A urged B to investigate C")
    verb_subject     the subject of the nearest verb above the trigger ("X is seeking millions in damages")
    charge:<role>    the offence(s) that role names (CHARGE objects); also charge:clause, charge:oprd,
                     charge:dobj, charge:for_gerund, charge:after_gerund ("banned after testing positive")

Rule ids are versioned ("funds.verb.v1"). A bad line raises PatternError naming file:line. Matchers are built
once per pipeline (`engine_for(nlp)`), so per-document work is one DependencyMatcher call plus the roles.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from actorgraph.errors import PatternError
from actorgraph.extract.aliases import singular
from actorgraph.extract.charges import (
    OFFENCE_VERBS,
    OFFENCES,
    Charge,
    charge_from_adjective,
    charges_for,
    clause_charges,
    normalise,
    plausible,
)
from actorgraph.extract.coref import ActorIndex, Resolved
from actorgraph.extract.lexicon import PATTERNS, lexicon, word_list
from actorgraph.extract.stage import CHAIN_STOPS, clause_chain, furthest, read_stage
from actorgraph.vocab import ACTOR_TYPES, ENTITY_TYPES, PREDICATES, STAGED, SYMMETRIC

PATTERN_DIR = PATTERNS
RULE_GLOB = "relations*.jsonl"
CUE_GLOB = "cues*.jsonl"
RULE_ID = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+\.v[0-9]+$")
BUILTIN_ROLES = frozenset({"agent", "patient", "patient_or_agent", "recipient", "from", "holder", "org", "head",
                           "poss_or_of",
                           "joint_first", "joint_rest",
                           "accused", "clause_subject", "urge_subject", "verb_subject", "dobj", "oprd",
                           "clause", "for_gerund", "after_gerund", "sanction_target", "sanction_imposer",
                           "in_org", "person_owner", "because", "because_subject", "work_payer"})
CHARGE_ONLY_ROLES = frozenset({"oprd", "clause", "for_gerund", "after_gerund", "dobj", "because"})
REQUIREMENTS = frozenset({"money", "lexicon", "banned_complement", "denied_or_accusation", "accuser_subject",
                          "offence_clause", "penalty", "named_clause_subject", "sanction_sense"})
CUE_NAMES = frozenset({"denial", "hedge_noun", "hypothetical_mark", "hypothetical_modal", "object_control",
                       "proxy_noun", "quantifier_noun", "not_charge", "offence", "charge_adjective",
                       "banned_complement", "money", "org_descriptor", "person_pronoun", "org_pronoun",
                       "plural_pronoun", "accuser", "culpable_verb", "irrealis", "offence_verb", "penalty",
                       "enforcer", "culpable_adverb", "norm_verb", "norm_noun"})
TRIGGER_KEYS = {"lemma": "LEMMA", "lower": "LOWER", "pos": "POS", "tag": "TAG", "dep": "DEP"}
RULE_KEYS = frozenset({"id", "predicate", "trigger", "pattern", "subject", "object", "confidence", "require",
                       "subject_types", "object_types", "note"})
#: Verbs whose subject brings charges rather than faces them ("the SEC filed charges of fraud").
ACCUSER_VERBS = word_list("relations_accuser_verbs.txt")
#: "take/assume/put ... charge of": the noun 'charge' as responsibility.
CHARGE_IDIOM_VERBS = word_list("relations_charge_idiom_verbs.txt")
#: Verbs whose object a following gerund is about ("accused X of funnelling": X funnelled).
ACCUSING_VERBS = word_list("relations_accusing_verbs.txt")
#: Nouns that state an accusation by themselves (the "denied_or_accusation" requirement).
ACCUSATION_NOUNS = word_list("relations_accusation_nouns.txt")
NP_INTERNAL_DEPS = CHAIN_STOPS  # where the clause chain of a trigger stops (stage.clause_chain)
#: Title words that are no party's singular ("the Lord Chancellor" is no member of "the Lords").
TITLE_WORDS = lexicon().titles
#: Words between a qualifier and its title ("Tory co-chairman", "Labour deputy leader").
TITLE_PREFIXES = word_list("relations_title_prefixes.txt")
#: Roles whose tokens are not widened to coordinated nouns.
NO_CONJ_ROLES = frozenset({"head", "joint_first", "joint_rest", "trigger"})  # the matcher meets each conjunct
#: Verbs that impose a state's sanction ("the Treasury sanctioned X"): a ban, and an accusation only for an offence.
SANCTION_VERBS = frozenset({"sanction", "designate", "blacklist"})
#: Verbs whose subject imposes the sanctions they take as object ("the EU imposed sanctions on X").
IMPOSING_VERBS = frozenset({"impose", "place", "slap", "levy", "announce", "extend", "renew", "introduce", "tighten",
                            "expand", "widen"})
#: Nouns for a state's rulers: "the government of X" stands for X.
STATE_NOUNS = frozenset({"government", "administration", "authorities", "regime", "leadership"})
#: Instruments by which a body acts: "a US court injunction barred X" is the court's act.
INSTRUMENT_NOUNS = frozenset({"injunction", "ruling", "order", "decision", "verdict", "judgment", "judgement",
                              "decree", "warrant", "resolution"})
#: Nouns of exclusion from a body: "his suspension from the party" is a ban by the party.
EXCLUSION_NOUNS = frozenset({"suspension", "expulsion", "exclusion", "disqualification"})
#: Verbs that hand a penalty to someone ("X was given a ban by Y", "Y handed X a suspension").
GIVING_VERBS = frozenset({"give", "hand", "serve", "receive", "face", "incur", "award"})
#: Work one is paid for ("earned £N for a weekly column in the Y").
WORK_NOUNS = frozenset({"column", "columns", "role", "work", "job", "post", "seat", "services", "service", "advice",
                        "consultancy", "appearance", "appearances", "speech", "speeches", "article", "articles",
                        "contract", "directorship", "chairmanship", "show", "series", "programme", "lecture",
                        "lectures", "book"})
#: Adjectives after which "to" names what one is exposed to ("X is subject to UK sanctions").
EXPOSED_ADJECTIVES = frozenset({"subject", "liable", "exposed"})
#: Confidence multipliers for arguments reached indirectly.
HOW_FACTOR = {"direct": 1.0, "appos": 0.95, "relative": 1.0, "pronoun": 0.85, "definite": 0.8, "proxy": 0.8}


@dataclass(frozen=True)
class Rule:
    """One relation rule read from a patterns file."""

    id: str
    predicate: str
    pattern: tuple[dict[str, Any], ...]
    subject: str
    object: str
    confidence: float
    require: frozenset[str]
    subject_types: frozenset[str]
    object_types: frozenset[str]


@dataclass(frozen=True)
class Arg:
    """One end of a found relation: an actor (cluster id) or a charge (normalised name)."""

    kind: str  # "actor" | "charge"
    key: str
    type: str
    start: int
    end: int
    how: str = "direct"


@dataclass
class Found:
    """A relation found in one sentence, before it becomes a model.Relation."""

    subject: Arg
    predicate: str
    object: Arg
    sentence: Span
    rule: str
    confidence: float
    negated: bool = False
    denied: bool = False
    trigger_start: int = -1
    stage: str | None = None  # ACCUSED_OF and ACCUSES: how far the accusation has gone (extract/stage.py)


@dataclass
class RuleSet:
    """Rules and cue word lists, as loaded and validated."""

    rules: list[Rule] = field(default_factory=list)
    cues: dict[str, frozenset[str]] = field(default_factory=dict)


# -- loading --------------------------------------------------------------------------------------------------------


def _str_list(value: Any, where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise PatternError(f"{where}: '{key}' must be a non-empty list of strings")
    return value


def _trigger_pattern(trigger: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(trigger, dict) or not trigger:
        raise PatternError(f"{where}: 'trigger' must be an object such as {{\"lemma\": [...], \"pos\": [...]}}")
    attrs: dict[str, Any] = {}
    for key, value in trigger.items():
        if key not in TRIGGER_KEYS:
            raise PatternError(f"{where}: unknown trigger key {key!r} (use {', '.join(TRIGGER_KEYS)})")
        words = _str_list(value, where, f"trigger.{key}")
        if key == "lemma":  # proper-noun tokens keep their case as lemma ("President")
            words = list(dict.fromkeys([*words, *(w.capitalize() for w in words), *(w.upper() for w in words)]))
        attrs[TRIGGER_KEYS[key]] = {"IN": words}
    return [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": attrs}]


def _check_role(role: Any, where: str, key: str, node_ids: set[str]) -> str:
    if not isinstance(role, str) or not role:
        raise PatternError(f"{where}: '{key}' must be a role name")
    base = role[len("charge:"):] if role.startswith("charge:") else role
    if base.startswith("prep:"):
        if not re.fullmatch(r"prep:[a-z]+(\|[a-z]+)*", base):
            raise PatternError(f"{where}: bad preposition role {role!r} (e.g. 'prep:to|into')")
        return role
    if base in BUILTIN_ROLES or base in node_ids:
        if base in CHARGE_ONLY_ROLES and not role.startswith("charge:"):
            raise PatternError(f"{where}: role {base!r} only exists as 'charge:{base}'")
        return role
    raise PatternError(f"{where}: unknown role {role!r} for '{key}' (built-in roles: "
                       f"{', '.join(sorted(BUILTIN_ROLES))}, prep:a|b, charge:<role>, or a pattern RIGHT_ID)")


def parse_rule(row: Any, where: str, vocab: Vocab) -> Rule:
    """Validate one rule line; raise PatternError naming `where` (file:line) on any problem."""
    if not isinstance(row, dict):
        raise PatternError(f"{where}: expected a JSON object")
    unknown = set(row) - RULE_KEYS
    if unknown:
        raise PatternError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    rule_id = row.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise PatternError(f"{where}: 'id' must look like 'funds.verb.v1' (versioned), got {rule_id!r}")
    predicate = row.get("predicate")
    if predicate not in PREDICATES:
        raise PatternError(f"{where}: unknown predicate {predicate!r} (use one of {', '.join(PREDICATES)})")
    if ("trigger" in row) == ("pattern" in row):
        raise PatternError(f"{where}: give exactly one of 'trigger' or 'pattern'")
    if "trigger" in row:
        pattern = _trigger_pattern(row["trigger"], where)
    else:
        pattern = row["pattern"]
        if not isinstance(pattern, list) or not pattern or not all(isinstance(n, dict) for n in pattern):
            raise PatternError(f"{where}: 'pattern' must be a non-empty list of DependencyMatcher nodes")
        if pattern[0].get("RIGHT_ID") != "trigger":
            raise PatternError(f"{where}: the first pattern node must have RIGHT_ID 'trigger'")
    try:
        DependencyMatcher(vocab, validate=True).add(rule_id, [pattern])
    except Exception as exc:  # spaCy raises ValueError/KeyError with its own message
        raise PatternError(f"{where}: invalid DependencyMatcher pattern: {exc}") from exc
    node_ids = {str(n.get("RIGHT_ID")) for n in pattern}
    subject = _check_role(row.get("subject"), where, "subject", node_ids)
    obj = _check_role(row.get("object"), where, "object", node_ids)
    if subject.startswith("charge:"):
        raise PatternError(f"{where}: a charge can only be the object")
    if obj.startswith("charge:") != (predicate == "ACCUSED_OF"):
        raise PatternError(f"{where}: ACCUSED_OF rules, and only they, take a 'charge:<role>' object")
    confidence = row.get("confidence", 0.7)
    if not isinstance(confidence, int | float) or not 0 < confidence <= 1:
        raise PatternError(f"{where}: 'confidence' must be a number in (0, 1]")
    require = row.get("require", [])
    if require:
        require = _str_list(require, where, "require")
        bad = set(require) - REQUIREMENTS
        if bad:
            raise PatternError(f"{where}: unknown requirement(s) {', '.join(sorted(bad))} "
                               f"(use {', '.join(sorted(REQUIREMENTS))})")
    types = {}
    for key, default in (("subject_types", ACTOR_TYPES), ("object_types", ACTOR_TYPES)):
        value = row.get(key)
        if value is None:
            types[key] = frozenset(("CHARGE",) if key == "object_types" and predicate == "ACCUSED_OF" else default)
            continue
        value = _str_list(value, where, key)
        if set(value) - set(ENTITY_TYPES):
            raise PatternError(f"{where}: '{key}' must be among {', '.join(ENTITY_TYPES)}")
        types[key] = frozenset(value)
    return Rule(rule_id, predicate, tuple(pattern), subject, obj, float(confidence), frozenset(require),
                types["subject_types"], types["object_types"])


def _read_jsonl(path: Path) -> Iterable[tuple[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PatternError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{number}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise PatternError(f"{where}: not JSON: {exc.msg}") from exc


def load_rules(directory: Path | None = None, extra: Sequence[Path] = ()) -> RuleSet:
    """Read and validate every relations*.jsonl and cues*.jsonl of `directory` (the package's by default)."""
    directory = directory or PATTERN_DIR
    vocab = Vocab()
    out = RuleSet()
    cues: dict[str, set[str]] = {}
    for path in sorted(directory.glob(CUE_GLOB)):
        for where, row in _read_jsonl(path):
            if not isinstance(row, dict) or row.get("cue") not in CUE_NAMES:
                raise PatternError(f"{where}: expected {{\"cue\": <one of {', '.join(sorted(CUE_NAMES))}>, "
                                   "\"words\": [...]}")
            extra_keys = sorted(set(row) - {"cue", "words", "note"})
            if extra_keys:
                raise PatternError(f"{where}: unknown field(s) {', '.join(extra_keys)}")
            cues.setdefault(row["cue"], set()).update(w.lower() for w in _str_list(row.get("words"), where, "words"))
    cues.setdefault("offence", set()).update(OFFENCES)  # the offence lexicon lives with the charges
    out.cues = {name: frozenset(words) for name, words in cues.items()}
    seen: dict[str, str] = {}
    for path in [*sorted(directory.glob(RULE_GLOB)), *extra]:
        for where, row in _read_jsonl(path):
            rule = parse_rule(row, where, vocab)
            if rule.id in seen:
                raise PatternError(f"{where}: rule id {rule.id!r} already defined at {seen[rule.id]}")
            seen[rule.id] = where
            out.rules.append(rule)
    return out


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The package's rules, read once per process."""
    return load_rules()


# -- the engine -----------------------------------------------------------------------------------------------------

_ENGINES: weakref.WeakKeyDictionary[Language, RuleEngine] = weakref.WeakKeyDictionary()
_ENGINE_LOCK = threading.Lock()


def engine_for(nlp: Language, rules: RuleSet | None = None) -> RuleEngine:
    """The RuleEngine of this pipeline, built once (the DependencyMatcher compiles per vocab)."""
    if rules is not None:
        return RuleEngine(nlp.vocab, rules)
    with _ENGINE_LOCK:
        engine = _ENGINES.get(nlp)
        if engine is None:
            engine = RuleEngine(nlp.vocab, default_rules())
            _ENGINES[nlp] = engine
        return engine


class RuleEngine:
    """Runs every rule over a parsed document and turns matches into `Found` relations."""

    def __init__(self, vocab: Vocab, rules: RuleSet) -> None:
        self.rules = {r.id: r for r in rules.rules}
        self.cues = rules.cues
        self.matcher = DependencyMatcher(vocab)
        for rule in rules.rules:
            self.matcher.add(rule.id, [list(rule.pattern)])
        self.node_ids = {r.id: [str(n["RIGHT_ID"]) for n in r.pattern] for r in rules.rules}

    def cue(self, name: str) -> frozenset[str]:
        return self.cues.get(name, frozenset())

    def find(self, doc: Doc, index: ActorIndex, skip_sentences: frozenset[int] = frozenset()) -> list[Found]:
        """Every relation the rules find in `doc`; sentences whose start token is in `skip_sentences` are skipped."""
        out: list[Found] = []
        ctx = _Context(self, doc, index)
        for match_id, token_ids in self.matcher(doc):
            rule = self.rules[doc.vocab.strings[match_id]]
            nodes = {rid: doc[i] for rid, i in zip(self.node_ids[rule.id], token_ids, strict=False)}
            trigger = nodes["trigger"]
            sent = trigger.sent
            if sent.start in skip_sentences:
                continue
            out.extend(ctx.apply(rule, trigger, nodes, sent))
        return _dedupe(out)


def _dedupe(found: list[Found]) -> list[Found]:
    best: dict[tuple[Any, ...], Found] = {}
    stages: dict[tuple[Any, ...], list[str]] = {}
    for f in found:
        ends = (f.subject.key, f.object.key)
        if f.predicate in SYMMETRIC:
            ends = tuple(sorted(ends))  # type: ignore[assignment]
        key = (f.predicate, *ends, f.sentence.start)
        old = best.get(key)
        if f.stage is not None and not f.negated:
            stages.setdefault(key, []).append(f.stage)
        if old is None or (old.negated, -old.confidence) > (f.negated, -f.confidence):
            best[key] = f
    for key, f in best.items():
        if key in stages:  # two triggers of one claim: the furthest stage either states
            f.stage = furthest(stages[key])
    return list(best.values())


class _Context:
    """Grammar helpers for one document (roles, modality), shared by every match in it."""

    def __init__(self, engine: RuleEngine, doc: Doc, index: ActorIndex) -> None:
        self.engine = engine
        self.doc = doc
        self.index = index
        self.actor_tokens = frozenset(index.by_token)

    # -- applying one rule ------------------------------------------------------------------------------------------

    def apply(self, rule: Rule, trigger: Token, nodes: dict[str, Token], sent: Span) -> list[Found]:
        if self._hypothetical(trigger, sent):
            return []
        if trigger.lemma_.lower() == "charge" and trigger.pos_ == "NOUN" and (
            trigger.head.lower_ == "in" or trigger.head.lemma_.lower() in CHARGE_IDIOM_VERBS
        ):
            return []  # "in charge of", "take charge of" name a responsibility, not an accusation
        if not self._requirements_met(rule, trigger):
            return []
        if rule.predicate == "SUPPORTS" and any(c.dep_ == "amod" and c.lower_ in {"financial", "monetary"}
                                                for c in trigger.children):
            return []  # "his financial backers": funders (FUNDS), not supporters
        if rule.predicate == "ACCUSES" and trigger.lemma_.lower() in SANCTION_VERBS and not self._for_reason(trigger):
            return []  # "the Treasury sanctioned X": a ban (BANNED_BY); an accusation only when it names an offence
        if not rule.object.startswith("charge:") and not self._role_tokens(rule.object, trigger, nodes):
            return []  # no object in the parse: resolve nothing (a resolution may join a description to an actor)
        subjects = self._actors(self._role_tokens(rule.subject, trigger, nodes), proxy=False,
                                conj=rule.subject not in NO_CONJ_ROLES)
        subjects = [s for s in subjects if s.type in rule.subject_types]
        if not subjects:
            return []
        if rule.object.startswith("charge:"):
            objects = self._charges(rule, trigger, nodes)
        else:
            proxy = rule.predicate not in {"MEMBER_OF", "LOCATED_IN", "BANNED_BY", "ACCUSES"}
            objects = self._actors(self._role_tokens(rule.object, trigger, nodes), proxy=proxy,
                                   conj=rule.object not in NO_CONJ_ROLES,
                                   norp=rule.object in {"org", "sanction_imposer"})
            objects = [o for o in objects if o.type in rule.object_types]
            if rule.predicate == "FUNDS":
                objects = [o for o in objects if not self._enforcer(o)]  # paid to a court: a fine
            if rule.object == "org" and any(o.type == "ORG" for o in objects):
                objects = [o for o in objects if o.type != "GPE"]  # "its UK chief executive": the firm, not the UK
        if not objects:
            return []
        stage, negated, denied = read_claim(trigger, rule.predicate, self.engine)
        out = []
        text = self.doc.text
        for s in subjects:
            for o in objects:
                if s.key == o.key:
                    continue
                lo = min(s.start, o.start, trigger.idx)
                hi = max(s.end, o.end, trigger.idx)
                if _BLANK_LINE.search(text, lo, hi):
                    continue  # a relation is read from one paragraph (headlines run into sentences)
                conf = rule.confidence * HOW_FACTOR.get(s.how, 0.8) * HOW_FACTOR.get(o.how, 0.8)
                out.append(Found(s, rule.predicate, o, sent, rule.id, round(conf, 3), negated, denied, trigger.idx,
                                 stage))
        return out

    def _requirements_met(self, rule: Rule, trigger: Token) -> bool:
        for req in rule.require:
            if req == "money" and (not self._moves_money(trigger) or self._penalty(trigger)):
                return False
            if req == "banned_complement" and not self._banned_complement(trigger):
                return False
            if (req == "denied_or_accusation" and trigger.lemma_.lower() not in ACCUSATION_NOUNS
                    and not (self._under_denial(trigger) and self._culpable_clause(trigger))):
                return False
            if req == "accuser_subject" and not self._accuser_subject(trigger):
                return False
            if req == "offence_clause" and not any(self._clause_charge(v, True)
                                                   for v in self._clause_verbs(trigger)):
                return False
            if req == "penalty" and not self._penalty(trigger):
                return False
            if req == "sanction_sense" and not self._sanction_sense(trigger):
                return False
            if req == "named_clause_subject" and not any(
                g.i in self.actor_tokens or g.lower_ in self.engine.cue("person_pronoun")
                for v in self._clause_verbs(trigger) for g in v.children if g.dep_ in {"nsubj", "nsubjpass"}
            ):
                return False  # "'it is not just the violence', he said": 'it' is too weak for an accused
        return True

    # -- arguments --------------------------------------------------------------------------------------------------

    def _actors(self, tokens: list[Token], *, proxy: bool, conj: bool = True, norp: bool = False) -> list[Arg]:
        out: list[Arg] = []
        seen: set[str] = set()
        for tok in _with_conjuncts(tokens) if conj else tokens:
            tok = self._instrument_owner(tok)
            resolved = self.index.resolve(tok, proxy=proxy)
            if not resolved and norp:
                resolved = self._norp_place(tok)
            for r in resolved:
                if r.cluster_id not in seen:
                    seen.add(r.cluster_id)
                    out.append(Arg("actor", r.cluster_id, r.type, r.start, r.end, r.how))
        return out

    def _norp_place(self, tok: Token) -> list[Resolved]:
        """'Iranian President X': a nationality adjective stands for its country, when the text names it;
        'Tory co-chairman X': a party's singular stands for the party ('the Tories') the text names."""
        if tok.dep_ not in {"amod", "compound", "nmod"} or not tok.text[:1].isupper():
            return []
        span = (tok.idx, tok.idx + len(tok.text))
        for cluster in self.index.clusters:
            forms = [f.lower() for f in [cluster.name, *cluster.aliases] if " " not in f]
            if cluster.type == "ORG" and tok.text not in TITLE_WORDS and any(singular(f) == tok.lower_ != f
                                                                                for f in forms):
                return [Resolved(cluster.id, "ORG", "direct", *span)]
        if tok.ent_type_ != "NORP" and tok.pos_ != "ADJ":
            return []
        stem = tok.text.lower()[:4]
        if len(stem) < 4:
            return []
        for cluster in self.index.clusters:
            if cluster.type == "GPE" and any(f.lower().startswith(stem) for f in [cluster.name, *cluster.aliases]):
                return [Resolved(cluster.id, "GPE", "direct", *span)]
        return []

    def _instrument_owner(self, tok: Token) -> Token:
        """'a US court injunction barred X', 'the court's ruling': an instrument acts for the body that issued it."""
        if tok.i in self.actor_tokens or tok.lemma_.lower() not in INSTRUMENT_NOUNS:
            return tok
        owners = [c for c in tok.children if c.dep_ in {"poss", "compound", "nmod"} and c.pos_ in {"NOUN", "PROPN"}]
        return owners[-1] if owners else tok

    def _enforcer(self, arg: Arg) -> bool:
        """Whether an actor's name says it is a court, regulator or prosecutor ('Department of Justice')."""
        cluster = next((c for c in self.index.clusters if c.id == arg.key), None)
        if cluster is None:
            return False
        enforcers = self.engine.cue("enforcer")
        return any(w.lower() in enforcers for f in [cluster.name, *cluster.aliases] for w in f.split())

    def _penalty(self, trigger: Token) -> bool:
        """Whether the verb phrase names a fine or settlement ('pay $5m to settle the charge')."""
        words = self.engine.cue("penalty")
        return any(t.lower_ in words or t.lemma_.lower() in words for t in trigger.subtree)

    def _charges(self, rule: Rule, trigger: Token, nodes: dict[str, Token]) -> list[Arg]:
        role = rule.object[len("charge:"):]
        lexicon = "lexicon" in rule.require
        found: list[Charge] = []
        if role == "oprd":
            for child in [*trigger.children, *self._as_complements(trigger)]:
                if child.dep_ in {"oprd", "xcomp", "acomp", "attr", "dobj"} or child.head.lower_ == "as":
                    charge = charge_from_adjective(child, self.engine.cues)
                    if charge is not None:
                        found.append(charge)
        elif role == "clause":
            for verb in self._clause_verbs(trigger):
                found.extend(self._clause_charge(verb, lexicon))
        elif role == "because":
            for verb in self._because_clauses(trigger):
                found.extend(self._clause_charge(verb, lexicon))
        else:
            heads = self._role_tokens(role, trigger, nodes)
            if not heads and role.startswith("prep:") and trigger.pos_ == "NOUN":
                preps = set(role[5:].split("|"))
                heads = [o for x in self._prep_objects(trigger, {"against"}) for o in self._prep_objects(x, preps)]
            if not heads and trigger.pos_ == "VERB" and (role.startswith("prep:") or role == "for_gerund"):
                heads = self._argument_charge_objects(trigger, {"for"} if role == "for_gerund"
                                                      else set(role[5:].split("|")))
            if not heads and role.startswith("prep:") and trigger.pos_ == "NOUN":
                offences = self.engine.cue("offence")  # "the bribe charge", "fraud charges"
                heads = [c for c in trigger.children if c.dep_ in {"compound", "nmod"} and c.i < trigger.i
                         and (c.lemma_.lower() in offences or c.lower_ in offences)]
            for group in _adjacent_groups(heads):
                if len(group) > 1:  # "anti - Semitism" parsed as three objects of one preposition
                    name = normalise([t.text for t in group])
                    if name:
                        found.append(Charge(name, group[0].idx, group[-1].idx + len(group[-1].text)))
                    continue
                found.extend(charges_for(group[0], self.engine.cues, lexicon=lexicon,
                                         actor_tokens=self.actor_tokens))
        return [Arg("charge", c.name, "CHARGE", c.start, c.end) for c in found if plausible(c.name, self.engine.cues)]

    def _argument_charge_objects(self, verb: Token, preps: set[str]) -> list[Token]:
        """'accused [Jan Kowal of corruption]', 'sacked by [the firm for misconduct]': the parser hangs the charge
        on an argument of the verb; taken only when it is a gerund or names an offence ('the head of the bank'
        is no charge)."""
        out = []
        args = [*self._logical_object(verb), *(g for c in verb.children if c.dep_ == "agent" for g in c.children
                                               if g.dep_ == "pobj")]
        args += [c for c in verb.children if c.dep_ == "dobj" and (c.ent_type_ == "MONEY" or c.like_num)]
        # ("fined X £4m for failing to protect customers": the parser hangs the reason on the sum)
        for arg in args:
            for obj in self._prep_objects(arg, preps):
                if obj.tag_ == "VBG" or any(t.lemma_.lower() in self.engine.cue("offence") for t in obj.subtree):
                    out.append(obj)
        return out

    def _clause_charge(self, verb: Token, lexicon: bool) -> list[Charge]:
        if lexicon:
            for v in [verb, *(c for c in verb.children if c.dep_ == "xcomp")]:
                named = self._offence_verb(v)  # "X lied", "used the tools to defraud the public"
                if named is not None:
                    return [named]
            adverbs = self.engine.cue("culpable_adverb")
            if any(c.dep_ == "advmod" and c.lower_ in adverbs for c in verb.children):
                return self._clause_charge(verb, False)  # "it fraudulently inflated allowances"
            if verb.lemma_.lower() not in self.engine.cue("culpable_verb"):
                return []
            offences = self.engine.cue("offence")
            hits = [t for t in verb.subtree if t.lemma_.lower() in offences and t.pos_ in {"NOUN", "PROPN"}
                    and not (t.head.lower_ == "on" and t.head.head.pos_ == "ADJ")]  # "soft on crime": a stance
            out = []
            for hit in hits[:2]:
                out.extend(charges_for(hit, self.engine.cues, lexicon=True, actor_tokens=self.actor_tokens))
            return out
        return clause_charges(verb, self.engine.cues, self.actor_tokens)

    def _offence_verb(self, verb: Token) -> Charge | None:
        """A verb that is an offence by itself ('lied', 'bribed', 'defrauded'), named as its charge
        (cues.jsonl: offence_verb); 'lie in/with/ahead' is no lie."""
        if verb.pos_ != "VERB":
            return None
        lemma = verb.lemma_.lower()
        gerunds = dict(w.split("=", 1) for w in self.engine.cue("norm_verb") if "=" in w)
        if lemma in gerunds:  # "she broke a convention" -> "breaking a convention"
            norms = self.engine.cue("norm_noun")
            for obj in (c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in norms):
                toks = [t for t in obj.subtree
                        if t == obj or (t.i < obj.i and t.dep_ in {"det", "amod", "compound", "poss"})]
                if any(t.dep_ == "poss" for t in toks):
                    toks = [t for t in toks if t.dep_ != "det"]
                return Charge(normalise([gerunds[lemma], *(t.text for t in toks)]), verb.idx, obj.idx + len(obj.text))
        if lemma in OFFENCE_VERBS:  # "X misled investors" -> "misleading investors"
            named = clause_charges(verb, self.engine.cues, self.actor_tokens)
            return named[0] if named else None
        mapping = dict(w.split("=", 1) for w in self.engine.cue("offence_verb") if "=" in w)
        name = mapping.get(lemma)
        if name is None:
            return None
        if any(c.dep_ in {"prep", "advmod"} and c.lower_ in LIE_PLACES for c in verb.children):
            return None
        return Charge(name, verb.idx, verb.idx + len(verb.text))

    def _clause_verbs(self, trigger: Token) -> list[Token]:
        """Finite content clauses of a noun or verb ('allegations (that) he bribed ...'), not relative clauses."""
        return [c for c in trigger.children if c.dep_ in {"acl", "ccomp", "relcl"} and c.pos_ in {"VERB", "AUX"}
                and any(g.dep_ in {"nsubj", "nsubjpass"} for g in c.children)
                and not any(g.tag_ in {"WDT", "WP", "WP$"} for g in c.children)
                and not (c.left_edge.tag_ in {"WDT", "WP", "WP$"} and c.left_edge.dep_ in {"dobj", "pobj"})]
        # ("a charge that Tesla agreed to settle": 'that' is the object of the clause, a relative)

    def _because_clauses(self, trigger: Token) -> list[Token]:
        """'fined X because it accepted an impermissible donation': a reason clause whose subject is a name or
        a pronoun (the one penalised), naming what they did."""
        pronouns = self.engine.cue("person_pronoun") | self.engine.cue("org_pronoun") | self.engine.cue(
            "plural_pronoun")
        return [c for c in trigger.children if c.dep_ == "advcl" and c.pos_ in {"VERB", "AUX"}
                and any(g.dep_ == "mark" and g.lower_ == "because" for g in c.children)
                and any(g.dep_ in {"nsubj", "nsubjpass"} and (g.i in self.actor_tokens or g.lower_ in pronouns
                                                              or g.pos_ == "NOUN") for g in c.children)]

    def _role_because_subject(self, tok: Token) -> list[Token]:
        return [g for c in self._because_clauses(tok) for g in c.children if g.dep_ in {"nsubj", "nsubjpass"}]

    def _role_tokens(self, role: str, trigger: Token, nodes: dict[str, Token]) -> list[Token]:
        if role in nodes:
            return [nodes[role]]
        if role.startswith("prep:"):
            for prep in role[5:].split("|"):  # in the rule's order: "accused of X over Y" -> X
                found = self._prep_objects(trigger, {prep})
                if found:
                    return found
            return []
        fn = getattr(self, "_role_" + role, None)
        return list(fn(trigger)) if fn is not None else []

    # -- roles ------------------------------------------------------------------------------------------------------

    def _role_agent(self, tok: Token) -> list[Token]:
        if tok.pos_ in {"NOUN", "PROPN"}:
            return self._noun_agent(tok)
        if tok.pos_ == "ADJ":
            small = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if small:
                return small  # "the court found [X guilty]"
            if tok.dep_ == "oprd":
                objs = [c for c in tok.head.children if c.dep_ == "dobj"]
                if objs:
                    return objs
            verb = tok.head
            return self._surface_subject(verb) if verb.i != tok.i else []
        return self._logical_subject(tok)

    def _role_patient(self, tok: Token) -> list[Token]:
        return self._logical_object(tok)

    def _role_patient_or_agent(self, tok: Token) -> list[Token]:
        return self._logical_object(tok) if _is_passive(tok) else self._role_agent(tok)

    def _role_recipient(self, tok: Token) -> list[Token]:
        out = self._prep_objects_linked(tok, {"to", "into", "for", "towards"})
        out += [c for c in tok.children if c.dep_ == "dative" and c.pos_ != "ADP"]
        out += [g for c in tok.children if c.dep_ == "dative" and c.pos_ == "ADP" for g in c.children
                if g.dep_ == "pobj"]
        return out

    def _role_from(self, tok: Token) -> list[Token]:
        out = self._prep_objects_linked(tok, {"from"})
        if not out and tok.pos_ == "VERB":  # "accepted a £50,000 loan from X", "donations totalling £1m from X"
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            objs += [a for c in objs for a in c.children if a.dep_ == "acl" and a.tag_ == "VBG"]
            out = [o for c in objs for o in self._prep_objects(c, {"from"})]
        node = tok
        climbing = tok.pos_ == "NOUN"
        while not out and climbing and node.dep_ in {"dobj", "pobj", "prep"} and node.head.i != node.i:
            node = node.head  # "X faced charges from Y", "X seeks millions in damages from Y": up to the verb
            if node.pos_ in {"NOUN", "VERB"}:
                out = self._prep_objects(node, {"from"})
            if node.pos_ == "VERB":
                break
        return out

    def _role_holder(self, tok: Token) -> list[Token]:
        out = [c for c in tok.children if c.dep_ == "appos"]
        out += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in {"including", "like"}
                for g in c.children if g.dep_ == "pobj"]  # "Mr Glazer's financial backers, including JP Morgan"
        if tok.dep_ in {"compound", "amod", "nmod"} or tok.dep_ == "appos":
            out.append(tok.head)
        elif tok.dep_ == "conj" and any(c.lower_ == "other" for c in tok.children):
            out.append(tok.head)  # "X and other Labour donors": X is one of them
        elif tok.dep_ == "conj" and tok.head.dep_ == "appos" and tok.head.i not in self.actor_tokens:
            out.append(tok.head.head)  # "X, chief executive and chairman of Y": both titles are X's
        elif tok.dep_ == "nsubj" and tok.head.lemma_ == "include":
            out += self._included(tok)  # "Putin allies now sanctioned include X, Y and Z"
        elif tok.dep_ == "attr":
            out += [c for c in tok.head.children if c.dep_ == "nsubj"]
        elif tok.dep_ == "nsubj" and tok.head.lemma_ == "be":
            out += [c for c in tok.head.children if c.dep_ == "attr"]
        elif tok.dep_ in {"oprd", "xcomp"}:
            out += [c for c in tok.head.children if c.dep_ in {"dobj", "nsubjpass"}]
        elif tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.head.pos_ == "NOUN":
            out += [c for c in tok.head.head.children if c.dep_ == "poss"]  # "for her role as an official of Y"
        elif tok.dep_ == "pobj" and tok.head.lower_ == "as":
            verb = tok.head.head
            out += [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}] or \
                [c for c in verb.children if c.dep_ == "nsubj"]
        elif tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in {"one", "some", "each"}:
            one = tok.head.head  # "X, one of six WorldCom executives"
            if one.dep_ == "appos":
                out.append(one.head)
            elif one.dep_ == "attr":
                out += [c for c in one.head.children if c.dep_ == "nsubj"]
        return out

    def _role_org(self, tok: Token) -> list[Token]:
        out = self._prep_objects(tok, {"of", "for", "at"})
        if not out:  # "chief executive and chairman of Y": the first title shares the second's organisation
            out = [o for c in tok.children if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN"}
                   and c.i not in self.actor_tokens for o in self._prep_objects(c, {"of", "for", "at"})]
        out += [c for o in out if o.pos_ == "PROPN" and o.i not in self.actor_tokens for c in o.children
                if c.dep_ == "poss"]
        out += [c for c in tok.children if c.dep_ == "poss"]
        stack = [c for c in tok.children if c.dep_ in {"compound", "nmod", "amod"}]
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(g for g in c.children if g.dep_ in {"compound", "nmod"})
        if not out and tok.i > tok.sent.start:  # "Tory co-chairman X", parsed "Tory co" + "- chairman"
            j = tok.i - 1
            while j > tok.sent.start and tok.doc[j].lower_ in TITLE_PREFIXES:
                j -= 1
            if tok.doc[j].text[:1].isupper() and tok.doc[j].dep_ in {"compound", "amod", "nmod"}:
                out.append(tok.doc[j])  # also "US Attorney X" when 'US' hangs on X
        return out

    def _role_work_payer(self, tok: Token) -> list[Token]:
        """Who pays for work done: 'earned £195,000 for a weekly column in the News of the World', 'received
        £30,000 for acting as the Guardian's agony aunt', 'for being a consultant to the Tote'."""
        fors = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"]
        fors += [g for c in tok.children if c.dep_ == "dobj" for g in c.children
                 if g.dep_ == "prep" and g.lower_ == "for"]
        out: list[Token] = []
        for prep in fors:
            for work in (g for g in prep.children if g.dep_ in {"pobj", "pcomp"}):
                if work.tag_ != "VBG" and work.lemma_.lower() not in WORK_NOUNS:
                    continue
                for t in work.subtree:
                    if t.i in self.actor_tokens and t.dep_ in {"pobj", "poss"} and t.head.lower_ not in {"about", "on"}:
                        out.append(t)
                        break
        return out

    def _role_in_org(self, tok: Token) -> list[Token]:
        """'a senior journalist in the BBC', 'deputy chief of staff in the Executive Chamber'."""
        return self._prep_objects(tok, {"in", "within"})

    def _role_person_owner(self, tok: Token) -> list[Token]:
        """Whose aide or ally: 'Putin's press secretary X', 'Putin political allies'."""
        return [c for c in tok.children if c.dep_ == "poss" or (c.dep_ in {"compound", "nmod"} and c.pos_ == "PROPN")]

    def _role_sanction_imposer(self, tok: Token) -> list[Token]:
        """Who imposes sanctions named by a noun: 'UK sanctions', 'the EU's embargo', 'sanctions imposed by Y'."""
        out = [c for c in tok.children if c.dep_ in {"compound", "nmod", "amod", "poss"} and c.i < tok.i
               and (c.pos_ == "PROPN" or c.ent_type_ in {"NORP", "GPE", "ORG"})]
        out += self._prep_objects(tok, {"by"})
        if tok.lemma_.lower() in EXCLUSION_NOUNS:
            out += self._prep_objects(tok, {"from"})  # "his suspension from the party": the party bans
        for verb in (c for c in tok.children if c.dep_ == "acl" and c.pos_ == "VERB"):
            out += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not out and tok.dep_ == "dobj" and tok.head.lemma_.lower() in IMPOSING_VERBS | GIVING_VERBS:
            out = self._logical_subject(tok.head)  # "the EU imposed sanctions on X", "given bans by the IAAF"
            if tok.head.lemma_.lower() in {"receive", "serve", "face", "incur"}:
                # "X received a ban from Y"
                out = self._prep_objects(tok.head, {"from"}) + self._prep_objects(tok, {"from"})
        return out

    def _role_sanction_target(self, tok: Token) -> list[Token]:
        """Who sanctions named by a noun hit: 'sanctions on/against X', 'X is subject to UK sanctions',
        'oligarchs subject to UK sanctions include X', 'X, who is under EU sanctions'."""
        out = self._prep_objects(tok, {"on", "against"})
        for verb in (c for c in tok.children if c.dep_ == "acl" and c.pos_ == "VERB"):
            out += self._prep_objects(verb, {"on", "against"})
        if not out and tok.dep_ == "dobj" and tok.head.lemma_.lower() in IMPOSING_VERBS:
            out = self._prep_objects(tok.head, {"on", "against"})  # the parser may hang "on X" on the verb
            first = tok.head.head
            if not out and tok.head.dep_ == "conj" and first.pos_ == "VERB":  # "fined X £2,000 and imposed a ban"
                out = [c for c in first.children if c.dep_ in {"dobj", "dative"} and c.i in self.actor_tokens]
        if not out and tok.dep_ == "dobj" and tok.head.lemma_.lower() in GIVING_VERBS:
            verb = tok.head  # "they were given provisional suspensions by the IAAF", "X received a ban"
            if _is_passive(verb):
                out = [c for c in verb.children if c.dep_ == "nsubjpass"]
            elif verb.lemma_.lower() in {"receive", "serve", "face", "incur"}:
                out = [c for c in verb.children if c.dep_ == "nsubj"]
            else:
                out = [c for c in verb.children if c.dep_ == "dative"]
        if not out and tok.lemma_.lower() in EXCLUSION_NOUNS:
            out = [c for c in tok.children if c.dep_ == "poss"]  # "his suspension from the party"
        out = [t for o in out for t in ([o] if o.i in self.actor_tokens or o.pos_ == "PRON" else
                                        [o, *self._prep_objects(o, {"to", "with"})])]
        # ("the embargo on arms exports to China", "the ban on trade with Tripoli")
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in EXPOSED_ADJECTIVES:
            adj = head.head
            if adj.dep_ == "acomp":
                out += [c for c in adj.head.children if c.dep_ == "nsubj"]
            elif adj.head.i != adj.i:
                out.append(adj.head)
        elif tok.dep_ == "pobj" and head.lower_ == "under" and head.head.pos_ in {"VERB", "AUX"}:
            out += [c for c in head.head.children if c.dep_ == "nsubj"]
        return [t for o in out for t in self._included(o)]

    def _included(self, tok: Token) -> list[Token]:
        """A group that is the subject of 'include' stands for what it includes ('those sanctioned include X')."""
        if tok.i in self.actor_tokens or tok.dep_ not in {"nsubj", "nsubjpass"} or tok.head.lemma_ != "include":
            return [tok]
        return [c for c in tok.head.children if c.dep_ == "dobj"] or [tok]

    def _for_reason(self, verb: Token) -> bool:
        """Whether a verb states why ('sanctioned X for human rights abuses')."""
        return any(c.dep_ == "prep" and c.lower_ in {"for", "over"} for c in verb.children)

    def _sanction_sense(self, verb: Token) -> bool:
        """'designated X' as a sanction, not 'designated X its successor' / 'as chairman': a complement must name
        a banned status ('as a terrorist organisation')."""
        comps = [c for c in verb.children if c.dep_ in {"oprd", "xcomp", "attr", "acomp", "ccomp"}]
        comps += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children
                  if g.dep_ == "pobj"]
        if not comps:
            return True
        words = self.engine.cue("banned_complement")
        return any(t.lower_ in words or t.lemma_.lower() in words for c in comps for t in c.subtree)

    def _role_poss_or_of(self, tok: Token) -> list[Token]:
        return [c for c in tok.children if c.dep_ == "poss"] + self._prep_objects(tok, {"of", "with"})

    def _role_head(self, tok: Token) -> list[Token]:
        return [tok.head] if tok.head.i != tok.i else []

    def _role_accused(self, tok: Token) -> list[Token]:
        against = self._prep_objects(tok, {"against"})
        if against:
            return against
        poss = [c for c in tok.children if c.dep_ == "poss"]
        if poss:
            return poss
        node = tok
        if node.dep_ == "pobj" and node.head.dep_ == "prep":
            node = node.head
        verb = node.head
        if verb.i == node.i or verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() in ACCUSER_VERBS:
            return []
        if node.dep_ == "prep" and not _is_passive(verb) and verb.lemma_.lower() in ACCUSING_VERBS:
            objs = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
            if objs:
                return objs  # "the DoJ indicted X on charges of bribery": X faces them, not the DoJ
        if node.dep_ in {"dobj", "prep", "attr"}:
            return self._logical_object(verb) if _is_passive(verb) else self._surface_subject(verb)
        return []

    def _role_clause_subject(self, tok: Token) -> list[Token]:
        return [g for v in self._clause_verbs(tok) for g in v.children if g.dep_ in {"nsubj", "nsubjpass"}]

    def _joint_subjects(self, tok: Token) -> list[Token]:
        """'X and Y issued a joint statement': the coordinated subjects of the verb that governs `tok`."""
        verb = tok.head
        if tok.dep_ == "pobj":
            verb = verb.head
        subj = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        return [subj[0], *subj[0].conjuncts] if subj else []

    def _role_joint_first(self, tok: Token) -> list[Token]:
        return self._joint_subjects(tok)[:1]

    def _role_joint_rest(self, tok: Token) -> list[Token]:
        return self._joint_subjects(tok)[1:]

    def _role_urge_subject(self, tok: Token) -> list[Token]:
        return self._surface_subject(tok.head)

    def _role_verb_subject(self, tok: Token) -> list[Token]:
        verb = next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)
        return self._surface_subject(verb) if verb is not None else []

    def _role_dobj(self, tok: Token) -> list[Token]:
        return [c for c in tok.children if c.dep_ in {"dobj", "attr"}]

    def _role_for_gerund(self, tok: Token) -> list[Token]:
        out = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children
               if g.dep_ in {"pcomp", "pobj"}]
        if out:
            return out
        if tok.pos_ == "NOUN":  # "thirteen fines totalling £3,300 for the late reporting of 21 donations"
            out = [g for a in tok.children if a.dep_ == "acl" and a.tag_ == "VBG" for c in a.children
                   if c.dep_ == "prep" and c.lower_ == "for" for g in c.children if g.dep_ in {"pcomp", "pobj"}]
            if out:
                return out
        # the parser often hangs "for inciting ..." on the main verb: accept it there when it follows the trigger
        for anc in tok.ancestors:
            for c in anc.children:
                if c.dep_ == "prep" and c.lower_ == "for" and c.i > tok.i:
                    out += [g for g in c.children if g.dep_ == "pcomp" and g.tag_ == "VBG"]
            if out:
                return out
        return []

    def _role_after_gerund(self, tok: Token) -> list[Token]:
        """'suspended after failing to take drugs tests': what one did before the penalty, as a gerund."""
        return [g for c in tok.children if c.dep_ == "prep" and c.lower_ in {"after", "following"}
                for g in c.children if g.dep_ == "pcomp" and g.tag_ == "VBG"]

    # -- grammar helpers --------------------------------------------------------------------------------------------

    def _prep_objects(self, tok: Token, preps: set[str]) -> list[Token]:
        out = []
        for child in tok.children:
            if child.dep_ in {"prep", "agent", "dative"} and child.lower_ in preps:
                for g in child.children:
                    if g.dep_ in {"pobj", "pcomp"}:
                        out.append(self._state_of(self._behalf(g)))
                        if g.lower_ == "behalf":  # "on behalf of X and Y", the parser hanging Y on 'behalf'
                            out += [c for c in g.conjuncts if c.pos_ in {"PROPN", "NOUN"}]
            elif child.dep_ in {"prep", "advmod"} and child.lower_ in {"together", "along", "alongside"}:
                out += self._prep_objects(child, preps)
        return out

    @staticmethod
    def _state_of(tok: Token) -> Token:
        """'the government of Norland' stands for Norland (a government named by its country is the country)."""
        if tok.lemma_.lower() not in STATE_NOUNS:
            return tok
        return next((g for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
                     if g.dep_ == "pobj" and g.pos_ == "PROPN" and g.ent_type_ != "PERSON"), tok)

    @staticmethod
    def _behalf(tok: Token) -> Token:
        """'on behalf of X' / 'on their behalf' -> X / their."""
        if tok.lower_ != "behalf":
            return tok
        for c in tok.children:
            if c.dep_ == "poss":
                return c
            if c.dep_ == "prep" and c.lower_ == "of":
                principal = next((g for g in c.children if g.dep_ == "pobj"), tok)
                if principal.lemma_.lower() in STATE_NOUNS:  # "on behalf of the government of X": X
                    return next((g for p in principal.children if p.dep_ == "prep" and p.lower_ == "of"
                                 for g in p.children if g.dep_ == "pobj"), principal)
                return principal
        return tok

    def _linked(self, tok: Token) -> list[Token]:
        """`tok` plus what a copula or 'come' equates it with ('the largest donation ... was a bequest from X')."""
        out = [tok]
        head = tok.head
        if tok.dep_ in {"nsubj", "attr", "nsubjpass"} and head.lemma_ in {"be", "come", "include"}:
            out.append(head)
            for c in head.children:
                if c is not tok and c.dep_ in {"nsubj", "attr"}:
                    out.append(c)
                if c.dep_ == "prep" and c.lower_ in {"among"}:
                    out += [g for g in c.children if g.dep_ == "pobj"]
        out += [c for c in tok.children if c.dep_ == "acl"]
        return out

    def _prep_objects_linked(self, tok: Token, preps: set[str]) -> list[Token]:
        if tok.pos_ not in {"NOUN", "PROPN"}:
            return self._prep_objects(tok, preps)
        return [o for node in self._linked(tok) for o in self._prep_objects(node, preps)]

    def _noun_agent(self, tok: Token) -> list[Token]:
        poss = [c for c in tok.children if c.dep_ == "poss"]
        if poss:
            return poss
        node = tok
        for _ in range(4):
            if node.dep_ == "pobj" and node.head.dep_ in {"prep", "agent"}:
                node = node.head
                continue
            if node.dep_ in {"dobj", "prep", "attr", "oprd"}:
                verb = node.head
                if verb.pos_ in {"VERB", "AUX"}:
                    return self._surface_subject(verb)
                if verb.pos_ in {"NOUN", "PROPN"} and node.dep_ == "prep":
                    return []
            return []
        return []

    def _surface_subject(self, verb: Token, depth: int = 0) -> list[Token]:
        subj = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subj:
            return subj
        return self._climb_subject(verb, depth)

    def _logical_subject(self, verb: Token, depth: int = 0) -> list[Token]:
        if depth > 6:
            return []
        if _is_passive(verb):
            agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if not agents:  # "was added to the sanctions list by the EU": the parser hangs 'by' on the list
                agents = [g for c in verb.children if c.dep_ == "prep" for o in c.children
                          if o.dep_ in {"pobj", "pcomp"} for b in o.children if b.dep_ == "prep" and b.lower_ == "by"
                          for g in b.children if g.dep_ == "pobj" and g.pos_ == "PROPN"]
                # (also "banned from holding office by the Supreme Court")
            return agents
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if subj:
            return subj
        return self._climb_subject(verb, depth)

    def _climb_subject(self, verb: Token, depth: int) -> list[Token]:
        if depth > 6 or verb.head.i == verb.i:
            return []
        head = verb.head
        dep = verb.dep_
        if dep == "xcomp":
            if head.lemma_.lower() in self.engine.cue("object_control"):
                objs = [c for c in head.children if c.dep_ == "dobj"] or self._prep_objects(head, {"on", "upon"})
                if objs:
                    return objs
            return self._surface_subject(head, depth + 1)
        if dep in {"advcl", "conj"}:
            return self._surface_subject(head, depth + 1)
        if dep == "pcomp":  # "accused of funnelling", "pleaded guilty to falsifying", "after admitting"
            verb2 = head.head
            while verb2.pos_ not in {"VERB", "AUX"} and verb2.head.i != verb2.i:
                verb2 = verb2.head
            objs = [c for c in verb2.children if c.dep_ == "dobj"]
            if verb2.lemma_.lower() in ACCUSING_VERBS and objs:
                return objs
            return self._surface_subject(verb2, depth + 1)
        if dep == "acl" and verb.tag_ == "VBG":
            return [head]
        return []

    def _logical_object(self, verb: Token) -> list[Token]:
        objs = [c for c in verb.children if c.dep_ == "dobj"]
        datives = [c for c in verb.children if c.dep_ == "dative" and c.pos_ in {"PROPN", "NOUN", "PRON"}]
        if datives and not _is_passive(verb):
            return datives  # "the SEC fined X $2m": the one fined, not the sum
        if objs and not _is_passive(verb):
            return objs
        if _is_passive(verb):
            subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
            if not subj and _headline_passive(verb):
                subj = [c for c in verb.children if c.dep_ == "nsubj"]
            if subj:
                return subj
            if verb.dep_ == "acl":
                return self._included(verb.head)
            if verb.dep_ in {"advcl", "conj", "xcomp"}:
                return self._surface_subject(verb.head)
            return []
        if verb.dep_ == "relcl":
            return [verb.head]
        return []

    def _moves_money(self, tok: Token) -> bool:
        """Whether what is given/paid is money: the direct object, or what it quantifies ('a sum of £1m')."""
        money = self.engine.cue("money")

        def is_money(t: Token) -> bool:
            return t.ent_type_ == "MONEY" or t.lower_ in money or t.lemma_.lower() in money

        objects = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        if tok.dep_ == "relcl" and not objects:
            objects = [tok.head]  # "the millions of dollars they received from X"
        for obj in objects:
            near = [obj, *(c for c in obj.children if c.dep_ in {"nummod", "quantmod", "compound", "nmod", "amod"})]
            near += [g for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
            if any(is_money(t) for t in near):
                return True
        return False

    def _banned_complement(self, tok: Token) -> bool:
        words = self.engine.cue("banned_complement")
        comps = [c for c in tok.children if c.dep_ in {"oprd", "xcomp", "acomp", "attr", "dobj"}]
        comps += self._as_complements(tok)  # "listed as a terrorist organisation by Y"
        return any(g.lower_ in words for c in comps for g in [c, *c.children])

    def _as_complements(self, tok: Token) -> list[Token]:
        """What a verb declares its object to be with 'as' ('designated X as a terrorist group')."""
        return [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children
                if g.dep_ == "pobj"]

    def _culpable_clause(self, tok: Token) -> bool:
        """'denied claims that he knew ...': the clause names an offence or a culpable act (not 'is for sale')."""
        offences = self.engine.cue("offence")
        culpable = self.engine.cue("culpable_verb") - {"be"}
        for verb in self._clause_verbs(tok):
            if verb.lemma_.lower() in culpable or any(t.lemma_.lower() in offences for t in verb.subtree):
                return True
        return False

    def _accuser_subject(self, tok: Token) -> bool:
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        accusers = self.engine.cue("accuser")
        return any(s.lemma_.lower() in accusers or s.lower_ in accusers or s.i in self.actor_tokens
                   or (s.tag_ in {"WP", "WDT"} and self.index.resolve(s)) for s in subj)  # "X, who alleged"

    # -- modality ---------------------------------------------------------------------------------------------------

    def _hypothetical(self, tok: Token, sent: Span) -> bool:
        if sent.text.rstrip().rstrip("\"'”’").endswith("?"):
            return True
        marks = self.engine.cue("hypothetical_mark")
        modals = self.engine.cue("hypothetical_modal")
        irrealis = self.engine.cue("irrealis")
        chain = clause_chain(tok)
        if any(n.lemma_.lower() in irrealis for n in chain[1:]):
            return True  # "X wants to fund Y", "Y is not interested in letting X join"
        seen_verb = False
        for node in chain:
            if any(c.dep_ == "mark" and c.lower_ in marks for c in node.children):
                return True
            if node.pos_ in {"VERB", "AUX"} and not seen_verb:
                seen_verb = True  # the modal must sit on the trigger's own verb ("could fund")
                if any(c.dep_ == "aux" and c.lower_ in modals for c in node.children):
                    return True
        return False

    def _under_denial(self, tok: Token) -> bool:
        denial = self.engine.cue("denial")
        return any(n.lemma_.lower() in denial and n.pos_ == "VERB" for n in clause_chain(tok)[1:])


def read_claim(tok: Token, predicate: str, engine: RuleEngine) -> tuple[str | None, bool, bool]:
    """(stage, negated, denied) of a `predicate` claim read at `tok`: the one reading of rules and model.

    Only ACCUSED_OF and ACCUSES have a stage; its cues also correct negation and denial ("pleaded not guilty",
    "pleaded guilty"). Only ACCUSED_OF can be denied; elsewhere a denial ("denied funding Y") negates."""
    negated, denied = polarity(tok, engine)
    stage = None
    if predicate in STAGED:
        reading = read_stage(clause_chain(tok), negated, denied, engine.cues, predicate)
        stage, negated, denied = reading.stage, reading.negated, reading.denied
    if predicate == "ACCUSED_OF":
        return stage, negated and not denied, denied
    return stage, negated or denied, False


def polarity(tok: Token, engine: RuleEngine) -> tuple[bool, bool]:
    """(negated, denied) of a claim read at `tok` (a rule's trigger, or the word linking a learned relation's two
    ends): a negation or "no"/"never" on its clause chain, a "neither" subject, a denial verb above it."""
    negated = denied = False
    hedges = engine.cue("hedge_noun")
    denial = engine.cue("denial")
    for n, node in enumerate(clause_chain(tok)):
        if any(c.dep_ == "neg" for c in node.children):
            negated = True
        if any(c.dep_ in {"nsubj", "nsubjpass"} and any(g.lower_ == "neither" for g in c.children)
               for c in node.children):
            negated = True
        no = any(c.lower_ in {"no", "never"} for c in node.children if c.dep_ in {"det", "neg", "advmod"})
        if no and node.pos_ in {"NOUN", "PROPN"} and (n == 0 or node.lemma_.lower() in hedges):
            negated = True
        if node.pos_ == "VERB" and node.lemma_.lower() in denial:
            denied = True  # "X denies fraud" (deny is the trigger) and "X denied funding Y" alike
    return negated, denied


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
#: Adverbs and prepositions after which 'lie' is no untruth ('the problem lies in', 'what lies ahead').
LIE_PLACES = word_list("relations_lie_places.txt")


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
        return True
    if _headline_passive(verb):
        return True
    return verb.tag_ == "VBN" and (verb.dep_ in {"acl", "amod"} or any(c.dep_ == "agent" for c in verb.children))


def _headline_passive(verb: Token) -> bool:
    """'Firm fined $1.5m for bribery': a headline drops 'was', so the subject of a bare past participle is
    its patient, when it has no object that could be the patient instead (only a sum or a term)."""
    if verb.dep_ != "ROOT" or verb.tag_ not in {"VBD", "VBN"}:
        return False
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return False
    sent = verb.sent
    last = sent[-1] if not sent[-1].is_space else sent[-2] if len(sent) > 1 else sent[-1]
    if last.is_punct or any(c.dep_ in {"aux", "auxpass"} for c in verb.children):
        return False  # a headline has no final stop
    objs = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
    return all(o.ent_type_ in {"MONEY", "DATE", "CARDINAL", "QUANTITY"} or o.like_num or
               any(g.ent_type_ == "MONEY" for g in o.subtree) for o in objs)


def _adjacent_groups(tokens: list[Token]) -> list[list[Token]]:
    """Sibling tokens side by side (same head, consecutive positions) form one group."""
    groups: list[list[Token]] = []
    for tok in sorted(tokens, key=lambda t: t.i):
        if groups and groups[-1][-1].i + 1 == tok.i and groups[-1][-1].head == tok.head:
            groups[-1].append(tok)
        else:
            groups.append([tok])
    return groups


def _with_conjuncts(tokens: list[Token]) -> list[Token]:
    """Argument heads plus nouns coordinated with them ('Bank of America, UBS and Citigroup')."""
    out: list[Token] = []
    for tok in tokens:
        appos = [c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        listed = [g for c in appos for g in c.conjuncts]  # "two nationals, X and Y, were charged"
        if tok.pos_ == "PROPN":
            listed = appos + listed  # a list of names parsed as apposition: "the EU, UK, Japan and Canada"
        for t in [tok, *tok.conjuncts, *listed]:
            if t.pos_ in {"VERB", "AUX"} and t is not tok:
                continue
            if t not in out:
                out.append(t)
    return out


__all__ = ["Arg", "Found", "Rule", "RuleEngine", "RuleSet", "engine_for", "load_rules", "parse_rule", "polarity",
           "read_claim"]
