"""Saving and loading from the app: a name for a manual save (ctrl+s), and the list of saves to load.

The screens only ask (the name is the save screen's result, a load is a
`LoadSave` message); the app does the saving and loading through
`wargame.saves`, so every error reaches the room as a notification, never as
a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .. import messages
from ..notices import refuse
from ..widgets.footer import KeysFooter

if TYPE_CHECKING:
    from ...saves import SaveInfo


def default_save_name(state) -> str:
    """Who plays and how far the game got, so a room finds its save again next week."""
    humans = state.setup.humans
    teams = [team or state.scenario.delegation(d).name for d, team in humans.items()]
    who = " and ".join(teams) if teams else "bots"
    return f"{who} round {state.round}"


class SaveNameScreen(ModalScreen[Optional[str]]):
    """Ask for the save's name (prefilled); Enter saves, Esc goes back without saving."""

    DEFAULT_CSS = """
    SaveNameScreen { align: center middle; }
    #save-box {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 1 2;
    }
    #save-box Static { width: 100%; }
    #save-folder { color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, name: str, folder: Path, *, question: str = "A name for this save:",
                 title: str = "Save the game", blank: str = "A save needs a name.",
                 hint: Optional[str] = None) -> None:
        """`question` and `title` let the same prompt ask for a folder when the autosave failed."""
        super().__init__(id="save-name")
        self.default = name
        self.folder = folder
        self.question = question
        self.title = title
        self.blank = blank  # the refusal of an empty answer
        self.hint = hint if hint is not None else f"In {folder} · Enter to save, Esc to go back"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="save-box") as box:
            box.border_title = self.title
            yield Static(Content(self.question))
            yield Input(self.default, id="save-name-input", select_on_focus=True)
            yield Static(Content(self.hint), id="save-folder")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            refuse(self, self.blank)
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


def _when(info: "SaveInfo") -> str:
    return info.updated.astimezone().strftime("%Y-%m-%d %H:%M")


def save_line(info: "SaveInfo") -> Content:
    """One save: name, scenario, round, teams, last update; a damaged file says what is wrong."""
    if info.damaged:
        return Content.assemble(
            (info.path.name, "bold"), ("  damaged: ", "bold $text-error"), (info.problem or "", "$text-error"),
            (f"\n  {_when(info)}", "$text-muted"),
        )
    where = f"round {info.round}" if info.round is not None else "round ?"
    if info.outcome:
        where += f" ({info.outcome})"
    from ...saves.folder import teams_cell

    teams = teams_cell(len(info.teams), info.human_teams)
    return Content.assemble(
        (info.name, "bold"), ("  autosave" if info.autosave else "", "$text-muted"),
        (f"\n  {info.scenario_title} · {where} · {_when(info)}", ""),
        (f"\n  {teams}", "$text-muted"),
    )


class LoadScreen(Screen[None]):
    """The saves folder, newest first; Enter loads the highlighted save, Esc goes back."""

    DEFAULT_CSS = """
    LoadScreen { align: center top; }
    #load-title { text-style: bold; padding: 1 2 0 2; color: $text-accent; }
    #load-note { padding: 0 2 1 2; color: $text-muted; }
    #load-list { height: 1fr; margin: 0 2; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("enter", "load", "Load", show=False),
    ]

    def __init__(self, folder: Path, infos: list["SaveInfo"]) -> None:
        super().__init__(id="load")
        self.folder = folder
        self.infos = infos

    def compose(self) -> ComposeResult:
        yield Static("Load a saved game", id="load-title")
        if self.infos:
            note = f"{len(self.infos)} save(s) in {self.folder}, newest first · Enter loads · Esc goes back"
        else:
            note = f"No saved games in {self.folder} yet: ctrl+s on the board saves one, and every round is saved by itself."
        yield Static(Content(note), id="load-note")
        options = [
            Option(save_line(info), id=str(i), disabled=info.damaged)
            for i, info in enumerate(self.infos)
        ]
        yield OptionList(*options, id="load-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._load(int(event.option.id))

    def action_load(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is None:
            refuse(self, "No save to load here." if not self.infos else "That save is damaged and cannot be loaded.")
            return
        self._load(int(ol.get_option_at_index(ol.highlighted).id))

    def _load(self, index: int) -> None:
        info = self.infos[index]
        if info.damaged:
            refuse(self, f"{info.path.name} is damaged and cannot be loaded: {info.problem}")
            return
        self.post_message(messages.LoadSave(info.path))

    def action_close(self) -> None:
        self.dismiss(None)
