"""The title screen: new game, load game, rules, quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from ..widgets.footer import KeysFooter

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

    def __init__(self, saves: bool = False) -> None:
        """`saves`: the session has a saves folder, so Load game is offered."""
        super().__init__(id="title")
        self.saves = saves

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                with Vertical(id="title-box"):
                    yield Static("WARGAME", id="title-name")
                    yield Static(TAGLINE, id="title-tagline")
                    yield Button("New game", id="new-game", variant="primary")
                    yield Button("Load game", id="load-game", disabled=not self.saves)
                    yield Button("Rules", id="rules")
                    yield Button("Quit", id="quit", variant="error")
                    yield Static("n new game · l load · r rules · q quit · ctrl+p commands", classes="hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#new-game", Button).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        action = {"new-game": "new_game", "load-game": "load_game", "rules": "help", "quit": "quit"}[event.button.id]
        await self.run_action(f"app.{action}")  # the app's quit is a coroutine: it must be awaited to run
