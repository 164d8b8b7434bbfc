"""Support at home: domestic audiences, as PeaceMaker models them (`model.SupportRules`).

Each delegation's support (0–10) falls when a card it plays, or an agreement it
proposed or consented to, moves its agenda against it, and rises with gains;
at upkeep low support takes capital off its refill and high support adds to
it, so giving ground costs more than one round.

`react` is the one hook the card rules call. It works out the swing from the
`Change` records the card already made, never by previewing or applying
anything, so it cannot recurse; it changes only `state.support` and returns
the support `Change` records, for the log entry.
"""

from __future__ import annotations

from typing import Iterable

from ..model import CAPITAL, SUPPORT, VALUE_MAX, Change, GameState, LogEntry, Scenario, SupportRefill, SupportRules
from .memo import ScenarioMemo

__all__ = ["agenda_points", "history_key", "react", "refill", "refill_change", "start", "steps"]


def history_key(delegation: str) -> str:
    """The key of a delegation's support in `GameState.history` (tracks and meters use their ids)."""
    return f"{SUPPORT}:{delegation}"


def start(state: GameState) -> None:
    """Deal each delegation its starting support and the first point of its history (a new game)."""
    rules = state.scenario.support
    if rules is None:
        return
    state.support = {d: rules.start_of(d) for d in state.setup.delegations}
    for d, v in state.support.items():
        state.history[history_key(d)] = [v]


def agenda_points(scenario: Scenario, delegation: str, changes: Iterable[Change]) -> float:
    """What `changes` did to the delegation's agenda, in score points (the scoring's own scale)."""
    return _points(scenario, delegation, _moves(changes))


def _moves(changes: Iterable[Change]) -> list[tuple[str, int]]:
    """(target, delta) of each change to a track, meter or monitoring: what an agenda can weigh."""
    return [(c.target, c.after - c.before) for c in changes if c.delegation is None]


def _points(scenario: Scenario, delegation: str, moves: list[tuple[str, int]]) -> float:
    weights = _WEIGHTS.table(scenario).get(delegation)  # the memo's own table: `_weights` without its call
    agenda, best = weights if weights is not None else _weights(scenario, delegation)
    if not best:
        return 0.0
    moved = 0
    for target, delta in moves:
        w = agenda.get(target)
        if w:
            moved += w * delta
    return 100.0 * moved / best


_WEIGHTS = ScenarioMemo()


def _weights(scenario: Scenario, delegation: str) -> tuple[dict[str, int], int]:
    """A delegation's agenda and the most it can be moved (Σ|w| · the top of a value), worked out once per
    scenario: every card played and every agreement asks it for each delegation that reacts."""
    return _WEIGHTS.get(scenario, delegation, _agenda_and_best, scenario, delegation)


def _agenda_and_best(scenario: Scenario, delegation: str) -> tuple[dict[str, int], int]:
    agenda = scenario.delegation(delegation).agenda
    return agenda, sum(abs(w) for w in agenda.values()) * VALUE_MAX


def steps(scenario: Scenario, points: float) -> int:
    """The steps of support a swing of `points` is worth: negative for a concession."""
    rules = scenario.support
    if rules is None:
        return 0
    return _steps(rules, points)


def _steps(rules: SupportRules, points: float) -> int:
    if points <= -rules.concession_points:
        return -min(rules.max_step, int(-points // rules.concession_points))
    if points >= rules.gain_points:
        return min(rules.max_step, int(points // rules.gain_points))
    return 0


def react(state: GameState, delegations: tuple[str, ...], changes: tuple[Change, ...]) -> tuple[Change, ...]:
    """`changes` and the support they cost or won `delegations` (who played, proposed or consented).

    Each one's support moves for what `changes` did to its own agenda (`steps`)."""
    scenario = state.scenario
    rules = scenario.support
    if rules is None or not changes:
        return changes
    moves = _moves(changes)  # read once for every delegation that reacts
    if not moves:  # capital alone moved: no agenda weighs it, so no support moves (every swing is 0 points)
        return changes
    out = []
    support = state.support
    # `delegations` is one (a card played) or a proposer and its parties.
    for d in dict.fromkeys(delegations) if len(delegations) > 1 else delegations:
        before = support.get(d)
        if before is None:
            continue
        points = _points(scenario, d, moves)
        after = before + _steps(rules, points)
        after = 0 if after < 0 else VALUE_MAX if after > VALUE_MAX else after
        if after != before:
            support[d] = after
            out.append(Change(SUPPORT, d, before, after))
    return changes + tuple(out) if out else changes


def refill_change(state: GameState, delegation: str) -> int:
    """What support at home adds to the delegation's refill now (0 without support at home)."""
    rules = state.scenario.support
    if rules is None or delegation not in state.support:
        return 0
    return rules.refill_change(state.support[delegation])


def refill(state: GameState, delegation: str) -> None:
    """Upkeep's refill of the delegation's capital: its income, changed by its support at home.

    When support made a difference, a `SupportRefill` entry says so (with the capital it moved).
    """
    dl = state.scenario.delegation(delegation)
    before = state.capital[delegation]
    plain = min(dl.capital_max, before + dl.income)
    extra = refill_change(state, delegation)
    after = max(before, min(dl.capital_max, before + max(0, dl.income + extra))) if extra else plain
    state.capital[delegation] = after
    if after != plain:
        change = (Change(CAPITAL, delegation, before, after),) if after != before else ()
        state.log.append(LogEntry(state.round, SupportRefill(delegation, state.support[delegation], after - plain), change))
