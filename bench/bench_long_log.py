"""Replay, save and load of a game whose log holds 40,000 facilitator notes, in seconds.

Replay must be linear in the log (issue 16): before, every action copied the whole
state, so this took over 20 s. Run: `.venv/bin/python bench/bench_long_log.py`.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

NOTES = 40_000


def main() -> dict:
    os.environ.setdefault("WARGAME_DATA", tempfile.mkdtemp(prefix="wargame-bench-data-"))
    from wargame import saves
    from wargame.engine import make_setup, replay
    from wargame.model import Note
    from wargame.scenario import load_scenario

    sc = load_scenario()
    setup = make_setup(sc, 5, facilitated=True, humans={"ukr": "Kyiv"})
    actions = [Note(f"note {i}") for i in range(NOTES)]
    t = time.perf_counter()
    state = replay(sc, setup, actions)
    replay_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "notes.toml"
        t = time.perf_counter()
        saves.write_save(state, path, game_id="notes")
        save_s = time.perf_counter() - t
        t = time.perf_counter()
        loaded = saves.load_save(path)
        load_s = time.perf_counter() - t
        assert loaded.state == state
        size = path.stat().st_size
    return {"notes": NOTES, "replay_s": round(replay_s, 3), "save_s": round(save_s, 3),
            "load_s": round(load_s, 3), "bytes": size}


if __name__ == "__main__":
    print(json.dumps(main()))
