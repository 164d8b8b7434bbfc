"""Yes or no, for what cannot be taken back lightly (undo, quitting a game under way); and the report's format."""

from __future__ import annotations

from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """The question, Yes (y) and No (n, Esc); No has the focus, so a stray Enter takes nothing back."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, question: str, *, holds_game: bool = False) -> None:
        """`holds_game`: the game waits (no bot moves) while the question is open, as for quitting."""
        super().__init__(classes="confirm")
        self.question = question
        self.HOLDS_GAME = holds_game

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes (y)", id="yes", variant="warning")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ReportFormatScreen(ModalScreen[Optional[str]]):
    """Which format the after-action report is written in: Markdown (m) or one HTML page with charts (h)."""

    BINDINGS = [
        Binding("m", "choose('md')", "Markdown"),
        Binding("h", "choose('html')", "HTML"),
        Binding("escape", "choose(None)", "Cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="confirm")

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static("Write the after-action report as:\n\nMarkdown, to edit and share as text; or one HTML page "
                         "with charts, to open in a browser and print to PDF.", id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Markdown (m)", id="md", variant="primary")
                yield Button("HTML (h)", id="html")

    def on_mount(self) -> None:
        self.query_one("#md", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id)

    def action_choose(self, fmt: Optional[str]) -> None:
        self.dismiss(fmt)
