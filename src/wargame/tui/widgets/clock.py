"""The round clock: a countdown for the negotiation phase that the facilitator sets.

A workshop keeps to time: the facilitator gives each round's negotiation a
number of minutes (0 = no clock). The clock counts down on the board, starts
again when a new round begins, stops while the bots are paused, and rings
when the time is up. It only tells the room: it never makes a move, so
running out of time changes nothing in the game.

The clock also watches for the start of a round, so a facilitated game is
told when injects of the master scenario events list (MSEL) are due.

Testable without waiting: `time_source` (monotonic seconds) may be replaced,
and `tick()` reads it; the interval timer only calls `tick()`.
"""

from __future__ import annotations

import time
from typing import Callable, Optional

from textual.content import Content
from textual.widgets import Static

from ...engine.rounds import due_injects
from ...model import GameState


def due_notice(state: GameState) -> Optional[str]:
    """“2 injects due — press f”, or None when the MSEL has nothing due this round."""
    n = len(due_injects(state))
    if not n:
        return None
    return f"{n} inject{'s' if n != 1 else ''} due — press f"


def mm_ss(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))  # 59.2 s left shows as 01:00 → 00:59 only once a second has gone
    return f"{whole // 60:02d}:{whole % 60:02d}"


class RoundClock(Static):
    """The countdown of the negotiation phase; shown in facilitated games or once set."""

    time_source: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(self, minutes: int = 0, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.minutes = max(0, int(minutes))  # per negotiation phase; 0 = off
        self.remaining = float(self.minutes * 60)  # seconds left this round
        self.expired = False
        self._round: Optional[int] = None
        self._facilitated = False
        self._over = False
        self._last = self.time_source()

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        self._draw()

    # --- what the facilitator and the board tell it --------------------------------

    def set_minutes(self, minutes: int) -> None:
        """Minutes per negotiation phase (0 = off); starts the countdown afresh."""
        self.minutes = max(0, int(minutes))
        self.restart()

    def restart(self) -> None:
        self.remaining = float(self.minutes * 60)
        self.expired = False
        self._last = self.time_source()
        self._draw()

    def set_time_source(self, source: Callable[[], float]) -> None:
        """Tests (and anything else) may drive the clock with their own seconds."""
        self.time_source = source
        self._last = source()

    def show(self, state: GameState) -> None:
        """Called with every board redraw: a new round restarts the clock and tells of due injects."""
        self._facilitated = state.setup.facilitated
        self._over = state.over
        if state.round != self._round:
            self._round = state.round
            self.restart()
            if state.setup.facilitated and not state.over:
                notice = due_notice(state)
                if notice:
                    self.app.notify(notice, title=f"Round {state.round}", timeout=6, markup=False)
        self._draw()

    # --- counting down ---------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return bool(getattr(self.app, "paused", False))

    @property
    def running(self) -> bool:
        return self.minutes > 0 and not self.expired and not self._over and not self.paused

    def tick(self) -> None:
        """Take off the time gone since the last tick, unless paused; ring once at zero. Never acts."""
        now = self.time_source()
        elapsed, self._last = max(0.0, now - self._last), now
        if not self.running:
            self._draw()
            return
        self.remaining = max(0.0, self.remaining - elapsed)
        if self.remaining <= 0:
            self.expired = True
            self.app.bell()
            self.app.notify(
                f"Time is up for the negotiation of round {self._round}. The facilitator decides what happens next.",
                title="Round clock", severity="warning", timeout=8, markup=False,
            )
        self._draw()

    def text(self) -> str:
        if self.minutes <= 0:
            return "clock off"
        if self.expired:
            return "time is up"
        return ("paused " if self.paused else "") + mm_ss(self.remaining)

    def _draw(self) -> None:
        """Redraw only on a change: the interval ticks every second, even with the clock off."""
        look = (self._facilitated or self.minutes > 0, self.expired, self.minutes > 0 and self.remaining <= 60, self.text())
        if look == getattr(self, "_look", None):
            return
        self._look = look
        self.display = look[0]
        self.set_class(self.expired, "-expired")
        self.set_class(look[2] and not self.expired, "-low")
        self.update(Content.assemble(("Round clock\n", "$text-muted"), (look[3], "bold")))
