"""The team's brief: what it wants, its red lines and how close each is, and its score if the game ended now.

It is shown for the team whose hand is shown and hidden with the hand (at a
hand-off, or while bots act on a shared screen): a team never sees another's
brief. On a short screen it folds to one line; `b` opens it in full.
"""

from __future__ import annotations

from typing import Optional

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ...engine import scoring
from ...model import GameState
from ...turnflow import HandView
from .. import present, stakes


def brief_in_full(state: GameState, delegation: str) -> Content:
    """Wants, weights, red lines with their distance, and the score now."""
    d = state.scenario.delegation(delegation)
    parts: list[tuple[str, str]] = [(stakes.score_line(state, delegation), "bold $text-accent")]
    home = stakes.support_line(state, delegation)
    if home:
        parts.append(("\n" + home, "$text-error" if state.scenario.support.refill_change(state.support[delegation]) < 0 else ""))
    if d.wants:
        parts.append(("\n" + d.wants, "$text-muted"))
    parts += [("\n" + line, "") for line in stakes.weights_lines(state, delegation)]
    for line, steps in stakes.red_line_lines(state, delegation):
        parts.append(("\n" + line, "$text-error" if steps == 0 else "$text-warning"))
    return Content.assemble(*parts)


def brief_folded(state: GameState, delegation: str) -> Content:
    """One line for a short screen: the score and the nearest red line (the footer offers b for the rest)."""
    s = scoring.score(state, delegation)
    par = "" if s.par is None else f" (par {s.par:g})"
    steps = stakes.nearest_red_line(state, delegation)
    near = "" if steps is None else " · red line crossed" if steps == 0 else f" · red line {steps} away"
    home = f" · ⌂ {state.support[delegation]}" if delegation in state.support else ""
    return Content.assemble(
        ("Score ", "$text-muted"), (f"{s.total:g}{par}", "bold $text-accent"),
        (near, "$text-error" if steps == 0 else "$text-warning"), (home, "$text-muted"),
    )


class BriefPanel(Static):
    """The brief of the team whose hand is shown (`hand`, bound down by the board); empty and out of sight otherwise."""

    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)
    hand: reactive[HandView] = reactive(HandView(None, "none", None), always_update=True, init=False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.display = False  # until the board says whose hand is shown

    @property
    def owner(self) -> Optional[str]:
        """The team whose brief is shown (None: none)."""
        return self.hand.owner if self.state is not None else None

    def watch_state(self) -> None:
        self._draw()

    def watch_hand(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        if self.owner is not None:
            self._draw()

    def folded(self) -> bool:
        """A short screen (the board's -short class) folds the brief to one line."""
        return self.screen.has_class("-short")

    def _draw(self) -> None:
        state, owner = self.state, self.owner
        self.display = owner is not None
        if owner is None:
            self.border_title = "Brief"
            self.update("")
            return
        self.border_title = f"{present.name(state, owner)}: your brief"
        self.update(brief_folded(state, owner) if self.folded() else brief_in_full(state, owner))
