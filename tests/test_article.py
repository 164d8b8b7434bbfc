"""`wargame check DIR --article FILE`: every card's source must be a quote of the article."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wargame.article import normalised, read_article, unquoted_cards
from wargame.cli import main
from wargame.errors import UserError
from wargame.scenario import load_scenario

from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
ARTICLE = FIXTURES / "article.txt"
DECK = FIXTURES / "quoted-deck"


@pytest.fixture
def deck(tmp_path):
    dst = tmp_path / "deck"
    shutil.copytree(DECK, dst)
    return dst


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_fixture_deck_quotes_the_fixture_article(capsys):
    assert main(["check", str(DECK), "--article", str(ARTICLE)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"ok: {DECK}") and err == ""


@pytest.mark.parametrize("text, quote", [
    ('declared intentions to "normalize" their\ndiplomatic', "declared intentions to “normalize” their diplomatic"),
    ("NATO's withdrawal", "NATO’s withdrawal"),
    ("‘tempered optimism’, though", "tempered optimism, though"),
    ("THIS ANNOUNCEMENT has been", "this announcement has been"),
    ("to assume   a mediating", "to assume a mediating"),
])
def test_whitespace_quote_marks_and_case_are_ignored(text, quote):
    assert normalised(quote) in normalised(text)


def test_a_changed_word_is_not_a_quote():
    assert normalised("has been received with great optimism") not in normalised(ARTICLE.read_text())


def test_every_unquoted_card_is_named_with_its_file(deck, capsys):
    replace_in(deck / "events.toml", "received with cautious optimism", "received with great optimism")
    replace_in(deck / "concessions.toml", "will refrain from further eastward", "will refrain from any eastward")
    replace_in(deck / "msel.toml", "European leaders have conveyed", "European leaders have said")
    assert main(["check", str(deck), "--article", str(ARTICLE)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"{deck}: 3 problem(s)"
    assert lines[1:] == [
        f'  {deck / "events.toml"}: event "cautious-optimism": source not found in the article: '
        '"This announcement has been received with great optimism"',
        f'  {deck / "concessions.toml"}: concession "nato-eastward-freeze": source not found in the article: '
        '"the assurance that NATO will refrain from any eastward movem…"',
        f'  {deck / "msel.toml"}: inject "european-tempered-optimism": source not found in the article: '
        '"European leaders have said tempered optimism, though they al…"',
    ]


def test_an_inject_without_a_source_is_not_reported_but_a_card_without_one_is(deck):
    replace_in(deck / "msel.toml", 'source = "European leaders have conveyed tempered optimism, though they also '
               'stress the necessity of sustaining robust support for Ukraine"', "")
    replace_in(deck / "events.toml", 'source = "This announcement has been received with cautious optimism"',
               'source = " "')
    assert unquoted_cards(load_scenario(deck), ARTICLE.read_text()) == [
        f'{deck / "events.toml"}: event "cautious-optimism": no source quote (field source)',
    ]


def test_json_output_lists_the_unquoted_cards(deck, capsys):
    replace_in(deck / "events.toml", "received with cautious optimism", "received with great optimism")
    assert main(["check", str(deck), "--article", str(ARTICLE), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False and len(result["errors"]) == 1
    assert 'event "cautious-optimism"' in result["errors"][0]


def test_without_article_the_sources_are_not_checked(deck, capsys):
    replace_in(deck / "events.toml", "received with cautious optimism", "received with great optimism")
    assert main(["check", str(deck)]) == 0


def test_a_broken_deck_reports_its_own_problems_not_the_article(deck, capsys):
    replace_in(deck / "events.toml", 'title = "Washington and Moscow announce talks"', "title = 7")
    assert main(["check", str(deck), "--article", str(ARTICLE)]) == 1
    err = capsys.readouterr().err
    assert "events.toml" in err and "not found in the article" not in err


def _not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Zelensky a déclaré".encode("latin-1"))
    return path


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp / "missing.txt", "no such file"),
    (lambda tmp: tmp, "is a folder, not a text file"),
    (_not_utf8, "not UTF-8 text (byte 12)"),
    (lambda tmp: ARTICLE / "inside-a-file.txt", "cannot be read (Not a directory)"),
    (lambda tmp: tmp / ("x" * 300), "cannot be read (File name too long)"),
    (lambda tmp: Path("/dev/null"), "not a regular file"),
])
def test_a_bad_article_path_gets_one_line_and_exit_1(tmp_path, capsys, make, message):
    path = make(tmp_path)
    assert main(["check", str(DECK), "--article", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == f"wargame: --article {path}: {message}\n"


def test_an_unreadable_article_gets_one_line(tmp_path, monkeypatch):
    path = tmp_path / "article.txt"
    path.write_text("text")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refuse)  # chmod 000 does not stop root, who runs CI here
    with pytest.raises(UserError, match=r"^--article .*: cannot be read \(permission denied\)$"):
        read_article(path)
