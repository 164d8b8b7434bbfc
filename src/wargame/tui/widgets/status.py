"""The status lines: round, phase, seed and whose turn; the ceasefire's state.

Both draw what the board binds down to them (`data_bind`), in their watchers.
"""

from __future__ import annotations

from typing import Optional

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ...engine import ceasefire, current_actor
from ...model import GameState
from .. import present


NOTICE_STYLES = {"information": "bold $text-primary", "warning": "bold $text-warning", "error": "bold $text-error"}


def wait_note(state: GameState, paused: bool, inject_hold: bool) -> str:
    """Why the bots wait, if they do (nothing while a team or nobody acts)."""
    if not paused or current_actor(state) in state.setup.humans or state.over:
        return ""
    return "bots wait for the injects: f, or space" if inject_hold else "paused: space goes on"


class StatusBar(Static):
    """Round X of N and phase, the seed (so a game can be repeated), and who must act.

    While a notice is live it takes the first line: the board has no toasts, which would cover the log.
    """

    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)
    paused = reactive(False, init=False)
    inject_hold = reactive(False, init=False)
    notice = reactive(None, always_update=True, init=False)

    def watch_state(self) -> None:
        self._draw()

    def watch_paused(self) -> None:
        self._draw()

    def watch_inject_hold(self) -> None:
        self._draw()

    def watch_notice(self) -> None:
        self._draw()

    def _draw(self) -> None:
        state, notice = self.state, self.notice
        if state is None:
            return
        turn = self._turn(state, wait_note(state, self.paused, self.inject_hold))
        if notice is not None:
            head = Content.assemble(
                ((notice.title + ": ") if notice.title else "", "bold"),
                (notice.text, NOTICE_STYLES.get(notice.severity, "bold")),
            )
        else:
            head = Content.assemble(
                (present.round_line(state), "bold"),
                ("  ·  seed ", "$text-muted"),
                (str(state.setup.seed), "bold"),
                ("  ·  facilitated" if state.setup.facilitated else "", "$text-muted"),
            )
        self.update(Content.assemble(head, "\n", turn))

    @staticmethod
    def _turn(state: GameState, note: str) -> Content:
        """Who must act, and why the bots wait if they do: the note first, so a narrow line keeps it."""
        turn = Content.styled(present.turn_line(state), "$text-accent bold")
        return Content.assemble((f"({note}) ", "bold $text-warning"), turn) if note else turn


class CeasefireStatus(Static):
    """Whether a ceasefire is in effect, the chance of a violation, the violations so far."""

    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)

    def watch_state(self, state: Optional[GameState]) -> None:
        if state is None:
            return
        self.set_class(ceasefire.in_effect(state), "-in-effect")
        self.set_class(bool(state.violations), "-violated")
        self.update(present.ceasefire_line(state))
