"""Shared fixtures: the built-in scenario (loaded once) and quick game helpers."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
import weakref

import pytest

from wargame.engine import current_actor, legal_actions, make_setup, new_game, apply_action
from wargame.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "decks"

# The installation's save-signing key of this test session (and of the commands it runs)
# lives in a folder of its own, never the user's data folder.
os.environ["WARGAME_DATA"] = tempfile.mkdtemp(prefix="wargame-test-data-")

# Ten frames a second for the app under test, not Textual's sixty: a frame is drawn when the
# screen changed, so a burst of changes (the bots' moves at speed 0, a test's keys) is drawn
# once per frame, and fewer frames mean less CPU (about a sixth of a Pilot test's). Textual reads
# TEXTUAL_FPS once, when it is first imported, and the snapshot plugin imports it as pytest
# starts (before this file): so that plugin is turned off in pyproject.toml's addopts and
# loaded here, after the variable is set. The pytest-xdist workers are started after this file
# is read, and inherit the variable. No test may depend on the frame rate: a test that needs
# something drawn, scrolled or laid out waits for it (conftest.wait_for).
os.environ["TEXTUAL_FPS"] = "10"
pytest_plugins = ["pytest_textual_snapshot"]


def drives_the_app(item) -> bool:
    """A Pilot test (a coroutine) or a snapshot: seconds of CPU each, where most other tests take milliseconds."""
    function = getattr(item, "function", None)
    return asyncio.iscoroutinefunction(function) or "snap_compare" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config, items):
    """The tests that drive the app first, the quick ones after (each group in its usual order).

    pytest-xdist hands tests out in collection order; in file order the Pilot tests of
    test_tui*.py came last, so one worker was still in a long test while the others had
    finished. Quick tests at the end even the workers out."""
    items.sort(key=lambda item: not drives_the_app(item))


@pytest.fixture(scope="session")
def scenario():
    return load_scenario(DECKS)


@pytest.fixture
def game(scenario):
    """A fresh bot-only game with seed 1."""
    return new_game(scenario, make_setup(scenario, seed=1))


def play_first_legal(state):
    """Drive a game to the end taking the first legal action each time (a fixed line of play)."""
    while not state.over:
        who = current_actor(state)
        state = apply_action(state, legal_actions(state, who)[0])
    return state


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch):
    """No blinking cursors in the app under test, so Pilot tests and snapshots are the same every time."""
    from textual.reactive import reactive
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", reactive(False, init=False))
    Input.cursor_blink.__set_name__(Input, "cursor_blink")


_NOTICES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def notices(app) -> list[str]:
    """Every notification's message since the first call for `app`, in order (its `notify` is wrapped)."""
    if app not in _NOTICES:
        seen: list[str] = []
        notify = app.notify

        def recording(message, **kwargs):
            seen.append(message)
            notify(message, **kwargs)

        app.notify = recording
        _NOTICES[app] = seen
    return _NOTICES[app]


async def wait_for(pilot, condition, what: str, limit: float = 120.0) -> None:
    """Let a Textual app's timers (bots) run until `condition()` holds, then let the screen settle.

    It polls with a plain sleep: `pilot.pause()` sends every widget of the screen a
    message and waits for each to handle it, and doing that every 10 ms through a
    whole bot game cost more CPU than the game itself. Once `condition()` holds, one
    `pilot.pause(0)` waits for what the screen was sent to be handled, and the
    condition is checked again.

    `limit` (seconds of polling) only guards against a hang: with four test workers
    on two cores, and other work on the machine, a whole bot game in the app took over a minute."""
    waited = 0.0
    while True:
        if condition():
            await pilot.pause(0)
            if condition():
                return
        if waited > limit:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)
        waited += 0.01


async def click(pilot, selector: str) -> None:
    """Click the widget `selector` names, where it is now drawn, and fail if the click lands elsewhere.

    `pilot.click` aims at the widget's place in the last frame drawn; after a change of layout
    (a message shown above a button) the next frame may not have been drawn yet. `pilot.pause()`
    draws it first."""
    await pilot.pause()
    assert await pilot.click(selector), f"the click on {selector} landed elsewhere"


async def run_command(pilot, text: str) -> None:
    """Open the command palette, type `text`, wait for its first match and run it."""
    from textual.command import CommandList, CommandPalette

    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the command palette")
    await pilot.press(*text)
    hits = app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: hits.option_count and hits.highlighted is not None
                   and text.lower() in str(hits.get_option_at_index(0).prompt).lower(), f"a command matching {text!r}")
    await pilot.press("enter")


def said(entry, scenario=None) -> str:
    """A log entry's sentence, worded by `wargame.narrate` (for the built-in scenario unless given)."""
    from wargame.narrate import sentence

    return sentence(scenario or _builtin(), entry)


_BUILTIN = []


def _builtin():
    if not _BUILTIN:
        _BUILTIN.append(load_scenario(DECKS))
    return _BUILTIN[0]
