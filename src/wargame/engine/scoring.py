"""Scoring: how each track stands, and how each delegation's agenda is met.

A delegation's agenda weighs tracks and meters (positive: wants it high,
negative: wants it low). Its score is the share of the best possible agenda
it got, 0–100, plus the settlement bonus for everyone on a framework agreement, less the
penalty of each red line crossed at the end, less the collapse penalty for
everyone when the talks collapse: in a tabletop exercise everyone wins or
loses together, and the two are set so that no spoiler gains by a collapse.

Agendas differ in how much of them a game can give (Russia's and Ukraine's
pull against each other), so each delegation has a par: the total it
usually reaches. The winner is the delegation furthest above its par, so
every role can win.
"""

from __future__ import annotations

from typing import Optional

import attrs

from ..model import MONITORING, VALUE_MAX, GameState, Scenario
from .memo import ScenarioMemo

OUTCOMES = ("settlement", "frozen", "collapse")
OUTCOME_TEXT = {
    "settlement": "Framework agreement: every track reached the threshold with Ukraine's sovereignty preserved.",
    "frozen": "Frozen conflict: the rounds ran out without a framework agreement.",
    "collapse": "Collapse: tension reached the top and the talks broke down.",
}


@attrs.frozen
class DelegationScore:
    delegation: str
    agenda: float
    red_lines_crossed: tuple[tuple[str, int], ...]
    collapse_penalty: int
    par: Optional[float] = None
    settlement_bonus: int = 0

    @property
    def total(self) -> float:
        crossed = sum(p for _, p in self.red_lines_crossed)
        return round(self.agenda + self.settlement_bonus - crossed - self.collapse_penalty, 1)

    @property
    def vs_par(self) -> Optional[float]:
        """Above (+) or below (−) the total this delegation usually reaches; None without a par."""
        return None if self.par is None else round(self.total - self.par, 1)


def agenda_value(weights: dict[str, int], values: dict[str, int]) -> float:
    """0–100: how far `values` meet the weighted wishes."""
    best = sum(abs(w) for w in weights.values()) * VALUE_MAX
    if best == 0:
        return 0.0
    got = sum(abs(w) * (values[t] if w > 0 else VALUE_MAX - values[t]) for t, w in weights.items())
    return 100.0 * got / best


def framework_reached(state: GameState) -> bool:
    rules = state.scenario.rules
    return all(v >= rules.framework_threshold for v in state.tracks.values()) and state.meters["sovereignty"] >= rules.framework_sovereignty


class _Agenda:
    """A delegation's agenda as the sum it is counted by, worked out once per scenario.

    `agenda_value`'s sum of |w|·v (wants it high) and |w|·(top − v) (wants it low)
    is the constant `offset` (Σ |w|·top over the low wishes) plus Σ w·v: the same
    integer, so the same score, without a dict of every value for each of the
    bots' hundred thousand scores a minute.
    """

    __slots__ = ("tracks", "meters", "monitoring", "offset", "best", "red_lines", "par", "lines", "collapse_penalty", "settlement_bonus")

    def __init__(self, scenario: Scenario, delegation: str) -> None:
        d = scenario.delegation(delegation)
        meter_ids = {m.id for m in scenario.meters}
        self.tracks = tuple((t, w) for t, w in d.agenda.items() if w and t != MONITORING and t not in meter_ids)
        self.meters = tuple((t, w) for t, w in d.agenda.items() if w and t != MONITORING and t in meter_ids)
        self.monitoring = d.agenda.get(MONITORING, 0)
        self.offset = sum(-w * VALUE_MAX for w in d.agenda.values() if w < 0)
        self.best = sum(abs(w) for w in d.agenda.values()) * VALUE_MAX
        self.red_lines = d.red_lines
        # The red lines as `total` reads them: (target, lowest allowed, highest allowed, penalty),
        # a track's and a meter's apart from the rest (monitoring).
        lines = [
            (rl.target, -1 if rl.at_least is None else rl.at_least, VALUE_MAX + 1 if rl.at_most is None else rl.at_most, rl.penalty)
            for rl in d.red_lines
        ]
        track_ids = {t.id for t in scenario.tracks}
        self.lines = (
            tuple(x for x in lines if x[0] in track_ids),
            tuple(x for x in lines if x[0] in meter_ids),
            tuple(x for x in lines if x[0] not in track_ids and x[0] not in meter_ids),
        )
        self.par = d.par
        self.collapse_penalty = scenario.rules.collapse_penalty
        self.settlement_bonus = scenario.rules.settlement_bonus

    def value(self, state: GameState) -> float:
        """The agenda's 0–100 share, rounded as the score shows it."""
        if self.best == 0:
            return 0.0
        tracks, meters = state.tracks, state.meters
        got = self.offset + self.monitoring * state.monitoring
        for t, w in self.tracks:
            got += w * tracks[t]
        for t, w in self.meters:
            got += w * meters[t]
        return round(100.0 * got / self.best, 1)

    def counts(self, state: GameState) -> tuple[int, int]:
        """The two integers a score is counted from: the agenda's weighted sum (with its
        offset) and the penalties of the red lines crossed. The bots' valuer reads them too."""
        tracks, meters = state.tracks, state.meters
        crossed = 0
        track_lines, meter_lines, other_lines = self.lines
        for target, low, high, penalty in track_lines:
            v = tracks[target]
            if v < low or v > high:
                crossed += penalty
        for target, low, high, penalty in meter_lines:
            v = meters[target]
            if v < low or v > high:
                crossed += penalty
        for target, low, high, penalty in other_lines:
            v = state.value(target)
            if v < low or v > high:
                crossed += penalty
        got = self.offset
        if self.monitoring:
            got += self.monitoring * state.monitoring
        for t, w in self.tracks:
            got += w * tracks[t]
        for t, w in self.meters:
            got += w * meters[t]
        return got, crossed

    def total(self, state: GameState) -> float:
        """`score(state, delegation).total` (see `total`)."""
        got, crossed = self.counts(state)
        outcome = state.outcome
        if outcome is None:
            best = self.best
            if best == 0:
                return round(0.0 - crossed, 1)
            return round(round(100.0 * got / best, 1) - crossed, 1)
        penalty = self.collapse_penalty if outcome == "collapse" else 0
        bonus = self.settlement_bonus if outcome == "settlement" else 0
        return round(self.value(state) + bonus - crossed - penalty, 1)


_AGENDAS = ScenarioMemo()


def _agenda(scenario: Scenario, delegation: str) -> _Agenda:
    return _AGENDAS.get(scenario, delegation, _Agenda, scenario, delegation)


def score(state: GameState, delegation: str) -> DelegationScore:
    scenario = state.scenario
    a = _agenda(scenario, delegation)
    crossed = tuple((rl.text, rl.penalty) for rl in a.red_lines if not rl.holds(state.value(rl.target)))
    penalty = scenario.rules.collapse_penalty if state.outcome == "collapse" else 0
    bonus = scenario.rules.settlement_bonus if state.outcome == "settlement" else 0
    return DelegationScore(delegation, a.value(state), crossed, penalty, a.par, bonus)


def total(state: GameState, delegation: str) -> float:
    """`score(state, delegation).total`, without building the record (the bots' hot path)."""
    return _agenda(state.scenario, delegation).total(state)


def counted_agenda(scenario: Scenario, delegation: str) -> _Agenda:
    """The delegation's agenda as `total` counts it (its weights, offset, best and red lines),
    worked out once per scenario: for a bot's valuer, which reads its `counts`."""
    return _agenda(scenario, delegation)


def par_caveat(state: GameState) -> str:
    """Pars are final totals of the standard setup: a note to add when this game is not one, or not over."""
    sc = state.scenario
    notes = []
    if state.outcome is None:
        notes.append("provisional: the game is not over")
    if state.setup.rounds != sc.rounds or len(state.setup.delegations) != len(sc.delegations):
        notes.append(f"par is measured on the standard {sc.rounds}-round game with every delegation")
    return f" ({'; '.join(notes)})" if notes else ""


def scores(state: GameState) -> dict[str, DelegationScore]:
    return {d: score(state, d) for d in state.setup.delegations}


def standing(s: DelegationScore) -> float:
    """What decides the winner: the total's distance above par (the total itself without a par)."""
    return s.total if s.vs_par is None else s.vs_par


def winner(state: GameState) -> Optional[str]:
    """The delegation furthest above its par (every role can win); None on a tie at the top."""
    totals = sorted(((standing(s), d) for d, s in scores(state).items()), reverse=True)
    if not totals or (len(totals) > 1 and totals[0][0] == totals[1][0]):
        return None
    return totals[0][1]

