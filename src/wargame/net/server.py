"""The host: an aiohttp WebSocket server around one `Table`.

A seat's first message is `Hello` with its join code (made with `secrets`,
compared in constant time) or `observer`. From then on each connection gets
`Update`s with its own view (see `view`): the part every seat shares is made
once per version, and each connection gets only what it lacks (the new log
entries, and the scenario when a card was shown or an inject told). Whatever a client sends that cannot
be read gets an `Error`; a client that dies is dropped, the game goes on; a
seat reconnects with its code and gets the game as it stands.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Callable, Optional, Union

from aiohttp import WSMsgType, web

from ..model import PRIVATE_KINDS
from ..narrate import sentence
from . import DEFAULT_PORT
from .protocol import (
    MAX_FRAME, Act, BadMessage, Error, Hello, Ping, Pong, Refused, Resync, Update, Welcome, decode_client, encode, encode_view,
)
from .table import Moved, Stale, Table
from .view import Sent, Shared, seat_view_json, shared_part

HELLO_TIMEOUT = 10.0  # seconds a connection may wait before saying who it is
SAVE_QUIET = 0.2  # seconds without a move before the autosave
SAVE_LATEST = 2.0  # seconds an unsaved move may wait at most, however fast the moves come


CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread, no "-" for the shell to take as an option
CODE_LENGTH = 13  # 31**13 is about 2**64


def new_codes(seats: tuple[str, ...]) -> dict[str, str]:
    """One unguessable join code per human seat (about 64 random bits each).

    Teams read the code off the facilitator's screen and type it, so it has no
    look-alike characters, and it never begins with "-", which `wargame join
    --code` would take for another option."""
    return {seat: "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for seat in seats}


class GameServer:
    def __init__(self, table: Table, codes: dict[str, str], *, speed: float = 0.0,
                 say: Callable[[str], None] = lambda line: None) -> None:
        self.table = table
        self.codes = dict(codes)
        self.speed = speed
        self.say = say
        self.sockets: dict[web.WebSocketResponse, Optional[str]] = {}
        self._sent: dict[web.WebSocketResponse, Sent] = {}  # what each connection holds of the game
        self._shared: Optional[tuple[int, Shared]] = None
        self._wake = asyncio.Event()
        self._last_move = 0.0
        self._unsaved_since: Optional[float] = None
        self.on_change: Callable[[], None] = lambda: None  # the host's console redraws
        self.holding = False  # the facilitator's console is open: the bots wait
        self._tasks: set[asyncio.Task] = set()
        self._runner: Optional[web.AppRunner] = None
        self.address: Optional[tuple[str, int]] = None

    # --- starting and stopping -----------------------------------------------------------------

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self.handle)
        app.router.add_get("/ws", self.handle)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> tuple[str, int]:
        """Listen on `host`:`port` (0: any free port); returns the address bound."""
        self._runner = web.AppRunner(self.web_app(), handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sock = site._server.sockets[0]  # the port the system gave when asked for 0
        self.address = sock.getsockname()[:2]
        self._spawn(self._bots())
        self._wake.set()
        return self.address

    async def stop(self, save: bool = True) -> None:
        """Close every connection and stop listening; `save`: autosave the game as it stands (not after a crash)."""
        for task in list(self._tasks):
            task.cancel()
        for ws in list(self.sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if save:
            self.table.want_autosave()  # whatever happened last, the game is kept
            await asyncio.to_thread(self.table.autosave_now)

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- views ----------------------------------------------------------------------------------

    def _shared_now(self) -> Shared:
        """The part of every view that is the same for all, made once per version."""
        version = self.table.version
        if self._shared is None or self._shared[0] != version:
            self._shared = (version, shared_part(self.table.state))
        return self._shared[1]

    def frame(self, message: Union[Welcome, Update, Resync], seat: Optional[str],
              ws: Optional[web.WebSocketResponse] = None) -> str:
        """`message` for `seat`, its view filled in. An `Update` to `ws` carries only what that
        connection lacks (the new log entries; the scenario when it changed); a `Welcome` or a
        `Resync` carries the whole game and starts the connection's record afresh."""
        sent = Sent()
        if ws is not None:
            if isinstance(message, Update):
                sent = self._sent.setdefault(ws, Sent())
            else:
                self._sent[ws] = sent
        return encode_view(message, seat_view_json(self.table.state, seat, self._shared_now(), sent))

    async def _send(self, ws: web.WebSocketResponse, text: str) -> None:
        try:
            await ws.send_str(text)
        except (ConnectionError, RuntimeError):  # the client went away: it is dropped when its handler ends
            pass

    async def broadcast(self, moved: Optional[Moved] = None) -> None:
        """Every connection's new frame; `moved`: the move behind it, whose log lines are the news."""
        state = self.table.state
        entries = moved.applied.entries if moved is not None else ()
        news = tuple(sentence(state.scenario, e) for e in entries if e.kind not in PRIVATE_KINDS)
        for line in news:
            self.say(line)
        update = Update(self.table.version, {}, news, self.table.clock_end)
        await asyncio.gather(*(self._send(ws, self.frame(update, seat, ws)) for ws, seat in list(self.sockets.items())))
        self.on_change()

    def _after_move(self, moved: Optional[Moved] = None) -> None:
        loop = asyncio.get_running_loop()
        self._last_move = loop.time()
        if self._unsaved_since is None:
            self._unsaved_since = self._last_move
            self._spawn(self._save_soon())
        self._wake.set()

    async def _save_soon(self) -> None:
        """Autosave once the moves pause for `SAVE_QUIET` s (or `SAVE_LATEST` s after the first unsaved one).

        A save (write, then check the older autosaves before rotating them) takes tens of
        milliseconds: moves that come faster than that are saved together, not one by one."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(SAVE_QUIET)
            now = loop.time()
            if now - self._last_move >= SAVE_QUIET or now - self._unsaved_since >= SAVE_LATEST:
                break
        self._unsaved_since = None
        await asyncio.to_thread(self.table.autosave_now)
        if self.table.autosave_problem:
            self.say(f"autosave failed: {self.table.autosave_problem}")

    # --- bots ------------------------------------------------------------------------------------

    async def _bots(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while not self.holding and self.table.bot_due():
                if self.speed:
                    await asyncio.sleep(self.speed)
                    if self.holding or not self.table.bot_due():
                        break
                result = self.table.bot_move()
                if not isinstance(result, Moved):
                    self.say(str(result))
                    break
                await self.broadcast(result)
                self._after_move(result)
                await asyncio.sleep(0)  # let the seats' messages in between bot moves

    # --- the facilitator, at the host ---------------------------------------------------------

    async def host_act(self, action) -> Optional[str]:
        """A facilitator's move from the host's console: None when applied and sent, else why not."""
        result = self.table.host_act(action)
        if not isinstance(result, Moved):
            return str(result)
        await self.broadcast(result)
        self._after_move(result)
        return None

    async def undo(self, reason: str) -> Optional[str]:
        result = self.table.undo(reason)
        if isinstance(result, str):
            return result
        self.say(f"the facilitator took back the last move ({reason or 'no reason given'})")
        await self.broadcast()
        self._after_move()
        return None

    async def set_clock(self, minutes: int) -> None:
        self.table.set_clock(minutes)
        await self.broadcast()

    def toggle_pause(self) -> bool:
        paused = self.table.flow.toggle_pause()
        self._wake.set()
        return paused

    def hold(self, holding: bool) -> None:
        """The console opens (the bots wait) or closes (the bots held for the injects play on once none is due)."""
        self.holding = holding
        if not holding:
            self.table.flow.console_closed()
            self._wake.set()

    # --- one connection ---------------------------------------------------------------------------

    def seat_of(self, code: str) -> Optional[str]:
        for seat, known in self.codes.items():
            if secrets.compare_digest(code.encode(), known.encode()):
                return seat
        return None

    async def _hello(self, ws: web.WebSocketResponse) -> tuple[bool, Optional[str]]:
        """Wait for the `Hello`: (joined, seat)."""
        try:
            msg = await ws.receive(timeout=HELLO_TIMEOUT)
        except asyncio.TimeoutError:
            await self._send(ws, encode(Error("no hello: say who you are first", fatal=True)))
            return False, None
        if msg.type != WSMsgType.TEXT:
            return False, None
        try:
            hello = decode_client(msg.data)
        except BadMessage as exc:
            await self._send(ws, encode(Error(str(exc), fatal=True)))
            return False, None
        if not isinstance(hello, Hello):
            await self._send(ws, encode(Error("say hello with your join code first", fatal=True)))
            return False, None
        if hello.observer:
            return True, None
        seat = self.seat_of(hello.code)
        if seat is None:
            await self._send(ws, encode(Error("this join code is not one of this game's: check it with the facilitator",
                                              fatal=True)))
            return False, None
        return True, seat

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=MAX_FRAME)
        await ws.prepare(request)
        joined, seat = await self._hello(ws)
        if not joined:
            await ws.close()
            return ws
        who = seat or "observer"
        self.sockets[ws] = seat
        self.say(f"{who} joined from {request.remote}")
        try:
            await self._send(ws, self.frame(Welcome(seat, self.table.version, {}, self.table.clock_end), seat, ws))
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._message(ws, seat, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    await self._send(ws, encode(Error("send JSON text, not binary frames")))
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            self.sockets.pop(ws, None)
            self._sent.pop(ws, None)
            self.say(f"{who} left")
        return ws

    async def _message(self, ws: web.WebSocketResponse, seat: Optional[str], text: str) -> None:
        try:
            message = decode_client(text)
        except BadMessage as exc:
            await self._send(ws, encode(Error(str(exc))))
            return
        if isinstance(message, Ping):
            await self._send(ws, encode(Pong(message.n)))
        elif isinstance(message, Hello):
            await self._send(ws, encode(Error("already joined")))
        elif isinstance(message, Act):
            result = self.table.submit(seat, message.version, message.action)
            if isinstance(result, Moved):
                await self.broadcast(result)
                self._after_move(result)
            elif isinstance(result, Stale):
                why = f"the game moved on (version {result.version}, not {result.based_on})"
                await self._send(ws, self.frame(Resync(self.table.version, {}, why, self.table.clock_end), seat, ws))
            else:
                await self._send(ws, encode(Refused(result, self.table.version)))
