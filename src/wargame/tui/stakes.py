"""What is at stake for a team: its brief (wants, weights, red lines, score now) and what a move does to it.

Plain functions with no Textual in them. Every number comes from the engine:
the score from `scoring.score`, a move's effect from `engine.preview`, so the
brief the team reads is the score it will be judged by. A team only ever sees
its own brief: the board shows it for the team whose hand is shown.
"""

from __future__ import annotations

from typing import Optional

import attrs

from ..engine import IllegalAction, preview, scoring
from ..engine.rounds import ends_now
from ..model import MONITORING, Action, GameState, RedLine

MINUS = "\u2212"


def signed(x: float) -> str:
    """"+3", "−5", "+0.4", "±0": a score difference as the room reads it."""
    x = round(x, 1)
    if x == 0:
        return "±0"
    text = f"{abs(x):.1f}".removesuffix(".0")
    return ("+" if x > 0 else MINUS) + text


def _values(state: GameState) -> dict[str, int]:
    return {**state.tracks, **state.meters, MONITORING: state.monitoring}


# --- the brief ------------------------------------------------------------------------------


def weights_lines(state: GameState, delegation: str) -> list[str]:
    """The agenda in words, heaviest first: "wants high: Ceasefire ●●●, Sovereignty ●●●", "wants low: Tension ●"."""
    sc = state.scenario
    agenda = sc.delegation(delegation).agenda
    ordered = sorted((t for t, w in agenda.items() if w), key=lambda t: -abs(agenda[t]))
    high = [f"{sc.name_of(t)} {'●' * agenda[t]}" for t in ordered if agenda[t] > 0]
    low = [f"{sc.name_of(t)} {'●' * -agenda[t]}" for t in ordered if agenda[t] < 0]
    return ([f"wants high: {', '.join(high)}"] if high else []) + ([f"wants low: {', '.join(low)}"] if low else [])


def weights_line(state: GameState, delegation: str) -> str:
    """The agenda in one line: "wants high: Ceasefire ●●●, Sovereignty ●●● · wants low: Tension ●"."""
    return " · ".join(weights_lines(state, delegation))


def steps_to_cross(line: RedLine, value: int) -> int:
    """How many steps the value may still move before the red line is crossed (0: crossed now)."""
    if not line.holds(value):
        return 0
    room = []
    if line.at_least is not None:
        room.append(value - line.at_least + 1)
    if line.at_most is not None:
        room.append(line.at_most - value + 1)
    return min(room)


def red_line_lines(state: GameState, delegation: str) -> list[tuple[str, int]]:
    """Each red line and how close it is, with its steps to crossing: ("Sovereignty 6, red line below 5: 2 away (−25)", 2)."""
    sc = state.scenario
    values = _values(state)
    out = []
    for line in sc.delegation(delegation).red_lines:
        value = values[line.target]
        bounds = ([f"below {line.at_least}"] if line.at_least is not None else []) + (
            [f"above {line.at_most}"] if line.at_most is not None else [])
        steps = steps_to_cross(line, value)
        where = "CROSSED" if steps == 0 else f"{steps} away"
        out.append((f"{sc.name_of(line.target)} {value}, red line {' or '.join(bounds)}: {where} ({MINUS}{line.penalty})", steps))
    return out


def nearest_red_line(state: GameState, delegation: str) -> Optional[int]:
    """The fewest steps before one of the team's red lines is crossed (0: one is crossed); None without red lines."""
    values = _values(state)
    return min((steps_to_cross(rl, values[rl.target]) for rl in state.scenario.delegation(delegation).red_lines), default=None)


def score_line(state: GameState, delegation: str) -> str:
    """"Score if the game ended now: 47.3 (par 60)"."""
    s = scoring.score(state, delegation)
    par = "" if s.par is None else f" (par {s.par:g})"
    return f"Score if the game ended now: {s.total:g}{par}"


def support_line(state: GameState, delegation: str) -> Optional[str]:
    """"Support at home 3/10: refill −1 (≤3 −1, ≥7 +1)"; None without support at home."""
    rules = state.scenario.support
    if rules is None or delegation not in state.support:
        return None
    level = state.support[delegation]
    extra = rules.refill_change(level)
    now = f"refill {signed(extra)}" if extra else "refill as usual"
    return f"Support at home {level}/10: {now} (≤{rules.low} {signed(rules.low_refill)}, ≥{rules.high} {signed(rules.high_refill)})"


# --- what a move does to the team's score -----------------------------------------------------


@attrs.frozen
class Stake:
    """What an action would do to `delegation`'s score if the game ended right after.

    `agreed`: the figure is for the proposal agreed by all (a card that needs
    consent, or an accept). `collapse`: the move ends the talks. `crosses`: the
    team's own red lines the move would newly cross.
    """

    delegation: str
    delta: float
    agreed: bool
    collapse: bool
    crosses: tuple[str, ...]

    @property
    def label(self) -> str:
        """"+3", "−5 if agreed"."""
        return signed(self.delta) + (" if agreed" if self.agreed else "")

    @property
    def warning(self) -> Optional[str]:
        """The question to ask before the move is made, or None when it needs none."""
        reasons = []
        if self.collapse:
            reasons.append("tension would reach the top and the talks would collapse")
        reasons += [f"it would cross your red line: {t}" for t in self.crosses]
        if not reasons:
            return None
        said = "; ".join(reasons)
        return f"Are you sure? {said[0].upper()}{said[1:]} (score {self.label})."


def _ended(state: GameState) -> GameState:
    """`state` judged as if the game ended now: with the outcome that ends it at once, if any."""
    outcome = ends_now(state)
    if outcome is None or state.outcome is not None:
        return state
    s = state.shallow_copy()
    s.outcome = outcome
    return s


def stake(state: GameState, action: Action, delegation: Optional[str] = None) -> Optional[Stake]:
    """What `action` would do to the score of `delegation` (the actor by default); None if the rules refuse it."""
    who = delegation or action.delegation
    try:
        p = preview(state, action)
    except IllegalAction:
        return None
    before = scoring.score(state, who)
    if p.agreed is not None:
        result = _ended(p.agreed)
        after = scoring.score(result, who)
    else:
        result = p.after
        after = p.scores[who]
    was = {t for t, _ in before.red_lines_crossed}
    crosses = tuple(t for t, _ in after.red_lines_crossed if t not in was)
    collapse = p.outcome == "collapse" or result.outcome == "collapse"
    return Stake(who, round(after.total - before.total, 1), p.agreed is not None, collapse, crosses)
