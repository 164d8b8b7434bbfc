"""Bots: only legal moves, deterministic games, and reasons that say what the bot did and why."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.bots import choose, personality_of, worth
from wargame.engine import apply_action, check, current_actor, legal_actions, make_setup, new_game, preview, replay
from wargame.engine.ceasefire import responses_open
from wargame.engine.proposals import package_consent
from wargame.model import Action, Answer, Choice, Discard, Effect, PlayCard, Proposal, ViolationPending, possessive


def bare(action: Action) -> Action:
    """The action without its reason, to compare with `legal_actions`."""
    return attrs.evolve(action, text="")


def play_out(scenario, setup, check=None):
    """Let the bots play a game to the end; `check(state, who, action)` sees every choice."""
    state = new_game(scenario, setup)
    steps = 0
    while not state.over:
        who = current_actor(state)
        action = choose(state, who)
        if check is not None:
            check(state, who, action)
        state = apply_action(state, action)
        steps += 1
        assert steps < setup.rounds * 80, "a bot game did not end"
    return state


def assert_legal(state, who, action):
    assert bare(action) in legal_actions(state, who), (action, legal_actions(state, who))
    assert action.delegation == who
    assert action.text and "\n" not in action.text


def table_strategy(scenario):
    """A personality for every delegation, drawn from those the scenario offers it
    (the expert's rollouts are too slow for thousands of games: tests/test_expert.py plays it)."""
    per = {d.id: st.sampled_from(sorted(p.id for p in scenario.personalities_for(d.id) if not p.rollouts)) for d in scenario.delegations}
    return st.fixed_dictionaries(per)


@pytest.fixture(scope="module")
def tables(scenario):
    return table_strategy(scenario)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data(), seed=st.integers(0, 10**9), rounds=st.integers(1, 12), leave_out_china=st.booleans())
def test_bots_only_choose_legal_actions(scenario, data, seed, rounds, leave_out_china):
    bots = data.draw(table_strategy(scenario))
    leave_out = ("chn",) if leave_out_china else ()
    if leave_out:
        bots.pop("chn")
    setup = make_setup(scenario, seed=seed, rounds=rounds, bots=bots, leave_out=leave_out)
    state = play_out(scenario, setup, assert_legal)
    assert state.outcome in ("settlement", "frozen", "collapse")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), everyone=st.sampled_from(["hardliner", "pragmatist"]))
def test_whole_tables_of_one_personality_play_legally(scenario, seed, everyone):
    setup = make_setup(scenario, seed=seed, bots={"all": everyone})
    play_out(scenario, setup, assert_legal)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9))
def test_same_seed_same_game_and_replay_agrees(scenario, seed):
    setup = make_setup(scenario, seed=seed)
    first = play_out(scenario, setup)
    second = play_out(scenario, setup)
    assert first == second
    assert first.actions == second.actions
    assert replay(scenario, setup, first.actions) == first


def test_choose_does_not_touch_the_state(scenario, game):
    before = game.clone()
    choose(game, current_actor(game))
    assert game == before


def test_choose_refuses_a_delegation_whose_turn_it_is_not(scenario, game):
    who = current_actor(game)
    other = next(d for d in game.setup.delegations if d != who)
    with pytest.raises(ValueError):
        choose(game, other)


def test_different_seeds_give_different_games(scenario):
    a = play_out(scenario, make_setup(scenario, seed=11))
    b = play_out(scenario, make_setup(scenario, seed=12))
    assert a.actions != b.actions


# --- reasons match choices --------------------------------------------------------


def check_reason(state, who, action):
    """The one-line reason names the delegation, says what it did, and names what it did it to."""
    scenario = state.scenario
    dl = scenario.delegation(who)
    name = dl.name
    text = action.text
    assert text.startswith(name + " "), text
    if dl.plural:
        unquoted = re.sub(r"“[^”]*”", "", text)
        assert " its " not in unquoted and " it " not in unquoted, text  # their and they, not its and it
    head, _, why = text.partition(": ")
    assert why.strip(), f"no reason given: {text!r}"
    pending = state.pending
    if action.kind in ("answer", "counter", "answer_counter"):
        proposal = pending.proposal if action.kind == "answer_counter" else pending
        title = f"“{scenario.concession(action.card).title}”"
        if proposal.partner:
            title += f" with “{scenario.concession(proposal.partner).title}”"
        if action.kind == "answer":
            assert head == f"{dl.says('accepts' if action.accept else 'rejects')} {title}", text
        elif action.kind == "counter":
            assert head.startswith(f"{dl.says('counters')} {title} "), text
            assert ("without " in head) == (action.drop is not None), text
            assert (f"for {action.ask} capital" in head) == bool(action.ask), text
            assert re.search(r"\d+% likely\), against ", why), text
        else:
            by = scenario.delegation(proposal.countered_by).name
            verb = dl.says("takes" if action.accept else "turns down")
            assert head == f"{verb} {possessive(by)} counter to {title}", text
    elif action.kind == "play":
        card = scenario.concession(action.card)
        parties = package_consent(state, action.card, action.partner)
        verb = dl.says("proposes" if parties else "plays")
        title = f"“{card.title}”"
        if action.partner:
            title = f"the package {title} with “{scenario.concession(action.partner).title}”"
            assert "together worth" in why or "neither card is worth playing alone" in why, text
        if action.side_payment:
            assert f"offering {action.side_payment} capital to each party" in why, text
        assert head.startswith(f"{verb} {title}"), text
        # it plays only what gains it at least its threshold, in score points
        gain = re.match(r"(±0|[+−]\d+(?:\.\d)?) to (its|their) score", why)
        assert gain, text
        value = 0.0 if gain.group(1) == "±0" else float(gain.group(1).replace("−", "-"))
        assert value >= personality_of(state, who).play_threshold - 0.05, text
    elif action.kind == "discard":
        assert head == f"{dl.says('discards')} “{scenario.concession(action.card).title}” to draw another", text
    elif action.kind == "pass":
        assert head == dl.says("passes"), text
    elif action.kind == "choose":
        label = next(o.label for o in scenario.event(action.card).options if o.id == action.option)
        assert head == f"{dl.says('chooses')} “{label}”", text
    elif action.kind == "respond":
        label = scenario.violations.response(action.response).label
        assert head == f"{dl.says('responds')} with “{label}”", text
    else:  # pragma: no cover - a bot never takes facilitator actions
        raise AssertionError(action)


@pytest.mark.parametrize("everyone", ["hardliner", "pragmatist", None])
def test_reasons_match_choices_for_every_personality(scenario, everyone):
    kinds = set()

    def check(state, who, action):
        check_reason(state, who, action)
        kinds.add((action.kind, getattr(action, "accept", None)))

    for seed in range(12):
        setup = make_setup(scenario, seed=seed, bots={"all": everyone} if everyone else {})
        play_out(scenario, setup, check)
    assert ("pass", None) in kinds or ("play", None) in kinds


def test_china_mediator_reasons(scenario):
    setup = make_setup(scenario, seed=3, bots={"chn": "mediator"})
    assert setup.bots["chn"] == "mediator"
    seen = []
    play_out(scenario, setup, lambda s, w, a: seen.append(a) if w == "chn" else None)
    assert seen and all(a.text.startswith("China ") for a in seen)


# --- scripted situations: thresholds, red lines, risk, responses ---------------------


def with_bots(scenario, state, bots):
    """The same state, with the table's personalities changed."""
    s = state.clone()
    s.setup = attrs.evolve(s.setup, bots={**s.setup.bots, **bots})
    return s


def find_concession(scenario, pred):
    cards = [c for c in scenario.concessions if pred(c)]
    assert cards, "the built-in decks have no card for this test"
    return sorted(cards, key=lambda c: c.id)[0]


def effect_delta(card, target):
    return sum(e.delta for e in card.effects if e.target == target and e.when is None)


def proposal_state(scenario, game, card, answerer, meters=None, tracks=None, countered=False):
    """`answerer` is asked to consent to `card`; `countered`: a proposal already countered once,
    so that only accepting and rejecting remain."""
    s = game.clone()
    s.phase = "negotiation"
    s.pending = Proposal(card.id, card.delegation, (answerer,), countered_by=card.delegation if countered else None)
    s.meters.update(meters or {})
    s.tracks.update(tracks or {})
    return s


def test_a_bot_rejects_what_would_cross_its_red_line(scenario, game):
    # A proposal to Ukraine that costs sovereignty, against a Ukrainian hardliner whose red line is sovereignty.
    p = scenario.personality("ukr", "hardliner")
    line = next(c for c in p.red_lines if c.target == "sovereignty" and c.at_least is not None)
    card = find_concession(scenario, lambda c: "ukr" in c.consent and effect_delta(c, "sovereignty") < 0)
    s = proposal_state(scenario, with_bots(scenario, game, {"ukr": "hardliner"}), card, "ukr",
                       meters={"sovereignty": line.at_least, "tension": 2}, countered=True)
    action = choose(s, "ukr")
    assert action.accept is False
    assert action.text.startswith(f"Ukraine rejects “{card.title}”:")
    assert "red line" in action.text and "Sovereignty" in action.text


def test_a_bot_rejects_what_would_push_tension_past_its_risk_tolerance(scenario, game):
    def rejection(c):
        return c.on_reject if c.on_reject is not None else scenario.rules.rejection_effects

    # A proposal that raises tension, where turning it down does not.
    card = find_concession(scenario, lambda c: any(d != c.delegation for d in c.consent) and effect_delta(c, "tension") > 0
                           and sum(e.delta for e in rejection(c) if e.target == "tension") <= 0)
    answerer = next(d for d in card.consent if d != card.delegation)
    p = personality_of(game, answerer)
    s = proposal_state(scenario, game, card, answerer, meters={"tension": p.risk_tolerance}, countered=True)
    # Keep every red line comfortably inside its bounds, so that only the risk decides.
    for cond in p.red_lines:
        where = s.tracks if cond.target in s.tracks else s.meters
        where[cond.target] = min(10, cond.at_least + 3) if cond.at_least is not None else max(0, cond.at_most - 3)
    action = choose(s, answerer)
    assert action.accept is False, action.text
    assert f"tension would rise to {p.risk_tolerance + effect_delta(card, 'tension')}" in action.text
    assert f"above its risk tolerance of {p.risk_tolerance}" in action.text


def test_answers_follow_the_accept_threshold(scenario, game):
    # A plainly good proposal for a pragmatic Ukraine: accepted, and the reason says what it is worth.
    card = find_concession(scenario, lambda c: "ukr" in c.consent and effect_delta(c, "ceasefire") > 0
                           and effect_delta(c, "sovereignty") >= 0 and effect_delta(c, "tension") <= 0)
    s = proposal_state(scenario, with_bots(scenario, game, {"ukr": "pragmatist"}), card, "ukr", meters={"tension": 3})
    action = choose(s, "ukr")
    assert action.accept is True
    assert "to its score" in action.text and "if agreed against" in action.text and "threshold" in action.text
    # The same proposal, for a personality that demands more than it can ever be worth: rejected.
    strict = attrs.evolve(scenario.personality("ukr", "pragmatist"), accept_threshold=99)
    sc2 = attrs.evolve(scenario, personalities=tuple(strict if (p.delegation, p.id) == ("ukr", "pragmatist") else p
                                                      for p in scenario.personalities))
    s2 = s.clone()
    s2.scenario = sc2
    action = choose(s2, "ukr")
    assert action.accept is False
    assert "below its threshold of 99" in action.text
    # A threshold below zero reads with a true minus sign, as every number in the log does.
    lenient = attrs.evolve(strict, accept_threshold=-2.5)
    s3 = s.clone()
    s3.scenario = attrs.evolve(scenario, personalities=tuple(lenient if (p.delegation, p.id) == ("ukr", "pragmatist") else p
                                                            for p in scenario.personalities))
    action = choose(s3, "ukr")
    assert "its threshold of \u22122.5" in action.text and "-2.5" not in action.text


def response_state(scenario, game, injured, tension, capital):
    s = game.clone()
    s.phase = "upkeep"
    violator = next(x.delegation for x in scenario.violations.sides if x.delegation != injured)
    s.pending = ViolationPending(violator, injured)
    s.meters["tension"] = tension
    s.capital[injured] = capital
    from wargame.model import Violation

    s.violations.append(Violation(s.round, violator, injured))
    return s


def test_violation_response_depends_on_tension(scenario, game):
    p = scenario.personality("ukr", "pragmatist")
    assert p.response != p.response_when_tense  # the built-in pragmatist changes its answer when tense
    g = with_bots(scenario, game, {"ukr": "pragmatist"})
    calm = choose(response_state(scenario, g, "ukr", max(0, p.tense_at - 3), 6), "ukr")
    assert calm.response == p.response
    assert f"while tension is below {p.tense_at}" in calm.text
    tense = choose(response_state(scenario, g, "ukr", p.tense_at, 6), "ukr")
    assert tense.response == p.response_when_tense
    assert f"once tension reaches {p.tense_at}" in tense.text


def test_violation_response_falls_back_when_unaffordable(scenario, game):
    p = scenario.personality("ukr", "pragmatist")
    preferred = scenario.violations.response(p.response)
    assert preferred.cost > 0, "the test needs a response that costs capital"
    g = with_bots(scenario, game, {"ukr": "pragmatist"})
    s = response_state(scenario, g, "ukr", max(0, p.tense_at - 3), preferred.cost - 1)
    action = choose(s, "ukr")
    assert action.response != p.response
    assert action.response in {r.id for r in responses_open(s)}
    assert "cannot afford" in action.text and preferred.label in action.text


def test_hardliner_does_not_retaliate_past_its_risk_tolerance(scenario, game):
    p = scenario.personality("ukr", "hardliner")
    retaliate = scenario.violations.response(p.response)
    rise = sum(e.delta for e in retaliate.effects if e.target == "tension" and e.when is None)
    assert rise > 0
    g = with_bots(scenario, game, {"ukr": "hardliner"})
    # Just below tense_at, and high enough that retaliation would cross the risk tolerance.
    tension = min(p.tense_at - 1, p.risk_tolerance)
    if tension + rise <= p.risk_tolerance:
        pytest.fail("built-in hardliner's numbers leave no room for this situation")
    action = choose(response_state(scenario, g, "ukr", tension, 6), "ukr")
    assert action.response != p.response
    assert "risk tolerance" in action.text


def test_a_bot_passes_with_a_reason_when_nothing_is_worth_playing(scenario, game):
    who = current_actor(game)
    s = game.clone()
    s.capital[who] = 0
    cheap = [c for c in s.hands[who] if scenario.concession(c).cost == 0]
    action = choose(s, who)
    if not cheap:
        assert action.kind == "pass"
        assert "cannot afford" in action.text
    s.hands[who] = []
    action = choose(s, who)
    assert action.kind == "pass" and "holds no cards" in action.text


def test_event_choice_avoids_a_red_line(scenario, game):
    # Find an event whose chooser has a personality with a red line that one option would cross.
    for card in sorted(scenario.events, key=lambda c: c.id):
        if not card.chooser or not card.options:
            continue
        for p in scenario.personalities_for(card.chooser):
            for cond in p.red_lines:
                bad = [o for o in card.options if sum(e.delta for e in o.effects if e.target == cond.target and e.when is None) < 0
                       and cond.at_least is not None]
                good = [o for o in card.options if o not in bad]
                if not bad or not good:
                    continue
                s = with_bots(scenario, game, {card.chooser: p.id})
                s.pending = Choice(card.id, card.chooser)
                target = s.tracks if cond.target in s.tracks else s.meters
                target[cond.target] = cond.at_least
                s.meters["tension"] = 0
                action = choose(s, card.chooser)
                assert action.option in {o.id for o in good}, action.text
                assert action.text.startswith(f"{scenario.delegation(card.chooser).name} chooses “")
                return
    pytest.fail("no event in the built-in decks lets a bot choose against a red line")


def test_a_tie_between_options_is_explained_by_the_rule_the_bot_uses(scenario, game):
    """Issue 18, item 9: on a tie the bot takes the lowest option id; the reason must say so,
    not "first in the card's order" (here the two differ: "b-first" is listed first)."""
    card = next(c for c in scenario.events if c.chooser and len(c.options) >= 2)
    same = card.options[0].effects
    twins = (attrs.evolve(card.options[0], id="b-first", effects=same), attrs.evolve(card.options[1], id="a-second", effects=same))
    sc = attrs.evolve(scenario, events=tuple(attrs.evolve(c, options=twins) if c.id == card.id else c for c in scenario.events))
    s = game.clone()
    s.scenario = sc
    s.pending = Choice(card.id, card.chooser)
    a = choose(s, card.chooser)
    assert a.option == "a-second"
    assert "card's order" not in a.text
    assert "settled by option id: “a-second” before “b-first”" in a.text


# --- bots play for their score (issue 13, item 7) ---------------------------------------


def _turn_of(scenario, game, who, hand, capital=6):
    """`game` at `who`'s turn of play, holding `hand` and `capital`."""
    s = game.clone()
    s.pending = None
    s.phase = "negotiation"
    s.order = (who,) + tuple(d for d in s.setup.delegations if d != who)
    s.turn_index = 0
    s.hands[who] = list(hand)
    s.capital[who] = capital
    return s


def _personality_variant(scenario, delegation, pid, **changes):
    p = attrs.evolve(scenario.personality(delegation, pid), **changes)
    return attrs.evolve(scenario, personalities=tuple(p if (x.delegation, x.id) == (delegation, pid) else x for x in scenario.personalities))


def test_a_bot_values_options_by_its_delegations_agenda(scenario, game):
    """Two options that differ only in NATO posture: Russia's bot (agenda: high) and Ukraine's (low) part ways."""
    card = next(c for c in scenario.events if c.chooser and len(c.options) >= 2)
    up = attrs.evolve(card.options[0], id="freeze", effects=(Effect("nato", 2),))
    down = attrs.evolve(card.options[1], id="open-door", effects=(Effect("nato", -2),))
    for chooser, wanted in (("rus", "freeze"), ("ukr", "open-door")):
        event = attrs.evolve(card, chooser=chooser, options=(up, down))
        sc = attrs.evolve(scenario, events=tuple(event if c.id == card.id else c for c in scenario.events))
        s = game.clone()
        s.scenario = sc
        s.meters["nato"] = 5
        s.pending = Choice(card.id, chooser)
        a = choose(s, chooser)
        assert a.option == wanted, a.text
        assert "NATO posture" in a.text and "to its score" in a.text
        # the figure in the reason is the score the engine gives, not a personality's weights
        after = preview(s, a).after
        gain = worth(after, chooser, personality_of(s, chooser)) - worth(s, chooser, personality_of(s, chooser))
        assert f"{gain:+.1f}".replace("-", "−").replace(".0", "") in a.text


def test_a_bot_does_not_pay_for_a_proposal_sure_to_be_rejected(scenario, game):
    """The EU's reconstruction fund needs Russia; a Russia that never agrees makes the EU keep its capital."""
    card = scenario.concession("reconstruction-with-accountability")
    s = _turn_of(scenario, game, "eur", [card.id])
    s.meters["tension"] = 3
    open_ = choose(s, "eur")
    stubborn = _personality_variant(scenario, "rus", personality_of(s, "rus").id, accept_threshold=99)
    s2 = s.clone()
    s2.scenario = stubborn
    shut = choose(s2, "eur")
    assert not (isinstance(shut, PlayCard) and shut.card == card.id), shut.text
    if isinstance(open_, PlayCard):  # with the deck's Russia the bot weighs the chance of agreement
        assert "Russia" in open_.text or "every party gains" in open_.text


def test_a_proposal_is_valued_by_the_chance_of_agreement(scenario, game):
    card = scenario.concession("ceasefire-framework")
    s = _turn_of(scenario, game, "usa", [card.id])
    s.meters["tension"] = 3
    doubtful = _personality_variant(scenario, "rus", personality_of(s, "rus").id, accept_threshold=6)
    s.scenario = doubtful
    a = choose(s, "usa")
    assert "chance of agreement" in a.text and "Russia would gain" in a.text, a.text


def test_a_bot_discards_a_card_it_cannot_pay_for_soon(scenario, game):
    """China holds at most 4 capital: a card costing more is dead in its hand, and the bot discards it."""
    expensive = attrs.evolve(scenario.concession("china-hosted-talks"), cost=5)
    sc = attrs.evolve(scenario, concessions=tuple(expensive if c.id == expensive.id else c for c in scenario.concessions))
    s = _turn_of(scenario, game, "chn", [expensive.id], capital=0)
    s.scenario = sc
    a = choose(s, "chn")
    assert isinstance(a, Discard) and a.card == expensive.id, a.text
    assert a.text.startswith(f"China discards “{expensive.title}” to draw another: it costs 5 capital")
    assert check(s, a) is None


# --- the valuation's fast path and the bounds that spare previews (docs/performance.md, round 6) -------


def _states_of_bot_games(scenario, seeds, bots=None):
    """Every state a bot decided in, over bot games with these seeds."""
    out = []
    for seed in seeds:
        state = new_game(scenario, make_setup(scenario, seed=seed, bots=bots or {}))
        while not state.over:
            out.append(state)
            state = apply_action(state, choose(state, current_actor(state), explain=False))
    return out


def test_the_valuer_is_the_plain_reading_of_worth(scenario):
    """`worth` (a per-delegation valuer) gives the very float of the module docstring's formula."""
    from wargame import bots
    from wargame.engine.scoring import total

    def plain(state, d, p):
        rules = state.scenario.rules
        value = total(state, d)
        tension = state.meters.get("tension", 0)
        if state.outcome is None:
            if tension >= 10:
                value -= rules.collapse_penalty
            else:
                value += p.settlement_hope * rules.settlement_bonus * bots._framework_share(state) ** bots.PROSPECT_POWER
                value -= p.caution * rules.collapse_penalty * (tension / 10) ** 3
        return value + bots.CAPITAL_VALUE * (state.capital.get(d, 0) + bots._support_capital(state, d))

    states = _states_of_bot_games(scenario, range(3))
    personalities = [p for p in scenario.personalities if not p.rollouts]
    checked = 0
    for state in states[::3]:
        for p in personalities:
            if p.delegation in state.capital:
                assert worth(state, p.delegation, p) == plain(state, p.delegation, p)
                checked += 1
    assert checked > 500


def test_preview_result_is_the_previews_result(scenario):
    """`preview_result` (one scratch copy, no `Preview`) is how `preview(...).result` stands, for
    every legal option (counters included) in every state bots decided in over 4 games."""
    from wargame.engine import preview_result
    from wargame.engine.proposals import counters

    def stands(s):
        return (s.tracks, s.meters, s.monitoring, s.capital, s.support, s.pending, s.outcome, s.hands, s.discards,
                s.round, s.turn_index, s.phase, s.violations)

    checked = agreed = 0
    for state in _states_of_bot_games(scenario, range(4)):
        me = current_actor(state)
        options = legal_actions(state, me)
        if isinstance(state.pending, Proposal):
            options += [c for c in counters(state, me) if c not in options]
        for action in options:
            pv = preview(state, action)
            before = stands(state)
            assert stands(preview_result(state, action)) == stands(pv.result)
            assert stands(state) == before  # the state previewed is left as it was
            checked += 1
            agreed += pv.agreed is not None
    assert checked > 1000 and agreed > 200


def test_the_bounds_that_spare_previews_hold(scenario):
    """What `_counter` and `_bargains` leave unpreviewed: an ask counter's deal is worth at most the plain
    deal plus the ask's capital to the counterer; a side-payment's deal as agreed at most the bare
    proposal's, and its rejection exactly the bare proposal's (the rules' facts the bounds rest on)."""
    from wargame import bots
    from wargame.engine.proposals import counters, plays

    asks = sides = 0
    for state in _states_of_bot_games(scenario, range(6)):
        me = current_actor(state)
        p = personality_of(state, me)
        value = bots._valuer(scenario, me, p)
        if isinstance(state.pending, Proposal):
            acc = value(preview(state, Answer(me, state.pending.card, True)).agreed)
            for c in counters(state, me):
                if c.ask:
                    assert value(preview(state, c).agreed) <= acc + bots.CAPITAL_VALUE * c.ask + bots.BOUND_SLACK
                    asks += 1
        elif state.pending is None:
            bare_plays = {}
            for play in plays(state, me):
                if play.partner is not None:
                    continue
                pv = preview(state, play)
                if pv.agreed is None:
                    continue
                rejected = value(bots._rejected_state(pv.after, play.card))
                if not play.side_payment:
                    bare_plays[play.card] = (value(pv.agreed), rejected)
                    continue
                agreed0, rejected0 = bare_plays[play.card]
                assert value(pv.agreed) <= agreed0 and rejected == rejected0
                sides += 1
    assert asks > 20 and sides > 50


def test_plays_of_one_card_at_one_cost_are_turned_down_alike(scenario):
    """What `_rejection` shares within a turn: every play of the same first card that pays the same
    cards' cost (the bare proposal, its side-payments, packages) is turned down into the same values."""
    from wargame import bots
    from wargame.engine.proposals import plays

    def values(s):
        return (s.tracks, s.meters, s.monitoring, s.capital, s.support, s.outcome, s.round, s.setup.rounds)

    shared = 0
    for state in _states_of_bot_games(scenario, range(6)):
        if state.pending is not None:
            continue
        me = current_actor(state)
        first: dict = {}
        for play in plays(state, me):
            pv = preview(state, play)
            if pv.agreed is None:
                continue
            cost = sum(scenario.concession(c).cost for c in (play.card, play.partner) if c)
            rejected = values(bots._rejected_state(pv.after, play.card))
            key = (play.card, cost)
            if key in first:
                assert rejected == first[key], play
                shared += 1
            else:
                first[key] = rejected
    assert shared > 100


def test_the_bounds_change_no_move(scenario, monkeypatch):
    """With the bounds and the shared rejections off every option is previewed on its own: the
    games, reasons and all, are the same.

    The games compared are the first ones in which a bot tables a side-payment or counters by
    asking for capital (the kinds of option the bounds leave unpreviewed), and a plain one."""
    from wargame import bots as bot_module
    from wargame.model import Counter
    from wargame.simulate import play_game

    def bounded(a):
        return (isinstance(a, PlayCard) and a.side_payment) or (isinstance(a, Counter) and a.ask)

    seeds = [0]
    for seed in range(1, 300):
        if any(bounded(a) for a in play_game(scenario, make_setup(scenario, seed=seed), explain=False).actions):
            seeds.append(seed)
            if len(seeds) == 3:
                break
    assert len(seeds) == 3, "no game tables the bargains the bounds spare: the test would check nothing"
    games = []
    for on in (True, False):
        monkeypatch.setattr(bot_module, "BOUNDS", on)
        monkeypatch.setattr(bot_module, "SHARED_REJECTIONS", on)
        games.append([play_game(scenario, make_setup(scenario, seed=seed)).actions for seed in seeds])
    assert games[0] == games[1]
    assert all(a.text for a in games[0][0])


def test_every_option_the_bots_preview_as_legal_is_legal(scenario, monkeypatch):
    """The bots preview their options with `legal=True` (no `check`): each one passes `check`, in worded
    and unworded games, and the games are the same as with the check."""
    from wargame import bots as bot_module
    from wargame.engine import check
    from wargame.simulate import play_game

    real, real_result = bot_module.preview, bot_module.preview_result
    seen = []

    def checked(state, action, *, legal=False):
        assert legal
        assert check(state, action) is None, action
        seen.append(type(action).__name__)
        return real(state, action)

    def checked_result(state, action):  # `preview_result` takes only legal actions
        assert check(state, action) is None, action
        seen.append(type(action).__name__)
        return real_result(state, action)

    before = [play_game(scenario, make_setup(scenario, seed=seed), explain=seed % 2 == 0).actions for seed in range(4)]
    monkeypatch.setattr(bot_module, "preview", checked)
    monkeypatch.setattr(bot_module, "preview_result", checked_result)
    after = [play_game(scenario, make_setup(scenario, seed=seed), explain=seed % 2 == 0).actions for seed in range(4)]
    assert after == before
    assert {"PlayCard", "Answer", "Counter", "AnswerCounter"} <= set(seen)
