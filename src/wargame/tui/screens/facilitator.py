"""The facilitator console: injects of the MSEL, events, adjudication, undo, the clock, the bots, notes.

A tabletop exercise is run by its facilitator. The console gives them the
controls exercise practice expects, and every one of them that touches the
game is an `Action` sent through `app.act`, so it is in the log, the save
and the after-action report, and undo covers it. The round clock and the
pause only tell the room and hold the bots: they never make a move. While the
console is open the game waits (no bot moves, no hand-off), so nothing moves
under the facilitator's hands; it carries on when the console closes.

Keys: Esc closes; Tab moves between fields; the tabs on top switch pages
(←/→ when the tab bar has the focus); Enter in a field does that page's main
action.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable, Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, OptionList, Select, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from ...engine import IllegalAction, check, current_actor, undo
from ...engine.rounds import due_injects, inject_round
from ...model import (
    MONITORING,
    Action,
    Adjudicate,
    Answer,
    Choose,
    FireEvent,
    FireInject,
    GameState,
    Note,
    Pass,
    PlayCard,
    PostponeInject,
    Respond,
    SkipInject,
    top_of,
)
from ...narrate import describe_effects
from .. import present
from ..widgets.clock import RoundClock

if TYPE_CHECKING:
    from ..app import WargameApp


def round_clock(app) -> Optional[RoundClock]:
    """The clock on the game's board, if a board is up."""
    from .board import BoardScreen

    for screen in app.screen_stack:
        if isinstance(screen, BoardScreen):
            found = screen.query(RoundClock)
            return found.first() if found else None
    return None


def stamped(text: str, now: Optional[datetime] = None) -> str:
    """A note with the wall-clock time in front; the engine's log gives it its round."""
    return f"[{(now or datetime.now()).strftime('%H:%M')}] {' '.join(text.split())}"


def describe_action(state: GameState, action: Action) -> str:
    """One line for the undo question: who did what."""
    sc = state.scenario
    who = present.name(state, action.delegation) if action.delegation else "The facilitator"
    if isinstance(action, Pass):
        return f"{who} passes"
    if isinstance(action, PlayCard):
        return f"{who} plays “{sc.concession(action.card).title}”"
    if isinstance(action, Answer):
        return f"{who} {'accepts' if action.accept else 'rejects'} “{sc.concession(action.card).title}”"
    if isinstance(action, (FireInject, SkipInject, PostponeInject)):
        verb = {FireInject: "fires", SkipInject: "skips", PostponeInject: "postpones"}[type(action)]
        return f"{who} {verb} the inject “{sc.inject(action.inject).title}”"
    if isinstance(action, FireEvent):
        return f"{who} fires the event “{sc.event(action.card).title}”"
    if isinstance(action, Adjudicate):
        return f"{who} sets {sc.name_of(action.target)} to {action.value} ({action.text})"
    if isinstance(action, Note):
        return f"{who} notes: {action.text}"
    if isinstance(action, Choose):
        return f"{who} chooses an option of “{sc.event(action.card).title}”"
    if isinstance(action, Respond):
        return f"{who} responds to a violation ({action.response})"
    return f"{who}: {action.kind}"


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no, for what cannot be taken back lightly (undo)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="confirm")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes (y)", id="confirm-yes", variant="warning")
                yield Button("No (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class FacilitatorScreen(ModalScreen[None]):
    """The console: one tab per job; each game-changing control is an Action sent through `app.act`."""

    HOLDS_GAME = True  # the game waits under the console (see WargameApp._board_active)
    BINDINGS = [
        Binding("escape", "close", "Close the console"),
        Binding("ctrl+u", "undo", "Undo last action", priority=True),  # above the Inputs' own ctrl+u
        Binding("ctrl+b", "pause", "Pause/resume bots"),
    ]

    app: "WargameApp"

    def __init__(self) -> None:
        super().__init__(id="facilitator")
        self._selected_inject: Optional[str] = None

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        state = self.app.state
        sc = state.scenario
        with Vertical(id="console") as box:
            box.border_title = "Facilitator console"
            yield Static(id="console-summary")
            with TabbedContent(id="console-tabs", initial="tab-injects"):
                with TabPane("Injects due", id="tab-injects"):
                    yield OptionList(id="due-list")
                    with VerticalScroll(id="inject-detail-scroll"):
                        yield Static(id="inject-detail")
                    yield Input(placeholder="Reason for skipping or postponing (optional, goes in the log)",
                                max_length=200, id="inject-reason")
                    with Horizontal(classes="console-buttons"):
                        yield Button("Fire", id="inject-fire", variant="primary")
                        yield Button("Skip", id="inject-skip")
                        yield Button("Postpone", id="inject-postpone")
                with TabPane("MSEL", id="tab-msel"):
                    with VerticalScroll(id="msel-scroll"):
                        yield Static(id="msel")
                with TabPane("Events", id="tab-events"):
                    yield Select([(e.title, e.id) for e in sc.events], prompt="Choose an event card", id="event-select")
                    with VerticalScroll(id="event-detail-scroll"):
                        yield Static(id="event-detail")
                    with Horizontal(classes="console-buttons"):
                        yield Button("Fire this event", id="event-fire", variant="primary")
                with TabPane("Adjudicate", id="tab-adjudicate"):
                    yield Select(self._targets(state), prompt="Track, meter or monitoring", id="adjudicate-target")
                    yield Input(placeholder="New value", type="integer", max_length=2, id="adjudicate-value")
                    yield Input(placeholder="Reason (required, goes in the log and the report)", max_length=240, id="adjudicate-reason")
                    with Horizontal(classes="console-buttons"):
                        yield Button("Set the value", id="adjudicate-apply", variant="primary")
                with TabPane("Clock & bots", id="tab-clock"):
                    with Horizontal(classes="console-field"):
                        yield Static("Whole minutes per negotiation phase (0 = off)", classes="console-label")
                        yield Input(placeholder="0", type="integer", max_length=3, id="clock-minutes")
                        yield Button("Set clock", id="clock-set")
                    yield Static(id="clock-state")
                    with Horizontal(classes="console-buttons"):
                        yield Button("Pause bots", id="pause-toggle")
                        yield Button("Undo last action", id="undo", variant="warning")
                    yield Static(id="undo-state")
                with TabPane("Notes", id="tab-notes"):
                    yield Input(placeholder="A note for the hotwash (Enter to add)", max_length=400, id="note-text")
                    with Horizontal(classes="console-buttons"):
                        yield Button("Add note", id="note-add", variant="primary")
                    with VerticalScroll(id="notes-scroll"):
                        yield Static(id="notes")
            yield Static("Esc close · Tab next field · Enter does the page's action · ctrl+u undo · ctrl+b pause bots",
                         classes="hint")
        yield Footer()

    @staticmethod
    def _targets(state: GameState) -> list[tuple[str, str]]:
        sc = state.scenario
        keys = [t.id for t in sc.tracks] + [m.id for m in sc.meters] + [MONITORING]
        return [(f"{sc.name_of(k)} (now {state.value(k)})", k) for k in keys]

    def on_mount(self) -> None:
        self.app.settle_inputs(self)
        self.set_interval(1.0, self._clock_text)
        clock = round_clock(self.app)
        if clock is not None:
            self.query_one("#clock-minutes", Input).value = str(clock.minutes)
        self.refresh_view()
        due = self.query_one("#due-list", OptionList)
        if due.option_count:
            due.focus()

    # --- redrawing -------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Everything on the console from the app's current state."""
        state = self.app.state
        if state is None:
            return
        self._summary(state)
        self._due(state)
        self._msel(state)
        self._event_detail(state)
        self._adjudicate_targets(state)
        self._clock_state()
        self._notes(state)

    def _summary(self, state: GameState) -> None:
        actor = current_actor(state)
        bits = [present.round_line(state)]
        if state.over:
            bits.append("the game is over")
        elif actor is not None:
            bits.append(f"waiting for {present.who(state, actor)}")
        bits.append("bots paused" if self.app.paused else "bots wait until the console closes")
        bits.append(f"{len(due_injects(state))} inject(s) due")
        self.query_one("#console-summary", Static).update(Content("  ·  ".join(bits)))

    def _due(self, state: GameState) -> None:
        due = due_injects(state)
        options = self.query_one("#due-list", OptionList)
        keep = self._selected_inject if self._selected_inject in due else (due[0] if due else None)
        options.clear_options()
        if not due:
            options.add_option(Option("No injects due this round.", id="-none", disabled=True))
        for inj_id in due:
            inj = state.scenario.inject(inj_id)
            late = "" if inject_round(state, inj_id) == state.round else f" (from round {inject_round(state, inj_id)})"
            options.add_option(Option(f"{inj.title}{late}", id=inj_id))
        if keep is not None:
            options.highlighted = due.index(keep)
        self._selected_inject = keep
        self._inject_detail(state)

    def _inject_detail(self, state: GameState) -> None:
        detail = self.query_one("#inject-detail", Static)
        inj_id = self._selected_inject
        if inj_id is None:
            detail.update(Content("Nothing scheduled is waiting. The MSEL tab shows the whole list."))
            return
        inj = state.scenario.inject(inj_id)
        parts: list[tuple[str, str]] = [
            (inj.title, "bold $text-accent"),
            ("\nRead out: ", "$text-muted"), (inj.text, ""),
        ]
        effects = describe_effects(state.scenario, inj.effects)
        if effects:
            parts += [("\nEffects: ", "$text-muted"), (effects, "bold")]
        if inj.event:
            parts += [("\nFires the event: ", "$text-muted"), (state.scenario.event(inj.event).title, "bold")]
        if inj.question:
            parts += [("\nQuestion for the hotwash: ", "$text-muted"), (inj.question, "italic")]
        detail.update(Content.assemble(*parts))

    def _msel(self, state: GameState) -> None:
        parts: list[tuple[str, str]] = []
        for inj in state.scenario.injects:
            status = state.injects_done.get(inj.id)
            when = inject_round(state, inj.id)
            if status is None:
                status = "due now" if when <= state.round else "scheduled"
            moved = f" (moved from {inj.round})" if when != inj.round else ""
            style = {"fired": "$text-success", "skipped": "$text-muted", "due now": "bold $text-warning"}.get(status, "")
            parts += [(f"Round {when}{moved}  ", "$text-muted"), (f"{status:<9}", style), (f"  {inj.title}\n", "")]
        if not parts:
            parts.append(("This scenario has no master scenario events list.", "$text-muted"))
        self.query_one("#msel", Static).update(Content.assemble(*parts))

    def _event_detail(self, state: GameState) -> None:
        select = self.query_one("#event-select", Select)
        detail = self.query_one("#event-detail", Static)
        card_id = select.value
        if not isinstance(card_id, str):
            detail.update(Content("Any event card may be fired now, whether or not it is still in the deck."))
            return
        card = state.scenario.event(card_id)
        parts: list[tuple[str, str]] = [(card.title, "bold $text-accent"), ("\n" + card.text, "")]
        effects = describe_effects(state.scenario, card.effects)
        if effects:
            parts += [("\nEffects: ", "$text-muted"), (effects, "bold")]
        if card.chooser:
            parts += [("\nChosen by: ", "$text-muted"), (state.scenario.name_of(card.chooser), "bold")]
        detail.update(Content.assemble(*parts))

    def _adjudicate_targets(self, state: GameState) -> None:
        select = self.query_one("#adjudicate-target", Select)
        value = select.value
        select.set_options(self._targets(state))
        if isinstance(value, str):
            select.value = value

    def _clock_text(self) -> None:
        """The clock as the board shows it, every second: at 80x24 the console covers the board's."""
        clock = round_clock(self.app)
        text = "No board is up." if clock is None else (
            "The round clock is off." if clock.minutes <= 0 else
            f"{clock.minutes} minute(s) per negotiation phase; now {clock.text()}. It only rings: it never makes a move."
        )
        self.query_one("#clock-state", Static).update(Content(text))

    def _clock_state(self) -> None:
        self._clock_text()
        self.query_one("#pause-toggle", Button).label = "Resume bots" if self.app.paused else "Pause bots"
        state = self.app.state
        last = describe_action(state, state.actions[-1]) if state.actions else "nothing to undo yet"
        self.query_one("#undo-state", Static).update(Content("Last action: " + last))

    def _notes(self, state: GameState) -> None:
        notes = [e for e in state.log if e.kind == "note"]
        text = "\n".join(f"Round {e.round}: {e.payload.text}" for e in notes) or "No notes yet."
        self.query_one("#notes", Static).update(Content(text))

    # --- events from the widgets --------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "due-list" and event.option.id and event.option.id != "-none":
            self._selected_inject = event.option.id
            self._inject_detail(self.app.state)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "due-list":
            event.stop()
            self.fire_inject()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "event-select":
            self._event_detail(self.app.state)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        handlers: dict[str, Callable[[], object]] = {
            "inject-fire": self.fire_inject,
            "inject-skip": lambda: self.inject_action("skip_inject"),
            "inject-postpone": lambda: self.inject_action("postpone_inject"),
            "event-fire": self.fire_event,
            "adjudicate-apply": self.adjudicate,
            "clock-set": self.set_clock,
            "pause-toggle": self.action_pause,
            "undo": self.action_undo,
            "note-add": self.add_note,
        }
        handler = handlers.get(event.button.id or "")
        if handler is not None:
            handler()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        handlers: dict[str, Callable[[], object]] = {
            "inject-reason": self.fire_inject,
            "adjudicate-value": self.adjudicate,
            "adjudicate-reason": self.adjudicate,
            "clock-minutes": self.set_clock,
            "note-text": self.add_note,
        }
        handler = handlers.get(event.input.id or "")
        if handler is not None:
            handler()

    # --- the console's jobs ------------------------------------------------------------------------

    def _act(self, action: Action) -> bool:
        """Through the app like every move: logged, saved, undoable; the console is redrawn after."""
        ok = self.app.act(action)
        self.refresh_view()
        return ok

    def _reason(self) -> str:
        return " ".join(self.query_one("#inject-reason", Input).value.split())

    def fire_inject(self) -> bool:
        inj_id = self._selected_inject
        if inj_id is None:
            self.app.refuse("No inject is due now: the MSEL tab shows what comes later.")
            return False
        # The app shows the inject as a toast ("Inject"), as it does for any inject.
        ok = self._act(FireInject(inj_id, self._reason()))
        if ok:
            self.query_one("#inject-reason", Input).value = ""
        return ok

    def inject_action(self, kind: str) -> bool:
        inj_id = self._selected_inject
        if inj_id is None:
            self.app.refuse("No inject is due now: nothing to skip or postpone.")
            return False
        ok = self._act({"skip_inject": SkipInject, "postpone_inject": PostponeInject}[kind](inj_id, self._reason()))
        if ok:
            self.query_one("#inject-reason", Input).value = ""
        return ok

    def fire_event(self) -> bool:
        card_id = self.query_one("#event-select", Select).value
        if not isinstance(card_id, str):
            self.app.refuse("Choose an event card first.")
            return False
        ok = self._act(FireEvent(card_id))
        if ok:
            self.app.notify(f"Event fired: {self.app.state.scenario.event(card_id).title}", title="Facilitator", markup=False)
        return ok

    def adjudicate(self) -> bool:
        target = self.query_one("#adjudicate-target", Select).value
        raw = self.query_one("#adjudicate-value", Input).value.strip()
        reason = " ".join(self.query_one("#adjudicate-reason", Input).value.split())
        if not isinstance(target, str):
            self.app.refuse("Choose the track, meter or monitoring to set.")
            return False
        try:
            value = int(raw)
        except ValueError:
            self.app.refuse(f"Give the new value: a whole number from 0 to {top_of(target)}.")
            return False
        if not reason:
            self.app.refuse("An adjudication needs a reason: type why in the reason box. Nothing was changed.")
            self.query_one("#adjudicate-reason", Input).focus()
            return False
        action = Adjudicate(target, value, reason)
        refused = check(self.app.state, action)  # the engine knows the range; the console only asks
        if refused is not None:
            self.app.refuse(refused[0].upper() + refused[1:] + ".")
            return False
        # The app shows the adjudication as a toast with its reason.
        ok = self._act(action)
        if ok:
            self.query_one("#adjudicate-value", Input).value = ""
            self.query_one("#adjudicate-reason", Input).value = ""
        return ok  # on a refusal the engine said why and nothing changed

    def set_clock(self) -> bool:
        raw = self.query_one("#clock-minutes", Input).value.strip() or "0"
        clock = round_clock(self.app)
        if clock is None:
            self.app.refuse("The clock is on the board, and no board is up.")
            return False
        try:
            minutes = int(raw)
        except ValueError:
            minutes = -1
        if not 0 <= minutes <= 180:
            self.app.refuse("Minutes per negotiation phase: a whole number from 0 (off) to 180.")
            return False
        clock.set_minutes(minutes)
        self.app.clock_minutes = minutes  # saved with the game, so a reload keeps the clock
        self.app.notify(f"Round clock: {minutes} minute(s) per negotiation phase." if minutes else "Round clock off.",
                        title="Facilitator", timeout=3)
        self._clock_state()
        return True

    def add_note(self) -> bool:
        box = self.query_one("#note-text", Input)
        text = " ".join(box.value.split())
        if not text:
            self.app.refuse("Type the note first.")
            return False
        ok = self._act(Note(stamped(text)))
        if ok:
            box.value = ""
            self.app.notify(f"Note added to round {self.app.state.round}.", title="Facilitator", timeout=3)
        return ok

    # --- keys ---------------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_pause(self) -> None:
        self.app.toggle_pause()  # it says "Bots paused" / "Bots play on"
        clock = round_clock(self.app)
        if clock is not None:
            clock.tick()
        self.refresh_view()

    def action_undo(self) -> None:
        state = self.app.state
        if state is None or not state.actions:
            self.app.refuse("Nothing to undo: no move has been made yet.")
            return
        question = f"Undo the last action?\n\n{describe_action(state, state.actions[-1])}\n\nThe game is replayed without it."
        self.app.push_screen(ConfirmScreen(question), self._undo_confirmed)

    def _undo_confirmed(self, yes: Optional[bool]) -> None:
        if not yes:
            self.app.notify("Nothing undone.", timeout=2)
            return
        state = self.app.state
        try:
            before = undo(state)
        except IllegalAction as exc:
            self.app.refuse(f"Cannot undo: {exc}.")
            return
        last = describe_action(state, state.actions[-1])
        actor = current_actor(before)
        if actor is not None and not before.is_human(actor) and not self.app.paused:
            # Else the bot would make the very same move again at once (same seed, same state).
            self.app.paused = True
            self.app.notify("Bots paused so the undone move is not simply made again: ctrl+b or space resumes.",
                            timeout=5, markup=False)
        self.app.replace_state(before)
        self.app.notify(f"Undone: {last}", title="Facilitator", timeout=4, markup=False)
        self.refresh_view()
