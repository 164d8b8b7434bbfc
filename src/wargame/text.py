"""Small pieces of plain text that the board, the report and the saves list all draw the same way."""

from __future__ import annotations

from typing import Iterable, Optional

SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Iterable[int], top: int = 10, width: Optional[int] = None) -> str:
    """One block character per value on a fixed 0..top scale (so rows compare), the newest
    on the right; `width` keeps only the newest values."""
    vals = list(values)
    if width is not None:
        vals = vals[-width:]
    if top <= 0:
        return SPARKS[0] * len(vals)
    steps = len(SPARKS) - 1
    return "".join(SPARKS[round(max(0, min(top, v)) * steps / top)] for v in vals)


def signed(n: int) -> str:
    """A whole change as people read it: "+2", "−1" (a true minus sign, as wide as the plus), "+0"."""
    return f"{n:+d}".replace("-", "\u2212")


def clip(text: str, width: int) -> str:
    """`text` in at most `width` columns, an ellipsis marking a cut."""
    return text if len(text) <= width else text[: width - 1] + "…"
