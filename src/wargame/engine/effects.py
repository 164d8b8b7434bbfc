"""Applying a deck's declarative effects to a state, and describing them in words."""

from __future__ import annotations

from typing import Iterable, Optional

from ..model import CAPITAL, MONITORING, MONITORING_MAX, VALUE_MAX, Condition, Effect, GameState, Scenario


def holds(state: GameState, cond: Optional[Condition]) -> bool:
    if cond is None:
        return True
    value = state.value(cond.target)
    if cond.at_least is not None and value < cond.at_least:
        return False
    if cond.at_most is not None and value > cond.at_most:
        return False
    return True


def apply_effects(state: GameState, effects: Iterable[Effect], roles: Optional[dict[str, str]] = None) -> list[str]:
    """Apply effects in order (conditions read the values before the batch), clamped to bounds.

    `roles` maps role names used by violation rules ("injured", "violator")
    to delegation ids. Returns short phrases such as "Ceasefire +2" for the log.
    """
    scenario = state.scenario
    effects = [e for e in effects if holds(state, e.when)]
    changes: list[str] = []
    for e in effects:
        if e.target == CAPITAL:
            who = (roles or {}).get(e.delegation, e.delegation)
            if who not in state.capital:
                continue  # a delegation left out of this game
            cap = scenario.delegation(who).capital_max
            before = state.capital[who]
            after = max(0, min(cap, before + e.delta))
            state.capital[who] = after
            if after != before:
                changes.append(f"{scenario.delegation(who).name} capital {after - before:+d}")
            continue
        if e.target == MONITORING:
            before = state.monitoring
            state.monitoring = max(0, min(MONITORING_MAX, before + e.delta))
            after = state.monitoring
        elif e.target in state.tracks:
            before = state.tracks[e.target]
            after = max(0, min(VALUE_MAX, before + e.delta))
            state.tracks[e.target] = after
        else:
            before = state.meters[e.target]
            after = max(0, min(VALUE_MAX, before + e.delta))
            state.meters[e.target] = after
        if after != before:
            changes.append(f"{scenario.name_of(e.target)} {after - before:+d}")
    return changes


def set_value(state: GameState, target: str, value: int) -> int:
    """Set a track, meter or monitoring outright (adjudication); returns the old value."""
    if target == MONITORING:
        old, state.monitoring = state.monitoring, max(0, min(MONITORING_MAX, value))
    elif target in state.tracks:
        old, state.tracks[target] = state.tracks[target], max(0, min(VALUE_MAX, value))
    else:
        old, state.meters[target] = state.meters[target], max(0, min(VALUE_MAX, value))
    return old


def describe_effect(scenario: Scenario, e: Effect) -> str:
    name = scenario.name_of(e.delegation) + " capital" if e.target == CAPITAL else scenario.name_of(e.target)
    text = f"{name} {e.delta:+d}"
    if e.when is not None:
        text += f" (if {scenario.name_of(e.when.target)}" + (
            f" ≥ {e.when.at_least}" if e.when.at_least is not None else ""
        ) + (f" ≤ {e.when.at_most}" if e.when.at_most is not None else "") + ")"
    return text


def describe_effects(scenario: Scenario, effects: Iterable[Effect]) -> str:
    return ", ".join(describe_effect(scenario, e) for e in effects) or "no direct effect"
