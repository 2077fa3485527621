"""Finding and loading a relation model for `extract`/`ingest --relation-model`: once per process.

`default` (what runs when nothing is said) names the model shipped in this package (`model/`, trained by
`actorgraph train`; see docs/model-card.md), `none` the hand rules alone; anything else is a directory
`actorgraph train` wrote. A model is loaded once per process
and directory (workers load their own), so a run pays the load once.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from actorgraph.errors import ConfigError
from actorgraph.extract.learned.predict import LearnedModel

DEFAULT = "default"
NONE = "none"  # the hand rules alone
SHIPPED = Path(__file__).resolve().parent / "model"
_HINT = ("pass a directory written by `actorgraph train GOLD.jsonl --root DIR -o MODEL_DIR`, "
         "`--relation-model default` for the shipped one, or `none` for the hand rules alone")
_CACHE: dict[tuple[str, float], LearnedModel] = {}
_LOCK = threading.Lock()


def model_spec(spec: str | os.PathLike[str] | None) -> str | None:
    """What extraction runs with: None (the default) is the shipped model, `none` the hand rules alone (None)."""
    if spec is None:
        return DEFAULT
    text = os.fspath(spec)
    return None if text == NONE else text


def model_dir(spec: str | os.PathLike[str]) -> Path:
    """The directory `spec` names: the shipped model for `default`, else the path itself."""
    return SHIPPED if os.fspath(spec) == DEFAULT else Path(spec)


def load_relation_model(spec: str | os.PathLike[str]) -> LearnedModel:
    """The model `spec` names, loaded once per process; ConfigError (one line, a hint) when it is not one."""
    directory = model_dir(spec)
    meta = directory / "model.json"
    try:
        key = (str(directory.resolve()), meta.stat().st_mtime)
    except OSError:
        raise ConfigError(f"--relation-model {os.fspath(spec)}: no model.json in {directory}", hint=_HINT) from None
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        try:
            model = LearnedModel.load(directory)
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"--relation-model {os.fspath(spec)}: {exc}", hint=_HINT) from None
        _CACHE[key] = model
        return model
