"""Help with the rules, and any long Markdown text (the after-action report) in a scrolling screen."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ..widgets.footer import KeysFooter

FALLBACK_RULES = """\
# How to play

You are a delegation at the talks on the war in Ukraine. Four **tracks**
(Ceasefire, Security guarantees, Humanitarian aid & reconstruction,
Long-term diplomacy) and three **meters** (Tension, Sovereignty, Trust) run
from 0 to 10.

Each round an **event** is revealed; then every delegation in turn **plays a
concession card** (paying political capital), **makes a proposal** (a card
that needs the consent of other delegations, who accept or reject it), or
**passes**. While the Ceasefire track is at 6 or more a ceasefire is in
effect and **violations** can happen; the injured side responds. Capital is
refilled at the end of the round, more or less by each delegation's
**support at home**, which falls with concessions against its agenda and
rises with gains.

The game ends after the last round (a frozen conflict), on a **framework
agreement** (every track at the threshold with sovereignty preserved), or on
**collapse** when tension reaches 10. Each delegation scores by its own
agenda, less penalties for red lines crossed.
"""

KEYS = """\
## Keys

| key | what it does |
|---|---|
| `1`–`9`, `↑`/`↓` + `Enter`, or a click | play a card from your hand |
| `x` | discard the highlighted card (it spends your turn; the hand is drawn back up at upkeep) |
| `p` | pass |
| `b` | your brief in full: wants, weights, red lines and how close each is, your score if the game ended now |
| `d` | open the decision waiting for you (a proposal, an event, a violation) |
| typing, then `Enter` | in a decision: your one-line rationale, kept for the report |
| `Esc` | back to the board |
| `space` | pause or resume the bots |
| `f` (`ctrl+f` in a decision) | the facilitator console, from the board, a hand-off, a decision or the game-over screen; in it `1`–`6` or `ctrl+←`/`→` switch tabs, `Tab` moves between fields |
| `o` | the outcome, once the game is over |
| `ctrl+s` | save the game under a name (it is also saved at the end of every round and on quit) |
| `w` | on the game-over screen (it asks: Markdown or HTML) and in the report (Markdown): write the after-action report next to the game's save |
| `?` or `F1` | this help |
| `ctrl+p` | command palette: new game, save, load, help, theme, quit |
| `ctrl+q` | quit at any time (a game under way asks first, is saved, and the command to resume it is printed) |
"""


def rules_path() -> Optional[Path]:
    """docs/rules.md shipped in the package, or in the repository of a checkout."""
    import wargame

    here = Path(wargame.__file__).resolve().parent
    for candidate in (here / "docs" / "rules.md", here.parent.parent / "docs" / "rules.md"):
        if candidate.is_file():
            return candidate
    return None


def rules_text() -> str:
    path = rules_path()
    if path is not None:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    return FALLBACK_RULES


class MarkdownScreen(Screen[None]):
    """A scrolling Markdown document with a title; Esc or q goes back.

    Rendered with Rich's Markdown in one Static: a 40 kB report shows in well
    under a second, where a widget per block takes several.
    """

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("q", "close", "Back", show=False),
    ]

    def __init__(self, title: str, markdown: str, **kwargs) -> None:
        super().__init__(classes="document", **kwargs)
        self.doc_title = title
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        from rich.markdown import Markdown  # here, not at import: the app starts without it (bench/)

        yield Static(self.doc_title, classes="document-title")
        with VerticalScroll(id="document-scroll"):
            yield Static(Markdown(self.markdown, hyperlinks=False), id="document")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#document-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(MarkdownScreen):
    def __init__(self) -> None:
        super().__init__("Help: the rules and the keys", rules_text() + "\n\n" + KEYS, id="help")


class ReportScreen(MarkdownScreen):
    BINDINGS = [Binding("w", "write_report", "Write report")]

    def action_write_report(self) -> None:
        from .. import messages

        self.post_message(messages.WriteReport())

    def __init__(self, markdown: str) -> None:
        super().__init__("After-action report", markdown, id="report")
