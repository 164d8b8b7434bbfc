"""The benchmark table itself (bench/run.py): a failing piece shows its error and the table still prints.

No timing is asserted here (speed is measured in bench/, not in tests); these
check the plumbing that `make bench` relies on, in well under a second.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import bench_startup  # noqa: E402
import run  # noqa: E402


def test_a_failing_piece_becomes_an_error_row(monkeypatch, capsys):
    def broken():
        raise RuntimeError("the app did not start")

    def exits():
        raise SystemExit("benchmark command failed (1)")

    monkeypatch.setitem(run.PIECES, "broken", ("broken piece", broken))
    monkeypatch.setitem(run.PIECES, "exits", ("exiting piece", exits))
    for name, label, message in (("broken", "broken piece", "the app did not start"),
                                 ("exits", "exiting piece", "benchmark command failed (1)")):
        figures, rows, _ = run.run_piece(name)
        assert message in figures["error"]
        assert rows == [(label, "ERROR", "", "ERROR", figures["error"])]


def test_main_prints_the_table_and_fails_when_a_piece_fails(monkeypatch, capsys, tmp_path):
    def good():
        print("noise a piece prints")
        return {"x": 1}, [("a figure", "12 ms", "<= 50 ms", "pass", "python bench/x.py")]

    def bad():
        raise ValueError("boom")

    monkeypatch.setattr(run, "PIECES", {"good": ("good", good), "bad": ("bad", bad)})
    out_json = tmp_path / "figures.json"
    status = run.main(["--json", str(out_json)])
    out = capsys.readouterr().out
    assert status == 1
    assert "noise a piece prints" not in out  # pieces' own output stays off the table
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("figure"))
    assert lines[header + 2].split() == ["a", "figure", "12", "ms", "<=", "50", "ms", "pass", "python", "bench/x.py"]
    assert lines[header + 3].startswith("bad") and "ERROR" in lines[header + 3] and "ValueError: boom" in lines[header + 3]
    assert '"x": 1' in out_json.read_text()


def test_only_rejects_unknown_pieces(capsys):
    with pytest.raises(SystemExit):
        run.main(["--only", "startup,nonsense"])
    assert "nonsense" in capsys.readouterr().err


def test_commands_are_shown_as_typed():
    shown = bench_startup.shown(bench_startup.WARGAME_ARGS, {"TEXTUAL_PRESS": "ctrl+q", "WARGAME_SAVES": "$(mktemp -d)"})
    assert shown == "TEXTUAL_PRESS=ctrl+q WARGAME_SAVES=$(mktemp -d) python -m wargame play --seed 1 --speed 10"
    assert bench_startup.shown(bench_startup.BARE_ARGS) == "python bench/bare_app.py"
    assert run.shorten(run.HEADLESS_PREFIX + " python x") == "$HEADLESS python x"


def test_a_process_that_never_quits_is_reported(tmp_path):
    env = bench_startup.child_env(tmp_path)
    with pytest.raises(RuntimeError, match="did not quit"):
        bench_startup.run_process(["-c", "import time; time.sleep(30)"], env, timeout=0.3)
    with pytest.raises(RuntimeError, match="exited 3"):
        bench_startup.run_process(["-c", "import sys; sys.exit(3)"], env)
