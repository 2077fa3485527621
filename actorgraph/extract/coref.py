"""Which actor a relation argument points to: a named mention, a relative or personal pronoun, or a definite NP.

Resolution is deliberately shallow (no statistical coreference): "he"/"his" go to the most salient PERSON of the
same or the previous sentences (subjects first), "it"/"its" to the most salient ORG, "which"/"who" to the noun
their relative clause hangs on, and "the firm"/"this NGO"/"the party" to the last ORG described that way (or,
failing that, the last ORG). It only ever runs on arguments of a relation cue, as annotation.md allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from spacy.tokens import Doc, Span, Token

from actorgraph.extract.lexicon import lexicon, word_list

#: How far back (in sentences) a pronoun or definite NP may look for its actor.
LOOKBACK_SENTENCES = 3
DEFINITE_LOOKBACK_SENTENCES = 6
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
RELATIVE_PRONOUNS = frozenset({"which", "who", "whom", "that", "whose"})
#: Nouns whose holder speaks for an organisation: "a spokesman for X said" makes X the speaker.
SPEAKER_NOUNS = word_list("coref_speaker_nouns.txt")
#: Descriptor nouns too specific to fall back on "the last ORG" when no actor was described that way.
SPECIFIC_DESCRIPTORS = word_list("coref_specific_descriptors.txt")
#: Plural heads of company names, which are no parties ("Bearwood Corporate Services", "Tyson Foods").
COMPANY_PLURALS = frozenset(w for w in lexicon().org_heads if w.endswith("s")) - lexicon().party_heads
_SKIP_BEFORE_RELATIVE = frozenset({",", "(", ")", "\"", "“", "”", "'", "’", "-", "—", "–"})


class Cluster(Protocol):
    """What `entities.find_actors` returns per actor (duck-typed, so this module does not import it)."""

    id: str
    type: str
    name: str
    aliases: list[str]
    spans: list[Span]


@dataclass(frozen=True)
class Resolved:
    """An actor an argument token resolved to, and how (direct, relative, pronoun, definite, appos, proxy)."""

    cluster_id: str
    type: str
    how: str
    start: int  # char span of the surface form that named it in this sentence
    end: int


@dataclass
class ActorIndex:
    """Token -> actor lookups for one parsed document, plus the salience order pronouns need."""

    doc: Doc
    clusters: Sequence[Cluster]
    cues: dict[str, frozenset[str]]
    by_token: dict[int, Cluster] = field(default_factory=dict)
    descriptors: dict[str, set[str]] = field(default_factory=dict)
    mentions: list[tuple[int, int, Cluster]] = field(default_factory=list)  # (token start, sent start, cluster)
    extra_mentions: list[tuple[str, int, int]] = field(default_factory=list)  # (cluster id, start char, end char)
    _sent_index: dict[int, int] | None = None
    _plurals: frozenset[str] | None = None

    def __post_init__(self) -> None:
        # shorter spans win a token: "California" inside the descriptor "a California-based company" of Titan
        spans = sorted(((s, c) for c in self.clusters for s in c.spans), key=lambda sc: -len(sc[0]))
        nationalities = lexicon().nationalities
        for span, cluster in spans:
            for tok in span:
                if cluster.type == "PERSON" and tok.text in nationalities and tok.text not in cluster.name.split():
                    continue  # "the Turkish economics minister, X": 'Turkish' in X's descriptor still says Turkey
                if tok.pos_ not in {"DET", "PUNCT", "SPACE"} and not (tok.pos_ == "PRON" and tok.is_alpha):
                    # "its founder X": 'its' is no name; "Acme.com" mistagged PRON is one
                    self.by_token[tok.i] = cluster
        for cluster in self.clusters:
            words = {w.lower() for form in [cluster.name, *cluster.aliases] for w in form.split()}
            if any(span.root.tag_ == "NNPS" and span.root.text not in COMPANY_PLURALS for span in cluster.spans):
                words.add("party")  # plural proper names of organisations are mostly parties ("the Greens")
            self.descriptors[cluster.id] = words
            for span in cluster.spans:
                self.mentions.append((span.start, span.sent.start,
                                      cluster))
        self.mentions.sort(key=lambda m: m[0])
        # Descriptor nouns in apposition or compound to a named actor ("the rogue NGO the X", "investment firm X")
        # say what "the NGO" / "the firm" will later point to.
        org_words = self.cues.get("org_descriptor", frozenset())
        for tok in self.doc:
            if tok.lower_ not in org_words and tok.lemma_.lower() not in org_words:
                continue
            if tok.dep_ == "attr" and tok.head.lemma_ == "be":  # "X is a charity"
                for subj in (c for c in tok.head.children if c.dep_ == "nsubj"):
                    found = self.by_token.get(subj.i)
                    if found is not None:
                        self.descriptors[found.id].update({tok.lower_, tok.lemma_.lower()})
            for other in [*tok.children, tok.head]:
                found = self.by_token.get(other.i)
                if found is not None and other.dep_ in {"appos", "compound"} | ({tok.dep_} & {"appos", "compound"}):
                    self.descriptors[found.id].update({tok.lower_, tok.lemma_.lower()})

    # -- public -------------------------------------------------------------------------------------------------

    def resolve(self, tok: Token, *, proxy: bool = False) -> list[Resolved]:
        """The actors `tok` (the head of an argument phrase) refers to; [] when it names none."""
        found = self._resolve_one(tok, proxy=proxy, depth=0)
        return [found] if found is not None else []

    # -- internals ----------------------------------------------------------------------------------------------

    def _direct(self, tok: Token, how: str = "direct") -> Resolved | None:
        cluster = self.by_token.get(tok.i)
        if cluster is None:
            return None
        return Resolved(cluster.id, cluster.type, how, tok.idx, tok.idx + len(tok.text))

    def _resolve_one(self, tok: Token, *, proxy: bool, depth: int) -> Resolved | None:
        if depth > 4:
            return None
        direct = self._direct(tok)
        if direct is not None:
            return direct
        lower = tok.lower_
        if lower in RELATIVE_PRONOUNS and tok.tag_ in {"WDT", "WP", "WP$"}:
            return self._relative(tok, proxy=proxy, depth=depth)
        if tok.pos_ == "PRON":
            return self._pronoun(tok)
        # "the rogue NGO the Open Dialogue Foundation": the named apposition is the actor.
        for child in tok.children:
            if child.dep_ == "appos":
                found = self._direct(child, "appos")
                if found is not None:
                    return found
        # "Titan, a California-based company": a common-noun apposition stands for the name it follows.
        if tok.dep_ == "appos" and tok.pos_ == "NOUN":
            found = self._direct(tok.head, "appos")
            if found is not None:
                return found
        # "a spokesman for X said": the speaker's organisation acts.
        if tok.lemma_.lower() in SPEAKER_NOUNS:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in {"for", "of"}:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = self._resolve_one(pobj, proxy=False, depth=depth + 1)
                            if found is not None and found.type in {"ORG", "GPE"}:
                                return found
        if tok.pos_ in {"NOUN", "PROPN"}:
            definite = self._definite(tok)
            if definite is not None:
                return definite
        if proxy and tok.pos_ == "NOUN" and tok.lemma_.lower() in self.cues.get("proxy_noun", frozenset()):
            for child in tok.children:
                if child.dep_ == "poss":
                    return self._resolve_one(child, proxy=False, depth=depth + 1)
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return self._resolve_one(pobj, proxy=False, depth=depth + 1)
        return None

    def _relative(self, tok: Token, *, proxy: bool, depth: int) -> Resolved | None:
        """The parser's antecedent if it names an actor; else, after 'and', the previous relative's; else the
        actor just before the pronoun ('the DVK, which ...')."""
        sent = tok.sent
        j = tok.i - 1
        while j >= sent.start and (self.doc[j].is_space or self.doc[j].text in _SKIP_BEFORE_RELATIVE):
            j -= 1
        antecedent = relative_antecedent(tok)
        if antecedent is not None:
            found = self._resolve_one(antecedent, proxy=proxy, depth=depth + 1)
            near = self._direct(self.doc[j], "relative") if j >= sent.start and tok.lower_ == "who" else None
            if (near is not None and near.type == "PERSON" and antecedent.i < j
                    and (found is None or found.cluster_id != near.cluster_id)):
                return near  # "X of A and Y, who worked for B": a parser hanging 'who' on X further back
            if found is not None:
                return found
        if j < sent.start:
            return None
        prev = self.doc[j]
        if prev.dep_ == "cc":
            for k in range(j - 1, sent.start - 1, -1):
                cand = self.doc[k]
                if cand.lower_ == tok.lower_ and cand.tag_ == tok.tag_:
                    return self._relative(cand, proxy=proxy, depth=depth + 1)
            return None
        return self._direct(prev, "relative")

    def _pronoun(self, tok: Token) -> Resolved | None:
        lower = tok.lower_
        if lower in self.cues.get("person_pronoun", frozenset()):
            wanted, lookback = {"PERSON"}, LOOKBACK_SENTENCES
        elif lower in self.cues.get("org_pronoun", frozenset()):
            wanted, lookback = {"ORG"}, LOOKBACK_SENTENCES
        elif lower in self.cues.get("plural_pronoun", frozenset()):
            wanted, lookback = {"ORG_PLURAL"}, 1
        else:
            return None
        cluster = self._salient(tok, wanted, lookback, exclude_coarguments=tok.dep_ in {"dobj", "pobj", "dative"})
        if cluster is None:
            return None
        return Resolved(cluster.id, cluster.type, "pronoun", tok.idx, tok.idx + len(tok.text))

    def _definite(self, tok: Token) -> Resolved | None:
        """'the firm', 'this Brussels-based NGO', 'the party's': the last ORG that fits the noun."""
        words = self.cues.get("org_descriptor", frozenset())
        noun = tok.lower_
        if noun not in words and tok.lemma_.lower() not in words:
            return None
        if tok.text[:1].isupper() and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ in {"of", "for"}:
            return None  # "The Office of the Deputy Prime Minister" is a name, not a back-reference
        dets = [c for c in tok.children if c.dep_ == "det"]
        if not dets or dets[0].lower_ not in {"the", "this", "that", "these", "those"}:
            return None
        if any(c.dep_ in {"compound", "amod"} and (c.ent_type_ in {"NORP", "GPE"} or c.pos_ == "PROPN")
               for c in tok.children):
            return None  # "the Kazakh courts" names an actor of its own (entities' business, not a back-reference)
        plural = tok.tag_ in {"NNS", "NNPS"} and tok.lower_ != tok.lemma_.lower()
        if plural and any(c.dep_ in {"nummod", "predet", "preconj"} or c.like_num
                          or c.lower_ in {"both", "all", "other"} for c in tok.children):
            return None  # "the two companies", "both the big parties": several actors, not one
        sent_start = tok.sent.start
        sentences_back = 0
        best: Cluster | None = None
        fallback: Cluster | None = None
        keys = {noun, tok.lemma_.lower()}
        for start, s_start, cluster in reversed(self.mentions):
            if start >= tok.i or cluster.type != "ORG":
                continue
            if plural and (cluster.id not in self._plural_ids() or not keys & _head_words(cluster)):
                continue  # "the firms" is no back-reference to one firm, nor "the parties" to the Greens;
                # "the authorities" is one to the Kazakh authorities
            if s_start != sent_start:
                sentences_back = self._sentence_distance(s_start, sent_start)
                if sentences_back > DEFINITE_LOOKBACK_SENTENCES:
                    break
            if fallback is None:
                fallback = cluster
            if keys & self.descriptors.get(cluster.id, set()):
                best = cluster
                break
        chosen = best
        if chosen is None and fallback is not None and not plural and not keys & SPECIFIC_DESCRIPTORS:
            chosen = fallback if self._sentence_distance(self._first_sent_of(fallback, tok.i), sent_start) <= 1 \
                else None
        if chosen is None:
            return None
        start_tok = min([tok, *[c for c in tok.children if c.i < tok.i and c.dep_ != "poss"]], key=lambda t: t.i)
        start_tok = tok.doc[start_tok.left_edge.i] if start_tok.left_edge.i >= tok.sent.start else start_tok
        while start_tok.i < tok.i and (start_tok.dep_ in {"preconj", "predet", "cc"} or start_tok.is_punct):
            start_tok = tok.doc[start_tok.i + 1]  # "both the firm and the banker": the form is "the firm"
        start, end = start_tok.idx, tok.idx + len(tok.text)
        self.extra_mentions.append((chosen.id, start, end))
        return Resolved(chosen.id, chosen.type, "definite", start, end)

    def _plural_ids(self) -> frozenset[str]:
        """Organisations named in the plural ("the Kazakh authorities", "the Tories")."""
        if self._plurals is None:
            self._plurals = frozenset(c.id for c in self.clusters if c.type == "ORG"
                                      and any(s.root.tag_ in {"NNS", "NNPS"} for s in c.spans))
        return self._plurals

    def _first_sent_of(self, cluster: Cluster, before: int) -> int:
        """Sentence start of the cluster's last mention before token `before`."""
        starts = [s_start for start, s_start, c in self.mentions if c is cluster and start < before]
        return starts[-1] if starts else -1

    def _sentence_distance(self, earlier_sent_start: int, sent_start: int) -> int:
        sents = self._sent_starts()
        return sents.get(sent_start, 0) - sents.get(earlier_sent_start, 0)

    def _sent_starts(self) -> dict[int, int]:
        cached = self._sent_index
        if cached is None:
            cached = {sent.start: n for n, sent in enumerate(self.doc.sents)}
            self._sent_index = cached
        return cached

    def _salient(self, tok: Token, wanted: set[str], lookback: int, *, exclude_coarguments: bool) -> Cluster | None:
        """Same sentence: nearest compatible mention before `tok`; earlier sentences: subject first."""
        sent = tok.sent
        if "ORG_PLURAL" in wanted:  # "they" is a collective: "the authorities", "the Tories", not "the firm"
            plural = {c.id for c in self.clusters if c.type == "ORG" and any(s.root.tag_ in {"NNS", "NNPS"}
                                                                                   for s in c.spans)}
            ok = lambda c: c.id in plural  # noqa: E731
        else:
            ok = lambda c: c.type in wanted  # noqa: E731
        same = [m for m in self.mentions if sent.start <= m[0] < tok.i and ok(m[2])]
        if exclude_coarguments:
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            same = [m for m in same if self.doc[m[0]].head != verb and self.doc[m[0]].head.head != verb]
        if same:
            subjects = [m for m in same if _in_subject(self.doc, m[0], self.by_token)]
            return (subjects or same)[-1][2]
        sents = self._sent_starts()
        here = sents.get(sent.start, 0)
        by_sentence: dict[int, list[tuple[int, int, Cluster]]] = {}
        for m in self.mentions:
            n = sents.get(m[1], -1)
            if here - lookback <= n < here and ok(m[2]):
                by_sentence.setdefault(n, []).append(m)
        for n in sorted(by_sentence, reverse=True):
            cands = by_sentence[n]
            subjects = [m for m in cands if _in_subject(self.doc, m[0], self.by_token)]
            return (subjects or cands)[0][2]
        return None


def _head_words(cluster: Cluster) -> set[str]:
    """The last words of an actor's name and aliases, lower case, singular and plural ("authorities",
    "authority" of "the Kazakh authorities")."""
    out: set[str] = set()
    for form in [cluster.name, *cluster.aliases]:
        ws = form.lower().split()
        if ws:
            out.add(ws[-1])
            out.add(ws[-1][:-3] + "y" if ws[-1].endswith("ies") else ws[-1].removesuffix("s"))
    return out


def _in_subject(doc: Doc, start: int, by_token: dict[int, Cluster]) -> bool:
    """Whether the mention starting at token `start` is (the head of) a clause subject."""
    cluster = by_token.get(start)
    tok = doc[start]
    while tok.i + 1 < len(doc) and by_token.get(tok.i + 1) is cluster and tok.head.i == tok.i + 1:
        tok = doc[tok.i + 1]
    head = tok
    # climb appositions/compounds inside the same NP ("the fugitive oligarch X" where X heads)
    if head.dep_ in {"compound", "appos"} and head.head.dep_ in SUBJECT_DEPS:
        return True
    return head.dep_ in SUBJECT_DEPS


def relative_antecedent(tok: Token) -> Token | None:
    """The noun a relative pronoun's clause modifies: 'the DVK, which he funds' -> DVK."""
    node = tok.head
    for _ in range(6):
        if node.dep_ in {"relcl", "acl"} and node.head.i != node.i:
            return node.head
        if node.head.i == node.i:
            return None
        node = node.head
    return None
