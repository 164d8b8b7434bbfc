"""Command line: play, check, simulate, load, saves, report.

Bad input gets one clear line and exit status 1, never a traceback. Heavy
modules (Textual above all) are imported only by the command that needs them.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import os
import sys
from pathlib import Path
from typing import NoReturn, Optional, Sequence

from .errors import UserError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would exit 2
        # One line that says what is wrong and where the usage is: the full usage would bury it.
        print(f"{self.prog}: error: {message} (see: {self.prog} --help)", file=sys.stderr)
        raise SystemExit(1)


def _bot_pair(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected ID=PERSONALITY (like rus=hardliner or all=pragmatist), got {text!r}")
    d, p = text.split("=", 1)
    if not d or not p:
        raise argparse.ArgumentTypeError(f"expected ID=PERSONALITY, got {text!r}")
    return d.strip(), p.strip()


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected zero or more, got {text[:40]}")
    return value


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {text}")
    return value


MAX_GAMES = 1_000_000  # a day of one core's simulation; more is a typo


def _bounded(low: int, high: int, why: str = ""):
    def parse(text: str) -> int:
        value = _non_negative(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {low} to {high}{why}, got {text[:40]}")
        return value

    return parse


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _saves_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "saves_dir", None) or os.environ.get("WARGAME_SAVES") or "saves")


def _play_options(p: argparse.ArgumentParser) -> None:
    """The options of a new game, for `wargame play` and `wargame serve`."""
    p.add_argument("--scenario", help="scenario folder (default: the built-in one)")
    p.add_argument("--seed", type=_non_negative, help="random seed (default: a random one, shown on screen)")
    p.add_argument("--rounds", type=_positive, help="number of rounds")
    p.add_argument("--human", action="append", default=[], metavar="ID[=TEAM]", help="a delegation played by a human team")
    p.add_argument("--bot", action="append", default=[], type=_bot_pair, metavar="ID=PERSONALITY", help="a bot's personality")
    p.add_argument("--without", action="append", default=[], metavar="ID", help="leave an optional delegation out (China)")
    p.add_argument("--facilitated", action="store_true", help="the facilitator fires injects and each round's event (or swaps or holds it) by hand")
    p.add_argument("--speed", type=float, default=None, help="seconds between bot moves (default 0.6)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wargame", description="A tabletop exercise on the US–Russia talks over the war in Ukraine.")
    parser.add_argument("--saves-dir", help="folder for saves (default: ./saves, or $WARGAME_SAVES)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("play", help="start a game straight away")
    _play_options(p)
    p.add_argument("--saves-dir", help=argparse.SUPPRESS, default=argparse.SUPPRESS)

    from .net.commands import add_parsers

    add_parsers(sub, _play_options)

    c = sub.add_parser("check", help="validate a scenario folder or a save")
    c.add_argument("paths", nargs="*", metavar="PATH", help="scenario folder or save file (default: the built-in scenario)")
    c.add_argument("--json", action="store_true", help="print one JSON object per path")
    c.add_argument("--article", metavar="FILE",
                   help="also report every card of a scenario folder whose source this article does not contain")

    s = sub.add_parser("simulate", help="bot-only games, headless")
    s.add_argument("--games", type=_bounded(1, MAX_GAMES), default=100)
    s.add_argument("--seed", type=_non_negative, default=1)
    s.add_argument("--rounds", type=_positive)
    s.add_argument("--scenario")
    s.add_argument("--bot", action="append", default=[], type=_bot_pair, metavar="ID=PERSONALITY")
    s.add_argument("--without", action="append", default=[], metavar="ID")
    s.add_argument("--jobs", type=_bounded(1, _cores(), " (the cores of this computer)"), default=1)
    s.add_argument("--save-dir", help="write every finished game as a save here")
    s.add_argument("--json", action="store_true")
    s.add_argument("--study", action="store_true", help="the decision-value study: naive policies against the default bot, paired by seed")
    s.add_argument("--policies", help="with --study: a comma-separated subset of pass,accept,random,greedy,expert (default: all but expert, which is slow)")
    s.add_argument("--delegations", help="with --study: a comma-separated subset of the delegations, like usa,rus")

    ld = sub.add_parser("load", help="resume a saved game in the app")
    ld.add_argument("save", help="a save file, or its name in the saves folder")
    ld.add_argument("--speed", type=float, default=None)
    ld.add_argument("--saves-dir", help=argparse.SUPPRESS, default=argparse.SUPPRESS)

    sv = sub.add_parser("saves", help="list saved games, newest first")
    sv.add_argument("--saves-dir", help=argparse.SUPPRESS, default=argparse.SUPPRESS)

    r = sub.add_parser("report", help="write the after-action report of a save")
    r.add_argument("save")
    r.add_argument("--output", "-o", help="file to write (default: print)")
    r.add_argument("--format", default="md", help="md (Markdown, the default) or html (one self-contained page with charts)")
    r.add_argument("--force", action="store_true", help="replace an existing report file")
    r.add_argument("--saves-dir", help=argparse.SUPPRESS, default=argparse.SUPPRESS)
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    from .scenario import ScenarioError, builtin_path, load_scenario

    paths = args.paths or [str(builtin_path())]
    article = None
    if args.article is not None:
        from .article import read_article, unquoted_cards

        article = read_article(args.article)
    ok_all = True
    for path in paths:
        p = Path(path)
        try:
            is_file = p.is_file()
        except OSError as exc:  # a name too long, a folder we may not enter
            raise UserError(f"{path}: cannot be read: {exc.strerror or exc}") from None
        if is_file:
            from .saves import check_save

            result = check_save(p)
        else:
            result = {"ok": True, "scenario": str(p), "errors": [], "counts": {}}
            try:
                sc = load_scenario(p)
                result["counts"] = {
                    "delegations": len(sc.delegations),
                    "tracks": len(sc.tracks),
                    "event_cards": len(sc.events),
                    "concession_cards": len(sc.concessions),
                    "injects": len(sc.injects),
                }
                if article is not None:
                    result["errors"] = unquoted_cards(sc, article)
                    result["ok"] = not result["errors"]
            except ScenarioError as exc:
                result.update(ok=False, errors=exc.errors)
        ok_all &= result["ok"]
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        elif result["ok"]:
            counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.get("counts", {}).items())
            print(f"ok: {result.get('scenario') or result.get('save')}" + (f" ({counts})" if counts else ""))
            if "vouch" in result:
                print(f"  {result['vouch']}")
        else:
            print(f"{result.get('scenario') or result.get('save')}: {len(result['errors'])} problem(s)", file=sys.stderr)
            for line in result["errors"]:
                print(f"  {line}", file=sys.stderr)
    return 0 if ok_all else 1


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "check":
        return cmd_check(args)
    if command == "simulate":
        from .simulate import cmd_simulate

        return cmd_simulate(args)
    if command == "join":
        from .net.commands import cmd_join

        return cmd_join(args)
    if command == "serve":
        from .net.commands import cmd_serve

        return cmd_serve(args, _saves_dir(args))
    if command in (None, "play", "load", "saves"):
        from .saves import clean_saves_folder

        clean_saves_folder(_saves_dir(args))
    if command in (None, "play", "load"):
        from .tui.launch import cmd_play

        return cmd_play(args, _saves_dir(args))
    if command == "saves":
        from .saves import cmd_saves

        return cmd_saves(_saves_dir(args))
    if command == "report":
        from .report import cmd_report

        return cmd_report(args, _saves_dir(args))
    raise UserError(f"unknown command {command!r}")


_quick_exit = False


def _exit_quickly() -> None:
    """At exit, spare the interpreter's final garbage collections over every object left.

    `gc.freeze()` moves the survivors out of the collector's reach, so shutdown
    skips walking the ~100k objects of Textual, the decks and the game (about
    80 ms of the game's quit, measured with bench/bench_startup.py); memory goes
    back to the system with the process either way. Other exit handlers still run.
    """
    global _quick_exit
    if not _quick_exit:
        _quick_exit = True
        atexit.register(gc.freeze)


def main(argv: Optional[Sequence[str]] = None) -> int:
    _exit_quickly()
    parser = build_parser()
    args = parser.parse_args(argv)
    from .engine.errors import SetupError
    from .scenario import ScenarioError

    try:
        return _dispatch(args)
    except (UserError, SetupError) as exc:
        print(f"wargame: {exc}", file=sys.stderr)
        return 1
    except ScenarioError as exc:
        print(f"wargame: the scenario in {exc.path} has {len(exc.errors)} problem(s):", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        return 1
    except RecursionError:
        print("wargame: the input is nested far too deeply to be a deck or a save", file=sys.stderr)
        return 1
    except OSError as exc:  # the last net: a path the checks above did not foresee
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"wargame: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
