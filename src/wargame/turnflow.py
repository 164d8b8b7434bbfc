"""The turn flow of one game at one table: whose turn it is and what the table must show next.

The engine knows whose move it is; this class knows the room around it: when a
human team gets the screen (a privacy hand-off whenever two or more human teams
share it, never for a single team), when a bot may move, when a facilitated
round holds the bots for its injects, when the game is saved by itself, and why
a move asked for now is refused. It has no Textual in it, so the hot-seat app
drives it today and a multi-seat server can drive it tomorrow; the app keeps the
timers and the screens.

Every move goes through `apply`, which calls the engine; `check` is the one
place that answers "may this be done now, and if not, why not".
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable, Optional, Union

import attrs

from .engine import IllegalAction, apply_action, check, current_actor, preview, undo, waiting_for_facilitator
from .engine.rounds import due_injects
from .model import Action, FireInject, GameRecord, GameState, LogEntry, UndoneAction

# --- what the table must show next -----------------------------------------------------------


@attrs.frozen
class GameOver:
    """The game has ended; `first` is True only the first time the flow says so."""

    first: bool


@attrs.frozen
class HandOff:
    """Every hand hidden until `delegation`'s team says it alone sees the screen."""

    delegation: str


@attrs.frozen
class Decide:
    """A decision (proposal, event, violation) waits on `delegation`'s team."""

    delegation: str


@attrs.frozen
class HumanTurn:
    """`delegation`'s team plays a card or passes from its hand."""

    delegation: str


@attrs.frozen
class BotMove:
    """A bot moves for `delegation` (after the app's delay)."""

    delegation: str


@attrs.frozen
class FacilitatorDecides:
    """The round's event waits for the facilitator (fire, swap or hold); `first` only the first time it is asked."""

    first: bool


@attrs.frozen
class Wait:
    """Nothing to do until someone acts: a prompt is up, or the bots are paused."""

    why: str


Step = Union[GameOver, HandOff, Decide, HumanTurn, BotMove, FacilitatorDecides, Wait]


@attrs.frozen
class HandView:
    """Whose hand may be shown now (None: no hand), and why, for the hand panel to phrase.

    `why`: "none" (bots only), "over", "hidden" (until `actor`'s team is ready, or
    while `actor` acts), "waiting" (for `actor`), "decision" or "turn".
    """

    owner: Optional[str]
    why: str
    actor: Optional[str]


@attrs.frozen
class Applied:
    """An action the engine took: the log entries it added, and whether the game saves itself now."""

    action: Action
    entries: tuple[LogEntry, ...]
    autosave: bool


@attrs.frozen
class Undone:
    """The last action taken back; `paused_bots` when the bots were paused so it is not made again."""

    action: Action
    paused_bots: bool


def _name(state: GameState, delegation: str) -> str:
    return state.scenario.delegation(delegation).name


def ends_in_collapse(state: GameState, action: Action) -> bool:
    """Whether `action` would end the game at once in collapse (the engine's preview says): ask first."""
    try:
        return preview(state, action).outcome == "collapse"
    except IllegalAction:
        return False


def wall_clock() -> str:
    """Now, as the record keeps it: an ISO time in UTC to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _padded(times: tuple[str, ...], length: int) -> tuple[str, ...]:
    """`times` cut or filled (with "" for unknown: a save from before the record) to `length`."""
    return times[:length] + ("",) * (length - len(times))


def stamped(before: GameState, after: GameState, now: str) -> GameRecord:
    """The record once `after` followed `before` at `now`: the action's time, any new round's, the end's."""
    record = before.record
    actions = _padded(record.action_times, len(before.actions)) + (now,) * (len(after.actions) - len(before.actions))
    rounds = _padded(record.round_times, before.round) + (now,) * (after.round - before.round)
    ended = record.ended or (now if after.over and not before.over else "")
    return attrs.evolve(record, action_times=actions, round_times=rounds, ended=ended)


def unstamped(state: GameState, before: GameState, now: str, reason: str) -> GameRecord:
    """The record once the last action of `state` was undone (giving `before`) at `now`, for `reason`."""
    record = state.record
    index = len(state.actions) - 1
    taken = record.action_times[index] if index < len(record.action_times) else ""
    return attrs.evolve(
        record,
        action_times=record.action_times[:index],
        round_times=record.round_times[:before.round],
        ended=record.ended if before.over else "",
        undone=record.undone + (UndoneAction(index, state.actions[-1], now, " ".join(reason.split()), taken, before.round),),
    )


class TurnFlow:
    """One game's flow at a table: the state, the hand on show, the bots' pause and inject hold."""

    def __init__(self, state: GameState, clock: Callable[[], str] = wall_clock) -> None:
        """`clock`: the wall-clock time for the record (a fixed one in tests)."""
        self.clock = clock
        if not state.actions and not state.record.round_times:  # a new game: its first round begins now
            state.record = attrs.evolve(state.record, round_times=(clock(),) * state.round)
        self.state = state
        self.revealed_for: Optional[str] = None  # the human team that was handed the screen last
        self.prompt_open = False  # a hand-off or a decision is up: the flow waits for it
        self.paused = False  # the bots wait
        self.inject_hold = False  # the bots wait for the facilitator to deal with this round's injects
        self._held_round: Optional[int] = None  # the last round whose start was checked for due injects
        self._over_told = False
        self._event_asked: Optional[tuple[int, int]] = None  # when the facilitator was last asked about an event

    # --- who sits where --------------------------------------------------------------------

    @property
    def humans(self) -> tuple[str, ...]:
        return tuple(self.state.setup.humans)

    @property
    def shared_screen(self) -> bool:
        """Two or more human teams take turns at one screen: each turn needs a hand-off."""
        return len(self.state.setup.humans) > 1

    @property
    def under_way(self) -> bool:
        """Moves have been made and the game goes on: quitting needs a word and a save."""
        return bool(self.state.actions) and not self.state.over

    def _seen_by(self, delegation: str) -> bool:
        """Whether `delegation`'s team has the screen: always for a lone team, after its hand-off otherwise."""
        return not self.shared_screen or self.revealed_for == delegation

    # --- what comes next ---------------------------------------------------------------------

    def next_step(self) -> Step:
        """What the table waits for now. Starting a facilitated round with injects due holds the bots."""
        state = self.state
        if state.over:
            first, self._over_told = not self._over_told, True
            return GameOver(first)
        self._hold_for_injects()
        if waiting_for_facilitator(state):
            asked = (state.round, len(state.actions))
            first, self._event_asked = self._event_asked != asked, asked
            return FacilitatorDecides(first)
        actor = current_actor(state)
        if actor in state.setup.humans:
            if self.prompt_open:
                return Wait("prompt")
            if not self._seen_by(actor):
                return HandOff(actor)
            return Decide(actor) if state.pending is not None else HumanTurn(actor)
        if self.paused and not (self.inject_hold and self._injects_wait_for_the_decision()):
            return Wait("paused")
        return BotMove(actor)

    def _injects_wait_for_the_decision(self) -> bool:
        """A decision is under way and no inject due can be fired before it is done (one asks for a
        choice): the bot held for the injects answers it, else bots and injects would wait on each other."""
        state = self.state
        if state.pending is None:
            return False
        due = due_injects(state)
        return bool(due) and all(check(state, FireInject(i)) is not None for i in due)

    def _hold_for_injects(self) -> None:
        state = self.state
        if not state.setup.facilitated or state.round == self._held_round:
            return
        self._held_round = state.round
        if due_injects(state) and not self.paused:
            self.paused = self.inject_hold = True

    def prompt_opened(self) -> None:
        self.prompt_open = True

    def prompt_closed(self) -> None:
        self.prompt_open = False

    def handed_over(self, delegation: str) -> None:
        """The team of `delegation` said it alone sees the screen."""
        self.prompt_open = False
        self.revealed_for = delegation

    # --- what may be shown and done --------------------------------------------------------------

    def hand_view(self) -> HandView:
        state = self.state
        humans = state.setup.humans
        actor = current_actor(state)
        if not humans:
            return HandView(None, "none", actor)
        if state.over:
            return HandView(None, "over", None)
        owner = next(iter(humans)) if not self.shared_screen else actor
        if owner not in humans or not self._seen_by(owner):
            return HandView(None, "hidden", actor)
        if actor != owner:
            return HandView(owner, "waiting", actor)
        return HandView(owner, "decision" if state.pending is not None else "turn", actor)

    def human_turn(self) -> Optional[str]:
        """The human team that may play a card or pass right now, if any."""
        state = self.state
        if state.over or self.prompt_open:
            return None
        actor = current_actor(state)
        if actor in state.setup.humans and state.pending is None and self._seen_by(actor):
            return actor
        return None

    def seat(self) -> Optional[str]:
        """The human team the screen serves now: the one whose turn it is, else the one whose hand is shown."""
        return self.human_turn() or self.hand_view().owner

    def decision_waiting(self) -> bool:
        """A decision waits on the human team that has the screen."""
        state = self.state
        if state.over or state.pending is None:
            return False
        actor = current_actor(state)
        return actor in state.setup.humans and self._seen_by(actor)

    def check(self, action: Action) -> Optional[str]:
        """Why `action` may not be asked for now, or None when it may (the engine has the last word).

        A human team's card, pass or discard needs its turn on the screen; its answer,
        choice or response needs its decision waiting. The facilitator's
        actions go straight to the engine.
        """
        state = self.state
        if state.over:
            return "The game is over."
        who = action.delegation
        if action.kind in ("play", "pass", "discard"):
            if who is None or self.human_turn() != who:
                return self._why_not_your_turn()
        elif who is not None and who in state.setup.humans:
            if not self.decision_waiting() or current_actor(state) != who:
                return "No decision is waiting for you now."
        refused = check(state, action)
        return None if refused is None else refused[0].upper() + refused[1:] + "."

    def _why_not_your_turn(self) -> str:
        state = self.state
        actor = current_actor(state)
        if not state.setup.humans:
            return "No human team plays in this game."
        if actor not in state.setup.humans:
            return f"Not your turn: {_name(state, actor)} is acting."
        if state.pending is not None:
            return "First decide what waits for you: press d."
        return f"Waiting for the {_name(state, actor)} delegation."

    # --- moves ---------------------------------------------------------------------------------

    def apply(self, action: Action) -> Union[Applied, str]:
        """Send `action` to the engine: what it added to the log, or why it was refused (nothing changed)."""
        before = self.state
        try:
            after = apply_action(before, action)
        except IllegalAction as exc:
            return str(exc)
        after.record = stamped(before, after, self.clock())  # `after` is new: nothing else holds it yet
        self.state = after
        if self.shared_screen and action.delegation is not None and current_actor(after) != action.delegation:
            self.revealed_for = None  # the next team must not see this one's hand
        return Applied(action, tuple(after.log[len(before.log):]), after.round != before.round or after.over)

    def bot_move(self, choose) -> Union[Applied, str]:
        """The acting bot's move, chosen by `choose(state, delegation)` (wargame.bots.choose).

        A bot that cannot move, or whose move the engine refuses, pauses the
        bots and says why, so the facilitator can step in.
        """
        state = self.state
        actor = current_actor(state)
        if actor is None or actor in state.setup.humans or not isinstance(self.next_step(), BotMove):
            return "No bot is to move now."
        try:
            result = self.apply(choose(state, actor))
        except IllegalAction as exc:
            result = str(exc)
        if isinstance(result, str):
            self.paused = True
            return f"The {_name(state, actor)} bot is stuck: {result}. Bots paused."
        return result

    def toggle_pause(self) -> bool:
        """Pause or resume the bots; the facilitator takes them in hand, so an inject hold ends. Paused now?"""
        self.paused = not self.paused
        self.inject_hold = False
        return self.paused

    def console_closed(self) -> bool:
        """The facilitator console closed: the bots held for the injects play on once none is due. Released?"""
        if self.inject_hold and not due_injects(self.state):
            self.inject_hold = self.paused = False
            return True
        return False

    def undo(self, reason: str = "") -> Union[Undone, str]:
        """Take back the last action, or say why not; the record keeps it, with the time and `reason`.

        A bot to move next is paused, else it would repeat it.
        """
        state = self.state
        if not state.actions:
            return "Nothing to undo: no move has been made yet."
        try:
            before = undo(state)
        except IllegalAction as exc:
            return f"Cannot undo: {exc}."
        before.record = unstamped(state, before, self.clock(), reason)
        actor = current_actor(before)
        paused_now = actor is not None and not before.is_human(actor) and not self.paused
        if paused_now:
            self.paused = True
        self.replace(before)
        return Undone(state.actions[-1], paused_now)

    def replace(self, state: GameState) -> None:
        """Carry on from another state of the same game (undo): hands hidden again on a shared screen."""
        self.state = state
        if self.shared_screen:
            self.revealed_for = None
        self._over_told = self._over_told and state.over
