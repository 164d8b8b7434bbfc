"""Starting the app from the command line: `wargame`, `wargame play ...`, `wargame load SAVE`.

Everything is checked before Textual starts (scenario, setup, save), so bad
input prints one line and exits with status 1 instead of opening a screen.
Textual itself is imported only here, late, so other commands stay fast.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Optional

from ..errors import UserError

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
    from ..engine import make_setup, new_game
    from ..scenario import load_scenario

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


def prepare_load(args: argparse.Namespace, saves_dir: Path):
    """The state, game id and round-clock minutes of `wargame load SAVE`, replayed and verified by the saves module."""
    try:
        from .. import saves
    except ImportError:
        saves = None
    if saves is None or not (hasattr(saves, "resolve_save") and hasattr(saves, "load_save")):
        raise UserError("saving is not available yet, so there is nothing to load")
    loaded = saves.load_save(saves.resolve_save(args.save, saves_dir))
    return loaded.state, loaded.game_id, loaded.clock_minutes


def _check_saves_folder(saves_dir: Path) -> None:
    """The saves folder must take a save before the game starts: a folder that cannot be
    created or written (a name too long, no permission, a file in the way) would lose the
    game at the first autosave, so it is refused up front with one line."""
    from ..saves.place import ensure_writable_folder

    ensure_writable_folder(Path(saves_dir))


def cmd_play(args: argparse.Namespace, saves_dir: Path) -> int:
    """Run the app; returns its exit status (0 after ctrl+q)."""
    command = getattr(args, "command", None)
    speed = _speed(args)
    state = None
    game_id: Optional[str] = None
    clock_minutes = 0
    _check_saves_folder(saves_dir)
    if command == "play":
        state = prepare_play(args)
    elif command == "load":
        state, game_id, clock_minutes = prepare_load(args, saves_dir)

    from .app import WargameApp

    app = WargameApp(state=state, speed=speed, saves_dir=saves_dir, game_id=game_id, clock_minutes=clock_minutes,
                     handle_signals=True)
    import gc

    gc.freeze()  # what start-up built stays for the whole session: keep the collector from scanning it again
    app.run()
    return app.return_code or 0
