"""The board's answer to a key press: Pilot (App.run_test), median and worst of 100 presses.

A room of teams notices a sluggish key at once, so the target is 50 ms from
the key to the updated screen. The game: one human team (the USA, first to
act, so no bot moves before it) against bots, 120x40, under `App.run_test`.
After the hand-off the USA's hand has the focus; the benchmark presses down
and up in turn, which moves the highlight in the hand and redraws the card
shown in full below it.

Each press is timed from the key reaching the app (sent through the driver,
as `pilot.press` does) until the screen has been repainted: every message the
key caused has been handled (the app's and each widget's queue drained, the
same check as Pilot's own `_wait_for_screen`, repeated until nothing new
arrives) and the screen has sent its frame (`Screen._on_timer_update`, what
`pilot.pause()` ends with). Every press is checked: the highlight moved, the
card in full is the highlighted one, and at least one frame was sent (a
wrapped `App._display`).

Why not simply time `await pilot.press(key); await pilot.pause()`: Pilot
decides that the app is idle by sleeping in 20 ms steps (textual._wait,
SLEEP_GRANULARITY) until the CPU is quiet, three times per press and pause,
so that figure has a floor of about 60-80 ms whatever the app does. It is
reported too ("pilot_*"), beside the same Pilot figure for the bare Textual
app (bench/bare_app.py) pressing a key that does nothing, which shows that floor.

    python bench/bench_keypress.py [--presses 100]

`main()` returns the figures as a dict, for `bench/run.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

TARGET_MS = 16  # the median (issue 17: a frame at 60 Hz)
TARGET_WORST_MS = 33  # the worst press (two frames)
SIZE = (120, 40)
HUMAN = "usa"
SEED = 1
PILOT_PRESSES = 20


async def key_to_frame(pilot, key: str) -> None:
    """Send `key` as Pilot does, wait until everything it caused is handled, then paint the screen."""
    from textual import events

    app = pilot.app
    event = events.Key(key, None)
    event.set_sender(app)
    app._driver.send_message(event)
    for _ in range(100):
        await asyncio.sleep(0)
        await pilot._wait_for_screen()
        pumps = [app, *app.screen.walk_children(with_self=True)]
        if all(p._message_queue.empty() for p in pumps):
            break
    app.screen._on_timer_update()


async def pilot_presses(pilot, presses: int, keys=("down", "up")) -> list[float]:
    """`await pilot.press(key); await pilot.pause()`, timed: Pilot's own way, sleeps included."""
    times = []
    for i in range(presses):
        t0 = time.perf_counter()
        await pilot.press(keys[i % len(keys)])
        await pilot.pause()
        times.append(time.perf_counter() - t0)
    return times


def _ms(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {"median_ms": round(statistics.median(ms), 1), "worst_ms": round(ms[-1], 1),
            "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 1)}


async def measure(presses: int) -> dict:
    os.environ.pop("TEXTUAL_PRESS", None)  # run_test drives the keys here
    from textual.widgets import Static

    from wargame.engine import current_actor, make_setup, new_game
    from wargame.scenario import load_scenario
    from wargame.tui.app import WargameApp
    from wargame.tui.screens.board import BoardScreen
    from wargame.tui.widgets import HandList

    scenario = load_scenario()
    state = new_game(scenario, make_setup(scenario, SEED, humans={HUMAN: ""}))
    if current_actor(state) != HUMAN:
        raise RuntimeError(f"{HUMAN} does not act first with seed {SEED}; the benchmark needs a quiet board")
    app = WargameApp(state=state, speed=10, saves_dir=None)
    frames = [0]
    display = app._display

    def counting_display(screen, renderable):
        if renderable is not None:
            frames[0] += 1
        return display(screen, renderable)

    app._display = counting_display  # type: ignore[method-assign]

    async def settle(pilot, condition, what: str, limit: float = 20.0) -> None:
        deadline = time.perf_counter() + limit
        while not condition():
            if time.perf_counter() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            await pilot.pause(0.01)

    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, BoardScreen) and isinstance(app.focused, HandList),
                     "the hand to have the focus")
        board = app.screen
        hand = board.query_one(HandList)
        card_full = board.query_one("#card-full", Static)
        if hand.option_count < 2:
            raise RuntimeError("the hand has fewer than two cards to move between")
        await pilot.pause()
        for i in range(presses):
            key = "down" if i % 2 == 0 else "up"
            want = (hand.highlighted or 0) + (1 if key == "down" else -1)
            before = frames[0]
            t0 = time.perf_counter()
            await key_to_frame(pilot, key)
            times.append(time.perf_counter() - t0)
            card = scenario.concession(hand.get_option_at_index(want).id)
            if hand.highlighted != want:
                raise RuntimeError(f"press {i + 1} ({key}): the highlight is on {hand.highlighted}, not {want}")
            if card.text not in str(card_full.content):
                raise RuntimeError(f"press {i + 1} ({key}): the card in full is not {card.id}")
            if frames[0] == before:
                raise RuntimeError(f"press {i + 1} ({key}): the screen was not repainted")
        pilot_times = await pilot_presses(pilot, PILOT_PRESSES)
        if not isinstance(app.screen, BoardScreen) or not isinstance(app.focused, HandList):
            raise RuntimeError("the Pilot presses left the board")
        await pilot.press("ctrl+q")

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bare_app import BareApp

    bare = BareApp()
    async with bare.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bare_times = await pilot_presses(pilot, PILOT_PRESSES)

    return {
        "presses": presses,
        "keys": "down/up in the hand",
        **_ms(times),
        "first_ms": round(times[0] * 1000, 1),
        "target_ms": TARGET_MS,
        "target_worst_ms": TARGET_WORST_MS,
        "pilot_presses": PILOT_PRESSES,
        "pilot": _ms(pilot_times),
        "pilot_bare": _ms(bare_times),
        "command": f"python bench/bench_keypress.py --presses {presses}",
    }


def main(argv: Optional[Sequence[str]] = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=100)
    args = parser.parse_args(argv)
    f = asyncio.run(measure(args.presses))
    print(f"key press on the board ({f['presses']} presses of {f['keys']}, key to repainted screen): "
          f"median {f['median_ms']} ms (target {TARGET_MS} ms), worst {f['worst_ms']} ms (target {TARGET_WORST_MS} ms)")
    print(f"  pilot.press + pilot.pause ({f['pilot_presses']} presses): game median {f['pilot']['median_ms']} ms, "
          f"bare Textual app median {f['pilot_bare']['median_ms']} ms (Pilot's idle detection sleeps)")
    return f


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
