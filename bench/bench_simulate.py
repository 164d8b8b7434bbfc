"""Benchmark: whole bot games per second of `wargame simulate`, the whole process included.

Runs `python -m wargame simulate --games N --json` as a subprocess (start-up,
scenario loading, every game, the summary) for --jobs 1 and --jobs 2, takes
the best of a few runs of each, and prints the figure with the command that
measured it. The target (issue 3 and 7) is 200 games per second in one
process on a 2-core machine.

    python bench/bench_simulate.py [--games 1000] [--repeat 3]

`main()` returns the figures as a dict, for a wider `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from typing import Optional, Sequence

TARGET_GAMES_PER_S = 200


def measure(games: int, jobs: int, repeat: int, seed: int = 1) -> dict:
    cmd = [sys.executable, "-m", "wargame", "simulate", "--games", str(games), "--seed", str(seed), "--jobs", str(jobs), "--json"]
    walls = []
    inner = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env={**os.environ, "PYTHONHASHSEED": "0"})
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
        result = json.loads(proc.stdout)
        walls.append(wall)
        inner.append(result["elapsed_s"])
    best = min(walls)
    shown = ["python", "-m", "wargame", *cmd[3:]]
    return {
        "command": shlex.join(shown),
        "games": games,
        "jobs": jobs,
        "runs": repeat,
        "best_wall_s": round(best, 3),
        "median_wall_s": round(sorted(walls)[len(walls) // 2], 3),
        "games_per_s": round(games / best, 1),
        "games_per_s_excluding_startup": round(games / min(inner), 1),
    }


def main(argv: Optional[Sequence[str]] = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    figures = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    for jobs in (1, 2):
        figures[f"jobs{jobs}"] = measure(args.games, jobs, args.repeat)
    print(f"wargame simulate: whole-process games per second (best of {args.repeat}; {figures['cpus']} CPUs, Python {figures['python']})")
    for jobs in (1, 2):
        f = figures[f"jobs{jobs}"]
        mark = "ok" if f["games_per_s"] >= TARGET_GAMES_PER_S else f"below target {TARGET_GAMES_PER_S}"
        print(f"  --jobs {jobs}: {f['games_per_s']:7.1f} games/s  ({f['best_wall_s']:.2f} s wall; "
              f"{f['games_per_s_excluding_startup']:.1f} games/s inside the run)  [{mark}]")
        print(f"      $ {f['command']}")
    return figures


if __name__ == "__main__":
    main()
