"""Bot games (or expert decisions) in this process, to count their instructions under callgrind.

Instruction counts do not move with the machine's load as times do, so they compare two
versions of the code on a shared machine. Each count is a run with N less a run with 0
(start-up, the scenario, and one warm-up game that fills the memos):

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/count_instructions.py 10
    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/count_instructions.py 0
    # instructions a bot game = (the first "Collected" - the second) / 10

    valgrind ... python bench/count_instructions.py --expert 2   # the first 2 decisions by rollouts
    valgrind ... python bench/count_instructions.py --expert 0   # of bench_expert.py's seed-1 game

    valgrind ... python bench/count_instructions.py --saves 11   # a warm-up save + load, then 11
    valgrind ... python bench/count_instructions.py --saves 1    # instructions a warm save + load = (first - second) / 10
    valgrind ... python bench/count_instructions.py --saves 1 --cold  # the first save + load in the process
    valgrind ... python bench/count_instructions.py --saves 0    # cold = (the third - this one)

`--saves` plays one 30-round bot game (seed 21, Ukraine a hardliner: the game
`bench_saves.py` finds today), then writes it with `saves.write_save` and loads it
back with `saves.load_save` (verified replay), N times, in a temporary folder.

The games are `simulate`'s: `play_game(scenario, make_setup(scenario, derive_seed(1, i)),
explain=False)` for i in 0..N-1. Not a piece of `make bench` (a callgrind run takes minutes).
"""

from __future__ import annotations

import argparse
from typing import Optional, Sequence


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="games to play (or, with --expert, decisions by rollouts to make)")
    parser.add_argument("--expert", action="store_true", help="time the expert (every seat) instead of default bots")
    parser.add_argument("--saves", action="store_true", help="save + load a long game N times instead")
    parser.add_argument("--cold", action="store_true", help="with --saves: no warm-up save + load first")
    args = parser.parse_args(argv)
    if args.saves:
        return _saves(args.n, cold=args.cold)

    from wargame.bots import choose
    from wargame.engine import apply_action, current_actor, make_setup, new_game
    from wargame.engine.rng import derive_seed
    from wargame.scenario import load_scenario
    from wargame.simulate import play_game

    scenario = load_scenario()
    if args.expert:
        state = new_game(scenario, make_setup(scenario, 1, bots={"all": "expert"}))
        made = 0
        while state.outcome is None and made < args.n:
            action = choose(state, current_actor(state))
            made += "rollouts" in action.text
            state = apply_action(state, action)
        print(f"{made} decisions by rollouts")
        return 0
    play_game(scenario, make_setup(scenario, derive_seed(1, 999)), explain=False)  # warm-up
    for i in range(args.n):
        play_game(scenario, make_setup(scenario, derive_seed(1, i)), explain=False)
    print(f"{args.n} games")
    return 0


def _saves(n: int, *, cold: bool) -> int:
    import tempfile
    from pathlib import Path

    from wargame.bots import choose
    from wargame.engine import apply_action, current_actor, make_setup, new_game
    from wargame.scenario import load_scenario

    scenario = load_scenario()
    state = new_game(scenario, make_setup(scenario, 21, rounds=30, bots={"ukr": "hardliner"}))
    while not state.over:
        state = apply_action(state, choose(state, current_actor(state)))
    from wargame import saves

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.toml"
        for _ in range(n + (0 if cold or n == 0 else 1)):
            saves.write_save(state, path, game_id="bench")
            assert saves.load_save(path).state == state
    print(f"{n} saves + loads of a {state.round}-round game, {len(state.actions)} actions ({'cold' if cold else 'after one'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
