"""The Textual app: one game on one screen, for a room of teams and bots.

State flows down, messages flow up. The app owns the game's `TurnFlow`
(wargame.turnflow: whose turn, hand-offs, bot moves, inject holds, why a move
is refused) and mirrors what it decides into reactive attributes (`state`,
`paused`, `inject_hold`, `hand`, `decision_waiting`, `clock`, `notice`) that
the screens bind to and draw. Screens and widgets post messages
(wargame.tui.messages) that the app handles with `@on`; they never call the
app's own methods. The app keeps the timers: the bots' pace and the round clock.
"""

from __future__ import annotations

import gc
import os
import shlex
import secrets
import time
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Optional

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from ..engine.rounds import due_injects
from ..errors import UserError
from ..model import Action, Discard, GameState, InjectFired, LogEntry, Pass, PlayCard
from ..narrate import action_sentence, sentence
from ..roundclock import Countdown
from ..turnflow import (
    Applied, BotMove, Decide, FacilitatorDecides, GameOver, HandOff, HumanTurn, TurnFlow, ends_in_collapse,
)
from . import messages
from .driver import BoardDriver, Notice
from .notices import refuse
from .screens.board import BoardScreen
from .screens.handoff import HandOffScreen

# The other screens are imported where they open: a game starts sooner without them.

DEFAULT_SPEED = 0.6


def headline(scenario, entry: LogEntry) -> str:
    """An entry's sentence cut to what a toast has room for: up to the first full stop."""
    text = sentence(scenario, entry)
    first, dot, _ = text.partition(". ")
    return first + "." if dot else text


DARK, LIGHT = "textual-dark", "textual-light"


def resume_command(game_id: str, saves_dir: Path) -> str:
    """The command that resumes a game: `--saves-dir` only when the folder is not the one
    `wargame load` looks in by itself ($WARGAME_SAVES, else ./saves)."""
    default = Path(os.environ.get("WARGAME_SAVES") or "saves")
    if saves_dir.resolve() == default.resolve():
        return f"wargame load {game_id}"
    return f"wargame --saves-dir {shlex.quote(str(saves_dir))} load {game_id}"



class WargameApp(BoardDriver, App[int]):
    """One screen, several teams: hot-seat play with hand-offs, bots at a pace the room can follow."""

    CSS_PATH = "wargame.tcss"
    TITLE = "Wargame"
    SUB_TITLE = "The US–Russia talks on the war in Ukraine"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Dark/light", show=False),
        Binding("ctrl+s", "save_game", "Save"),
    ]

    # What the screens draw (BoardDriver's reactive attributes); `TurnFlow` decides it, `_sync` puts it here.

    time_source: Callable[[], float] = staticmethod(time.monotonic)  # the round clock's seconds

    def __init__(
        self,
        *,
        state: Optional[GameState] = None,
        speed: float = DEFAULT_SPEED,
        saves_dir: Optional[Path] = None,
        game_id: Optional[str] = None,
        setup_seed: Optional[int] = None,
        clock_minutes: int = 0,
        save_path: Optional[Path] = None,
        handle_signals: bool = False,
    ) -> None:
        """`state`: a game to go straight into (else the title screen). `speed`: seconds
        before each bot move (0 in tests). `saves_dir`: where autosaves go (None: none).
        `setup_seed`: the seed the setup screen offers (random when None). `save_path`:
        the save `state` was loaded from (the report is named after it). `handle_signals`:
        SIGTERM, SIGHUP and SIGINT save the game and quit (the command line; not in tests
        that run inside another program)."""
        super().__init__()
        self.flow: Optional[TurnFlow] = TurnFlow(state) if state is not None else None
        self.speed = speed
        self.saves_dir = saves_dir
        self.game_id = game_id
        self.save_path = save_path  # the save loaded or saved by name last: the report's name
        self.setup_seed = setup_seed
        self.countdown = Countdown(clock_minutes, self.time_source())
        self.resume_command: Optional[str] = None  # printed on quit: how to carry on
        self._bot_timer: Optional[Timer] = None
        self._notice_timer: Optional[Timer] = None
        self._game_no = 0  # stale bot timers of an earlier game do nothing
        self._board: Optional[BoardScreen] = None
        self.handle_signals = handle_signals
        self.autosave_problem: Optional[str] = None  # why the last autosave failed
        if state is not None:
            self.set_reactive(WargameApp.state, state)

    @property
    def board(self) -> Optional[BoardScreen]:
        """The board of the game in play, if any."""
        return self._board

    @property
    def clock_minutes(self) -> int:
        """The facilitator's round clock (0 = off), saved with the game."""
        return self.countdown.minutes

    # --- start ------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        # Straight into a game: the board is the first screen, no title screen that nobody sees (start-up time).
        if self.flow is not None:
            self._board = self._new_board()
            return self._board
        from .screens.title import TitleScreen

        return TitleScreen(saves=self.saves_dir is not None)

    def _new_board(self) -> BoardScreen:
        return self.new_board(self.flow.state)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> Optional[bool]:
        if action == "save_game":
            return self.screen is self._board and self.flow is not None  # the footer offers Save on the board only
        return True

    def on_mount(self) -> None:
        # What start-up built lives for the session: a full collection over it is a 30 ms hiccup on a key press.
        self.call_after_refresh(gc.freeze)
        self.set_interval(1.0, self.tick_clock)
        if self.handle_signals:
            self._catch_signals()
        if self.flow is not None:  # the board is up already (get_default_screen)
            self._game_no += 1
            self._sync()
            self._next()  # at once: a round that holds its bots for injects holds before any key

    def new_seed(self) -> int:
        """The seed the setup screen offers: a setup choice, shown so the game can be repeated."""
        return self.setup_seed if self.setup_seed is not None else secrets.randbelow(10**6)

    def start_game(self, state: GameState, game_id: Optional[str] = None, save_path: Optional[Path] = None) -> None:
        """Put a new game on a new board, above the title screen, and let it run.

        An app started straight into a game has that game's board at the bottom
        of the stack, where Textual cannot replace it: the new board covers it.
        """
        self._game_no += 1
        self._cancel_bot()
        self.flow = TurnFlow(state)
        self.game_id = game_id
        self.save_path = save_path
        self.countdown.round = None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._board = self._new_board()
        self.push_screen(self._board)
        self._sync()
        self._next()

    # --- state down ----------------------------------------------------------------

    def _sync(self) -> None:
        """Mirror the turn flow into the reactive attributes the screens draw."""
        flow = self.flow
        if flow is None:
            return
        state = flow.state
        if self.countdown.new_round(state.round, self.time_source()) and state.setup.facilitated and not state.over:
            n = len(due_injects(state))
            if n:
                self.notify(f"{n} inject{'s' if n != 1 else ''} due — press f", title=f"Round {state.round}",
                            timeout=6, markup=False)
        self.state = state
        self.paused = flow.paused
        self.inject_hold = flow.inject_hold
        self.hand = flow.hand_view()
        self.decision_waiting = flow.decision_waiting()
        self._show_clock()

    def _show_clock(self) -> None:
        flow = self.flow
        if flow is not None:
            self.clock = self.countdown.face(paused=flow.paused, facilitated=flow.state.setup.facilitated)

    def tick_clock(self) -> None:
        """Every second: the round clock counts down unless the bots are paused; it rings once and never acts."""
        flow = self.flow
        if flow is None:
            return
        if self.countdown.tick(self.time_source(), paused=flow.paused, over=flow.state.over):
            self.bell()
            self.notify(
                f"Time is up for the negotiation of round {self.countdown.round}. The facilitator decides what happens next.",
                title="Round clock", severity="warning", timeout=8, markup=False,
            )
        self._show_clock()

    def notify(self, message: str, *, title: str = "", severity="information", timeout: Optional[float] = None,
               markup: bool = True) -> None:
        """The words on the board's status line; a toast only over other screens.

        On the board a toast would cover the log or the hand that the room is reading.
        """
        if not isinstance(self.screen, BoardScreen):
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        self.notice = Notice(" ".join(str(message).split()), title, severity)
        if self._notice_timer is not None:
            self._notice_timer.stop()
        self._notice_timer = self.set_timer(timeout or self.NOTIFICATION_TIMEOUT, self._notice_expired)

    def _notice_expired(self) -> None:
        self._notice_timer = None
        self.notice = None

    def news(self, message: str, title: str, severity: str = "information", timeout: float = 5) -> None:
        """A notice with the game's text as is (no markup: a card title may hold brackets)."""
        self.notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def refuse(self, message: str) -> None:
        """A key at the wrong time: a bell and a word of why, nothing else."""
        refuse(self, message)

    # --- acting ----------------------------------------------------------------

    def act(self, action: Action) -> bool:
        """Send one action through the turn flow to the engine; on a refusal say why and change nothing."""
        if self.flow is None:
            return False
        result = self.flow.apply(action)
        if isinstance(result, str):
            self.refuse(result)
            return False
        self._applied(result)
        return True

    def act_or_ask(self, action: Action) -> None:
        """`act`, but a move that would end the game in collapse asks the one who makes it to confirm first."""
        if self.flow is None or self.flow.state.over or not ends_in_collapse(self.flow.state, action):
            self.act(action)
            return
        from .screens.confirm import ConfirmScreen

        question = (f"{action_sentence(self.flow.state.scenario, action)}.\n\nThis ends the game at once: tension reaches "
                    "the top and the talks collapse.\n\nGo ahead?")
        self.push_screen(ConfirmScreen(question), lambda yes: self.act(action) if yes else self._not_done())

    def _not_done(self) -> None:
        self.notify("Nothing done: the game goes on.", timeout=3)
        if self.screen is self._board:
            self._board.focus_hand()

    def _applied(self, result: Applied) -> None:
        self._news(result.entries, result.action)
        if result.autosave:
            self._autosave()
        self._sync()
        self._next()

    def _news(self, entries: Iterable[LogEntry], action: Action) -> None:
        """Notices for what the room must not miss; the log has the full text."""
        sc = self.flow.state.scenario
        for e in entries:
            kind = e.kind
            if kind == "violation":
                self.news(sentence(sc, e), "Ceasefire violation!", "error")
            elif kind == "collapse":
                self.news(sentence(sc, e), "The ceasefire collapses", "error")
            elif kind == "inject":
                # The notice's title already says "Inject": the text is the inject's own title.
                fired = isinstance(e.payload, InjectFired)
                self.news(sc.inject(e.payload.inject).title + "." if fired else headline(sc, e), "Inject")
            elif kind == "agreement":
                self.news(f"“{sc.concession(e.payload.card).title}”.", "Proposal accepted")
            elif kind == "answer" and not e.payload.accept:
                self.news(headline(sc, e), "Proposal rejected", "warning")
            elif kind == "counter":
                self.news(sentence(sc, e), "Counter-offer")
            elif kind == "counter_answer" and not e.payload.accept:
                self.news(sentence(sc, e), "Counter turned down", "warning")
            elif kind == "adjudication":
                self.news(sentence(sc, e), "Adjudication")

    # --- what comes next ---------------------------------------------------------

    def _board_active(self) -> bool:
        """The game's board is on the stack and nothing that holds the game (setup, title,
        the facilitator console: `HOLDS_GAME`) is above it."""
        board = self._board
        if board is None or self.flow is None or board not in self.screen_stack:
            return False
        above = self.screen_stack[self.screen_stack.index(board) + 1:]
        return not any(getattr(s, "HOLDS_GAME", False) for s in above)

    def _next(self) -> None:
        """Show what the game waits for: the outcome, a human's hand-off or decision, or a bot's move."""
        if not self._board_active():
            return
        flow = self.flow
        held = flow.inject_hold
        step = flow.next_step()
        if flow.inject_hold != held:
            self._sync()
        if isinstance(step, GameOver):
            if step.first:
                self._show_game_over()
        elif isinstance(step, HandOff):
            flow.prompt_opened()
            self._sync()
            screen = HandOffScreen(flow.state, step.delegation).data_bind(WargameApp.clock)
            self.push_screen(screen, lambda _: self._after_handoff(step.delegation))
        elif isinstance(step, Decide):
            self._open_decision()
        elif isinstance(step, HumanTurn):
            self._board.focus_hand()
        elif isinstance(step, BotMove):
            self._schedule_bot()
        elif isinstance(step, FacilitatorDecides):
            self.notify(f"Round {flow.state.round}'s event waits for the facilitator: fire, swap or hold it (f, tab 3).",
                        title="Round event", timeout=6, markup=False)
            if step.first:
                self.open_facilitator()

    def _after_handoff(self, delegation: str) -> None:
        self.flow.handed_over(delegation)
        self._sync()
        self._next()

    def _schedule_bot(self) -> None:
        if self._bot_timer is not None:
            return
        # Textual timers need a positive delay; speed 0 (tests) means "as soon as possible".
        self._bot_timer = self.set_timer(max(self.speed, 0.001), partial(self._bot_step, self._game_no))

    def _cancel_bot(self) -> None:
        if self._bot_timer is not None:
            self._bot_timer.stop()
            self._bot_timer = None

    def _bot_step(self, game_no: int) -> None:
        from .. import bots

        self._bot_timer = None
        if game_no != self._game_no or not self._board_active() or not isinstance(self.flow.next_step(), BotMove):
            return
        result = self.flow.bot_move(bots.choose)
        if isinstance(result, str):
            self.notify(result, severity="error", markup=False)
            self._sync()
            return
        self._applied(result)

    # --- messages up: the board -------------------------------------------------------

    def _human_request(self, action: Action) -> Optional[str]:
        """Why the team at the screen may not ask for `action` now (None: it may)."""
        if self.flow is None:
            return "No game is under way."
        return self.flow.check(action)

    def _turn_decision(self, action: Action, screen: Callable[..., Screen], *args: object) -> None:
        """The decision that asks the team at the screen to confirm a move of its turn (play, pass, discard).

        `action` is built for the seat first, so the turn flow says why it may not be asked for now.
        """
        why = self._human_request(action)
        if why is not None:
            self.refuse(why)
            return
        self._decide(screen(self.flow.state, action.delegation, *args))

    def _seat(self) -> Optional[str]:
        return self.flow.seat() if self.flow is not None else None

    @on(messages.PlayCard)
    def _play_card(self, message: messages.PlayCard) -> None:
        from .screens import decisions

        self._turn_decision(PlayCard(self._seat(), message.card), decisions.play_card, message.card)

    @on(messages.Pass)
    def _pass(self) -> None:
        from .screens import decisions

        self._turn_decision(Pass(self._seat()), decisions.pass_turn)

    @on(messages.DiscardCard)
    def _discard(self, message: messages.DiscardCard) -> None:
        from .screens import decisions

        self._turn_decision(Discard(self._seat(), message.card), decisions.discard_card, message.card)

    @on(messages.ShowBrief)
    def _show_brief(self) -> None:
        owner = self.flow.hand_view().owner if self.flow is not None else None
        if owner is None:
            self.refuse("No brief to show now: it is shown with your hand.")
            return
        from .screens.brief import BriefScreen

        self.push_screen(BriefScreen(self.flow.state, owner))

    @on(messages.OpenDecision)
    def _open_decision(self) -> None:
        """The decision screen for what waits on the acting human team (proposal, event, violation)."""
        flow = self.flow
        if flow is None or flow.prompt_open:
            return
        if not flow.decision_waiting():
            self.refuse("No decision is waiting for you now.")
            return
        from .screens import decisions

        screen = decisions.for_pending(flow.state)
        if screen is not None:
            self._decide(screen)

    def _decide(self, screen: Screen) -> None:
        self.flow.prompt_opened()
        self._sync()
        self.push_screen(screen.data_bind(WargameApp.clock), partial(self._decided, screen))

    def _decided(self, screen: Screen, action: Optional[Action]) -> None:
        self.flow.prompt_closed()
        if action is None:
            self._sync()
            if self._board is not None:
                self._board.focus_hand()
            return
        if getattr(screen, "confirmed", False):
            self.act(action)  # the decision asked about the collapse or the red line already
        else:
            self.act_or_ask(action)

    @on(messages.TogglePause)
    def _toggle_pause(self) -> None:
        if self.flow is None or self.flow.state.over:
            return
        paused = self.flow.toggle_pause()
        self.notify("Bots paused: space to go on." if paused else "Bots play on.", timeout=2)
        self._sync()
        if not paused:
            self._next()

    @on(messages.ShowOutcome)
    def _show_outcome(self) -> None:
        if self.flow is None or not self.flow.state.over:
            self.refuse("The game is not over yet.")
            return
        self._show_game_over()

    def _show_game_over(self) -> None:
        from .screens.game_over import GameOverScreen

        if not isinstance(self.screen, GameOverScreen):
            self.push_screen(GameOverScreen(self.flow.state).data_bind(WargameApp.state))

    # --- messages up: the facilitator ----------------------------------------------------

    @on(messages.OpenConsole)
    def open_facilitator(self) -> None:
        """The facilitator console (key f on the board, or the palette); the game waits while it is open."""
        from .screens.facilitator import FacilitatorScreen

        if self.flow is None or self._board is None:
            self.refuse("No game is under way.")
            return
        if isinstance(self.screen, FacilitatorScreen):
            return
        from .screens.decisions import DecisionScreen

        if isinstance(self.screen, (HandOffScreen, DecisionScreen)):
            # Closed, not answered: no hand is revealed, no decision taken; the flow
            # shows it again when the console closes, drawn from the state as it is then.
            self.pop_screen()
            self.flow.prompt_closed()
        console = FacilitatorScreen(self.flow.state, self.clock_minutes).data_bind(
            WargameApp.state, WargameApp.paused, WargameApp.clock)
        self.push_screen(console, lambda _: self._after_console())

    def _after_console(self) -> None:
        from .screens.game_over import GameOverScreen

        if self.flow is not None and self.flow.console_closed():
            self.notify("The round's injects are done: the bots play on.", timeout=3)
        if isinstance(self.screen, GameOverScreen) and self.flow is not None and not self.flow.state.over:
            self.pop_screen()  # an undo took the end back: the outcome shown would be stale
        self._sync()
        self._next()

    @on(messages.FacilitatorAction)
    def _facilitator_action(self, message: messages.FacilitatorAction) -> None:
        self.act_or_ask(message.action)

    @on(messages.UndoLast)
    def _undo_last(self, message: messages.UndoLast) -> None:
        from .screens.facilitator import describe_action

        if self.flow is None:
            return
        before = self.flow.state
        result = self.flow.undo(message.reason)
        if isinstance(result, str):
            self.refuse(result)
            return
        self._cancel_bot()
        if result.paused_bots:
            self.notify("Bots paused so the undone move is not simply made again: ctrl+b or space resumes.",
                        timeout=5, markup=False)
        self.notify(f"Undone: {describe_action(before, result.action)}", title="Facilitator", timeout=4, markup=False)
        self._sync()
        self._next()

    @on(messages.SetClock)
    def _set_clock(self, message: messages.SetClock) -> None:
        self.countdown.set_minutes(message.minutes, self.time_source())
        self.notify(f"Round clock: {message.minutes} minute(s) per negotiation phase." if message.minutes
                    else "Round clock off.", title="Facilitator", timeout=3)
        self._show_clock()

    # --- messages up: setup, reports, saves --------------------------------------------------

    @on(messages.NewGame)
    def action_new_game(self) -> None:
        from .screens.setup import SetupScreen

        if not isinstance(self.screen, SetupScreen):
            previous = self.flow.state.setup if self.flow is not None else None
            self.push_screen(SetupScreen(self.new_seed(), self.speed, previous))

    @on(messages.CancelSetup)
    def _cancel_setup(self) -> None:
        from .screens.setup import SetupScreen

        if isinstance(self.screen, SetupScreen):
            self.pop_screen()
            self.call_after_refresh(self._next)

    @on(messages.StartGame)
    def _start(self, message: messages.StartGame) -> None:
        self.speed = message.speed
        self.start_game(message.state)

    @on(messages.ShowReport)
    def show_report(self) -> None:
        if self.flow is None:
            self.refuse("No game to report on.")
            return
        from datetime import date

        from ..report import build_report
        from .screens.help import ReportScreen

        self.push_screen(ReportScreen(build_report(self.flow.state, created=date.today().isoformat())))

    @on(messages.WriteReport)
    def _write_report(self, message: messages.WriteReport) -> None:
        self.write_report(message.fmt)

    def write_report(self, fmt: str = "md") -> Optional[Path]:
        """w: the after-action report ("md" Markdown or "html") next to the game's save: the one loaded
        or saved by name, else the newest of this game (autosaved first if none)."""
        if self.flow is None:
            self.refuse("No game to report on.")
            return None
        if self.saves_dir is None:
            self.refuse("This session has no saves folder, so the report has nowhere to go.")
            return None
        from datetime import date

        from ..report import build_html_report, build_report, default_report_path, write_report

        named = self.save_path if self.save_path is not None and self.save_path.is_file() else None
        save = named or self.latest_save() or self._autosave()
        if save is None:
            return None  # _autosave said why
        try:
            build = build_html_report if fmt == "html" else build_report
            path = write_report(build(self.flow.state, created=date.today().isoformat()), default_report_path(save, fmt))
        except (OSError, UserError) as exc:
            self.notify(f"Report not written: {exc}", title="Report failed", severity="error", markup=False)
            return None
        self.notify(f"Report written to {path}", title="After-action report", timeout=5, markup=False)
        return path

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    def action_save_game(self) -> None:
        """ctrl+s on the board: ask for a name (team names and round offered), then save."""
        if self.flow is None or not self._board_active():
            self.refuse("No game to save now.")
            return
        if self.saves_dir is None:
            self.refuse("This session has no saves folder, so nothing can be saved.")
            return
        from .screens.saves import SaveNameScreen, default_save_name

        if isinstance(self.screen, SaveNameScreen):
            return
        self.push_screen(SaveNameScreen(default_save_name(self.flow.state), Path(self.saves_dir)), self._save_named)

    def _save_named(self, name: Optional[str]) -> None:
        if name is not None:
            self.save_as(name)
        if self._board is not None and self.screen is self._board:
            self._board.focus_hand()

    def save_as(self, name: str) -> Optional[Path]:
        """A manual save under `name`; says where it went, or why it could not be written."""
        from .. import saves

        if self.flow is None or self.saves_dir is None:
            return None
        try:
            if self.game_id is None:
                self.game_id = saves.new_game_id()
            path = saves.save_game(self.flow.state, Path(self.saves_dir), game_id=self.game_id, name=name,
                                   clock_minutes=self.clock_minutes)
        except (OSError, UserError) as exc:
            self.notify(f"Not saved: {exc}", title="Save failed", severity="error", markup=False)
            return None
        self.save_path = path
        self.notify(f"Saved to {path}", title="Game saved", timeout=4, markup=False)
        return path

    def action_load_game(self) -> None:
        """The title screen's Load game: the saves folder, newest first (headers only, so it opens fast)."""
        if self.saves_dir is None:
            self.refuse("This session has no saves folder, so there is nothing to load.")
            return
        from .screens.saves import LoadScreen

        if isinstance(self.screen, LoadScreen):
            return
        from .. import saves

        self.push_screen(LoadScreen(Path(self.saves_dir), saves.list_saves(Path(self.saves_dir))))

    @on(messages.LoadSave)
    def _load_save(self, message: messages.LoadSave) -> None:
        self.load_from(message.path)

    def load_from(self, path: Path) -> bool:
        """Replay and verify a save, then carry on exactly where it stood; a bad save is a notification."""
        from .. import saves

        try:
            loaded = saves.load_save(Path(path))
        except (OSError, UserError) as exc:
            self.notify(str(exc), title="Cannot load", severity="error", markup=False)
            return False
        if self.flow is not None and self.flow.under_way and self.game_id != loaded.game_id:
            self._autosave()  # the game under way is kept before another takes its place
        self.countdown.set_minutes(loaded.clock_minutes, self.time_source())
        self.start_game(loaded.state, loaded.game_id, Path(path))
        self.notify(f"Loaded {loaded.name or Path(path).stem}: round {loaded.state.round}.", title="Game loaded",
                    timeout=3, markup=False)
        return True

    def latest_save(self) -> Optional[Path]:
        """The newest readable save of this game in the saves folder, if any."""
        if self.saves_dir is None or self.game_id is None:
            return None
        from .. import saves

        for info in saves.list_saves(Path(self.saves_dir)):
            if not info.damaged and info.game_id == self.game_id:
                return info.path
        return None

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """Entries of the command palette."""
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("New game", "Set up a new game: teams, bots, rounds, seed", self.action_new_game),
            ("Help", "The rules and the keys", self.action_help),
            ("Toggle dark/light theme", "Switch between the dark and the light theme", self.action_toggle_theme),
        ]
        if self.flow is not None and self._board_active():
            commands.append(("Save game", "Save the game under a name (ctrl+s)", self.action_save_game))
            if self.flow.state.over:
                commands.append(("After-action report", "The report of this game, for the hotwash", self.show_report))
            else:
                commands.append(("Pause or resume the bots", "Stop the bots between moves, or let them play on",
                                 self._toggle_pause))
            commands.append(("Facilitator console", "Injects, events, adjudication, undo, the round clock, notes (f)",
                             self.open_facilitator))
        if self.saves_dir is not None:
            commands.append(("Load game", "Resume a saved game from the saves folder", self.action_load_game))
        commands.append(("Quit", "Save the game under way and quit", self.action_quit))
        return commands

    def get_system_commands(self, screen):
        """The palette (ctrl+p): ours first, then Textual's own less its Quit (ours saves first)."""
        for title, help_text, callback in self.palette_commands():
            yield SystemCommand(title, help_text, callback)
        ours = {title for title, _, _ in self.palette_commands()}
        for command in super().get_system_commands(screen):
            if command.title != "Quit" and command.title not in ours:
                yield command

    # --- leaving ---------------------------------------------------------------------

    def _autosave(self) -> Optional[Path]:
        """The one place the app saves by itself: when a round ends, before a load replaces the game, on quit."""
        if self.flow is None or self.saves_dir is None:
            return None
        from .. import saves

        try:
            if self.game_id is None:
                self.game_id = saves.new_game_id()
            path = saves.autosave(self.flow.state, Path(self.saves_dir), game_id=self.game_id,
                                  clock_minutes=self.clock_minutes)
        except (OSError, UserError) as exc:
            self.autosave_problem = str(exc)
            self.notify(f"Autosave failed: {exc}", severity="error", markup=False)
            return None
        self.autosave_problem = None
        return path

    async def action_quit(self) -> None:
        """ctrl+q: a game under way asks first, is saved, and says how to resume it."""
        from .screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen) or not self.is_running:
            return
        if self.flow is None or not self.flow.under_way:
            self._leave()
            return
        where = "It is saved first" if self.saves_dir is not None else "This session has no saves folder: it is lost"
        self.push_screen(ConfirmScreen(f"Quit the game under way?\n\n{where}.", holds_game=True), self._quit_answered)

    def _quit_answered(self, yes: Optional[bool]) -> None:
        if yes:
            self._leave()
        else:
            self._next()  # the game waited while the question was open

    def _catch_signals(self) -> None:
        """The window closing (SIGHUP), `kill` (SIGTERM) and SIGINT take the same way out as ctrl+q:
        the game is saved first, and the exit message says where."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, self._quit_on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no such signal here
                pass

    def _quit_on_signal(self, signum: int) -> None:
        import signal

        if self.is_running:
            self._leave(hung_up=signum == signal.SIGHUP)

    def _leave(self, *, hung_up: bool = False) -> None:
        """Save the game under way, then quit saying where it went. A save that fails keeps the app
        open with the reason and asks for another folder; a closed window (nobody left to ask) tries
        the temporary folder, and the exit message says what became of the game."""
        flow = self.flow
        if flow is None or not flow.state.actions:
            self.exit(0, return_code=0)
            return
        if self.saves_dir is None:
            self.exit(0, return_code=0, message="This session had no saves folder: the game was not saved.")
            return
        path = self._autosave()
        if path is not None:
            self._saved_and_gone(path)
        elif hung_up:
            self._save_elsewhere(self._temporary_folder(), gone=True)
        else:
            self._ask_for_folder()

    def _saved_and_gone(self, path: Path) -> None:
        in_saves = self.saves_dir is not None and path.parent == Path(self.saves_dir)
        self.resume_command = resume_command(self.game_id, self.saves_dir) if in_saves else f"wargame load {shlex.quote(str(path))}"
        self.exit(0, return_code=0, message=f"Game saved to {path}. To carry on: {self.resume_command}")

    @staticmethod
    def _temporary_folder() -> Path:
        import tempfile

        return Path(tempfile.gettempdir())

    def _ask_for_folder(self) -> None:
        """The autosave failed: say why and offer a save in a folder the room names (Esc: back to the game)."""
        from .screens.saves import SaveNameScreen

        if isinstance(self.screen, SaveNameScreen):
            return
        question = (f"The game could not be saved: {self.autosave_problem}\n"
                    "A folder to save it in before quitting (Esc: back to the game):")
        self.push_screen(SaveNameScreen(str(self._temporary_folder()), Path(self.saves_dir), question=question,
                                        title="Save elsewhere", blank="Give a folder.",
                                        hint="Enter saves there and quits · Esc goes back to the game"),
                         self._folder_given)

    def _folder_given(self, folder: Optional[str]) -> None:
        if folder is None:
            self.notify("Not quit: the game is not saved yet.", severity="warning", markup=False)
            self._next()
            return
        self._save_elsewhere(Path(folder).expanduser(), gone=False)

    def _save_elsewhere(self, folder: Path, *, gone: bool) -> None:
        from .. import saves
        from ..saves.place import ensure_writable_folder
        from .screens.saves import default_save_name

        try:
            ensure_writable_folder(folder)
            path = saves.save_game(self.flow.state, folder, game_id=self.game_id or saves.new_game_id(),
                                   name=f"{default_save_name(self.flow.state)} {self.game_id}",
                                   clock_minutes=self.clock_minutes)
        except (OSError, UserError) as exc:
            if gone:
                self.exit(1, return_code=1, message=f"The game could not be saved: {self.autosave_problem}; {exc}")
                return
            self.autosave_problem = str(exc)
            self.notify(f"Not saved: {exc}", title="Save failed", severity="error", markup=False)
            self.call_after_refresh(self._ask_for_folder)
            return
        self._saved_and_gone(path)
