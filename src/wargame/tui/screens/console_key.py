"""The key that opens the facilitator console, on every screen of a game.

The facilitator must be able to step in whatever the room is looking at: the
board, a hand-off, a decision, the outcome. Each of those screens mixes this
in; the app decides what opening the console does to the screen under it
(a hand-off or a decision is closed and comes back afterwards, so no hand is
shown and nothing stale stays up).
"""

from __future__ import annotations

from textual.binding import Binding

from .. import messages


# Textual merges the BINDINGS of widget classes only, so each screen lists these in its own.
CONSOLE_BINDING = Binding("f", "facilitator", "Console")
# On a decision a stray f must not close the team's choice: the console needs ctrl+f there
# (a priority over the rationale's own ctrl+f, which deletes a word).
CONSOLE_CTRL_BINDING = Binding("ctrl+f", "facilitator", "Console", priority=True)


class OpensConsole:
    """A game screen on which `f` or ctrl+f (the bindings above, in the screen's BINDINGS) opens the console."""

    def action_facilitator(self) -> None:
        self.post_message(messages.OpenConsole())
