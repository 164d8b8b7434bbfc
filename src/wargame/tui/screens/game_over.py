"""Game over: the shared outcome, every delegation's score against its agenda, the way to the report."""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual import on
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Input, Select, Static

from ...engine import scoring
from ...model import RATINGS, GameState, Rate, Rated
from ...text import clip
from .. import messages, present
from ..notices import refuse
from .console_key import CONSOLE_BINDING, OpensConsole
from .facilitator import ConsoleTab
from ..widgets.footer import KeysFooter


def score_table(state: GameState) -> Content:
    rows = present.score_rows(state)
    win = scoring.winner(state)
    pars = any(r["vs_par"] for r in rows)
    # 71 columns at most, so it fits an 80-column terminal; the collapse penalty, the same
    # for everyone, is a note below instead of a column.
    head = f"{'Delegation':<17} {'Played by':<18} {'Agenda':>7} {'Red lines':>9} {'Total':>6}"
    head += f" {'vs par':>7}" if pars else ""
    lines: list[Content] = [Content.styled(head, "bold underline")]
    for r in rows:
        mark = " ★" if r["id"] == win else ""
        lines.append(Content.assemble(
            (f"{clip(r['delegation'], 17):<17} ", "bold"),
            (f"{clip(r['by'], 18):<18} ", "$text-muted"),
            f"{r['agenda']:>7} {r['red']:>9} ",
            (f"{r['total']:>6}", "bold $text-accent" if mark else "bold"),
            (f" {r['vs_par']:>7}" if pars else "", "$text-muted"),
            (mark, "bold $text-accent"),
        ))
    return Content("\n").join(lines)


def score_notes(state: GameState) -> Content:
    """Red lines crossed, and who did best (lines that may wrap, below the table)."""
    rows = present.score_rows(state)
    win = scoring.winner(state)
    lines = [Content.styled(f"{r['delegation']} crossed: {r['red_lines']}", "$text-error") for r in rows if r["red_lines"]]
    collapse = {r["collapse"] for r in rows} - {"0"}
    if collapse:
        lines.append(Content.styled(f"The talks collapsed: {collapse.pop()} for every delegation, included in the totals.",
                                    "$text-error"))
    if lines:
        lines.append(Content(""))
    if win is not None:
        lines.append(Content.assemble(("Best result: ", "bold"), (present.who(state, win), "bold $text-accent"), " — furthest above its par."))
    else:
        lines.append(Content.styled("A tie at the top: no single delegation did best.", "bold"))
    for d in state.setup.humans:  # each team also learns how it did for its role
        line = present.par_line(state, d)
        if line:
            lines.append(Content.assemble((f"{present.who(state, d)}: ", "bold"), line + "."))
    return Content("\n").join(lines)


def final_values(state: GameState) -> str:
    sc = state.scenario
    parts = [f"{t.name} {state.tracks[t.id]}" for t in sc.tracks] + [f"{m.name} {state.meters[m.id]}" for m in sc.meters]
    return "Final values: " + " · ".join(parts) + f" · Monitoring {state.monitoring}"


class RatingForm(ConsoleTab):
    """At the debrief the facilitator rates each exercise objective P, S, M or U, with a line of evidence."""

    def compose(self) -> ComposeResult:
        objectives = self.state.exercise.objectives
        yield Static("Rate the exercise's objectives (in the after-action report):", classes="rating-title")
        with Horizontal(classes="console-field"):
            yield Select([(f"{o.id}: {o.text}", o.id) for o in objectives], prompt="Objective", id="rate-objective")
            yield Select([(f"{k} — {v}", k) for k, v in RATINGS.items()], prompt="Rating", id="rate-rating")
        with Horizontal(classes="console-field"):
            yield Input(placeholder="The line of evidence (Enter to rate)", max_length=300, id="rate-evidence")
            yield Button("Rate", id="rate", variant="primary")
        yield Static(id="ratings")

    def draw(self, state: GameState) -> None:
        given = {e.payload.objective: e.payload for e in state.log if isinstance(e.payload, Rated)}
        lines = [f"{o.id}: {given[o.id].rating}" + (f" — {given[o.id].evidence}" if given[o.id].evidence else "")
                 if o.id in given else f"{o.id}: not rated yet" for o in state.exercise.objectives]
        self.query_one("#ratings", Static).update(Content("\n".join(lines)))

    @on(Button.Pressed, "#rate")
    @on(Input.Submitted, "#rate-evidence")
    def rate(self, event) -> None:
        event.stop()
        objective = self.query_one("#rate-objective", Select).value
        rating = self.query_one("#rate-rating", Select).value
        if not isinstance(objective, str) or not isinstance(rating, str):
            refuse(self, "Choose the objective and its rating (P, S, M or U) first.")
            return
        self.send(Rate(objective, rating, " ".join(self.query_one("#rate-evidence", Input).value.split())))

    def sent_done(self) -> None:
        self.query_one("#rate-evidence", Input).value = ""
        self.query_one("#rate-rating", Select).clear()


class GameOverScreen(OpensConsole, Screen[None]):
    BINDINGS = [
        Binding("r", "report", "Report"),
        Binding("w", "write_report", "Write report"),
        Binding("n", "new_game", "New game"),
        Binding("b", "board", "Board"),
        CONSOLE_BINDING,
        Binding("escape", "board", "Board", show=False),
    ]

    AUTO_FOCUS = None  # no field of the rating form has the focus at first: r, w, n, b act at once
    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)

    def __init__(self, state: GameState) -> None:
        super().__init__(id="game-over")
        self.set_reactive(GameOverScreen.state, state)

    def compose(self) -> ComposeResult:
        s = self.state
        with VerticalScroll(id="game-over-scroll"):
            with Vertical(id="game-over-box"):
                yield Static(f"GAME OVER after round {s.round} of {s.setup.rounds} · seed {s.setup.seed}", id="game-over-title")
                yield Static(scoring.OUTCOME_TEXT[s.outcome], id="outcome", classes=f"-{s.outcome}")
                yield Static(score_table(s), id="scores")
                yield Static(score_notes(s), id="score-notes")
                yield Static(final_values(s), id="final-values")
                if s.setup.facilitated and s.exercise is not None and s.exercise.objectives:
                    yield RatingForm(s, id="rating-form").data_bind(GameOverScreen.state)
                yield Static("r: the after-action report · w: write it (Markdown or HTML) · f: the facilitator console · n: new game · b: look at the board · ctrl+q: quit", classes="hint")
        yield KeysFooter()

    def action_report(self) -> None:
        self.post_message(messages.ShowReport())

    def action_write_report(self) -> None:
        from .confirm import ReportFormatScreen

        self.app.push_screen(ReportFormatScreen(), self._format_chosen)

    def _format_chosen(self, fmt: Optional[str]) -> None:
        if fmt is not None:
            self.post_message(messages.WriteReport(fmt))

    def action_new_game(self) -> None:
        self.post_message(messages.NewGame())

    def action_board(self) -> None:
        self.dismiss(None)
