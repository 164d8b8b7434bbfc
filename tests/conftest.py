"""Shared fixtures: the built-in scenario (loaded once) and quick game helpers."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from wargame.engine import current_actor, legal_actions, make_setup, new_game, apply_action
from wargame.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
DECKS = ROOT / "decks"

# The installation's save-signing key of this test session (and of the commands it runs)
# lives in a folder of its own, never the user's data folder.
os.environ["WARGAME_DATA"] = tempfile.mkdtemp(prefix="wargame-test-data-")


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


async def wait_for(pilot, condition, what: str, limit: float = 20.0) -> None:
    """Let a Textual app's timers (bots) run until `condition()` holds."""
    waited = 0.0
    while not condition():
        if waited > limit:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.01)
        waited += 0.01


async def run_command(pilot, text: str) -> None:
    """Open the command palette, type `text` and run the first match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause(0.2)
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
