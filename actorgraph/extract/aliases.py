"""Within-document aliases: which mentions name the same actor.

Surnames and titled forms join the one full name that fits ("Mr Ebbers" -> "Bernie Ebbers"); acronyms join
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
from pathlib import Path

from spacy.tokens import Doc

PATTERNS = Path(__file__).resolve().parent / "patterns"
ACRONYM_SKIP = frozenset(
    {"of", "and", "for", "the", "on", "to", "in", "at", "de", "du", "des", "la", "le", "&"}
)
PREPOSITIONS = frozenset({"of", "for", "to", "in", "on", "at", "and", "&", "against", "without", "with"})
_WORD = re.compile(r"\w[\w'\-]*")
_DOMAIN = re.compile(r"\.(com|net|org|co\.uk|info|biz)$", re.IGNORECASE)


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
    descriptors: list[tuple[int, int]] = field(default_factory=list)
    extra_forms: list[str] = field(default_factory=list)
    cues: Counter[str] = field(default_factory=Counter)  # strong evidence: titles, "X Ltd", "oil firm X"
    title_part: bool = False  # "Shadow Home" in "Shadow Home Secretary X": part of a title, not an actor

    def core(self, doc: Doc) -> str:
        """The name without leading titles ("Mr Ebbers" -> "Ebbers")."""
        a = self.core_start if self.start <= self.core_start < self.end else self.start
        return doc[a : self.end].text

    def form(self, doc: Doc) -> tuple[str, ...]:
        """The comparison key: case-folded words of the core, honours and possessives dropped."""
        if self.key:
            return tuple(self.key.split())
        ws = words(self.core(doc))
        honours = lexicon().honours_cf
        while len(ws) > 1 and ws[-1] in honours:
            ws = ws[:-1]
        return tuple(ws)


@dataclass(frozen=True)
class Lexicon:
    """The general word lists of patterns/entities_*.txt."""

    titles: frozenset[str]
    honorifics: frozenset[str]  # titles that only ever precede a person
    keep_titles: frozenset[str]  # titles that are part of a British name ("Lord X", "Sir X")
    honours: frozenset[str]
    honours_cf: frozenset[str]
    nationalities: frozenset[str]
    nationalities_cf: frozenset[str]  # with religions: words that are never an actor alone
    religions: frozenset[str]
    org_heads: frozenset[str]
    org_suffixes_cf: frozenset[str]
    org_nouns: frozenset[str]
    person_nouns: frozenset[str]
    place_nouns: frozenset[str]
    collective_heads: frozenset[str]
    not_actor_heads: frozenset[str]


def _read(name: str) -> list[str]:
    lines = (PATTERNS / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def lexicon() -> Lexicon:
    """Load the word lists once per process."""
    titles, keep = set(), set()
    for line in _read("entities_titles.txt"):
        word, *flags = line.split()
        titles.add(word)
        if "keep" in flags:
            keep.add(word)
    honours = frozenset(_read("entities_honours.txt"))
    nats = frozenset(_read("entities_nationalities.txt"))
    religions = frozenset(_read("entities_religions.txt"))
    return Lexicon(
        titles=frozenset(titles),
        honorifics=frozenset(
            {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Lord", "Lady", "Dame", "Baroness"}
        ),
        keep_titles=frozenset(keep),
        honours=honours,
        honours_cf=frozenset(h.casefold() for h in honours),
        nationalities=nats,
        nationalities_cf=frozenset(n.casefold() for n in nats | religions),
        religions=religions,
        org_heads=frozenset(_read("entities_org_heads.txt")),
        org_suffixes_cf=frozenset(w.casefold() for w in _read("entities_org_suffixes.txt")),
        org_nouns=frozenset(_read("entities_org_nouns.txt")),
        person_nouns=frozenset(_read("entities_person_nouns.txt")),
        place_nouns=frozenset(_read("entities_place_nouns.txt")),
        collective_heads=frozenset(_read("entities_collective_heads.txt")),
        not_actor_heads=frozenset(_read("entities_not_actor_heads.txt")),
    )


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
    """Initials of a name's words, ignoring of/and/for/the: {"odf"} for open dialogue foundation."""
    ws = [w for w in form if w not in ACRONYM_SKIP]
    if len(ws) < 2:
        return set()
    whole = "".join(w[0] for w in ws)
    parts = "".join(p[0] for w in ws for p in w.split("-") if p)
    return {whole, parts}


def dominant(votes: Counter[str]) -> str:
    """The type with most votes, PERSON > GPE > ORG on ties; "" when nothing voted."""
    best = max(("PERSON", "ORG", "GPE"), key=lambda k: (votes.get(k, 0), k == "PERSON", k == "GPE"))
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
    return dominant(votes + cues)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def find(self, x: tuple[str, ...]) -> tuple[str, ...]:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: tuple[str, ...], b: tuple[str, ...]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def cluster(doc: Doc, mentions: list[Mention]) -> list[list[Mention]]:
    """Group mentions into actors: same form, gazetteer id, bracketed acronym, then short-form joins."""
    mentions = mentions + _bracket_acronyms(doc, mentions)
    real = [m for m in mentions if m.source != "bare" and m.form(doc)]
    bare = [m for m in mentions if m.source == "bare"]
    by_key: dict[tuple[str, ...], list[Mention]] = defaultdict(list)
    for m in real:
        by_key[m.form(doc)].append(m)
    uf = _UnionFind()
    for k in by_key:
        uf.find(k)
    gaz_first: dict[str, tuple[str, ...]] = {}
    for k, ms in by_key.items():
        for m in ms:
            if m.gaz:
                uf.union(k, gaz_first.setdefault(m.gaz, k))
    types = {k: decide(ms) for k, ms in by_key.items()}
    texts = {k: [doc[m.start : m.end].text for m in ms] for k, ms in by_key.items()}
    for short, full in _bracket_pairs(doc, real):
        uf.union(short, full)
    for k in by_key:  # "Lib Dem" / "Lib Dems": one organisation, singular and plural
        plural = (*k[:-1], k[-1] + "s")
        if plural in by_key and "PERSON" not in (types[k], types[plural]):
            uf.union(k, plural)
    multi = [k for k in by_key if len(k) > 1 and types[k] == "ORG"]
    for k in multi:  # "Lib Dems" / "Liberal Democrats": each word clipped from the long form's word
        for full in multi:
            if len(full) == len(k) and full != k and _clipped(k, full):
                uf.union(k, full)

    by_last: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    by_initials: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for k in by_key:
        if len(k) > 1:
            by_last[k[-1]].append(k)
            by_first[k[0]].append(k)
            for ini in initials(k):
                by_initials[ini].append(k)
    lex = lexicon()
    ambiguous: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for k in by_key:
        dk = types[k]
        cands: list[tuple[str, ...]] = []
        if (len(k) == 1 and dk != "GPE") or dk == "PERSON":
            for full in by_last.get(k[-1], []):
                df = types[full]
                if full != k and full[-len(k) :] == k and "PERSON" in (dk, df) and df != "GPE":
                    cands.append(full)
        is_acr = any(is_acronym(t) for t in texts[k])
        if len(k) == 1 and is_acr:
            cands += [f for f in by_initials.get(k[0], []) if types[f] != "PERSON"]
        for full in by_first.get(k[0], []):  # "Acme" + "Acme Holdings Ltd", "Jo Bloggs" + "Jo Bloggs OBE"
            rest = full[len(k) :]
            person = "PERSON" in (dk, types[full])
            suffixes = lex.honours_cf if person else lex.org_suffixes_cf
            if len(full) > len(k) and full[: len(k)] == k and all(w in suffixes for w in rest):
                cands.append(full)
        if dk != "GPE" and not cands:
            for full in by_last.get(k[-1], []):
                prefix = full[: len(full) - len(k)]
                if (
                    len(full) > len(k)
                    and full[-len(k) :] == k
                    and types[full] == "ORG"
                    and dk in ("ORG", "")
                    and not any(w in PREPOSITIONS for w in prefix)
                ):
                    cands.append(full)
        # "Prince Charles" is no first name of "Charles Kennedy", but "Sir John" is one of "Sir John Bourn"
        titled = any(m.titles and m.titles[-1] not in {"Sir", "Dame"} for m in by_key[k])
        if not cands and len(k) == 1 and dk in ("PERSON", "ORG") and not titled and not is_acr:
            # a first name ("Cherie") or a company's first word ("Goldman" for "Goldman Sachs")
            cands = [
                f for f in by_first.get(k[0], []) if types[f] == dk and _plain_rest(f, by_key[f], doc, lex)
            ]
        roots = list(dict.fromkeys(uf.find(c) for c in cands if uf.find(c) != uf.find(k)))
        if len(roots) == 1:
            uf.union(k, roots[0])
        elif len(roots) > 1:
            ambiguous[k] = list(dict.fromkeys(cands))

    groups: dict[tuple[str, ...], list[Mention]] = defaultdict(list)
    for k, ms in by_key.items():
        if k in ambiguous:
            continue
        groups[uf.find(k)].extend(ms)
    for k, cands in ambiguous.items():
        for m in by_key[k]:
            best = _nearest(m, [(c, by_key[c]) for c in cands])
            groups[uf.find(best)].append(m)
    _attach_bare(doc, bare, groups)
    return [sorted(ms, key=lambda m: m.start) for ms in groups.values()]


def _clipped(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether every word of `short` is a clipping (3+ letters, plural -s aside) of the same word of `full`,
    one of them truly shorter: ("lib", "dems") of ("liberal", "democrats")."""
    shorter = False
    for s, f in zip(short, full, strict=True):
        s, f = s.removesuffix("s"), f.removesuffix("s")
        if len(s) < 3 or not f.startswith(s):
            return False
        shorter = shorter or len(s) < len(f)
    return shorter


def _plain_rest(full: tuple[str, ...], ms: list[Mention], doc: Doc, lex: Lexicon) -> bool:
    """Whether a longer name's words after the first make a name ("Goldman Sachs", "Acme Financial"),
    not a product ("Apple iPod"): one capitalised word, or organisation words."""
    for m in ms:
        toks = doc[m.core_start if m.start <= m.core_start < m.end else m.start : m.end]
        rest = [t.text for t in toks[1:] if not t.is_space]
        if rest and all(w[:1].isupper() for w in rest):
            return len(rest) == 1 or any(w in lex.org_heads for w in rest)
    return False


def _nearest(m: Mention, cands: list[tuple[tuple[str, ...], list[Mention]]]) -> tuple[str, ...]:
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


def _bracket_pairs(doc: Doc, mentions: list[Mention]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(acronym form, name form) for "Name (ACR)" and "Name “ACR”"."""
    at = {m.start: m for m in mentions}
    pairs = []
    for m in mentions:
        if m.label == "GPE" or is_acronym(doc[m.start : m.end].text):
            continue
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


def _attach_bare(doc: Doc, bare: list[Mention], groups: dict[tuple[str, ...], list[Mention]]) -> None:
    """ "the police" joins the document's one "<place> police" collective; otherwise it is dropped."""
    by_head: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for root, ms in groups.items():
        for m in ms:
            if m.source == "collective":
                by_head[m.key.split()[-1]].add(root)
    for m in bare:
        roots = by_head.get(m.key, set())
        if len(roots) == 1:
            groups[next(iter(roots))].append(m)


def more_mentions(
    doc: Doc, typed: list[tuple[str, list[Mention]]], masked: Callable[[int, int], bool]
) -> None:
    """Add the repeats of a known name the NER missed (a surname left untagged), in one token pass.

    Forms looked for: each PERSON/ORG/GPE mention's core tokens, a person's surname and an acronym, when they
    belong to one actor only (a surname two people share goes to the one named last before it); a candidate
    token must be capitalised and outside every other entity.
    """
    covered = bytearray(len(doc))
    for _, ms in typed:
        for m in ms:
            covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    owner: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for gi, (etype, ms) in enumerate(typed):
        if etype not in ("PERSON", "ORG", "GPE"):
            continue
        for m in ms:
            if m.source in {"bare", "collective"}:
                continue
            a = m.core_start if m.start <= m.core_start < m.end else m.start
            toks = tuple(t.text for t in doc[a : m.end])
            owner[toks].add(gi)
            if etype == "GPE":
                continue  # a place's repeats only (entities._finish keeps them if they show an organisation)
            surname = toks[-1]
            if (
                etype == "PERSON"
                and len(toks) > 1
                and len(surname) > 2
                and surname[:1].isupper()
                and surname.casefold()
                not in lexicon().nationalities_cf  # "Mike German" leaves "German" alone
            ):
                owner[(toks[-1],)].add(gi)
            if etype == "ORG" and len(toks) > 2:  # "OSF" for "Open Society Forum", used without brackets
                for ini in initials(words(" ".join(toks))):
                    if len(ini) >= 3:
                        owner[(ini.upper(),)].add(gi)
    lookup: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
    shared: dict[str, list[int]] = {}  # a surname two people share ("Scott X", "Steven X"): the nearest
    for toks, gis in owner.items():
        if not toks[0][:1].isupper():
            continue
        if len(toks) == 1 and len(toks[0]) < 3 and not is_acronym(toks[0]):
            continue
        if len(gis) != 1:
            if len(toks) == 1 and all(typed[gi][0] == "PERSON" for gi in gis):
                shared[toks[0]] = sorted(gis)
            continue
        lookup[toks[0]].append((toks, next(iter(gis))))
    for forms in lookup.values():
        forms.sort(key=lambda f: -len(f[0]))
    n = len(doc)
    for i in range(n):
        t = doc[i]
        if covered[i] or (t.ent_type_ and t.ent_type_ not in {"PERSON", "ORG", "GPE", "NORP"}):
            continue
        if t.text in shared and not masked(t.idx, t.idx + len(t.text)):
            before = [(max(m.start for m in typed[gi][1] if m.start < i), gi) for gi in shared[t.text]
                      if any(m.start < i for m in typed[gi][1])]
            if before:
                gi = max(before)[1]
                typed[gi][1].append(Mention(i, i + 1, "PERSON", Counter(), source="scan"))
                covered[i] = 1
            continue
        text = t.text
        if text not in lookup:
            text = _DOMAIN.sub("", text)  # "Acme.com" names the company Acme
            if text == t.text or not any(len(toks) == 1 for toks, _ in lookup.get(text, [])):
                continue
            if not masked(t.idx, t.idx + len(t.text)):
                gi = next(gi for toks, gi in lookup[text] if len(toks) == 1)
                typed[gi][1].append(Mention(i, i + 1, typed[gi][0], Counter(), source="scan"))
                covered[i] = 1
            continue
        for toks, gi in lookup[t.text]:
            j = i + len(toks)
            if j > n or any(covered[i:j]) or any(doc[i + k].text != toks[k] for k in range(1, len(toks))):
                continue
            if masked(t.idx, doc[j - 1].idx + len(doc[j - 1].text)):
                break
            typed[gi][1].append(Mention(i, j, typed[gi][0], Counter(), source="scan"))
            covered[i:j] = b"\x01" * (j - i)
            break
