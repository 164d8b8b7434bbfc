"""The facilitator console: injects of the MSEL, events, adjudication, undo, the clock, the bots, notes.

A tabletop exercise is run by its facilitator. The console gives them the
controls exercise practice expects, one widget per tab. Every control that
touches the game posts a `FacilitatorAction` with the engine's `Action` for
the app's turn flow, so it is in the log, the save and the after-action
report, and undo covers it. The round clock and the
pause only tell the room and hold the bots: they never make a move. While the
console is open the game waits (no bot moves, no hand-off), so nothing moves
under the facilitator's hands; it carries on when the console closes.

Keys: Esc closes; the number keys 1–6 (outside a text field) and ctrl+←/→
switch pages, and the focus moves into the page shown; Tab moves between the
fields of the page (a text's scroll area is not a stop); Enter in a field does
that page's main action.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Select, Static, TabbedContent, TabPane, Tabs
from textual.widgets.option_list import Option

from ...engine import current_actor, waiting_for_facilitator
from ...engine.rounds import due_injects, inject_round
from ...model import (
    MONITORING,
    Action,
    Adjudicate,
    Announce,
    Announced,
    EventWaiting,
    FireEvent,
    FireInject,
    FireRoundEvent,
    HoldRoundEvent,
    SwapRoundEvent,
    GameState,
    Note,
    Noted,
    PostponeInject,
    SkipInject,
    top_of,
)
from ...narrate import action_sentence, describe_effects, note_filing
from ...roundclock import MAX_MINUTES, ClockFace
from ...turnflow import ends_in_collapse
from .. import messages, present
from ..notices import refuse
from ..widgets.clock import ClockedScreen
from .confirm import ConfirmScreen
from ..widgets.footer import KeysFooter


def stamped(text: str, now: Optional[datetime] = None) -> str:
    """A note with the wall-clock time in front; the engine's log gives it its round."""
    return f"[{(now or datetime.now()).strftime('%H:%M')}] {' '.join(text.split())}"


def describe_action(state: GameState, action: Action) -> str:
    """One line for the undo question: who did what (the sentence is narrate's)."""
    return action_sentence(state.scenario, action)


def words(text: str) -> str:
    return " ".join(text.split())


class TextScroll(VerticalScroll, can_focus=False):
    """The scroll area around a page's text: not a stop of the Tab key (it has nothing to type or press)."""


class ConsoleTab(Vertical):
    """One page of the console: it draws the `state` bound down to it and posts what the facilitator asks.

    An action it sent is done once the state's last action is that action:
    then its fields are cleared (a refused action leaves them for a second try).
    """

    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)

    def __init__(self, state: GameState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(ConsoleTab.state, state)
        self._sent: Optional[Action] = None

    def send(self, action: Action) -> None:
        self._sent = action
        self.post_message(messages.FacilitatorAction(action))

    def watch_state(self, state: Optional[GameState]) -> None:
        if state is None or not self.is_mounted:
            return
        if self._sent is not None and state.actions and state.actions[-1] == self._sent:
            self._sent = None
            self.sent_done()
        self.draw(state)

    def on_mount(self) -> None:
        if self.state is not None:
            self.draw(self.state)

    def draw(self, state: GameState) -> None:
        """Redraw the page from `state`."""

    def sent_done(self) -> None:
        """The action this page sent was taken: clear its fields."""


class InjectsTab(ConsoleTab):
    """The injects due this round: read one out, then fire, skip or postpone it."""

    def __init__(self, state: GameState, **kwargs) -> None:
        super().__init__(state, **kwargs)
        self.selected: Optional[str] = None

    def compose(self) -> ComposeResult:
        yield OptionList(id="due-list")
        with TextScroll(id="inject-detail-scroll"):
            yield Static(id="inject-detail")
        yield Input(placeholder="Reason for skipping or postponing (optional, goes in the log)",
                    max_length=200, id="inject-reason")
        with Horizontal(classes="console-buttons"):
            yield Button("Fire", id="inject-fire", variant="primary")
            yield Button("Skip", id="inject-skip")
            yield Button("Postpone", id="inject-postpone")

    def draw(self, state: GameState) -> None:
        due = due_injects(state)
        options = self.query_one("#due-list", OptionList)
        keep = self.selected if self.selected in due else (due[0] if due else None)
        options.clear_options()
        if not due:
            options.add_option(Option("No injects due this round.", id="-none", disabled=True))
        for inj_id in due:
            inj = state.scenario.inject(inj_id)
            late = "" if inject_round(state, inj_id) == state.round else f" (from round {inject_round(state, inj_id)})"
            options.add_option(Option(f"{inj.title}{late}", id=inj_id))
        if keep is not None:
            options.highlighted = due.index(keep)
        self.selected = keep
        self._detail(state)

    def _detail(self, state: GameState) -> None:
        detail = self.query_one("#inject-detail", Static)
        if self.selected is None:
            detail.update(Content("Nothing scheduled is waiting. The MSEL tab shows the whole list."))
            return
        inj = state.scenario.inject(self.selected)
        parts: list[tuple[str, str]] = [(inj.title, "bold $text-accent"), ("\nRead out: ", "$text-muted"), (inj.text, "")]
        effects = describe_effects(state.scenario, inj.effects)
        if effects:
            parts += [("\nEffects: ", "$text-muted"), (effects, "bold")]
        if inj.event:
            parts += [("\nFires the event: ", "$text-muted"), (state.scenario.event(inj.event).title, "bold")]
        if inj.question:
            parts += [("\nQuestion for the hotwash: ", "$text-muted"), (inj.question, "italic")]
        detail.update(Content.assemble(*parts))

    @on(OptionList.OptionHighlighted, "#due-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != "-none":
            self.selected = event.option.id
            self._detail(self.state)

    @on(OptionList.OptionSelected, "#due-list")
    @on(Button.Pressed, "#inject-fire")
    @on(Input.Submitted, "#inject-reason")
    def fire(self, event) -> None:
        event.stop()
        self._inject(FireInject, "No inject is due now: the MSEL tab shows what comes later.")

    @on(Button.Pressed, "#inject-skip")
    def skip(self, event) -> None:
        event.stop()
        self._inject(SkipInject, "No inject is due now: nothing to skip.")

    @on(Button.Pressed, "#inject-postpone")
    def postpone(self, event) -> None:
        event.stop()
        self._inject(PostponeInject, "No inject is due now: nothing to postpone.")

    def _inject(self, kind: type, none_due: str) -> None:
        if self.selected is None:
            refuse(self, none_due)
            return
        # The app shows the inject as a notice, as it does for any inject.
        self.send(kind(self.selected, words(self.query_one("#inject-reason", Input).value)))

    def sent_done(self) -> None:
        self.query_one("#inject-reason", Input).value = ""


class MselTab(ConsoleTab):
    """The master scenario events list: every inject, when it comes and what became of it."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="msel-scroll"):
            yield Static(id="msel")

    def draw(self, state: GameState) -> None:
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


def event_detail(state: GameState, card_id: str) -> list[tuple[str, str]]:
    """An event card as the console shows it: title, text, effects, who chooses."""
    card = state.scenario.event(card_id)
    parts: list[tuple[str, str]] = [(card.title, "bold $text-accent"), ("\n" + card.text, "")]
    effects = describe_effects(state.scenario, card.effects)
    if effects:
        parts += [("\nEffects: ", "$text-muted"), (effects, "bold")]
    if card.chooser:
        parts += [("\nChosen by: ", "$text-muted"), (state.scenario.name_of(card.chooser), "bold")]
    return parts


class EventsTab(ConsoleTab):
    """The round's event, when it waits for the facilitator (fire, swap, hold); and any event card, fired now."""

    def compose(self) -> ComposeResult:
        with Vertical(id="round-event-box"):
            yield Static(id="round-event")
            with Horizontal(classes="console-buttons"):
                yield Button("Fire it", id="round-fire", variant="primary")
                yield Button("Swap for the card chosen below", id="round-swap")
                yield Button("Hold it back", id="round-hold")
        yield Select([(e.title, e.id) for e in self.state.scenario.events], prompt="Choose an event card", id="event-select")
        with TextScroll(id="event-detail-scroll"):
            yield Static(id="event-detail")
        with Horizontal(classes="console-buttons"):
            yield Button("Fire this event", id="event-fire", variant="primary")

    def draw(self, state: GameState) -> None:
        waiting = state.pending if isinstance(state.pending, EventWaiting) else None
        box = self.query_one("#round-event-box")
        box.display = waiting is not None
        if waiting is not None:
            parts = [(f"Round {state.round}'s event waits for you: ", "bold $text-warning"), *event_detail(state, waiting.event)]
            if ends_in_collapse(state, FireRoundEvent()):
                parts.append(("\nFiring it ends the game: the talks collapse.", "bold $text-error"))
            self.query_one("#round-event", Static).update(Content.assemble(*parts))
        self.query_one("#event-fire", Button).disabled = waiting is not None
        detail = self.query_one("#event-detail", Static)
        card_id = self.query_one("#event-select", Select).value
        if not isinstance(card_id, str):
            detail.update(Content("Choose a card: to swap it for the round's event, or to fire it now, whether or not "
                                  "it is still in the deck."))
            return
        detail.update(Content.assemble(*event_detail(state, card_id)))

    @on(Select.Changed, "#event-select")
    def _chosen(self) -> None:
        self.draw(self.state)

    def _card(self) -> Optional[str]:
        card_id = self.query_one("#event-select", Select).value
        if not isinstance(card_id, str):
            refuse(self, "Choose an event card first.")
            return None
        return card_id

    @on(Button.Pressed, "#event-fire")
    def fire(self, event: Button.Pressed) -> None:
        event.stop()
        card_id = self._card()
        if card_id is not None:
            self.send(FireEvent(card_id))

    @on(Button.Pressed, "#round-fire, #round-swap, #round-hold")
    def round_event(self, event: Button.Pressed) -> None:
        """The round's event, waiting: fired as drawn, swapped for the card chosen below, or held back."""
        event.stop()
        if event.button.id == "round-swap":
            card_id = self._card()
            if card_id is not None:
                self.send(SwapRoundEvent(card_id))
        else:
            self.send(FireRoundEvent() if event.button.id == "round-fire" else HoldRoundEvent())

    def sent_done(self) -> None:
        last = self.state.actions[-1]
        if isinstance(last, (FireEvent, SwapRoundEvent)):
            said = f"Event fired: {self.state.scenario.event(last.card).title}"
        else:
            said = "The round's event fired." if isinstance(last, FireRoundEvent) else "The round's event is held back."
        self.notify(said, title="Facilitator", markup=False)


def targets(state: GameState) -> list[tuple[str, str]]:
    sc = state.scenario
    keys = [t.id for t in sc.tracks] + [m.id for m in sc.meters] + [MONITORING]
    return [(f"{sc.name_of(k)} (now {state.value(k)})", k) for k in keys]


class AdjudicateTab(ConsoleTab):
    """Set a track, a meter or monitoring by hand, with the reason for the record."""

    def compose(self) -> ComposeResult:
        yield Select(targets(self.state), prompt="Track, meter or monitoring", id="adjudicate-target")
        yield Input(placeholder="New value", type="integer", max_length=2, id="adjudicate-value")
        yield Input(placeholder="Reason (required, goes in the log and the report)", max_length=240, id="adjudicate-reason")
        with Horizontal(classes="console-buttons"):
            yield Button("Set the value", id="adjudicate-apply", variant="primary")

    def draw(self, state: GameState) -> None:
        select = self.query_one("#adjudicate-target", Select)
        value = select.value
        select.set_options(targets(state))
        if isinstance(value, str):
            select.value = value

    @on(Button.Pressed, "#adjudicate-apply")
    @on(Input.Submitted, "#adjudicate-value, #adjudicate-reason")
    def adjudicate(self, event) -> None:
        event.stop()
        target = self.query_one("#adjudicate-target", Select).value
        raw = self.query_one("#adjudicate-value", Input).value.strip()
        reason = words(self.query_one("#adjudicate-reason", Input).value)
        if not isinstance(target, str):
            refuse(self, "Choose the track, meter or monitoring to set.")
            return
        try:
            value = int(raw)
        except ValueError:
            refuse(self, f"Give the new value: a whole number from 0 to {top_of(target)}.")
            return
        if not reason:
            refuse(self, "An adjudication needs a reason: type why in the reason box. Nothing was changed.")
            self.query_one("#adjudicate-reason", Input).focus()
            return
        # The engine knows the range and says why a value is refused; the app shows the
        # adjudication as a notice with its reason.
        self.send(Adjudicate(target, value, reason))

    def sent_done(self) -> None:
        self.query_one("#adjudicate-value", Input).value = ""
        self.query_one("#adjudicate-reason", Input).value = ""


class ClockTab(ConsoleTab):
    """The round clock's minutes, the bots' pause and undo."""

    paused = reactive(False, init=False)
    clock: reactive[ClockFace] = reactive(ClockFace(), init=False)

    def __init__(self, state: GameState, minutes: int, **kwargs) -> None:
        super().__init__(state, **kwargs)
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        with Horizontal(classes="console-field"):
            yield Static("Whole minutes per negotiation phase (0 = off)", classes="console-label")
            yield Input(str(self.minutes), placeholder="0", type="integer", max_length=3, id="clock-minutes")
            yield Button("Set clock", id="clock-set")
        yield Static(id="clock-state")
        with Horizontal(classes="console-buttons"):
            yield Button("Pause bots", id="pause-toggle")
            yield Button("Undo last action", id="undo", variant="warning")
        yield Input(placeholder="Why undo? (kept with the undone action in the save and the report)", max_length=200,
                    id="undo-reason")
        yield Static(id="undo-state")

    def draw(self, state: GameState) -> None:
        last = describe_action(state, state.actions[-1]) if state.actions else "nothing to undo yet"
        self.query_one("#undo-state", Static).update(Content("Last action: " + last))
        self._clock_line()

    def watch_paused(self, paused: bool) -> None:
        if self.is_mounted:
            self.query_one("#pause-toggle", Button).label = "Resume bots" if paused else "Pause bots"

    def watch_clock(self) -> None:
        if self.is_mounted:
            self._clock_line()

    def _clock_line(self) -> None:
        face = self.clock
        text = "The round clock is off." if face.text == "clock off" else (
            f"Now {face.text}. It only rings: it never makes a move.")
        self.query_one("#clock-state", Static).update(Content(text))

    @on(Button.Pressed, "#clock-set")
    @on(Input.Submitted, "#clock-minutes")
    def set_clock(self, event) -> None:
        event.stop()
        raw = self.query_one("#clock-minutes", Input).value.strip() or "0"
        try:
            minutes = int(raw)
        except ValueError:
            minutes = -1
        if not 0 <= minutes <= MAX_MINUTES:
            refuse(self, f"Minutes per negotiation phase: a whole number from 0 (off) to {MAX_MINUTES}.")
            return
        self.post_message(messages.SetClock(minutes))

    @on(Button.Pressed, "#pause-toggle")
    def pause(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(messages.TogglePause())

    @on(Button.Pressed, "#undo")
    def undo(self, event: Button.Pressed) -> None:
        event.stop()
        self.screen.action_undo()


NOTE_TAG_CHOICES = [("Strength", "strength"), ("Area for improvement", "improvement")]


class NotesTab(ConsoleTab):
    """The facilitator's notes for the hotwash: private (the console, the save, the report), never on the board.

    A note may be filed as a strength or an area for improvement, under an exercise
    objective. "Announce" is the other way: a line read to the room, in the public log.
    """

    def compose(self) -> ComposeResult:
        yield Input(placeholder="A private note for the hotwash (Enter to add), or a line to announce",
                    max_length=400, id="note-text")
        objectives = self.state.exercise.objectives if self.state.exercise else ()
        with Horizontal(classes="console-field"):
            yield Select(NOTE_TAG_CHOICES, prompt="Not tagged", id="note-tag")
            yield Select([(f"{o.id}: {o.text}", o.id) for o in objectives], prompt="No objective", id="note-objective",
                         disabled=not objectives)
        with Horizontal(classes="console-buttons"):
            yield Button("Add private note", id="note-add", variant="primary")
            yield Button("Announce to the room", id="note-announce")
        with TextScroll(id="notes-scroll"):
            yield Static(id="notes")

    def draw(self, state: GameState) -> None:
        lines = []
        for e in state.log:
            if isinstance(e.payload, Noted):
                filed = note_filing(state.scenario, e.payload.tag, e.payload.objective)
                lines.append(f"Round {e.round}{f' ({filed})' if filed else ''}: {e.payload.text}")
            elif isinstance(e.payload, Announced):
                lines.append(f"Round {e.round}, announced: {e.payload.text}")
        self.query_one("#notes", Static).update(Content("\n".join(lines) or "No notes yet."))

    def _text(self) -> Optional[str]:
        text = words(self.query_one("#note-text", Input).value)
        if not text:
            refuse(self, "Type the note first.")
            return None
        return text

    @on(Button.Pressed, "#note-add")
    @on(Input.Submitted, "#note-text")
    def add(self, event) -> None:
        event.stop()
        text = self._text()
        if text is None:
            return
        tag = self.query_one("#note-tag", Select).value
        objective = self.query_one("#note-objective", Select).value
        self.send(Note(stamped(text), tag if isinstance(tag, str) else None,
                       objective if isinstance(objective, str) else None))

    @on(Button.Pressed, "#note-announce")
    def announce(self, event) -> None:
        event.stop()
        text = self._text()
        if text is not None:
            self.send(Announce(text))

    def sent_done(self) -> None:
        self.query_one("#note-text", Input).value = ""
        self.query_one("#note-tag", Select).clear()
        self.query_one("#note-objective", Select).clear()
        said = "Announced to the room" if isinstance(self.state.actions[-1], Announce) else "Private note added"
        self.notify(f"{said}, round {self.state.round}.", title="Facilitator", timeout=3)


class FacilitatorScreen(ClockedScreen, ModalScreen[None]):
    """The console: one tab per job, each a widget that posts what the facilitator asks for."""

    HOLDS_GAME = True  # the game waits under the console (see WargameApp._board_active)
    TABS = ("tab-injects", "tab-msel", "tab-events", "tab-adjudicate", "tab-clock", "tab-notes")
    BINDINGS = [
        Binding("escape", "close", "Close the console"),
        Binding("ctrl+left", "step_tab(-1)", "Previous tab", priority=True),  # above the Inputs' word moves
        Binding("ctrl+right", "step_tab(1)", "Next tab", priority=True),
        *(Binding(str(n), f"show_tab({n})", f"Tab {n}", show=False) for n in range(1, len(TABS) + 1)),
        Binding("ctrl+u", "undo", "Undo last action", priority=True),  # above the Inputs' own ctrl+u
        Binding("ctrl+b", "pause", "Pause/resume bots"),
    ]

    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)
    paused = reactive(False, init=False)

    def __init__(self, state: GameState, clock_minutes: int = 0) -> None:
        super().__init__(id="facilitator")
        self.set_reactive(FacilitatorScreen.state, state)
        self.clock_minutes = clock_minutes

    def compose(self) -> ComposeResult:
        bound = (FacilitatorScreen.state,)
        yield self.round_clock()
        with Vertical(id="console") as box:
            box.border_title = "Facilitator console"
            yield Static(id="console-summary")
            first = "tab-events" if waiting_for_facilitator(self.state) else "tab-injects"
            with TabbedContent(id="console-tabs", initial=first):
                with TabPane("1 Injects due", id="tab-injects"):
                    yield InjectsTab(self.state, id="injects").data_bind(*bound)
                with TabPane("2 MSEL", id="tab-msel"):
                    yield MselTab(self.state, id="msel-page").data_bind(*bound)
                with TabPane("3 Events", id="tab-events"):
                    yield EventsTab(self.state, id="events").data_bind(*bound)
                with TabPane("4 Adjudicate", id="tab-adjudicate"):
                    yield AdjudicateTab(self.state, id="adjudicate").data_bind(*bound)
                with TabPane("5 Clock & bots", id="tab-clock"):
                    yield ClockTab(self.state, self.clock_minutes, id="clock-page").data_bind(
                        *bound, FacilitatorScreen.paused, ClockedScreen.clock)
                with TabPane("6 Notes", id="tab-notes"):
                    yield NotesTab(self.state, id="notes-page").data_bind(*bound)
            yield Static("1–6 or ctrl+←/→ switch tabs · Tab next field · Enter does the page's action · "
                         "ctrl+u undo · ctrl+b pause bots · Esc close", classes="hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._summary()
        if waiting_for_facilitator(self.state):
            self.query_one("#round-fire", Button).focus()
            return
        due = self.query_one("#due-list", OptionList)
        if due.option_count:
            due.focus()

    def watch_state(self) -> None:
        self._summary()

    def watch_paused(self) -> None:
        self._summary()

    def _summary(self) -> None:
        if not self.is_mounted:
            return
        state = self.state
        actor = current_actor(state)
        bits = [present.round_line(state)]
        if state.over:
            bits.append("the game is over")
        elif waiting_for_facilitator(state):
            bits.append("the round's event waits for you (tab 3)")
        elif actor is not None:
            bits.append(f"waiting for {present.who(state, actor)}")
        bits.append("bots paused" if self.paused else "bots wait until the console closes")
        bits.append(f"{len(due_injects(state))} inject(s) due")
        self.query_one("#console-summary", Static).update(Content("  ·  ".join(bits)))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_show_tab(self, number: int) -> None:
        self._show(self.TABS[number - 1])

    def action_step_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        here = self.TABS.index(tabs.active) if tabs.active in self.TABS else 0
        self._show(self.TABS[(here + step) % len(self.TABS)])

    def _show(self, tab: str) -> None:
        """Show the page and put the focus on its first field (on the tab bar when it has none)."""
        self.query_one(Tabs).focus()  # off the page being hidden first, else Textual moves the focus on from it
        self.query_one(TabbedContent).active = tab
        self.call_after_refresh(self._focus_page, tab)

    def _focus_page(self, tab: str) -> None:
        pane = self.query_one(f"#{tab}", TabPane)
        field = next((w for w in self.focus_chain if pane in w.ancestors), None)
        if field is not None:
            field.focus()
        else:
            self.query_one(Tabs).focus()

    def action_pause(self) -> None:
        self.post_message(messages.TogglePause())  # the app says "Bots paused" / "Bots play on"

    def action_undo(self) -> None:
        state = self.state
        if not state.actions:
            refuse(self, "Nothing to undo: no move has been made yet.")
            return
        reason = words(self.query_one("#undo-reason", Input).value) or "none given (type one on the Clock & bots tab)"
        question = (f"Undo the last action?\n\n{describe_action(state, state.actions[-1])}\n\nReason: {reason}\n\n"
                    "The game is replayed without it; the save and the report keep it as undone.")
        self.app.push_screen(ConfirmScreen(question), self._undo_confirmed)

    def _undo_confirmed(self, yes: Optional[bool]) -> None:
        if yes:
            reason = self.query_one("#undo-reason", Input)
            self.post_message(messages.UndoLast(words(reason.value)))
            reason.value = ""
        else:
            self.notify("Nothing undone.", timeout=2)
