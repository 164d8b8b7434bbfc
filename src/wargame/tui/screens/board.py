"""The board: tracks and meters, ceasefire, capital, the log and the acting team's hand.

The board shows the app's current state and turns keys into requests to the
app (`request_play`, `request_pass`, `open_decision`); the app checks whose
turn it is and sends actions to the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList

from ...engine import current_actor
from ...model import MONITORING, GameState
from ..widgets import CapitalTable, CeasefireStatus, HandList, HandPanel, LogView, MeterBar, StatusBar, TrackBar
from ..widgets.clock import RoundClock

if TYPE_CHECKING:
    from ..app import WargameApp


class BoardScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    BINDINGS = [
        Binding("enter", "play_selected", "Play card"),
        Binding("p", "pass_turn", "Pass"),
        Binding("d", "decide", "Decide"),
        Binding("o", "outcome", "Outcome"),
        Binding("space", "pause", "Pause bots"),
        Binding("f", "facilitator", "Facilitator"),
        *(Binding(str(n), f"play_number({n})", f"Play card {n}", show=False) for n in range(1, 10)),
    ]

    app: "WargameApp"

    def __init__(self, state: GameState, clock_minutes: int = 0) -> None:
        super().__init__()
        self.initial = state
        self.clock_minutes = clock_minutes  # the round clock's setting, kept across saves
        self.hand_owner: Optional[str] = None  # whose hand is on show
        self._keys: tuple = ()

    def compose(self) -> ComposeResult:
        # The breakpoint classes Textual would set on the first resize, set now: added after
        # the widgets are styled, they would make Textual style the whole board a second time.
        width, height = self.app.size
        self.add_class(
            *self._get_breakpoint_classes(width, self.HORIZONTAL_BREAKPOINTS),
            *self._get_breakpoint_classes(height, self.VERTICAL_BREAKPOINTS),
        )
        s = self.initial
        sc = s.scenario
        self._keys = self._keys_on_offer(s)  # the footer below is composed with these keys
        yield StatusBar(id="status")
        yield RoundClock(self.clock_minutes, id="round-clock")  # its own layer, over the status bar's right end
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
            with Vertical(id="right"):
                log = LogView(id="log")
                log.border_title = "Log"
                yield log
                yield HandPanel(id="hand")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.app.state if self.app.state is not None else self.initial)

    # --- drawing -------------------------------------------------------------

    def show(self, state: GameState) -> None:
        """Redraw everything from `state`; the hand only if the app says whose may be seen."""
        if not self.is_mounted:
            return
        actor = current_actor(state)
        note = ""
        if self.app.paused and actor not in state.setup.humans and not state.over:
            note = "bots wait: f for the injects, space to play on" if self.app.inject_hold \
                else "paused, space to go on"
        self.query_one(StatusBar).show(state, note)
        self.query_one(RoundClock).show(state)
        for bar in self.query(".value-bar"):
            bar.show(state)
        self.query_one(CeasefireStatus).show(state)
        self.query_one(CapitalTable).show(state, actor)
        self.query_one(LogView).show(state)
        owner, hand_note = self.app.hand_view()
        self.hand_owner = owner
        hand = self.query_one(HandPanel)
        hand.display = bool(state.setup.humans)
        hand.show(state, owner, hand_note)
        keys = self._keys_on_offer(state)
        if keys != self._keys:  # the footer is costly to redraw: only when the keys on offer change
            self._keys = keys
            self.refresh_bindings()

    def _keys_on_offer(self, state: GameState) -> tuple:
        """What `check_action` depends on: the footer is rebuilt only when this changes."""
        return (bool(state.setup.humans), state.over, self.app.human_decision_waiting())

    def focus_hand(self) -> None:
        hand_list = self.query_one(HandList)
        if self.hand_owner is not None and hand_list.option_count:
            hand_list.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if isinstance(event.option_list, HandList):
            self.query_one(HandPanel).show_detail(self.app.state)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, HandList) and event.option.id:
            event.stop()
            self.app.request_play(event.option.id)

    # --- keys ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> Optional[bool]:
        state = self.app.state
        if state is None:
            return True
        humans = bool(state.setup.humans)
        if action in ("play_selected", "pass_turn", "play_number"):
            return humans and not state.over
        if action == "decide":
            return self.app.human_decision_waiting()
        if action == "outcome":
            return state.over
        if action == "pause":
            return not state.over
        return True

    def action_play_selected(self) -> None:
        hand_list = self.query_one(HandList)
        i = hand_list.highlighted
        if self.hand_owner is None or i is None or not hand_list.option_count:
            self.app.refuse("No hand to play from now.")
            return
        self.app.request_play(hand_list.get_option_at_index(i).id)

    def action_play_number(self, n: int) -> None:
        hand_list = self.query_one(HandList)
        if self.hand_owner is None or n > hand_list.option_count:
            self.app.refuse(f"There is no card {n} to play now.")
            return
        hand_list.highlighted = n - 1
        self.app.request_play(hand_list.get_option_at_index(n - 1).id)

    def action_pass_turn(self) -> None:
        self.app.request_pass()

    def action_decide(self) -> None:
        self.app.open_decision()

    def action_outcome(self) -> None:
        self.app.show_game_over()

    def action_pause(self) -> None:
        self.app.toggle_pause()

    def action_facilitator(self) -> None:
        self.app.open_facilitator()
