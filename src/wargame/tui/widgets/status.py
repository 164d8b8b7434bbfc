"""The status lines: round, phase, seed and whose turn; the ceasefire's state."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...engine import ceasefire
from ...model import GameState
from .. import present


class StatusBar(Static):
    """Round X of N and phase, the seed (so a game can be repeated), and who must act."""

    def show(self, state: GameState, note: str = "") -> None:
        head = Content.assemble(
            (present.round_line(state), "bold"),
            ("  ·  seed ", "$text-muted"),
            (str(state.setup.seed), "bold"),
            ("  ·  facilitated" if state.setup.facilitated else "", "$text-muted"),
        )
        line2 = present.turn_line(state) + (f"  ({note})" if note else "")
        self.update(Content.assemble(head, "\n", (line2, "$text-accent bold")))


class CeasefireStatus(Static):
    """Whether a ceasefire is in effect, the chance of a violation, the violations so far."""

    def show(self, state: GameState) -> None:
        classes = (ceasefire.in_effect(state), bool(state.violations))
        if classes != getattr(self, "_shown_flags", None):
            self._shown_flags = classes
            self.set_class(classes[0], "-in-effect")
            self.set_class(classes[1], "-violated")
        self.update(present.ceasefire_line(state))
