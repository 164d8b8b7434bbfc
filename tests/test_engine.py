"""Unit tests for each rule of the engine, on the built-in scenario and variants of it.

Expected values are derived from the scenario data, not typed in, so that
tuning a deck does not break a test while a broken rule still does.
"""

from __future__ import annotations

import attrs
import pytest

from wargame.engine import (
    ReplayError,
    IllegalAction,
    SetupError,
    apply_action,
    current_actor,
    legal_actions,
    make_setup,
    new_game,
    replay,
    undo,
)
from wargame.engine import ceasefire, scoring
from wargame.engine.rounds import due_injects
from wargame.model import Adjudicate, Answer, Choice, Choose, FireEvent, FireInject, Note, Pass, PlayCard, PostponeInject, Proposal, Respond, SkipInject, ViolationPending

from conftest import said, play_first_legal
from wargame.engine import rounds
from wargame.engine.effects import set_value


def adjudicate(state, target, value, reason="test setup"):
    """Set a value for a test: the facilitator's move in a facilitated game, else the same
    rule on a copy (facilitator moves are refused in other games), then the game advances."""
    if state.setup.facilitated:
        return apply_action(state, Adjudicate(target=target, value=value, text=reason))
    s = state.clone()
    set_value(s, target, value)
    rounds.advance(s)
    return s


@pytest.fixture
def facilitated(scenario):
    """A fresh facilitated bot-only game with seed 1."""
    return new_game(scenario, make_setup(scenario, seed=1, facilitated=True))


def settle_pending(state):
    """Answer whatever is pending with the first legal action."""
    while state.pending is not None and not state.over:
        state = apply_action(state, legal_actions(state, current_actor(state))[0])
    return state


def pass_to_round_end(state):
    """Everyone passes (and pending decisions take their first option) until the round changes."""
    start = state.round
    while not state.over and state.round == start:
        who = current_actor(state)
        acts = legal_actions(state, who)
        passes = [a for a in acts if a.kind == "pass"]
        state = apply_action(state, passes[0] if passes else acts[0])
    return state


def variant(scenario, **violations):
    return attrs.evolve(scenario, violations=attrs.evolve(scenario.violations, **violations))


def cards_of(scenario, delegation):
    return sorted(c.id for c in scenario.concessions if c.delegation == delegation)


# --- setup -----------------------------------------------------------------


def test_new_game_deals_from_the_scenario(scenario, game):
    assert {t.id: game.history[t.id][0] for t in scenario.tracks} == {t.id: t.start for t in scenario.tracks}
    assert {m.id: game.history[m.id][0] for m in scenario.meters} == {m.id: m.start for m in scenario.meters}
    for d in game.setup.delegations:
        assert len(game.hands[d]) == scenario.hand_size
        assert game.capital[d] <= scenario.delegation(d).capital_max
    assert game.round == 1 and game.phase == "negotiation"
    assert game.log[0].kind == "setup" and str(game.setup.seed) in said(game.log[0])


def test_every_card_is_in_exactly_one_place(scenario, game):
    state = play_first_legal(game)
    for d in state.setup.delegations:
        held = state.hands[d] + state.decks[d] + state.discards[d]
        assert sorted(held) == cards_of(scenario, d)
    assert sorted(state.event_deck + state.event_discard) == sorted(
        e.id for e in scenario.events if e.chooser is None or e.chooser in state.capital
    )


def test_setup_fills_default_bots_and_refuses_nonsense(scenario):
    setup = make_setup(scenario, seed=3, humans={"ukr": "Team Kyiv"})
    assert setup.humans == {"ukr": "Team Kyiv"}
    assert setup.bots["rus"] == scenario.delegation("rus").default_bot
    assert "ukr" not in setup.bots
    with pytest.raises(SetupError, match="unknown delegation"):
        make_setup(scenario, seed=1, humans={"xyz": "x"})
    with pytest.raises(SetupError, match="no bot personality"):
        make_setup(scenario, seed=1, bots={"rus": "pacifist"})
    with pytest.raises(SetupError, match="cannot be left out"):
        make_setup(scenario, seed=1, leave_out=("ukr",))
    with pytest.raises(SetupError, match="both human and bot"):
        make_setup(scenario, seed=1, humans={"rus": "A"}, bots={"rus": "hardliner"})
    assert make_setup(scenario, seed=1, bots={"all": "hardliner"}).bots == {d.id: "hardliner" for d in scenario.delegations}


def test_china_can_be_left_out(scenario):
    state = new_game(scenario, make_setup(scenario, seed=2, leave_out=("chn",)))
    assert "chn" not in state.capital and "chn" not in state.order
    for e in state.event_deck + state.event_discard:
        assert scenario.event(e).chooser != "chn"
    state = play_first_legal(state)
    assert state.over


# --- actions ---------------------------------------------------------------


def test_apply_action_never_changes_its_input(game):
    before = game.clone()
    who = current_actor(game)
    apply_action(game, legal_actions(game, who)[0])
    assert game == before and game.log == before.log


def test_only_the_current_actor_may_act(game):
    game = settle_pending(game)
    who = current_actor(game)
    other = next(d for d in game.setup.delegations if d != who)
    assert legal_actions(game, other) == []
    with pytest.raises(IllegalAction, match="not .* turn"):
        apply_action(game, Pass(other))


def _state_with_card(scenario, want_consent: bool, seed_range=range(200)):
    """A game where the current actor holds a card with (or without) consent it can afford."""
    for seed in seed_range:
        state = settle_pending(new_game(scenario, make_setup(scenario, seed=seed)))
        who = current_actor(state)
        for a in legal_actions(state, who):
            if a.kind != "play":
                continue
            card = scenario.concession(a.card)
            consent = [d for d in card.consent if d in state.capital and d != who]
            if bool(consent) == want_consent and all(e.when is None for e in card.effects):
                return state, who, card
    raise AssertionError("no such game in range")


def expected_phrases(scenario, state, effects):
    """The log phrases unconditional, unclamped effects must produce."""
    out = []
    for e in effects:
        if e.when is None and e.target in state.tracks and 0 <= state.tracks[e.target] + e.delta <= 10 and e.delta:
            out.append(f"{scenario.name_of(e.target)} {e.delta:+d}")
    return out


def test_playing_a_card_pays_moves_and_discards(scenario):
    state, who, card = _state_with_card(scenario, want_consent=False)
    after = apply_action(state, PlayCard(who, card=card.id, text="because"))
    entry = next(e for e in after.log[len(state.log):] if e.kind == "play")
    assert card.title in said(entry) and entry.rationale == "because" and entry.delegation == who
    for phrase in expected_phrases(scenario, state, card.effects):
        assert phrase in said(entry)
    assert after.actions[-1].card == card.id
    if after.round == state.round:
        assert card.id in after.discards[who] and card.id not in after.hands[who]
        assert after.capital[who] == state.capital[who] - card.cost
        assert after.turn_index == state.turn_index + 1


def test_cannot_play_unaffordable_or_absent_cards(scenario):
    state, who, card = _state_with_card(scenario, want_consent=False)
    not_held = next(c.id for c in scenario.concessions if c.delegation == who and c.id not in state.hands[who])
    with pytest.raises(IllegalAction, match="not in"):
        apply_action(state, PlayCard(who, card=not_held))
    poor = state.clone()
    poor.capital[who] = card.cost - 1
    if card.cost > 0:
        with pytest.raises(IllegalAction, match="costs"):
            apply_action(poor, PlayCard(who, card=card.id))
        assert all(not (isinstance(a, PlayCard) and a.card == card.id) for a in legal_actions(poor, who))


def test_proposal_waits_for_every_named_delegation_then_applies(scenario):
    state, who, card = _state_with_card(scenario, want_consent=True)
    s = apply_action(state, PlayCard(who, card=card.id))
    consent = tuple(d for d in card.consent if d in state.capital and d != who)
    assert isinstance(s.pending, Proposal) and s.pending.awaiting == consent
    assert s.capital[who] == state.capital[who] - card.cost  # paid when proposed
    for d in consent:
        assert current_actor(s) == d
        before = s
        s = apply_action(s, Answer(d, card=card.id, accept=True, text=f"{d} agrees"))
    agreed = next(e for e in s.log[len(before.log):] if e.kind == "agreement")
    assert card.title in said(agreed)
    for phrase in expected_phrases(scenario, before, card.effects):
        assert phrase in said(agreed)
    assert any(e.kind == "answer" and e.rationale == f"{consent[-1]} agrees" for e in s.log)


def test_rejection_costs_the_rejection_effects(scenario):
    state, who, card = _state_with_card(scenario, want_consent=True)
    s = apply_action(state, PlayCard(who, card=card.id))
    rejecter = s.pending.awaiting[0]
    tension = s.meters["tension"]
    s2 = apply_action(s, Answer(rejecter, card=card.id, accept=False, text="red line"))
    effects = card.on_reject if card.on_reject is not None else scenario.rules.rejection_effects
    delta = sum(e.delta for e in effects if e.target == "tension" and e.when is None)
    entry = next(e for e in s2.log[len(s.log):] if e.kind == "answer")
    assert "rejects" in said(entry) and entry.rationale == "red line"
    if s2.round == s.round and not s2.over:
        assert s2.meters["tension"] == min(10, tension + delta)
    assert s2.pending is None or not isinstance(s2.pending, Proposal) or s2.pending.card != card.id


def test_event_choice_is_asked_and_applied(scenario):
    for seed in range(300):
        state = new_game(scenario, make_setup(scenario, seed=seed))
        if isinstance(state.pending, Choice):
            break
    else:
        pytest.fail("no opening event with a choice in 300 seeds")
    card = scenario.event(state.pending.event)
    chooser = state.pending.chooser
    assert current_actor(state) == chooser
    assert {a.option for a in legal_actions(state, chooser)} == {o.id for o in card.options}
    with pytest.raises(IllegalAction, match="unknown option"):
        apply_action(state, Choose(chooser, card=card.id, option="nope"))
    opt = card.options[-1]
    after = apply_action(state, Choose(chooser, card=card.id, option=opt.id, text="we choose"))
    assert after.pending is None or not isinstance(after.pending, Choice)
    assert any(e.kind == "choice" and opt.label in said(e) and e.rationale == "we choose" for e in after.log)


# --- ceasefire -------------------------------------------------------------


def test_violation_chance_rises_with_tension_and_falls_with_monitoring(game):
    v = game.scenario.violations
    # "high" is the highest tension whose chance is still under the cap, so the rise is visible.
    top = max(t for t in range(11) if v.base_chance + v.tension_factor * t < v.max_chance)
    assert top >= 2, "the cap leaves no room for tension to matter"
    low = adjudicate(adjudicate(game, "tension", 0), "monitoring", 0)
    high = adjudicate(low, "tension", top)
    watched = adjudicate(high, "monitoring", 3)
    assert ceasefire.violation_chance(high) > ceasefire.violation_chance(low)
    assert ceasefire.violation_chance(watched) < ceasefire.violation_chance(high)
    assert ceasefire.violation_chance(high) == pytest.approx(
        max(v.min_chance, min(v.max_chance, v.base_chance + v.tension_factor * top))
    )
    capped = adjudicate(low, "tension", 10)
    assert ceasefire.violation_chance(capped) == pytest.approx(v.max_chance)


def _certain_violation_game(scenario, seed=1, **extra):
    sc = variant(scenario, min_chance=1.0, max_chance=1.0, **extra)
    state = new_game(sc, make_setup(sc, seed=seed))
    state = adjudicate(state, "ceasefire", 9)
    return adjudicate(state, "tension", 3)


def test_no_violation_check_without_a_ceasefire(scenario):
    sc = variant(scenario, min_chance=1.0, max_chance=1.0)
    state = adjudicate(new_game(sc, make_setup(sc, seed=1)), "ceasefire", 0)
    state = pass_to_round_end(state)
    assert state.violations == []


def test_violation_is_attributed_and_asks_the_injured_side(scenario):
    state = _certain_violation_game(scenario)
    ceasefire_before = 9
    while not isinstance(state.pending, ViolationPending):
        who = current_actor(state)
        acts = legal_actions(state, who)
        state = apply_action(state, next((a for a in acts if a.kind == "pass"), acts[0]))
    v = state.violations[-1]
    sides = {s.delegation for s in scenario.violations.sides}
    assert {v.violator, v.injured} == sides
    assert current_actor(state) == v.injured
    assert state.tracks["ceasefire"] < ceasefire_before + 1
    assert any(e.kind == "violation" and scenario.delegation(v.violator).name in said(e) for e in state.log)
    # each response has its own consequences
    outcomes = {}
    for a in legal_actions(state, v.injured):
        after = apply_action(state, Respond(v.injured, response=a.response, text="answer"))
        assert after.violations[-1].response == a.response
        outcomes[a.response] = (after.history["tension"][-1], after.history["trust"][-1], after.monitoring)
    assert len(set(outcomes.values())) > 1


def test_unaffordable_responses_are_not_offered(scenario):
    state = _certain_violation_game(scenario)
    while not isinstance(state.pending, ViolationPending):
        who = current_actor(state)
        acts = legal_actions(state, who)
        state = apply_action(state, next((a for a in acts if a.kind == "pass"), acts[0]))
    injured = state.pending.injured
    broke = state.clone()
    broke.capital[injured] = 0
    offered = {a.response for a in legal_actions(broke, injured)}
    assert offered == {r.id for r in scenario.violations.responses if r.cost == 0}
    costly = next(r for r in scenario.violations.responses if r.cost > 0)
    with pytest.raises(IllegalAction, match="costs"):
        apply_action(broke, Respond(injured, response=costly.id))


def test_repeated_violations_collapse_the_ceasefire(scenario):
    state = _certain_violation_game(scenario)
    state = adjudicate(state, "tension", 0)
    collapse_after = scenario.violations.collapse_after
    for _ in range(collapse_after):
        state = adjudicate(state, "ceasefire", 10)
        state = adjudicate(state, "tension", 0)
        state = pass_to_round_end(state)
        if state.over:
            break
    assert len(state.violations) >= collapse_after
    assert state.ceasefire_collapses == 1
    assert state.violations[collapse_after - 1].collapsed
    assert any(e.kind == "collapse" for e in state.log)


# --- round flow and end ----------------------------------------------------


def test_upkeep_refills_capital_and_drifts_tension_without_ceasefire(scenario, game):
    state = adjudicate(adjudicate(game, "ceasefire", 0), "tension", 3)
    capital = dict(state.capital)
    state = pass_to_round_end(state)
    for d in state.setup.delegations:
        dl = scenario.delegation(d)
        assert state.capital[d] >= min(dl.capital_max, capital[d])  # passes spend nothing
    assert state.history["tension"][-1] >= 3 + scenario.rules.tension_drift - 0  # drift applied
    assert len(state.history["ceasefire"]) == 2


def test_turn_order_rotates_each_round(game):
    first = game.order
    later = pass_to_round_end(settle_pending(game))
    assert later.order == first[1:] + first[:1]


def test_tension_at_the_top_collapses_the_talks(game):
    state = adjudicate(game, "tension", 10)
    assert state.over and state.outcome == "collapse"
    assert current_actor(state) is None
    with pytest.raises(IllegalAction, match="over"):
        apply_action(state, Note(text="late"))


def test_framework_agreement_ends_in_settlement(scenario, game):
    state = game
    for t in scenario.tracks:  # one above the threshold: a violation at the round's end costs a track 1
        state = adjudicate(state, t.id, scenario.rules.framework_threshold + 1)
    state = adjudicate(state, "sovereignty", 8)
    state = adjudicate(state, "tension", 0)
    state = adjudicate(state, "monitoring", 5)
    state = pass_to_round_end(state)
    assert state.outcome == "settlement", state.log[-3:]


def test_last_round_without_agreement_is_a_frozen_conflict(scenario):
    state = new_game(scenario, make_setup(scenario, seed=4, rounds=1))
    state = adjudicate(adjudicate(state, "security", 0), "tension", 0)
    state = pass_to_round_end(state)
    assert state.outcome == "frozen" and state.round == 1


# --- scoring ---------------------------------------------------------------


def test_agenda_value_rewards_what_a_delegation_wants():
    weights = {"ceasefire": 2, "tension": -1}
    assert scoring.agenda_value(weights, {"ceasefire": 10, "tension": 0}) == 100
    assert scoring.agenda_value(weights, {"ceasefire": 0, "tension": 10}) == 0
    assert scoring.agenda_value(weights, {"ceasefire": 5, "tension": 5}) == pytest.approx(50)
    assert scoring.agenda_value({}, {}) == 0


def test_red_lines_and_collapse_cost_points(scenario, game):
    ukr = scenario.delegation("ukr")
    line = next(rl for rl in ukr.red_lines if rl.target == "sovereignty")
    safe = adjudicate(game, "sovereignty", 10)
    crossed = adjudicate(game, "sovereignty", line.at_least - 1)
    assert scoring.score(safe, "ukr").red_lines_crossed == ()
    s = scoring.score(crossed, "ukr")
    assert s.red_lines_crossed == ((line.text, line.penalty),)
    assert s.total == pytest.approx(s.agenda - line.penalty, abs=0.11)
    collapsed = adjudicate(crossed, "tension", 10)
    assert scoring.score(collapsed, "ukr").collapse_penalty == scenario.rules.collapse_penalty


def test_par_tells_a_delegation_how_it_did_for_its_role(scenario, game):
    rus = scenario.delegation("rus")
    assert rus.par is not None
    s = scoring.score(game, "rus")
    assert s.par == rus.par and s.vs_par == pytest.approx(s.total - rus.par, abs=0.11)
    collapsed = adjudicate(game, "tension", 10)
    assert scoring.score(collapsed, "rus").vs_par == pytest.approx(s.vs_par - scenario.rules.collapse_penalty, abs=0.11)
    no_par = attrs.evolve(scenario, delegations=tuple(attrs.evolve(d, par=None) for d in scenario.delegations))
    plain = game.clone()
    plain.scenario = no_par
    assert scoring.score(plain, "rus").vs_par is None and scoring.score(plain, "rus").total == s.total


def test_winner_is_furthest_above_par_or_none_on_a_tie(game):
    totals = {d: s.vs_par for d, s in scoring.scores(game).items()}
    best = max(totals.values())
    w = scoring.winner(game)
    if list(totals.values()).count(best) == 1:
        assert totals[w] == best
    else:
        assert w is None


# --- facilitator -------------------------------------------------------------


def test_adjudication_needs_a_reason_and_a_valid_value(facilitated):
    with pytest.raises(IllegalAction, match="reason"):
        apply_action(facilitated, Adjudicate(target="tension", value=3, text="  "))
    with pytest.raises(IllegalAction, match="unknown"):
        apply_action(facilitated, Adjudicate(target="morale", value=3, text="x"))
    with pytest.raises(IllegalAction, match="0 to 10"):
        apply_action(facilitated, Adjudicate(target="tension", value=11, text="x"))
    s = apply_action(facilitated, Adjudicate(target="trust", value=7, text="summit went well"))
    assert s.meters["trust"] == 7
    assert s.log[-1].kind == "adjudication" and "summit went well" in said(s.log[-1])


def test_injects_fire_on_schedule_in_bot_games(scenario):
    state = play_first_legal(new_game(scenario, make_setup(scenario, seed=5)))
    reached = state.round
    for inj in scenario.injects:
        if inj.round <= reached:
            assert state.injects_done.get(inj.id) == "fired", inj.id
            assert any(e.kind == "inject" and inj.title in said(e) for e in state.log)


def test_facilitated_injects_wait_for_the_facilitator(scenario):
    first = min(i.round for i in scenario.injects)
    state = new_game(scenario, make_setup(scenario, seed=5, facilitated=True))
    while state.round < first:
        state = pass_to_round_end(state)
    due = due_injects(state)
    assert due and all(i not in state.injects_done for i in due)
    fired = apply_action(state, FireInject(inject=due[0]))
    assert fired.injects_done[due[0]] == "fired"
    with pytest.raises(IllegalAction, match="already"):
        apply_action(fired, FireInject(inject=due[0]))
    skipped = apply_action(state, SkipInject(inject=due[0], text="no time"))
    assert skipped.injects_done[due[0]] == "skipped" and due[0] not in due_injects(skipped)
    later = apply_action(state, PostponeInject(inject=due[0]))
    assert due[0] not in due_injects(later)
    later = pass_to_round_end(settle_pending(later))
    assert due[0] in due_injects(later)


def test_facilitator_can_fire_any_event_card(scenario, facilitated):
    card = next(e for e in scenario.events if e.chooser is None and e.effects)
    s = apply_action(settle_pending(facilitated), FireEvent(card=card.id))
    assert s.log[-1].kind == "event" and card.title in said(s.log[-1])
    assert card.id not in s.event_deck


def test_notes_are_logged_with_the_round(facilitated):
    s = apply_action(facilitated, Note(text="Ukraine team asked about Crimea"))
    assert s.log[-1].kind == "note" and s.log[-1].round == facilitated.round
    with pytest.raises(IllegalAction):
        apply_action(facilitated, Note(text=""))


def test_an_announcement_is_a_public_line_and_a_note_is_private(facilitated):
    from wargame.engine import check
    from wargame.model import PRIVATE_KINDS, Announce

    s = apply_action(facilitated, Announce(text="  Talks resume   at noon "))
    assert s.log[-1].kind == "announcement" and s.log[-1].kind not in PRIVATE_KINDS
    assert said(s.log[-1]) == "The facilitator announces: Talks resume at noon"
    assert apply_action(s, Note(text="x")).log[-1].kind in PRIVATE_KINDS
    assert check(facilitated, Announce(text=" ")) == "an announcement needs some text"
    unfacilitated = new_game(facilitated.scenario, attrs.evolve(facilitated.setup, facilitated=False))
    assert check(unfacilitated, Announce(text="hello")).startswith("this game has no facilitator")


# --- replay and undo ---------------------------------------------------------


def test_undo_restores_the_exact_previous_state(facilitated):
    s1 = settle_pending(facilitated)
    s2 = apply_action(s1, legal_actions(s1, current_actor(s1))[0])
    s3 = apply_action(s2, Note(text="x"))
    assert undo(s3) == s2
    assert undo(undo(s3)) == s1 if s1.actions == s2.actions[:-1] else True
    with pytest.raises(IllegalAction, match="nothing to undo"):
        undo(new_game(facilitated.scenario, facilitated.setup))


def test_replay_rebuilds_the_same_game(game):
    end = play_first_legal(game)
    assert replay(end.scenario, end.setup, end.actions) == end


def test_replay_names_the_action_it_cannot_replay_and_keeps_the_log(game):
    end = play_first_legal(game)
    actions = list(end.actions)
    broken = actions[:3] + [PlayCard("rus", "no-such-card")] + actions[3:]
    before = list(broken)
    with pytest.raises(ReplayError) as err:
        replay(end.scenario, end.setup, broken)
    assert err.value.index == 4 and err.value.action == PlayCard("rus", "no-such-card")
    assert isinstance(err.value.cause, IllegalAction) and str(err.value) == str(err.value.cause)
    assert broken == before


def test_seeds_change_the_game(scenario):
    a = play_first_legal(new_game(scenario, make_setup(scenario, seed=10)))
    b = play_first_legal(new_game(scenario, make_setup(scenario, seed=10)))
    c = play_first_legal(new_game(scenario, make_setup(scenario, seed=11)))
    assert a == b
    assert a.log != c.log


def test_par_is_qualified_outside_the_standard_setup_or_before_the_end(scenario):
    from conftest import play_first_legal

    assert scoring.par_caveat(play_first_legal(new_game(scenario, make_setup(scenario, 1)))) == ""
    assert scoring.par_caveat(new_game(scenario, make_setup(scenario, 1))) == " (provisional: the game is not over)"
    short = play_first_legal(new_game(scenario, make_setup(scenario, 1, rounds=2)))
    assert scoring.par_caveat(short) == f" (par is measured on the standard {scenario.rounds}-round game with every delegation)"
    assert scoring.par_caveat(play_first_legal(new_game(scenario, make_setup(scenario, 1, leave_out=("chn",))))) != ""


# --- the round's event, previewed by the facilitator ---------------------------------------------


@pytest.fixture
def previewed(scenario):
    """A facilitated game whose facilitator sees each round's event first; injects out of the way."""
    state = new_game(scenario, make_setup(scenario, 3, facilitated=True, event_preview=True))
    for inject in due_injects(state):
        state = apply_action(state, SkipInject(inject))
    return state


def test_the_rounds_event_waits_for_the_facilitator(previewed):
    from wargame.engine import check, waiting_for_facilitator
    from wargame.model import EventWaiting, FireRoundEvent, HoldRoundEvent, SwapRoundEvent

    assert waiting_for_facilitator(previewed) and current_actor(previewed) is None
    card = previewed.pending.event
    assert card in previewed.event_deck and not any(e.kind == "event" for e in previewed.log)
    options = legal_actions(previewed, None)
    assert options[0] == FireRoundEvent() and options[-1] == HoldRoundEvent()
    assert SwapRoundEvent(card) not in options and len(options) == len(previewed.scenario.events) + 1
    for action in options:
        assert check(previewed, action) is None
    # A delegation waits; a swap for the same card is refused.
    assert check(previewed, Pass(previewed.order[0])) == "the round's event is waiting for the facilitator"
    assert check(previewed, SwapRoundEvent(card)) == "swap the round's event for another card, or fire it"

    fired = apply_action(previewed, FireRoundEvent())
    assert card not in fired.event_deck and not isinstance(fired.pending, EventWaiting)
    assert [e.card for e in fired.log if e.kind == "event"] == [card]

    held = apply_action(previewed, HoldRoundEvent("not today"))
    assert card in held.event_deck and held.log[-1].kind == "event_held"
    assert said(held.log[-1]) == f"The facilitator holds back this round's event, “{held.scenario.event(card).title}”."
    assert current_actor(held) == held.order[0]

    other = next(e.id for e in previewed.scenario.events if e.id != card and e.chooser is None)
    swapped = apply_action(previewed, SwapRoundEvent(other))
    assert card in swapped.event_deck and [e.card for e in swapped.log if e.kind == "event"] == [other]
    assert check(swapped, FireRoundEvent()) == "no round event is waiting for the facilitator"


def test_an_unpreviewed_game_reveals_the_event_as_before(scenario):
    state = new_game(scenario, make_setup(scenario, 3, facilitated=True))
    assert [e.kind for e in state.log][:3] == ["setup", "round", "event"]
    assert legal_actions(state, None) == []


def test_a_previewed_game_replays_and_saves(previewed, tmp_path):
    from wargame import saves
    from wargame.model import HoldRoundEvent

    s = apply_action(previewed, HoldRoundEvent())
    assert replay(s.scenario, s.setup, s.actions) == s
    assert saves.load_save(saves.save_game(previewed, tmp_path, game_id="g", name="waiting")).state == previewed
