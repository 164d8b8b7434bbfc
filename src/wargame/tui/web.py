"""Browser seats for `wargame serve --web`: textual-serve runs each seat's `wargame join` client in a browser.

One URL per seat carries its code (`/seat/<code>/`), and `/observer/` the public
view. A code that is not one of the game's gets a 404 and runs nothing.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
from typing import Any, Optional

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int


class SeatServer(Server):
    """textual-serve with a command per URL: each seat's client joins the game with its own code."""

    def __init__(self, game: Any, game_url: str, host: str, port: int) -> None:
        super().__init__("wargame join", host=host, port=port, title="wargame")
        self.game = game
        self.game_url = game_url

    def _command(self, code: Optional[str]) -> Optional[str]:
        base = [sys.executable, "-m", "wargame", "join", self.game_url]
        if code is None:
            return shlex.join([*base, "--observer"])
        if self.game.seat_of(code) is None:
            return None
        return shlex.join([*base, f"--code={code}"])

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/seat/{code}/", self.handle_index, name="seat"),
            web.get("/seat/{code}/ws", self.handle_websocket, name="seat-ws"),
            web.get("/observer/", self.handle_index, name="observer"),
            web.get("/observer/ws", self.handle_websocket, name="observer-ws"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        return app

    async def handle_index(self, request: web.Request) -> Any:
        code = request.match_info.get("code")
        if self._command(code) is None:
            raise web.HTTPNotFound(text="This seat's link is not one of this game's: ask the facilitator.")
        origin = f"{request.scheme}://{request.host}"
        ws_origin = ("wss" if request.scheme == "https" else "ws") + origin[origin.index(":"):]
        context = {
            "font_size": 16,
            "app_websocket_url": f"{ws_origin}{request.path.rstrip('/')}/ws",
            "config": {"static": {"url": f"{origin}/static/"}},
            "application": {"name": "wargame"},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        command = self._command(request.match_info.get("code"))
        if command is None:
            raise web.HTTPNotFound()
        # textual-serve's own handler, with this seat's command instead of the server's one.
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: Optional[AppService] = None
        try:
            await websocket.prepare(request)
            service = AppService(command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                 close=websocket.close, download_manager=self.download_manager, debug=self.debug)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            if service is not None:
                await service.stop()
        return websocket


async def start_web(game: Any, host: str, port: int, game_url: str) -> tuple[web.AppRunner, dict[str, str]]:
    """Start the browser seats beside the game's server; returns the runner and each seat's URL."""
    server = SeatServer(game, game_url, host, port)
    runner = web.AppRunner(await server._make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        from ..errors import UserError

        raise UserError(f"cannot serve the browser seats on {host}:{port}: {exc.strerror or exc} (--web-port)") from None
    bound = site._server.sockets[0].getsockname()[1]
    base = f"http://{host}:{bound}"
    urls = {seat: f"{base}/seat/{code}/" for seat, code in game.codes.items()}
    urls["observer"] = f"{base}/observer/"
    return runner, urls
