"""Snapshot tests of every screen of the app at fixed sizes and seeds.

Baselines live in tests/__snapshots__/ (regenerate with --snapshot-update and
look at them before committing). Bots play instantly, cursors do not blink
(conftest), and notices are cleared before the picture is taken. The games are
played by a fixed line (the first legal action), independent of the bots'
personalities, so a change to wargame.bots does not change these pictures; a
change to the decks does.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest
from textual.widgets import ContentSwitcher, TabbedContent, Tabs

from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game
from wargame.report import build_report
from wargame.model import Choice, GameState, Proposal, ViolationPending
from wargame.tui.app import WargameApp
from wargame.tui.screens.board import BoardScreen
from wargame.tui.screens.decisions import DecisionScreen
from wargame.tui.screens.facilitator import FacilitatorScreen
from wargame.tui.screens.game_over import GameOverScreen
from wargame.tui.screens.handoff import HandOffScreen
from wargame.tui.screens.help import HelpScreen, ReportScreen
from wargame.tui.screens.saves import LoadScreen, SaveNameScreen

from conftest import play_first_legal, wait_for

SIZE = (100, 30)
SIZES = {"80x24": (80, 24), "160x48": (160, 48), "200x60": (200, 60)}


def first_legal_until(state: GameState, stop: Callable[[GameState], bool]) -> GameState:
    """The fixed line of play until a human team is to act and `stop` holds."""
    while not (state.is_human(current_actor(state)) and stop(state)):
        assert not state.over, "the fixed line of play ended the game first"
        state = apply_action(state, legal_actions(state, current_actor(state))[0])
    return state


def solo_game(scenario, seed=1, stop=lambda s: True, **kwargs) -> GameState:
    return first_legal_until(new_game(scenario, make_setup(scenario, seed, humans={"ukr": "Team Kyiv"}, **kwargs)), stop)


def quiet(app: WargameApp) -> None:
    app.clear_notifications()
    app.notice = None


def until(app: WargameApp, screen_type, *keys: str):
    """Press `keys` once the first screen is up, then wait for a `screen_type` and clear the notices."""
    async def run_before(pilot):
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await wait_for(pilot, lambda: isinstance(app.screen, screen_type), f"the {screen_type.__name__}")
        await pilot.pause()
        quiet(app)
        await pilot.pause()

    return run_before


def test_title_screen(snap_compare, tmp_path):
    assert snap_compare(WargameApp(speed=0, saves_dir=tmp_path), terminal_size=SIZE)


def test_setup_screen(snap_compare):
    app = WargameApp(speed=0, setup_seed=1234)
    assert snap_compare(app, press=["n"], terminal_size=SIZE)


def test_setup_screen_exercise(snap_compare):
    """The exercise's fields (name, scope, objectives with capabilities) as the scenario gives them, scrolled to."""
    from wargame.tui.screens.setup import ObjectiveRow, SetupScreen

    app = WargameApp(speed=0, setup_seed=1234)

    async def run_before(pilot):
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen) and app.screen.query(ObjectiveRow), "the setup")
        app.screen.query_one("#exercise").collapsed = False
        add = app.screen.query_one("#add-objective")
        # the unfolded exercise laid out first: a scroll to the button worked out before that stops short
        await wait_for(pilot, lambda: add.size.height > 0, "the unfolded exercise")
        await pilot.pause()
        add.focus()  # the bottom of the exercise: it scrolls into view
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


@pytest.mark.parametrize("size", SIZES)
def test_board(snap_compare, scenario, size):
    app = WargameApp(state=solo_game(scenario, stop=lambda s: s.pending is None), speed=0)
    assert snap_compare(app, run_before=until(app, BoardScreen), terminal_size=SIZES[size])


def test_brief_screen(snap_compare, scenario):
    """At 80x24 the board folds the brief to one line; b shows it in full."""
    from wargame.tui.screens.brief import BriefScreen

    app = WargameApp(state=solo_game(scenario, stop=lambda s: s.pending is None), speed=0)
    assert snap_compare(app, run_before=until(app, BriefScreen, "b"), terminal_size=SIZES["80x24"])


@pytest.mark.parametrize("size", ["80x24", "200x60"])
def test_handoff_screen(snap_compare, scenario, size):
    state = new_game(scenario, make_setup(scenario, 3, humans={"usa": "Blue", "rus": "Red"}, facilitated=True))
    app = WargameApp(state=state, speed=0, clock_minutes=10)
    app.time_source = lambda: 0.0  # the clock stands still: the same picture every time
    assert snap_compare(app, run_before=until(app, HandOffScreen), terminal_size=SIZES[size])


def test_play_card_decision(snap_compare, scenario):
    state = solo_game(scenario, stop=lambda s: s.pending is None)
    app = WargameApp(state=state, speed=0)
    assert snap_compare(app, run_before=until(app, DecisionScreen, "1"), terminal_size=SIZE)


def test_pass_decision(snap_compare, scenario):
    app = WargameApp(state=solo_game(scenario, stop=lambda s: s.pending is None), speed=0)
    assert snap_compare(app, run_before=until(app, DecisionScreen, "p"), terminal_size=SIZE)


def test_proposal_decision_with_a_rationale(snap_compare, scenario):
    app = WargameApp(state=solo_game(scenario, stop=lambda s: isinstance(s.pending, Proposal)), speed=0)
    assert snap_compare(app, run_before=until(app, DecisionScreen, "tab", *"We hold the line"), terminal_size=SIZE)


def test_event_choice_decision(snap_compare, scenario):
    app = WargameApp(state=solo_game(scenario, 15, stop=lambda s: isinstance(s.pending, Choice)), speed=0)
    assert snap_compare(app, run_before=until(app, DecisionScreen), terminal_size=SIZE)


def test_violation_response_decision(snap_compare, scenario):
    app = WargameApp(state=solo_game(scenario, 9, stop=lambda s: isinstance(s.pending, ViolationPending)), speed=0)
    assert snap_compare(app, run_before=until(app, DecisionScreen), terminal_size=SIZE)


@pytest.mark.parametrize("tab", ["tab-injects", "tab-msel", "tab-events", "tab-adjudicate", "tab-clock", "tab-notes"])
def test_facilitator_console(snap_compare, scenario, tab):
    state = solo_game(scenario, 3, stop=lambda s: s.pending is None, facilitated=True)
    app = WargameApp(state=state, speed=0)

    async def run_before(pilot):
        await until(app, FacilitatorScreen, "f")(pilot)
        pane = app.screen.query_one(f"#{tab}")
        first = pane.query("Select, Input, Button").first() if pane.query("Select, Input, Button") else None
        if first is not None:
            first.focus()  # as the Tab key does: the focus moves into the page, and the page shows
        else:  # as a click on the tab does: the tab bar takes the focus, and the page shows
            app.screen.query_one(Tabs).focus()
            app.screen.query_one(TabbedContent).active = tab
        switcher = app.screen.query_one(ContentSwitcher)
        await wait_for(pilot, lambda: switcher.current == tab and app.screen.query_one(f"#{tab}").region.height > 0,
                       f"the tab {tab}")
        await pilot.pause()
        quiet(app)
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


@pytest.fixture
def saves_here(tmp_path, monkeypatch) -> Path:
    """A saves folder that the screens name the same every time ("saves"), with times shown in UTC."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield Path("saves")
    monkeypatch.undo()
    time.tzset()


def test_save_screen(snap_compare, scenario, saves_here):
    app = WargameApp(state=solo_game(scenario, stop=lambda s: s.pending is None), speed=0, saves_dir=saves_here)
    assert snap_compare(app, run_before=until(app, SaveNameScreen, "ctrl+s"), terminal_size=SIZE)


def test_load_screen(snap_compare, scenario, saves_here):
    from wargame import saves

    when = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
    saves.write_save(solo_game(scenario), saves_here / "workshop-one.toml", game_id="0123456789", name="workshop one",
                     created=when, updated=when)
    app = WargameApp(speed=0, saves_dir=saves_here)
    assert snap_compare(app, run_before=until(app, LoadScreen, "l"), terminal_size=SIZE)


def finished(scenario) -> WargameApp:
    return WargameApp(state=play_first_legal(new_game(scenario, make_setup(scenario, 3, humans={"ukr": "Team Kyiv"}))),
                      speed=0)


def test_game_over_screen(snap_compare, scenario):
    app = finished(scenario)
    assert snap_compare(app, run_before=until(app, GameOverScreen), terminal_size=SIZE)


def test_report_screen(snap_compare, scenario):
    app = finished(scenario)

    async def run_before(pilot):
        await until(app, GameOverScreen)(pilot)
        # The report as `r` shows it, dated on a fixed day (the app dates it today).
        app.push_screen(ReportScreen(build_report(app.state, created="2025-03-01")))
        await until(app, ReportScreen)(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_help_screen(snap_compare):
    app = WargameApp(speed=0)
    assert snap_compare(app, run_before=until(app, HelpScreen, "f1"), terminal_size=SIZE)
