"""The round clock on every screen while it runs: it draws the `ClockFace` it is given.

The countdown itself (wargame.roundclock) belongs to the app, which ticks it
every second and hands the face down; a screen that shows the clock mixes in
`ClockedScreen`, and the app binds its `clock` to the screen's.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ...roundclock import ClockFace


class ClockedScreen:
    """A screen that shows the round clock (top right): the app binds its `clock` down."""

    clock: reactive[ClockFace] = reactive(ClockFace(), init=False)

    def round_clock(self) -> "RoundClock":
        return RoundClock(id="round-clock").data_bind(ClockedScreen.clock)


class RoundClock(Static):
    """The countdown of the negotiation phase; shown in facilitated games or once set."""

    clock: reactive[ClockFace] = reactive(ClockFace())

    def watch_clock(self, face: ClockFace) -> None:
        self.display = face.shown
        self.set_class(face.expired, "-expired")
        self.set_class(face.low, "-low")
        self.update(Content.assemble(("Round clock\n", "$text-muted"), (face.text, "bold")))
