"""The expert bot: looks ahead with rollouts, never sees hidden cards, never touches the game."""

from __future__ import annotations

import copy
import re

import attrs
import pytest

from wargame.bots import choose, choose_as, personality_of
from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game
from wargame.engine.rng import Draw
from wargame.expert import candidates, determinize, rollout_seeds
from wargame.model import Pass, Proposal
from wargame.policies import policy_for
from wargame.scenario import load_scenario

ME = "rus"

# The tests that look ahead share one module's fixtures (`make test` runs with --dist loadgroup):
# each look-ahead of the expert at 20 rollouts costs about a second.
pytestmark = pytest.mark.xdist_group("expert")


def bare(action):
    return attrs.evolve(action, text="")


def with_rollouts(scenario, n):
    """The scenario with every expert cut to `n` rollouts: a whole expert game in a test."""
    return attrs.evolve(scenario, personalities=tuple(
        attrs.evolve(p, rollouts=n) if p.rollouts else p for p in scenario.personalities))


def advance_to(scenario, seed, until, bots=None):
    """A game with Russia's expert, played by default bots until `until(state)` holds for Russia's turn."""
    state = new_game(scenario, make_setup(scenario, seed, bots=bots or {ME: "expert"}))
    while state.outcome is None:
        who = current_actor(state)
        if who == ME and until(state):
            return state
        state = apply_action(state, choose_as(state, who, personality_of(state, who)))
    raise AssertionError("the game ended before the situation came up")


@pytest.fixture(scope="module")
def turn(scenario):
    """Russia's expert at a turn of play in round 2, with several cards it can play."""
    return advance_to(scenario, 5, lambda s: s.pending is None and s.round >= 2)


@pytest.fixture(scope="module")
def answer(scenario):
    """Russia's expert asked to consent to a proposal."""
    return advance_to(scenario, 5, lambda s: isinstance(s.pending, Proposal))


@pytest.fixture(scope="module")
def chosen(turn, answer):
    """The expert's choice at `turn` and at `answer`, each looked ahead once for the whole module, with
    the state (a deep copy) and its generator as they were before the look-ahead, to compare afterwards."""
    seen = {}
    for name, state in (("turn", turn), ("answer", answer)):
        before, rng = copy.deepcopy(state), state.rng
        seen[name] = (state, choose(state, ME), before, rng)
    return seen


def test_the_expert_is_a_personality_of_every_delegation_and_nobodys_default(scenario):
    for d in scenario.delegations:
        p = scenario.personality(d.id, "expert")
        assert p is not None and p.rollouts == 20 and p.candidates == 4
        assert d.default_bot != "expert"
    assert make_setup(scenario, 1, bots={ME: "expert"}).bots[ME] == "expert"


def test_an_expert_choice_is_legal_and_explained_in_one_line(scenario, chosen):
    for state, action, _, _ in chosen.values():
        assert bare(action) in legal_actions(state, ME)
        p = personality_of(state, ME)
        n = p.rollouts * len(candidates(state, ME, p, choose_as(state, ME, p)))
        line = (rf"^Russia (plays|proposes|passes|discards|accepts|rejects)( “[^”]+”)?( to draw another)?: "
                rf"(averaged [+−]\d+(\.\d)?( over [^:]+)+ in {n} rollouts"
                rf"|[^:]+ averaged only [+−]\d+(\.\d)? more in {n} rollouts, under its margin of {p.rollout_margin:g})$")
        assert re.match(line, action.text), action.text
        assert "\n" not in action.text


def test_the_expert_rolls_out_its_normal_choice_passing_and_at_most_its_candidates(scenario, turn):
    p = personality_of(turn, ME)
    normal = choose_as(turn, ME, p)
    options = candidates(turn, ME, p, normal)
    assert bare(options[0]) == bare(normal)
    assert Pass(ME) in [bare(a) for a in options]
    assert 2 <= len(options) <= p.candidates
    assert len({bare(a) for a in options}) == len(options)


def test_the_expert_is_deterministic_for_a_seed(scenario, turn, chosen):
    first = chosen["turn"][1]
    assert choose(turn, ME) == first
    again = advance_to(load_scenario(), 5, lambda s: s.pending is None and s.round >= 2)
    assert choose(again, ME) == first


def test_the_expert_does_not_change_the_state_nor_advance_its_generator(scenario, chosen):
    for state, _, before, rng in chosen.values():  # `chosen` copied each state before its look-ahead
        assert state.rng == rng
        assert state == before
        assert state.hands == before.hands and state.decks == before.decks and state.log == before.log


def permuted_hidden(state, seed):
    """The same game as Russia sees it, with every card it cannot see lying elsewhere:
    others' hands and draw piles redealt, its own draw pile and the event deck reshuffled."""
    s = state.clone()
    s.rng = seed  # only to shuffle here; the generator is put back below
    draw = Draw(s)
    for d in s.setup.delegations:
        if d == ME:
            pile = list(s.decks[d])
            draw.shuffle(pile)
            s.decks[d] = pile
            continue
        pool = [*s.hands[d], *s.decks[d]]
        draw.shuffle(pool)
        k = len(s.hands[d])
        s.hands[d], s.decks[d] = pool[:k], pool[k:]
    events = list(s.event_deck)
    draw.shuffle(events)
    s.event_deck = events
    s.rng = state.rng
    return s


def test_the_expert_never_reads_hidden_cards(scenario, chosen):
    for state, action, _, _ in chosen.values():
        other = permuted_hidden(state, 99)
        assert other.hands != state.hands  # the hidden cards really lie elsewhere
        assert other.hands[ME] == state.hands[ME]
        # every figure in the explanation is a mean over the rollouts: any peek at the real cards would move one
        assert choose(other, ME) == action


def test_determinize_deals_only_what_it_cannot_see(scenario, turn):
    s = determinize(turn, ME, 12345)
    assert s.hands[ME] == turn.hands[ME]
    assert sorted(s.decks[ME]) == sorted(turn.decks[ME])
    for d in turn.setup.delegations:
        assert len(s.hands[d]) == len(turn.hands[d])
        assert sorted(s.hands[d] + s.decks[d]) == sorted(turn.hands[d] + turn.decks[d])
        assert s.discards[d] == turn.discards[d]
    assert sorted(s.event_deck) == sorted(turn.event_deck)
    assert (s.tracks, s.meters, s.capital, s.pending, s.round) == (turn.tracks, turn.meters, turn.capital, turn.pending, turn.round)
    assert determinize(turn, ME, 12345) == s
    assert determinize(turn, ME, 54321).hands != s.hands


def test_rollout_seeds_come_from_the_games_generator(scenario, turn):
    seeds = rollout_seeds(turn, 20)
    assert len(set(seeds)) == 20 and seeds == rollout_seeds(turn, 20)
    later = turn.clone()
    later.rng += 1
    assert rollout_seeds(later, 20) != seeds


def test_a_whole_expert_game_plays_legally_and_replays(scenario):
    # Three rounds, not the scenario's eight: every rollout plays to the game's end, so the rounds
    # multiply the cost of each of the game's ~100 look-aheads (12 s of CPU for 8 rounds, 2 s for 3).
    small = with_rollouts(scenario, 3)
    setup = make_setup(small, 2, rounds=3, bots={"all": "expert"})
    state = new_game(small, setup)
    looked = 0
    while state.outcome is None:
        who = current_actor(state)
        action = choose(state, who)
        assert bare(action) in legal_actions(state, who), action
        looked += "rollouts" in action.text
        state = apply_action(state, action)
    assert looked > 0 and state.round == 3  # the whole game was played, to its last round
    from wargame.engine import replay

    assert replay(small, setup, state.actions) == state


def test_the_expert_policy_of_the_study_is_the_expert(scenario, turn, chosen):
    # Russia's seat at `turn` is the expert, so the module's look-ahead (`chosen`) is choose_expert's
    # with that personality: the policy must give the very same action, explanation and all.
    assert personality_of(turn, ME) == scenario.personality(ME, "expert")
    pick = policy_for("expert", 1)
    assert pick(turn, ME) == chosen["turn"][1]


def test_more_rollouts_than_the_deck_allows_is_an_error_naming_the_field(tmp_path):
    import shutil
    from pathlib import Path

    from wargame.scenario import ScenarioError

    folder = tmp_path / "decks"
    shutil.copytree(Path(__file__).resolve().parent.parent / "decks", folder)
    bots = folder / "bots.toml"
    bots.write_text(bots.read_text(encoding="utf-8").replace("rollouts = 20", "rollouts = 5000", 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    assert "bots.toml" in str(err.value) and "rollouts" in str(err.value) and "expert" in str(err.value)
