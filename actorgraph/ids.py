"""Deterministic ids for everything the graph stores, so the same input always lands on the same nodes.

An id depends only on what one document says (type and normalised name for actors and charges; the five parts of a
claim), never on what was ingested before, on `--workers`, or on a crash and re-run.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz.utils import default_process

_ARTICLE = re.compile(r"^(the|a|an) ")
_POSSESSIVE = re.compile(r"['’]s\b")


def normalize_name(name: str) -> str:
    """Case-folded, accent-kept, punctuation-free form of a name, without a leading article or possessive 's.

    "The Kazakh Courts’" and "kazakh courts" agree; "O'Brien" becomes "o brien". rapidfuzz does the folding so
    resolution (which uses rapidfuzz scores) and ids see the same string.
    """
    text = unicodedata.normalize("NFKC", name)
    text = _POSSESSIVE.sub("", text)
    text = " ".join(default_process(text).split())
    return _ARTICLE.sub("", text)


def lookup_forms(text: str) -> list[str]:
    """The keys a typed name is looked up under: case-folded as typed, then normalised (no article, dots)."""
    folded = " ".join(text.casefold().split())
    return [f for f in dict.fromkeys([folded, normalize_name(text)]) if f]


def actor_keys(actor_id: str, name: str, aliases: Iterable[str] = ()) -> list[str]:
    """An actor's indexed `keys`: its id and the lookup forms of its name and every alias (sorted, unique)."""
    keys = {actor_id}
    for form in (name, *aliases):
        if form:
            keys.update(lookup_forms(form))
    return sorted(keys)


def _digest(*parts: str, size: int = 20) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:size]


def actor_id(entity_type: str, name: str) -> str:
    """Id of an actor (PERSON, ORG or GPE) from its type and normalised name, e.g. `person:3f2a…`."""
    return f"{entity_type.lower()}:{_digest(entity_type, normalize_name(name))}"


def charge_id(name: str) -> str:
    """Id of a charge from its normalised phrase, e.g. `charge:9b1c…`."""
    return f"charge:{_digest('CHARGE', normalize_name(name))}"


def node_id(entity_type: str, name: str) -> str:
    """Id of any extracted entity: a charge id for CHARGE, an actor id otherwise."""
    return charge_id(name) if entity_type == "CHARGE" else actor_id(entity_type, name)


def claim_id(subject_id: str, predicate: str, object_id: str, doc_id: str, start: int, end: int) -> str:
    """Id of one claim: what one source says in one sentence (subject, predicate, object, document, evidence span)."""
    return f"claim:{_digest(subject_id, predicate, object_id, doc_id, str(start), str(end), size=24)}"
