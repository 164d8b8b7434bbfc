"""Applying a deck's declarative effects to a state, as typed `Change` records."""

from __future__ import annotations

from typing import Iterable, Optional

from ..model import CAPITAL, MONITORING, Change, Condition, Effect, GameState, top_of

DIPLOMACY = "diplomacy"
TRUST = "trust"


def holds(state: GameState, cond: Optional[Condition]) -> bool:
    if cond is None:
        return True
    value = state.value(cond.target)
    if cond.at_least is not None and value < cond.at_least:
        return False
    if cond.at_most is not None and value > cond.at_most:
        return False
    return True


def apply_effects(state: GameState, effects: Iterable[Effect], roles: Optional[dict[str, str]] = None) -> tuple[Change, ...]:
    """Apply effects in order (conditions read the values before the batch), clamped to bounds.

    `roles` maps role names used by violation rules ("injured", "violator")
    to delegation ids. Returns what moved (nothing for an effect the bounds absorb).
    """
    scenario = state.scenario
    effects = [e for e in effects if e.when is None or holds(state, e.when)]
    changes: list[Change] = []
    for e in effects:
        target = e.target
        if target == CAPITAL:
            who = (roles or {}).get(e.delegation, e.delegation)
            if who not in state.capital:
                continue  # a delegation left out of this game
            cap = scenario.delegation(who).capital_max
            before = state.capital[who]
            after = max(0, min(cap, before + e.delta))
            state.capital[who] = after
            if after != before:
                changes.append(Change(CAPITAL, who, before, after))
            continue
        if target == MONITORING:
            before = state.monitoring
            after = state.monitoring = max(0, min(top_of(target), before + e.delta))
        else:
            values = state.tracks if target in state.tracks else state.meters
            before = values[target]
            after = max(0, min(top_of(target), before + e.delta))
            if target == DIPLOMACY and after > before:
                after = min(after, max(before, diplomacy_ceiling(state)))
            values[target] = after
        if after != before:
            changes.append(Change(target, None, before, after))
    return tuple(changes)


def diplomacy_ceiling(state: GameState) -> int:
    """How high long-term diplomacy may rise now: past the rules' level only with enough trust."""
    rules = state.scenario.rules
    if state.meters.get(TRUST, 0) >= rules.diplomacy_trust_needed:
        return top_of(DIPLOMACY)
    return rules.diplomacy_trust_level


def set_value(state: GameState, target: str, value: int) -> int:
    """Set a track, meter or monitoring outright (adjudication); returns the old value."""
    value = max(0, min(top_of(target), value))
    if target == MONITORING:
        old, state.monitoring = state.monitoring, value
    elif target in state.tracks:
        old, state.tracks[target] = state.tracks[target], value
    else:
        old, state.meters[target] = state.meters[target], value
    return old
