"""Do the cards quote their article? A check for deck authors (`wargame check DIR --article FILE`).

Every event and concession card, and every inject that gives one, carries a
`source`: the sentence of the briefing article it stands on. Facilitators cite
it in the hotwash, so a source the article does not contain is a broken
promise. The comparison ignores whitespace, quote marks (straight and curly,
single and double) and case, because decks are typed by hand and articles come
with typographic quotes and line breaks.
"""

from __future__ import annotations

from pathlib import Path

from .errors import UserError
from .model import Scenario

# Straight and curly quote marks, single and double (with the low and reversed forms).
_QUOTE_MARKS = "'\"\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f"
_DROP = {ord(c): None for c in _QUOTE_MARKS}
_QUOTE_SHOWN = 60  # characters of a missing source shown in its line


def normalised(text: str) -> str:
    """`text` as the comparison sees it: no whitespace, no quote marks, case folded."""
    return "".join(text.translate(_DROP).split()).casefold()


def read_article(path: str | Path) -> str:
    """The article's text; a `UserError` of one line when it cannot be read as UTF-8 text."""
    where = f"--article {path}"
    p = Path(path)
    try:
        if p.is_dir():
            raise UserError(f"{where}: is a folder, not a text file")
        if p.exists() and not p.is_file():
            raise UserError(f"{where}: not a regular file")
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{where}: no such file") from None
    except PermissionError:
        raise UserError(f"{where}: cannot be read (permission denied)") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise UserError(f"{where}: cannot be read ({exc.strerror or exc})") from None


def unquoted_cards(scenario: Scenario, article: str) -> list[str]:
    """One line per card whose source the article does not contain, naming its file and card."""
    text = normalised(article)
    folder = Path(scenario.path) if scenario.path else Path()
    cards = [("events.toml", "event", card, True) for card in scenario.events]
    cards += [("concessions.toml", "concession", card, True) for card in scenario.concessions]
    cards += [("msel.toml", "inject", card, False) for card in scenario.injects]
    lines = []
    for file, kind, card, required in cards:
        source = normalised(card.source)
        if not source:
            if required:
                lines.append(f'{folder / file}: {kind} "{card.id}": no source quote (field source)')
            continue
        if source not in text:
            shown = card.source if len(card.source) <= _QUOTE_SHOWN else card.source[:_QUOTE_SHOWN] + "…"
            lines.append(f'{folder / file}: {kind} "{card.id}": source not found in the article: "{shown}"')
    return lines
