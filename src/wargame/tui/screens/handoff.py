"""The privacy hand-off: a full screen that hides every hand until the next team is ready.

Shown only when two or more human teams share the screen (wargame.turnflow);
the round clock stays in view, since it keeps running.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.screen import Screen
from textual.widgets import Static

from ...model import GameState
from .. import present
from ..widgets.clock import ClockedScreen
from .console_key import CONSOLE_BINDING, OpensConsole
from ..widgets.footer import KeysFooter


class HandOffScreen(OpensConsole, ClockedScreen, Screen[None]):
    BINDINGS = [Binding("enter", "ready", "We are ready"), CONSOLE_BINDING]

    def __init__(self, state: GameState, delegation: str) -> None:
        super().__init__(classes="handoff")
        self.state = state
        self.delegation = delegation

    def compose(self) -> ComposeResult:
        s = self.state
        yield self.round_clock()
        with Middle():
            with Center():
                with Vertical(id="handoff-box"):
                    yield Static(f"Pass to {present.human_label(s, self.delegation)}", id="handoff-title")
                    yield Static(f"{present.round_line(s)} · seed {s.setup.seed}", classes="handoff-line")
                    yield Static(f"Up next: {present.task(s)}.", classes="handoff-line")
                    yield Static(present.standing(s), classes="handoff-line handoff-standing")
                    yield Static(present.ceasefire_line(s).replace("\n", " · "), classes="handoff-line handoff-standing")
                    yield Static("Every hand is hidden. Press Enter when only this team can see the screen. The facilitator: f opens the console.", classes="handoff-hint")
        yield KeysFooter()

    def on_click(self) -> None:
        self.dismiss(None)

    def action_ready(self) -> None:
        self.dismiss(None)
