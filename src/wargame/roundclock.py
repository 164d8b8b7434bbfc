"""The round clock: a countdown for the negotiation phase that the facilitator sets.

A workshop keeps to time: the facilitator gives each round's negotiation a
number of minutes (0 = no clock). The clock starts again when a new round
begins, stops while the bots are paused, and rings once when the time is up.
It only tells the room: running out of time changes nothing in the game.

No Textual here, and no clock of its own: whoever drives it passes the
monotonic seconds `now`, so it is tested without waiting.
"""

from __future__ import annotations

from typing import Optional

import attrs

MAX_MINUTES = 180


def mm_ss(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))  # 59.2 s left shows as 01:00 → 00:59 only once a second has gone
    return f"{whole // 60:02d}:{whole % 60:02d}"


@attrs.frozen
class ClockFace:
    """What a clock widget shows: whether at all, the text, and whether time is low or up."""

    shown: bool = False
    text: str = "clock off"
    low: bool = False
    expired: bool = False


class Countdown:
    """Minutes per negotiation phase (0 = off), counted down between ticks unless paused."""

    def __init__(self, minutes: int, now: float) -> None:
        self.minutes = max(0, int(minutes))
        self.remaining = float(self.minutes * 60)
        self.expired = False
        self.round: Optional[int] = None
        self._last = now

    def set_minutes(self, minutes: int, now: float) -> None:
        """A new setting starts the countdown afresh."""
        self.minutes = max(0, int(minutes))
        self.restart(now)

    def restart(self, now: float) -> None:
        self.remaining = float(self.minutes * 60)
        self.expired = False
        self._last = now

    def new_round(self, round_no: int, now: float) -> bool:
        """Called whenever the game changes: a round it has not seen restarts it. Was it new?"""
        if round_no == self.round:
            return False
        self.round = round_no
        self.restart(now)
        return True

    def running(self, paused: bool, over: bool) -> bool:
        return self.minutes > 0 and not self.expired and not over and not paused

    def tick(self, now: float, *, paused: bool, over: bool) -> bool:
        """Take off the time gone since the last tick unless it is stopped; True the one time it runs out."""
        elapsed, self._last = max(0.0, now - self._last), now
        if not self.running(paused, over):
            return False
        self.remaining = max(0.0, self.remaining - elapsed)
        if self.remaining <= 0:
            self.expired = True
            return True
        return False

    def text(self, paused: bool) -> str:
        if self.minutes <= 0:
            return "clock off"
        if self.expired:
            return "time is up"
        return ("paused " if paused else "") + mm_ss(self.remaining)

    def face(self, *, paused: bool, facilitated: bool) -> ClockFace:
        """Shown in facilitated games or once set."""
        return ClockFace(
            shown=facilitated or self.minutes > 0,
            text=self.text(paused),
            low=self.minutes > 0 and self.remaining <= 60 and not self.expired,
            expired=self.expired,
        )
