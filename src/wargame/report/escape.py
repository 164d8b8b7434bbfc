"""Free text made safe for Markdown: typed names, rationales and notes cannot break the report."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md(text: str) -> str:
    """Free text as one safe Markdown line.

    Team names, rationales and notes are typed by people; a stray `|`, `*` or
    newline must not break the report's tables and lists.
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
