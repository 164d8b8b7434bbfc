"""The host's own screen for a facilitated served game: the public board and the facilitator console.

`wargame serve --facilitated` runs this in the host's terminal, beside the
server in the same event loop. The board shows no hand (it can be projected);
`f` opens the hot-seat app's own facilitator console, whose messages become the
server's moves (`GameServer.host_act`, `undo`, `set_clock`, `toggle_pause`) and
reach every seat. While the console is open the bots wait. `j` shows the join
codes again; ctrl+q stops the game (the caller saves it).
"""

from __future__ import annotations

import time
from typing import Optional

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..engine import waiting_for_facilitator
from . import messages
from .driver import BoardDriver
from .remote import clock_face, seat_hand
from .screens.board import BoardScreen
from .widgets.footer import KeysFooter


class CodesScreen(ModalScreen[None]):
    """The join lines of every team, as the host printed them (Esc or j closes)."""

    BINDINGS = [Binding("escape", "close", "Back"), Binding("j", "close", "Back", show=False)]

    def __init__(self, lines: list[str]) -> None:
        super().__init__(classes="brief")
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="brief-box") as box:
            box.border_title = "Join codes: give each team its own line"
            yield Static("\n".join(self.lines), id="brief-full", markup=False)
        yield KeysFooter(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)


class HostApp(BoardDriver, App[None]):
    CSS_PATH = "wargame.tcss"
    TITLE = "wargame serve"
    BINDINGS = [Binding("j", "codes", "Join codes")]

    def __init__(self, server, lines: list[str]) -> None:
        super().__init__()
        self.server = server
        self.lines = lines
        self.board: Optional[BoardScreen] = None
        self._asked: Optional[tuple[int, int]] = None

    @property
    def table(self):
        return self.server.table

    async def on_mount(self) -> None:
        board = self.new_board(self.table.state)
        self.state = self.table.state
        await self.push_screen(board)
        self.board = board
        self.server.on_change = self._sync
        self.server.say = lambda line: None  # the board's log is the live log here
        self._sync()
        self.set_interval(1.0, self._tick)
        self.push_screen(CodesScreen(self.lines))

    def _sync(self) -> None:
        if self.board is None:
            return
        table = self.table
        state = table.state
        self.state = state
        self.paused = table.flow.paused
        self.inject_hold = table.flow.inject_hold
        self.hand = seat_hand(state, None)
        self.clock = clock_face(table.clock_end, time.time())
        if waiting_for_facilitator(state) and self._asked != (state.round, len(state.actions)):
            self._asked = (state.round, len(state.actions))
            self.notify("The round's event waits for you: f, then the Events tab.", title=f"Round {state.round}",
                        timeout=8, markup=False)

    def _tick(self) -> None:
        self.clock = clock_face(self.table.clock_end, time.time())

    def action_codes(self) -> None:
        if not isinstance(self.screen, CodesScreen):
            self.push_screen(CodesScreen(self.lines))

    # --- the console ---------------------------------------------------------------------

    @on(messages.OpenConsole)
    def _console(self) -> None:
        from .screens.facilitator import FacilitatorScreen

        if isinstance(self.screen, FacilitatorScreen):
            return
        self.server.hold(True)
        console = FacilitatorScreen(self.table.state, self.table.clock_minutes).data_bind(
            BoardDriver.state, BoardDriver.paused, BoardDriver.clock)
        self.push_screen(console, lambda _: self._console_closed())

    def _console_closed(self) -> None:
        self.server.hold(False)
        self._sync()

    @on(messages.FacilitatorAction)
    def _facilitator_action(self, message: messages.FacilitatorAction) -> None:
        self._host_act(message.action)

    @work(group="host")
    async def _host_act(self, action) -> None:
        why = await self.server.host_act(action)
        if why is not None:
            self.notify(why, severity="warning", markup=False)

    @on(messages.UndoLast)
    def _undo(self, message: messages.UndoLast) -> None:
        self._undo_worker(message.reason)

    @work(group="host")
    async def _undo_worker(self, reason: str) -> None:
        why = await self.server.undo(reason)
        self.notify(why or "Undone: the last move.", severity="warning" if why else "information", markup=False)

    @on(messages.SetClock)
    def _set_clock(self, message: messages.SetClock) -> None:
        self._clock_worker(message.minutes)

    @work(group="host")
    async def _clock_worker(self, minutes: int) -> None:
        await self.server.set_clock(minutes)
        self.notify(f"Round clock: {minutes} minute(s) per round, sent to every team." if minutes else "Round clock off.",
                    markup=False)

    @on(messages.TogglePause)
    def _pause(self) -> None:
        paused = self.server.toggle_pause()
        self.notify("Bots paused." if paused else "Bots play on.", timeout=3)
        self._sync()

    @on(messages.PlayCard)
    @on(messages.Pass)
    @on(messages.DiscardCard)
    @on(messages.OpenDecision)
    @on(messages.ShowBrief)
    def _teams_only(self) -> None:
        self.notify("The teams play from their own screens; this is the facilitator's.", markup=False)

    @on(messages.ShowOutcome)
    def _outcome(self) -> None:
        state = self.table.state
        if state.over:
            self.notify(f"The game is over: {state.outcome}.", markup=False)
