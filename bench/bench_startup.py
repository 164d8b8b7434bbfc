"""Start-up to the first painted board, against a bare Textual app measured the same way.

Users judge a terminal app in its first second, so the yardstick is Textual
itself: `bench/bare_app.py` (Header, Label, Footer). Both are started as whole
processes (`sys.executable`, a fresh interpreter each time) with Textual's
headless driver and `TEXTUAL_PRESS=ctrl+q`, so each process starts, shows its
first screen, takes the key and quits. Runs alternate (game, bare, game, ...)
so a busy moment on the machine hits both alike; the figure is the median.

The game runs bots only at `--speed 10` (ten seconds before the first bot
move), so the board is painted and idle when ctrl+q arrives, and its saves go
to a temporary folder. Two checks make the figure trustworthy: every run
must exit 0 well before the timeout (a TEXTUAL_PRESS that never reached the
app would hang it, and the game cannot end on its own in ten seconds). Whether
the quit left an autosave is recorded too (`autosaved_on_quit`); it is false
here, because a game in which no move was made is not saved on quit.

A second, in-process figure ("first paint") times each process from its
launch to the first frame its screen sends to the terminal (the board for the
game, the default screen for the bare app). It wraps `App._display` in the
child (`--probe`, see `_probe`) and presses ctrl+q a moment later so both apps
paint before quitting; whole-process time also counts quitting, this does not.

Bytecode: an editable install never compiles the package, and this machine's
environment may set PYTHONDONTWRITEBYTECODE, which would make the game compile
every module on every start while Textual's are cached. `prepare()` compiles
the package once (what `pip install` does for a regular install) and the child
processes run without that variable, so both apps start from bytecode.

Every start reads and checks the decks: there is no scenario cache (a JSON
cache, measured, saved no time; see docs/performance.md).

    python bench/bench_startup.py [--runs 7] [--paint-runs 7]

`main()` returns the figures as a dict, for `bench/run.py`.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional, Sequence

HERE = Path(__file__).resolve().parent
BARE_APP = HERE / "bare_app.py"
TARGET_RATIO = 1.2  # issue 17: the first painted board within 1.2x of a bare Textual app
TIMEOUT_S = 60.0
SIZE = ("120", "40")  # a common terminal; the board lays out for 110+ columns

WARGAME_ARGS = ["-m", "wargame", "play", "--seed", "1", "--speed", "10"]
BARE_ARGS = [str(BARE_APP)]
HEADLESS = {
    "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
    "TEXTUAL_PRESS": "ctrl+q",
}


def shown(args: Sequence[str], env: Optional[dict] = None) -> str:
    """The command as a person would type it (relative paths, `python`)."""
    words = [shlex.quote(str(a).replace(str(HERE.parent) + os.sep, "")) for a in args]
    prefix = " ".join(f"{k}={v if v.startswith('$(') else shlex.quote(v)}" for k, v in (env or {}).items())
    return (prefix + " " if prefix else "") + "python " + " ".join(words)


def prepare() -> None:
    """Compile the wargame package to bytecode, as a regular install would (see the module doc)."""
    spec = importlib.util.find_spec("wargame")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the wargame package is not importable: run `make bench` (it installs the venv)")
    for folder in spec.submodule_search_locations:
        compileall.compile_dir(folder, quiet=1)


def child_env(saves_dir: Path, press: str = "ctrl+q", **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(HEADLESS, TEXTUAL_PRESS=press, WARGAME_SAVES=str(saves_dir), COLUMNS=SIZE[0], LINES=SIZE[1])
    env.pop("TEXTUAL", None)  # no devtools
    env.update(extra)
    return env


def run_process(args: Sequence[str], env: dict, timeout: float = TIMEOUT_S) -> dict:
    """Start `python ARGS` as a fresh process: wall time (s) from launch to exit, and its CPU time (s)."""
    err = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=err, cwd=str(HERE.parent))
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            raise RuntimeError(f"{shown(args)} did not quit within {timeout:.0f} s: TEXTUAL_PRESS=ctrl+q did not reach the app")
        time.sleep(0.002)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    stderr = err.read().decode(errors="replace")
    err.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{shown(args)} exited {proc.returncode}: {stderr.strip()[-500:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "stderr": stderr}


def alternate(runs: int) -> dict:
    """`runs` alternating whole-process runs of the game and the bare app (after one warm-up each)."""
    game_walls, bare_walls, game_cpu, bare_cpu, autosaved = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="wargame-bench-") as tmp:
        for i in range(runs + 1):
            saves = Path(tmp) / f"saves-{i}"
            saves.mkdir()
            game = run_process(WARGAME_ARGS, child_env(saves))
            autosaved.append(any(saves.iterdir()))
            bare = run_process(BARE_ARGS, child_env(saves))
            if i == 0:
                continue  # warm-up: the disk cache, not the app
            game_walls.append(game["wall_s"])
            bare_walls.append(bare["wall_s"])
            game_cpu.append(game["cpu_s"])
            bare_cpu.append(bare["cpu_s"])
    return {"game_walls": game_walls, "bare_walls": bare_walls, "game_cpu": game_cpu, "bare_cpu": bare_cpu,
            "autosaved": all(autosaved)}


# --- the first-paint probe ---------------------------------------------------------------

PROBE_PRESS = "wait:300,ctrl+q"  # let both apps paint and settle, then quit


def _probe(out: str, screen_name: str, target: Sequence[str]) -> None:
    """Run in the child: wrap App._display, then run the target as `python TARGET...` would.

    Writes the time from the parent's launch (PROBE_T0, wall clock) to the first
    frame of `screen_name` sent to the terminal (not inside a batch update).
    """
    import runpy

    t0 = float(os.environ["PROBE_T0"])
    import textual.app as textual_app

    first: dict = {}
    original = textual_app.App._display

    def _display(self, screen, renderable):
        if renderable is not None and not self._batch_count and "paint" not in first and type(screen).__name__ == screen_name:
            first["paint"] = time.time() - t0
        return original(self, screen, renderable)

    textual_app.App._display = _display
    try:
        if target[0] == "-m":
            sys.argv = list(target[1:])
            runpy.run_module(target[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(target)
            runpy.run_path(target[0], run_name="__main__")
    finally:
        Path(out).write_text(json.dumps(first))


def first_paint(runs: int) -> dict:
    """Median time from launch to the first painted board (game) or screen (bare app), alternating."""
    game, bare = [], []
    with tempfile.TemporaryDirectory(prefix="wargame-bench-") as tmp:
        out = Path(tmp) / "probe.json"
        for i in range(runs + 1):  # the first is a warm-up (the disk cache)
            for name, args, into in (("BoardScreen", WARGAME_ARGS, game), ("Screen", BARE_ARGS, bare)):
                saves = Path(tmp) / f"saves-{i}-{name}"
                saves.mkdir()
                env = child_env(saves, press=PROBE_PRESS, PROBE_T0=repr(time.time()))
                run_process([str(Path(__file__).resolve()), "--probe", str(out), name, "--", *args], env)
                result = json.loads(out.read_text())
                if "paint" not in result:
                    raise RuntimeError(f"{shown(args)}: no {name} was painted before it quit")
                if i:
                    into.append(result["paint"])
    return {"game_s": game, "bare_s": bare}


def main(argv: Optional[Sequence[str]] = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="alternating runs of each app (default 7)")
    parser.add_argument("--paint-runs", type=int, default=7, help="probe runs of each app for first paint (default 7)")
    args = parser.parse_args(argv)
    prepare()
    runs = alternate(args.runs)
    game = statistics.median(runs["game_walls"])
    bare = statistics.median(runs["bare_walls"])
    env_shown = {**HEADLESS, "WARGAME_SAVES": "$(mktemp -d)"}
    figures = {
        "runs": args.runs,
        "game_ms": round(game * 1000, 1),
        "bare_ms": round(bare * 1000, 1),
        "ratio": round(game / bare, 2),
        "target_ratio": TARGET_RATIO,
        "cpu_game_ms": round(statistics.median(runs["game_cpu"]) * 1000, 1),
        "cpu_bare_ms": round(statistics.median(runs["bare_cpu"]) * 1000, 1),
        "cpu_ratio": round(statistics.median(runs["game_cpu"]) / statistics.median(runs["bare_cpu"]), 2),
        "game_runs_ms": [round(w * 1000) for w in runs["game_walls"]],
        "autosaved_on_quit": runs["autosaved"],
        "bare_runs_ms": [round(w * 1000) for w in runs["bare_walls"]],
        "game_command": shown(WARGAME_ARGS, env_shown),
        "bare_command": shown(BARE_ARGS, HEADLESS),
    }
    if args.paint_runs > 0:
        paint = first_paint(args.paint_runs)
        pg, pb = statistics.median(paint["game_s"]), statistics.median(paint["bare_s"])
        figures.update(
            paint_runs=args.paint_runs,
            paint_game_ms=round(pg * 1000, 1),
            paint_bare_ms=round(pb * 1000, 1),
            paint_ratio=round(pg / pb, 2),
            paint_command="python bench/bench_startup.py --probe OUT SCREEN -- ARGS (TEXTUAL_PRESS=" + PROBE_PRESS + ")",
        )
    print(f"start-up, whole process to ctrl+q (median of {args.runs} alternating runs):")
    print(f"  game {figures['game_ms']:.0f} ms, bare Textual app {figures['bare_ms']:.0f} ms: "
          f"{figures['ratio']:.2f}x (target {TARGET_RATIO}x)")
    print(f"  CPU time (user+sys) of the same runs: game {figures['cpu_game_ms']:.0f} ms, bare {figures['cpu_bare_ms']:.0f} ms: "
          f"{figures['cpu_ratio']:.2f}x")
    print(f"      $ {figures['game_command']}")
    print(f"      $ {figures['bare_command']}")
    if args.paint_runs > 0:
        print(f"first painted frame after launch (median of {args.paint_runs}): game board {figures['paint_game_ms']:.0f} ms, "
              f"bare app {figures['paint_bare_ms']:.0f} ms: {figures['paint_ratio']:.2f}x")
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 4 and sys.argv[1] == "--probe" and sys.argv[4] == "--":
        _probe(sys.argv[2], sys.argv[3], sys.argv[5:])
    else:
        main()
