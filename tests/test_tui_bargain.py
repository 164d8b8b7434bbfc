"""Pilot tests of bargaining on screen: a human counters and a bot answers; a bot's counter
reaches a human proposer; a human proposes a package or a side-payment from the play flow."""

from __future__ import annotations

import attrs

from wargame import bots
from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game, replay
from wargame.model import AnswerCounter, Counter, CounterOffer, PlayCard, Proposal
from wargame.tui.app import WargameApp
from wargame.tui.screens.decisions import DecisionScreen

from conftest import wait_for

SIZE = (120, 40)


def bot_game_until(scenario, seed, stop):
    """A bot game from `seed` up to the first state where `stop` holds (None if it never does)."""
    s = new_game(scenario, make_setup(scenario, seed=seed))
    while not s.over:
        if stop(s):
            return s
        s = apply_action(s, bots.choose(s, current_actor(s)))
    return None


def as_human(scenario, state, who):
    """The same game, `who` played by a team: the setup seats them, the actions are the same."""
    setup = attrs.evolve(state.setup, humans={who: "Team"})
    return replay(scenario, setup, state.actions)


def option_index(screen, pred):
    return next(i for i, (a, _, disabled) in enumerate(screen.choices) if a is not None and pred(a) and not disabled)


async def choose_option(pilot, screen, index):
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")


async def test_a_human_counters_and_the_bot_proposer_answers(scenario):
    for seed in range(1, 60):
        s = bot_game_until(scenario, seed, lambda s: isinstance(s.pending, Proposal)
                           and any(isinstance(a, Counter) for a in legal_actions(s, current_actor(s))))
        if s is not None:
            break
    who = current_actor(s)
    proposer = s.pending.proposer
    app = WargameApp(state=as_human(scenario, s, who), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the proposal")
        screen = app.screen
        index = option_index(screen, lambda a: isinstance(a, Counter))
        assert "Counter: send it back" in str(screen.choices[index][1])
        await choose_option(pilot, screen, index)
        await wait_for(pilot, lambda: any(isinstance(a, AnswerCounter) for a in app.state.actions), "the proposer's answer")
        mine = next(a for a in app.state.actions if isinstance(a, Counter))
        assert mine.delegation == who and mine == attrs.evolve(screen.choices[index][0], text="")
        answer = next(a for a in app.state.actions if isinstance(a, AnswerCounter))
        assert answer.delegation == proposer and "counter to “" in answer.text  # the bot explains itself
        assert any(e.kind == "counter" for e in app.state.log)


async def test_a_bots_counter_reaches_a_human_proposer(scenario):
    for seed in range(1, 60):
        s = bot_game_until(scenario, seed, lambda s: isinstance(s.pending, Proposal) and s.pending.countered_by is None
                           and bots.choose(s, current_actor(s)).kind == "counter")
        if s is not None:
            break
    proposer = s.pending.proposer
    app = WargameApp(state=as_human(scenario, s, proposer), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.flow.state.pending, CounterOffer), "the bot's counter")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the decision on the counter")
        screen = app.screen
        assert [type(a) for a, _, _ in screen.choices] == [AnswerCounter, AnswerCounter]
        assert "score " in str(screen.choices[0][1])  # its stake, from the preview
        await pilot.press("enter")  # take the counter
        await wait_for(pilot, lambda: any(isinstance(a, AnswerCounter) for a in app.state.actions), "the answer")
        taken = next(a for a in app.state.actions if isinstance(a, AnswerCounter))
        assert taken.delegation == proposer and taken.accept


async def test_a_human_proposes_a_package_from_the_play_flow(scenario):
    for seed in range(1, 60):
        s = bot_game_until(scenario, seed, lambda s: s.pending is None and s.phase == "negotiation"
                           and any(a.kind == "play" and a.partner for a in legal_actions(s, current_actor(s))))
        if s is not None:
            break
    who = current_actor(s)
    app = WargameApp(state=as_human(scenario, s, who), speed=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.flow.human_turn() is not None, "the team's turn")
        hand = app.flow.state.hands[who]
        package = next(a for a in legal_actions(app.flow.state, who)
                       if a.kind == "play" and a.partner)
        await pilot.pause()
        await pilot.press(str(hand.index(package.card) + 1))
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionScreen), "the play decision")
        screen = app.screen
        index = option_index(screen, lambda a: isinstance(a, PlayCard) and a.partner is not None)
        assert "Package with “" in str(screen.choices[index][1]) and "score " in str(screen.choices[index][1])
        chosen = screen.choices[index][0]
        await choose_option(pilot, screen, index)
        await wait_for(pilot, lambda: any(a.kind == "play" and a.delegation == who for a in app.state.actions[len(s.actions):]),
                       "the package played")
        played = next(a for a in app.state.actions[len(s.actions):] if a.kind == "play")
        assert played.partner == chosen.partner and played.card == chosen.card
        assert any(e.kind == "proposal" and e.payload.partner == chosen.partner for e in app.state.log)


def test_the_counter_decision_shows_the_amended_deal(scenario):
    """A counter that drops an effect: the proposer decides on the deal as amended, so the
    dropped effect is not among the effects shown (it used to list the card's own effects)."""
    from wargame.engine.proposals import package_effects
    from wargame.narrate import describe_effects
    from wargame.tui.screens.decisions import answer_counter

    for seed in range(1, 80):
        s = bot_game_until(scenario, seed, lambda s: isinstance(s.pending, Proposal)
                           and any(isinstance(a, Counter) and a.drop is not None and len(package_effects(
                               s.scenario, s.pending.card, s.pending.partner)) > 1
                               for a in legal_actions(s, current_actor(s))))
        if s is not None:
            break
    p = s.pending
    drop = next(a for a in legal_actions(s, current_actor(s)) if isinstance(a, Counter) and a.drop is not None)
    s = apply_action(s, drop)
    assert isinstance(s.pending, CounterOffer)
    sc = s.scenario
    every = package_effects(sc, p.card, p.partner)
    kept = package_effects(sc, p.card, p.partner, drop.drop)
    body = str(answer_counter(s).body)
    assert "Effects of the amended deal: " + describe_effects(sc, kept) in body
    assert describe_effects(sc, every) not in body


def test_the_hand_off_names_both_cards_of_a_package(scenario):
    """The hand-off's "Up next" line names the whole package to answer, not its first card only."""
    from wargame.tui import present

    for seed in range(1, 80):
        s = bot_game_until(scenario, seed, lambda s: isinstance(s.pending, Proposal) and s.pending.partner is not None)
        if s is not None:
            break
    p, sc = s.pending, s.scenario
    line = present.task(s)
    assert f"“{sc.concession(p.card).title}” with “{sc.concession(p.partner).title}”" in line
