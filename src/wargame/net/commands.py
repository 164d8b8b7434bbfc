"""`wargame serve` and `wargame join`: the command-line glue of multi-seat play.

Everything is checked before the host listens (options, scenario, save, port),
so bad input prints one line and exits 1. The host's terminal shows the address,
each seat's join code and a live log of the game; ctrl+c autosaves and prints
the `wargame serve --resume` line that carries on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Optional

from ..atomic import atomic_write
from ..errors import UserError
from . import DEFAULT_PORT

MAX_CLOCK = 240  # minutes in one round: more is a typo


def add_parsers(sub: Any, play_options) -> None:
    """`serve` (with the play options) and `join`, on the command line's subparsers."""
    s = sub.add_parser("serve", help="host one game; each human team joins from its own device")
    play_options(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only; "
                   "0.0.0.0 for the room's network)")
    s.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free one)")
    s.add_argument("--codes-file", metavar="FILE", help="also write the join codes as JSON {seat: code}; with --resume, "
                   "the codes in it are kept, so the teams reconnect with theirs")
    s.add_argument("--resume", metavar="SAVE", help="carry on from a save (the game's autosave after a crash)")
    s.add_argument("--clock", type=int, default=None, metavar="MINUTES", help="a round clock of MINUTES per round")
    s.add_argument("--web", action="store_true", help="also serve each seat's screen in a browser (textual-serve)")
    s.add_argument("--web-port", type=int, default=None, help="port of the browser seats (default: --port + 1)")
    s.add_argument("--saves-dir", help=argparse.SUPPRESS, default=argparse.SUPPRESS)

    j = sub.add_parser("join", help="join a hosted game as one team (or --observer)")
    j.add_argument("url", metavar="ws://HOST:PORT")
    j.add_argument("--code", default="", help="the team's join code, from the host")
    j.add_argument("--observer", action="store_true", help="the public view: no hands, no moves (a second projector)")
    j.add_argument("--probe", action="store_true", help="connect, print the seat's view in brief as JSON and exit")


def _port(value: int, what: str) -> int:
    if not 0 <= value <= 65535:
        raise UserError(f"{what} must be between 0 and 65535, got {value}")
    return value


def code_option(code: str) -> str:
    """`--code CODE` as a team types it; `--code=CODE` when a kept code begins with "-" (codes files of older versions)."""
    return f"--code={code}" if code.startswith("-") else f"--code {code}"


def read_codes(path: Path, seats: tuple[str, ...]) -> Optional[dict[str, str]]:
    """The codes a `--codes-file` holds, when it holds one for each of `seats`; None when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        codes = json.loads(text)
    except ValueError:
        raise UserError(f"{path}: not a codes file (expected JSON like {{\"usa\": \"CODE\"}})") from None
    if not (isinstance(codes, dict) and all(isinstance(v, str) and len(v) >= 8 for v in codes.values())):
        raise UserError(f"{path}: not a codes file (expected JSON like {{\"usa\": \"CODE\"}})")
    if sorted(codes) != sorted(seats):
        raise UserError(f"{path}: has codes for {', '.join(sorted(codes)) or 'no seat'}, but the game's human seats are "
                        f"{', '.join(sorted(seats))}")
    return codes


def write_codes(path: Path, codes: dict[str, str]) -> None:
    """The codes as JSON, written atomically and readable by this user only."""
    try:
        atomic_write(path, (json.dumps(codes, indent=2) + "\n").encode(), mode=0o600)
    except OSError as exc:
        raise UserError(f"{path}: cannot be written: {exc.strerror or exc}") from None


def prepare_table(args: argparse.Namespace, saves_dir: Path):
    from ..saves.place import ensure_writable_folder

    ensure_writable_folder(Path(saves_dir))
    game_id = None
    clock_minutes = 0
    if args.resume:
        from .. import saves

        loaded = saves.load_save(saves.resolve_save(args.resume, saves_dir))
        state, game_id, clock_minutes = loaded.state, loaded.game_id, loaded.clock_minutes
    else:
        from ..play_setup import prepare_play

        state = prepare_play(args)
    if args.clock is not None:
        if not 0 <= args.clock <= MAX_CLOCK:
            raise UserError(f"--clock must be 0 to {MAX_CLOCK} minutes, got {args.clock}")
        clock_minutes = args.clock
    if not state.setup.humans:
        raise UserError("a served game needs a human team: add --human ID[=TEAM] for each team that joins")
    if state.over:
        raise UserError("this game is over: there is nothing left to serve")
    from .table import Table

    return Table(state, saves_dir=Path(saves_dir), game_id=game_id, clock_minutes=clock_minutes)


def _say(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')}  {line}", flush=True)


def cmd_serve(args: argparse.Namespace, saves_dir: Path) -> int:
    import asyncio

    from ..play_setup import _speed
    from .server import GameServer, new_codes

    speed = _speed(args)
    port = _port(args.port, "--port")
    table = prepare_table(args, saves_dir)
    codes_file = Path(args.codes_file) if args.codes_file else None
    codes = None
    if codes_file is not None and args.resume:
        codes = read_codes(codes_file, table.humans)
    codes = codes or new_codes(table.humans)
    if codes_file is not None:
        write_codes(codes_file, codes)
    web_port = _port(args.web_port if args.web_port is not None else (port + 1 if port else 0), "--web-port")
    server = GameServer(table, codes, speed=speed, say=_say)
    table.prepare_saves()
    import gc

    gc.freeze()  # the scenario and start-up's objects stay: the collector need not walk them after each move
    keep = f" --codes-file {codes_file}" if codes_file is not None else ""
    return asyncio.run(_serve(server, args.host, port, args.web, web_port, keep))


async def _serve(server, host: str, port: int, web: bool, web_port: int, keep: str = "") -> int:
    table = server.table
    try:
        host, port = await server.start(host, port)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (choose another with --port)") from None
    url = f"ws://{host}:{port}"
    state = table.state
    lines = [f"Serving “{state.scenario.title}”, round {state.round} of {state.setup.rounds}, on {url}"]
    if host in ("127.0.0.1", "localhost", "::1"):
        lines.append("  (this computer only: --host 0.0.0.0 lets the room's laptops in)")
    for seat, code in server.codes.items():
        lines.append(f"  {state.scenario.delegation(seat).name:<20} wargame join {url} {code_option(code)}")
    lines.append(f"  {'observers':<20} wargame join {url} --observer")
    web_runner = None
    if web:
        from ..tui.web import start_web  # textual-serve: the browser seats run the Textual client

        web_runner, urls = await start_web(server, host, web_port, url)
        for who, link in urls.items():
            lines.append(f"  browser, {who:<11} {link}")
    print("\n".join(lines), flush=True)
    if state.setup.facilitated:  # the facilitator's console in the host's terminal
        from ..tui.host import HostApp

        await HostApp(server, lines).run_async()
    else:
        print("ctrl+c stops the game (it is saved as it goes, and once more then).", flush=True)
        await _until_stopped()
    if web_runner is not None:
        await web_runner.cleanup()
    await server.stop()
    if table.last_save is not None:
        print(f"\nSaved as {table.last_save}\nCarry on with: wargame serve --resume {table.last_save}{keep}")
    elif table.autosave_problem:
        print(f"\nThe game could not be saved: {table.autosave_problem}", file=sys.stderr)
        return 1
    return 0


async def _until_stopped() -> None:
    import asyncio
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    await stop.wait()


def cmd_join(args: argparse.Namespace) -> int:
    import asyncio

    from .client import Lost, check_url, probe

    url = check_url(args.url)
    if not args.observer and not args.code:
        raise UserError("join needs the team's --code (from the host), or --observer for the public view")
    try:
        summary = asyncio.run(probe(url, args.code, observer=args.observer))
    except Lost as exc:
        raise UserError(str(exc)) from None
    if args.probe:
        print(json.dumps(summary))
        return 0
    from ..tui.remote import run_remote

    return run_remote(url, args.code, observer=args.observer)
