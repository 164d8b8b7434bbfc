"""The turn flow without any screen: hand-offs, bots, inject holds, refusals, autosave, undo."""

from __future__ import annotations

import copy

from wargame import bots
from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game
from wargame.engine.rounds import due_injects
from wargame.model import Answer, FireInject, Pass, PlayCard
from wargame.turnflow import Applied, BotMove, Decide, GameOver, HandOff, HumanTurn, TurnFlow, Undone, Wait


def flow_for(scenario, seed=1, **kwargs) -> TurnFlow:
    return TurnFlow(new_game(scenario, make_setup(scenario, seed, **kwargs)))


def run_bots(flow: TurnFlow) -> None:
    """Let the bots move until a human (or the end) is next."""
    while isinstance(flow.next_step(), BotMove):
        assert isinstance(flow.bot_move(bots.choose), Applied)


def test_a_single_human_team_never_gets_a_hand_off(scenario):
    flow = flow_for(scenario, humans={"ukr": "Team Kyiv"})
    for _ in range(3):  # three of its turns
        run_bots(flow)
        step = flow.next_step()
        assert isinstance(step, (HumanTurn, Decide)) and step.delegation == "ukr"
        assert flow.hand_view().owner == "ukr"
        action = legal_actions(flow.state, "ukr")[0]
        assert flow.check(action) is None
        assert isinstance(flow.apply(action), Applied)


def test_two_human_teams_hand_off_every_turn_and_hide_the_other_hand(scenario):
    flow = flow_for(scenario, humans={"ukr": "Kyiv", "rus": "Moscow"})
    handed = []
    for _ in range(60):
        run_bots(flow)
        step = flow.next_step()
        if isinstance(step, GameOver):
            break
        assert isinstance(step, HandOff)
        assert flow.hand_view().owner is None
        assert flow.human_turn() is None
        handed.append(step.delegation)
        flow.handed_over(step.delegation)
        step = flow.next_step()
        assert isinstance(step, (HumanTurn, Decide)) and step.delegation == handed[-1]
        assert flow.hand_view().owner == handed[-1]
        assert isinstance(flow.apply(legal_actions(flow.state, step.delegation)[0]), Applied)
        if len(set(handed)) == 2:
            break
    assert set(handed) == {"ukr", "rus"}


def test_a_prompt_that_is_up_holds_the_flow(scenario):
    flow = flow_for(scenario, humans={"ukr": ""})
    run_bots(flow)
    flow.prompt_opened()
    assert flow.next_step() == Wait("prompt")
    assert flow.human_turn() is None
    flow.prompt_closed()
    assert isinstance(flow.next_step(), (HumanTurn, Decide))


def test_paused_bots_wait_and_resume(scenario):
    flow = flow_for(scenario)
    assert isinstance(flow.next_step(), BotMove)
    assert flow.toggle_pause() is True
    assert flow.next_step() == Wait("paused")
    assert isinstance(flow.bot_move(bots.choose), str)
    assert flow.toggle_pause() is False
    assert isinstance(flow.next_step(), BotMove)


def test_a_facilitated_round_with_injects_due_holds_the_bots_until_they_are_dealt_with(scenario):
    flow = flow_for(scenario, facilitated=True)
    assert flow.next_step() == Wait("paused") and flow.inject_hold
    assert flow.console_closed() is False  # the injects are still due
    while True:
        due = due_injects(flow.state)
        if not due:
            break
        assert isinstance(flow.apply(FireInject(due[0])), Applied)
    assert flow.console_closed() is True
    assert not flow.paused and isinstance(flow.next_step(), BotMove)


def test_check_says_why_a_move_is_refused_and_apply_changes_nothing_then(scenario):
    flow = flow_for(scenario, humans={"ukr": ""})
    assert "Not your turn" in flow.check(Pass("ukr"))
    run_bots(flow)
    state = flow.state
    if state.pending is None:
        costly = [c for c in state.hands["ukr"] if scenario.concession(c).cost > state.capital["ukr"]]
        assert "is not in Ukraine's hand" in flow.check(PlayCard("ukr", "no-such-card"))
        if costly:
            assert "political capital" in flow.check(PlayCard("ukr", costly[0]))
        assert flow.check(Answer("ukr", state.hands["ukr"][0], True)) == \
            "No decision is waiting for you now."
    before = copy.deepcopy(flow.state)
    refused = flow.apply(PlayCard("rus", "no-such-card"))
    assert isinstance(refused, str) and refused
    assert flow.state == before


def test_the_game_saves_itself_when_a_round_ends_and_at_the_end(scenario):
    flow = flow_for(scenario, rounds=2)
    rounds_ended = 0
    while True:
        step = flow.next_step()
        if isinstance(step, GameOver):
            break
        round_before = flow.state.round
        applied = flow.bot_move(bots.choose)
        assert isinstance(applied, Applied)
        assert applied.autosave == (flow.state.round != round_before or flow.state.over)
        rounds_ended += applied.autosave
        assert applied.entries == tuple(flow.state.log[len(flow.state.log) - len(applied.entries):])
    assert rounds_ended == 2
    assert step == GameOver(first=True)
    assert flow.next_step() == GameOver(first=False)


def test_game_over_is_told_first_once(scenario):
    state = new_game(scenario, make_setup(scenario, 2, rounds=1))
    while not state.over:
        state = apply_action(state, bots.choose(state, current_actor(state)))
    flow = TurnFlow(state)
    assert flow.next_step() == GameOver(first=True)
    assert flow.next_step() == GameOver(first=False)
    assert not flow.under_way


def test_undo_pauses_a_bot_that_would_make_the_same_move_again(scenario):
    flow = flow_for(scenario)
    assert flow.undo() == "Nothing to undo: no move has been made yet."
    first = flow.bot_move(bots.choose)
    assert isinstance(first, Applied) and flow.under_way
    undone = flow.undo()
    assert undone == Undone(first.action, paused_bots=True)
    assert flow.state.actions == [] and flow.paused


def test_undo_hides_the_hands_again_on_a_shared_screen(scenario):
    flow = flow_for(scenario, humans={"ukr": "", "rus": ""})
    run_bots(flow)
    step = flow.next_step()
    flow.handed_over(step.delegation)
    flow.apply(legal_actions(flow.state, step.delegation)[0])
    flow.undo()
    assert flow.revealed_for is None
    assert isinstance(flow.next_step(), (HandOff, BotMove))


def test_a_bot_held_for_injects_answers_a_decision_that_the_injects_wait_for(scenario):
    """Played in tmux: Red proposed to Ukraine's bot while the bots were held for the round's injects,
    and the last inject due asks for a choice, which waits for the proposal's answer. The bot answers;
    the hold goes on for the inject."""
    from wargame.engine import check

    def held(seed):
        """The state where a bot's decision stands in the way of the round's last inject, if this seed reaches one."""
        state = new_game(scenario, make_setup(scenario, seed, humans={"rus": "Red"}, facilitated=True))
        while not state.over:  # Red proposes whenever it can; the facilitator fires what may be fired
            who, due = current_actor(state), due_injects(state)
            if due and state.pending is not None and who not in state.setup.humans \
                    and all(check(state, FireInject(i)) for i in due):
                return state
            firable = [i for i in due if check(state, FireInject(i)) is None]
            if who == "rus":
                acts = legal_actions(state, who)
                proposals = [a for a in acts if isinstance(a, PlayCard) and state.scenario.concession(a.card).consent]
                action = next(iter(proposals), acts[0])
            elif firable and state.pending is None:
                action = FireInject(firable[0])
            else:
                action = legal_actions(state, who)[0]
            state = apply_action(state, action)
        return None

    state = next((s for s in map(held, range(1, 40)) if s is not None), None)
    assert state is not None, "no line of play left a bot's decision in the way of an inject"
    flow = TurnFlow(state)  # the round starts on the screen here: its bots are held for the inject due
    assert isinstance(flow.next_step(), BotMove)  # the held bot answers all the same
    assert flow.paused and flow.inject_hold
    assert isinstance(flow.bot_move(bots.choose), Applied)
    assert flow.inject_hold and due_injects(flow.state)  # the hold goes on for the inject
    if flow.state.pending is None and current_actor(flow.state) not in flow.state.setup.humans:
        assert isinstance(flow.next_step(), Wait)
