"""Snapshot tests of the app's main screens at a fixed size and seed.

Baselines live in tests/__snapshots__/ (regenerate with --snapshot-update and
look at them before committing). Bots play instantly, cursors do not blink
when headless, and toasts are cleared before the picture is taken.
"""

from __future__ import annotations

from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game
from wargame.tui.app import WargameApp
from wargame.tui.screens.board import BoardScreen
from wargame.tui.screens.decisions import DecisionScreen
from wargame.tui.screens.game_over import GameOverScreen
from wargame.tui.screens.handoff import HandOffScreen

from conftest import play_first_legal

from conftest import wait_for  # noqa: E402

SIZE = (100, 30)




def first_legal_until_human(state):
    """A fixed line of play (first legal action) up to the human's first decision.

    Independent of the bots' personalities, so a change to wargame.bots does
    not change these pictures; a change to the decks does.
    """
    while not state.over and not state.is_human(current_actor(state)):
        state = apply_action(state, legal_actions(state, current_actor(state))[0])
    return state


def ukraine_game(scenario) -> WargameApp:
    state = new_game(scenario, make_setup(scenario, 1, humans={"ukr": "Team Kyiv"}))
    return WargameApp(state=first_legal_until_human(state), speed=0)


def test_setup_screen(snap_compare):
    app = WargameApp(speed=0, setup_seed=1234)
    assert snap_compare(app, press=["n"], terminal_size=SIZE)


def test_handoff_screen(snap_compare, scenario):
    app = ukraine_game(scenario)

    async def run_before(pilot):
        await wait_for(pilot, lambda: isinstance(app.screen, HandOffScreen), "the expected screen")
        app.clear_notifications()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def board_after_handoff(app: WargameApp):
    async def run_before(pilot):
        await wait_for(pilot, lambda: isinstance(app.screen, HandOffScreen), "the expected screen")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the expected screen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "the expected screen")
        app.clear_notifications()

    return run_before


def test_board(snap_compare, scenario):
    app = ukraine_game(scenario)
    assert snap_compare(app, run_before=board_after_handoff(app), terminal_size=SIZE)


def test_board_at_80x24(snap_compare, scenario):
    app = ukraine_game(scenario)
    assert snap_compare(app, run_before=board_after_handoff(app), terminal_size=(80, 24))


def test_proposal_decision(snap_compare, scenario):
    app = ukraine_game(scenario)

    async def run_before(pilot):
        await wait_for(pilot, lambda: isinstance(app.screen, HandOffScreen), "the expected screen")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the expected screen")
        await pilot.press("tab", *"We hold the line")
        app.clear_notifications()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_game_over_screen(snap_compare, scenario):
    finished = play_first_legal(new_game(scenario, make_setup(scenario, 3, humans={"ukr": "Team Kyiv"})))
    app = WargameApp(state=finished, speed=0)

    async def run_before(pilot):
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the expected screen")
        app.clear_notifications()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
