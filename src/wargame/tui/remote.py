"""A team's own screen in a served game: `wargame join ws://HOST:PORT --code CODE` (or `--observer`).

The board is the hot-seat app's own `BoardScreen`, bound to this app's reactive
attributes; what it shows is the seat's view from the host (`wargame.net.view`):
its own hand and brief, the others' hand sizes only. Moves go up as the engine's
action classes, confirmed in the same decision screens, and are sent to the host,
which alone applies them. The round clock counts down to the end time the host
broadcasts. A dropped connection is reconnected with the code.
"""

from __future__ import annotations

import time
from typing import Optional

from textual import on, work
from textual.app import App
from textual.screen import Screen

from ..engine import current_actor
from ..model import Action, GameState, Pass, PlayCard, Discard
from ..net.client import JoinRefused, Lost, Remote
from ..net.protocol import Error, Refused, Resync, Update, Welcome
from ..roundclock import ClockFace, mm_ss
from ..turnflow import HandView
from . import messages
from .driver import BoardDriver
from .screens.board import BoardScreen


def seat_hand(state: GameState, seat: Optional[str]) -> HandView:
    """Whose hand the seat's board shows: its own, always (an observer: none)."""
    actor = current_actor(state)
    if state.over:
        return HandView(None, "over", None)
    if seat is None:  # the public view: no hand, only whom the game waits for
        return HandView(None, "waiting", actor)
    if actor != seat:
        return HandView(seat, "waiting", actor)
    return HandView(seat, "decision" if state.pending is not None else "turn", actor)


def clock_face(clock_end: Optional[float], now: float) -> ClockFace:
    if clock_end is None:
        return ClockFace()
    left = clock_end - now
    if left <= 0:
        return ClockFace(True, "time is up", False, True)
    return ClockFace(True, mm_ss(left), left <= 60, False)


class RemoteApp(BoardDriver, App[None]):
    CSS_PATH = "wargame.tcss"
    TITLE = "wargame"

    def __init__(self, url: str, code: str = "", *, observer: bool = False) -> None:
        super().__init__()
        self.remote = Remote(url, code, observer=observer)
        self.board: Optional[BoardScreen] = None
        self.clock_end: Optional[float] = None
        self.deciding = False

    @property
    def seat(self) -> Optional[str]:
        return self.remote.seat

    @property
    def version_seen(self) -> int:
        """The host's version of the game this screen shows."""
        return self.remote.version

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self._connection()

    @work(exclusive=True)
    async def _connection(self) -> None:
        try:
            async for message in self.remote.messages():
                await self._received(message)
        except (JoinRefused, Lost) as exc:
            self.exit(return_code=1, message=str(exc))
        finally:
            await self.remote.close()

    # --- state down --------------------------------------------------------------------------

    async def _received(self, message: object) -> None:
        if isinstance(message, (Welcome, Update, Resync)):
            await self._show(self.remote.state(), message.clock_end)
            if isinstance(message, Resync):
                self.notify(f"Not sent: {message.reason}. This is the game as it stands now.", markup=False)
            elif isinstance(message, Welcome) and self.board is not None:
                self.notify("Connected to the host.", timeout=3)
        elif isinstance(message, Refused):
            self.notify(message.reason, severity="warning", markup=False)
        elif isinstance(message, Error):
            self.notify(f"The host says: {message.message}", severity="error", markup=False)

    async def _show(self, state: GameState, clock_end: Optional[float]) -> None:
        seat = self.seat
        if seat is not None:
            team = state.setup.humans.get(seat) or state.scenario.delegation(seat).name
            self.sub_title = f"{team} · {self.remote.url}"
        else:
            self.sub_title = f"observer · {self.remote.url}"
        self.clock_end = clock_end
        if self.board is None:  # the first view: the board is mounted before anything is bound down to it
            board = self.new_board(state)
            self.state = state
            await self.push_screen(board)
            self.board = board
        self.state = state
        self.hand = seat_hand(state, seat)
        self.decision_waiting = seat is not None and current_actor(state) == seat and state.pending is not None
        self.clock = clock_face(clock_end, time.time())
        self.board.focus_hand()

    def _tick(self) -> None:
        if self.clock_end is not None:
            self.clock = clock_face(self.clock_end, time.time())

    # --- messages up: the board ---------------------------------------------------------------

    def _may_move(self) -> bool:
        if self.seat is None:
            self.notify("An observer only watches.", markup=False)
            return False
        if self.deciding:
            return False
        return True

    def _decide(self, screen: Screen) -> None:
        self.deciding = True
        self.push_screen(screen.data_bind(BoardDriver.clock), self._decided)

    def _decided(self, action: Optional[Action]) -> None:
        self.deciding = False
        if action is not None:
            self._send(action)
        if self.board is not None:
            self.board.focus_hand()

    @work(group="send")
    async def _send(self, action: Action) -> None:
        try:
            await self.remote.act(action)
        except Lost as exc:
            self.notify(f"Not sent: {exc}. Reconnecting…", severity="error", markup=False)

    def _turn(self, action: Action, screen_for, *args: object) -> None:
        state = self.state
        if state is None or not self._may_move():
            return
        if current_actor(state) != self.seat or state.pending is not None:
            self.notify("Not your turn now." if current_actor(state) != self.seat else
                        "First decide what waits for you: press d.", markup=False)
            return
        self._decide(screen_for(state, self.seat, *args))

    @on(messages.PlayCard)
    def _play(self, message: messages.PlayCard) -> None:
        from .screens import decisions

        self._turn(PlayCard(self.seat, message.card), decisions.play_card, message.card)

    @on(messages.Pass)
    def _pass(self) -> None:
        from .screens import decisions

        self._turn(Pass(self.seat), decisions.pass_turn)

    @on(messages.DiscardCard)
    def _discard(self, message: messages.DiscardCard) -> None:
        from .screens import decisions

        self._turn(Discard(self.seat, message.card), decisions.discard_card, message.card)

    @on(messages.OpenDecision)
    def _open_decision(self) -> None:
        from .screens import decisions

        if not self._may_move() or not self.decision_waiting or self.state is None:
            return
        screen = decisions.for_pending(self.state)
        if screen is not None:
            self._decide(screen)

    @on(messages.ShowBrief)
    def _brief(self) -> None:
        if self.seat is None or self.state is None:
            self.notify("An observer has no brief.", markup=False)
            return
        from .screens.brief import BriefScreen

        self.push_screen(BriefScreen(self.state, self.seat))

    @on(messages.TogglePause)
    @on(messages.OpenConsole)
    def _host_only(self) -> None:
        self.notify("Only the host can do that.", markup=False)

    @on(messages.ShowOutcome)
    def _outcome(self) -> None:
        if self.state is not None and self.state.over:
            self.notify(f"The game is over: {self.state.outcome}.", markup=False)


def run_remote(url: str, code: str = "", *, observer: bool = False) -> int:
    app = RemoteApp(url, code, observer=observer)
    app.run()
    return app.return_code or 0
