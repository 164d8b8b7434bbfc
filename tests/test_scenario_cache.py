"""The cache of checked scenarios: used when the decks are unchanged, never trusted beyond that."""

from __future__ import annotations

import json
import os
import pickle
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


def count_reads(monkeypatch):
    """The folders whose decks are read from here on (the decks are still read)."""
    reads = []
    real = scenario_module._read_scenario
    monkeypatch.setattr(scenario_module, "_read_scenario", lambda folder: reads.append(folder) or real(folder))
    return reads


def test_the_cache_is_json_data(cache, decks):
    first = load_scenario(decks)
    document = json.loads(cache_file(cache, decks).read_text(encoding="utf-8"))
    assert document["format"] == scenario_cache.FORMAT
    assert document["scenario"]["id"] == first.id and len(document["scenario"]["events"]) == len(first.events)


@pytest.mark.parametrize("damage", [
    pytest.param(lambda data: b"not json at all", id="garbage"),
    pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
    pytest.param(lambda data: b"", id="empty"),
    pytest.param(lambda data: b"[1, 2, 3]", id="not a table"),
    pytest.param(lambda data: data.replace(b'"format":1', b'"format":2'), id="another format"),
    pytest.param(lambda data: data.replace(b'"title":', b'"titel":', 1), id="an unknown key"),
    pytest.param(lambda data: data.replace(b'"rounds":', b'"rounds":"8","x":', 1), id="a wrong type"),
    pytest.param(lambda data: data.replace(b'"target":"diplomacy"', b'"target":"bogus"', 1), id="a bad reference"),
    pytest.param(lambda data: b"[" * 100_000, id="deeply nested"),
])
def test_a_damaged_cache_file_is_ignored_and_replaced(cache, decks, monkeypatch, damage):
    first = load_scenario(decks)
    path = cache_file(cache, decks)
    good = path.read_bytes()
    damaged = damage(good)
    assert damaged != good
    path.write_bytes(damaged)
    reads = count_reads(monkeypatch)
    assert load_scenario(decks) == first
    assert reads == [decks]
    assert path.read_bytes() == good


class _Plant:
    """Unpickling this makes the folder `marker`: code that a pickle cache would have run."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


@pytest.mark.parametrize("suffix", [scenario_cache.SUFFIX, ".scenario.pickle"])
def test_a_planted_pickle_is_never_run(cache, decks, monkeypatch, tmp_path, suffix):
    payload = pickle.dumps(_Plant(tmp_path / "ran"))
    pickle.loads(pickle.dumps(_Plant(tmp_path / "would-run")))  # the payload is live...
    assert (tmp_path / "would-run").is_dir()
    cache.mkdir(mode=0o700)
    path = cache / (scenario_cache.key(decks, DECK_FILES) + suffix)
    path.write_bytes(payload)
    os.chmod(path, 0o644)
    reads = count_reads(monkeypatch)
    assert load_scenario(decks).id
    assert not (tmp_path / "ran").exists()  # ...and loading a game never ran it
    assert reads == [decks]


def test_a_symlink_in_the_cache_is_not_followed(cache, decks, monkeypatch, tmp_path):
    load_scenario(decks)
    path = cache_file(cache, decks)
    elsewhere = tmp_path / "elsewhere.json"
    shutil.copy(path, elsewhere)
    path.unlink()
    path.symlink_to(elsewhere)
    reads = count_reads(monkeypatch)
    assert load_scenario(decks).id
    assert reads == [decks]


def test_a_fifo_in_the_cache_does_not_block(cache, decks, monkeypatch):
    load_scenario(decks)
    path = cache_file(cache, decks)
    path.unlink()
    os.mkfifo(path)
    reads = count_reads(monkeypatch)
    assert load_scenario(decks).id
    assert reads == [decks]


def test_a_cache_file_others_may_write_is_not_trusted(cache, decks, monkeypatch):
    load_scenario(decks)
    path = cache_file(cache, decks)
    os.chmod(path, 0o666)
    reads = count_reads(monkeypatch)
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
    reads = count_reads(monkeypatch)
    assert main(["check", str(decks)]) == 0
    assert reads == [decks]


def test_only_the_newest_files_are_kept(cache, decks):
    events = decks / "events.toml"
    for i in range(scenario_cache.KEEP + 3):
        events.write_text(events.read_text() + f"\n# edit {i}\n")
        load_scenario(decks)
    assert len(list(cache.glob("*" + scenario_cache.SUFFIX))) == scenario_cache.KEEP
