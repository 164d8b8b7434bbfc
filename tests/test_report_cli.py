"""`wargame report SAVE [--output FILE]` on real saves: a finished workshop, by path and by name, and damaged files."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from wargame.cli import main
from wargame.engine import scoring
from wargame.report import build_report
from wargame.saves import load_save, write_save

from test_report import NOTE, RULING, TEAM, UKR_RATIONALE, find_game

CREATED = datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def finished(scenario):
    """A finished facilitated game with at least one ceasefire violation."""
    return find_game(scenario, lambda s: len(s.violations) >= 1, keep_ceasefire=True)


@pytest.fixture
def save(tmp_path, finished):
    return write_save(finished, tmp_path / "tuesday.toml", game_id="g123abc", name="Tuesday workshop",
                      notes="Room of twelve; Team Kyiv arrived late", created=CREATED)


def test_report_to_a_file(save, tmp_path, capsys, finished, scenario):
    out = tmp_path / "hotwash.md"
    assert main(["report", str(save), "--output", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"Report written to {out}"
    text = out.read_text(encoding="utf-8")
    # The same text the game-over screen shows for the loaded game.
    assert text == build_report(load_save(save).state, created="2024-05-01 09:30 UTC", title="Tuesday workshop",
                                notes="Room of twelve; Team Kyiv arrived late")
    assert text.startswith("# After-action report: Tuesday workshop\n")
    assert "- **Date:** 2024-05-01 09:30 UTC" in text
    assert f"**{scoring.OUTCOME_TEXT[finished.outcome]}**" in text
    v = finished.violations[0]
    assert f"| {v.round} | {scenario.delegation(v.violator).name} | {scenario.delegation(v.injured).name} |" in text
    assert UKR_RATIONALE in text and NOTE in text and RULING in text
    assert "- Kept with the save: Room of twelve; Team Kyiv arrived late" in text
    assert f"| Ukraine | {TEAM} (human team) |" in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_report_by_name_to_stdout(save, tmp_path, capsys):
    assert main(["report", "Tuesday workshop", "--saves-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# After-action report: Tuesday workshop\n")
    assert "## Discussion questions for the hotwash" in out
    assert not (tmp_path / "hotwash.md").exists()


def test_damaged_save_exits_1_without_traceback(save, tmp_path, capsys):
    data = save.read_bytes()
    damaged = data.replace(b"Tuesday workshop", b"Tuesday worksh0p", 1)
    assert damaged != data
    save.write_bytes(damaged)
    out = tmp_path / "hotwash.md"
    assert main(["report", str(save), "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("wargame: ") and str(save) in err and "Traceback" not in err
    assert not out.exists()
    assert save.read_bytes() == damaged  # never modified


def test_truncated_and_missing_saves(save, tmp_path, capsys):
    save.write_bytes(save.read_bytes()[:200])
    assert main(["report", str(save)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("wargame: ") and "Traceback" not in err
    assert main(["report", str(tmp_path / "nothing.toml")]) == 1
    assert "Traceback" not in capsys.readouterr().err
