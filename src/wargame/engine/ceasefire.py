"""Ceasefire violations: the chance each round, attribution, responses, collapse.

While the ceasefire track is at or above the threshold a ceasefire is in
effect. Each round the engine rolls the game's generator against a chance
that rises with tension and falls with monitoring. A violation is attributed
to one warring side, moves the values the scenario names, and gives the
injured side a response. Enough violations inside the window collapse the
ceasefire.
"""

from __future__ import annotations

from typing import Optional

from ..model import (
    CeasefireCollapsed,
    CeasefireHeld,
    GameState,
    LogEntry,
    Respond,
    Responded,
    Response,
    Violation,
    ViolationPending,
    ViolationRolled,
)
from .effects import apply_effects
from .rng import Draw

CEASEFIRE = "ceasefire"


def in_effect(state: GameState) -> bool:
    return state.tracks.get(CEASEFIRE, 0) >= state.scenario.rules.ceasefire_threshold


def violation_chance(state: GameState) -> float:
    v = state.scenario.violations
    chance = v.base_chance + v.tension_factor * state.meters["tension"] - v.monitoring_factor * state.monitoring
    return max(v.min_chance, min(v.max_chance, chance))


def recent_violations(state: GameState) -> int:
    window = state.scenario.violations.window
    return sum(1 for x in state.violations if x.round > state.round - window)


def check_for_violation(state: GameState) -> None:
    """The ceasefire phase: roll for a violation while a ceasefire is in effect."""
    scenario = state.scenario
    if not in_effect(state):
        return
    chance = violation_chance(state)
    if Draw(state).random() >= chance:
        state.log.append(LogEntry(state.round, CeasefireHeld(chance)))
        return
    sides = [s for s in scenario.violations.sides if s.delegation in state.capital]
    if len(sides) < 2:
        return
    violator = Draw(state).weighted([s.delegation for s in sides], [s.weight for s in sides])
    injured = next(s.delegation for s in sides if s.delegation != violator)
    roles = {"violator": violator, "injured": injured}
    changes = apply_effects(state, scenario.violations.effects, roles)
    record = Violation(state.round, violator, injured)
    state.log.append(LogEntry(state.round, ViolationRolled(violator, injured, chance), changes))
    state.violations.append(record)
    if recent_violations(state) >= scenario.violations.collapse_after:
        changes = apply_effects(state, scenario.violations.collapse_effects, roles)
        state.ceasefire_collapses += 1
        state.violations[-1] = Violation(record.round, violator, injured, collapsed=True)
        state.log.append(
            LogEntry(state.round, CeasefireCollapsed(recent_violations(state), scenario.violations.window), changes)
        )
    state.pending = ViolationPending(violator, injured)


def responses_open(state: GameState) -> list[Response]:
    """Responses the injured side can afford now."""
    pending = state.pending
    capital = state.capital[pending.injured]
    return [r for r in state.scenario.violations.responses if r.cost <= capital]


def respond_refusal(state: GameState, action: Respond) -> Optional[str]:
    pending = state.pending
    response = state.scenario.violations.response(action.response)
    if response is None:
        known = ", ".join(r.id for r in state.scenario.violations.responses)
        return f"unknown response {action.response!r}; choose one of: {known}"
    if response.cost > state.capital[pending.injured]:
        return f"{response.label} costs {response.cost} political capital; only {state.capital[pending.injured]} left"
    return None


def respond(state: GameState, action: Respond) -> None:
    pending = state.pending
    response = state.scenario.violations.response(action.response)
    state.capital[pending.injured] -= response.cost
    roles = {"violator": pending.violator, "injured": pending.injured}
    changes = apply_effects(state, response.effects, roles)
    last = state.violations[-1]
    state.violations[-1] = Violation(last.round, last.violator, last.injured, response.id, last.collapsed)
    state.log.append(LogEntry(state.round, Responded(pending.injured, response.id), changes, action.text))
    state.pending = None
