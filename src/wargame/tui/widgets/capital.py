"""Political capital of every delegation, with who plays it, and its support at home (⌂ 0–10)."""

from __future__ import annotations

from typing import Optional

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ...engine import current_actor
from ...model import GameState
from .. import present


class CapitalTable(Widget):
    """One line per delegation: name, team or bot, capital as pips, support at home (⌂); ▶ marks who acts."""

    state: reactive[Optional[GameState]] = reactive(None, always_update=True, layout=True)

    def watch_state(self, state: Optional[GameState]) -> None:
        self.border_title = "Political capital · ⌂ support" if state is not None and state.support else "Political capital"

    @staticmethod
    def controllers(state: GameState, room: int) -> dict[str, str]:
        """"bot: Hardliner" / "Team Kyiv"; just "Hardliner" / "human" for all when one does not fit."""
        full = {d: present.controller(state, d) for d in state.setup.delegations}
        if all(len(t) <= room for t in full.values()):
            return full
        return {d: (present.team(state, d) or "human") if d in state.setup.humans else t.removeprefix("bot: ") for d, t in full.items()}

    @staticmethod
    def _support_style(state: GameState, delegation: str) -> str:
        """Red when support at home takes capital off the refill, green when it adds to it."""
        extra = state.scenario.support.refill_change(state.support[delegation])
        return "bold $text-error" if extra < 0 else "bold $text-success" if extra > 0 else "$text-muted"

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.state.setup.delegations) if self.state is not None else 1

    def render(self) -> Content:
        state = self.state
        if state is None:
            return Content("")
        actor = current_actor(state)
        width = self.size.width
        most = max(state.scenario.delegation(d).capital_max for d in state.setup.delegations)
        home = 4 if state.support else 0  # " ⌂ 5": support at home
        pips = width - 2 - 17 - 1 - most - 3 - home >= 12  # else "3/6" leaves the names room
        room = width - 2 - 17 - 1 - (most + 3 if pips else 4) - home
        controllers = self.controllers(state, room)
        lines = []
        for d in state.setup.delegations:
            dl = state.scenario.delegation(d)
            cap = state.capital[d]
            mark = "▶ " if d == actor else "  "
            lines.append(Content.assemble(
                (mark, "bold $text-accent"),
                (f"{dl.name:<16.16} ", "bold" if d == actor else ""),
                (f"{controllers[d][:room]:<{room}} ", "$text-muted" if d not in state.setup.humans else "$text-accent"),
                *(
                    [(" " * (most - dl.capital_max), ""), ("●" * cap, "$warning"), ("○" * max(0, dl.capital_max - cap), "$foreground 30%"), (f" {cap:>2}", "bold")]
                    if pips else [(f"{cap:>2}", "bold $text-warning"), (f"/{dl.capital_max}", "$text-muted")]
                ),
                *([(f" ⌂{state.support[d]:>2}", self._support_style(state, d))] if home else []),
            ))
        return Content("\n").join(lines)
