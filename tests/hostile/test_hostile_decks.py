"""Hostile decks: every bad number refused by `check` with its file, card and field; whatever
`check` accepts plays a bot game and survives a save and a load."""

from __future__ import annotations

import math
import re
from pathlib import Path

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame import model, saves
from wargame.engine import make_setup
from wargame.scenario import range_problems, scenario_problems
from wargame.simulate import play_game

from .conftest import refused

DECK_CLASSES = [
    model.Condition, model.Effect, model.Level, model.Track, model.Meter, model.Rules, model.Response, model.ViolationSide,
    model.ViolationRules, model.RedLine, model.Delegation, model.EventCard, model.ConcessionCard, model.Personality,
    model.Inject, model.Scenario, model.SupportRules,
]


def _numeric(t) -> bool:
    return re.search(r"\b(int|float)\b", str(t)) is not None


def range_row(cls, f) -> str:
    low, high = f.metadata[model.RANGE]
    return f"| `{f.name}` | {cls.__name__} | {low:g} to {high:g} |"


def test_every_number_of_a_deck_declares_its_range_and_the_docs_list_it():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "deck-format.md").read_text(encoding="utf-8")
    missing, undocumented = [], []
    for cls in DECK_CLASSES:
        for f in attrs.fields(cls):
            if not _numeric(f.type):
                continue
            if model.RANGE not in f.metadata:
                missing.append(f"{cls.__name__}.{f.name}")
            elif range_row(cls, f) not in doc:
                undocumented.append(range_row(cls, f))
    assert not missing and not undocumented, (missing, undocumented)


def _edit(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed, n = re.subn(pattern, new, text, count=1, flags=re.M)
    assert n == 1, pattern
    path.write_text(changed, encoding="utf-8")


# (file, line pattern, replacement, what the message must name)
MUTATIONS = [
    ("scenario.toml", r"^base_chance = .*$", "base_chance = nan", "base_chance"),
    ("scenario.toml", r"^base_chance = .*$", "base_chance = inf", "base_chance"),
    ("scenario.toml", r"^max_chance = .*$", "max_chance = -inf", "max_chance"),
    ("scenario.toml", r"^rounds = .*$", "rounds = 100", "rounds"),
    ("scenario.toml", r"^rounds = .*$", "rounds = 0", "rounds"),
    ("scenario.toml", r"^hand_size = .*$", "hand_size = 999999999999999999999", "hand_size"),
    ("scenario.toml", r"^collapse_penalty = .*$", "collapse_penalty = -5", "collapse_penalty"),
    ("concessions.toml", r"^cost = \d+", "cost = 999999999999999999999", "cost"),
    ("concessions.toml", r"^cost = \d+", "cost = -1", "cost"),
    ("concessions.toml", r"delta = 1\b", "delta = 1e400", "delta"),
    ("delegations.toml", r"^capital = \d+", "capital = 1000", "capital"),
    ("delegations.toml", r"^par = .*$", "par = nan", "par"),
    ("delegations.toml", r"ceasefire = 3", "ceasefire = 101", "agenda.ceasefire"),
    ("bots.toml", r"^settlement_hope = .*$", "settlement_hope = 1.5", "settlement_hope"),
    ("bots.toml", r"^caution = .*$", "caution = -1", "caution"),
    ("scenario.toml", r"^settlement_bonus = .*$", "settlement_bonus = 101", "settlement_bonus"),
    ("scenario.toml", r"^diplomacy_trust_needed = .*$", "diplomacy_trust_needed = 11", "diplomacy_trust_needed"),
    ("scenario.toml", r"^low_refill = .*$", "low_refill = 1", "low_refill"),
    ("scenario.toml", r"^start = \{ usa = 5", "start = { usa = 11", "start.usa"),
    ("scenario.toml", r"^start = \{ usa = 5", "start = { xyz = 5", "unknown delegation 'xyz'"),
    ("scenario.toml", r"^concession_points = .*$", "concession_points = 0", "concession_points"),
    ("bots.toml", r"^risk_tolerance = .*$", "risk_tolerance = 11", "risk_tolerance"),
    ("bots.toml", r"^accept_threshold = .*$", 'accept_threshold = "high"', "accept_threshold"),
    ("msel.toml", r"^round = .*$", "round = 1979-05-27", "round"),
    ("events.toml", r'target = "\w+"', 'target = "bogus"', "bogus"),
]


@settings(max_examples=len(MUTATIONS), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(MUTATIONS))
def test_a_bad_number_is_refused_naming_file_and_field(capsys, decks, mutation):
    file, pattern, new, field = mutation
    original = (decks / file).read_text(encoding="utf-8")
    try:
        _edit(decks / file, pattern, new)
        err = refused(capsys, "check", str(decks), needle=field, keep=tuple(decks.iterdir()))
        assert file in err
    finally:
        (decks / file).write_text(original, encoding="utf-8")


def test_check_reports_every_problem_at_once(capsys, decks):
    _edit(decks / "scenario.toml", r"^rounds = .*$", "rounds = 100")
    _edit(decks / "concessions.toml", r"^cost = \d+", "cost = 999999999999999999999")
    _edit(decks / "bots.toml", r"^caution = .*$", "caution = 5000")
    err = refused(capsys, "check", str(decks))
    assert "3 problem(s)" in err and "rounds" in err and "cost" in err and "caution" in err


def test_an_empty_bots_file_and_a_delegation_without_a_personality_are_refused(capsys, decks):
    original = (decks / "bots.toml").read_text(encoding="utf-8")
    (decks / "bots.toml").write_text("", encoding="utf-8")
    err = refused(capsys, "check", str(decks), needle="has no [[personality]]")
    assert "bots.toml" in err
    kept = [p for p in original.split("[[personality]]") if 'delegation = "chn"' not in p]
    (decks / "bots.toml").write_text("[[personality]]".join(kept), encoding="utf-8")
    refused(capsys, "check", str(decks), needle="delegation 'chn' has no [[personality]]")


def test_deeply_nested_toml_in_a_deck(capsys, decks):
    with open(decks / "events.toml", "a", encoding="utf-8") as f:
        f.write("x = " + "[" * 5000 + "]" * 5000 + "\n")
    for command in (["check", str(decks)], ["simulate", "--games", "1", "--scenario", str(decks)]):
        refused(capsys, *command, needle="nested too deeply")


# --- whatever check accepts, the game handles ----------------------------------------------


def _drawn(obj, data):
    """`obj` with every ranged number drawn from its declared range (tables' values too)."""
    changes = {}
    for f in attrs.fields(type(obj)):
        value = getattr(obj, f.name)
        bounds = f.metadata.get(model.RANGE)
        if isinstance(obj, model.Effect) and f.name == "delta" and obj.target != model.CAPITAL:
            bounds = (-model.VALUE_MAX, model.VALUE_MAX)  # the cross-check on a track's or meter's move
        if bounds is not None and value is not None:
            low, high = bounds
            number = (st.floats(low, high, allow_nan=False) if isinstance(value, float) or "float" in str(f.type)
                      else st.integers(math.ceil(low), math.floor(high)))
            if isinstance(value, dict):
                changes[f.name] = {k: data.draw(number) for k in value}
            else:
                changes[f.name] = data.draw(number)
        elif attrs.has(type(value)):
            changes[f.name] = _drawn(value, data)
        elif isinstance(value, tuple) and value and attrs.has(type(value[0])):
            # a few items redrawn, the rest kept: enough variety without drawing hundreds of numbers
            chosen = data.draw(st.sets(st.integers(0, len(value) - 1), max_size=3))
            changes[f.name] = tuple(_drawn(v, data) if i in chosen else v for i, v in enumerate(value))
    return attrs.evolve(obj, **changes) if changes else obj


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_any_deck_check_accepts_plays_a_bot_game_and_saves(scenario, tmp_path, data):
    deck = _drawn(scenario, data)
    # the cross-checks between numbers, kept true so that every drawn deck must pass
    low, high = sorted((deck.violations.min_chance, deck.violations.max_chance))
    deck = attrs.evolve(
        deck,
        rounds=data.draw(st.integers(1, 4)),
        violations=attrs.evolve(
            deck.violations, min_chance=low, max_chance=high,
            responses=(attrs.evolve(deck.violations.responses[0], cost=0), *deck.violations.responses[1:]),
        ),
        delegations=tuple(attrs.evolve(d, capital=min(d.capital, d.capital_max)) for d in deck.delegations),
        # A drawn expert looks ahead with up to 500 rollouts of up to 8 candidates at every move:
        # valid, but minutes a game. A few rollouts take the same code path (tests/test_expert.py
        # covers the look-ahead itself).
        personalities=tuple(attrs.evolve(p, rollouts=min(p.rollouts, 3)) for p in deck.personalities),
        support=attrs.evolve(deck.support, **dict(zip(("low", "high"), sorted((deck.support.low, deck.support.high))))),
    )
    assert not range_problems(deck)
    assert scenario_problems(deck) == []
    state = play_game(deck, make_setup(deck, data.draw(st.integers(0, 2**64))))
    assert state.over
    path = saves.write_save(state, tmp_path / "drawn.toml", game_id="drawn")
    assert saves.load_save(path).state == state

