"""The after-action report: a game told back to the room for the hotwash, as an HSEEP AAR/IP.

`facts` reads what happened into data, `markdown` and `html` render it,
`questions` draws the hotwash's questions, `cli` is `wargame report`. The
builders are pure functions of the game state (no files, no clock, no
Textual), so the game-over screen shows exactly what `wargame report` writes.
"""

from .cli import cmd_report, default_report_path, format_time, write_report
from .escape import md
from .facts import GameFacts, SaveMeta, game_facts
from .html import build_html_report
from .markdown import build_report, chance_rule, sparkline
from .questions import generated_questions

__all__ = [
    "GameFacts", "SaveMeta", "build_html_report", "build_report", "chance_rule", "cmd_report", "default_report_path",
    "format_time", "game_facts", "generated_questions", "md", "sparkline", "write_report",
]
