"""The game's log in plain sentences, newest at the bottom, following new entries.

One Static per round (not per entry): a whole game stays a handful of
widgets, so adding a line never re-lays out hundreds of them.
"""

from __future__ import annotations

from typing import Optional

from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ...model import PRIVATE_KINDS, GameState, LogEntry, Scenario
from ...narrate import sentence
from .live import can_draw

STYLES = {
    "round": "bold $text-accent",
    "setup": "$text-muted",
    "event": "$text-primary",
    "inject": "$text-warning",
    "adjudication": "$text-warning",
    "announcement": "bold $text-warning",
    "violation": "bold $text-error",
    "collapse": "bold $text-error",
    "agreement": "bold $text-success",
    "end": "bold $text-accent",
}


def entry_content(scenario: Scenario, e: LogEntry) -> Content:
    """One entry: its sentence, and the team's or bot's rationale in italics below it
    (no quotation marks: a bot's reason quotes card titles of its own)."""
    text = sentence(scenario, e)
    if e.kind == "round":
        return Content.styled(f"── {text} ──", STYLES["round"])
    parts: list[tuple[str, str]] = [(text, STYLES.get(e.kind, ""))]
    if e.rationale and e.kind != "adjudication":
        parts.append(("\n   ↳ " + e.rationale, "italic $text-muted"))
    return Content.assemble(*parts)


class LogView(VerticalScroll):
    """Appends the entries it has not shown yet; starts over when the log shrinks (undo, load).

    It is the room's log, on the projected board: the facilitator's private notes and
    ratings (`PRIVATE_KINDS`) are never among its lines; an announcement is.

    Anchored to the bottom, so the newest entry stays in view; a reader who
    scrolls up to read keeps the place until scrolling back down.
    """

    can_focus = True
    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: list[LogEntry] = []
        self._rounds: dict[int, tuple[Static, list[Content]]] = {}

    def on_mount(self) -> None:
        self.anchor()

    def watch_state(self, state: Optional[GameState]) -> None:
        if state is None or not can_draw(self):
            return
        log = state.log
        if log[: len(self._shown)] != self._shown:
            self.remove_children()
            self._shown = []
            self._rounds = {}
        new = log[len(self._shown):]
        if not new:
            return
        self._shown = list(log)
        touched: set[int] = set()
        for e in new:
            if e.kind in PRIVATE_KINDS:
                continue
            if e.round not in self._rounds:
                block = Static(classes="log-round")
                self._rounds[e.round] = (block, [])
                self.mount(block)
            self._rounds[e.round][1].append(entry_content(state.scenario, e))
            touched.add(e.round)
        for r in touched:
            block, lines = self._rounds[r]
            block.update(Content("\n").join(lines))
