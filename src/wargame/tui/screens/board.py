"""The board: tracks and meters, ceasefire, capital, the log and the acting team's hand.

The board draws what the app binds down to it (the state, the bots' pause,
whose hand may be shown, the clock, the newest notice) and turns keys into
messages (`PlayCard`, `Pass`, `OpenDecision`, ...) for the app, which asks the
turn flow whether they may be done.
"""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, OptionList

from ...engine import current_actor
from ...model import MONITORING, GameState
from ...turnflow import HandView
from .. import messages, present
from ..notices import refuse
from ..widgets import CapitalTable, CeasefireStatus, HandList, HandPanel, LogView, MeterBar, StatusBar, TrackBar
from ..widgets.brief import BriefPanel
from ..widgets.clock import ClockedScreen

HORIZONTAL = [(0, "-narrow"), (110, "-wide"), (180, "-huge")]
VERTICAL = [(0, "-short"), (36, "-tall")]


def breakpoint_class(size: int, breakpoints: list[tuple[int, str]]) -> str:
    """The class of the widest breakpoint `size` reaches, as Textual sets it on a resize."""
    return max((b for b in breakpoints if size >= b[0]), default=breakpoints[0])[1]


def hand_note(state: GameState, view: HandView) -> str:
    """The line above the hand: why no hand is shown, or what the team may do."""
    if view.why == "over":
        return "The game is over."
    if view.why == "hidden":
        if view.actor in state.setup.humans:
            return f"Hands are hidden until {present.human_label(state, view.actor)} is ready."
        return f"Hands are hidden while {present.who(state, view.actor) if view.actor else 'the facilitator'} acts."
    if view.why == "waiting":
        return f"Waiting for {present.who(state, view.actor) if view.actor else 'the facilitator'}."
    if view.why == "decision":
        return "A decision waits for you: press d."
    if view.why == "turn":
        return "Your turn: 1–9 or ↑↓ Enter to play, x to discard, p to pass."
    return ""


class BoardScreen(ClockedScreen, Screen[None]):
    HORIZONTAL_BREAKPOINTS = HORIZONTAL
    VERTICAL_BREAKPOINTS = VERTICAL

    BINDINGS = [
        Binding("enter", "play_selected", "Play"),
        Binding("p", "pass_turn", "Pass"),
        Binding("d", "decide", "Decide"),
        Binding("x", "discard_selected", "Discard"),
        Binding("b", "brief", "Brief"),
        Binding("o", "outcome", "Outcome"),
        Binding("space", "pause", "Pause"),
        Binding("f", "facilitator", "Console"),
        *(Binding(str(n), f"play_number({n})", f"Play card {n}", show=False) for n in range(1, 10)),
    ]

    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)
    paused = reactive(False, init=False)
    inject_hold = reactive(False, init=False)
    hand: reactive[HandView] = reactive(HandView(None, "none", None), always_update=True, init=False)
    decision_waiting = reactive(False, bindings=True, init=False)
    notice = reactive(None, always_update=True, init=False)
    over = reactive(False, bindings=True, init=False)

    def __init__(self, state: GameState) -> None:
        super().__init__()
        self.set_reactive(BoardScreen.state, state)

    def compose(self) -> ComposeResult:
        # The breakpoint classes Textual would set on the first resize, set now: added after
        # the widgets are styled, they would make Textual style the whole board a second time.
        width, height = self.app.size
        self.add_class(breakpoint_class(width, HORIZONTAL), breakpoint_class(height, VERTICAL))
        sc = self.state.scenario
        yield StatusBar(id="status")
        yield self.round_clock()  # its own layer, over the status bar's right end
        with Horizontal(id="main"):
            with Vertical(id="left"):
                with Vertical(id="values") as values:
                    values.border_title = "Tracks"
                    for t in sc.tracks:
                        yield TrackBar(t.id, t.name, t.description, classes="value-bar")
                    for m in sc.meters:
                        yield MeterBar(m.id, m.name, m.description, classes="value-bar meter")
                    yield MeterBar(MONITORING, "Monitoring", classes="value-bar meter")
                yield CeasefireStatus(id="ceasefire-status")
                capital = CapitalTable(id="capital")
                capital.border_title = "Political capital"
                yield capital
                brief = BriefPanel(id="brief")
                brief.border_title = "Brief"
                yield brief
            with Vertical(id="right"):
                log = LogView(id="log")
                log.border_title = "Log"
                yield log
                yield HandPanel(id="hand")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.drawn:
            self._draw_state()
            self._draw_hand()

    # --- drawing what is bound down ---------------------------------------------------------

    @property
    def drawn(self) -> bool:
        """The board's widgets are there to draw on (not before it is mounted, nor while the app closes)."""
        return self.is_mounted and self.is_attached and self.query_one(LogView).is_attached

    def watch_state(self) -> None:
        if self.drawn:
            self._draw_state()

    def watch_hand(self) -> None:
        if self.drawn:
            self._draw_hand()

    def watch_paused(self) -> None:
        self._draw_status()

    def watch_inject_hold(self) -> None:
        self._draw_status()

    def watch_notice(self) -> None:
        self._draw_status()

    def _draw_state(self) -> None:
        state = self.state
        self.over = state.over
        self._draw_status()
        for bar in self.query(".value-bar"):
            bar.show(state)
        self.query_one(CeasefireStatus).show(state)
        self.query_one(CapitalTable).show(state, current_actor(state))
        self.query_one(LogView).show(state)

    def _draw_status(self) -> None:
        if not self.drawn:
            return
        state = self.state
        note = ""
        if self.paused and current_actor(state) not in state.setup.humans and not state.over:
            note = "bots wait for the injects: f, or space" if self.inject_hold else "paused: space goes on"
        self.query_one(StatusBar).show(state, note, self.notice)

    def _draw_hand(self) -> None:
        state, view = self.state, self.hand
        panel = self.query_one(HandPanel)
        panel.display = bool(state.setup.humans)
        panel.show(state, view.owner, hand_note(state, view))
        self.query_one(BriefPanel).show(state, view.owner)

    @property
    def hand_owner(self) -> Optional[str]:
        """Whose hand is on show (None: no hand)."""
        return self.hand.owner

    def focus_hand(self) -> None:
        """The hand takes the keys (once the board is up)."""
        if not self.is_mounted:
            self.call_after_refresh(self.focus_hand)
            return
        hand_list = self.query_one(HandList)
        if self.hand_owner is not None and hand_list.option_count:
            hand_list.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if isinstance(event.option_list, HandList):
            self.query_one(HandPanel).show_detail(self.state)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, HandList) and event.option.id:
            event.stop()
            self.post_message(messages.PlayCard(event.option.id))

    # --- keys ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> Optional[bool]:
        state = self.state
        humans = bool(state.setup.humans)
        if action in ("play_selected", "pass_turn", "play_number", "discard_selected", "brief"):
            return humans and not self.over
        if action == "decide":
            return self.decision_waiting
        if action == "outcome":
            return self.over
        if action == "pause":
            return not self.over
        return True

    def _highlighted_card(self, doing: str) -> Optional[str]:
        """The card highlighted in the hand on show, or None (with a word of why) when there is none."""
        hand_list = self.query_one(HandList)
        i = hand_list.highlighted
        if self.hand_owner is None or i is None or not hand_list.option_count:
            refuse(self, f"No hand to {doing} from now.")
            return None
        return hand_list.get_option_at_index(i).id

    def action_play_selected(self) -> None:
        card = self._highlighted_card("play")
        if card is not None:
            self.post_message(messages.PlayCard(card))

    def action_play_number(self, n: int) -> None:
        hand_list = self.query_one(HandList)
        if self.hand_owner is None or n > hand_list.option_count:
            refuse(self, f"There is no card {n} to play now.")
            return
        hand_list.highlighted = n - 1
        self.post_message(messages.PlayCard(hand_list.get_option_at_index(n - 1).id))

    def action_discard_selected(self) -> None:
        card = self._highlighted_card("discard")
        if card is not None:
            self.post_message(messages.DiscardCard(card))

    def action_brief(self) -> None:
        self.post_message(messages.ShowBrief())

    def action_pass_turn(self) -> None:
        self.post_message(messages.Pass())

    def action_decide(self) -> None:
        self.post_message(messages.OpenDecision())

    def action_outcome(self) -> None:
        self.post_message(messages.ShowOutcome())

    def action_pause(self) -> None:
        self.post_message(messages.TogglePause())

    def action_facilitator(self) -> None:
        self.post_message(messages.OpenConsole())
