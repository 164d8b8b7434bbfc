"""The after-action report as one self-contained HTML page: the same sections, charts drawn as SVG.

The page must open on a laptop with no network and print to PDF from a browser,
so the CSS and the charts are inline and nothing refers to any other file or
address. The Markdown is rendered by markdown-it-py (raw HTML off: typed text
stays text); only the text chart of the tracks becomes one SVG line chart per
track and meter.
"""

from __future__ import annotations

from html import escape
from typing import Optional

from markdown_it import MarkdownIt

from ..model import GameState, top_of
from .facts import GameFacts, SaveMeta, game_facts
from .markdown import Section, history_ids, history_name, report_sections

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #1b1b1b; }
h1 { border-bottom: 3px solid #1f3a5f; padding-bottom: .3rem; }
h2 { border-bottom: 1px solid #aab; margin-top: 2.2rem; color: #1f3a5f; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .92rem; }
th, td { border: 1px solid #bbc; padding: .25rem .5rem; vertical-align: top; }
th { background: #eef1f6; }
td:empty::after { content: "\\00a0"; }
code, pre { background: #f4f4f6; }
pre { padding: .5rem; overflow-x: auto; }
.charts { display: flex; flex-wrap: wrap; gap: .8rem; }
figure.chart { margin: 0; border: 1px solid #dde; padding: .3rem; }
figure.chart figcaption { font-weight: 600; font-size: .9rem; }
svg .axis { stroke: #888; stroke-width: 1; }
svg .grid { stroke: #e3e3e8; stroke-width: 1; }
svg .line { fill: none; stroke: #1f5fa8; stroke-width: 2; }
svg .dot { fill: #1f5fa8; }
svg .threshold { stroke: #c0392b; stroke-width: 1; stroke-dasharray: 4 3; }
svg text { font-size: 10px; fill: #444; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  table, figure.chart, li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

WIDTH, HEIGHT = 300, 140
LEFT, RIGHT, TOP, BOTTOM = 28, 10, 10, 22


def _threshold(f: GameFacts, key: str) -> Optional[int]:
    """The level that matters on a chart: the ceasefire's, or the framework's for tracks and sovereignty."""
    rules = f.scenario.rules
    if key == "ceasefire":
        return rules.ceasefire_threshold
    if key in f.scenario.track_ids:
        return rules.framework_threshold
    if key == "sovereignty":
        return rules.framework_sovereignty
    return None


def line_chart(title: str, values: list[int], top: int, threshold: Optional[int] = None) -> str:
    """An SVG line chart of one value from the start (R0) to the last round, on a fixed 0..top scale."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    steps = max(1, len(values) - 1)

    def x(i: int) -> float:
        return LEFT + plot_w * i / steps

    def y(v: float) -> float:
        return TOP + plot_h * (1 - max(0, min(top, v)) / top)

    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)} by round" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}">', f"<title>{escape(title)}: {' '.join(str(v) for v in values)}</title>"]
    for v in range(0, top + 1, 2 if top > 5 else 1):
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y(v):.1f}" x2="{WIDTH - RIGHT}" y2="{y(v):.1f}"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y(v) + 3:.1f}" text-anchor="end">{v}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}"/>')
    parts.append(f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>')
    for i in range(len(values)):
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 6}" text-anchor="middle">{"Start" if i == 0 else f"R{i}"}</text>')
    if threshold is not None:
        parts.append(f'<line class="threshold" x1="{LEFT}" y1="{y(threshold):.1f}" x2="{WIDTH - RIGHT}" y2="{y(threshold):.1f}"/>')
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<polyline class="line" points="{points}"/>')
    parts += [f'<circle class="dot" cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5"/>' for i, v in enumerate(values)]
    parts.append("</svg>")
    return "".join(parts)


def charts(f: GameFacts) -> str:
    """One chart per track and meter (and support at home), in the order of the history table."""
    figures = []
    for k in history_ids(f):
        name = history_name(f, k)
        figures.append(f'<figure class="chart" data-value="{escape(k)}"><figcaption>{escape(name)}</figcaption>'
                       f"{line_chart(name, f.state.history[k], top_of(k), _threshold(f, k))}</figure>")
    note = ('<p>Each chart runs from the start to the last round on a fixed scale; a dashed line marks the level '
            "the ceasefire or the framework agreement needs.</p>")
    return f'<div class="charts">{"".join(figures)}</div>{note}'


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render_html(f: GameFacts, sections: list[Section]) -> str:
    """The page: every section's Markdown rendered, the text chart replaced by SVG charts."""
    renderer = _markdown()
    body = []
    for s in sections:
        body.append(charts(f) if s.key == "history-chart" else renderer.render("\n".join(s.lines)))
    title = f.meta.title or f.scenario.title
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>After-action report: {escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def build_html_report(state: GameState, *, created: Optional[str] = None, title: Optional[str] = None, notes: str = "") -> str:
    """The after-action report of a game as one self-contained HTML page (see `build_report` for the arguments)."""
    f = game_facts(state, SaveMeta(created, title, notes))
    return render_html(f, report_sections(f))
