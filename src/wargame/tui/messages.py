"""What the screens and widgets ask of the app: Textual messages that bubble up to it.

A screen never calls the app's own methods: it posts one of these and the app,
which owns the game and its turn flow, handles it with `@on`. The names say
what a person asked for; the engine's actions are built from them in one place
(the app's handlers and the decision screens), never here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from textual.message import Message

from ..model import Action, GameState


class PlayCard(Message):
    """A human team wants to play (or propose) this card from its hand."""

    def __init__(self, card: Optional[str]) -> None:
        super().__init__()
        self.card = card


class Pass(Message):
    """A human team wants to pass its turn."""


class DiscardCard(Message):
    """A human team wants to spend its turn discarding this card from its hand."""

    def __init__(self, card: Optional[str]) -> None:
        super().__init__()
        self.card = card


class ShowBrief(Message):
    """Show the brief of the team whose hand is shown, in full (b)."""


class OpenDecision(Message):
    """Show the decision that waits for the team at the screen (d)."""


class FacilitatorAction(Message):
    """The facilitator's move (inject, event, adjudication, note), for the engine through the turn flow."""

    def __init__(self, action: Action) -> None:
        super().__init__()
        self.action = action


class UndoLast(Message):
    """The facilitator confirmed: take back the last action, for `reason` (kept in the record)."""

    def __init__(self, reason: str = "") -> None:
        super().__init__()
        self.reason = reason


class TogglePause(Message):
    """Pause the bots, or let them play on."""


class SetClock(Message):
    """The facilitator's round clock: minutes per negotiation phase (0 = off)."""

    def __init__(self, minutes: int) -> None:
        super().__init__()
        self.minutes = minutes


class OpenConsole(Message):
    """Open the facilitator console."""


class ShowOutcome(Message):
    """Show the game-over screen again."""


class ShowReport(Message):
    """Show the after-action report."""


class WriteReport(Message):
    """Write the after-action report next to the game's save, as Markdown ("md") or HTML ("html")."""

    def __init__(self, fmt: str = "md") -> None:
        super().__init__()
        self.fmt = fmt


class NewGame(Message):
    """Open the setup screen."""


class CancelSetup(Message):
    """Leave the setup screen without starting."""


class StartGame(Message):
    """Setup is done: play this game at this bot speed."""

    def __init__(self, state: GameState, speed: float) -> None:
        super().__init__()
        self.state = state
        self.speed = speed


class LoadSave(Message):
    """Load the save at `path` and carry on from it."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
