"""Peak memory of the app against a bare Textual app, each a whole fresh process.

The yardstick is `bench/bare_app.py` (Header, Label, Footer). Each run is a
fresh child process started like `bench/bench_startup.py` starts them (headless
driver, TEXTUAL_PRESS=ctrl+q: start, paint, quit); its peak resident set size
comes from the kernel (`ru_maxrss`, the figure `/usr/bin/time -v` prints as
"Maximum resident set size"). Each run goes through a fresh launcher process
(a few lines of Python, ~10 MiB) that starts the app and reports
`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` once it has quit: Linux
carries the RSS of the process that forked into the child's ru_maxrss, so
reaping the app straight from this (larger) benchmark process would report
the benchmark's own size. Runs alternate; the figure is the median.

A second figure keeps the game busy: bots at full speed (`--speed 0`) for
three seconds, the log and the history growing, then ctrl+q. No target: it
shows whether memory climbs while a game runs.

    python bench/bench_memory.py [--runs 3]

`main()` returns the figures as a dict, for `bench/run.py`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional, Sequence

from bench_startup import BARE_ARGS, HERE, HEADLESS, TIMEOUT_S, WARGAME_ARGS, child_env, prepare, shown

TARGET_RATIO = 2.0
BUSY_ARGS = ["-m", "wargame", "play", "--seed", "1", "--speed", "0"]
BUSY_PRESS = "wait:3000,ctrl+q"

# `LAUNCHER TIMEOUT ARGS...` runs `python ARGS...` as its only child and prints that child's peak RSS in KiB.
LAUNCHER = """
import resource, subprocess, sys
code = subprocess.run([sys.executable, *sys.argv[2:]], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                      timeout=float(sys.argv[1])).returncode  # on a timeout the app is killed, the launcher fails
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def peak_rss_kb(args, env) -> int:
    """Peak RSS (KiB) of `python ARGS` in a fresh child of a fresh launcher."""
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, str(TIMEOUT_S), *args], env=env, cwd=str(HERE.parent),
                          capture_output=True, text=True, timeout=TIMEOUT_S + 30, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{shown(args)} exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return int(proc.stdout.split()[-1])


def main(argv: Optional[Sequence[str]] = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--busy-runs", type=int, default=1, help="runs of the busy game (0 to skip)")
    args = parser.parse_args(argv)
    prepare()
    game, bare, busy = [], [], []
    with tempfile.TemporaryDirectory(prefix="wargame-bench-") as tmp:
        for i in range(args.runs):
            saves = Path(tmp) / f"saves-{i}"
            saves.mkdir()
            game.append(peak_rss_kb(WARGAME_ARGS, child_env(saves)))
            bare.append(peak_rss_kb(BARE_ARGS, child_env(saves)))
        for i in range(args.busy_runs):
            saves = Path(tmp) / f"busy-{i}"
            saves.mkdir()
            busy.append(peak_rss_kb(BUSY_ARGS, child_env(saves, press=BUSY_PRESS)))
    g, b = statistics.median(game), statistics.median(bare)
    figures = {
        "runs": args.runs,
        "game_mib": round(g / 1024, 1),
        "bare_mib": round(b / 1024, 1),
        "ratio": round(g / b, 2),
        "target_ratio": TARGET_RATIO,
        "game_runs_kb": game,
        "bare_runs_kb": bare,
        "game_command": shown(WARGAME_ARGS, {**HEADLESS, "WARGAME_SAVES": "$(mktemp -d)"}),
        "bare_command": shown(BARE_ARGS, HEADLESS),
    }
    if busy:
        figures.update(
            busy_mib=round(statistics.median(busy) / 1024, 1),
            busy_command=shown(BUSY_ARGS, {**HEADLESS, "TEXTUAL_PRESS": BUSY_PRESS, "WARGAME_SAVES": "$(mktemp -d)"}),
        )
    print(f"peak memory (ru_maxrss, median of {args.runs} fresh processes each): game {figures['game_mib']} MiB, "
          f"bare Textual app {figures['bare_mib']} MiB: {figures['ratio']:.2f}x (target {TARGET_RATIO}x)")
    if busy:
        print(f"  with bots at full speed for 3 s: {figures['busy_mib']} MiB")
    return figures


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
