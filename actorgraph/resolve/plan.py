"""The clustering: which atoms are one actor, as a pure function of the atoms and the stored judgements.

Every step reads the whole input and breaks ties by sorted keys, so the plan depends on the set of atoms and
judgements only, never on the order they arrived in. How it decides: docs/resolution.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

from actorgraph.resolve.names import (
    FUZZY_SINGLE_MIN_LEN,
    acronym,
    fuzzy_single,
    fuzzy_twins,
    is_generic,
    is_list_name,
    is_org_like,
    is_place_word,
    last_word,
    name_initials,
    name_key,
    names_a_part,
    org_stem,
    title_gender,
)
from actorgraph.resolve.state import Atom, Decision

HUB_MIN_DOCS: Final = 10  # a neighbour named in more documents than this and than HUB_SHARE of all ...
HUB_SHARE: Final = 0.02  # ... is a hub ("UK", "BBC"): sharing it says nothing about two documents
MAX_ROUNDS: Final = 5  # short-form rounds: a short name may fit one cluster only after another merge
FUZZY_BLOCK_MAX: Final = 50  # a block of more near-identical keys than this is too common a name to pair up
MAX_REDIRECT_HOPS: Final = 10  # a redirect chain longer than this (only after a crash) is not followed
LONG_ACRONYM: Final = 4  # initials this long ("MPAA") fitting one expansion need no shared neighbour
MAX_CLOSE: Final = 8  # a short name with more near-best candidates than this joins none
MARGIN: Final = 1  # the best candidate must score this much above the next to join

Link = tuple[str, str, str]  # (short root, long root, rule)


@dataclass
class Plan:
    """The target partition: each atom's surviving id, the rule that joined it, each survivor's aliases, and
    the name a user's `merge --name` chose for a survivor (else its name is derived, the fullest)."""

    target: dict[str, str]
    rule: dict[str, str]
    manual: dict[str, list[str]]
    names: dict[str, str] = field(default_factory=dict)
    scored_pairs: int = 0  # candidate pairs the blocking produced and the scoring looked at


class _Partition:
    """Union-find over atom keys that refuses any union a not-same judgement forbids."""

    def __init__(self, keys: Iterable[str], cannot: Iterable[tuple[str, str]]) -> None:
        self.parent = {k: k for k in keys}
        self.members: dict[str, set[str]] = {k: {k} for k in self.parent}
        self.cannot: dict[str, set[str]] = defaultdict(set)
        for a, b in cannot:
            if a in self.parent and b in self.parent and a != b:
                self.cannot[a].add(b)
                self.cannot[b].add(a)
        self.rule: dict[str, str] = {}  # atom -> the rule of the first union that joined it to another
        self.scored = 0  # candidate pairs scored so far

    def find(self, k: str) -> str:
        """The root of `k`'s cluster (compressing the path on the way)."""
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def blocked(self, ra: str, rb: str) -> bool:
        """Whether a not-same judgement separates any member of one cluster from any of the other."""
        small, other = (ra, rb) if len(self.members[ra]) <= len(self.members[rb]) else (rb, ra)
        return any(self.find(x) == other for m in self.members[small] if m in self.cannot for x in self.cannot[m])

    def union(self, a: str, b: str, rule: str) -> bool:
        """Join the clusters of `a` and `b` under `rule`; False when already one or forbidden."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.blocked(ra, rb):
            return False
        if (len(self.members[ra]), rb) < (len(self.members[rb]), ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        for k in (a, b):
            self.rule.setdefault(k, rule)
        return True

    def clusters(self) -> list[set[str]]:
        """Every cluster's members."""
        return [set(m) for m in self.members.values()]


# -- short forms ---------------------------------------------------------------------------------------------


@dataclass
class _Info:
    """What the short-form rules need to know about one cluster."""

    root: str
    type: str
    rank: int  # words of its fullest core name
    fulls: set[str]  # core keys with that many words
    keys: set[str]  # every member's core key
    forms: set[str]  # core keys of every recorded form and manual alias
    acronyms: set[str]
    lasts: set[str]  # last words of its multi-word names, as written ("simpson daniel" for a hyphen)
    docs: int  # documents naming it (MENTIONED_IN edges of its atoms)
    junk: bool  # its fullest name reads as two names: it attracts nothing
    genders: frozenset[str] = frozenset()  # what its honorific forms state ("Mr X" m, "Mrs X" f)


def _cluster_info(part: _Partition, atoms: dict[str, Atom], manual: dict[str, set[str]]) -> dict[str, _Info]:
    """The short-form facts of every cluster of the partition, by root."""
    out: dict[str, _Info] = {}
    for root, members in part.members.items():
        t = atoms[root].type
        keys = {" ".join(atoms[k].words) for k in members}
        rank = max(len(k.split()) for k in keys)
        forms = {name_key(t, f) for k in members for f in atoms[k].forms | manual.get(k, set())}
        acronyms = {a for k in members for n in atoms[k].names if (a := acronym(n))}
        fulls = {k for k in keys if len(k.split()) == rank}
        longest = [atoms[k].name for k in members if len(atoms[k].words) == rank]
        junk = any(is_list_name(n) for n in longest)
        docs = sum(atoms[k].docs for k in members)
        lasts = {last_word(atoms[k].name) for k in members if len(atoms[k].words) >= 2}
        genders = frozenset(
            g for k in members for f in atoms[k].forms | atoms[k].names if t == "PERSON" and (g := title_gender(f))
        )
        out[root] = _Info(root, t, rank, fulls, keys, forms - {""}, acronyms, lasts, docs, junk, genders)
    return out


def _inside(short: str, keys: Iterable[str]) -> bool:
    """Whether the words of `short` run, in order, inside one of `keys` ("kowal" in "jan kowal")."""
    s = f" {short} "
    return any(s in f" {k} " for k in keys)


class _Neighbours:
    """Which clusters are named in the documents of a cluster: the context two names must share when the
    names alone are weak evidence (initials; a one-word organisation name)."""

    def __init__(self, atoms: dict[str, Atom], part: _Partition) -> None:
        self.atoms, self.part = atoms, part
        self.by_doc: dict[str, list[str]] = defaultdict(list)
        for key, atom in atoms.items():
            for d in atom.doc_ids:
                self.by_doc[d].append(key)
        self.docs_of: dict[str, set[str]] = {}
        self.answers: dict[tuple[str, str], bool] = {}
        # an actor named everywhere ("UK", "BBC") is no evidence that two documents share a context
        self.hub = max(HUB_MIN_DOCS, HUB_SHARE * len(self.by_doc))

    def _docs(self, root: str) -> set[str]:
        found = self.docs_of.get(root)
        if found is None:
            found = self.docs_of[root] = {d for k in self.part.members[root] for d in self.atoms[k].doc_ids}
        return found

    def shared(self, a: str, b: str) -> bool:
        """Whether a third cluster (not a hub) is named in documents of both `a` and `b`: walks the documents
        of the side named in fewer, so a big cluster costs nothing more."""
        pair = (a, b) if a < b else (b, a)
        if pair not in self.answers:
            small, other = sorted((a, b), key=lambda r: (len(self._docs(r)), r))
            far, seen, found = self._docs(other), {a, b}, False
            for d in sorted(self._docs(small)):
                for k in self.by_doc[d]:
                    c = self.part.find(k)
                    if c in seen:
                        continue
                    seen.add(c)
                    docs = self._docs(c)
                    if len(docs) <= self.hub and not docs.isdisjoint(far):
                        found = True
                        break
                if found:
                    break
            self.answers[pair] = found
        return self.answers[pair]


@dataclass
class _LongNames:
    """The clusters a shorter name may refer to, indexed by each way a short name can point at them."""

    forms: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    lasts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    initials: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    stems: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    places: set[str] = field(default_factory=set)


def _index_long_names(infos: dict[str, _Info], atoms: dict[str, Atom], part: _Partition) -> _LongNames:
    """Index every cluster (except those whose fullest name reads as two) by what may refer to it.

    Recorded forms shorter than its fullest name; for a PERSON of up to three words, the last word of each
    multi-word name; for an ORG, its keys without a descriptive suffix; for a multi-word ORG or GPE, the
    initials (3+ letters) of each name, an ORG's only when the name has an organisation word. The core keys of
    every place are kept too: a place typed PERSON is no surname.
    """
    index = _LongNames()
    for info in infos.values():
        if info.junk:
            continue
        for f in info.forms:
            if len(f.split()) < info.rank:
                index.forms[(info.type, f)].add(info.root)
        if info.type == "PERSON" and info.rank <= 3:
            for last in info.lasts:
                index.lasts[last].add(info.root)
        if info.type == "ORG":
            for k in info.keys:
                if org_stem(k) != k:
                    index.stems[org_stem(k)].add(info.root)
        if info.type != "PERSON" and info.rank >= 2:
            for ini in _initials(info, atoms, part):
                index.initials[(info.type, ini)].add(info.root)
    index.places = {k for info in infos.values() if info.type == "GPE" for k in info.keys}
    return index


def _initials(info: _Info, atoms: dict[str, Atom], part: _Partition) -> set[str]:
    """Initials of 3+ letters of the cluster's names (an ORG's only of names with an organisation word)."""
    return {
        ini
        for m in part.members[info.root]
        if len(atoms[m].own_words) == info.rank  # of its fullest names: "RFL" is no "(BBC) Radio Five Live"
        for n in atoms[m].names
        if info.type != "ORG" or is_org_like(n)
        for ini in name_initials(n)
        if len(ini) >= 3
    }


def _longer_clusters(info: _Info, infos: dict[str, _Info], index: _LongNames) -> dict[str, set[str]]:
    """Candidate pairs from the blocking index: the clusters with longer names that this cluster's short name
    may refer to, each with every rule that found it (recorded form, surname, short organisation name, then for
    one-word names acronym or recorded acronym)."""
    found: dict[str, set[str]] = defaultdict(set)
    for k in sorted(info.fulls):
        if is_generic(k) or (info.type == "PERSON" and (k in index.places or is_place_word(k))):
            continue
        for root in index.forms.get((info.type, k), ()):
            if info.type == "ORG" and any(names_a_part(k, long) for long in infos[root].fulls):
                continue  # "Barclays" recorded for "Barclays Capital": the parent, not a short form
            part_of = k in info.acronyms or _inside(k, infos[root].keys)
            if part_of and (info.type != "PERSON" or " " in k or k in infos[root].lasts):  # not "Sarah"
                found[root].add("recorded-form")
        if info.rank == 1 and info.type == "PERSON":
            for root in index.lasts.get(k, ()):
                found[root].add("surname")
        if info.type == "ORG":
            for root in index.stems.get(k, ()):
                found[root].add("short-org-name")
    if info.rank == 1:
        for a in sorted(info.acronyms):
            for root in index.initials.get((info.type, a), ()):
                found[root].add("acronym")
            for root in index.forms.get((info.type, a), ()):
                found[root].add("recorded-acronym")
    found.pop(info.root, None)
    return {r: rules for r, rules in found.items() if infos[r].rank > info.rank}


RULE_ORDER: Final = ("recorded-acronym", "recorded-form", "surname", "short-org-name", "acronym")


def _rule_name(rules: set[str]) -> str:
    """The rule a merge is logged under: the strongest of those that found the pair."""
    return next(r for r in RULE_ORDER if r in rules)


def _compatible(info: _Info, long: _Info) -> bool:
    """No conflict between the two: what the short cluster's honorifics state the long one's do too ("Mrs
    Kowal" is no Jan Kowal, called "Mr Kowal"; a "Kowal" called both is two people)."""
    return not (info.genders and long.genders and info.genders - long.genders)


def _evidence(rules: set[str]) -> int:
    """How strongly a candidate pair is one actor by its names: one point for the long cluster's own documents
    using the short name (a recorded form), one for a name rule (surname, short name, initials); a shared
    neighbour adds one more (`_Neighbours.shared`)."""
    recorded = bool(rules & {"recorded-form", "recorded-acronym"})
    return int(recorded) + int(bool(rules - {"recorded-form", "recorded-acronym"}))


def _convincing(info: _Info, long: _Info, rules: set[str], neighbours: _Neighbours) -> bool:
    """Whether the link chosen is strong enough to merge.

    A short name (not a bare surname, not a recorded acronym) named in more documents than the long cluster
    is an actor itself, unless the long one is its name plus a descriptive suffix that its own documents
    shorten to it ("Labour" for "Labour Party"); initials, and a one-word name that is no acronym outside
    places, need a neighbour named in documents of both.
    """
    rule = _rule_name(rules)
    surname = info.type == "PERSON" and info.rank == 1  # a bare "Kowal" may well be in more documents
    stem = "short-org-name" in rules  # "Labour", "Menatep": the long name only adds "Party", "Group"
    if rule != "recorded-acronym" and not surname and not stem and info.docs > long.docs:
        return False
    long_initials = rule == "acronym" and min(len(a) for a in info.acronyms) >= LONG_ACRONYM
    weak = (rule == "acronym" and not long_initials) or (info.type != "GPE" and info.rank == 1 and not info.acronyms)
    return not weak or neighbours.shared(info.root, long.root)


def _short_form_links(infos: dict[str, _Info], atoms: dict[str, Atom], part: _Partition) -> list[Link]:
    """(short root, long root, rule) for every cluster whose short name fits one longer cluster best.

    Candidates come from the blocking index; those in conflict (honorifics of another gender) drop out; the
    rest are scored (`_evidence`, plus a shared neighbour) and the best joins only if it scores MARGIN above
    every other, and only if it is convincing (`_convincing`). Guards, each from a false merge seen on a news
    corpus: a one-word common noun ("Union", "Parliament") joins nothing; a recorded form that is neither an
    acronym nor part of the long name ("State" recorded for the European Union) links nothing; a short name
    used on its own in more documents than the long cluster ("Chelsea" against "Injured Chelsea") is an actor
    itself; a long name that reads as two ("Arsenal or Sheffield United") attracts nothing; initials need 3+
    letters and an organisation word in the long name ("NBA" is no "Newcastle Brown Ale"); a place name typed
    PERSON ("Britain") is no surname, nor a first name ("Sarah" recorded for "Sarah Claxton"). Initials, and
    any one-word name ("Mercury", the Ford brand, is no Freddie Mercury), need a shared neighbour too.
    """
    index = _index_long_names(infos, atoms, part)
    neighbours = _Neighbours(atoms, part)
    links = []
    for info in sorted(infos.values(), key=lambda i: i.root):
        candidates = {
            r: rules for r, rules in _longer_clusters(info, infos, index).items() if _compatible(info, infos[r])
        }
        if not candidates:
            continue
        part.scored += len(candidates)
        base = {r: _evidence(rules) for r, rules in candidates.items()}
        top = max(base.values())
        close = [r for r, b in base.items() if b >= top - 1]  # a shared neighbour may lift these to the top
        if len(close) > MAX_CLOSE:
            continue  # too common a name to tell its candidates apart
        scored = sorted((-(base[r] + neighbours.shared(info.root, r)), r) for r in close)
        if len(scored) > 1 and scored[1][0] - scored[0][0] < MARGIN:
            continue  # two candidates fit as well: "Kowal" with Jan and Ewa Kowal both in the graph
        root = scored[0][1]
        if _convincing(info, infos[root], candidates[root], neighbours):
            links.append((info.root, root, _rule_name(candidates[root])))
    return links


# -- the plan ------------------------------------------------------------------------------------------------


def _fuzzy_links(atoms: dict[str, Atom]) -> tuple[list[tuple[str, str]], int]:
    """Pairs of core keys of one type that are fuzzy twins, where one of them has no other twin (a typo of
    one name, never a key between two names: "Jna Kowalczyk" and "Jan Kowlaczyk" both join
    "Jan Kowalczyk", which has two twins). Blocking: keys
    sharing all words but one (one-word organisation names: their first letters); a block of more than
    FUZZY_BLOCK_MAX keys is too common a pattern to pair up. Returns the links and how many pairs it scored."""
    keys: dict[tuple[str, tuple[str, ...]], None] = {}
    for atom in atoms.values():
        single = atom.type == "ORG" and len(atom.words) == 1 and len(atom.words[0]) >= FUZZY_SINGLE_MIN_LEN
        if len(atom.words) >= 2 or single:
            keys[(atom.type, atom.words)] = None
    blocks: dict[tuple[str, int, tuple[str, ...]], list[tuple[str, ...]]] = defaultdict(list)
    for t, words in keys:
        if len(words) == 1:  # one long word: blocked by its first letters
            blocks[(t, -1, (words[0][:3],))].append(words)
        for i in range(len(words) if len(words) > 1 else 0):
            blocks[(t, i, words[:i] + words[i + 1 :])].append(words)
    partners: dict[tuple[str, tuple[str, ...]], set[tuple[str, ...]]] = defaultdict(set)
    scored = 0
    for (t, _, _), group in blocks.items():
        if len(group) < 2 or len(group) > FUZZY_BLOCK_MAX:
            continue
        scored += len(group) * (len(group) - 1) // 2
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if fuzzy_twins(t, a, b) or (len(a) == len(b) == 1 and fuzzy_single(t, a[0], b[0])):
                    partners[(t, a)].add(b)
                    partners[(t, b)].add(a)
    out = []
    for (t, a), bs in sorted(partners.items()):
        if len(bs) == 1:  # a key with one twin joins it, even when that twin has other one-twin keys (typos)
            (b,) = bs
            if len(partners[(t, b)]) > 1 or a < b:
                out.append((f"{t}|{' '.join(a)}", f"{t}|{' '.join(b)}"))
    return out, scored


def _fullness(atom: Atom) -> tuple[int, bool, int, int, int, str, str]:
    """Survivor order: most words of the core name, then fewest words dropped from it (titles, "Rapper"), then
    as ingest's `refresh_actors` names an actor (most documents, longest, alphabetical), then id."""
    name, own = atom.name, atom.own_words
    informal = own != atom.words  # "Tories" read as "conservative party" never names the cluster
    return (-len(atom.words), informal, len(name.split()) - len(own), -atom.docs, -len(name), name, atom.key)


def _effective(decisions: list[Decision]) -> tuple[list[Decision], list[tuple[str, str]], list[Decision]]:
    """User merges, not-same pairs and aliases in force: on one pair, the latest judgement wins."""
    latest: dict[frozenset[str], Decision] = {}
    aliases = []
    for d in decisions:
        if d.by != "user" or d.superseded:
            continue
        if d.kind == "alias":
            aliases.append(d)
        elif d.kind in {"merge", "not-same", "split"} and d.b:
            latest[frozenset((d.a, d.b))] = d
    merges = sorted((d for d in latest.values() if d.kind == "merge"), key=lambda d: (d.at, d.id))
    cannot = sorted((d.a, d.b) for d in latest.values() if d.kind != "merge" and d.b)
    return merges, cannot, aliases


def _atom_resolver(atoms: dict[str, Atom], redirects: dict[str, str]) -> Callable[[str], str | None]:
    """The atom an id in a decision stands for today: itself, or where its redirects lead; None if gone."""

    def atom_of(ref: str) -> str | None:
        seen = 0
        while ref not in atoms and ref in redirects and seen < MAX_REDIRECT_HOPS:
            ref, seen = redirects[ref], seen + 1
        return ref if ref in atoms else None

    return atom_of


def _join_user_merges(
    part: _Partition, atoms: dict[str, Atom], merges: list[Decision], atom_of: Callable[[str], str | None]
) -> tuple[set[str], set[str]]:
    """Apply the user's merges, oldest first; returns the atoms they keep and the atoms they join to others."""
    keep: set[str] = set()
    joined: set[str] = set()
    for d in merges:
        a, b = atom_of(d.a), atom_of(d.b or "")
        if a and b and atoms[a].type == atoms[b].type and part.union(a, b, "manual"):
            keep.add(a)
            joined.add(b)
    return keep, joined


def _manual_aliases(aliases: list[Decision], atom_of: Callable[[str], str | None]) -> dict[str, set[str]]:
    """The names the user added, by the atom they were added to."""
    manual: dict[str, set[str]] = defaultdict(set)
    for d in aliases:
        a = atom_of(d.a)
        if a and d.name:
            manual[a].add(d.name)
    return manual


def _by_core_key(atoms: dict[str, Atom]) -> dict[tuple[str, str], list[str]]:
    """Atoms by (type, core key), each list sorted: atoms sharing a key are one actor."""
    by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    for k in sorted(atoms):
        by_key[(atoms[k].type, " ".join(atoms[k].words))].append(k)
    return by_key


def _join_manual_aliases(
    part: _Partition,
    atoms: dict[str, Atom],
    manual: dict[str, set[str]],
    by_key: dict[tuple[str, str], list[str]],
) -> None:
    """Join each atom to the atoms whose core key is one of the names the user added to it."""
    for a, names in sorted(manual.items()):
        for n in sorted(names):
            for k in by_key.get((atoms[a].type, name_key(atoms[a].type, n)), []):
                part.union(a, k, "manual-alias")


def _join_same_names(part: _Partition, by_key: dict[tuple[str, str], list[str]]) -> None:
    """Join atoms of one type and one core key."""
    for group in by_key.values():
        for k in group[1:]:
            part.union(group[0], k, "same-name")


def _join_fuzzy_twins(part: _Partition, atoms: dict[str, Atom], by_key: dict[tuple[str, str], list[str]]) -> None:
    """Join spelling variants: core keys of one type that are each other's only fuzzy twin."""
    links, part.scored = _fuzzy_links(atoms)
    for a, b in links:
        ta, ka = a.split("|", 1)
        tb, kb = b.split("|", 1)
        part.union(by_key[(ta, ka)][0], by_key[(tb, kb)][0], "fuzzy")


def _join_short_forms(part: _Partition, atoms: dict[str, Atom], manual: dict[str, set[str]]) -> None:
    """Join short names to the one longer cluster each fits, round after round until nothing changes.

    A link to a cluster that itself joins a longer one this round waits for the next round, when that
    cluster is whole: "KRL" fits "Kestrel Radio Live" alone, not once it is "Vell Kestrel Radio Live"."""
    for _ in range(MAX_ROUNDS):
        infos = _cluster_info(part, atoms, manual)
        links = _short_form_links(infos, atoms, part)
        joining = {short for short, _, _ in links}
        changed = False
        for short, long, rule in links:
            if long not in joining:
                changed |= part.union(short, long, rule)
        if not changed:  # the longer joins were all refused (a not-same judgement): the waiting ones go now
            for short, long, rule in links:
                changed |= long in joining and part.union(short, long, rule)
        if not changed:
            return


def _survivors(
    part: _Partition, atoms: dict[str, Atom], manual: dict[str, set[str]], keep: set[str], joined: set[str]
) -> Plan:
    """Each cluster's surviving id (the one a user merge kept, else the fullest name) and its manual aliases."""
    target: dict[str, str] = {}
    manual_out: dict[str, list[str]] = {}
    for members in part.clusters():
        preferred = (members & keep) - joined or members
        survivor = min(preferred, key=lambda k: _fullness(atoms[k]))
        for k in members:
            target[k] = survivor
        aliases = sorted({n for k in members for n in manual.get(k, set())})
        if aliases:
            manual_out[survivor] = aliases
    return Plan(target, {k: part.rule.get(k, "") for k in atoms}, manual_out)


def _chosen_names(
    merges: list[Decision], atom_of: Callable[[str], str | None], target: dict[str, str]
) -> dict[str, str]:
    """The name each survivor's latest user merge with a chosen name gave it (merges come oldest first)."""
    names: dict[str, str] = {}
    for d in merges:
        kept = atom_of(d.a)
        if d.name and kept in target:
            names[target[kept]] = d.name
    return names


def plan(atoms: dict[str, Atom], decisions: list[Decision], redirects: dict[str, str]) -> Plan:
    """Partition the atoms: user merges, manual aliases, equal keys, fuzzy twins, then short forms that fit
    exactly one actor; a not-same judgement blocks every union across it."""
    atom_of = _atom_resolver(atoms, redirects)
    merges, cannot, alias_decisions = _effective(decisions)
    pairs = [(a, b) for x, y in cannot if (a := atom_of(x)) and (b := atom_of(y))]
    part = _Partition(sorted(atoms), pairs)
    keep, joined = _join_user_merges(part, atoms, merges, atom_of)
    manual = _manual_aliases(alias_decisions, atom_of)
    by_key = _by_core_key(atoms)
    _join_manual_aliases(part, atoms, manual, by_key)
    _join_same_names(part, by_key)
    _join_fuzzy_twins(part, atoms, by_key)
    _join_short_forms(part, atoms, manual)
    out = _survivors(part, atoms, manual, keep, joined)
    out.names = _chosen_names(merges, atom_of, out.target)
    out.scored_pairs = part.scored
    return out
