"""Multi-seat play: one authoritative host, each team on its own device (issue 15).

- `protocol`: the JSON messages on the wire, validated by the project's converter;
- `view`: what one seat may see of the game (its own hand and brief, others' hand sizes);
- `table`: the headless host, the turn flow and the engine with bots, autosave and a version;
- `server`: the aiohttp WebSocket server around a table; `client`: joining it;
- `commands`: `wargame serve` and `wargame join`.

Nothing here imports Textual; the team's screen is `wargame.tui.remote`.
"""

DEFAULT_PORT = 8765
