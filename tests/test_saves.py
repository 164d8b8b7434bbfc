"""Saves: a game saved at any point loads to the same state and plays on identically;
damaged, edited, future and foreign files are refused and never touched; writes are atomic.

Random games are driven by a seeded `random.Random` here in the test only (the engine
itself draws from the game's generator); every move goes through `apply_action`.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
import tomli_w
import tomllib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame import cli, saves
from wargame.bots import choose
from wargame.convert import converter
from wargame.engine import IllegalAction, apply_action, current_actor, legal_actions, make_setup, new_game
from wargame.engine.rounds import due_injects
from wargame.errors import UserError
from wargame.model import Action, Adjudicate, FireInject, PostponeInject, SkipInject, Choice, GameState, Note, CounterOffer, Proposal, ViolationPending
from wargame.saves import SaveError
from wargame.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "decks"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

texts = st.lists(st.text(max_size=40), min_size=1, max_size=4)


# --- driving random games (test-side randomness only) -------------------------------------


def facilitator_action(state: GameState, rnd: random.Random, text: str) -> Action:
    """A random facilitator move; it may turn out illegal (the caller falls back)."""
    text = text.strip() or "the room agrees"
    kinds = ["note", "adjudicate"]
    due = due_injects(state)
    if due:
        kinds += ["fire_inject", "skip_inject", "postpone_inject"]
    kind = rnd.choice(kinds)
    if kind == "note":
        return Note(text=text)
    if kind == "adjudicate":
        target = rnd.choice([*state.tracks, *state.meters, "monitoring"])
        top = 5 if target == "monitoring" else 10
        # lean towards a ceasefire in effect, so violations (and their responses) come up
        value = top if target == "ceasefire" and rnd.random() < 0.7 else rnd.randint(0, top)
        return Adjudicate(target=target, value=value, text=text)
    return {"fire_inject": FireInject, "skip_inject": SkipInject, "postpone_inject": PostponeInject}[kind](inject=rnd.choice(due), text=text)


def random_action(state: GameState, rnd: random.Random, texts: list[str]) -> Action:
    text = rnd.choice(texts)
    if rnd.random() < 0.12:
        action = facilitator_action(state, rnd, text)
        try:
            apply_action(state, action)
            return action
        except IllegalAction:
            pass
    who = current_actor(state)
    return attrs.evolve(rnd.choice(legal_actions(state, who)), text=text)


def drive(state: GameState, rnd: random.Random, texts: list[str], steps: int) -> GameState:
    for _ in range(steps):
        if state.over:
            break
        state = apply_action(state, random_action(state, rnd, texts))
    return state


def random_game(scenario, seed, rounds, team, facilitated, choice_seed, steps, texts):
    humans = {"ukr": team} if team is not None else {}
    state = new_game(scenario, make_setup(scenario, seed=seed, rounds=rounds, humans=humans, facilitated=facilitated))
    return drive(state, random.Random(choice_seed), texts, steps)


@pytest.fixture(scope="module")
def mid_game(scenario):
    """A facilitated game in round 2 or later, with a note, an adjudication and typed rationales."""
    texts = ['why "not"?', "Київ\nsecond line", ""]
    for choice_seed in range(100):
        rnd = random.Random(choice_seed)
        state = new_game(scenario, make_setup(scenario, seed=7, rounds=6, humans={"ukr": "Team Kyiv"}, facilitated=True))
        state = apply_action(state, Note(text="Київ\nsecond line"))
        while not state.over and state.round < 2:
            state = drive(state, rnd, texts, 1)
        if state.over:
            continue
        state = apply_action(state, Adjudicate(target="monitoring", value=2, text='why "not"?'))
        state = drive(state, rnd, texts, 3)
        if not state.over:
            return state
    raise AssertionError("no suitable game found")


def save_file(state, folder: Path, name="lunch", game_id="g1") -> Path:
    return saves.save_game(state, folder, game_id=game_id, name=name)


def refused_untouched(path: Path, *needles: str) -> SaveError:
    """Load must raise SaveError naming the file, and leave its bytes and mtime as they were."""
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    with pytest.raises(SaveError) as info:
        saves.load_save(path)
    assert str(path) in str(info.value)
    for needle in needles:
        assert needle in str(info.value)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    result = saves.check_save(path)
    assert result["ok"] is False and result["errors"]
    assert path.read_bytes() == before
    return info.value


# --- round trip and continuation ----------------------------------------------------------


@SETTINGS
@given(
    seed=st.integers(0, 2**64),
    rounds=st.integers(1, 6),
    steps=st.integers(0, 70),
    more=st.integers(0, 40),
    choice_seed=st.integers(0, 2**32),
    facilitated=st.booleans(),
    team=st.none() | st.text(max_size=15),
    texts=texts,
)
def test_save_load_gives_equal_state_and_play_continues_identically(scenario, seed, rounds, steps, more, choice_seed, facilitated, team, texts):
    state = random_game(scenario, seed, rounds, team, facilitated, choice_seed, steps, texts)
    with tempfile.TemporaryDirectory() as tmp:
        path = saves.write_save(state, Path(tmp) / "game.toml", game_id="prop", name=team)
        loaded = saves.load_save(path)
        assert loaded.state == state
        assert loaded.state.scenario == scenario
        assert loaded.game_id == "prop"

        rnd = random.Random(choice_seed + 1)
        a, b = state, loaded.state
        for _ in range(more):
            if a.over:
                break
            action = random_action(a, rnd, texts)
            a, b = apply_action(a, action), apply_action(b, action)
            assert a == b
        assert b.over == a.over
        if not a.over:
            who = current_actor(a)
            assert legal_actions(a, who) == legal_actions(b, who)

        # saving the continued copy again loads to the same game (nothing lost on a second trip)
        again = saves.load_save(saves.write_save(b, path, game_id="prop"))
        assert again.state == a


def test_every_kind_of_pending_decision_round_trips(scenario, tmp_path):
    """The union Proposal | CounterOffer | Choice | ViolationPending is saved as a tagged table and read back as the same class."""
    found: dict[type, GameState] = {}
    for choice_seed in range(400):
        rnd = random.Random(choice_seed)
        state = new_game(scenario, make_setup(scenario, seed=choice_seed, rounds=8))
        while not state.over and len(found) < 4:
            if state.pending is not None and type(state.pending) not in found:
                found[type(state.pending)] = state
            # half the moves the bots' (they keep a ceasefire long enough for violations), half random
            move = choose(state, current_actor(state)) if rnd.random() < 0.5 else random_action(state, rnd, ["r"])
            state = apply_action(state, move)
        if len(found) == 4:
            break
    assert set(found) == {Proposal, CounterOffer, Choice, ViolationPending}
    for cls, state in found.items():
        path = saves.write_save(state, tmp_path / f"{cls.__name__}.toml", game_id="pend")
        doc = tomllib.loads(path.read_text("utf-8"))
        assert doc["snapshot"]["pending"]["kind"] == {Proposal: "proposal", CounterOffer: "counter", Choice: "choice", ViolationPending: "violation"}[cls]
        loaded = saves.load_save(path).state
        assert type(loaded.pending) is cls and loaded == state
        # the one converter, built with these hooks, serves anyone who unstructures a state
        raw = converter.unstructure(state)
        assert "scenario" not in raw
        assert converter.structure(raw, GameState) == state
        table = saves.state_table(state)
        assert saves.state_from(table, state.setup, state.actions, state.scenario, log=state.log) == state


def test_file_layout(mid_game, tmp_path):
    """format_version first, the header, then [setup], [[actions]], [snapshot], [scenario]; no null anywhere."""
    path = save_file(mid_game, tmp_path)
    text = path.read_text("utf-8")
    assert text.startswith(f"format_version = {saves.FORMAT_VERSION}\n")
    order = [text.index(marker) for marker in ("\nintegrity = ", "\n[setup]\n", "\n[[actions]]\n", "\n[snapshot]\n", "\n[scenario]\n")]
    assert order == sorted(order)
    doc = tomllib.loads(text)
    assert doc["integrity"] == saves.integrity_of(doc)
    assert doc["game_id"] == "g1" and doc["name"] == "lunch"
    assert doc["setup"]["seed"] == 7 and doc["setup"]["humans"] == {"ukr": "Team Kyiv"} and doc["setup"]["facilitated"] is True
    assert len(doc["actions"]) == len(mid_game.actions)
    notes = [a for a in doc["actions"] if a["kind"] == "note"]
    assert notes and all("delegation" not in a for a in notes)  # None is left out, not written
    assert {"Київ\nsecond line", 'why "not"?'} & {a["text"] for a in doc["actions"]}
    assert doc["snapshot"]["round"] == mid_game.round
    assert doc["scenario"]["id"] == mid_game.scenario.id
    assert len(doc["scenario"]["concessions"]) == len(mid_game.scenario.concessions)
    created = datetime.fromisoformat(doc["created"])
    assert created.tzinfo is not None and abs(datetime.now(timezone.utc) - created) < timedelta(minutes=5)


def test_huge_seed_and_lone_surrogate_still_save(scenario, tmp_path):
    """TOML integers stop at 2**63 - 1 and files are UTF-8; neither may make a save fail."""
    state = new_game(scenario, make_setup(scenario, seed=2**70 + 3, rounds=3))
    state = apply_action(state, attrs.evolve(legal_actions(state, current_actor(state))[-1], text="bad paste \ud800 here"))
    loaded = saves.load_save(saves.write_save(state, tmp_path / "odd.toml", game_id="odd")).state
    assert loaded.setup.seed == 2**70 + 3
    assert loaded.actions[-1].text == "bad paste \ufffd here"
    assert loaded.tracks == state.tracks and loaded.rng == state.rng


# --- refusals -----------------------------------------------------------------------------


def test_the_round_clock_setting_travels_with_the_save(mid_game, tmp_path):
    plain = saves.write_save(mid_game, tmp_path / "plain.toml", game_id="clock")
    assert "clock_minutes" not in plain.read_text() and saves.load_save(plain).clock_minutes == 0
    timed = saves.autosave(mid_game, tmp_path, game_id="clock", clock_minutes=15)
    assert saves.load_save(timed).clock_minutes == 15
    with pytest.raises(saves.SaveError, match="round clock"):
        saves.write_save(mid_game, tmp_path / "bad.toml", game_id="clock", clock_minutes=181)
    assert not (tmp_path / "bad.toml").exists()


def test_truncated_to_half_is_refused_and_unchanged(mid_game, tmp_path):
    path = save_file(mid_game, tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    refused_untouched(path)


@SETTINGS
@given(cut=st.floats(0.0, 1.0, exclude_max=True))
def test_any_truncation_is_refused(mid_game, tmp_path, cut):
    good = tmp_path / "good.toml"
    if not good.exists():
        save_file(mid_game, tmp_path, name="good")
    data = good.read_bytes()
    n = int(len(data) * cut)
    if data[:n].rstrip() == data.rstrip():  # only trailing whitespace lost: the same content
        return
    path = tmp_path / "cut.toml"
    path.write_bytes(data[:n])
    refused_untouched(path)


@SETTINGS
@given(pick=st.integers(0, 10**9))
def test_changing_any_one_digit_is_refused(mid_game, tmp_path, pick):
    good = tmp_path / "good.toml"
    if not good.exists():
        save_file(mid_game, tmp_path, name="good")
    text = good.read_text("utf-8")
    digits = [m.start() for m in re.finditer(r"\d", text)]
    i = digits[pick % len(digits)]
    tampered = text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1:]
    path = tmp_path / "tampered.toml"
    path.write_text(tampered, "utf-8")
    refused_untouched(path)


def test_changed_number_with_stale_hash_is_refused(mid_game, tmp_path):
    path = save_file(mid_game, tmp_path)
    text = path.read_text("utf-8")
    tampered = re.sub(r"(?m)^monitoring = (\d+)$", lambda m: f"monitoring = {(int(m.group(1)) + 1) % 6}", text, count=1)
    assert tampered != text
    path.write_text(tampered, "utf-8")
    refused_untouched(path, "integrity")


def rewrite(path: Path, change, fix_hash=True) -> None:
    doc = tomllib.loads(path.read_text("utf-8"))
    change(doc)
    if fix_hash:
        doc["integrity"] = saves.integrity_of(doc)
    path.write_text(tomli_w.dumps(doc), "utf-8")


@pytest.mark.parametrize(
    "what, change",
    [
        ("snapshot capital", lambda d: d["snapshot"]["capital"].update(usa=d["snapshot"]["capital"]["usa"] + 1)),
        ("snapshot track", lambda d: d["snapshot"]["tracks"].update(ceasefire=(d["snapshot"]["tracks"]["ceasefire"] + 1) % 11)),
        ("snapshot rng", lambda d: d["snapshot"].update(rng=hex(int(d["snapshot"]["rng"], 16) ^ 1))),
        ("header round", lambda d: d.update(round=d["round"] + 1)),
        ("an action", lambda d: d["actions"].pop(0)),
        ("the seed", lambda d: d["setup"].update(seed=d["setup"]["seed"] + 1)),
        ("a track's start", lambda d: d["scenario"]["tracks"][0].update(start=(d["scenario"]["tracks"][0]["start"] + 1) % 11)),
    ],
)
def test_tamper_with_fixed_hash_is_caught_by_replay(mid_game, tmp_path, what, change):
    path = save_file(mid_game, tmp_path)
    rewrite(path, change, fix_hash=True)
    error = refused_untouched(path)
    assert "integrity" not in error.problem
    assert "match" in error.problem or "replay" in error.problem


def test_same_edits_without_fixing_the_hash_fail_the_integrity_check(mid_game, tmp_path):
    path = save_file(mid_game, tmp_path)
    rewrite(path, lambda d: d["snapshot"]["capital"].update(usa=0), fix_hash=False)
    refused_untouched(path, "integrity check")


@pytest.mark.parametrize("fix_hash", [True, False])
def test_future_version_is_refused(mid_game, tmp_path, fix_hash):
    path = save_file(mid_game, tmp_path)
    rewrite(path, lambda d: d.update(format_version=saves.FORMAT_VERSION + 1), fix_hash=fix_hash)
    refused_untouched(path, "newer wargame", f"format {saves.FORMAT_VERSION + 1}")


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a"),
        (b'{"format_version": 1}', "TOML"),
        (b"[[[not toml", "TOML"),
        ("name = 'Київ'\n".encode(), "no format_version"),
        (b"format_version = 'one'\n", "invalid format_version"),
        (b"format_version = 1\n", "integrity"),
    ],
)
def test_foreign_files_are_refused_and_unchanged(tmp_path, content, needle):
    path = tmp_path / "x.toml"
    path.write_bytes(content)
    refused_untouched(path, needle)


def test_a_deck_file_is_not_a_save(tmp_path):
    path = tmp_path / "scenario.toml"
    shutil.copy(DECKS / "scenario.toml", path)
    refused_untouched(path, "not a wargame save")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SaveError, match="no such save file"):
        saves.load_save(tmp_path / "nope.toml")
    with pytest.raises(SaveError, match="is a folder"):
        saves.load_save(tmp_path)
    assert issubclass(SaveError, UserError)


def test_migration_table_upgrades_older_formats(mid_game, tmp_path, monkeypatch):
    """A file of an older format goes through MIGRATIONS (here: pretend this is the next format)."""
    path = save_file(mid_game, tmp_path)
    seen = []
    now = saves.FORMAT_VERSION

    def to_next(doc):
        seen.append(doc["format_version"])
        return doc

    monkeypatch.setattr(saves.verify, "FORMAT_VERSION", now + 1)
    monkeypatch.setattr(saves.verify, "MIGRATIONS", {**saves.MIGRATIONS, now: to_next})
    loaded = saves.load_save(path)
    assert seen == [now] and loaded.format_version == now + 1 and loaded.state == mid_game
    monkeypatch.setattr(saves.verify, "MIGRATIONS", {})
    refused_untouched(path, "can no longer read")


# --- the save carries its own scenario ----------------------------------------------------


def test_load_uses_the_saves_own_scenario_after_decks_change(tmp_path):
    decks = tmp_path / "decks"
    shutil.copytree(DECKS, decks)
    head = decks / "scenario.toml"
    head.write_text(re.sub(r'(?m)^title = ".*"$', 'title = "Edited for the Tuesday workshop"', head.read_text("utf-8"), count=1), "utf-8")
    scenario = load_scenario(decks)
    assert scenario.title == "Edited for the Tuesday workshop"
    state = random_game(scenario, 11, 5, "Team Kyiv", False, 3, 25, ["because"])
    path = save_file(state, tmp_path / "saves")

    # the decks are edited further, then broken, then removed
    (decks / "events.toml").write_text("this is [[ not toml", "utf-8")
    (decks / "concessions.toml").unlink()
    loaded = saves.load_save(path)
    shutil.rmtree(decks)
    again = saves.load_save(path)
    for got in (loaded, again):
        assert got.state == state
        assert got.state.scenario == scenario and got.state.scenario.title == "Edited for the Tuesday workshop"
    # and the game goes on from the save alone
    rnd = random.Random(5)
    a, b = state, again.state
    for _ in range(20):
        if a.over:
            break
        action = random_action(a, rnd, ["on"])
        a, b = apply_action(a, action), apply_action(b, action)
    assert a == b


# --- atomic writes ------------------------------------------------------------------------


def test_crash_between_temp_write_and_rename_keeps_the_old_save(mid_game, tmp_path, monkeypatch):
    folder = tmp_path / "saves"
    path = save_file(mid_game, folder)
    old = path.read_bytes()
    later = drive(mid_game, random.Random(1), ["later"], 10)
    assert later != mid_game

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(SaveError, match="cannot be written"):
        save_file(later, folder)
    assert path.read_bytes() == old
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # the temp file was removed

    # a hard crash leaves the temp file behind: it is never taken for a save
    monkeypatch.setattr(os, "unlink", lambda p: None)
    with pytest.raises(SaveError):
        save_file(later, folder)
    monkeypatch.undo()
    stray = [p for p in folder.iterdir() if p != path]
    assert len(stray) == 1 and stray[0].name.startswith(".") and stray[0].name.endswith(".tmp")
    assert path.read_bytes() == old
    assert saves.load_save(path).state == mid_game
    assert [i.path for i in saves.list_saves(folder)] == [path]
    with pytest.raises(SaveError):
        saves.resolve_save(stray[0].name, folder)


def test_write_creates_the_folder_and_replaces_atomically(mid_game, tmp_path):
    path = saves.write_save(mid_game, tmp_path / "a" / "b" / "game.toml", game_id="g1")
    assert saves.load_save(path).state == mid_game
    assert sorted(p.name for p in path.parent.iterdir()) == ["game.toml"]


# --- names, manual saves, autosaves -------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("../../etc/passwd", "etc-passwd"),
        ("..\\..\\windows\\system32", "windows-system32"),
        ("/absolute/path", "absolute-path"),
        (".hidden", "hidden"),
        ("Lunch break, day 1", "Lunch-break-day-1"),
        ("game.toml", "game"),
        ("a..b", "a.b"),
        ("Київ — раунд 3", "Київ-раунд-3"),
        ("CON", "save-CON"),
        ("x" * 300, "x" * saves.MAX_NAME_LENGTH),
    ],
)
def test_sanitize_name(raw, expected):
    assert saves.sanitize_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "..", "../..", "/", "\\", ".", "\x00\x01", "***", "..."])
def test_sanitize_refuses_names_with_nothing_left(raw):
    with pytest.raises(SaveError, match="letter or digit"):
        saves.sanitize_name(raw)


@given(raw=st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_sanitized_names_never_leave_the_saves_folder(raw):
    folder = Path("/tmp/saves-folder")
    try:
        name = saves.sanitize_name(raw)
    except SaveError:
        return
    assert name and len(name) <= saves.MAX_NAME_LENGTH
    assert not name.startswith(".") and ".." not in name
    assert not set(name) & set("/\\:\x00")
    path = folder / f"{name}.toml"
    assert path.parent == folder and os.path.normpath(path).startswith(str(folder) + os.sep)


def test_save_game_names_and_overwrites(mid_game, tmp_path):
    folder = tmp_path / "saves"
    first = saves.save_game(mid_game, folder, game_id="g1", name="../Lunch break")
    assert first == folder / "Lunch-break.toml"
    assert saves.load_save(first).name == "../Lunch break"  # the name as typed is kept for display
    created = saves.load_save(first).created
    later = drive(mid_game, random.Random(2), ["x"], 5)
    second = saves.save_game(later, folder, game_id="g1", name="Lunch break")
    assert second == first and saves.load_save(first).state == later
    assert saves.load_save(first).created == created  # same game: created kept, updated moves
    with pytest.raises(SaveError, match="another game"):
        saves.save_game(later, folder, game_id="other", name="Lunch break!")  # the same file name
    unnamed = saves.save_game(later, folder, game_id="g1")
    assert unnamed.name == "save-g1.toml"
    (folder / "junk.toml").write_text("not a save", "utf-8")
    with pytest.raises(SaveError, match="not a readable save"):
        saves.save_game(later, folder, game_id="g1", name="junk")
    assert (folder / "junk.toml").read_text("utf-8") == "not a save"
    with pytest.raises(SaveError, match="invalid game id"):
        saves.save_game(later, folder, game_id="../x", name="fine")


def test_autosave_keeps_the_last_three_per_game(mid_game, tmp_path):
    folder = tmp_path / "saves"
    state = mid_game
    other = saves.autosave(mid_game, folder, game_id="other")
    written, states = [], []
    for i in range(5):
        written.append(saves.autosave(state, folder, game_id="g1"))
        states.append(state)
        state = drive(state, random.Random(i), ["auto"], 3)
    assert [p.name for p in written] == [f"autosave-g1-r{s.round}-{i + 1}.toml" for i, s in enumerate(states)]
    kept = sorted(p for p in folder.iterdir() if p.name.startswith("autosave-g1-"))
    assert kept == sorted(written[-3:])
    assert [saves.load_save(p).state for p in written[-3:]] == states[-3:]
    assert other.exists()
    assert len({saves.load_save(p).created for p in written[-3:]}) == 1  # one game, one creation time


# --- listing, resolving, checking ---------------------------------------------------------


def test_list_saves_newest_first_with_damaged_files(mid_game, scenario, tmp_path):
    folder = tmp_path / "saves"
    t0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
    saves.write_save(mid_game, folder / "old.toml", game_id="g1", name="Old one", updated=t0)
    over = drive(mid_game, random.Random(0), ["go"], 500)
    assert over.over
    saves.write_save(over, folder / "new.toml", game_id="g2", name="New one", updated=t0 + timedelta(hours=2))
    (folder / "broken.toml").write_bytes(b"\x00\xff garbage")
    os.utime(folder / "broken.toml", (t0.timestamp() + 3600, t0.timestamp() + 3600))
    (folder / ".new.toml.abc.tmp").write_text("half a save", "utf-8")
    (folder / "notes.txt").write_text("not a save", "utf-8")

    infos = saves.list_saves(folder)
    assert [i.path.name for i in infos] == ["new.toml", "broken.toml", "old.toml"]
    new, broken, old = infos
    assert broken.damaged and "UTF-8" in broken.problem
    assert not new.damaged and new.name == "New one" and new.outcome == over.outcome and new.round == over.round
    assert old.round == mid_game.round and old.outcome is None and old.game_id == "g1"
    assert old.scenario_title == scenario.title and old.scenario_id == scenario.id
    assert "Ukraine: Team Kyiv" in old.teams and any("bot (" in t for t in old.teams)
    assert saves.list_saves(tmp_path / "missing") == []

    # a quick listing reads headers only; verify=True also catches a save cut short after its header
    data = (folder / "old.toml").read_bytes()
    (folder / "old.toml").write_bytes(data[: len(data) // 2])
    assert not saves.read_info(folder / "old.toml").damaged
    assert saves.read_info(folder / "old.toml", verify=True).damaged


def test_resolve_save(mid_game, tmp_path):
    folder = tmp_path / "saves"
    path = saves.save_game(mid_game, folder, game_id="abc42", name="Lunch break")
    assert saves.resolve_save(str(path), tmp_path) == path
    assert saves.resolve_save("Lunch-break", folder) == path
    assert saves.resolve_save("Lunch-break.toml", folder) == path
    assert saves.resolve_save("Lunch break", folder) == path
    assert saves.resolve_save("abc42", folder) == path
    for bad in ("nothing", "../saves/Lunch-break", ""):
        with pytest.raises(SaveError, match="no such save"):
            saves.resolve_save(bad, folder)


def test_check_save_result(mid_game, tmp_path):
    path = save_file(mid_game, tmp_path)
    result = saves.check_save(path)
    assert result["ok"] is True and result["errors"] == [] and result["save"] == str(path)
    assert result["round"] == mid_game.round and result["outcome"] is None
    assert result["counts"] == {"actions": len(mid_game.actions)}
    json.dumps(result)


def test_cmd_saves_prints_a_table(mid_game, tmp_path, capsys):
    folder = tmp_path / "saves"
    assert cli.main(["saves", "--saves-dir", str(folder)]) == 0
    assert capsys.readouterr().out.strip() == f"No saves in {folder}"
    t0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
    saves.write_save(mid_game, folder / "first.toml", game_id="g1", updated=t0)
    saves.write_save(mid_game, folder / "second.toml", game_id="g2", updated=t0 + timedelta(minutes=1))
    assert cli.main(["--saves-dir", str(folder), "saves"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[2:]] == ["second", "first"]
    assert all("Ukraine: Team Kyiv + 4 bots" in line and mid_game.scenario.title[:20] in line for line in lines[2:])


def test_the_header_lists_human_teams_as_data(mid_game, tmp_path):
    path = save_file(mid_game, tmp_path)
    header = tomllib.loads(path.read_text("utf-8"))
    assert header["human_teams"] == [["Ukraine", "Team Kyiv"]]
    info = saves.read_info(path)
    assert info.human_teams == (("Ukraine", "Team Kyiv"),) and len(info.teams) == 5
    assert saves.folder.teams_cell(len(info.teams), info.human_teams) == "Ukraine: Team Kyiv + 4 bots"


def test_a_team_named_like_a_bot_is_listed_as_a_team(scenario, tmp_path):
    """The listing reads the header's data: no team name can pass for a bot's entry."""
    state = new_game(scenario, make_setup(scenario, seed=3, humans={"rus": "x: bot (hawk)", "usa": "DC"}))
    path = saves.write_save(state, tmp_path / "odd.toml", game_id="odd")
    info = saves.read_info(path)
    assert info.human_teams == (("United States", "DC"), ("Russia", "x: bot (hawk)"))
    assert saves.folder.teams_cell(len(info.teams), info.human_teams) == "United States: DC, Russia: x: bot (hawk) + 3 bots"
    assert saves.load_save(path).state == state


def test_a_save_from_before_human_teams_lists_them_from_its_setup_and_loads(mid_game, tmp_path):
    path = save_file(mid_game, tmp_path)
    rewrite(path, lambda d: d.pop("human_teams"), fix_hash=True)
    assert "human_teams" not in path.read_text("utf-8")
    for verify in (False, True):
        info = saves.read_info(path, verify=verify)
        assert not info.damaged and info.human_teams == (("Ukraine", "Team Kyiv"),)
    assert saves.load_save(path).state == mid_game
    bots_only = tmp_path / "v2.toml"
    shutil.copy(ROOT / "tests" / "fixtures" / "saves" / "v2-mid-game.toml", bots_only)
    info = saves.read_info(bots_only)
    assert info.human_teams is not None and len(info.teams) == 5
    assert saves.folder.teams_cell(5, ()) == "bots only (5)" and saves.folder.teams_cell(5, None) == "5 delegations"


def test_edited_human_teams_are_caught_by_the_replay(mid_game, tmp_path):
    path = save_file(mid_game, tmp_path)
    rewrite(path, lambda d: d.update(human_teams=[["Ukraine", "Team Lviv"]]), fix_hash=True)
    error = refused_untouched(path)
    assert "human_teams" in error.problem and "replay" in error.problem


# --- the command line, as a user runs it --------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True, text=True, timeout=120)


def test_cli_check_accepts_a_good_save_and_refuses_a_damaged_one(mid_game, tmp_path):
    good = save_file(mid_game, tmp_path, name="good")
    bad = tmp_path / "bad.toml"
    data = good.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    tampered = tmp_path / "tampered.toml"
    tampered.write_text(re.sub(r"(?m)^round = (\d+)$", lambda m: f"round = {int(m.group(1)) + 1}", good.read_text("utf-8"), count=1), "utf-8")
    before = {p: p.read_bytes() for p in (bad, tampered)}

    ok = run_cli("check", str(good))
    assert ok.returncode == 0, ok.stderr
    assert f"ok: {good}" in ok.stdout

    result = run_cli("check", "--json", str(bad), str(tampered))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["ok"] for r in lines] == [False, False]
    assert "integrity" in lines[1]["errors"][0]
    assert {p: p.read_bytes() for p in (bad, tampered)} == before


def test_cli_saves_lists_newest_first(mid_game, tmp_path):
    folder = tmp_path / "saves"
    t0 = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
    saves.write_save(mid_game, folder / "older.toml", game_id="g1", updated=t0)
    saves.write_save(mid_game, folder / "newer.toml", game_id="g2", updated=t0 + timedelta(days=1))
    result = run_cli("saves", "--saves-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()[2:]] == ["newer", "older"]


# --- a forged file (hash recomputed) never crashes the loader ------------------------------

toml_values = st.recursive(
    st.integers(-(2**63), 2**63 - 1) | st.text(max_size=10) | st.booleans() | st.floats(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


@SETTINGS
@given(steps=st.lists(st.integers(0, 10**6), min_size=1, max_size=6), value=toml_values, delete=st.booleans())
def test_forged_structure_gives_save_error_never_a_crash(mid_game, tmp_path, steps, value, delete):
    good = tmp_path / "good.toml"
    if not good.exists():
        save_file(mid_game, tmp_path, name="good")
    doc = tomllib.loads(good.read_text("utf-8"))
    node = doc
    for i, step in enumerate(steps):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = keys[step % len(keys)]
        child = node[key]
        if i == len(steps) - 1 or not isinstance(child, (dict, list)) or not child:
            if delete and isinstance(node, dict):
                del node[key]
            else:
                node[key] = value
            break
        node = child
    try:
        doc["integrity"] = saves.integrity_of(doc)
    except ValueError:  # nan: leave the old hash
        pass
    path = tmp_path / "forged.toml"
    path.write_text(tomli_w.dumps(doc), "utf-8")
    before = path.read_bytes()
    try:
        saves.load_save(path)
    except SaveError as exc:
        assert str(path) in str(exc)
    assert path.read_bytes() == before
    saves.read_info(path)
    saves.read_info(path, verify=True)


def test_undone_actions_and_times_survive_a_save_and_load(scenario, tmp_path):
    """The record beside the action log (times, undone actions with the reason) is kept; replay ignores it."""
    from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game
    from wargame.model import Note
    from wargame.turnflow import TurnFlow

    ticks = iter(f"2026-03-01T10:{m:02d}:00Z" for m in range(60))
    flow = TurnFlow(new_game(scenario, make_setup(scenario, 3, facilitated=True, rounds=3)), clock=lambda: next(ticks))
    while flow.state.round < 2:
        assert not isinstance(flow.apply(legal_actions(flow.state, current_actor(flow.state))[0]), str)
    assert not isinstance(flow.apply(Note("a note to take back")), str)
    undone_action = flow.state.actions[-1]
    assert not isinstance(flow.undo("  typed by   mistake "), str)
    record = flow.state.record
    assert len(record.action_times) == len(flow.state.actions) and len(record.round_times) == flow.state.round == 2
    (undone,) = record.undone
    assert (undone.index, undone.action, undone.reason) == (len(flow.state.actions), undone_action, "typed by mistake")
    assert undone.taken_at < undone.at

    path = saves.save_game(flow.state, tmp_path, game_id="g1", name="record")
    loaded = saves.load_save(path)
    assert loaded.state == flow.state  # the live game is the same ...
    assert loaded.state.record == record  # ... and so is its record
    written = tomllib.loads(path.read_text(encoding="utf-8"))["record"]["undone"]  # in the file, not only in memory
    assert [u["reason"] for u in written] == ["typed by mistake"]
    assert apply_action(loaded.state, Note("x")).actions == [*flow.state.actions, Note("x")]


def test_a_forged_record_is_refused_and_the_file_kept(scenario, tmp_path):
    from wargame.engine import make_setup, new_game
    from wargame.model import GameRecord

    state = new_game(scenario, make_setup(scenario, 3, facilitated=True))
    state.record = GameRecord(action_times=("2026-03-01T10:00:00Z",))  # one time, no action
    path = saves.save_game(state, tmp_path, game_id="g2", name="forged")
    before = path.read_bytes()
    with pytest.raises(saves.SaveError, match="malformed record"):
        saves.load_save(path)
    assert path.read_bytes() == before
