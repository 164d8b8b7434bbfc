"""Starting the app from the command line: `wargame`, `wargame play ...`, `wargame load SAVE`.

Everything is checked before Textual starts (scenario, setup, save), so bad
input prints one line and exits with status 1 instead of opening a screen.
Textual itself is imported only here, late, so other commands stay fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Optional

from ..errors import UserError
from ..play_setup import _speed, prepare_play


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
