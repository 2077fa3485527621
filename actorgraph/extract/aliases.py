"""Within-document aliases: which mentions name the same actor.

Surnames and titled forms join the one full name that fits ("Mr Halden" -> "Arno Halden"); acronyms join
their expansion when introduced in brackets or quotes, or by initials ("ODF" <-> "Open Dialogue Foundation");
short company forms join their legal names ("Acme" <-> "Acme Holdings Ltd"); "the police" joins the one
"Kazakh police" of the document. When a short form fits several full names, each mention joins the nearest
full name before it. All of this is O(mentions^2) at worst, never O(tokens^2).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from actorgraph.extract.lexicon import Lexicon, entries, lexicon, word_list
from actorgraph.vocab import ACTOR_TYPES

if TYPE_CHECKING:  # spaCy only for the annotations: resolve's name rules import this module without the model
    from spacy.tokens import Doc

ACRONYM_SKIP = word_list("entities_initials_skip.txt")
#: Collective heads whose bare definite form ("the government") is an actor when nothing named one.
STANDALONE_COLLECTIVES = word_list("entities_standalone_collectives.txt")
KNOWN_NAMES_FILE = "entities_known_names.txt"
#: Institutions named by a building or a short word; their forms create organisation mentions.
INSTITUTIONS_FILE = "entities_institutions.txt"
_known_names_on = True


def use_known_names(on: bool) -> None:
    """Switch the general-knowledge name list (party nicknames, country short forms) on or off, so that a
    measurement can say what the rules do without it. On by default."""
    global _known_names_on
    _known_names_on = on


def known_names_on() -> bool:
    """Whether the general-knowledge name list is in use (see `use_known_names`)."""
    return _known_names_on


@cache
def known_names() -> dict[Key, int]:
    """Each form of `patterns/entities_known_names.txt` and `entities_institutions.txt` (as a comparison key)
    -> a number shared by the forms of one line."""
    out: dict[Key, int] = {}
    for offset, name in ((0, KNOWN_NAMES_FILE), (100_000, INSTITUTIONS_FILE)):
        for number, line in entries(name):
            for form in line.split("|"):
                key = tuple(words(form))
                if key:
                    out[key] = offset + number
    return out


@cache
def institution_keys() -> frozenset[Key]:
    """The forms of `patterns/entities_institutions.txt` as comparison keys."""
    return frozenset(tuple(words(f)) for _, line in entries(INSTITUTIONS_FILE) for f in line.split("|") if f.strip())


@cache
def institution_forms() -> tuple[tuple[str, ...], ...]:
    """The proper-name forms of `patterns/entities_institutions.txt` as token texts, longest first ("House of
    Commons" before "Commons"); a form with a lower-case word ("Russian government") only joins."""
    forms = {tuple(f.split()) for _, line in entries(INSTITUTIONS_FILE) for f in line.split("|") if f.strip()}
    forms = {f for f in forms if all(w[:1].isupper() or w[:1].isdigit() or w == "of" for w in f)}
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))
#: Words that link a name to its complement ("Bank of X", "Friends of X"): a longer name holding one before X
#: is no long form of X.
LINK_WORDS = frozenset({"of", "for", "to", "in", "on", "at", "and", "&", "against", "without", "with"})
_WORD = re.compile(r"\w[\w'\-]*")
_DOMAIN = re.compile(r"\.(com|net|org|co\.uk|info|biz)$", re.IGNORECASE)
#: A comparison form: the case-folded words of a name without titles and honours (`Mention.form`).
Key = tuple[str, ...]


@dataclass
class Mention:
    """One candidate mention of an actor: a token range of the document, its type votes and its cues."""

    start: int
    end: int
    label: str
    votes: Counter[str]  # the NER's label and weak context (speech verbs, locative prepositions)
    source: str = "ner"  # ner | collective | bare | acronym | scan
    gaz: str = ""  # the gazetteer name this mention matched, if any
    key: str = ""  # set for collectives: "kazakh court"
    core_start: int = -1  # first token after leading titles inside the span
    titles: list[str] = field(default_factory=list)
    title_start: int = -1  # first title token before or at the span
    # first token of the words that qualify the name in its noun phrase ("Conservative leader" in "Conservative
    # leader Peter Halden", "its chief finance officer"); -1 until computed, m.start when there are none
    premod_start: int = -1
    descriptors: list[tuple[int, int]] = field(default_factory=list)
    # the kind of noun heading a descriptor that is no part of the name's own noun phrase ("X, the nearest
    # contender"): PERSON, ORG or GPE; it joins only an actor of that type
    descriptor_kind: dict[tuple[int, int], str] = field(default_factory=dict)
    extra_forms: list[str] = field(default_factory=list)
    cues: Counter[str] = field(default_factory=Counter)  # strong evidence: titles, "X Ltd", "oil firm X"
    title_part: bool = False  # "Shadow Home" in "Shadow Home Secretary X": part of a title, not an actor

    def core(self, doc: Doc) -> str:
        """The name without leading titles ("Mr Halden" -> "Halden")."""
        a = self.core_start if self.start <= self.core_start < self.end else self.start
        return doc[a : self.end].text

    def form(self, doc: Doc) -> Key:
        """The comparison key: case-folded words of the core, honours and possessives dropped."""
        if self.key:
            return tuple(self.key.split())
        ws = words(self.core(doc))
        honours = lexicon().honours_cf
        while len(ws) > 1 and ws[-1] in honours:
            ws = ws[:-1]
        return tuple(ws)


def words(text: str) -> list[str]:
    """Case-folded words of a name, possessive endings and a leading article dropped."""
    out = []
    for w in _WORD.findall(text.casefold().replace("’", "'")):
        w = w.removesuffix("'s").rstrip("'")
        if w:
            out.append(w)
    if len(out) > 1 and out[0] in {"the", "a", "an"}:
        out = out[1:]
    return out


def singular(noun: str) -> str:
    """Crude singular of a collective head noun ("courts" -> "court", "authorities" -> "authority")."""
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith("ss") and noun not in {"police"}:
        return noun[:-1]
    return noun


def is_acronym(text: str) -> bool:
    """All-capital short word such as "ODF", "SEC" (letters only, 2-8 of them)."""
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def is_domain(text: str) -> bool:
    """A web address standing for a company: "Acme.com"."""
    return bool(_DOMAIN.search(text)) and " " not in text


def initials(form: Iterable[str]) -> set[str]:
    """Initials of a name's words, ignoring of/and/for/the: {"odf"} for open dialogue foundation; "boa" of
    bank of america too, where the acronym keeps the link word."""
    form = list(form)
    ws = [w for w in form if w not in ACRONYM_SKIP]
    if len(ws) < 2:
        return set()
    whole = "".join(w[0] for w in ws)
    parts = "".join(p[0] for w in ws for p in w.split("-") if p)
    out = {whole, parts}
    if len(form) > len(ws) and form[0] not in ACRONYM_SKIP and form[-1] not in ACRONYM_SKIP:
        out.add("".join(w[0] for w in form))
    return out


def dominant(votes: Counter[str]) -> str:
    """The type with most votes, PERSON > GPE > ORG on ties; "" when nothing voted."""
    best = max(ACTOR_TYPES, key=lambda k: (votes.get(k, 0), k == "PERSON", k == "GPE"))
    return best if votes.get(best, 0) > 0 else ""


STRONG = 8  # a cue total from which cues alone decide the type (one title or descriptor)


def decide(mentions: Iterable[Mention]) -> str:
    """A group's type: its strong cues when they add up to one clear cue, else every vote together."""
    votes: Counter[str] = Counter()
    cues: Counter[str] = Counter()
    for m in mentions:
        votes.update(m.votes)
        cues.update(m.cues)
    if cues and max(cues.values()) >= STRONG:
        return dominant(cues)
    total = votes + cues
    best = dominant(total)
    cued = dominant(cues)
    if cued and cued != best and total[cued] == total[best]:
        return cued  # a tie between the model's tags and a cue of the words around: the cue says why
    return best


class _UnionFind:
    """Forms joined into actors, one root form each (path halving keeps every lookup short)."""

    def __init__(self) -> None:
        self.parent: dict[Key, Key] = {}

    def find(self, x: Key) -> Key:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def cluster(doc: Doc, mentions: list[Mention]) -> list[list[Mention]]:
    """Group mentions into actors: same form, gazetteer id, bracketed acronym, then short-form joins."""
    mentions = mentions + _bracket_acronyms(doc, mentions)
    real = [m for m in mentions if m.source != "bare" and m.form(doc)]
    bare = [m for m in mentions if m.source == "bare"]
    forms = _Forms.of(doc, real)
    uf = _UnionFind()
    for k in forms.by_key:
        uf.find(k)
    _join_gazetteer_ids(forms, uf)
    for short, full in _bracket_pairs(doc, real):
        uf.union(short, full)
    _join_plurals(forms, uf)
    _join_clippings(forms, uf)
    _join_reordered(forms, uf)
    if _known_names_on:
        _join_known_names(forms, uf)
    ambiguous = _join_short_forms(doc, forms, uf)
    groups = _groups(forms, uf, ambiguous)
    _attach_bare(doc, bare, groups)
    return [sorted(ms, key=lambda m: m.start) for ms in groups.values()]


@dataclass
class _Forms:
    """A document's real mentions by comparison form, with each form's type, texts and word indexes."""

    by_key: dict[Key, list[Mention]]
    types: dict[Key, str]
    texts: dict[Key, list[str]]
    by_last: dict[str, list[Key]]  # multi-word forms by their last word
    by_first: dict[str, list[Key]]  # ... by their first word
    by_initials: dict[str, list[Key]]  # ... by their initials

    @classmethod
    def of(cls, doc: Doc, mentions: list[Mention]) -> _Forms:
        """Index `mentions` of `doc` by form; each form's type is voted by all its mentions."""
        by_key: dict[Key, list[Mention]] = defaultdict(list)
        for m in mentions:
            by_key[m.form(doc)].append(m)
        by_last: dict[str, list[Key]] = defaultdict(list)
        by_first: dict[str, list[Key]] = defaultdict(list)
        by_initials: dict[str, list[Key]] = defaultdict(list)
        for k in by_key:
            if len(k) > 1:
                by_last[k[-1]].append(k)
                by_first[k[0]].append(k)
                for ini in initials(k):
                    by_initials[ini].append(k)
        return cls(
            by_key=by_key,
            types={k: decide(ms) for k, ms in by_key.items()},
            texts={k: [doc[m.start : m.end].text for m in ms] for k, ms in by_key.items()},
            by_last=by_last,
            by_first=by_first,
            by_initials=by_initials,
        )


def _join_gazetteer_ids(forms: _Forms, uf: _UnionFind) -> None:
    """Forms that matched one gazetteer entry name one actor, whatever alias the text used."""
    gaz_first: dict[str, Key] = {}
    for k, ms in forms.by_key.items():
        for m in ms:
            if m.gaz:
                uf.union(k, gaz_first.setdefault(m.gaz, k))


def _join_plurals(forms: _Forms, uf: _UnionFind) -> None:
    """ "Lib Dem" / "Lib Dems": one organisation, singular and plural (never a person)."""
    types = forms.types
    for k in forms.by_key:
        for plural in _plurals(k):
            if plural in forms.by_key and "PERSON" not in (types[k], types[plural]):
                uf.union(k, plural)


def _plurals(k: Key) -> list[Key]:
    """The plural forms of a form's last word: "dems" of "dem", "tories" of "tory"."""
    last = k[-1]
    out = [(*k[:-1], last + "s")]
    if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        out.append((*k[:-1], last[:-1] + "ies"))
    return out


def _join_known_names(forms: _Forms, uf: _UnionFind) -> None:
    """ "Tories" / "Conservatives", "US" / "United States": organisations and places that one line of the
    known-names list gives as forms of one actor (never a person)."""
    known = known_names()
    first: dict[int, Key] = {}
    for k in forms.by_key:
        line = known.get(k)
        if line is not None and forms.types[k] != "PERSON":
            uf.union(k, first.setdefault(line, k))


def _join_reordered(forms: _Forms, uf: _UnionFind) -> None:
    """ "Court of Appeal" / "Appeal Court", "Ministry of Defence" / "Defence Ministry": an organisation's
    "head of complement" name and its "complement head" form, when the text writes both."""
    for k in forms.by_key:
        if forms.types[k] != "ORG" or k.count("of") != 1 or k[0] == "of" or k[-1] == "of":
            continue
        cut = k.index("of")
        flipped = (*k[cut + 1 :], *k[:cut])
        if flipped in forms.by_key and forms.types[flipped] == "ORG":
            uf.union(k, flipped)


def _join_clippings(forms: _Forms, uf: _UnionFind) -> None:
    """ "Lib Dems" / "Liberal Democrats": organisations whose every word is clipped from the long form's word."""
    multi = [k for k in forms.by_key if len(k) > 1 and forms.types[k] == "ORG"]
    for k in multi:
        for full in multi:
            if len(full) == len(k) and full != k and _clipped(k, full):
                uf.union(k, full)


def _join_short_forms(doc: Doc, forms: _Forms, uf: _UnionFind) -> dict[Key, list[Key]]:
    """Join each form to the one longer name it is a short form of; return the forms that fit several."""
    lex = lexicon()
    ambiguous: dict[Key, list[Key]] = {}
    for k in forms.by_key:
        cands = _short_form_candidates(doc, k, forms, lex)
        roots = list(dict.fromkeys(uf.find(c) for c in cands if uf.find(c) != uf.find(k)))
        if len(roots) == 1:
            uf.union(k, roots[0])
        elif len(roots) > 1:
            ambiguous[k] = list(dict.fromkeys(cands))
    return ambiguous


def _short_form_candidates(doc: Doc, k: Key, forms: _Forms, lex: Lexicon) -> list[Key]:
    """The longer names `k` may stand for: a surname, an acronym's expansion, a name less its suffixes; failing
    those, an organisation's last words; failing all, a first name or a company's first word."""
    dk = forms.types[k]
    is_acr = any(is_acronym(t) for t in forms.texts[k])
    cands = _surname_of(k, forms)
    if len(k) == 1 and is_acr:
        cands += [f for f in forms.by_initials.get(k[0], []) if forms.types[f] != "PERSON"]
    cands += _without_suffixes(k, forms, lex)
    if dk != "GPE" and not cands:
        cands = _org_tail_of(k, forms)
    if not cands and len(k) == 1 and dk in ("PERSON", "ORG") and not _titled(forms.by_key[k], lex) and (
        not is_acr or dk == "ORG"
    ):
        # a first name ("Mara") or a company's first word ("Hollis" for "Hollis Brothers")
        cands = [
            f
            for f in forms.by_first.get(k[0], [])
            if (forms.types[f] == dk or (forms.types[f] == "ORG" and _org_headed(f, forms)))
            and _plain_rest(f, forms.by_key[f], doc, lex)
        ]
    return cands


def _org_headed(k: Key, forms: _Forms) -> bool:
    """Whether a form ends in an organisation word as written ("Baikal Finance Group"), so that its first word
    alone is the organisation's short form whatever the model tagged it."""
    heads = lexicon().org_heads
    return any(t.split()[-1] in heads for t in forms.texts[k] if t.split())


def _surname_of(k: Key, forms: _Forms) -> list[Key]:
    """Full names ending in `k` when one side is a person and neither is a place ("Halden", "Mr Halden")."""
    dk = forms.types[k]
    if not ((len(k) == 1 and dk != "GPE") or dk == "PERSON"):
        return []
    out = []
    for full in forms.by_last.get(k[-1], []):
        df = forms.types[full]
        if full != k and full[-len(k) :] == k and "PERSON" in (dk, df) and df != "GPE":
            out.append(full)
    return out


def _without_suffixes(k: Key, forms: _Forms, lex: Lexicon) -> list[Key]:
    """ "Acme" + "Acme Holdings Ltd", "Jo Bloggs" + "Jo Bloggs OBE": longer names that only add suffixes."""
    dk = forms.types[k]
    out = []
    for full in forms.by_first.get(k[0], []):
        rest = full[len(k) :]
        person = "PERSON" in (dk, forms.types[full])
        suffixes = lex.honours_cf if person else lex.org_suffixes_cf
        if len(full) > len(k) and full[: len(k)] == k and all(w in suffixes for w in rest):
            out.append(full)
    return out


def _org_tail_of(k: Key, forms: _Forms) -> list[Key]:
    """Organisations whose name ends in `k` after words that qualify it, not link to it ("Acme" in "US Acme",
    not in "Friends of Acme")."""
    dk = forms.types[k]
    out = []
    fulls = [f for key in (k, *_plurals(k)) for f in forms.by_last.get(key[-1], [])]
    for full in fulls:
        prefix = full[: len(full) - len(k)]
        tail = full[-len(k) :]
        if (
            len(full) > len(k)
            and (tail == k or tail in _plurals(k))  # "Democrat" of "Liberal Democrats"
            and forms.types[full] == "ORG"
            and dk in ("ORG", "")
            and not any(w in LINK_WORDS for w in prefix)
        ):
            out.append(full)
    return out


def _titled(ms: list[Mention], lex: Lexicon) -> bool:
    """Whether a form is written with a title other than a knighthood: "Prince Aurel" is no first name of
    "Aurel Wenlock", but "Sir John" is one of "Sir John Pellow"."""
    return any(m.titles and m.titles[-1] not in lex.knighthood_titles for m in ms)


def _groups(forms: _Forms, uf: _UnionFind, ambiguous: dict[Key, list[Key]]) -> dict[Key, list[Mention]]:
    """Mentions by their actor's root form; each mention of an ambiguous form joins its nearest candidate."""
    groups: dict[Key, list[Mention]] = defaultdict(list)
    for k, ms in forms.by_key.items():
        if k in ambiguous:
            continue
        groups[uf.find(k)].extend(ms)
    for k, cands in ambiguous.items():
        for m in forms.by_key[k]:
            best = _nearest(m, [(c, forms.by_key[c]) for c in cands])
            groups[uf.find(best)].append(m)
    return groups


def _clipped(short: Key, full: Key) -> bool:
    """Whether every word of `short` is a clipping (3+ letters, plural -s aside) of the same word of `full`,
    one of them truly shorter: ("lib", "dems") of ("liberal", "democrats")."""
    shorter = False
    for s, f in zip(short, full, strict=True):
        s, f = s.removesuffix("s"), f.removesuffix("s")
        if len(s) < 3 or not f.startswith(s):
            return False
        shorter = shorter or len(s) < len(f)
    return shorter


def _plain_rest(full: Key, ms: list[Mention], doc: Doc, lex: Lexicon) -> bool:
    """Whether a longer name's words after the first make a name ("Hollis Brothers", "Acme Financial"),
    not a product ("Apple iPod"): one capitalised word, or organisation words."""
    for m in ms:
        toks = doc[m.core_start if m.start <= m.core_start < m.end else m.start : m.end]
        rest = [t.text for t in toks[1:] if not t.is_space]
        if rest and all(w[:1].isupper() for w in rest):
            return len(rest) == 1 or any(w in lex.org_heads for w in rest)
    return False


def _nearest(m: Mention, cands: list[tuple[Key, list[Mention]]]) -> Key:
    """The candidate full name mentioned last before `m` (else first after it)."""
    before = [
        (max(x.start for x in ms if x.start < m.start), c)
        for c, ms in cands
        if any(x.start < m.start for x in ms)
    ]
    if before:
        return max(before)[1]
    return min((min(x.start for x in ms), c) for c, ms in cands)[1]


def _bracket_acronyms(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """An acronym in brackets or quotes right after a name, which the NER did not tag: a new mention."""
    starts = {m.start for m in mentions}
    out = []
    for m in mentions:
        if m.source == "bare" or m.label == "GPE":
            continue
        j = m.end
        if (
            j + 2 < len(doc)
            and doc[j].text in {"(", '"', "“", "‘", "'"}
            and is_acronym(doc[j + 1].text)
            and doc[j + 2].text in {")", '"', "”", "’", "'"}
            and j + 1 not in starts
        ):
            out.append(Mention(j + 1, j + 2, "ORG", Counter(), source="acronym"))
            starts.add(j + 1)
    return out


def _bracket_pairs(doc: Doc, mentions: list[Mention]) -> list[tuple[Key, Key]]:
    """(acronym form, name form) for "Name (ACR)" and "Name “ACR”"."""
    at = {m.start: m for m in mentions}
    pairs = []
    for m in mentions:
        if is_acronym(doc[m.start : m.end].text):
            continue
        if m.label == "GPE" and not _initials_fit(doc, m):
            continue  # "London (AP)": a place's bracket is a source; "People's Republic of China (PRC)" is its name
        j = m.end
        if j + 2 < len(doc) and doc[j].text in {"(", '"', "“", "‘", "'"} and j + 1 in at:
            acr = at[j + 1]
            if (
                acr.end == j + 2
                and is_acronym(doc[j + 1].text)
                and doc[j + 2].text in {")", '"', "”", "’", "'"}
            ):
                pairs.append((acr.form(doc), m.form(doc)))
    return pairs


def _initials_fit(doc: Doc, m: Mention) -> bool:
    """Whether the acronym in brackets after a name of three or more words spells its capitals in order
    ("Democratic People's Republic of Korea (DPRK)")."""
    j = m.end + 1
    if m.end - m.start < 3 or j >= len(doc):
        return False
    letters = [t.text[0] for t in doc[m.start : m.end] if t.text[:1].isupper()]
    acronym = doc[j].text
    it = iter(letters)
    return len(acronym) >= 2 and all(ch in it for ch in acronym)


def _attach_bare(doc: Doc, bare: list[Mention], groups: dict[Key, list[Mention]]) -> None:
    """ "the police" joins the document's one "<place> police" collective; "the government", with no
    "<place> government" to join, is an actor of its own; other bare collectives are dropped."""
    by_head: dict[str, set[Key]] = defaultdict(set)
    for root, ms in groups.items():
        for m in ms:
            if m.source == "collective":
                by_head[m.key.split()[-1]].add(root)
    for m in bare:
        roots = by_head.get(m.key, set())
        if len(roots) == 1:
            groups[next(iter(roots))].append(m)
        elif (not roots and m.key in STANDALONE_COLLECTIVES and m.end - m.start == 1 and m.start > 0
              and doc[m.start - 1].lower_ == "the"):  # "the government" itself, not "its opposition"
            m.source = "collective"
            groups[(m.key,)].append(m)


def more_mentions(
    doc: Doc, typed: list[tuple[str, list[Mention]]], masked: Callable[[int, int], bool]
) -> None:
    """Add the repeats of a known name the NER missed (a surname left untagged), in one token pass.

    Forms looked for: each PERSON/ORG/GPE mention's core tokens, a person's surname and an acronym, when they
    belong to one actor only (a surname two people share goes to the one named last before it); a candidate
    token must be capitalised and outside every other entity.
    """
    lookup, shared = _searchable_forms(typed, _form_owners(doc, typed))
    scan = _Scan(doc, typed, masked, _covered(doc, typed), lookup, shared)
    for i in range(len(doc)):
        scan.token(i)


def _covered(doc: Doc, typed: list[tuple[str, list[Mention]]]) -> bytearray:
    """1 for every token some mention already spans."""
    covered = bytearray(len(doc))
    for _, ms in typed:
        for m in ms:
            covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    return covered


def _form_owners(doc: Doc, typed: list[tuple[str, list[Mention]]]) -> dict[tuple[str, ...], set[int]]:
    """Which actors (indexes into `typed`) each form belongs to: the core tokens of every named mention, and
    for people their surname, for organisations their initials."""
    owner: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for gi, (etype, ms) in enumerate(typed):
        if etype not in ACTOR_TYPES:
            continue
        for m in ms:
            if m.source in {"bare", "collective"}:
                continue
            a = m.core_start if m.start <= m.core_start < m.end else m.start
            toks = tuple(t.text for t in doc[a : m.end])
            owner[toks].add(gi)
            if etype == "GPE":
                continue  # a place's repeats only (entities._finish keeps them if they show an organisation)
            for form in _short_forms(etype, toks):
                owner[form].add(gi)
    return owner


def _short_forms(etype: str, toks: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A person's surname ("Mike French" leaves the nationality "French" alone) and an organisation's initials
    of three letters or more ("OSF" for "Open Society Forum", used without brackets)."""
    out: list[tuple[str, ...]] = []
    surname = toks[-1]
    if (
        etype == "PERSON"
        and len(toks) > 1
        and len(surname) > 2
        and surname[:1].isupper()
        and surname.casefold() not in lexicon().nationalities_cf
    ):
        out.append((surname,))
    if etype == "ORG" and len(toks) > 2:
        out += [(ini.upper(),) for ini in initials(words(" ".join(toks))) if len(ini) >= 3]
    return out


def _searchable_forms(
    typed: list[tuple[str, list[Mention]]], owner: dict[tuple[str, ...], set[int]]
) -> tuple[dict[str, list[tuple[tuple[str, ...], int]]], dict[str, list[int]]]:
    """(forms of one actor by first token, longest first; one-word surnames several people share -> actors).

    Only capitalised forms count, and a one-word form needs three letters unless it is an acronym."""
    lookup: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
    shared: dict[str, list[int]] = {}
    for toks, gis in owner.items():
        if not toks[0][:1].isupper():
            continue
        if len(toks) == 1 and len(toks[0]) < 3 and not is_acronym(toks[0]):
            continue
        if len(gis) != 1:
            if len(toks) == 1 and all(typed[gi][0] == "PERSON" for gi in gis):
                shared[toks[0]] = sorted(gis)  # "Nils X", "Steven X": the nearest before the repeat
            continue
        lookup[toks[0]].append((toks, next(iter(gis))))
    for forms in lookup.values():
        forms.sort(key=lambda f: -len(f[0]))
    return lookup, shared


@dataclass
class _Scan:
    """The token pass of `more_mentions`: each free token may start a repeat of a searchable form."""

    doc: Doc
    typed: list[tuple[str, list[Mention]]]
    masked: Callable[[int, int], bool]
    covered: bytearray
    lookup: dict[str, list[tuple[tuple[str, ...], int]]]
    shared: dict[str, list[int]]

    def token(self, i: int) -> None:
        """Look for a repeat at token i: a shared surname, a known form, or a web address of a known name."""
        t = self.doc[i]
        if self.covered[i] or (t.ent_type_ and t.ent_type_ not in {"PERSON", "ORG", "GPE", "NORP"}):
            return
        if t.text in self.shared and not self.masked(t.idx, t.idx + len(t.text)):
            self._shared_surname(i)
        elif t.text not in self.lookup:
            self._web_address(i)
        else:
            self._known_form(i)

    def _add(self, gi: int, i: int, j: int, label: str) -> None:
        self.typed[gi][1].append(Mention(i, j, label, Counter(), source="scan"))
        self.covered[i:j] = b"\x01" * (j - i)

    def _shared_surname(self, i: int) -> None:
        """A surname two people share goes to the one mentioned last before it (none before: dropped)."""
        typed = self.typed
        before = [
            (max(m.start for m in typed[gi][1] if m.start < i), gi)
            for gi in self.shared[self.doc[i].text]
            if any(m.start < i for m in typed[gi][1])
        ]
        if before:
            self._add(max(before)[1], i, i + 1, "PERSON")

    def _web_address(self, i: int) -> None:
        """ "Acme.com" names the company Acme, when "Acme" is a one-word form of one actor."""
        t = self.doc[i]
        text = _DOMAIN.sub("", t.text)
        if text == t.text or not any(len(toks) == 1 for toks, _ in self.lookup.get(text, [])):
            return
        if not self.masked(t.idx, t.idx + len(t.text)):
            gi = next(gi for toks, gi in self.lookup[text] if len(toks) == 1)
            self._add(gi, i, i + 1, self.typed[gi][0])

    def _known_form(self, i: int) -> None:
        """The longest form starting with token i whose tokens are all free and unmasked."""
        doc, n = self.doc, len(self.doc)
        for toks, gi in self.lookup[doc[i].text]:
            j = i + len(toks)
            if j > n or any(self.covered[i:j]) or any(doc[i + k].text != toks[k] for k in range(1, len(toks))):
                continue
            if self.masked(doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)):
                return
            self._add(gi, i, j, self.typed[gi][0])
            return
