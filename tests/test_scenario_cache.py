"""The cache of checked scenarios: used when the decks are unchanged, never trusted beyond that."""

from __future__ import annotations

import os
import shutil

import pytest

from wargame import scenario as scenario_module
from wargame import scenario_cache
from wargame.cli import main
from wargame.scenario import REQUIRED_FILES, OPTIONAL_FILES, ScenarioError, load_scenario

from conftest import DECKS

DECK_FILES = REQUIRED_FILES + OPTIONAL_FILES


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("WARGAME_CACHE", str(folder))
    return folder


@pytest.fixture
def decks(tmp_path):
    dst = tmp_path / "decks"
    shutil.copytree(DECKS, dst)
    return dst


def decks_not_read(monkeypatch):
    """From here on, reading the decks fails the test: a load must come from the cache."""
    def refuse(folder):
        raise AssertionError(f"the decks in {folder} were read")
    monkeypatch.setattr(scenario_module, "_read_scenario", refuse)


def cache_file(cache, decks):
    return cache / (scenario_cache.key(decks, DECK_FILES) + scenario_cache.SUFFIX)


def test_an_unchanged_scenario_comes_from_the_cache(cache, decks, monkeypatch):
    first = load_scenario(decks)
    assert cache_file(cache, decks).is_file()
    decks_not_read(monkeypatch)
    again = load_scenario(decks)
    assert again == first and again.path == first.path == str(decks)
    assert again.concession(first.concessions[0].id) == first.concessions[0]  # the lookups came along


def test_an_edited_deck_is_read_again(cache, decks):
    first = load_scenario(decks)
    card = first.events[0]
    events = decks / "events.toml"
    events.write_text(events.read_text().replace(f'title = "{card.title}"', 'title = "A new title"', 1))
    assert load_scenario(decks).event(card.id).title == "A new title"
    assert len(list(cache.glob("*" + scenario_cache.SUFFIX))) == 2


def test_errors_are_never_cached(cache, decks):
    events = decks / "events.toml"
    events.write_text(events.read_text().replace("title =", "titel =", 1))
    for _ in range(2):
        with pytest.raises(ScenarioError) as info:
            load_scenario(decks)
        assert any("titel" in line for line in info.value.errors)
    assert not list(cache.glob("*" + scenario_cache.SUFFIX))


def test_a_damaged_cache_file_is_ignored_and_replaced(cache, decks):
    first = load_scenario(decks)
    path = cache_file(cache, decks)
    path.write_bytes(b"not a pickle at all")
    assert load_scenario(decks) == first
    assert path.read_bytes() != b"not a pickle at all"


def test_a_cache_file_others_may_write_is_not_trusted(cache, decks, monkeypatch):
    load_scenario(decks)
    path = cache_file(cache, decks)
    os.chmod(path, 0o666)
    reads = []
    real = scenario_module._read_scenario
    monkeypatch.setattr(scenario_module, "_read_scenario", lambda folder: reads.append(folder) or real(folder))
    load_scenario(decks)
    assert reads == [decks]


def test_the_cache_can_be_turned_off(tmp_path, decks, monkeypatch):
    monkeypatch.setenv("WARGAME_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    load_scenario(decks)
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_an_unwritable_cache_does_not_stop_a_game(tmp_path, decks, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("WARGAME_CACHE", str(blocker / "cache"))  # cannot be made: a file is in the way
    assert load_scenario(decks).id


def test_check_always_reads_the_decks(cache, decks, monkeypatch, capsys):
    load_scenario(decks)
    reads = []
    real = scenario_module._read_scenario
    monkeypatch.setattr(scenario_module, "_read_scenario", lambda folder: reads.append(folder) or real(folder))
    assert main(["check", str(decks)]) == 0
    assert reads == [decks]


def test_only_the_newest_files_are_kept(cache, decks):
    events = decks / "events.toml"
    for i in range(scenario_cache.KEEP + 3):
        events.write_text(events.read_text() + f"\n# edit {i}\n")
        load_scenario(decks)
    assert len(list(cache.glob("*" + scenario_cache.SUFFIX))) == scenario_cache.KEEP
