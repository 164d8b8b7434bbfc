"""The key footer of every screen: Textual's `Footer`, rebuilt only when the keys it shows change.

Textual's footer rebuilds all its keys (removes them, mounts and styles new ones)
once for every "bindings changed" signal of its screen, and a screen sends one
for each focus change and each reactive attribute declared with `bindings=True`.
Starting a game sends about ten before the first key, and each rebuild of the
board's dozen keys restyles every one of them: about a third of the CPU of an
app start went there. Most of those signals leave the footer's keys as they
were, so this footer rebuilds only when what it would show differs from what it
shows: of the rebuilds the signals ask for after one refresh, the first does the
work and the rest find nothing to do. It uses no private part of Textual.
"""

from __future__ import annotations

from typing import Hashable

from textual.widgets import Footer


class KeysFooter(Footer):
    """A `Footer` that rebuilds its keys only when they differ from the keys it shows.

    Textual's footer asks for a rebuild after the next refresh for each signal; every
    such request but the first after a change finds the keys as they are and does nothing."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: Hashable = None  # what the keys on show were built from (None: nothing built yet)

    def _keys_on_offer(self) -> Hashable:
        """Everything `Footer.compose` reads to build the keys, in a form that compares equal when it would build the same."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        offered = tuple(
            (key, binding, enabled, tooltip, app.get_key_display(binding))
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )
        return (offered, self.compact, self.show_command_palette, app.ENABLE_COMMAND_PALETTE)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys_on_offer()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
