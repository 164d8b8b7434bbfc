"""How a screen says no: one bell and one line of why (the board shows it on its status line)."""

from __future__ import annotations


def refuse(widget, message: str) -> None:
    """A key at the wrong time: a bell and a word of why, nothing else. `widget`: any widget, screen or the app."""
    widget.app.bell()
    widget.notify(message, severity="warning", timeout=3, markup=False)
