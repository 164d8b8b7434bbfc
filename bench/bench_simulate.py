"""Benchmark: whole bot games per second of `wargame simulate`, the whole process included.

Runs `python -m wargame simulate --games N --json` as a subprocess (start-up,
scenario loading, every game, the summary): `--games 2000 --jobs 1`, best of a
few runs, for games per second (and per CPU second of the process: the
machine is shared, and CPU time moves less than wall time), then 4,000 games
with `--jobs 1` and `--jobs 2` for the scaling. Targets (issue 17): 1,500 games
per second on one core, and `--jobs 2` at least 1.7x `--jobs 1`.

    python bench/bench_simulate.py [--games 2000] [--repeat 2] [--scaling-games 4000]

`main()` returns the figures as a dict, for a wider `make bench`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import subprocess
import sys
import time
from typing import Optional, Sequence

TARGET_GAMES_PER_S = 1500
TARGET_SCALING = 1.7


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(games: int, jobs: int, repeat: int, seed: int = 1) -> dict:
    cmd = [sys.executable, "-m", "wargame", "simulate", "--games", str(games), "--seed", str(seed), "--jobs", str(jobs), "--json"]
    walls, cpus, inner = [], [], []
    for _ in range(repeat):
        cpu0 = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env={**os.environ, "PYTHONHASHSEED": "0"})
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
        result = json.loads(proc.stdout)
        walls.append(wall)
        cpus.append(_children_cpu() - cpu0)
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
        "best_cpu_s": round(min(cpus), 3),
        "games_per_cpu_s": round(games / min(cpus), 1),
        "games_per_s_excluding_startup": round(games / min(inner), 1),
    }


def main(argv: Optional[Sequence[str]] = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--scaling-games", type=int, default=4000)
    args = parser.parse_args(argv)
    figures: dict = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    figures["jobs1"] = measure(args.games, 1, args.repeat)
    figures["scaling_jobs1"] = measure(args.scaling_games, 1, 1)
    figures["scaling_jobs2"] = measure(args.scaling_games, 2, 1)
    figures["scaling"] = round(figures["scaling_jobs2"]["games_per_s"] / figures["scaling_jobs1"]["games_per_s"], 2)
    f = figures["jobs1"]
    print(f"wargame simulate: whole-process games per second ({figures['cpus']} CPUs, Python {figures['python']})")
    mark = "ok" if f["games_per_s"] >= TARGET_GAMES_PER_S else f"below target {TARGET_GAMES_PER_S}"
    print(f"  --jobs 1: {f['games_per_s']:7.1f} games/s, best of {f['runs']} ({f['best_wall_s']:.2f} s wall; "
          f"{f['games_per_cpu_s']:.1f} games per CPU second; {f['games_per_s_excluding_startup']:.1f} games/s inside the run)  [{mark}]")
    print(f"      $ {f['command']}")
    mark = "ok" if figures["scaling"] >= TARGET_SCALING else f"below target {TARGET_SCALING}x"
    for key in ("scaling_jobs1", "scaling_jobs2"):
        g = figures[key]
        print(f"  {g['games']} games, --jobs {g['jobs']}: {g['games_per_s']:7.1f} games/s ({g['best_wall_s']:.2f} s wall)")
        print(f"      $ {g['command']}")
    print(f"  scaling: {figures['scaling']:.2f}x  [{mark}]")
    return figures


if __name__ == "__main__":
    main()
