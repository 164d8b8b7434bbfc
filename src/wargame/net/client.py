"""Joining a host: one seat's connection, with reconnection by its code.

`Remote` keeps the seat's view and version as the host last sent them; `act`
sends a move based on that version. When the connection drops, `messages`
reconnects with the same code (the host may have restarted from its autosave)
and carries on with a fresh `Welcome`.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Optional

import aiohttp

from ..errors import UserError
from ..model import Action
from ..model import GameState
from .protocol import Act, BadMessage, Error, Hello, Ping, Resync, Update, Welcome, decode_server, encode
from .view import Reader

RETRY_EVERY = 0.5  # seconds between reconnection attempts
PATIENCE = 120.0  # seconds to keep trying before giving up (a host restarting after a crash)


class JoinRefused(UserError):
    """The host said no (a wrong code): not worth retrying."""


class Lost(UserError):
    """The host could not be reached, or stopped answering."""


def check_url(url: str) -> str:
    if not url.startswith(("ws://", "wss://")):
        raise UserError(f"expected a ws://HOST:PORT address, got {url[:80]!r}")
    return url


class Remote:
    def __init__(self, url: str, code: str = "", *, observer: bool = False) -> None:
        self.url = check_url(url)
        self.code = code
        self.observer = observer
        self.seat: Optional[str] = None
        self.version = -1
        self.view: Optional[dict[str, Any]] = None  # the whole view, put back together by `reader`
        self.reader = Reader()
        self.clock_end: Optional[float] = None
        self._session: Optional[aiohttp.ClientSession] = None
        self._ws: Optional[aiohttp.ClientWebSocketResponse] = None

    async def connect(self) -> Welcome:
        """Open the connection and say hello; raises `JoinRefused` or `Lost`."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        try:
            self._ws = await self._session.ws_connect(self.url, max_msg_size=0, heartbeat=None)
        except (aiohttp.ClientError, OSError) as exc:
            raise Lost(f"cannot reach {self.url}: {exc}") from None
        await self._ws.send_str(encode(Hello(self.code, self.observer)))
        message = await self._receive()
        if isinstance(message, Error):
            await self._ws.close()
            raise JoinRefused(f"{self.url} refused to join: {message.message}")
        if not isinstance(message, Welcome):
            raise Lost(f"{self.url} did not welcome us (got {type(message).__name__})")
        return message

    def _keep(self, message: Any) -> None:
        if isinstance(message, Welcome):
            self.reader = Reader()  # a new connection: the host sends the whole game again
            self.seat = message.seat
        if isinstance(message, (Welcome, Update, Resync)):
            self.version, self.view, self.clock_end = message.version, self.reader.whole(message.view), message.clock_end

    def state(self) -> GameState:
        """The game as this seat sees it, from the last view (only what is new is structured again)."""
        assert self.view is not None
        return self.reader.state(self.view)

    async def _receive(self) -> Any:
        assert self._ws is not None
        msg = await self._ws.receive()
        if msg.type != aiohttp.WSMsgType.TEXT:
            raise Lost(f"the connection to {self.url} closed")
        try:
            message = decode_server(msg.data)
            self._keep(message)
        except (BadMessage, ValueError, KeyError, TypeError) as exc:
            raise Lost(f"{self.url} sent something unreadable: {exc}") from None
        return message

    async def receive(self) -> Any:
        """The next message from the host (raises `Lost` when the connection ends)."""
        return await self._receive()

    async def send(self, message: Any) -> None:
        if self._ws is None or self._ws.closed:
            raise Lost("not connected")
        try:
            await self._ws.send_str(encode(message))
        except (ConnectionError, RuntimeError, aiohttp.ClientError) as exc:
            raise Lost(f"the connection to {self.url} closed: {exc}") from None

    async def act(self, action: Action) -> None:
        """Send a move based on the version last seen."""
        await self.send(Act(self.version, action))

    async def ping(self, n: int = 0) -> None:
        await self.send(Ping(n))

    async def messages(self, patience: float = PATIENCE) -> AsyncIterator[Any]:
        """Every message from the host, reconnecting with the code when the connection drops.

        Starts with the `Welcome`; after a reconnection, another `Welcome` with the game as it stands.
        Raises `JoinRefused` at once, `Lost` once the host stays away for `patience` seconds.
        """
        yield await self.connect()
        while True:
            try:
                yield await self._receive()
                continue
            except Lost:
                pass
            yield await self._reconnect(patience)

    async def _reconnect(self, patience: float) -> Welcome:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + patience
        while True:
            try:
                return await self.connect()
            except Lost:
                if loop.time() > give_up:
                    raise
                await asyncio.sleep(RETRY_EVERY)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
            self._session = None


def summary(view: dict[str, Any]) -> dict[str, Any]:
    """What `wargame join --probe` prints: the seat, the round, the size of the seat's hand."""
    seat = view.get("seat")
    return {"seat": seat, "round": view["state"]["round"], "hand": len(view["hand"]) if seat else 0}


async def probe(url: str, code: str = "", *, observer: bool = False) -> dict[str, Any]:
    remote = Remote(url, code, observer=observer)
    try:
        welcome = await remote.connect()
        return summary(welcome.view)
    finally:
        await remote.close()
