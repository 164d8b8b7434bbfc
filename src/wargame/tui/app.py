"""The Textual app: the flow of one game on one screen, for a room of teams and bots.

The app holds the game state and decides what the screen shows next:
a hand-off before a human team decides, a decision screen, a bot's move after
a short delay, or the game-over screen. It never applies a rule itself: every
move of a team, a bot or (later) the facilitator goes through `act`, which
calls `wargame.engine.apply_action`.

Integration points for later work (one place each):
- `_autosave` — the one place the app saves by itself (at quit and when a round ends).
- `palette_commands` — command palette entries (Save, Load, Facilitator go here).
- `action_load_game` / `saves_available` — the title screen's Load game.
- `replace_state` — put a different state in play (undo, load) and carry on.
- `act` — facilitator actions go through it like everyone else's.
"""

from __future__ import annotations

import gc

import secrets
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Optional

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from ..engine import IllegalAction, apply_action, check, current_actor
from ..engine.rounds import due_injects
from ..errors import UserError
from ..model import Action, GameState, LogEntry, PlayCard
from ..narrate import sentence
from . import present
from .commands import WargameCommands
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


def bot_action(state: GameState, delegation: str) -> Action:
    """A bot's move, its one-line reason in `text`: `wargame.bots` decides, never the screen."""
    from .. import bots

    return bots.choose(state, delegation)


class WargameApp(App[int]):
    """One screen, several teams: hot-seat play with hand-offs, bots at a pace the room can follow."""

    CSS_PATH = "wargame.tcss"
    TITLE = "Wargame"
    SUB_TITLE = "The US–Russia talks on the war in Ukraine"
    COMMANDS = App.COMMANDS | {WargameCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Dark/light", show=False),
        Binding("ctrl+s", "save_game", "Save"),
    ]

    def __init__(
        self,
        *,
        state: Optional[GameState] = None,
        speed: float = DEFAULT_SPEED,
        saves_dir: Optional[Path] = None,
        game_id: Optional[str] = None,
        setup_seed: Optional[int] = None,
        clock_minutes: int = 0,
    ) -> None:
        """`state`: a game to go straight into (else the title screen). `speed`: seconds
        before each bot move (0 in tests). `saves_dir`: where autosaves go (None: none).
        `setup_seed`: the seed the setup screen offers (random when None)."""
        super().__init__()
        self.state: Optional[GameState] = state
        self.speed = speed
        self.saves_dir = saves_dir
        self.game_id = game_id
        self.setup_seed = setup_seed
        self.clock_minutes = clock_minutes  # the facilitator's round clock (0 = off), saved with the game
        self.paused = False
        self.revealed_for: Optional[str] = None  # the human delegation whose hand may be seen now
        self._prompt_open = False  # a hand-off or decision screen is up
        self._bot_timer: Optional[Timer] = None
        self._game_no = 0  # stale bot timers of an earlier game do nothing
        self._over_shown = False
        self._board: Optional[BoardScreen] = None
        self._held_round: Optional[int] = None  # the last round whose start was checked for due injects
        self.inject_hold = False  # the bots wait for the facilitator to fire this round's injects

    # --- start ------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        # Straight into a game: the board is the first screen, no title screen that nobody sees (start-up time).
        if self.state is not None:
            self._board = BoardScreen(self.state, self.clock_minutes)
            return self._board
        from .screens.title import TitleScreen

        return TitleScreen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> Optional[bool]:
        if action == "save_game":
            return self.screen is self._board and self.state is not None  # the footer offers Save on the board only
        return True

    def on_mount(self) -> None:
        # What start-up built lives for the session: a full collection over it is a 30 ms hiccup on a key press.
        self.call_after_refresh(gc.freeze)
        if self.state is not None:  # the board is up already (get_default_screen)
            self._reset(self.state, self.game_id)
            self.call_after_refresh(self._next)

    def settle_inputs(self, root) -> None:
        """No blinking cursors when headless, so tests and screenshots are the same every time."""
        if self.is_headless:
            for widget in root.query("Input"):
                widget.cursor_blink = False

    def new_seed(self) -> int:
        """The seed the setup screen offers: a setup choice, shown so the game can be repeated."""
        return self.setup_seed if self.setup_seed is not None else secrets.randbelow(10**6)

    def start_game(self, state: GameState, game_id: Optional[str] = None) -> None:
        """Put a new game on a new board, above the title screen, and let it run.

        An app started straight into a game has that game's board at the bottom
        of the stack, where Textual cannot replace it: the new board covers it.
        """
        self._reset(state, game_id)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._board = BoardScreen(state, self.clock_minutes)
        self.push_screen(self._board)
        self.call_after_refresh(self._next)

    def _reset(self, state: GameState, game_id: Optional[str]) -> None:
        """Forget the last game's turn, prompts and bot timer."""
        self._game_no += 1
        self._cancel_bot()
        self.state = state
        self.game_id = game_id
        self.revealed_for = None
        self._prompt_open = False
        self._over_shown = False
        self.paused = False
        self._held_round = None
        self.inject_hold = False

    def replace_state(self, state: GameState) -> None:
        """Carry on from another state of the same session (undo, a reload)."""
        self._cancel_bot()
        self.state = state
        if len(state.setup.humans) > 1:
            self.revealed_for = None
        self._over_shown = state.over and self._over_shown
        self.refresh_board()
        self._next()

    # --- acting ----------------------------------------------------------------

    def act(self, action: Action) -> bool:
        """Send one action to the engine; on a refusal say why and change nothing."""
        if self.state is None:
            return False
        before = self.state
        try:
            after = apply_action(before, action)
        except IllegalAction as exc:
            self.refuse(str(exc))
            return False
        self.state = after
        self._news(after.log[len(before.log):], action)
        if len(after.setup.humans) > 1 and action.delegation is not None and current_actor(after) != action.delegation:
            self.revealed_for = None  # the next team must not see this one's hand
        if after.round != before.round or after.over:
            self._autosave()
        self.refresh_board()
        self._next()
        return True

    def _news(self, entries: Iterable[LogEntry], action: Action) -> None:
        """Toasts for what the room must not miss; the log has the full text."""
        sc = self.state.scenario
        for e in entries:
            kind = e.kind
            if kind == "violation":
                self.news(sentence(sc, e), "Ceasefire violation!", "error")
            elif kind == "collapse":
                self.news(sentence(sc, e), "The ceasefire collapses", "error")
            elif kind == "inject":
                self.news(headline(sc, e), "Inject")
            elif kind == "agreement":
                self.news(headline(sc, e), "Proposal accepted")
            elif kind == "answer" and not e.payload.accept:
                self.news(headline(sc, e), "Proposal rejected", "warning")
            elif kind == "adjudication":
                self.news(sentence(sc, e), "Adjudication")

    def news(self, message: str, title: str, severity: str = "information", timeout: float = 5) -> None:
        """A toast with the game's text as is (no markup: a card title may hold brackets)."""
        self.notify(message, title=title, severity=severity, timeout=timeout, markup=False)
        # An expired toast can leave its picture behind on an idle screen: repaint once it is gone.
        self.set_timer(timeout + 0.5, self._repaint)

    def _repaint(self) -> None:
        if self.screen_stack:  # not while the app shuts down
            self.screen.refresh(repaint=True, layout=True)

    def refuse(self, message: str) -> None:
        """A key at the wrong time: a bell and a word of why, nothing else."""
        self.bell()
        self.notify(message, severity="warning", timeout=3, markup=False)

    # --- what comes next ---------------------------------------------------------

    def _board_active(self) -> bool:
        """The game's board is on the stack and nothing that holds the game (setup, title,
        the facilitator console: `HOLDS_GAME`) is above it."""
        board = self._board
        if board is None or self.state is None or board not in self.screen_stack:
            return False
        above = self.screen_stack[self.screen_stack.index(board) + 1:]
        return not any(getattr(s, "HOLDS_GAME", False) for s in above)

    def _next(self) -> None:
        """Show what the game waits for: the outcome, a human's hand-off or decision, or a bot's move."""
        if not self._board_active():
            return
        state = self.state
        if state.over:
            self.show_game_over(auto=True)
            return
        self._hold_for_injects(state)
        actor = current_actor(state)
        if actor in state.setup.humans:
            self._prompt_human(actor)
        else:
            self._schedule_bot()

    def _hold_for_injects(self, state: GameState) -> None:
        """A facilitated round that starts with injects due holds the bots, so the facilitator
        fires them (f) before anyone moves; space lets the bots play without them."""
        if not state.setup.facilitated or state.round == self._held_round:
            return
        self._held_round = state.round
        if due_injects(state) and not self.paused:
            self.paused = self.inject_hold = True
            self.refresh_board()

    def _after_console(self) -> None:
        """The console closed: once no inject is due any more, the bots held for them play on."""
        if self.inject_hold and self.state is not None and not due_injects(self.state):
            self.inject_hold = self.paused = False
            self.notify("The round's injects are done: the bots play on.", timeout=3)
            self.refresh_board()
        self._next()

    def _prompt_human(self, actor: str) -> None:
        if self._prompt_open:
            return
        if self.revealed_for != actor:
            self._prompt_open = True
            self.refresh_board()
            self.push_screen(HandOffScreen(self.state, actor), lambda _: self._after_handoff(actor))
            return
        self.refresh_board()
        if self.state.pending is not None:
            self.open_decision()
        elif self._board is not None:
            self._board.focus_hand()

    def _after_handoff(self, actor: str) -> None:
        self._prompt_open = False
        self.revealed_for = actor
        self.refresh_board()
        self._next()

    def _schedule_bot(self) -> None:
        if self._bot_timer is not None or self.paused:
            return
        # Textual timers need a positive delay; speed 0 (tests) means "as soon as possible".
        self._bot_timer = self.set_timer(max(self.speed, 0.001), partial(self._bot_step, self._game_no))

    def _cancel_bot(self) -> None:
        if self._bot_timer is not None:
            self._bot_timer.stop()
            self._bot_timer = None

    def _bot_step(self, game_no: int) -> None:
        self._bot_timer = None
        if game_no != self._game_no or self.paused or not self._board_active():
            return
        state = self.state
        actor = current_actor(state)
        if actor is None or actor in state.setup.humans:
            return
        try:
            action = bot_action(state, actor)
        except IllegalAction as exc:
            self.paused = True
            self.notify(f"The {present.name(state, actor)} bot is stuck: {exc}. Bots paused.", severity="error", markup=False)
            self.refresh_board()
            return
        if not self.act(action):
            self.paused = True
            self.refresh_board()

    def toggle_pause(self) -> None:
        self.paused = not self.paused
        self.inject_hold = False  # the facilitator has taken the bots in hand
        self.notify("Bots paused: space to go on." if self.paused else "Bots play on.", timeout=2)
        if not self.paused:
            self._next()
        self.refresh_board()

    def open_facilitator(self) -> None:
        """The facilitator console (key f on the board, or the palette); its moves go through `act`."""
        from .screens.facilitator import FacilitatorScreen

        if self.state is None or self._board is None:
            self.refuse("No game is under way.")
            return
        if not isinstance(self.screen, FacilitatorScreen):
            self.push_screen(FacilitatorScreen(), lambda _: self._after_console())  # the game waited while it was open

    # --- what the board asks for --------------------------------------------------

    def refresh_board(self) -> None:
        if self._board is not None and self._board.is_mounted and self.state is not None:
            self._board.show(self.state)

    def hand_view(self) -> tuple[Optional[str], str]:
        """Whose hand the board may show now, and a note for the hand panel.

        With several human teams only the acting team's hand, after its
        hand-off; with one team its hand stays in view once handed over.
        """
        state = self.state
        humans = state.setup.humans
        if not humans or state.over:
            return None, "The game is over." if state.over else ""
        actor = current_actor(state)
        owner = next(iter(humans)) if len(humans) == 1 else actor
        if owner not in humans or self.revealed_for != owner:
            if actor in humans:
                return None, f"Hands are hidden until {present.human_label(state, actor)} is ready."
            return None, f"Hands are hidden while {present.who(state, actor)} acts."
        if actor != owner:
            return owner, f"Waiting for {present.who(state, actor)}."
        if state.pending is not None:
            return owner, "A decision waits for you: press d."
        return owner, "Your turn: 1–9 or ↑↓ Enter to play, p to pass."

    def _human_turn(self) -> Optional[str]:
        """The human delegation that may play a card or pass right now, if any."""
        state = self.state
        if state is None or state.over or self._prompt_open:
            return None
        actor = current_actor(state)
        if actor in state.setup.humans and state.pending is None and self.revealed_for == actor:
            return actor
        return None

    def _why_not(self) -> str:
        state = self.state
        if state is None:
            return "No game is under way."
        if state.over:
            return "The game is over."
        actor = current_actor(state)
        if actor not in state.setup.humans:
            return f"Not your turn: {present.who(state, actor)} is acting."
        if state.pending is not None:
            return f"First {present.task(state)}: press d."
        return f"Waiting for {present.human_label(state, actor)}."

    def human_decision_waiting(self) -> bool:
        state = self.state
        if state is None or state.over or state.pending is None:
            return False
        actor = current_actor(state)
        return actor in state.setup.humans and self.revealed_for == actor

    def request_play(self, card_id: Optional[str]) -> None:
        who = self._human_turn()
        if who is None:
            self.refuse(self._why_not())
            return
        state = self.state
        refused = check(state, PlayCard(who, card_id or ""))
        if refused is not None:
            self.refuse(refused[0].upper() + refused[1:] + ".")
            return
        from .screens import decisions

        self._decide(decisions.play_card(state, who, card_id))

    def request_pass(self) -> None:
        who = self._human_turn()
        if who is None:
            self.refuse(self._why_not())
            return
        from .screens import decisions

        self._decide(decisions.pass_turn(self.state, who))

    def open_decision(self) -> None:
        """The decision screen for what waits on the acting human team (proposal, event, violation)."""
        if self._prompt_open:
            return
        if not self.human_decision_waiting():
            self.refuse("No decision is waiting for you now.")
            return
        from .screens import decisions

        screen = decisions.for_pending(self.state)
        if screen is not None:
            self._decide(screen)

    def _decide(self, screen: Screen) -> None:
        self._prompt_open = True
        self.push_screen(screen, self._decided)

    def _decided(self, action: Optional[Action]) -> None:
        self._prompt_open = False
        if action is None:
            self.refresh_board()
            if self._board is not None:
                self._board.focus_hand()
            return
        self.act(action)

    # --- screens -------------------------------------------------------------------

    def show_game_over(self, auto: bool = False) -> None:
        if self.state is None or not self.state.over:
            self.refuse("The game is not over yet.")
            return
        if auto and self._over_shown:
            return
        self._over_shown = True
        from .screens.game_over import GameOverScreen

        if not isinstance(self.screen, GameOverScreen):
            self.push_screen(GameOverScreen(self.state))

    def show_report(self) -> None:
        if self.state is None:
            self.refuse("No game to report on.")
            return
        try:
            from ..report import build_report
        except ImportError:
            self.notify("The after-action report comes in a later version.", timeout=4)
            return
        from datetime import date

        from .screens.help import ReportScreen

        self.push_screen(ReportScreen(build_report(self.state, created=date.today().isoformat())))

    def action_new_game(self) -> None:
        from .screens.setup import SetupScreen

        if not isinstance(self.screen, SetupScreen):
            self.push_screen(SetupScreen(self.new_seed(), self.speed))

    def cancel_setup(self) -> None:
        from .screens.setup import SetupScreen

        if isinstance(self.screen, SetupScreen):
            self.pop_screen()
            self.call_after_refresh(self._next)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    def saves_available(self) -> bool:
        """Whether the title screen offers Load game: whenever the app has a saves folder."""
        return self.saves_dir is not None

    # --- saving and loading --------------------------------------------------------

    def action_save_game(self) -> None:
        """ctrl+s on the board: ask for a name (team names and round offered), then save."""
        if self.state is None or not self._board_active():
            self.refuse("No game to save now.")
            return
        if self.saves_dir is None:
            self.refuse("This session has no saves folder, so nothing can be saved.")
            return
        from .screens.saves import SaveNameScreen, default_save_name

        if isinstance(self.screen, SaveNameScreen):
            return
        self.push_screen(SaveNameScreen(default_save_name(self.state), Path(self.saves_dir)), self._save_named)

    def _save_named(self, name: Optional[str]) -> None:
        if name is not None:
            self.save_as(name)
        if self._board is not None and self.screen is self._board:
            self._board.focus_hand()

    def save_as(self, name: str) -> Optional[Path]:
        """A manual save under `name`; says where it went, or why it could not be written."""
        from .. import saves

        if self.state is None or self.saves_dir is None:
            return None
        try:
            if self.game_id is None:
                self.game_id = saves.new_game_id()
            path = saves.save_game(self.state, Path(self.saves_dir), game_id=self.game_id, name=name,
                                   clock_minutes=self.clock_minutes)
        except (OSError, UserError) as exc:
            self.notify(f"Not saved: {exc}", title="Save failed", severity="error", markup=False)
            return None
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

    def load_from(self, path: Path) -> bool:
        """Replay and verify a save, then carry on exactly where it stood; a bad save is a notification."""
        from .. import saves

        try:
            loaded = saves.load_save(Path(path))
        except (OSError, UserError) as exc:
            self.notify(str(exc), title="Cannot load", severity="error", markup=False)
            return False
        if self.state is not None and self.state.actions and not self.state.over and self.game_id != loaded.game_id:
            self._autosave()  # the game under way is kept before another takes its place
        self.clock_minutes = loaded.clock_minutes
        self.start_game(loaded.state, loaded.game_id)
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

    def write_report(self) -> Optional[Path]:
        """Game over, w: the after-action report as Markdown next to the game's latest save (autosaved first if none)."""
        if self.state is None:
            self.refuse("No game to report on.")
            return None
        if self.saves_dir is None:
            self.refuse("This session has no saves folder, so the report has nowhere to go.")
            return None
        from datetime import date

        from ..report import build_report, default_report_path, write_report

        save = self.latest_save() or self._autosave()
        if save is None:
            return None  # _autosave said why
        try:
            path = write_report(build_report(self.state, created=date.today().isoformat()), default_report_path(save))
        except (OSError, UserError) as exc:
            self.notify(f"Report not written: {exc}", title="Report failed", severity="error", markup=False)
            return None
        self.notify(f"Report written to {path}", title="After-action report", timeout=5, markup=False)
        return path

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """Entries of the command palette; Save, Load and the facilitator console join here."""
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("New game", "Set up a new game: teams, bots, rounds, seed", self.action_new_game),
            ("Help", "The rules and the keys", self.action_help),
            ("Toggle dark/light theme", "Switch between the dark and the light theme", self.action_toggle_theme),
        ]
        if self.state is not None and self._board_active():
            commands.append(("Save game", "Save the game under a name (ctrl+s)", self.action_save_game))
            if self.state.over:
                commands.append(("After-action report", "The report of this game, for the hotwash", self.show_report))
            else:
                commands.append(("Pause or resume the bots", "Stop the bots between moves, or let them play on", self.toggle_pause))
            commands.append(("Facilitator console", "Injects, events, adjudication, undo, the round clock, notes (f)", self.open_facilitator))
        if self.saves_available():
            commands.append(("Load game", "Resume a saved game from the saves folder", self.action_load_game))
        commands.append(("Quit", "Save the game under way and quit", self.action_quit))
        return commands

    def get_system_commands(self, screen):
        """Textual's own palette entries, less its Quit: ours saves first (see palette_commands)."""
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command

    # --- leaving ---------------------------------------------------------------------

    def _autosave(self) -> Optional[Path]:
        """The one place the app saves by itself: when a round ends and on quit.

        Does nothing until `wargame.saves` provides `autosave`, or when the app
        was started without a saves folder (tests).
        """
        if self.state is None or self.saves_dir is None:
            return None
        try:
            from .. import saves
        except ImportError:
            return None
        autosave = getattr(saves, "autosave", None)
        if autosave is None:
            return None
        try:
            if self.game_id is None:
                self.game_id = saves.new_game_id()
            return autosave(self.state, Path(self.saves_dir), game_id=self.game_id, clock_minutes=self.clock_minutes)
        except (OSError, UserError) as exc:
            self.notify(f"Autosave failed: {exc}", severity="error", markup=False)
            return None

    async def action_quit(self) -> None:
        if self.state is not None and self.state.actions:  # nothing played yet: nothing to keep
            self._autosave()
        self.exit(0, return_code=0)
