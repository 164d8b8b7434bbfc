"""The title screen: new game, load game, rules, quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

if TYPE_CHECKING:
    from ..app import WargameApp

TAGLINE = "A tabletop exercise on the US–Russia talks over the war in Ukraine"


class TitleScreen(Screen[None]):
    HOLDS_GAME = True  # the game under it waits (no bot moves) while this is open
    BINDINGS = [
        Binding("n", "app.new_game", "New game"),
        Binding("l", "app.load_game", "Load game"),
        Binding("r", "app.help", "Rules"),
        Binding("q", "app.quit", "Quit", show=False),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    app: "WargameApp"

    def __init__(self) -> None:
        super().__init__(id="title")

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                with Vertical(id="title-box"):
                    yield Static("WARGAME", id="title-name")
                    yield Static(TAGLINE, id="title-tagline")
                    yield Button("New game", id="new-game", variant="primary")
                    yield Button("Load game", id="load-game", disabled=not self.app.saves_available())
                    yield Button("Rules", id="rules")
                    yield Button("Quit", id="quit", variant="error")
                    yield Static("n new game · l load · r rules · q quit · ctrl+p commands", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-game", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {
            "new-game": self.app.action_new_game,
            "load-game": self.app.action_load_game,
            "rules": self.app.action_help,
            "quit": self.app.action_quit,
        }[event.button.id]()
