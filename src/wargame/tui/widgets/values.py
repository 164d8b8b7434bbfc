"""Tracks and meters as bars: value, thresholds, change this round, history, level.

Line one is always shown: short name, a 10-cell bar with the thresholds
marked, the value, the change this round and a sparkline of the history.
Line two (only on tall terminals, see wargame.tcss) names the track in full
with its level label and its thresholds in words.
"""

from __future__ import annotations

from typing import Optional

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ...model import MONITORING, GameState
from ...text import signed, sparkline
from .. import present

CELLS = 10


class ValueBar(Widget):
    """One track or meter, drawn from the state bound to it, laid out for the width it has."""

    good_high = True  # does a higher value read as good news?
    state: reactive[Optional[GameState]] = reactive(None, always_update=True)

    def __init__(self, key: str, full_name: str, description: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self.description = description
        self.key = key
        self.full_name = full_name
        self.label = present.short_label(full_name)
        self.tooltip = full_name

    def fill_style(self, state: GameState, value: int) -> str:
        return "$primary"

    def render(self) -> Content:
        if self.state is None:
            return Content("")
        return self.render_state(self.state)

    def render_state(self, state: GameState) -> Content:
        key = self.key
        value = state.value(key)
        top = present.top_of(key)
        scale = CELLS // top
        marks = {m * scale - 1 for m in present.marks(state, key) if 0 < m <= top}
        fill = self.fill_style(state, value)
        parts: list[tuple[str, str] | str] = [(f"{self.label:<12.12} ", "bold")]
        for i in range(CELLS):
            if i < value * scale:
                parts.append(("█", f"{fill}" + (" underline" if i in marks else "")))
            elif i in marks:
                parts.append(("┊", "bold $warning"))
            else:
                parts.append(("░", "$foreground 25%"))
        parts.append((f" {value:>2}", "bold"))
        delta = present.change(state, key)
        if delta:
            good = (delta > 0) == self.good_high
            parts.append((f" {signed(delta)}", "bold $text-success" if good else "bold $text-error"))
        else:
            parts.append(("   ", ""))
        parts.append((" " + sparkline(present.series(state, key), top, width=8), "$secondary"))
        detail = [x for x in (present.level(state, key), present.thresholds(state, key)) if x] or [self.description]
        parts.append(("\n  " + " · ".join(detail), "$text-muted"))
        return Content.assemble(*parts)


class TrackBar(ValueBar):
    """A negotiation track: filled green once it reaches the framework threshold."""

    def fill_style(self, state: GameState, value: int) -> str:
        return "$success" if value >= state.scenario.rules.framework_threshold else "$primary"


class MeterBar(ValueBar):
    """A shared meter (tension, sovereignty, trust) or monitoring, coloured by danger."""

    def __init__(self, key: str, full_name: str, description: str = "", **kwargs) -> None:
        super().__init__(key, full_name, description, **kwargs)
        self.good_high = key != "tension"

    def fill_style(self, state: GameState, value: int) -> str:
        if self.key == "tension":
            return "$error" if value >= 8 else "$warning" if value >= 6 else "$primary"
        if self.key == "sovereignty":
            lines = present.marks(state, self.key)
            return "$error" if lines and value < max(lines) else "$success"
        if self.key == MONITORING:
            return "$secondary"
        return "$accent"
