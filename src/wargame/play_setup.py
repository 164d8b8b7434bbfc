"""The game `wargame play` and `wargame serve` start: options checked, the first state made.

No Textual here: the hot-seat app (`wargame.tui.launch`) and the multi-seat host
(`wargame.net.commands`) both start a game from the same options.
"""

from __future__ import annotations

import argparse
import math

from .errors import UserError

DEFAULT_SPEED = 0.6


def _speed(args: argparse.Namespace) -> float:
    speed = getattr(args, "speed", None)
    if speed is None:
        return DEFAULT_SPEED
    if not math.isfinite(speed) or not 0 <= speed <= 10:
        raise UserError(f"--speed must be between 0 and 10 seconds, got {speed:g}")
    return float(speed)


def _humans(items: list[str]) -> dict[str, str]:
    """`--human ukr` or `--human "ukr=Team Kyiv"`: delegation id -> team name ("" = the delegation's name)."""
    humans: dict[str, str] = {}
    for item in items:
        d, _, team = item.partition("=")
        d, team = d.strip(), " ".join(team.split())
        if not d:
            raise UserError(f"--human needs a delegation id (like ukr or ukr=Team Kyiv), got {item!r}")
        if d in humans:
            raise UserError(f"--human {d} is given twice")
        humans[d] = team
    return humans


def prepare_play(args: argparse.Namespace):
    """The first state of `wargame play`: scenario and setup checked, seed random unless given."""
    from .engine import make_setup, new_game
    from .scenario import load_scenario

    scenario = load_scenario(getattr(args, "scenario", None))
    bots: dict[str, str] = {}
    for d, p in getattr(args, "bot", []) or []:
        if d in bots:
            raise UserError(f"--bot {d} is given twice")
        bots[d] = p
    seed = getattr(args, "seed", None)
    if seed is None:  # from the system's generator (`secrets` would load hmac and hashlib for it)
        import random

        seed = random.SystemRandom().randrange(10**6)
    setup = make_setup(
        scenario,
        seed,
        rounds=getattr(args, "rounds", None),
        humans=_humans(getattr(args, "human", []) or []),
        bots=bots,
        leave_out=tuple(getattr(args, "without", []) or []),
        facilitated=bool(getattr(args, "facilitated", False)),
        event_preview=bool(getattr(args, "facilitated", False)),  # a facilitator sees each round's event first
    )
    return new_game(scenario, setup)
