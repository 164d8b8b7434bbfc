"""Benchmark: how long the expert bot takes to decide, with its default rollouts, on one core.

Plays 2 games (seeds 1 and 2) with the expert at every seat, in this process,
and times every decision the expert makes by rollouts (one with a single
option is instant and left out). It reports the median and the slowest, in
CPU time of this thread (what one core spends, whatever else the machine
runs) and in wall time. The target (issue 17, item 3) is at most 0.5 s.

    python bench/bench_expert.py [--games 2] [--bot expert]

`main()` returns the figures as a dict, for `make bench`.
"""

from __future__ import annotations

import argparse
import time
from typing import Optional, Sequence

TARGET_S = 0.5


def main(argv: Optional[Sequence[str]] = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=2)
    parser.add_argument("--bot", default="expert", help="the personality to time at every seat")
    args = parser.parse_args(argv)

    from wargame.bots import choose
    from wargame.engine import apply_action, current_actor, make_setup, new_game
    from wargame.scenario import load_scenario

    scenario = load_scenario()
    rollouts = {p.rollouts for p in scenario.personalities if p.id == args.bot}
    cpu, wall = [], []
    for seed in range(1, args.games + 1):
        state = new_game(scenario, make_setup(scenario, seed, bots={"all": args.bot}))
        while state.outcome is None:
            who = current_actor(state)
            c0, w0 = time.thread_time(), time.perf_counter()
            action = choose(state, who)
            c1, w1 = time.thread_time(), time.perf_counter()
            if "rollouts" in action.text:
                cpu.append(c1 - c0)
                wall.append(w1 - w0)
            state = apply_action(state, action)
    if not cpu:
        raise SystemExit(f"no decision of {args.bot!r} used rollouts")
    cpu.sort()
    wall.sort()
    figures = {
        "command": f"python bench/bench_expert.py --games {args.games} --bot {args.bot}",
        "games": args.games,
        "rollouts": sorted(rollouts),
        "decisions": len(cpu),
        "median_cpu_s": round(cpu[len(cpu) // 2], 3),
        "slowest_cpu_s": round(cpu[-1], 3),
        "median_wall_s": round(wall[len(wall) // 2], 3),
        "slowest_wall_s": round(wall[-1], 3),
        "target_s": TARGET_S,
    }
    print(f"expert decisions ({figures['decisions']} by rollouts in {args.games} games, "
          f"{'/'.join(map(str, figures['rollouts']))} rollouts per option):")
    print(f"  CPU time: median {figures['median_cpu_s']:.3f} s, slowest {figures['slowest_cpu_s']:.3f} s (target <= {TARGET_S} s)")
    print(f"  wall time: median {figures['median_wall_s']:.3f} s, slowest {figures['slowest_wall_s']:.3f} s")
    print(f"      $ {figures['command']}")
    return figures


if __name__ == "__main__":
    main()
