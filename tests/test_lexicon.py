"""The word lists of extract/patterns/*.txt: one loader, flags checked, every list file read by the code."""

from __future__ import annotations

from pathlib import Path

import pytest

import actorgraph
from actorgraph.errors import PatternError
from actorgraph.extract.lexicon import PATTERNS, TITLE_FLAGS, entries, flagged_words, lexicon, word_list


def test_comments_and_blank_lines_are_no_entries() -> None:
    for path in PATTERNS.glob("*.txt"):
        for _, line in entries(path.name):
            assert line and not line.startswith("#") and line == line.strip(), (path.name, line)


def test_an_unknown_flag_names_its_file_and_line() -> None:
    with pytest.raises(PatternError, match=r"entities_titles\.txt:\d+: unknown flag\(s\) honorific"):
        flagged_words("entities_titles.txt", TITLE_FLAGS - {"honorific"})


def test_flags_give_the_sub_lists() -> None:
    lex = lexicon()
    assert {"Mr", "Dr", "Baroness"} <= lex.honorifics <= lex.titles
    assert lex.title_gender["Mrs"] == "f" and lex.title_gender["Lord"] == "m" and "Dr" not in lex.title_gender
    assert lex.knighthood_titles == {"Sir", "Dame"}
    assert {"ltd", "plc"} <= lex.legal_suffixes_cf < lex.org_suffixes_cf and "group" not in lex.legal_suffixes_cf
    assert lex.name_extenders < lex.trailing_org_words and {"company", "group"} <= lex.trailing_org_words
    assert "Greens" in lex.party_heads and "Foods" not in lex.party_heads
    assert {"jr", "sr"} <= lex.generational_cf <= lex.honours_cf
    assert "administration" in lex.leader_heads <= lex.collective_heads


def test_every_list_file_is_read_by_the_code() -> None:
    """A list file nothing names is dead data: each must appear in the package's Python source."""
    source = "\n".join(p.read_text("utf-8") for p in Path(actorgraph.__file__).parent.rglob("*.py"))
    unread = [p.name for p in PATTERNS.glob("*.txt") if f'"{p.name}"' not in source]
    assert unread == []


def test_plain_lists_keep_their_case() -> None:
    assert "MPs" in word_list("entities_member_titles.txt") and "peer" in word_list("entities_member_titles.txt")
