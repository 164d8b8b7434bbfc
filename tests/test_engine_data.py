"""The engine's facts as data: typed changes and log entries, one `check`, one `preview`,
the sentences worded in `narrate`, and saves of format 1 replayed to the same games."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame import bots, saves
from wargame.engine import IllegalAction, apply_action, check, current_actor, legal_actions, make_setup, new_game, preview
from wargame.engine.facilitator import NOT_FACILITATED
from wargame.engine.scoring import scores
from wargame.model import (
    CAPITAL,
    Adjudicate,
    Answer,
    Change,
    Choose,
    FireEvent,
    FireInject,
    Note,
    Pass,
    PlayCard,
    Proposal,
    Respond,
    SkipInject,
)
from wargame.narrate import sentence

from conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "saves"


def bot_game(scenario, seed, until=lambda s: False, **kw):
    s = new_game(scenario, make_setup(scenario, seed=seed, **kw))
    while not s.over and not until(s):
        s = apply_action(s, bots.choose(s, current_actor(s)))
    return s


# --- typed changes -------------------------------------------------------------------------


def test_a_played_card_logs_typed_changes_that_match_the_values(scenario, game):
    who = current_actor(game)
    card = next(c for c in game.hands[who] if not scenario.concession(c).consent and scenario.concession(c).cost <= game.capital[who])
    after = apply_action(game, PlayCard(who, card))
    entry = after.log[len(game.log)]
    assert entry.kind == "play" and entry.payload.card == card and entry.rationale == ""
    assert entry.changes and all(isinstance(c, Change) for c in entry.changes)
    for c in entry.changes:
        if c.target == CAPITAL:
            assert c.delegation in game.capital
        else:
            assert c.delegation is None and c.before == game.value(c.target)
        assert c.after != c.before and c.after == (after.capital[c.delegation] if c.target == CAPITAL else after.value(c.target))
    assert "+" in sentence(scenario, entry) or "-" in sentence(scenario, entry)


# --- one source of legality ---------------------------------------------------------------

ACTION_GUESSES = st.one_of(
    st.builds(PlayCard, st.sampled_from(["usa", "rus", "ukr", "eur", "chn"]), st.sampled_from(["nope", "reassure-kyiv", "us-aid-package"])),
    st.builds(Pass, st.sampled_from(["usa", "rus", "ukr", "eur"])),
    st.builds(Answer, st.sampled_from(["usa", "rus", "ukr"]), st.sampled_from(["humanitarian-corridors", "x"]), st.booleans()),
    st.builds(Choose, st.sampled_from(["ukr", "rus"]), st.just("x"), st.just("y")),
    st.builds(Respond, st.sampled_from(["ukr", "rus"]), st.sampled_from(["protest", "retaliate", "nope"])),
    st.builds(Adjudicate, st.sampled_from(["tension", "monitoring", "morale"]), st.integers(-2, 12), st.sampled_from(["", "why"])),
    st.builds(Note, st.sampled_from(["", "a note"])),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), steps=st.integers(0, 120), facilitated=st.booleans(), guess=ACTION_GUESSES)
def test_check_legal_actions_and_apply_action_agree(scenario, seed, steps, facilitated, guess):
    s = new_game(scenario, make_setup(scenario, seed=seed, facilitated=facilitated))
    for _ in range(steps):
        if s.over:
            break
        who = current_actor(s)
        for a in legal_actions(s, who):
            assert check(s, a) is None, a
        s = apply_action(s, bots.choose(s, who))
    reason = check(s, guess)
    if reason is None:
        apply_action(s, guess)
    else:
        with pytest.raises(IllegalAction) as info:
            apply_action(s, guess)
        assert str(info.value) == reason
        with pytest.raises(IllegalAction):
            preview(s, guess)


def test_facilitator_moves_are_refused_in_a_game_without_a_facilitator(scenario, game):
    for move in (Note("hello"), Adjudicate("tension", 10, "forged"), SkipInject(scenario.injects[0].id), FireEvent(scenario.events[0].id)):
        assert check(game, move) == NOT_FACILITATED
        with pytest.raises(IllegalAction, match="facilitated"):
            apply_action(game, move)
    facilitated = new_game(scenario, make_setup(scenario, seed=1, facilitated=True))
    assert check(facilitated, Note("hello")) is None


def test_the_adjudication_range_is_the_engines(scenario):
    s = new_game(scenario, make_setup(scenario, seed=1, facilitated=True))
    assert check(s, Adjudicate("monitoring", 6, "x")) == "the value must be a whole number from 0 to 5"
    assert check(s, Adjudicate("tension", 11, "x")) == "the value must be a whole number from 0 to 10"
    assert check(s, Adjudicate("monitoring", 5, "x")) is None


# --- preview -------------------------------------------------------------------------------


def _values(state):
    return {**state.tracks, **state.meters, "monitoring": state.monitoring, **{f"capital:{d}": v for d, v in state.capital.items()},
            **{f"support:{d}": v for d, v in state.support.items()}}


def _moved(before, after):
    return {k: v for k, v in _values(after).items() if _values(before)[k] != v}


@pytest.mark.parametrize("seed", range(6))
def test_preview_says_what_apply_action_does_and_changes_nothing(scenario, seed):
    s = new_game(scenario, make_setup(scenario, seed=seed))
    seen = 0
    while not s.over and seen < 60:
        who = current_actor(s)
        for a in legal_actions(s, who):
            frozen = copy.deepcopy(s)
            pv = preview(s, a)
            assert s == frozen and s.rng == frozen.rng  # nothing changed, no chance consumed
            after = apply_action(s, a)
            step_entries = after.log[len(s.log): len(s.log) + len(pv.entries)]
            assert list(pv.entries) == step_entries
            predicted = {(f"{c.target}:{c.delegation}" if c.delegation else c.target): c.after for c in pv.changes}
            if after.round == s.round and after.phase == "negotiation" and after.pending == pv.after.pending:
                # nothing automatic ran after the step: the whole difference is the preview's
                assert predicted == _moved(s, after)
            seen += 1
        s = apply_action(s, bots.choose(s, who))
    assert seen


def test_preview_of_a_proposal_gives_what_an_agreement_would_change(scenario):
    s = bot_game(scenario, 0, until=lambda s: s.pending is None and current_actor(s) == "ukr", humans={"ukr": "Kyiv"})
    card = "humanitarian-corridors"
    s.hands["ukr"] = [card, *s.hands["ukr"][1:]]
    s.capital["ukr"] = max(s.capital["ukr"], scenario.concession(card).cost)
    pv = preview(s, PlayCard("ukr", card))
    assert isinstance(pv.after.pending, Proposal)
    paid = {c.target: c for c in pv.changes}
    assert set(paid) == {CAPITAL}  # proposing only pays; the agreement would move the tracks
    agreed = {c.target: c.after - s.value(c.target) for c in pv.if_agreed if c.target != CAPITAL}
    assert agreed == {e.target: e.delta for e in scenario.concession(card).effects if e.when is None}
    # the same proposal really agreed gives those values
    after = apply_action(s, PlayCard("ukr", card))
    after = apply_action(after, Answer("rus", card, True))
    assert {k: after.value(k) for k in agreed} == {k: s.value(k) + d for k, d in agreed.items()}


def test_preview_warns_of_a_collapse_and_scores_it(scenario):
    s = bot_game(scenario, 3, until=lambda s: s.pending is None and current_actor(s) is not None)
    who = current_actor(s)
    raising = next(c.id for c in scenario.concessions if c.delegation == who and not c.consent
                   and any(e.target == "tension" and e.delta > 0 and e.when is None for e in c.effects))
    s.hands[who] = [raising, *s.hands[who][1:]]
    s.meters["tension"] = 9
    s.capital[who] = scenario.delegation(who).capital_max
    pv = preview(s, PlayCard(who, raising))
    assert pv.outcome == "collapse"
    assert all(x.collapse_penalty == scenario.rules.collapse_penalty for x in pv.scores.values())
    assert apply_action(s, PlayCard(who, raising)).outcome == "collapse"
    calm = preview(s, Pass(who))
    assert calm.outcome is None and calm.scores == scores(s)


# --- narrate: today's sentences, worded as before ------------------------------------------


def _worded_today(scenario, kind, text, card):
    """A sentence of the format-1 code as it is worded since (2026-12-03), and nothing else
    changed: a true minus sign in a change ("Tension −1"); an inject's event says only its title,
    the inject's own sentence just before having told the story."""
    import re

    text = re.sub(r"(?<=[ (])-(?=\d)", "\u2212", text)
    if kind == "event" and card:
        event = scenario.event(card)
        told = f"Inject fires an event: {event.title}. {event.text}"
        if text.startswith(told):
            text = (f"The inject brings the event “{event.title}”." + text[len(told):]).rstrip()
    return text


def test_every_v1_fixture_replays_to_the_same_game_and_the_same_sentences():
    """Games are unchanged: each format-1 save, written by the code before this refactor,
    loads through the migration, replays to the final state that code recorded, and its
    story reads word for word as that code wrote it."""
    record = json.loads((FIXTURES / "v1-final-states.json").read_text("utf-8"))
    logs = json.loads((FIXTURES / "v1-logs.json").read_text("utf-8"))
    assert len(record) == 3
    for name, facts in record.items():
        loaded = saves.load_save(FIXTURES / name)
        s = loaded.state
        assert loaded.format_version == saves.FORMAT_VERSION
        got = {
            "round": s.round, "phase": s.phase, "outcome": s.outcome, "tracks": s.tracks, "meters": s.meters,
            "monitoring": s.monitoring, "capital": s.capital, "hands": s.hands, "decks": s.decks, "discards": s.discards,
            "event_deck": s.event_deck, "current_event": s.current_event,
            "pending": None if s.pending is None else [type(s.pending).__name__, repr(s.pending)],
            "violations": [repr(v) for v in s.violations], "ceasefire_collapses": s.ceasefire_collapses,
            "history": s.history, "injects_done": s.injects_done, "inject_rounds": s.inject_rounds, "rng": s.rng,
            "actions": len(s.actions), "log_entries": len(s.log), "scores": {d: x.total for d, x in scores(s).items()},
        }
        assert got == facts, name
        old = [(r, kind, _worded_today(s.scenario, kind, text, card), d, why, card) for r, kind, text, d, why, card in logs[name]]
        new = [(e.round, e.kind, sentence(s.scenario, e), e.delegation, e.rationale, e.card) for e in s.log]
        assert new == old, name


def test_the_v2_fixture_loads_through_the_upgrade_and_plays_on():
    """A format-2 save (personalities with weights, no NATO posture meter), written by the code
    of commit 2f1be4f, replays with its own scenario to the state that code recorded, and the
    game goes on with today's bots."""
    record = json.loads((FIXTURES / "v2-states.json").read_text("utf-8"))
    for name, facts in record.items():
        assert 'format_version = 2\n' in (FIXTURES / name).read_text("utf-8")
        loaded = saves.load_save(FIXTURES / name)
        s = loaded.state
        assert loaded.format_version == saves.FORMAT_VERSION
        assert "nato" not in s.scenario.meter_ids and s.scenario.rules.settlement_bonus == 0
        assert _recorded_facts(s) == facts, name
        while not s.over:
            s = apply_action(s, bots.choose(s, current_actor(s)))
        assert s.outcome in ("settlement", "frozen", "collapse")


def test_the_v3_fixture_loads_through_the_upgrade_without_support_at_home():
    """A format-3 save (no support at home), written by the code of commit 60723de, replays with
    its own scenario to the state that code recorded: its scenario has no [support], so the game
    goes on without support at home, and saves again in today's format."""
    record = json.loads((FIXTURES / "v3-states.json").read_text("utf-8"))
    for name, facts in record.items():
        assert 'format_version = 3\n' in (FIXTURES / name).read_text("utf-8")
        loaded = saves.load_save(FIXTURES / name)
        s = loaded.state
        assert loaded.format_version == saves.FORMAT_VERSION > 3
        assert s.scenario.support is None and s.support == {}
        assert _recorded_facts(s) == facts, name
        while not s.over:
            s = apply_action(s, bots.choose(s, current_actor(s)))
        assert s.support == {} and not any(k.startswith("support") for k in s.history)


def test_a_v1_save_with_a_changed_action_is_still_refused(tmp_path):
    """The migration skips only the log digest: a forged action still fails the replay check."""
    import tomllib

    doc = tomllib.loads((FIXTURES / "v1-bot-game-finished.toml").read_text("utf-8"))
    passes = [i for i, a in enumerate(doc["actions"]) if a["kind"] == "pass"]
    plays = [i for i, a in enumerate(doc["actions"]) if a["kind"] == "play"]
    doc["actions"][plays[0]] = {"kind": "pass", "delegation": doc["actions"][plays[0]]["delegation"], "text": "forged"}
    assert passes
    doc["integrity"] = saves.integrity_of(doc)
    import tomli_w

    path = tmp_path / "forged.toml"
    path.write_text(tomli_w.dumps(doc), "utf-8")
    with pytest.raises(saves.SaveError, match="does not match|cannot be replayed"):
        saves.load_save(path)


# --- the report reads the inject's round from its entry (issue 18, item 7) -----------------


def test_the_report_says_in_which_round_an_inject_fired(scenario):
    from wargame.report import build_report

    inj = next(i for i in scenario.injects if i.round == 5)
    for seed in range(4, 40):  # the first game the bots keep going until round 5
        s = new_game(scenario, make_setup(scenario, seed=seed, facilitated=True))
        while (s.round < 5 or s.pending is not None) and not s.over:
            s = apply_action(s, bots.choose(s, current_actor(s)))
        if not s.over:
            break
    assert not s.over and s.round == 5
    s = apply_action(s, FireInject(inj.id, "on time"))
    report = build_report(s)
    assert f"| {inj.title} | round 5 | fired in round 5 |" in report


def _recorded_facts(s) -> dict:
    """What a fixture's states file records of a loaded save's state."""
    return {
        "round": s.round, "phase": s.phase, "tracks": s.tracks, "meters": s.meters, "monitoring": s.monitoring,
        "capital": s.capital, "hands": s.hands, "decks": s.decks, "rng": s.rng, "actions": len(s.actions),
        "log_entries": len(s.log), "scores": {d: x.total for d, x in scores(s).items()}, "pending": repr(s.pending),
    }
