"""docs/rules.md (also the in-game help) states numbers from the decks: they must agree.

The rules page is written for people, so it repeats the deck's numbers in
sentences; this test reads the numbers back from those sentences, so a deck
edit that changes the game also fails here until the page says the same.
"""

from __future__ import annotations

import re

from conftest import ROOT

RULES = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def pct(x: float) -> str:
    return f"{round(x * 100):g}%"


def test_thresholds_and_penalties(scenario):
    r = scenario.rules
    assert f"at **{r.ceasefire_threshold} or more a ceasefire is in effect**" in RULES
    assert f"While the Ceasefire track is at {r.ceasefire_threshold} or more" in RULES
    assert f"at {r.framework_threshold} or more and Sovereignty is at {r.framework_sovereignty} or more" in RULES
    assert f"for everyone, **{r.collapse_penalty} when the\ntalks collapse**, so a total can fall below 0" in RULES
    assert f"for everyone, **{r.settlement_bonus} on a\nframework agreement**" in RULES
    assert f"{r.settlement_bonus + r.collapse_penalty} points for every delegation" in RULES


def test_diplomacy_needs_trust(scenario):
    r = scenario.rules
    assert f"**Long-term diplomacy rises above {r.diplomacy_trust_level} only while Trust\n  is at {r.diplomacy_trust_needed} or more**" in RULES


def test_bargaining_numbers(scenario):
    r = scenario.rules
    assert r.side_payment_max > 0 and r.counter_ask_max > 0
    assert f"offer **each consenting delegation up to {r.side_payment_max}\n  political capital**" in RULES
    assert f"**ask the\n  proposer for 1 to {r.counter_ask_max} capital**" in RULES


def _effects_text(scenario, effects):
    return ", ".join(f"{scenario.name_of(e.target)} {'+' if e.delta > 0 else '−'}{abs(e.delta)}" for e in effects if e.when is None)


def test_violation_effects(scenario):
    """What a violation and a collapse of the ceasefire cost, in the deck's order."""
    v = scenario.violations
    one = _effects_text(scenario, v.effects).rsplit(", ", 1)
    assert f"It costs {' and '.join(one)}".replace("\n", " ") in RULES.replace("\n", " ")
    assert f"collapse the ceasefire**: {_effects_text(scenario, v.collapse_effects)}." in RULES.replace("\n", " ")


def test_the_meters_listed_are_the_decks(scenario):
    section = RULES[RULES.index("shared **meters**"):RULES.index("And **monitoring**")]
    names = re.findall(r"^- \*\*(.+?)\*\*: ", section, re.M)
    assert names == [m.name for m in scenario.meters]


def test_every_red_line_and_its_penalty(scenario):
    """Each delegation's red lines, with the deck's thresholds and penalties, and no others."""
    stated = re.findall(r"^- (.+?): (.+?) (below|above) (\d+) costs (\d+)\.$", RULES, re.M)
    expected = []
    for d in scenario.delegations:
        for rl in d.red_lines:
            if rl.at_least is not None:
                expected.append((d.name, scenario.name_of(rl.target), "below", str(rl.at_least), str(rl.penalty)))
            if rl.at_most is not None:
                expected.append((d.name, scenario.name_of(rl.target), "above", str(rl.at_most), str(rl.penalty)))
    assert stated == expected


def test_violation_chance(scenario):
    v = scenario.violations
    formula = (f"chance = {pct(v.base_chance)} + {pct(v.tension_factor)} × Tension − {pct(v.monitoring_factor)} × Monitoring, "
               f"never below {pct(v.min_chance)} or above {pct(v.max_chance)}")
    assert formula in RULES


def test_political_capital(scenario):
    usa, chn = scenario.delegation("usa"), scenario.delegation("chn")
    assert f"**political capital** ({usa.capital} at the start, +{usa.income} each round,\nat most {usa.capital_max}; " \
           f"China +{chn.income} a round, at most {chn.capital_max})" in RULES
    assert f"a hand of {['no', 'one', 'two', 'three', 'four', 'five'][scenario.hand_size]} **concession cards**" in RULES


def test_pars(scenario):
    stated = re.search(r"when bots play \(([^)]*)\)", RULES.replace("\n", " ")).group(1)
    expected = ", ".join(f"{d.name} {d.par:g}" for d in scenario.delegations)
    assert stated == expected


def test_the_expert(scenario):
    experts = [p for p in scenario.personalities if p.id == "expert"]
    assert {p.delegation for p in experts} == {d.id for d in scenario.delegations}
    (rollouts,), (candidates,), (margin,) = ({getattr(p, f) for p in experts} for f in ("rollouts", "candidates", "rollout_margin"))
    text = RULES.replace("\n", " ")
    assert f"For its {candidates} best options" in text
    assert f"plays the game to the end {rollouts} times each" in text
    assert f"beats its normal choice by at least {margin:g} point" in text
    assert f"averaged +6 over passing in {rollouts * candidates} rollouts" in text


def test_support_at_home(scenario):
    r = scenario.support
    starts = {r.start_of(d.id) for d in scenario.delegations}
    assert len(starts) == 1, "rules.md states one start for every delegation"
    text = " ".join(RULES.split())
    assert f"its **support**, 0–10, starting at {starts.pop()}." in text
    assert f"costs its own agenda {r.concession_points:g} score points or more costs it a step of support" in text
    assert f"(a step per {r.concession_points:g} points, at most {r.max_step} at once)" in text
    assert f"gains its agenda {r.gain_points:g} points or more wins a step" in text
    assert f"support at **{r.low} or below refills {-r.low_refill} capital less**" in text
    assert f"support at **{r.high} or above {r.high_refill} more**" in text
