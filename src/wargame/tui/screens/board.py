"""The board: tracks and meters, ceasefire, capital, the log and the acting team's hand.

State flows down: the app binds the board's reactive attributes (the state, the
bots' pause, whose hand may be shown, the clock, the newest notice) to its own,
and the board binds each of its widgets to the ones it shows (`data_bind`); each
widget draws what it is given, in its watchers or `render`. Messages flow up:
the board turns keys into messages (`PlayCard`, `Pass`, `OpenDecision`, ...) for
the app, which asks the turn flow whether they may be done.
"""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import OptionList

from ...model import MONITORING, GameState
from ...turnflow import HandView
from .. import messages
from ..notices import refuse
from ..widgets import CapitalTable, CeasefireStatus, HandList, HandPanel, LogView, MeterBar, StatusBar, TrackBar
from ..widgets.brief import BriefPanel
from ..widgets.clock import ClockedScreen
from ..widgets.footer import KeysFooter

HORIZONTAL = [(0, "-narrow"), (110, "-wide"), (180, "-huge")]
VERTICAL = [(0, "-short"), (36, "-tall")]


def breakpoint_class(size: int, breakpoints: list[tuple[int, str]]) -> str:
    """The class of the widest breakpoint `size` reaches, as Textual sets it on a resize."""
    return max((b for b in breakpoints if size >= b[0]), default=breakpoints[0])[1]


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
        self.set_reactive(BoardScreen.over, state.over)

    def compose(self) -> ComposeResult:
        # The breakpoint classes Textual would set on the first resize, set now: added after
        # the widgets are styled, they would make Textual style the whole board a second time.
        width, height = self.app.size
        self.add_class(breakpoint_class(width, HORIZONTAL), breakpoint_class(height, VERTICAL))
        sc = self.state.scenario
        board = BoardScreen
        yield StatusBar(id="status").data_bind(board.state, board.paused, board.inject_hold, board.notice)
        yield self.round_clock()  # its own layer, over the status bar's right end
        with Horizontal(id="main"):
            with Vertical(id="left"):
                with Vertical(id="values") as values:
                    values.border_title = "Tracks"
                    for t in sc.tracks:
                        yield TrackBar(t.id, t.name, t.description, classes="value-bar").data_bind(board.state)
                    for m in sc.meters:
                        yield MeterBar(m.id, m.name, m.description, classes="value-bar meter").data_bind(board.state)
                    yield MeterBar(MONITORING, "Monitoring", classes="value-bar meter").data_bind(board.state)
                yield CeasefireStatus(id="ceasefire-status").data_bind(board.state)
                capital = CapitalTable(id="capital").data_bind(board.state)
                capital.border_title = "Political capital"
                yield capital
                brief = BriefPanel(id="brief").data_bind(board.state, board.hand)
                brief.border_title = "Brief"
                yield brief
            with Vertical(id="right"):
                log = LogView(id="log").data_bind(board.state)
                log.border_title = "Log"
                yield log
                yield HandPanel(id="hand").data_bind(board.state, board.hand)
        yield KeysFooter(compact=True)

    def watch_state(self, state: GameState) -> None:
        self.over = state.over

    def on_screen_resume(self) -> None:
        """Toasts raised over the console or a hand-off would stay here over the log or the hand.

        Their words are on the status line already, so the board drops them.
        """
        self.app.clear_notifications()

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
