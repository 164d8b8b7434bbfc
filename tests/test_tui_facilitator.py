"""Pilot tests of the facilitator console and the round clock.

The console's moves must reach the engine through `app.act` (so they are in
the state's action log and log), a refusal must change nothing, undo must
give back the exact previous state, and the round clock must never act.
"""

from __future__ import annotations

from textual.widgets import Button, Input, Select, Static, TabbedContent, Tabs

from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game
from wargame.engine.rounds import due_injects
from wargame.model import GameState
from wargame.tui.app import WargameApp
from wargame.tui.screens.board import BoardScreen
from wargame.tui.screens.facilitator import ConfirmScreen, FacilitatorScreen
from wargame.tui.screens.handoff import HandOffScreen
from wargame.tui.widgets import StatusBar
from wargame.tui.widgets.clock import RoundClock

from conftest import click as click_where_drawn, notices, run_command, said, wait_for  # noqa: E402

SIZE = (120, 40)




messages = notices


def human_turn(scenario, seed: int, human: str, round_no: int) -> GameState:
    """A facilitated game played by a fixed line (first legal action) up to `human`'s turn in `round_no`."""
    state = new_game(scenario, make_setup(scenario, seed, humans={human: "Team"}, facilitated=True))
    while not (state.round >= round_no and current_actor(state) == human and state.pending is None):
        assert not state.over, "the fixed line of play ended the game too soon"
        state = apply_action(state, legal_actions(state, current_actor(state))[0])
    return state


async def open_console(app: WargameApp, pilot) -> FacilitatorScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen) and app.flow.human_turn() is not None,
                   "the team's turn")
    await pilot.press("f")
    await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console")
    await pilot.pause()  # let the console settle (its first focus) before a test switches tabs
    return app.screen


async def show_tab(pilot, console: FacilitatorScreen, tab: str) -> None:
    """Switch tabs as a user's Tab key does: the focus moves into the page, and the page shows."""
    console.query_one(f"#{tab}").query("Select, Input").first().focus()
    await wait_for(pilot, lambda: console.query_one(TabbedContent).active == tab, f"the tab {tab}")
    pane = console.query_one(f"#{tab}")
    await wait_for(pilot, lambda: all(b.region.height > 0 for b in pane.query(Button)), f"the tab {tab}")
    await pilot.pause()


async def click(pilot, selector: str) -> None:
    pilot.app.clear_notifications()  # a toast over the button would take the click
    await click_where_drawn(pilot, selector)
    await pilot.pause()


async def test_fire_and_skip_due_injects(scenario):
    state = human_turn(scenario, 3, "ukr", 2)
    due = due_injects(state)
    assert len(due) >= 2
    app = WargameApp(state=state, speed=0)
    notices(app)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(app, pilot)
        assert app.paused and app.inject_hold  # a round with injects due starts with the bots held
        # Enter on the due list fires the highlighted inject (the first due).
        await pilot.press("enter")
        await pilot.pause()
        first = scenario.inject(due[0])
        assert app.state.injects_done[due[0]] == "fired"
        assert app.state.actions[-1].kind == "fire_inject" and app.state.actions[-1].inject == due[0]
        assert any(e.kind == "inject" and first.title in said(e) for e in app.state.log)
        # Skip the next one with a reason.
        second = due_injects(app.state)[0]
        console.query_one("#inject-reason", Input).value = "no time for it today"
        await click(pilot, "#inject-skip")
        assert app.state.injects_done[second] == "skipped"
        assert app.state.log[-1].kind == "inject" and "skips" in said(app.state.log[-1])
        assert app.state.actions[-1].text == "no time for it today"
        assert second not in due_injects(app.state)
        assert any("skips" in m for m in messages(app))  # the console action is shown as a toast


async def test_round_start_tells_the_facilitator_of_due_injects(scenario):
    state = human_turn(scenario, 3, "ukr", 1)
    app = WargameApp(state=state, speed=0)
    notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "1 inject due — press f" in messages(app), "the round's notice")
        assert messages(app).count("1 inject due — press f") == 1
        # The command palette opens the console too.
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "the board")
        await run_command(pilot, "Facilitator console")
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console from the palette")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "the board again")


async def test_adjudicate_needs_a_reason_and_undo_restores(scenario):
    state = human_turn(scenario, 3, "ukr", 1)
    app = WargameApp(state=state, speed=0)
    notices(app)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(app, pilot)
        await show_tab(pilot, console, "tab-adjudicate")
        before = app.state
        copy = before.clone()
        old = before.tracks["ceasefire"]
        new = 9 if old != 9 else 8
        console.query_one("#adjudicate-target", Select).value = "ceasefire"
        console.query_one("#adjudicate-value", Input).value = str(new)
        # No reason: refused with a word of why, nothing applied.
        await click(pilot, "#adjudicate-apply")
        assert app.state is before and app.state.tracks["ceasefire"] == old
        assert any("needs a reason" in m for m in messages(app))
        # With a reason: the value changes and the log keeps the reason.
        console.query_one("#adjudicate-reason", Input).value = "the room agreed a local truce"
        await click(pilot, "#adjudicate-apply")
        assert app.state.tracks["ceasefire"] == new
        assert app.state.log[-1].kind == "adjudication" and "the room agreed a local truce" in said(app.state.log[-1])
        assert app.state.actions[-1].kind == "adjudicate"
        # Undo, confirmed: the exact state from before the adjudication.
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the undo question")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console again")
        assert app.state == copy
        assert app.state.tracks["ceasefire"] == old and app.state.actions == copy.actions
        # Undo, declined: nothing changes.
        undone = app.state
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the undo question")
        await pilot.press("n")
        await pilot.pause()
        assert app.state is undone


async def test_undo_with_nothing_to_undo_is_refused(scenario):
    # The United States sit first in round 1: at their first turn no move has been made.
    state = new_game(scenario, make_setup(scenario, 3, humans={"usa": "Team"}, facilitated=True))
    assert not state.actions and current_actor(state) == "usa"
    app = WargameApp(state=state, speed=0)
    notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_console(app, pilot)
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert isinstance(app.screen, FacilitatorScreen)
        assert app.state is state
        assert any("Nothing to undo" in m for m in messages(app))


async def test_note_goes_into_the_log(scenario):
    state = human_turn(scenario, 3, "ukr", 1)
    app = WargameApp(state=state, speed=0)
    notices(app)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(app, pilot)
        await show_tab(pilot, console, "tab-notes")
        box = console.query_one("#note-text", Input)
        box.focus()
        await pilot.press(*"Kyiv hesitates")
        await pilot.press("enter")
        await pilot.pause()
        entry = app.state.log[-1]
        assert entry.kind == "note" and entry.round == state.round
        assert "Kyiv hesitates" in said(entry)
        action = app.state.actions[-1]
        assert action.kind == "note" and action.delegation is None
        assert action.text[0] == "[" and action.text[6:] == "] Kyiv hesitates"  # [HH:MM] wall-clock stamp
        assert box.value == ""
        # An empty note is refused and changes nothing.
        before = app.state
        await pilot.press("enter")
        await pilot.pause()
        assert app.state is before


async def test_clock_counts_down_and_never_acts(scenario):
    state = human_turn(scenario, 3, "ukr", 1)
    now = [1000.0]
    app = WargameApp(state=state, speed=0)
    app.time_source = lambda: now[0]
    notices(app)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(app, pilot)
        assert app.paused and app.inject_hold  # round 1 has an inject due: the bots (and the clock) wait for it
        await pilot.press("ctrl+b")  # the facilitator lets the round go on without it
        assert not app.paused and not app.inject_hold
        await show_tab(pilot, console, "tab-clock")
        console.query_one("#clock-minutes", Input).value = "1"
        await click(pilot, "#clock-set")
        assert app.clock.text == "01:00" and app.clock_minutes == 1  # saved with the game
        actions_before = list(app.state.actions)
        state_before = app.state
        now[0] += 30
        app.tick_clock()
        assert app.clock.text == "00:30"
        # The console shows the clock too, on its page and top right (at 80x24 it covers the board's).
        await wait_for(pilot, lambda: "Now 00:30" in str(console.query_one("#clock-state").content), "the console's clock")
        assert "00:30" in str(console.query_one(RoundClock).content)
        assert "00:30" in str(app.board.query_one(RoundClock).content)
        # Paused with the console's pause: the clock holds.
        await pilot.press("ctrl+b")
        assert app.paused
        now[0] += 20
        app.tick_clock()
        assert app.clock.text == "paused 00:30"
        await pilot.press("ctrl+b")
        assert not app.paused
        now[0] += 31
        app.tick_clock()
        assert app.clock.expired and app.clock.text == "time is up"
        await pilot.pause()
        assert sum("Time is up" in m for m in messages(app)) == 1
        now[0] += 60
        app.tick_clock()
        await pilot.pause()
        assert sum("Time is up" in m for m in messages(app)) == 1  # it rings once
        # Running out changed nothing in the game.
        assert app.state is state_before and app.state.actions == actions_before


async def test_the_game_waits_while_the_console_is_open(scenario):
    # Bots only, at a brisk pace; not facilitated, so no round waits for its injects on its own.
    state = new_game(scenario, make_setup(scenario, 5))
    app = WargameApp(state=state, speed=0.02)
    notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.state.actions) >= 2, "the bots' first moves")
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console")
        moves = len(app.state.actions)
        await pilot.pause(0.5)  # 25 bot moves' worth of time
        assert len(app.state.actions) == moves and not app.paused
        assert "bots wait until the console closes" in str(app.screen.query_one("#console-summary").content)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(app.state.actions) > moves, "the bots to carry on")


async def test_a_facilitated_round_waits_for_its_injects(scenario):
    state = new_game(scenario, make_setup(scenario, 5, facilitated=True))  # bots only
    due = due_injects(state)
    assert due, "round 1 of the built-in MSEL has an inject"
    app = WargameApp(state=state, speed=0.02)
    notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.inject_hold and app.paused, "the hold for round 1's injects")
        await pilot.pause(0.3)  # 15 bot moves' worth of time
        assert app.state.actions == [] and "bots wait for the injects: f" in str(app.screen.query_one(StatusBar).content)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console")
        for _ in due:
            await pilot.press("enter")  # fire the highlighted due inject
            await pilot.pause()
        assert not due_injects(app.state)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "the bots play on" in " ".join(messages(app)), "the word that the bots play on")
        await wait_for(pilot, lambda: len(app.state.actions) > len(due), "the bots to play on")


# --- the console from every screen, and its keys ------------------------------------------------


def two_teams(scenario, seed: int = 3) -> GameState:
    """A facilitated game for two human teams at one screen, no inject due: it opens on a hand-off."""
    state = new_game(scenario, make_setup(scenario, seed, humans={"usa": "Blue", "rus": "Red"}, facilitated=True))
    for inject in due_injects(state):
        from wargame.model import SkipInject

        state = apply_action(state, SkipInject(inject))
    return state


async def test_console_opens_from_the_handoff_without_revealing_a_hand(scenario):
    app = WargameApp(state=two_teams(scenario), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HandOffScreen), "the hand-off")
        waiting_for = app.screen.delegation
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console")
        assert app.hand.owner is None and app.flow.revealed_for is None
        assert not any(isinstance(s, HandOffScreen) for s in app.screen_stack)  # closed, not answered
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HandOffScreen), "the hand-off again")
        assert app.screen.delegation == waiting_for and app.hand.owner is None
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.hand.owner == waiting_for, "the hand, after the team's Enter")


async def test_console_opens_from_a_decision_and_the_decision_comes_back(scenario):
    from wargame.model import Choice
    from wargame.tui.screens.decisions import DecisionScreen

    state = new_game(scenario, make_setup(scenario, 15, humans={"ukr": "Team"}, facilitated=True))
    while not isinstance(state.pending, Choice) or state.pending.chooser != "ukr":
        assert not state.over, "no choice for Ukraine on this line of play"
        actor = current_actor(state)
        state = apply_action(state, legal_actions(state, actor)[0])
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the decision")
        await pilot.press("f")  # a stray f of the team's: no console, no choice lost
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the decision again")
        assert app.state is state  # nothing was decided


async def test_console_opens_from_game_over_and_an_undo_leaves_it(scenario):
    from wargame.tui.screens.game_over import GameOverScreen

    state = new_game(scenario, make_setup(scenario, 3, humans={"ukr": "Team"}, facilitated=True, rounds=1))
    while not state.over:
        state = apply_action(state, legal_actions(state, current_actor(state))[-1])
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "game over")
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console")
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the undo question")
        await pilot.press("y")
        await wait_for(pilot, lambda: len(app.state.actions) == len(state.actions) - 1, "the undo")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not any(isinstance(s, GameOverScreen) for s in app.screen_stack),
                       "the stale outcome gone")
        assert not app.state.over


async def test_console_tabs_switch_with_number_keys_and_ctrl_arrows(scenario):
    app = WargameApp(state=human_turn(scenario, 3, "ukr", 1), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(app, pilot)
        tabs = console.query_one(TabbedContent)
        await pilot.press("4")
        await wait_for(pilot, lambda: tabs.active == "tab-adjudicate", "the Adjudicate tab")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "adjudicate-target",
                       "the focus on the page's first field")
        await pilot.press("ctrl+right")
        await wait_for(pilot, lambda: tabs.active == "tab-clock", "the next tab")
        await pilot.press("ctrl+left", "ctrl+left")
        await wait_for(pilot, lambda: tabs.active == "tab-events", "two tabs back")
        await pilot.press("6")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "note-text", "the note box")
        await pilot.press("3")  # typed into the note, not a tab switch
        await pilot.pause()
        assert tabs.active == "tab-notes" and console.query_one("#note-text", Input).value == "3"
        await pilot.press("ctrl+left")
        await wait_for(pilot, lambda: tabs.active == "tab-clock", "ctrl+← out of a text field")


async def test_tab_key_never_stops_on_a_scroll_area(scenario):
    from textual.containers import VerticalScroll

    app = WargameApp(state=human_turn(scenario, 3, "ukr", 1), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(app, pilot)
        for number, tab, last in ((1, "tab-injects", "#inject-postpone"), (3, "tab-events", "#event-fire"),
                                  (6, "tab-notes", "#note-announce")):
            console.query_one(Tabs).focus()  # out of any text field, where a digit is typed
            await pilot.press(str(number))
            await wait_for(pilot, lambda: console.query_one(TabbedContent).active == tab, tab)
            await pilot.pause()
            stops = set()
            for _ in range(12):  # the Tab key goes round the page: once round is every stop it can make
                await pilot.press("tab")
                if app.focused in stops:
                    break
                stops.add(app.focused)
            assert not any(isinstance(w, VerticalScroll) for w in stops), (tab, stops)
            assert console.query_one(last, Button) in stops, tab  # every field is reached, the last one too


# --- notes are private, announcements public ------------------------------------------------------


def board_log_text(app: WargameApp) -> str:
    from textual.widgets import Static

    return "\n".join(str(w.render()) for w in app.board.query(".log-round").results(Static))


async def test_a_note_is_private_and_an_announcement_public(scenario):
    app = WargameApp(state=human_turn(scenario, 3, "ukr", 1), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(app, pilot)
        await pilot.press("6")
        await wait_for(pilot, lambda: app.focused is console.query_one("#note-text"), "the note box")
        await pilot.press(*"Kyiv hesitates", "enter")
        await wait_for(pilot, lambda: app.state.actions and app.state.actions[-1].kind == "note", "the note")
        assert "Kyiv hesitates" in str(console.query_one("#notes", Static).render())
        console.query_one("#note-text", Input).value = "Talks resume at noon"
        await click(pilot, "#note-announce")
        await wait_for(pilot, lambda: app.state.actions[-1].kind == "announce", "the announcement")
        assert app.state.log[-1].kind == "announcement"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "the board")
        await pilot.pause()
        text = board_log_text(app)
        assert "The facilitator announces: Talks resume at noon" in text
        assert "Kyiv hesitates" not in text and "note" not in text.lower()


async def test_a_note_is_tagged_and_filed_under_an_objective(scenario):
    objective = scenario.exercise.objectives[0].id
    app = WargameApp(state=human_turn(scenario, 3, "ukr", 1), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(app, pilot)
        await pilot.press("6")
        await pilot.pause()
        console.query_one("#note-tag", Select).value = "improvement"
        console.query_one("#note-objective", Select).value = objective
        console.query_one("#note-text", Input).value = "Red team ignored the monitors"
        await click(pilot, "#note-add")
        await wait_for(pilot, lambda: app.state.actions and app.state.actions[-1].kind == "note", "the note")
        note = app.state.actions[-1]
        assert (note.tag, note.objective) == ("improvement", objective)
        assert note.text.endswith("Red team ignored the monitors")
        assert not isinstance(console.query_one("#note-tag", Select).value, str)  # cleared for the next note


async def test_undo_keeps_the_undone_action_and_the_reason_on_record(scenario):
    state = human_turn(scenario, 3, "ukr", 1)
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        console = await open_console(app, pilot)
        await pilot.press("6")
        await wait_for(pilot, lambda: app.focused is console.query_one("#note-text"), "the note box")
        await pilot.press(*"wrong note", "enter")
        await wait_for(pilot, lambda: len(app.state.actions) == len(state.actions) + 1, "the note")
        await pilot.press("ctrl+left")
        await wait_for(pilot, lambda: console.query_one(TabbedContent).active == "tab-clock", "the Clock tab")
        console.query_one("#undo-reason", Input).value = "typed into the wrong box"
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the undo question")
        assert "Reason: typed into the wrong box" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        await wait_for(pilot, lambda: app.state.actions == state.actions, "the undo")
        (undone,) = app.state.record.undone
        assert undone.action.kind == "note" and undone.reason == "typed into the wrong box"
        assert undone.index == len(state.actions) and undone.at
        assert console.query_one("#undo-reason", Input).value == ""


# --- the round's event, previewed -----------------------------------------------------------------


def previewed_game(scenario, seed: int = 3) -> GameState:
    from wargame.model import SkipInject

    state = new_game(scenario, make_setup(scenario, seed, humans={"ukr": "Kyiv"}, facilitated=True, event_preview=True))
    for inject in due_injects(state):
        state = apply_action(state, SkipInject(inject))
    return state


async def test_the_console_opens_on_the_rounds_event_and_holds_it(scenario):
    state = previewed_game(scenario)
    card = state.pending.event
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console, by itself")
        console = app.screen
        assert console.query_one(TabbedContent).active == "tab-events"
        assert scenario.event(card).title in str(console.query_one("#round-event", Static).render())
        await click(pilot, "#round-hold")
        await wait_for(pilot, lambda: app.state.log[-1].kind == "event_held", "the event held")
        assert card in app.state.event_deck
        await wait_for(pilot, lambda: not console.query_one("#round-event-box").display, "the panel gone")
        await pilot.press("escape")
        # back to the game: the board, or a team's decision the bots' moves have put over it
        await wait_for(pilot, lambda: not isinstance(app.screen, FacilitatorScreen)
                       and isinstance(app.screen_stack[0], BoardScreen), "the game")


async def test_firing_an_event_that_ends_in_collapse_asks_first(scenario):
    from wargame.model import Adjudicate

    state = previewed_game(scenario)
    hot = next(e for e in scenario.events if e.chooser is None and any(x.target == "tension" and x.delta > 0 and x.when is None for x in e.effects))
    state = apply_action(state, Adjudicate("tension", 9, "a tense start"))
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console")
        console = app.screen
        console.query_one("#event-select", Select).value = hot.id
        await pilot.pause()
        await click(pilot, "#round-swap")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the collapse question")
        assert "the talks collapse" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the console again")
        assert app.state is state or app.state.actions == state.actions
        await click(pilot, "#round-swap")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the collapse question")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.state.over, "the collapse")
        assert app.state.outcome == "collapse"


async def test_the_facilitator_rates_an_objective_on_the_game_over_screen(scenario):
    from wargame.tui.screens.game_over import GameOverScreen

    state = new_game(scenario, make_setup(scenario, 3, humans={"ukr": "Team"}, facilitated=True, rounds=1))
    while not state.over:
        state = apply_action(state, legal_actions(state, current_actor(state))[-1])
    objective = scenario.exercise.objectives[0].id
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "game over")
        screen = app.screen
        assert not isinstance(app.focused, (Input, Select))  # r, w, n, b act at once
        screen.query_one("#rate-objective", Select).value = objective
        screen.query_one("#rate-rating", Select).value = "S"
        evidence = screen.query_one("#rate-evidence", Input)
        evidence.focus()
        await pilot.press(*"talks held", "enter")
        await wait_for(pilot, lambda: app.state.actions[-1].kind == "rate", "the rating")
        rate = app.state.actions[-1]
        assert (rate.objective, rate.rating, rate.text) == (objective, "S", "talks held")
        await wait_for(pilot, lambda: f"{objective}: S — talks held" in str(screen.query_one("#ratings", Static).render()),
                       "the rating shown")
        assert evidence.value == ""
