"""What an app bound to a `BoardScreen` holds for it: the hot-seat app, the host's and a seat's
client all draw the same board from the same reactive attributes."""

from __future__ import annotations

from typing import Optional

import attrs
from textual.reactive import reactive

from ..model import GameState
from ..roundclock import ClockFace
from ..turnflow import HandView
from .screens.board import BoardScreen


@attrs.frozen
class Notice:
    """The newest notice, for the board's status line (the board shows no toasts: they would cover the log)."""

    text: str
    title: str = ""
    severity: str = "information"


class BoardDriver:
    """What an app bound to a `BoardScreen` holds for it (the hot-seat app's own attributes, fed from the host)."""

    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)
    paused = reactive(False, init=False)
    inject_hold = reactive(False, init=False)
    hand: reactive[HandView] = reactive(HandView(None, "none", None), always_update=True, init=False)
    decision_waiting = reactive(False, init=False)
    clock: reactive[ClockFace] = reactive(ClockFace(), init=False)
    notice: reactive[Optional[Notice]] = reactive(None, always_update=True, init=False)

    def new_board(self, state: GameState) -> BoardScreen:
        cls = BoardDriver
        return BoardScreen(state).data_bind(cls.state, cls.paused, cls.inject_hold, cls.hand, cls.decision_waiting,
                                            cls.clock, cls.notice)
