"""The team's brief on the board, what each move does to its score, the confirmation before a ruinous move, and discarding.

Every figure the screen shows is checked against the engine (`scoring.score`,
`engine.preview`), never against numbers written here.
"""

from __future__ import annotations

import copy


from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game, preview, scoring
from wargame.model import Answer, Counter, Discard, GameState, Pass, PlayCard, Proposal, RedLine
from wargame.tui import stakes
from wargame.tui.app import WargameApp
from wargame.tui.screens.board import BoardScreen
from wargame.tui.screens.brief import BriefScreen
from wargame.tui.screens.confirm import ConfirmScreen
from wargame.tui.screens.decisions import DecisionScreen
from wargame.tui.screens.handoff import HandOffScreen
from wargame.tui.widgets import HandList
from wargame.tui.widgets.brief import BriefPanel

from conftest import wait_for

SIZE = (160, 48)


def first_legal_until(state: GameState, stop) -> GameState:
    while not (state.is_human(current_actor(state)) and stop(state)):
        assert not state.over
        state = apply_action(state, legal_actions(state, current_actor(state))[0])
    return state


def solo(scenario, seed=1, stop=lambda s: s.pending is None) -> GameState:
    return first_legal_until(new_game(scenario, make_setup(scenario, seed, humans={"ukr": "Kyiv"})), stop)


def text(widget) -> str:
    return str(widget.render())


async def ukraine_turn(pilot, app: WargameApp) -> None:
    """Wait for Ukraine's turn on the board, drawn."""
    await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen) and app.flow.human_turn() == "ukr", "Ukraine's turn")
    await pilot.pause()


def expected_delta(state: GameState, action, who: str) -> float:
    """The brief's definition, worked out here from the engine: the score after (after the agreement for a proposal) less the score now."""
    p = preview(state, action)
    if p.agreed is None:
        after = p.scores[who].total
    else:
        after = scoring.score(p.agreed, who).total
    return round(after - scoring.score(state, who).total, 1)


# --- the brief's words ---------------------------------------------------------------------


def test_red_line_distance_counts_the_steps_left():
    below = RedLine("sovereignty", "x", 25, at_least=5)
    assert [stakes.steps_to_cross(below, v) for v in (7, 6, 5, 4, 0)] == [3, 2, 1, 0, 0]
    above = RedLine("tension", "x", 10, at_most=8)
    assert [stakes.steps_to_cross(above, v) for v in (6, 8, 9)] == [3, 1, 0]


def test_the_brief_states_the_teams_own_agenda_and_engine_score(scenario):
    state = solo(scenario)
    d = scenario.delegation("ukr")
    line = stakes.weights_line(state, "ukr")
    for target, w in d.agenda.items():
        if w > 0:
            assert f"{scenario.name_of(target)} {'●' * w}" in line.split(" · ")[0]
        elif w < 0:
            assert f"{scenario.name_of(target)} {'●' * -w}" in line.split(" · ")[1]
    s = scoring.score(state, "ukr")
    assert stakes.score_line(state, "ukr") == f"Score if the game ended now: {s.total:g} (par {d.par:g})"
    rl = d.red_lines[0]
    value = state.meters[rl.target]
    (words, steps), *_ = stakes.red_line_lines(state, "ukr")
    assert steps == stakes.steps_to_cross(rl, value) and f"{value}, red line below {rl.at_least}" in words


def test_signed_figures():
    assert [stakes.signed(x) for x in (3, -5, 0.4, 0, -0.04, 2.25)] == ["+3", "−5", "+0.4", "±0", "±0", "+2.2"]


# --- stakes come from the engine's preview -----------------------------------------------------


def test_every_legal_move_stake_is_the_previewed_score_difference(scenario):
    state = solo(scenario)
    before = copy.deepcopy(state)
    for action in legal_actions(state, "ukr"):
        st = stakes.stake(state, action)
        assert st is not None and st.delta == expected_delta(state, action, "ukr")
        assert st.agreed == (preview(state, action).agreed is not None)
    assert state.actions == before.actions and state.meters == before.meters and state.hands == before.hands


def test_an_illegal_move_has_no_stake(scenario):
    state = solo(scenario)
    card = state.hands["ukr"][0]
    assert stakes.stake(state, PlayCard("rus", card)) is None


def forced(scenario, card: str, **meters) -> GameState:
    """Ukraine's turn with `card` first in its hand, capital to pay for it and the meters set as given."""
    state = solo(scenario).clone()
    state.meters = {**state.meters, **meters}
    state.hands = {**state.hands, "ukr": [card, *[c for c in state.hands["ukr"] if c != card][1:]]}
    state.capital = {**state.capital, "ukr": max(state.capital["ukr"], scenario.concession(card).cost)}
    return state


def test_a_quiet_move_needs_no_confirmation(scenario):
    st = stakes.stake(solo(scenario), Pass("ukr"))
    assert st is not None and st.warning is None and not st.collapse and not st.crosses


def test_a_proposal_that_would_cross_the_teams_red_line_if_agreed_warns(scenario):
    line = scenario.delegation("ukr").red_lines[0]  # sovereignty at least 5
    state = forced(scenario, "neutrality-debate", **{line.target: line.at_least})
    st = stakes.stake(state, PlayCard("ukr", "neutrality-debate"))
    assert st.agreed and st.crosses == (line.text,) and line.text in st.warning
    assert st.delta == expected_delta(state, PlayCard("ukr", "neutrality-debate"), "ukr")
    safe = stakes.stake(forced(scenario, "neutrality-debate", **{line.target: line.at_least + 2}), PlayCard("ukr", "neutrality-debate"))
    assert safe.crosses == () and safe.warning is None


# --- the board ---------------------------------------------------------------------------


async def test_the_brief_shows_the_acting_teams_agenda_and_score(scenario):
    state = solo(scenario)
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await ukraine_turn(pilot, app)
        panel = app.screen.query_one(BriefPanel)
        shown = text(panel)
        assert panel.display and panel.owner == "ukr"
        assert stakes.score_line(app.flow.state, "ukr") in shown
        assert scenario.delegation("ukr").wants[:30] in shown
        for line in stakes.weights_lines(app.flow.state, "ukr"):
            assert line in shown.replace("\n", " ")
        assert "Russia" not in panel.border_title and scenario.delegation("rus").wants[:30] not in shown


async def test_each_card_line_shows_its_previewed_stake(scenario):
    state = solo(scenario)
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await ukraine_turn(pilot, app)
        hand = app.screen.query_one(HandList)
        s = app.flow.state
        assert hand.option_count == len(s.hands["ukr"])
        for i, card in enumerate(s.hands["ukr"]):
            line = str(hand.get_option_at_index(i).prompt)
            if stakes.stake(s, PlayCard("ukr", card)) is None:
                continue
            figure = stakes.signed(expected_delta(s, PlayCard("ukr", card), "ukr"))
            assert f"● {figure} " in line
            assert ("score if agreed" in line) == bool(preview(s, PlayCard("ukr", card)).agreed)


async def test_decision_options_show_their_stakes(scenario):
    state = solo(scenario, stop=lambda s: isinstance(s.pending, Proposal))
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the proposal")
        screen = app.screen
        s = app.flow.state
        me = current_actor(s)
        accept, reject, *counters = screen.choices
        assert f"score {stakes.signed(expected_delta(s, Answer(me, s.pending.card, True), me))} if agreed" in str(accept[1])
        assert f"score {stakes.signed(expected_delta(s, Answer(me, s.pending.card, False), me))}" in str(reject[1])
        # each counter says what the amended deal, agreed, would do to the team's score
        assert counters and all(isinstance(a, Counter) for a, _, _ in counters)
        for action, prompt, _ in counters:
            assert str(prompt).startswith("Counter: send it back ")
            assert f"score {stakes.signed(expected_delta(s, action, me))} if agreed" in str(prompt)


async def test_the_brief_is_hidden_at_hand_off(scenario):
    state = new_game(scenario, make_setup(scenario, 3, humans={"usa": "Blue", "rus": "Red"}))
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HandOffScreen), "the first hand-off")
        panel = app.board.query_one(BriefPanel)
        await pilot.pause()
        assert not panel.display and panel.owner is None and "Score" not in text(panel)
        await pilot.press("b")  # the key for the brief does not show it either
        assert not isinstance(app.screen, BriefScreen)
        who = app.screen.delegation
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.flow.hand_view().owner == who, "the team to have the screen")
        await pilot.pause()
        assert panel.display and panel.owner == who and stakes.score_line(app.flow.state, who) in text(panel)
        # The next team's hand-off hides it again.
        seen_other = False
        for _ in range(50):
            await wait_for(pilot, lambda: isinstance(app.screen, (HandOffScreen, DecisionScreen, BoardScreen)), "a screen")
            if isinstance(app.screen, HandOffScreen) and app.screen.delegation != who:
                assert not panel.display and panel.owner is None
                seen_other = True
                break
            if isinstance(app.screen, DecisionScreen):
                await pilot.press("enter")
            elif app.flow.human_turn() is not None:
                await pilot.press("p")
                await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the pass")
                await pilot.press("enter")
            await pilot.pause()
        assert seen_other


async def test_b_opens_the_brief_in_full_on_a_short_screen(scenario):
    app = WargameApp(state=solo(scenario), speed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await ukraine_turn(pilot, app)
        folded = text(app.screen.query_one(BriefPanel))
        s = scoring.score(app.flow.state, "ukr")
        assert "\n" not in folded.strip() and f"Score {s.total:g} (par {s.par:g})" in folded and "red line" in folded
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen), "the brief")
        assert stakes.score_line(app.flow.state, "ukr") in str(app.screen.query_one("#brief-full").render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "the board")


# --- confirmation before a ruinous move -------------------------------------------------------


def collapsing_setup(scenario):
    """Ukraine's turn, tension one step from the top, and a card in hand that raises it without anyone's consent."""
    card = "territorial-integrity-declaration"
    assert not [d for d in scenario.concession(card).consent if d != "ukr"]
    return forced(scenario, card, tension=9), card


def test_the_collapsing_setup_really_collapses(scenario):
    state, card = collapsing_setup(scenario)
    st = stakes.stake(state, PlayCard("ukr", card))
    assert preview(state, PlayCard("ukr", card)).outcome == "collapse"
    assert st.collapse and not st.agreed and "collapse" in st.warning
    assert st.delta == expected_delta(state, PlayCard("ukr", card), "ukr") and st.delta < 0


async def test_a_collapsing_move_asks_first_and_cancelling_changes_nothing(scenario):
    state, card = collapsing_setup(scenario)
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await ukraine_turn(pilot, app)
        before = copy.deepcopy(app.flow.state)
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the play decision")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        assert "collapse" in app.screen.question
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "back to the decision")
        after = app.flow.state
        assert after.actions == before.actions and after.meters == before.meters and after.hands == before.hands
        assert after.capital == before.capital and after.log == before.log
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation again")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.flow.state.over, "the collapse")
        assert app.flow.state.outcome == "collapse"


# --- discarding -----------------------------------------------------------------------------


async def test_x_discards_the_highlighted_card_through_a_decision(scenario):
    app = WargameApp(state=solo(scenario), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await ukraine_turn(pilot, app)
        card = app.flow.state.hands["ukr"][1]
        app.screen.query_one(HandList).highlighted = 1
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the discard decision")
        (action, prompt, _), _ = app.screen.choices
        assert action == Discard("ukr", card) and "score" in str(prompt)
        n = len(app.flow.state.actions)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.flow.state.actions) > n, "the discard")
        assert app.flow.state.actions[n] == Discard("ukr", card)
        assert card not in app.flow.state.hands["ukr"] or card in app.flow.state.discards["ukr"]


async def test_x_out_of_turn_is_refused(scenario):
    state = solo(scenario, stop=lambda s: isinstance(s.pending, Proposal))
    app = WargameApp(state=state, speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the proposal")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BoardScreen), "the board")
        n = len(app.flow.state.actions)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen) and len(app.flow.state.actions) == n
