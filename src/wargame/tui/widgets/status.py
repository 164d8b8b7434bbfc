"""The status lines: round, phase, seed and whose turn; the ceasefire's state."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...engine import ceasefire
from ...model import GameState
from .. import present


NOTICE_STYLES = {"information": "bold $text-primary", "warning": "bold $text-warning", "error": "bold $text-error"}


class StatusBar(Static):
    """Round X of N and phase, the seed (so a game can be repeated), and who must act.

    While a notice is live it takes the first line: the board has no toasts, which would cover the log.
    """

    def show(self, state: GameState, note: str = "", notice=None) -> None:
        if notice is not None:
            head = Content.assemble(
                ((notice.title + ": ") if notice.title else "", "bold"),
                (notice.text, NOTICE_STYLES.get(notice.severity, "bold")),
            )
            self.update(Content.assemble(head, "\n", self._turn(state, note)))
            return
        head = Content.assemble(
            (present.round_line(state), "bold"),
            ("  ·  seed ", "$text-muted"),
            (str(state.setup.seed), "bold"),
            ("  ·  facilitated" if state.setup.facilitated else "", "$text-muted"),
        )
        self.update(Content.assemble(head, "\n", self._turn(state, note)))

    @staticmethod
    def _turn(state: GameState, note: str) -> Content:
        """Who must act, and why the bots wait if they do: the note first, so a narrow line keeps it."""
        turn = Content.styled(present.turn_line(state), "$text-accent bold")
        return Content.assemble((f"({note}) ", "bold $text-warning"), turn) if note else turn


class CeasefireStatus(Static):
    """Whether a ceasefire is in effect, the chance of a violation, the violations so far."""

    def show(self, state: GameState) -> None:
        classes = (ceasefire.in_effect(state), bool(state.violations))
        if classes != getattr(self, "_shown_flags", None):
            self._shown_flags = classes
            self.set_class(classes[0], "-in-effect")
            self.set_class(classes[1], "-violated")
        self.update(present.ceasefire_line(state))
