"""The command palette (ctrl+p): the app's commands, listed by `WargameApp.palette_commands`."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class WargameCommands(Provider):
    """New game, help, theme, quit, and whatever else the app offers now (save, load, facilitator)."""

    def _commands(self):
        return self.app.palette_commands()  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(callback), text=name, help=help_text)
