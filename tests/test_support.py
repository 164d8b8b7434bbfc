"""Support at home (issue 13, item 4): concessions against a delegation's agenda cost it support,
gains win it, and support sets its capital refill at upkeep."""

from __future__ import annotations

import attrs
import pytest

from wargame import bots, saves
from wargame.engine import apply_action, current_actor, legal_actions, make_setup, new_game, preview, support
from wargame.engine.rounds import upkeep
from wargame.model import CAPITAL, SUPPORT, Agreed, Answered, CardPlayed, Change, CounterAnswered, PlayCard, Proposed, SupportRefill
from wargame.narrate import change_text, sentence
from wargame.simulate import play_game


def _bot_games(scenario, seeds):
    for seed in seeds:
        yield play_game(scenario, make_setup(scenario, seed))


def test_every_delegation_starts_at_the_decks_support(scenario, game):
    rules = scenario.support
    assert rules is not None
    assert game.support == {d: rules.start_of(d) for d in game.setup.delegations}
    assert all(game.history[support.history_key(d)] == [v] for d, v in game.support.items())


def test_agenda_points_are_the_scorings_scale(scenario):
    """A swing in points is what the same values would move the agenda's score by."""
    from wargame.engine.scoring import agenda_value

    d = scenario.delegation("ukr")
    values = {k: 5 for k in d.agenda}
    after = dict(values, sovereignty=3, ceasefire=7)
    changes = (Change("sovereignty", None, 5, 3), Change("ceasefire", None, 5, 7), Change(CAPITAL, "ukr", 3, 1))
    expected = agenda_value(d.agenda, after) - agenda_value(d.agenda, values)
    assert support.agenda_points(scenario, "ukr", changes) == pytest.approx(expected)


def test_steps_follow_the_thresholds(scenario):
    r = scenario.support
    assert support.steps(scenario, 0) == 0
    assert support.steps(scenario, -r.concession_points + 0.01) == 0
    assert support.steps(scenario, -r.concession_points) == -1
    assert support.steps(scenario, r.gain_points) == 1
    assert support.steps(scenario, -100) == -r.max_step
    assert support.steps(scenario, 100) == r.max_step


def test_support_moves_in_bot_games_exactly_as_the_rule_says(scenario):
    """Over whole bot games: every card played and every agreement moves the support of who
    played, proposed or accepted it by the steps its other changes are worth to each agenda,
    and nothing else ever moves support."""
    moved = 0
    for s in _bot_games(scenario, range(12)):
        level = {d: scenario.support.start_of(d) for d in s.setup.delegations}
        accepted: list[str] = []
        for e in s.log:
            p = e.payload
            if isinstance(p, Proposed):
                accepted = [p.delegation]
            elif isinstance(p, Answered) and p.accept:
                accepted.append(p.delegation)
            elif isinstance(p, CounterAnswered) and p.accept:  # a counter taken is its author's consent
                accepted.append(p.by)
            own = [c for c in e.changes if c.target != SUPPORT]
            got = {c.delegation: (c.before, c.after) for c in e.changes if c.target == SUPPORT}
            if isinstance(p, (CardPlayed, Agreed)):
                who = [p.delegation] if isinstance(p, CardPlayed) else accepted
                want = {}
                for d in dict.fromkeys(who):
                    new = max(0, min(10, level[d] + support.steps(scenario, support.agenda_points(scenario, d, own))))
                    if new != level[d]:
                        want[d] = (level[d], new)
                assert got == want, (s.setup.seed, e)
                moved += len(got)
            else:
                assert not got, e
            for d, (_, after) in got.items():
                level[d] = after
        assert level == s.support
    assert moved > 0


def test_support_sets_the_refill_at_upkeep(scenario, game):
    r = scenario.support
    s = game.clone()
    s.capital = {d: 0 for d in s.capital}
    s.support = {"usa": r.low, "rus": r.high, "ukr": (r.low + r.high) // 2, "eur": 0, "chn": 10}
    s.log = []
    upkeep(s)
    income = {d: scenario.delegation(d).income for d in s.capital}
    assert s.capital["usa"] == max(0, income["usa"] + r.low_refill)
    assert s.capital["rus"] == income["rus"] + r.high_refill
    assert s.capital["ukr"] == income["ukr"]
    refills = {e.payload.delegation: e for e in s.log if isinstance(e.payload, SupportRefill)}
    assert set(refills) == {"usa", "rus", "eur", "chn"}
    assert refills["rus"].payload.delta == r.high_refill and refills["rus"].changes == (Change(CAPITAL, "rus", 0, s.capital["rus"]),)
    text = sentence(scenario, refills["usa"])
    assert f"({r.low} of 10)" in text and "less" in text and "United States" in text
    assert "more" in sentence(scenario, refills["rus"])
    assert all(s.history[support.history_key(d)][-1] == v for d, v in s.support.items())


def test_react_works_from_the_change_list_alone(scenario, game, monkeypatch):
    """The hook never previews or applies anything (a version once recursed without end)."""
    import wargame.engine as engine

    def forbidden(*args, **kwargs):
        raise AssertionError("support.react must not preview or apply")

    monkeypatch.setattr(engine, "preview", forbidden)
    monkeypatch.setattr(engine, "preview_result", forbidden)
    monkeypatch.setattr(engine, "apply_action", forbidden)
    monkeypatch.setattr(engine, "_step", forbidden)
    changes = (Change("sovereignty", None, 7, 3),)
    s = game.clone()
    out = support.react(s, ("ukr", "usa", "ukr"), changes)
    assert out[:1] == changes
    ours = out[1:]
    assert [c.delegation for c in ours] == ["ukr", "usa"]  # once each, in order
    assert all(c.target == SUPPORT and c.after < c.before for c in ours)
    assert s.support["ukr"] == ours[0].after
    assert support.react(s, ("rus",), ()) == ()
    assert "support at home" in change_text(scenario, ours[0])


def test_preview_shows_the_support_a_card_would_cost(scenario):
    """Previews (what bots and the brief read) include the support change, and leave the state alone."""
    seen = 0
    for seed in range(30):
        s = new_game(scenario, make_setup(scenario, seed))
        while not s.over and seen < 3:
            who = current_actor(s)
            for a in legal_actions(s, who):
                if isinstance(a, PlayCard):
                    before = dict(s.support)
                    pv = preview(s, a)
                    assert s.support == before
                    after = apply_action(s, a)
                    moved = [c for c in (pv.if_agreed if pv.if_agreed is not None else pv.changes) if c.target == SUPPORT]
                    if pv.agreed is None and moved:
                        assert {c.delegation: c.after for c in moved} == {d: v for d, v in after.support.items() if v != before[d]}
                        seen += 1
            s = apply_action(s, bots.choose(s, who))
        if seen >= 3:
            break
    assert seen >= 3


def test_a_game_with_support_saves_and_loads(scenario, tmp_path):
    s = new_game(scenario, make_setup(scenario, seed=3))
    while s.round < 4 and not s.over:
        s = apply_action(s, bots.choose(s, current_actor(s)))
    path = saves.write_save(s, tmp_path / "g.toml", game_id="support")
    loaded = saves.load_save(path).state
    assert loaded == s and loaded.support == s.support and loaded.scenario.support == scenario.support
    assert len(loaded.history[support.history_key("rus")]) == len(loaded.history["tension"])


def test_a_scenario_without_support_plays_as_before(scenario):
    """No [support]: no meter, no refill change, the same game as a deck without the rule."""
    plain = attrs.evolve(scenario, support=None)
    s = play_game(plain, make_setup(plain, 5))
    assert s.support == {} and not any(isinstance(e.payload, SupportRefill) for e in s.log)
    assert not any(c.target == SUPPORT for e in s.log for c in e.changes)


def test_the_report_shows_support_over_the_rounds(scenario):
    from wargame.report.markdown import build_report

    s = play_game(scenario, make_setup(scenario, 2))
    report = build_report(s)
    for d in s.setup.delegations:
        row = f"| Support at home: {scenario.delegation(d).name} | " + " | ".join(map(str, s.history[support.history_key(d)])) + " |"
        assert row in report
