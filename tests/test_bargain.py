"""Bargaining (issue 13, item 2): counters, packages of two cards and side-payments, in the
engine's rules, its preview, the log's sentences, saves, the report and the bots."""

from __future__ import annotations

import attrs

from wargame import saves
from wargame.bots import choose
from wargame.engine import apply_action, check, current_actor, legal_actions, make_setup, new_game, preview, replay
from wargame.model import (
    CAPITAL, Agreed, Answer, AnswerCounter, Counter, CounterAnswered, CounterOffer, Countered, PlayCard, Proposed,
)
from wargame.narrate import sentence
from wargame.report import build_report

USA, RUS, EUR = "usa", "rus", "eur"
HOTLINE, ARMS, REASSURE, SANCTIONS = "us-russia-hotline", "arms-control-talks", "reassure-kyiv", "phased-sanctions-relief"


def turn_of(scenario, who, hand, capital=6):
    """A turn of play for `who` (first in the order), holding `hand` and `capital`, tension low."""
    s = new_game(scenario, make_setup(scenario, seed=3)).clone()
    s.phase, s.pending, s.outcome = "negotiation", None, None
    s.order = (who, *[d for d in s.order if d != who])
    s.turn_index = 0
    s.hands[who] = list(hand)
    s.capital[who] = capital
    s.meters["tension"] = 2
    return s


def values(state):
    return dict(state.tracks), dict(state.meters), state.monitoring, dict(state.capital)


def test_the_deck_numbers(scenario):
    assert (scenario.rules.side_payment_max, scenario.rules.counter_ask_max) == (2, 2)


def test_a_counter_that_drops_an_effect_goes_back_to_the_proposer_who_takes_it(scenario):
    card = scenario.concession(ARMS)
    assert len(card.effects) >= 2 and card.consent == (RUS,)
    s = apply_action(turn_of(scenario, USA, [ARMS]), PlayCard(USA, ARMS))
    assert current_actor(s) == RUS
    options = legal_actions(s, RUS)
    assert [a.drop for a in options if isinstance(a, Counter) and a.drop is not None] == list(range(len(card.effects)))
    assert [a.ask for a in options if isinstance(a, Counter) and a.ask] == [1, 2]
    assert all(check(s, a) is None for a in options)

    c = Counter(RUS, ARMS, drop=0, text="too much")
    pv = preview(s, c)
    countered = apply_action(s, c)
    assert isinstance(countered.pending, CounterOffer) and current_actor(countered) == USA
    assert legal_actions(countered, USA) == [AnswerCounter(USA, ARMS, True), AnswerCounter(USA, ARMS, False)]
    entry = countered.log[-1]
    assert isinstance(entry.payload, Countered) and entry.rationale == "too much"
    dropped = card.effects[0]
    assert sentence(scenario, entry).startswith(f"Russia counters “{card.title}”, dropping {scenario.name_of(dropped.target)}")
    taken = apply_action(countered, AnswerCounter(USA, ARMS, True))
    assert taken.pending is None and current_actor(taken) == taken.order[1]
    # the preview of the counter and taking it are the same rules: the same values
    assert values(pv.agreed) == values(taken)
    agreed = taken.log[-1]
    assert isinstance(agreed.payload, Agreed) and (agreed.payload.countered_by, agreed.payload.drop) == (RUS, 0)
    assert isinstance(taken.log[-2].payload, CounterAnswered) and taken.log[-2].payload.accept
    # the dropped effect did not apply, the others did
    full = apply_action(s, Answer(RUS, ARMS, True))
    assert values(full) != values(taken)
    assert "as amended by Russia's counter (dropping" in sentence(scenario, agreed)


def test_a_counter_turned_down_is_a_rejection(scenario):
    s = apply_action(turn_of(scenario, USA, [ARMS]), PlayCard(USA, ARMS))
    rejected = apply_action(s, Answer(RUS, ARMS, False))
    countered = apply_action(s, Counter(RUS, ARMS, ask=2))
    turned = apply_action(countered, AnswerCounter(USA, ARMS, False))
    assert turned.pending is None and values(turned) == values(rejected)
    assert [c for c in turned.log[-1].changes] == [c for c in rejected.log[-1].changes]
    assert "turns down Russia's counter" in sentence(scenario, turned.log[-1])


def test_an_ask_is_paid_by_the_proposer_on_agreement(scenario):
    s = apply_action(turn_of(scenario, USA, [HOTLINE], capital=4), PlayCard(USA, HOTLINE))
    usa, rus = s.capital[USA], s.capital[RUS]
    done = apply_action(apply_action(s, Counter(RUS, HOTLINE, ask=2)), AnswerCounter(USA, HOTLINE, True))
    effects = scenario.concession(HOTLINE).effects
    own = sum(e.delta for e in effects if e.target == CAPITAL and e.delegation == USA)
    assert done.capital[USA] == usa - 2 + own
    assert done.capital[RUS] == min(scenario.delegation(RUS).capital_max, rus + 2)
    assert "asking United States for 2 capital" in sentence(scenario, done.log[-3])


def test_counters_are_refused_with_reasons(scenario):
    s = apply_action(turn_of(scenario, USA, [ARMS], capital=3), PlayCard(USA, ARMS))  # 1 capital left
    n = len(scenario.concession(ARMS).effects)
    assert "1 to 2 capital" in check(s, Counter(RUS, ARMS, ask=3))
    assert "can pay at most 1" in check(s, Counter(RUS, ARMS, ask=2))
    assert "not both or neither" in check(s, Counter(RUS, ARMS, drop=0, ask=1))
    assert "not both or neither" in check(s, Counter(RUS, ARMS))
    assert f"numbered 0 to {n - 1}" in check(s, Counter(RUS, ARMS, drop=n))
    assert "not 'x'" in check(s, Counter(RUS, "x", drop=0))
    assert "not usa's turn" in check(s, Counter(USA, ARMS, drop=0))
    once = apply_action(apply_action(s, Counter(RUS, ARMS, ask=1)), AnswerCounter(USA, ARMS, True))
    assert once.pending is None  # one consenter: agreed
    # a proposal is countered once: a second consenter sees the amended terms and may only answer
    s2 = apply_action(turn_of(scenario, USA, ["ceasefire-framework"]), PlayCard(USA, "ceasefire-framework"))
    first = current_actor(s2)
    s2 = apply_action(apply_action(s2, Counter(first, "ceasefire-framework", drop=0)), AnswerCounter(USA, "ceasefire-framework", True))
    second = current_actor(s2)
    assert second != first and s2.pending.drop == 0
    assert "already countered" in check(s2, Counter(second, "ceasefire-framework", drop=1))
    assert not [a for a in legal_actions(s2, second) if isinstance(a, Counter)]
    single = next(c for c in scenario.concessions if len(c.effects) == 1 and RUS in c.consent and c.delegation != RUS)
    s3 = apply_action(turn_of(scenario, single.delegation, [single.id]), PlayCard(single.delegation, single.id))
    while current_actor(s3) != RUS:
        s3 = apply_action(s3, Answer(current_actor(s3), single.id, True))
    assert "single effect" in check(s3, Counter(RUS, single.id, drop=0))


def test_a_package_goes_through_one_consent_round(scenario):
    s = turn_of(scenario, USA, [HOTLINE, SANCTIONS, REASSURE])
    pkg = PlayCard(USA, HOTLINE, partner=SANCTIONS)
    assert pkg in legal_actions(s, USA)
    assert PlayCard(USA, REASSURE, partner=HOTLINE) not in legal_actions(s, USA)  # hand order: HOTLINE first
    assert PlayCard(USA, HOTLINE, partner=REASSURE) in legal_actions(s, USA)  # one card needs consent: enough
    played = apply_action(s, pkg)
    cost = scenario.concession(HOTLINE).cost + scenario.concession(SANCTIONS).cost
    assert played.capital[USA] == 6 - cost and played.hands[USA] == [REASSURE]
    assert played.pending.awaiting == (RUS, EUR) and played.pending.partner == SANCTIONS
    assert isinstance(played.log[-1].payload, Proposed)
    assert "proposes the package “" in sentence(scenario, played.log[-1])
    pv = preview(s, pkg)
    done = apply_action(apply_action(played, Answer(RUS, HOTLINE, True)), Answer(EUR, HOTLINE, True))
    assert values(pv.agreed) == values(done)
    alone = apply_action(apply_action(s, PlayCard(USA, HOTLINE)), Answer(RUS, HOTLINE, True))
    assert values(alone) != values(done)
    assert "with “" in sentence(scenario, done.log[-1])
    # a counter may drop any effect of either card
    n = len(scenario.concession(HOTLINE).effects) + len(scenario.concession(SANCTIONS).effects)
    assert max(a.drop for a in legal_actions(played, RUS) if isinstance(a, Counter) and a.drop is not None) == n - 1


def test_packages_are_refused_with_reasons(scenario):
    s = turn_of(scenario, USA, [HOTLINE, ARMS, REASSURE, "us-aid-package"], capital=2)
    assert "two different cards" in check(s, PlayCard(USA, HOTLINE, partner=HOTLINE))
    assert "costs 3 political capital" in check(s, PlayCard(USA, HOTLINE, partner=ARMS))
    assert "neither card needs" in check(s, PlayCard(USA, REASSURE, partner="us-aid-package"))
    assert "not in United States's hand" in check(s, PlayCard(USA, HOTLINE, partner=SANCTIONS))


def test_a_side_payment_is_paid_to_each_party_only_on_agreement(scenario):
    s = turn_of(scenario, USA, ["ceasefire-framework"])
    play = PlayCard(USA, "ceasefire-framework", side_payment=1)
    assert play in legal_actions(s, USA) and PlayCard(USA, "ceasefire-framework", side_payment=2) not in legal_actions(s, USA)
    assert "costs 3 and a side-payment of 2 to 2 delegations" in check(s, attrs.evolve(play, side_payment=2))
    assert "0 to 2 capital" in check(turn_of(scenario, USA, ["ceasefire-framework"], capital=30), attrs.evolve(play, side_payment=3))
    assert "nobody to pay" in check(turn_of(scenario, USA, [REASSURE]), PlayCard(USA, REASSURE, side_payment=1))
    played = apply_action(s, play)
    assert "offering 1 capital to each on agreement" in sentence(scenario, played.log[-1])
    before = dict(played.capital)
    done = played
    while done.pending is not None:
        done = apply_action(done, Answer(current_actor(done), "ceasefire-framework", True))
    assert values(preview(s, play).agreed) == values(done)
    for d in scenario.concession("ceasefire-framework").consent:
        assert done.capital[d] == min(scenario.delegation(d).capital_max, before[d] + 1)
    rejected = apply_action(played, Answer(current_actor(played), "ceasefire-framework", False))
    bare = apply_action(s, attrs.evolve(play, side_payment=0))
    assert rejected.capital == apply_action(bare, Answer(current_actor(bare), "ceasefire-framework", False)).capital  # nothing paid


def test_an_older_deck_offers_no_payments(scenario):
    old = attrs.evolve(scenario, rules=attrs.evolve(scenario.rules, side_payment_max=0, counter_ask_max=0))
    s = turn_of(old, USA, [ARMS])
    assert not [a for a in legal_actions(s, USA) if a.kind == "play" and a.side_payment]
    s = apply_action(s, PlayCard(USA, ARMS))
    assert not [a for a in legal_actions(s, RUS) if isinstance(a, Counter) and a.ask]
    assert "no capital counters" in check(s, Counter(RUS, ARMS, ask=1))


def bargaining_game(scenario):
    """The first bot game (by seed) with a counter, a package and a side-payment in it."""
    for seed in range(1, 60):
        s = new_game(scenario, make_setup(scenario, seed=seed))
        while not s.over:
            s = apply_action(s, choose(s, current_actor(s)))
        kinds = {a.kind for a in s.actions}
        if {"counter", "answer_counter"} <= kinds and any(getattr(a, "partner", None) for a in s.actions) \
                and any(getattr(a, "side_payment", 0) for a in s.actions):
            return s
    raise AssertionError("no bot game bargained in every way")


def test_bots_bargain_explain_and_their_games_save_and_replay(scenario, tmp_path):
    s = bargaining_game(scenario)
    for a in s.actions:
        if a.kind == "counter":
            assert (" counter “" in a.text or " counters “" in a.text) and "likely), against " in a.text
        if a.kind == "answer_counter":
            verb = scenario.delegation(a.delegation).says("takes" if a.accept else "turns down")
            assert a.text.startswith(verb) and "counter to “" in a.text
        if a.kind == "play" and a.partner:
            assert "the package “" in a.text
        if a.kind == "play" and a.side_payment:
            assert f"offering {a.side_payment} capital to each party" in a.text
    assert replay(scenario, s.setup, s.actions) == s
    path = saves.write_save(s, tmp_path / "bargain.toml", game_id="bargain")
    loaded = saves.load_save(path).state
    assert loaded == s and loaded.actions == s.actions
    report = build_report(s)
    assert "countered" in report and "Bargaining: " in report
    assert " + " in report and "capital to each)" in report


def test_a_bot_counters_a_proposal_by_dropping_what_crosses_its_red_line(scenario, game):
    # The red-line test of test_bots, without the "already countered" guard: the bot sends it back.
    p = scenario.personality("ukr", "hardliner")
    line = next(c for c in p.red_lines if c.target == "sovereignty" and c.at_least is not None)
    card = scenario.concession("ceasefire-on-current-lines")
    assert "ukr" in card.consent and any(e.target == "sovereignty" and e.delta < 0 and e.when is None for e in card.effects)
    s = turn_of(scenario, card.delegation, [card.id])
    s.setup = attrs.evolve(s.setup, bots={**s.setup.bots, "ukr": "hardliner"})
    s.meters["sovereignty"] = line.at_least
    s = apply_action(s, PlayCard(card.delegation, card.id))
    while current_actor(s) != "ukr":
        s = apply_action(s, Answer(current_actor(s), card.id, True))
    action = choose(s, "ukr")
    assert action.kind == "counter" and action.drop is not None, action.text
    assert card.effects[action.drop].target == "sovereignty"
    assert check(s, action) is None
    reply = choose(apply_action(s, action), card.delegation)
    assert reply.kind == "answer_counter" and check(apply_action(s, action), reply) is None


def test_an_amended_proposal_is_what_attrs_evolve_makes():
    """`proposals._amend` (the quick evolve the consent round uses) keeps every other field as it is."""
    from wargame.engine.proposals import _amend
    from wargame.model import Proposal

    p = Proposal(HOTLINE, USA, (RUS, EUR), (), partner=ARMS, side_payment=1, countered_by=RUS, drop=0, ask=2)
    for changes in ({"awaiting": (EUR,), "accepted": (RUS,)}, {"countered_by": EUR, "drop": None, "ask": 1}, {}):
        assert _amend(p, **changes) == attrs.evolve(p, **changes)
        assert type(_amend(p, **changes)) is Proposal
