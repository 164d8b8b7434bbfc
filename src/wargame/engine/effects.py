"""Applying a deck's declarative effects to a state, as typed `Change` records."""

from __future__ import annotations

from typing import Optional, Sequence

from ..model import CAPITAL, MONITORING, MONITORING_MAX, VALUE_MAX, Change, Condition, Effect, GameState, top_of

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


def apply_effects(state: GameState, effects: Sequence[Effect], roles: Optional[dict[str, str]] = None) -> tuple[Change, ...]:
    """Apply effects in order (conditions read the values before the batch), clamped to bounds.

    `roles` maps role names used by violation rules ("injured", "violator")
    to delegation ids. Returns what moved (nothing for an effect the bounds absorb).
    """
    for e in effects:
        if e.when is not None:
            effects = [e for e in effects if e.when is None or holds(state, e.when)]
            break
    tracks, meters = state.tracks, state.meters
    changes: list[Change] = []
    for e in effects:
        target = e.target
        if target in tracks:  # the common case first: a track or a meter
            values = tracks
        elif target in meters:
            values = meters
        elif target == CAPITAL:
            who = roles.get(e.delegation, e.delegation) if roles else e.delegation
            capital = state.capital
            if who not in capital:
                continue  # a delegation left out of this game
            before = capital[who]
            after = before + e.delta
            top = state.scenario.delegation(who).capital_max
            after = capital[who] = 0 if after < 0 else top if after > top else after
            if after != before:
                changes.append(Change(CAPITAL, who, before, after))
            continue
        elif target == MONITORING:
            before = state.monitoring
            after = before + e.delta
            after = state.monitoring = 0 if after < 0 else MONITORING_MAX if after > MONITORING_MAX else after
            if after != before:
                changes.append(Change(target, None, before, after))
            continue
        else:
            raise KeyError(target)
        before = values[target]
        after = before + e.delta
        after = 0 if after < 0 else VALUE_MAX if after > VALUE_MAX else after
        if after > before and target == DIPLOMACY:
            after = min(after, max(before, diplomacy_ceiling(state)))
        if after != before:
            values[target] = after
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
