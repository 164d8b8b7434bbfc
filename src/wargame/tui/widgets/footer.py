"""The key footer of every screen: Textual's `Footer`, rebuilt only when the keys it shows change.

Textual's footer rebuilds all its keys (removes them, mounts and styles new ones)
once for every "bindings changed" signal of its screen, and a screen sends one
for each focus change and each reactive attribute declared with `bindings=True`.
Starting a game sends about ten before the first key, and each rebuild of the
board's dozen keys restyles every one of them: about a third of the CPU of an
app start went there. Most of those signals leave the footer's keys as they
were, so this footer waits for the screen to settle (one rebuild however many
signals came in the meantime, the way Textual's own rebuild waits for the next
refresh) and rebuilds only when what it would show differs from what it shows.
"""

from __future__ import annotations

from typing import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """A `Footer` that rebuilds its keys once per settled change of them, not once per signal."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rebuild_pending = False
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

    def compose(self):
        if self._bindings_ready:
            self._shown = self._keys_on_offer()
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        # What Footer.bindings_changed does, less the rebuild per signal.
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if self.is_attached and self._keys_on_offer() != self._shown:
            await self.recompose()
