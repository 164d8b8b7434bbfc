"""Pilot tests of the Textual app: whole games from the keyboard, decisions, hand-offs, wrong keys, quitting.

Every test drives the app with keys (pilot.press) and reads the outcome from
the app's game state and screens. Bots play instantly (speed 0); the app's
bot timers still run, so the helpers wait for the state to settle.
"""

from __future__ import annotations

from typing import Callable, Optional

import pytest
from textual.widgets import Input, OptionList, Select, Static

from wargame import bots
from wargame.cli import main
from wargame.engine import apply_action, current_actor, make_setup, new_game, scoring
from wargame.model import Action, Adjudicate, Answer, Choice, Choose, GameState, Pass, Proposal, Respond, Violation, ViolationPending
from wargame.tui import present
from wargame.tui.app import WargameApp
from wargame.tui.screens.board import BoardScreen
from wargame.tui.screens.confirm import ConfirmScreen
from wargame.tui.screens.decisions import DecisionScreen, violation_response
from wargame.tui.screens.game_over import GameOverScreen
from wargame.tui.screens.handoff import HandOffScreen
from wargame.tui.screens.help import HelpScreen, ReportScreen
from wargame.tui.screens.setup import SetupScreen
from wargame.tui.screens.title import TitleScreen
from wargame.tui.widgets import HandList, StatusBar

from conftest import click, said, run_command, wait_for  # noqa: E402

SIZE = (120, 40)


def text_of(widget: Static) -> str:
    return str(widget.content)




def waiting_for_keys(app: WargameApp) -> bool:
    """The app waits for a person: a hand-off, a decision, the game over, or a human's turn on the board."""
    if isinstance(app.screen, (HandOffScreen, DecisionScreen, GameOverScreen)):
        return True
    return isinstance(app.screen, BoardScreen) and app.flow.human_turn() is not None


def start(scenario, seed: int, humans: dict[str, str], **kwargs) -> GameState:
    return new_game(scenario, make_setup(scenario, seed, humans=humans, **kwargs))


# --- a fixed line of play for the human, the same in a plain simulation and from the keyboard


def human_policy(state: GameState, delegation: str) -> Action:
    """Reject proposals, take an event's first option, protest violations, pass turns."""
    p = state.pending
    if isinstance(p, Proposal):
        return Answer(delegation, card=p.card, accept=False)
    if isinstance(p, Choice):
        return Choose(delegation, card=p.event, option=state.scenario.event(p.event).options[0].id)
    if isinstance(p, ViolationPending):
        return Respond(delegation, response="protest")
    return Pass(delegation)


def simulate(state: GameState, stop: Callable[[GameState], bool]) -> Optional[GameState]:
    """Bots and the human policy until `stop` holds (the state then) or the game ends (None)."""
    while not state.over:
        if stop(state):
            return state
        who = current_actor(state)
        state = apply_action(state, human_policy(state, who) if state.is_human(who) else bots.choose(state, who))
    return None


# --- (a) a whole game, one human team against bots, keyboard only


async def test_whole_game_from_the_keyboard(scenario):
    # Three rounds: the team plays a card with the arrows, one with a number key, passes and answers
    # decisions (the asserts below check each happened); more rounds repeat those keys.
    app = WargameApp(state=start(scenario, 2, {"ukr": "Team Kyiv"}, rounds=3), speed=0)
    seen = {"handoff": 0, "decision": 0, "played": 0, "passed": 0}
    async with app.run_test(size=SIZE) as pilot:
        for step in range(400):
            await wait_for(pilot, lambda: waiting_for_keys(app), "the app to wait for a key")
            screen = app.screen
            if isinstance(screen, GameOverScreen):
                break
            if isinstance(screen, HandOffScreen):
                assert not app.screen.query(HandList) and app.hand.owner is None
                seen["handoff"] += 1
                await pilot.press("enter")
            elif isinstance(screen, DecisionScreen):
                seen["decision"] += 1
                # Alternate between the first and the second option to use both.
                await pilot.press("tab", *f"r{step}")
                if step % 2 and len(screen.choices) > 1 and not screen.choices[1][2] and screen.choices[1][0] is not None:
                    await pilot.press("down")
                await pilot.press("enter")
            else:
                state = app.state
                me = current_actor(state)
                affordable = [i for i, c in enumerate(state.hands[me]) if state.scenario.concession(c).cost <= state.capital[me]]
                if affordable and seen["played"] <= seen["passed"]:
                    seen["played"] += 1
                    if seen["played"] == 1:
                        # Arrow keys and Enter on the hand, once; number keys afterwards.
                        for _ in range(affordable[0]):
                            await pilot.press("down")
                        await pilot.press("enter")
                    else:
                        await pilot.press(str(affordable[0] + 1))
                else:
                    seen["passed"] += 1
                    await pilot.press("p")
        else:
            pytest.fail("the game did not end")
        state = app.state
        assert state.over
        outcome = text_of(app.screen.query_one("#outcome", Static))
        assert outcome == scoring.OUTCOME_TEXT[state.outcome]
        scores = text_of(app.screen.query_one("#scores", Static))
        for d in state.setup.delegations:
            assert present.name(state, d) in scores
            assert f"{scoring.score(state, d).total:.1f}" in scores
        assert seen["handoff"] == 0  # one human team: nobody to hide the hand from
        assert seen["played"] >= 2 and seen["passed"] >= 1  # the arrows and Enter once, a number key after and seen["decision"] >= seen["played"] + seen["passed"]
        mine = [a for a in state.actions if a.delegation == "ukr"]
        assert {a.kind for a in mine} >= {"play", "pass"}
        assert all(a.text.startswith("r") and a.text[1:].isdigit() for a in mine)
        assert any(e.delegation == "ukr" and e.rationale.startswith("r") for e in state.log)
        # The report from the game-over screen.
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "back to game over")


# --- (b) answering a proposal


def first_proposal_to(scenario, human: str) -> tuple[int, GameState]:
    """The first seed where a bot's proposal to `human` is the human's first decision."""
    for seed in range(1, 200):
        state = simulate(start(scenario, seed, {human: ""}), lambda s: current_actor(s) == human)
        if state is not None and isinstance(state.pending, Proposal):
            return seed, state
    raise AssertionError("no seed found")


async def test_answer_a_proposal_with_a_rationale(scenario):
    seed, expected = first_proposal_to(scenario, "ukr")
    proposal = expected.pending
    app = WargameApp(state=start(scenario, seed, {"ukr": "Team Kyiv"}), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the proposal")  # no hand-off: one team
        body = text_of(app.screen.query_one("#decision-body Static", Static))
        card = scenario.concession(proposal.card)
        assert card.title in body and card.source in body and present.name(expected, proposal.proposer) in body
        await pilot.press("tab", *"Not while Crimea is occupied", "down", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, DecisionScreen), "the answer")
        answer = next(a for a in app.state.actions if a.kind == "answer" and a.delegation == "ukr")
        assert answer == Answer("ukr", card=proposal.card, accept=False, text="Not while Crimea is occupied")
        entry = next(e for e in app.state.log if e.kind == "answer" and e.delegation == "ukr")
        assert "rejects" in said(entry) and card.title in said(entry)
        assert entry.rationale == "Not while Crimea is occupied"


# --- (c) responding to a violation, set up by the facilitator through the same path


SETUP_VIOLATION = [
    Adjudicate(target="ceasefire", value=10, text="test: a ceasefire is signed"),
    Adjudicate(target="tension", value=8, text="test: tension runs high"),
]


def first_violation_against(scenario, human: str) -> int:
    for seed in range(1, 300):
        state = start(scenario, seed, {human: ""}, facilitated=True)
        for a in SETUP_VIOLATION:
            state = apply_action(state, a)
        hit = simulate(state, lambda s: isinstance(s.pending, ViolationPending))
        if hit is not None and hit.pending.injured == human and hit.capital[human] >= 1:
            return seed
    raise AssertionError("no seed found")


async def test_respond_to_a_violation(scenario):
    seed = first_violation_against(scenario, "ukr")
    state = start(scenario, seed, {"ukr": "Team Kyiv"}, facilitated=True)
    for a in SETUP_VIOLATION:
        state = apply_action(state, a)
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        def held() -> bool:  # a round with injects due waits for the facilitator, who lets it go on
            return app.inject_hold and isinstance(app.screen, BoardScreen) and not waiting_for_keys(app)

        for _ in range(200):
            await wait_for(pilot, lambda: waiting_for_keys(app) or held(), "a human decision")
            screen = app.screen
            if held():
                await pilot.press("space")
                continue
            if isinstance(screen, HandOffScreen):
                await pilot.press("enter")
                continue
            if isinstance(screen, DecisionScreen) and isinstance(app.state.pending, ViolationPending):
                break
            assert not isinstance(screen, GameOverScreen), "the game ended without a violation"
            # The same line of play as the seed search: reject, first option, pass.
            pending = app.state.pending
            if isinstance(screen, BoardScreen):
                await pilot.press("p", "enter")
            elif isinstance(pending, Proposal):
                await pilot.press("down", "enter")
            else:
                await pilot.press("enter")
        screen = app.screen
        assert isinstance(app.state.pending, ViolationPending) and app.state.pending.injured == "ukr"
        labels = [str(prompt) for _, prompt, _ in screen.choices]
        assert any("Call for an investigation" in label for label in labels)
        # Investigate is the second response; it costs 1 and Ukraine can pay.
        await pilot.press("tab", *"Send the monitors in", "down", "enter")
        await wait_for(pilot, lambda: not isinstance(app.state.pending, ViolationPending), "the response")
        v = app.state.violations[-1]
        assert v.injured == "ukr" and v.response == "investigate"
        entry = next(e for e in reversed(app.state.log) if e.kind == "response")
        assert entry.delegation == "ukr" and entry.rationale == "Send the monitors in"
        assert any(e.kind == "adjudication" for e in app.state.log)


def test_unaffordable_responses_are_disabled(scenario):
    """The response screen marks what the injured side cannot pay for (capital drained by hand)."""
    state = start(scenario, 1, {"ukr": ""}).clone()
    state.pending = ViolationPending("rus", "ukr")
    state.violations = [Violation(state.round, "rus", "ukr")]  # as the ceasefire check records it: each option is previewed
    state.capital["ukr"] = 0
    screen = violation_response(state)
    disabled = {a.response: off for a, _, off in screen.choices}
    assert disabled == {"protest": False, "investigate": True, "retaliate": False}


# --- (d) keys at the wrong time


async def test_keys_at_the_wrong_time_do_no_harm(scenario):
    app = WargameApp(state=start(scenario, 1, {"ukr": "Team Kyiv", "rus": "Team Moscow"}), speed=0)
    bells = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HandOffScreen), "the first hand-off")
        # On the hand-off nothing but Enter moves on; no hand is on show.
        before = app.state
        await pilot.press("1", "p", "d", "o", "x", "space", "escape")
        assert app.state == before and isinstance(app.screen, HandOffScreen)
        first = app.screen.delegation
        await pilot.press("enter")
        await wait_for(pilot, lambda: waiting_for_keys(app), "a decision")
        if isinstance(app.screen, DecisionScreen):
            await pilot.press("escape")
            # A decision waits: playing or passing is refused, with a bell.
            count = len(bells)
            await pilot.press("1", "p")
            assert len(bells) == count + 2
            assert app.state == before
            await pilot.press("d")
            assert isinstance(app.screen, DecisionScreen)
            await pilot.press("enter")
        else:
            await pilot.press("p", "enter")
        # Someone else acts next; with two human teams the hand is hidden until their hand-off.
        await wait_for(pilot, lambda: waiting_for_keys(app) and current_actor(app.state) != first, "the next team")
        assert app.hand.owner in (None, current_actor(app.state))
        if isinstance(app.screen, HandOffScreen):
            count, state = len(bells), app.state
            await pilot.press("9", "p", "d")
            assert app.state == state and isinstance(app.screen, HandOffScreen)
            await pilot.press("enter")
            await wait_for(pilot, lambda: waiting_for_keys(app), "a decision")
        if isinstance(app.screen, DecisionScreen):
            await pilot.press("escape")
        # A number beyond the hand, unknown keys: refused or ignored, never a crash.
        state = app.state
        await pilot.press("9", "z", "o")
        assert app.state == state and not state.over


def first_unaffordable_turn(scenario) -> tuple[int, str]:
    """A seed and human delegation holding a card it cannot pay for on its first turn to play."""
    for seed in range(1, 200):
        for d in ("usa", "rus", "ukr", "eur"):
            s = simulate(start(scenario, seed, {d: ""}), lambda s: current_actor(s) == d and s.pending is None)
            if s is not None and any(scenario.concession(c).cost > s.capital[d] for c in s.hands[d]):
                return seed, d
    raise AssertionError("no seed found")


async def test_an_unaffordable_card_is_refused(scenario):
    seed, d = first_unaffordable_turn(scenario)
    app = WargameApp(state=start(scenario, seed, {d: ""}), speed=0)
    bells = []
    app.bell = lambda: bells.append(1)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await wait_for(pilot, lambda: waiting_for_keys(app), "a decision")
            if isinstance(app.screen, BoardScreen):
                break
            if isinstance(app.screen, HandOffScreen):
                await pilot.press("enter")
            else:  # the same line of play as the search: reject, first option, protest
                await pilot.press("down" if isinstance(app.state.pending, Proposal) else "enter")
                if isinstance(app.state.pending, Proposal):
                    await pilot.press("enter")
        s = app.state
        dear = [i for i, c in enumerate(s.hands[d]) if scenario.concession(c).cost > s.capital[d]]
        await pilot.press(str(dear[0] + 1))
        assert bells and isinstance(app.screen, BoardScreen) and app.state == s


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_browsing_the_hand_keeps_the_board_still(scenario, size):
    """Moving the highlight shows each card from its first line, and the hand and log keep their places."""
    app = WargameApp(state=start(scenario, 1, {"usa": ""}), speed=10)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.focused, HandList), "the hand")
        board = app.screen
        hand, log, view = board.query_one("#hand"), board.query_one("#log"), board.query_one("#card-view")
        full = board.query_one("#card-full")
        places = (hand.region, log.region, full.size)
        hand_list = board.query_one(HandList)
        tallest = full.visual.get_height(full.styles, full.content_size.width)  # the first card
        for i in range(1, hand_list.option_count):
            view.scroll_end(animate=False, immediate=True)  # now, not after the next frame (the press's)
            await pilot.press("down")
            await pilot.pause()
            # the view goes back to the card's first line after the frame the press drew
            await wait_for(pilot, lambda: view.scroll_y == 0, "the card shown from its first line")
            card = scenario.concession(hand_list.get_option_at_index(i).id)
            assert hand_list.highlighted == i
            shown = text_of(full)
            assert card.source in shown
            assert (card.text in shown) == (size[1] >= 36)  # a short screen leaves the story out
            assert view.scroll_y == 0
            # Nothing moves or resizes (so a press repaints the hand alone); each card fits whole,
            # and the tallest fills the space exactly (no blank lines inside a card).
            assert (hand.region, log.region, full.size) == places
            lines = full.visual.get_height(full.styles, full.content_size.width)
            assert lines <= full.content_size.height
            tallest = max(tallest, lines)
        assert tallest == full.content_size.height


# --- (e) quitting


@pytest.mark.parametrize("where", ["title", "board", "decision"])
async def test_ctrl_q_quits_with_status_zero(scenario, where):
    state = None if where == "title" else start(scenario, 1, {"ukr": "Team Kyiv"})
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        if where == "decision":
            await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "a decision")
            await pilot.pause()
            assert isinstance(app.focused, OptionList)  # keys pick an option; the rationale needs Tab
        await pilot.press("ctrl+q")
        await pilot.pause()
        if where != "title" and app.flow.under_way:
            assert isinstance(app.screen, ConfirmScreen)  # a game under way asks first
            await pilot.press("y")
            await pilot.pause()
    assert app.return_code == 0
    assert app.is_running is False


# --- the rest of the app: title, setup, help, palette, theme, spectators


async def test_title_setup_and_start_a_game(scenario):
    app = WargameApp(speed=0, setup_seed=4242)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("n")
        assert isinstance(app.screen, SetupScreen)
        await pilot.pause()
        assert app.screen.query_one("#seed", Input).value == "4242"
        # Ukraine becomes a human team; China is left out.
        app.screen.query_one("#role-ukr", Select).value = "human"
        await pilot.pause()
        team = app.screen.query_one("#team-ukr", Input)
        assert not team.disabled
        team.focus()
        await pilot.press(*"Team Kyiv", "enter")  # Enter in a field goes on to the next field; nothing starts
        assert isinstance(app.screen, SetupScreen) and team.value == "Team Kyiv" and app.focused is not team
        app.screen.query_one("#role-chn", Select).value = "out"
        # A bad number of rounds is refused on the screen, and nothing starts.
        app.screen.query_one("#rounds", Input).value = "0"
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, SetupScreen)
        assert "rounds" in text_of(app.screen.query_one("#setup-error", Static))
        app.screen.query_one("#rounds", Input).value = "3"
        await click(pilot, "#start")  # where it is drawn now, below the message
        await wait_for(pilot, lambda: isinstance(app.screen, (HandOffScreen, BoardScreen, DecisionScreen)), "the game")
        s = app.state
        assert (s.setup.seed, s.setup.rounds, s.setup.humans) == (4242, 3, {"ukr": "Team Kyiv"})
        assert "chn" not in s.setup.delegations
        assert [type(x).__name__ for x in app.screen_stack[:2]] == ["TitleScreen", "BoardScreen"]
        # The status bar is filled on the board's first refresh, a moment after the screen is pushed.
        await wait_for(pilot, lambda: text_of(app.board.query_one(StatusBar)) != "", "the status bar")
        status = text_of(app.board.query_one(StatusBar))
        assert "seed 4242" in status and "Round 1 of 3" in status


async def test_help_palette_and_theme(scenario):
    app = WargameApp(state=start(scenario, 2, {}), speed=60)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "How to play" in str(app.screen.markdown) and "ctrl+q" in app.screen.markdown
        await pilot.press("escape")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        names = [name for name, _, _ in app.palette_commands()]
        assert {"New game", "Help", "Toggle dark/light theme", "Quit"} <= set(names)
        dark = app.current_theme.dark
        await run_command(pilot, "toggle")
        await pilot.pause(0.1)
        assert app.current_theme.dark is not dark
        await run_command(pilot, "new g")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen), "the setup screen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "back to the board")


async def test_bots_play_a_whole_game_while_the_room_watches(scenario):
    # Three rounds, not eight: the test is about the room's keys (space, b, o) and every bot move's reason.
    app = WargameApp(state=start(scenario, 3, {}, rounds=3), speed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        # Space pauses the bots between moves, and lets them go on.
        await pilot.press("space")
        assert app.paused
        moves = len(app.state.actions)
        await pilot.pause(0.2)
        assert len(app.state.actions) == moves
        await pilot.press("space")
        assert not app.paused
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the end of a bot-only game")
        state = app.state
        assert state.over and not state.setup.humans
        # Every bot move carries its one-line reason into the log.
        moves = [a for a in state.actions if a.delegation is not None]
        assert moves and all(a.text for a in moves)
        assert sum(1 for e in state.log if e.rationale) >= len(moves)
        await pilot.press("b")
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("o")
        assert isinstance(app.screen, GameOverScreen)


async def test_a_new_game_replaces_the_board_the_app_started_with(scenario):
    """`wargame play` opens on the board; a new game from the game-over screen gets a board of its own on top."""
    app = WargameApp(state=start(scenario, 3, {}, rounds=1), speed=0, setup_seed=77)
    async with app.run_test(size=SIZE) as pilot:
        first = app.screen
        assert isinstance(first, BoardScreen) and app.screen_stack == [first]
        first_state = app.state
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the end of a one-round game")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SetupScreen), "the setup screen")
        await click(pilot, "#start")
        await wait_for(pilot, lambda: app.state is not first_state and isinstance(app.screen, GameOverScreen),
                       "the end of the new game")
        assert app.state.setup.seed == 77 and app.state.over
        assert app.screen_stack[:2] == [first, app.board] and app.board is not first


async def test_the_log_follows_new_entries_unless_scrolled_up(scenario):
    app = WargameApp(state=start(scenario, 1, {}), speed=10)  # the test makes the bots' moves itself
    async with app.run_test(size=SIZE) as pilot:
        log = app.screen.query_one("#log")

        async def more_moves(n: int = 4) -> None:
            for _ in range(n):
                assert app.act(bots.choose(app.state, current_actor(app.state)))
            await pilot.pause()

        await more_moves(8)  # enough entries for a scroll bar
        await more_moves()
        assert log.max_scroll_y > 0 and log.scroll_y == log.max_scroll_y
        log.focus()
        await pilot.press("home")  # a reader scrolls up: the place is kept while entries arrive
        # (the scroll is animated, and starts after the next frame: wait for it to reach the top)
        await wait_for(pilot, lambda: log.scroll_y == 0, "the log scrolled to its top")
        await more_moves()
        assert log.scroll_y == 0 < log.max_scroll_y
        await pilot.press("end")  # back at the bottom: following again
        await wait_for(pilot, lambda: log.scroll_y == log.max_scroll_y, "the log scrolled to its end")
        await more_moves()
        assert not app.state.over and log.scroll_y == log.max_scroll_y


async def test_two_teams_never_see_each_others_hands(scenario):
    app = WargameApp(state=start(scenario, 1, {"ukr": "Team Kyiv", "rus": "Team Moscow"}), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        handoffs = []
        for _ in range(60):
            await wait_for(pilot, lambda: waiting_for_keys(app), "a key")
            actor = current_actor(app.state)
            assert app.hand.owner in (None, actor) or isinstance(app.screen, GameOverScreen)
            if isinstance(app.screen, HandOffScreen):
                handoffs.append(app.screen.delegation)
                assert app.hand.owner is None
                await pilot.press("enter")
            elif isinstance(app.screen, DecisionScreen):
                await pilot.press("enter")
            elif isinstance(app.screen, BoardScreen):
                assert app.hand.owner == actor
                await pilot.press("p", "enter")
            else:
                break
            if len(set(handoffs)) == 2 and len(handoffs) >= 3:
                break
        assert set(handoffs) == {"ukr", "rus"}


# --- the command line, before Textual starts


def test_bad_play_arguments_fail_before_the_app(capsys):
    assert main(["play", "--human", "atlantis"]) == 1
    err = capsys.readouterr().err
    assert "unknown delegation 'atlantis'" in err and "Traceback" not in err
    assert main(["play", "--scenario", "/nonexistent/deck", "--seed", "1"]) == 1
    assert "not a scenario folder" in capsys.readouterr().err
    assert main(["play", "--speed", "-1"]) == 1
    assert "--speed" in capsys.readouterr().err
    assert main(["play", "--human", "ukr", "--human", "ukr=Kyiv"]) == 1
    assert "twice" in capsys.readouterr().err


def test_load_without_a_save_is_one_clear_line(capsys, tmp_path):
    assert main(["--saves-dir", str(tmp_path), "load", "no-such-save"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("wargame: ") and "\n" not in err and "Traceback" not in err


def test_the_launcher_builds_the_game_it_was_asked_for():
    from wargame.cli import build_parser
    from wargame.tui.launch import prepare_play

    args = build_parser().parse_args(["play", "--seed", "7", "--rounds", "4", "--human", "ukr=Team Kyiv", "--bot", "rus=hardliner", "--without", "chn"])
    state = prepare_play(args)
    assert state.setup.seed == 7 and state.setup.rounds == 4
    assert state.setup.humans == {"ukr": "Team Kyiv"} and state.setup.bots["rus"] == "hardliner"
    assert "chn" not in state.setup.delegations
    seeds = {prepare_play(build_parser().parse_args(["play"])).setup.seed for _ in range(5)}
    assert len(seeds) > 1  # random by default


def test_present_phrases():
    from wargame.scenario import load_scenario
    from wargame.text import sparkline

    sc = load_scenario()
    s = start(sc, 1, {"ukr": "Team Kyiv"})
    assert present.who(s, "ukr") == "Ukraine (Team Kyiv)"
    assert present.who(s, "rus").startswith("Russia (bot: ")
    assert sparkline([0, 5, 10]) == "▁▅█"
    assert present.short_label("Long-term diplomacy") == "Diplomacy"
    assert present.short_label("Humanitarian aid & reconstruction") == "Humanitarian"
    assert "ceasefire at 6" in present.thresholds(s, "ceasefire")
    assert "UA ≥5" in present.thresholds(s, "sovereignty")
    assert present.thresholds(s, "tension") == "collapse at 10"
    assert present.series(s, "tension")[-1] == s.meters["tension"]


# --- saves: autosave at the end of each round and on quit; `wargame load` resumes


async def test_autosave_each_round_and_on_quit(scenario, tmp_path):
    from wargame import saves

    app = WargameApp(state=start(scenario, 3, {}, rounds=2), speed=0, saves_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GameOverScreen), "the end of the game")
        autosaves = sorted(p.name for p in tmp_path.glob("autosave-*.toml"))
        assert len(autosaves) >= 2  # round 1 ended, then the game
        assert saves.load_save(saves.resolve_save(app.game_id, tmp_path)).state == app.state
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_load_resumes_where_the_game_stood(scenario, tmp_path):
    from wargame import saves
    from wargame.cli import build_parser
    from wargame.tui.launch import prepare_load

    state = simulate(start(scenario, 2, {"ukr": "Team Kyiv"}), lambda s: s.round == 2 and current_actor(s) == "ukr")
    saves.save_game(state, tmp_path, game_id=saves.new_game_id(), name="lunch break", clock_minutes=12)
    loaded, game_id, clock_minutes = prepare_load(build_parser().parse_args(["load", "lunch break"]), tmp_path)
    assert loaded == state and game_id and clock_minutes == 12
    app = WargameApp(state=loaded, game_id=game_id, speed=0, clock_minutes=clock_minutes, saves_dir=tmp_path)
    app.time_source = lambda: 0.0  # the clock stands still: on a busy machine a second may pass before it is read
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: waiting_for_keys(app), "Ukraine's turn")
        assert not isinstance(app.screen, HandOffScreen)  # one human team: no hand-off
        await wait_for(pilot, lambda: "Round 2 of 8" in text_of(app.board.query_one(StatusBar)), "the board's status")
        # The facilitator's round clock is set as it was, and saved again with the game.
        from wargame.tui.widgets.clock import RoundClock

        assert app.clock_minutes == 12  # on the screen too, while it runs
        await wait_for(pilot, lambda: "12:00" in str(app.screen.query_one(RoundClock).content), "the round clock")
        assert saves.load_save(app.save_as("after lunch")).clock_minutes == 12
        assert current_actor(app.state) == "ukr" and app.state.actions == state.actions


def test_game_over_notes_say_how_each_team_did_for_its_role(scenario):
    from wargame.tui.screens.game_over import score_notes, score_table

    state = start(scenario, 4, {"rus": "Team Moscow"})
    collapsed = state.clone()
    collapsed.meters = {**collapsed.meters, "tension": 10}
    collapsed.outcome = "collapse"
    notes, table = str(score_notes(collapsed)), str(score_table(collapsed))
    s = scoring.score(collapsed, "rus")
    assert f"The talks collapsed: −{scenario.rules.collapse_penalty} for every delegation" in notes
    assert f"Russia (Team Moscow): {s.total:g} against a par of {s.par:g}: {abs(s.vs_par):g} below" in notes
    assert "vs par" in table and max(len(line) for line in table.splitlines()) <= 76
    assert "bot: Tempered opt…" in table  # a cut name says it was cut
