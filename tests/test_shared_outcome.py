"""The rules of issue 13: the shared outcome in the score, NATO posture, trust-gated diplomacy, discards."""

from __future__ import annotations

import copy

import attrs
import pytest

from test_engine import adjudicate, pass_to_round_end

from wargame import saves
from wargame.engine import IllegalAction, apply_action, check, current_actor, legal_actions, make_setup, new_game, preview, replay
from wargame.engine import scoring
from wargame.engine.effects import apply_effects
from wargame.model import Discard, Discarded, Effect, Pass
from wargame.narrate import sentence


def _negotiating(scenario, seed=1):
    state = new_game(scenario, make_setup(scenario, seed=seed))
    while state.pending is not None:
        state = apply_action(state, legal_actions(state, current_actor(state))[0])
    return state


# --- scoring ---------------------------------------------------------------


def test_a_settlement_adds_the_bonus_to_every_delegation(scenario, game):
    state = game
    for t in scenario.tracks:  # one above the threshold: a violation at the round's end costs a track 1
        state = adjudicate(state, t.id, scenario.rules.framework_threshold + 1)
    state = adjudicate(adjudicate(adjudicate(state, "sovereignty", 8), "tension", 0), "monitoring", 5)
    before = scoring.scores(state)
    state = pass_to_round_end(state)
    assert state.outcome == "settlement"
    bonus = scenario.rules.settlement_bonus
    assert bonus > 0
    for d, s in scoring.scores(state).items():
        assert s.settlement_bonus == bonus
        assert s.total == pytest.approx(s.agenda + bonus - sum(p for _, p in s.red_lines_crossed), abs=0.11)
    assert all(scoring.scores(state)[d].total > before[d].total for d in before)


def test_the_winner_is_furthest_above_par_not_the_highest_total(scenario, game):
    totals = {d: s.total for d, s in scoring.scores(game).items()}
    top = max(totals, key=totals.get)
    # Give the highest total a par far above it, and another delegation a par far below its total.
    low = min(totals, key=totals.get)
    pars = {top: totals[top] + 50, low: totals[low] - 50}
    sc = attrs.evolve(scenario, delegations=tuple(attrs.evolve(d, par=pars.get(d.id, d.par)) for d in scenario.delegations))
    state = game.clone()
    state.scenario = sc
    assert scoring.winner(state) == low
    assert scoring.standing(scoring.score(state, top)) == pytest.approx(-50, abs=0.11)


# --- NATO posture and trust-gated diplomacy --------------------------------------------


def test_nato_posture_is_a_meter_of_its_own_pulling_russia_and_ukraine_apart(scenario):
    assert "nato" in scenario.meter_ids and "nato" not in scenario.track_ids
    assert scenario.delegation("rus").agenda["nato"] > 0 > scenario.delegation("ukr").agenda["nato"]
    freeze = scenario.concession("nato-eastward-freeze")
    guarantees = scenario.concession("security-guarantees-ukraine")
    assert any(e.target == "nato" and e.delta > 0 for e in freeze.effects)
    assert {(e.target, e.delta > 0) for e in guarantees.effects} >= {("security", True), ("nato", False)}


def test_diplomacy_past_the_level_needs_trust(scenario, game):
    r = scenario.rules
    level, needed = r.diplomacy_trust_level, r.diplomacy_trust_needed
    assert 0 < needed and level < 10
    push = (Effect("diplomacy", 3),)
    low = adjudicate(adjudicate(game, "trust", needed - 1), "diplomacy", level - 1)
    s = low.clone()
    apply_effects(s, push)
    assert s.tracks["diplomacy"] == level  # stops at the level without trust
    at = adjudicate(low, "diplomacy", level + 1)  # above it already (an adjudication): not pushed back
    s = at.clone()
    apply_effects(s, push)
    assert s.tracks["diplomacy"] == level + 1
    high = adjudicate(low, "trust", needed)
    s = high.clone()
    apply_effects(s, push)
    assert s.tracks["diplomacy"] == level + 2


def test_violations_cost_diplomacy_as_well_as_trust(scenario):
    targets = {e.target: e.delta for e in scenario.violations.effects}
    assert targets["trust"] < 0 and targets["diplomacy"] < 0


def test_an_older_deck_without_the_new_rules_plays_as_before(scenario, game):
    """The defaults of the new rules change nothing: a save's embedded older scenario replays the same."""
    plain = attrs.evolve(scenario, rules=attrs.evolve(scenario.rules, settlement_bonus=0, diplomacy_trust_level=10, diplomacy_trust_needed=0))
    s = adjudicate(adjudicate(game, "trust", 0), "diplomacy", 5)
    s.scenario = plain
    apply_effects(s, (Effect("diplomacy", 3),))
    assert s.tracks["diplomacy"] == 8


# --- discarding ------------------------------------------------------------


def test_discard_is_legal_for_each_held_card_and_draws_at_upkeep(scenario):
    state = _negotiating(scenario)
    who = current_actor(state)
    hand = list(state.hands[who])
    discards = [a for a in legal_actions(state, who) if isinstance(a, Discard)]
    assert sorted(a.card for a in discards) == sorted(hand)
    assert all(check(state, a) is None for a in discards)
    card = hand[0]
    kept = copy.deepcopy(state.hands)
    after = apply_action(state, Discard(who, card, "clogged"))
    assert state.hands == kept  # the input is untouched
    entry = next(e for e in after.log if isinstance(e.payload, Discarded))
    assert entry.payload == Discarded(who, card) and entry.rationale == "clogged"
    assert "discards" in sentence(scenario, entry) and scenario.concession(card).title in sentence(scenario, entry)
    assert card not in after.hands[who] and card in after.discards[who]
    done = pass_to_round_end(after)
    assert len(done.hands[who]) == scenario.hand_size


def test_discard_refuses_a_card_not_held_and_a_wrong_turn(scenario):
    state = _negotiating(scenario)
    who = current_actor(state)
    absent = next(c.id for c in scenario.concessions if c.delegation == who and c.id not in state.hands[who])
    assert "not in" in check(state, Discard(who, absent))
    with pytest.raises(IllegalAction):
        apply_action(state, Discard(who, absent))
    other = next(d for d in state.setup.delegations if d != who)
    assert "not" in check(state, Discard(other, state.hands[other][0]))


def test_discard_preview_reveals_nothing_and_matches_the_move(scenario):
    state = _negotiating(scenario)
    who = current_actor(state)
    card = state.hands[who][0]
    decks = copy.deepcopy(state.decks)
    pv = preview(state, Discard(who, card))
    assert pv.changes == () and pv.after.hands[who] == [c for c in state.hands[who] if c != card]
    assert state.decks == decks and card in state.hands[who]


def test_a_game_with_discards_saves_loads_and_replays(scenario, tmp_path):
    state = _negotiating(scenario)
    who = current_actor(state)
    state = apply_action(state, Discard(who, state.hands[who][0], "no use"))
    state = apply_action(state, Pass(current_actor(state)))
    path = saves.write_save(state, tmp_path / "d.toml", game_id="disc")
    assert 'kind = "discard"' in path.read_text("utf-8")
    loaded = saves.load_save(path).state
    assert loaded == state
    assert replay(scenario, state.setup, state.actions) == state


def test_a_format_2_save_with_personality_weights_is_upgraded(scenario, tmp_path, monkeypatch):
    """Format 2 embedded personalities with weights; the upgrade drops them and the game replays."""
    from wargame import save_actions

    doc = {"format_version": 2, "scenario": {"personalities": [{"id": "x", "weights": {"security": 1}}, "odd"]}}
    up = save_actions.upgrade_v2(copy.deepcopy(doc))
    assert up["scenario"]["personalities"][0] == {"id": "x"} and up["scenario"]["personalities"][1] == "odd"
    assert saves.MIGRATIONS[2] is save_actions.upgrade_v2
