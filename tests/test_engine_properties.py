"""Invariants over many random games: bounds, card conservation, replay, termination."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game, replay
from wargame.model import MONITORING_MAX, Adjudicate

PERSONALITIES = st.sampled_from(["pragmatist", "hardliner"])


def check_invariants(scenario, state):
    for k, v in {**state.tracks, **state.meters}.items():
        assert 0 <= v <= 10, (k, v)
    assert 0 <= state.monitoring <= MONITORING_MAX
    for d in state.setup.delegations:
        assert 0 <= state.capital[d] <= scenario.delegation(d).capital_max
        held = state.hands[d] + state.decks[d] + state.discards[d]
        assert sorted(held) == sorted(c.id for c in scenario.concessions if c.delegation == d)
        assert len(state.hands[d]) <= scenario.hand_size
    events = state.event_deck + state.event_discard
    assert len(events) == len(set(events))
    for series in state.history.values():
        assert all(0 <= v <= 10 for v in series)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    rounds=st.integers(1, 12),
    picks=st.lists(st.integers(0, 1000), min_size=0, max_size=400),
    leave_out_china=st.booleans(),
    facilitator=st.lists(st.tuples(st.integers(0, 400), st.sampled_from(["tension", "ceasefire", "trust", "monitoring"]), st.integers(0, 5)), max_size=4),
)
def test_random_games_keep_every_invariant_and_end(scenario, seed, rounds, picks, leave_out_china, facilitator):
    # facilitator moves are legal only in a facilitated game
    setup = make_setup(scenario, seed=seed, rounds=rounds, leave_out=("chn",) if leave_out_china else (), facilitated=bool(facilitator))
    state = new_game(scenario, setup)
    adjudications = {step: (target, value) for step, target, value in facilitator}
    step = 0
    # a game lasts at most rounds x (delegations x (1 play + answers) + event choice + response)
    limit = rounds * 60
    while not state.over:
        assert step < limit, "game did not end"
        if step in adjudications:
            target, value = adjudications[step]
            state = apply_action(state, Adjudicate(target=target, value=value, text="property test"))
        else:
            who = current_actor(state)
            acts = legal_actions(state, who)
            assert acts, f"{who} has no legal action in phase {state.phase}"
            pick = picks[step % len(picks)] if picks else 0
            state = apply_action(state, acts[pick % len(acts)])
        check_invariants(scenario, state)
        step += 1
    assert state.outcome in ("settlement", "frozen", "collapse")
    assert state.round <= rounds
    assert replay(scenario, setup, state.actions) == state


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), cut=st.integers(0, 200))
def test_same_seed_and_actions_give_the_same_state_at_every_point(scenario, seed, cut):
    setup = make_setup(scenario, seed=seed)
    a = new_game(scenario, setup)
    b = new_game(scenario, setup)
    i = 0
    while not a.over and i < cut:
        act = legal_actions(a, current_actor(a))[i % 2 if len(legal_actions(a, current_actor(a))) > 1 else 0]
        a, b = apply_action(a, act), apply_action(b, act)
        assert a == b and a.rng == b.rng
        i += 1


@settings(max_examples=80, deadline=None)
@given(data=st.data(), outcome=st.sampled_from([None, "settlement", "frozen", "collapse"]))
def test_scores_are_the_agendas_weighed_over_every_value(scenario, data, outcome):
    """`score` and the bots' `total` count the agenda from per-scenario sums: they must equal
    `agenda_value` over a dict of every value, and the red lines and outcome counted on top."""
    from wargame.engine import scoring

    state = new_game(scenario, make_setup(scenario, seed=1))
    state.tracks = {k: data.draw(st.integers(0, 10)) for k in state.tracks}
    state.meters = {k: data.draw(st.integers(0, 10)) for k in state.meters}
    state.monitoring = data.draw(st.integers(0, MONITORING_MAX))
    state.outcome = outcome
    values = {**state.tracks, **state.meters, "monitoring": state.monitoring}
    rules = scenario.rules
    for d in state.setup.delegations:
        dl = scenario.delegation(d)
        agenda = round(scoring.agenda_value(dl.agenda, values), 1)
        crossed = sum(rl.penalty for rl in dl.red_lines if not rl.holds(values[rl.target]))
        bonus = rules.settlement_bonus if outcome == "settlement" else 0
        penalty = rules.collapse_penalty if outcome == "collapse" else 0
        expected = round(agenda + bonus - crossed - penalty, 1)
        s = scoring.score(state, d)
        assert s.agenda == agenda
        assert s.red_lines_crossed == tuple((rl.text, rl.penalty) for rl in dl.red_lines if not rl.holds(values[rl.target]))
        assert s.total == expected
        assert scoring.total(state, d) == expected
