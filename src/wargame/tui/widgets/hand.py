"""The current human delegation's hand: cards to pick, and the picked card in full."""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model import GameState, PlayCard
from ...turnflow import HandView
from .. import present, stakes
from .live import can_draw


class HandList(OptionList):
    """One line per card: number key, cost, what playing it does to the team's score, title; cards it cannot pay for are marked.

    The score figure is shown on the team's own turn only, when the engine can preview the play.
    """

    BINDINGS = [Binding("enter", "select", "Play")]

    def show(self, state: GameState, delegation: str) -> None:
        hand = state.hands[delegation]
        cap = state.capital[delegation]
        ids = [o.id for o in self.options]
        keep = self.highlighted
        options = []
        for i, card_id in enumerate(hand, 1):
            card = state.scenario.concession(card_id)
            consent = [d for d in card.consent if d in state.capital and d != card.delegation]
            stake = stakes.stake(state, PlayCard(delegation, card_id))
            prompt = Content.assemble(  # cost and score before the title: a narrow hand cuts the end of a line
                (f"{i} ", "bold $text-accent"),
                (f"{card.cost}● ", "$text-warning"),
                (stake_figure(stake), stake_style(stake)),
                (card.title, "bold"),
                ("  proposal to " + "+".join(state.scenario.delegation(d).short or d for d in consent) if consent else "", "$text-muted"),
                (" (score if agreed)" if stake is not None and stake.agreed else "", "$text-muted"),
                ("  (cannot afford)" if card.cost > cap else "", "$text-error"),
            )
            options.append(Option(prompt, id=card_id))
        if ids == list(hand) and self.option_count == len(hand):
            for i, opt in enumerate(options):
                self.replace_option_prompt_at_index(i, opt.prompt)
            return
        self.set_options(options)
        if options:
            self.highlighted = keep if keep is not None and keep < len(options) else 0


def stake_figure(stake: Optional[stakes.Stake]) -> str:
    """"+4.2 " before a card's title ("" when the play cannot be previewed now)."""
    return "" if stake is None else stakes.signed(stake.delta) + " "


def stake_style(stake: Optional[stakes.Stake]) -> str:
    """Green for a gain, red for a loss, muted for none."""
    if stake is None or stake.delta == 0:
        return "$text-muted"
    return "bold $text-success" if stake.delta > 0 else "bold $text-error"


class FittedText(Static):
    """Text as tall as the tallest of the texts it may show, so showing another repaints it alone.

    Browsing a hand changes the card shown at every key press; if the widget's
    height followed each card, every press would lay out the whole board again.
    `fit` gives it the texts it may show (the hand's cards); until it knows its
    width (before the first layout) its height is automatic.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._choices: list[Content] = []
        self._fitted: Optional[tuple[int, int]] = None  # (width, id of the choices) the height was fitted for

    def fit(self, choices: list[Content]) -> None:
        self._choices = choices
        self._fitted = None
        self._refit()

    def on_resize(self) -> None:
        self._refit()

    def _refit(self) -> None:
        width = self.content_size.width
        if not width or not self._choices:
            self.styles.height = "auto"
            return
        if self._fitted == (width, id(self._choices)):
            return
        self._fitted = (width, id(self._choices))
        self.styles.height = max(c.get_height(self.styles, width) for c in self._choices)

    def show(self, content: Content) -> None:
        auto = self.styles.height is None or self.styles.height.is_auto
        self.update(content, layout=auto)


def card_detail(state: GameState, card_id: str) -> Content:
    """The card's cost, effects, who must consent, what a rejection costs, and the article quote."""
    c = present.card_lines(state, card_id)
    parts: list[tuple[str, str] | str] = [
        ("Effects: ", "$text-muted"), (c["effects"], "bold"),
        ("\nCost ", "$text-muted"), (c["cost"].split()[0] + "●", "bold $text-warning"), (" · ", "$text-muted"), (c["consent"], ""),
    ]
    if c["rejection"]:
        parts += [("\nIf rejected: ", "$text-muted"), (c["rejection"], "")]
    parts.append(("\n“" + c["source"] + "”", "italic $text-secondary"))
    return Content.assemble(*parts)


def card_text(state: GameState, card_id: str) -> Content:
    """The card's story: what playing it means at the table."""
    return Content.styled(state.scenario.concession(card_id).text, "$text-muted")


def card_in_full(state: GameState, card_id: str, story: bool = True) -> Content:
    """The details, then the story (left out on a short screen, where the hand has little room)."""
    detail = card_detail(state, card_id)
    return Content("\n").join([detail, card_text(state, card_id)]) if story else detail


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


class HandPanel(Vertical):
    """A hand (or why no hand is shown: hidden during another team's turn, or bots only).

    It draws the `state` and the `hand` (whose hand may be shown, and why not) that the
    board binds down to it; a change that leaves what it shows the same draws nothing.
    """

    state: reactive[Optional[GameState]] = reactive(None, always_update=True, init=False)
    hand: reactive[HandView] = reactive(HandView(None, "none", None), always_update=True, init=False)
    visible: Optional[bool] = None

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._drawn: Optional[tuple[int, HandView, bool]] = None  # (id of the state, the view, story shown)

    def compose(self) -> ComposeResult:
        yield Static(id="hand-note")
        yield HandList(id="hand-list")
        with VerticalScroll(id="card-view", can_focus=False):
            yield FittedText(id="card-full")

    def on_mount(self) -> None:
        self._draw()

    def story_shown(self) -> bool:
        """A short screen (the board's -short class) leaves each card's story out."""
        return not self.screen.has_class("-short")

    def watch_state(self) -> None:
        self._draw()

    def watch_hand(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if isinstance(event.option_list, HandList) and self.state is not None:
            self.show_detail(self.state)

    def _draw(self) -> None:
        state, view = self.state, self.hand
        if state is None or not can_draw(self):
            return
        story = self.story_shown()
        key = (id(state), view, story)
        if key == self._drawn:
            return
        self._drawn = key
        self.display = bool(state.setup.humans)
        owner = view.owner
        hand_list = self.query_one(HandList)
        self.query_one("#hand-note", Static).update(hand_note(state, view))
        visible = owner is not None
        if visible != self.visible:
            self.visible = visible
            self.set_class(not visible, "-closed")
            for widget in (hand_list, self.query_one("#card-view")):
                widget.set_class(not visible, "-hidden")
        if not visible:
            self.border_title = "Hand"
            hand_list.clear_options()
            self.show_detail(state)
            return
        self.border_title = f"{present.who(state, owner)}: hand"
        hand_list.show(state, owner)
        self.query_one("#card-full", FittedText).fit([card_in_full(state, c, story) for c in state.hands[owner]])
        self.show_detail(state)

    def show_detail(self, state: GameState) -> None:
        """The highlighted card in full, from its first line."""
        hand_list = self.query_one(HandList)
        i = hand_list.highlighted
        card_id = hand_list.get_option_at_index(i).id if i is not None and hand_list.option_count else None
        full = self.query_one("#card-full", FittedText)
        if card_id is None:
            full.fit([])
            full.show(Content(""))
        else:
            full.show(card_in_full(state, card_id, self.story_shown()))
        view = self.query_one("#card-view", VerticalScroll)
        if view.scroll_y:
            view.scroll_home(animate=False)
