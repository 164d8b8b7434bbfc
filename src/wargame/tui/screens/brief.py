"""The team's brief in full over the board (b): for a short screen, where the board folds it to one line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...model import GameState
from .. import present
from ..widgets.brief import brief_in_full
from ..widgets.footer import KeysFooter


class BriefScreen(ModalScreen[None]):
    """Read-only: Esc or b goes back to the board."""

    BINDINGS = [Binding("escape", "close", "Back"), Binding("b", "close", "Back", show=False)]

    def __init__(self, state: GameState, delegation: str) -> None:
        super().__init__(classes="brief")
        self.state = state
        self.delegation = delegation

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="brief-box") as box:
            box.border_title = f"{present.name(self.state, self.delegation)}: your brief"
            yield Static(brief_in_full(self.state, self.delegation), id="brief-full")
        yield KeysFooter(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)
