"""Hostile saves and paths: forged, nested, dated, misplaced; each gets one clear line and exit 1,
and no file given as input is changed."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import tomli_w

from wargame import saves
from wargame.atomic import remove_stale_temp_files
from wargame.saves import signing

from .conftest import refused, run

LONG = "a" * 300


def _rewrite(path: Path, edit) -> Path:
    """Parse, edit, recompute the plain integrity hash (what a forger can do) and write back."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    doc["integrity"] = saves.integrity_of(doc)
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def _unplayed_concession(doc: dict) -> dict:
    played = {a.get("card") for a in doc["actions"]}
    return next(c for c in doc["scenario"]["concessions"] if c["id"] not in played and c.get("effects"))


# The first line of every save this version writes.
FIRST_LINE = f"format_version = {saves.FORMAT_VERSION}\n"


@pytest.mark.parametrize(
    "edit, needle",
    [
        (lambda text: text.replace(FIRST_LINE, FIRST_LINE + "when = 1979-05-27\n", 1), "TOML date"),
        (lambda text: text + "x = " + "[" * 5000 + "]" * 5000 + "\n", "nested far too deeply"),
        (lambda text: FIRST_LINE + "x = " + "[" * 5000 + "]" * 5000 + "\n", "nested far too deeply"),
        (lambda text: text.replace(FIRST_LINE, "format_version = 999999999999999999999\n", 1), "newer wargame"),
        (lambda text: text[: len(text) // 2], "save"),
    ],
    ids=["date", "deep-tail", "deep-head", "huge-version", "cut-short"],
)
@pytest.mark.parametrize("command", ["check", "report", "load"])
def test_a_malformed_save_gets_one_line(capsys, save, edit, needle, command):
    save.write_text(edit(save.read_text(encoding="utf-8")), encoding="utf-8")
    refused(capsys, command, str(save), needle=needle, keep=(save,))


@pytest.mark.parametrize("command", ["check", "report", "load"])
def test_an_embedded_scenario_goes_through_the_deck_checks(capsys, save, command):
    _rewrite(save, lambda doc: _unplayed_concession(doc)["effects"][0].update(target="bogus"))
    refused(capsys, command, str(save), needle="unknown target 'bogus'", keep=(save,))


def test_a_deck_number_out_of_range_in_a_save_is_refused(capsys, save):
    _rewrite(save, lambda doc: _unplayed_concession(doc).update(cost=999999999999999999999))
    refused(capsys, "check", str(save), needle="must be between 0 and 99", keep=(save,))


def test_a_forged_card_no_longer_passes_as_signed(capsys, save):
    assert saves.load_save(save).signed
    _rewrite(save, lambda doc: _unplayed_concession(doc)["effects"][0].update(delta=3))
    loaded = saves.load_save(save)  # it replays consistently: only the signature can tell
    assert not loaded.signed
    code, out, _ = run(capsys, "check", str(save))
    assert code == 0 and "not signed here" in out and "cannot be vouched for" in out
    result = saves.check_save(save)
    assert result["signed"] is False


def test_a_stripped_signature_is_not_signed_here(save):
    _rewrite(save, lambda doc: doc.pop("signature"))
    assert not saves.load_save(save).signed


def test_a_save_from_another_installation_loads_not_signed_here(save, tmp_path, monkeypatch):
    here = saves.load_save(save)
    assert here.signed
    monkeypatch.setenv(signing.DATA_ENV, str(tmp_path / "other-laptop"))
    there = saves.load_save(save)
    assert not there.signed and there.state == here.state


def test_the_key_is_made_on_first_use_private_and_kept(finished, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv(signing.DATA_ENV, str(data))
    assert signing.installation_key(create=False) is None
    path = saves.write_save(finished, tmp_path / "a.toml", game_id="key")
    key_file = data / signing.KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    first = key_file.read_bytes()
    saves.write_save(finished, tmp_path / "b.toml", game_id="key")
    assert key_file.read_bytes() == first and saves.load_save(path).signed
    assert [p.name for p in data.iterdir()] == [signing.KEY_FILE]  # no temp file left


# --- report --output never clobbers --------------------------------------------------------


def test_report_output_refuses_saves_symlinks_and_specials(capsys, save, tmp_path):
    other = saves.write_save(saves.load_save(save).state, tmp_path / "other.toml", game_id="other")
    damaged = tmp_path / "damaged.toml"
    damaged.write_text(save.read_text(encoding="utf-8")[:200], encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(other)
    refused(capsys, "report", str(save), "--output", str(save), needle="is a saved game", keep=(save,))
    refused(capsys, "report", str(save), "--output", str(other), "--force", needle="is a saved game", keep=(other,))
    refused(capsys, "report", str(save), "--output", str(damaged), "--force", needle="is a saved game", keep=(damaged,))
    refused(capsys, "report", str(save), "--output", str(link), "--force", needle="symbolic link", keep=(other,))
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
        refused(capsys, "report", str(save), "--output", str(tmp_path / "fifo"), "--force", needle="not a regular file")
    refused(capsys, "report", str(save), "--output", "/dev/null", "--force", needle="not a regular file")


def test_report_output_replaces_a_report_only_with_force(capsys, save, tmp_path):
    out = tmp_path / "r.md"
    assert run(capsys, "report", str(save), "--output", str(out))[0] == 0
    out.write_text("an older report", encoding="utf-8")
    refused(capsys, "report", str(save), "--output", str(out), needle="--force", keep=(out,))
    assert run(capsys, "report", str(save), "--output", str(out), "--force")[0] == 0
    assert out.read_text(encoding="utf-8").startswith("# After-action report")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.toml", "r.md"]


# --- hostile paths and CLI values ----------------------------------------------------------


def test_every_command_taking_a_path_survives_hostile_paths(capsys, save, tmp_path):
    a_file = save
    cases = [
        ["check", LONG], ["check", f"{a_file}/x"], ["report", LONG], ["report", str(tmp_path)], ["report", f"{a_file}/x"],
        ["load", LONG], ["load", str(tmp_path)], ["load", f"{a_file}/x.toml"],
        ["simulate", "--games", "1", "--scenario", LONG], ["simulate", "--games", "1", "--scenario", str(a_file)],
        ["play", "--scenario", LONG], ["play", "--scenario", str(a_file)],
        ["simulate", "--games", "1", "--save-dir", LONG + "/" + LONG],
        ["simulate", "--games", "1", "--save-dir", str(a_file)], ["simulate", "--games", "1", "--save-dir", f"{a_file}/x"],
        ["--saves-dir", LONG, "saves"], ["--saves-dir", str(a_file), "saves"],
        ["report", str(save), "--output", LONG + ".md"], ["report", str(save), "--output", f"{a_file}/r.md"],
        ["check", str(tmp_path / "nope")],
    ]
    for args in cases:
        refused(capsys, *args, keep=(save,))


@pytest.mark.parametrize(
    "args, needle",
    [
        (["simulate", "--jobs", "100000"], "the cores of this computer"),
        (["simulate", "--jobs", "0"], "expected 1 to"),
        (["simulate", "--games", "99999999999"], "expected 1 to 1000000"),
        (["simulate", "--games", "9" * 5000], "expected a whole number"),
        (["simulate", "--seed", "-1"], "zero or more"),
        (["play", "--speed", "nan"], "--speed must be between 0 and 10"),
        (["play", "--speed", "inf"], "--speed must be between 0 and 10"),
        (["play", "--rounds", "100"], "between 1 and 99"),
    ],
)
def test_hostile_cli_values(capsys, args, needle):
    err = refused(capsys, *args, needle=needle)
    assert len(err.splitlines()[-1]) < 200


def test_unreadable_folders_get_a_clear_line(save, tmp_path):
    """A folder the user cannot enter; root ignores permissions, so it drops that power first."""
    locked = tmp_path / "locked"
    (locked / "inner").mkdir(parents=True)
    shutil.copy(save, locked / "inner" / "game.toml")
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        capsh = shutil.which("capsh")
        if capsh is None:
            pytest.skip("running as root without capsh: permissions cannot be enforced here")
        prefix = [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--"]
    script = (
        "import sys\nfrom wargame import cli\n"
        "for args in [a.split('|') for a in sys.argv[1:]]:\n"
        "    try:\n        code = cli.main(args)\n    except SystemExit as exc:\n        code = exc.code\n"
        "    print(code, flush=True)\n"
    )
    cases = [
        f"check|{locked}/inner/game.toml", f"report|{locked}/inner/game.toml", f"load|{locked}/inner/game.toml",
        f"check|{locked}/inner", f"simulate|--games|1|--scenario|{locked}/inner", f"play|--scenario|{locked}/inner",
        f"simulate|--games|1|--save-dir|{locked}/x", f"simulate|--games|1|--save-dir|{readonly}",
        f"report|{save}|--output|{readonly}/r.md", f"--saves-dir|{locked}|saves",
    ]
    locked.chmod(0)
    readonly.chmod(0o555)
    try:
        command = [sys.executable, "-c", script, *cases]
        if prefix:
            command = [*prefix, "-c", shlex.join(command)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        locked.chmod(0o755)
        readonly.chmod(0o755)
    assert done.stdout.split() == ["1"] * len(cases), done.stderr
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr and all("Permission denied" in line or line.startswith(" ") or "problem" in line
                                                 for line in lines), done.stderr


# --- autosave rotation and stale temp files -------------------------------------------------


def test_rotation_deletes_only_verified_autosaves_of_its_own(finished, tmp_path, monkeypatch):
    gid = "rot"
    damaged = tmp_path / f"autosave-{gid}-r1-1.toml"
    damaged.write_text("not a save", encoding="utf-8")
    manual = saves.write_save(finished, tmp_path / f"autosave-{gid}-r1-2.toml", game_id=gid)  # no autosave mark
    monkeypatch.setenv(signing.DATA_ENV, str(tmp_path / "elsewhere"))
    foreign = saves.write_save(finished, tmp_path / f"autosave-{gid}-r1-3.toml", game_id=gid, autosave=True)
    monkeypatch.undo()
    keep = {p: p.read_bytes() for p in (damaged, manual, foreign)}
    for _ in range(saves.KEEP_AUTOSAVES + 2):
        saves.autosave(finished, tmp_path, game_id=gid)
    for p, data in keep.items():
        assert p.read_bytes() == data
    ours = [p for p in tmp_path.glob(f"autosave-{gid}-*.toml") if p not in keep]
    assert len(ours) == saves.KEEP_AUTOSAVES


def test_a_manual_save_cannot_take_an_autosave_name(finished, tmp_path):
    path = saves.save_game(finished, tmp_path, game_id="g1", name="autosave-g1-r1-9")
    assert not path.name.startswith("autosave-")


def test_stale_temp_files_are_cleaned_only_ours_and_old(tmp_path, capsys):
    old = tmp_path / ".game.toml.abcd1234.tmp"
    fresh = tmp_path / ".game.toml.efgh5678.tmp"
    other = tmp_path / ".notes.tmp"
    target = tmp_path / "precious.md"
    link = tmp_path / ".x.toml.ijkl9012.tmp"
    for p in (old, fresh, other, target):
        p.write_text("x", encoding="utf-8")
    link.symlink_to(target)
    past = time.time() - 7200
    for p in (old, other):
        os.utime(p, (past, past))
    os.utime(link, (past, past), follow_symlinks=False)
    assert run(capsys, "--saves-dir", str(tmp_path), "saves")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, other.name, target.name, link.name])
    assert remove_stale_temp_files(tmp_path) == []


# --- kill -9 during a save ---------------------------------------------------------------------

_WRITER = """
import sys
from pathlib import Path
from wargame import saves
from wargame.engine import make_setup
from wargame.scenario import load_scenario
from wargame.simulate import play_game
sc = load_scenario()
state = play_game(sc, make_setup(sc, 3, rounds=2))
saves.write_save(state, Path(sys.argv[1]), game_id="killed")
print("ready", flush=True)  # one whole save is there; the kill lands in one of the next
while True:
    saves.write_save(state, Path(sys.argv[1]), game_id="killed")
"""


def test_kill_9_during_saves_leaves_a_whole_save(tmp_path):
    target = tmp_path / "game.toml"
    for delay in (0.05, 0.2, 0.4):
        child = subprocess.Popen([sys.executable, "-c", _WRITER, str(target)], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        assert saves.load_save(target).game_id == "killed"
        assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["game.toml"]
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert len(remove_stale_temp_files(tmp_path, older_than=0)) == len(leftovers)
