"""The host's table: one game, the turn flow and the engine, without any screen.

Each human seat acts from its own device, so no hand-off is ever needed: the
table tells the flow each team has the screen. Bots move when the flow says so.
Every change of the game raises `version`; a move based on another version is
stale and refused. After each move the game is autosaved (in a worker thread,
newest state wins), so a host killed mid-game resumes with `--resume`.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable, Optional, Union

import attrs

from .. import bots
from ..engine import current_actor
from ..model import Action, GameState
from ..turnflow import Applied, BotMove, FacilitatorDecides, GameOver, HandOff, TurnFlow, Undone, wall_clock


@attrs.frozen
class Stale:
    """The move was based on `based_on`; the game is at `version` now."""

    based_on: int
    version: int


@attrs.frozen
class Moved:
    applied: Applied
    version: int


Outcome = Union[Moved, Stale, str]  # a refusal is the reason, in a sentence


class Table:
    def __init__(
        self,
        state: GameState,
        *,
        saves_dir: Optional[Path] = None,
        game_id: Optional[str] = None,
        clock_minutes: int = 0,
        clock: Callable[[], str] = wall_clock,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.flow = TurnFlow(state, clock=clock)
        self.version = len(state.actions)
        self.saves_dir = Path(saves_dir) if saves_dir is not None else None
        self.game_id = game_id
        self.clock_minutes = clock_minutes
        self._now = now
        self._round_started = now()
        self._round = state.round
        self.autosave_problem: Optional[str] = None
        self.last_save: Optional[Path] = None
        self._save_lock = threading.Lock()
        self._save_wanted: Optional[GameState] = None

    @property
    def state(self) -> GameState:
        return self.flow.state

    @property
    def humans(self) -> tuple[str, ...]:
        return self.flow.humans

    # --- the round clock --------------------------------------------------------------------

    @property
    def clock_end(self) -> Optional[float]:
        """When this round's time is up, as a Unix time (None: no clock, or the game is over)."""
        if self.clock_minutes <= 0 or self.state.over:
            return None
        return self._round_started + 60 * self.clock_minutes

    def _round_check(self) -> None:
        if self.state.round != self._round:
            self._round, self._round_started = self.state.round, self._now()

    # --- moves ---------------------------------------------------------------------------------

    def _settle(self) -> None:
        """Every seat has its own screen: a hand-off the flow asks for is done at once."""
        step = self.flow.next_step()
        if isinstance(step, HandOff):
            self.flow.handed_over(step.delegation)

    def submit(self, seat: Optional[str], based_on: int, action: Action) -> Outcome:
        """A seat's move: refused unless it is the seat's own, based on the current version, and allowed now."""
        if seat is None:
            return "An observer cannot act."
        if action.delegation != seat:
            return "A team can only act for its own delegation."
        if based_on != self.version:
            return Stale(based_on, self.version)
        return self._checked(action)

    def _checked(self, action: Action) -> Outcome:
        """`action` applied if the turn flow allows it now, else why not."""
        self._settle()
        why = self.flow.check(action)
        if why is not None:
            return why
        return self._moved(self.flow.apply(action))

    def _moved(self, result: Union[Applied, str]) -> Outcome:
        if isinstance(result, str):
            return result
        self._changed()
        return Moved(result, self.version)

    def _changed(self) -> None:
        """The game moved (a move or an undo): a new version, the round clock's start, the next hand-off, a save."""
        self.version += 1
        self._round_check()
        self._settle()
        self.want_autosave()

    def host_act(self, action: Action) -> Outcome:
        """The facilitator's move, from the host's console: refused unless it is a facilitator's action allowed now."""
        if action.delegation is not None:
            return "The facilitator's console makes facilitator's moves only."
        return self._checked(action)

    def undo(self, reason: str) -> Union[Undone, str]:
        """Take the last move back (the facilitator's undo); a new version, saved like a move."""
        result = self.flow.undo(reason)
        if not isinstance(result, str):
            self._changed()
        return result

    def set_clock(self, minutes: int) -> None:
        """The round clock, set by the facilitator: `minutes` from now, then per round."""
        self.clock_minutes = max(0, int(minutes))
        self._round_started = self._now()

    def bot_due(self) -> bool:
        """A bot is to move now."""
        self._settle()
        return isinstance(self.flow.next_step(), BotMove)

    def bot_move(self, choose=bots.choose) -> Outcome:
        return self._moved(self.flow.bot_move(choose))

    def waiting_on(self) -> str:
        """Who the game waits for, in a few words, for the host's log."""
        step = self.flow.next_step()
        if isinstance(step, GameOver):
            return f"the game is over: {self.state.outcome}"
        if isinstance(step, FacilitatorDecides):
            return "the facilitator"
        actor = current_actor(self.state)
        return self.state.scenario.delegation(actor).name if actor else "nobody"

    # --- saving --------------------------------------------------------------------------------

    def want_autosave(self) -> None:
        self._save_wanted = self.state

    def prepare_saves(self) -> None:
        """Load the save format and build (not write) a save of the game as it stands, so that the
        first autosave, in a worker thread, does not import modules and build the converter's hooks
        while holding the interpreter: that stalled the host's first moves by 40-80 ms."""
        if self.saves_dir is None:
            return
        from ..saves.document import build_document

        build_document(self.state, game_id=self.game_id or "warm-up")

    def autosave_now(self) -> Optional[Path]:
        """Write the newest state wanted (call from a worker thread; one save at a time, newest wins)."""
        if self.saves_dir is None:
            return None
        from .. import saves
        from ..errors import UserError

        with self._save_lock:
            state, self._save_wanted = self._save_wanted, None
            if state is None:
                return self.last_save
            try:
                if self.game_id is None:
                    self.game_id = saves.new_game_id()
                self.last_save = saves.autosave(state, self.saves_dir, game_id=self.game_id, clock_minutes=self.clock_minutes)
                self.autosave_problem = None
            except (OSError, UserError) as exc:
                self.autosave_problem = str(exc)
            return self.last_save
