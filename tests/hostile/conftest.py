"""Helpers of the hostile suite: run a command in process, and insist on one clear line and exit 1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wargame import cli
from wargame.simulate import play_game

DECKS = Path(__file__).resolve().parents[2] / "decks"


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`wargame ARGS` in this process: (exit status, stdout, stderr); argparse errors included."""
    try:
        code = cli.main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, *args: str, needle: str = "", keep: tuple[Path, ...] = ()) -> str:
    """The command exits 1 with a short message on stderr, no traceback, and leaves `keep` byte for byte."""
    before = {p: p.read_bytes() for p in keep}
    code, _, err = run(capsys, *args)
    assert code == 1, err
    assert "Traceback" not in err and err.strip(), err
    # one "wargame: ..." line, or check's "PATH: N problem(s)" and its lines
    lines = err.splitlines()
    assert (len(lines) == 1 and lines[0].startswith("wargame")) or "problem(s)" in lines[0], err
    assert needle in err, err
    for p, data in before.items():
        assert p.read_bytes() == data, f"{p} changed"
    return err


@pytest.fixture
def decks(tmp_path) -> Path:
    folder = tmp_path / "decks"
    shutil.copytree(DECKS, folder)
    return folder


@pytest.fixture(scope="session")
def finished(scenario):
    """A short bot game, played to its end."""
    from wargame.engine import make_setup

    return play_game(scenario, make_setup(scenario, 5, rounds=2))


@pytest.fixture
def save(finished, tmp_path) -> Path:
    from wargame import saves

    return saves.write_save(finished, tmp_path / "game.toml", game_id="hostile")
