"""The current human delegation's hand: cards to pick, and the picked card in full."""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model import GameState
from .. import present


class HandList(OptionList):
    """One line per card: number key, title, cost; cards it cannot pay for are marked."""

    BINDINGS = [Binding("enter", "select", "Play card")]

    def show(self, state: GameState, delegation: str) -> None:
        hand = state.hands[delegation]
        cap = state.capital[delegation]
        ids = [o.id for o in self.options]
        keep = self.highlighted
        options = []
        for i, card_id in enumerate(hand, 1):
            card = state.scenario.concession(card_id)
            consent = [d for d in card.consent if d in state.capital and d != card.delegation]
            prompt = Content.assemble(
                (f"{i} ", "bold $text-accent"),
                (card.title, "bold"),
                (f"  {card.cost}●", "$text-warning"),
                ("  proposal to " + "+".join(state.scenario.delegation(d).short or d for d in consent) if consent else "", "$text-muted"),
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


class CardDetail(Static):
    """The highlighted card: cost, effects, who must consent, and the article quote."""

    def show(self, state: GameState, card_id: Optional[str]) -> None:
        if card_id is None:
            self.update("")
            return
        c = present.card_lines(state, card_id)
        parts: list[tuple[str, str] | str] = [
            ("Effects: ", "$text-muted"), (c["effects"], "bold"),
            ("\nCost ", "$text-muted"), (c["cost"].split()[0] + "●", "bold $text-warning"), (" · ", "$text-muted"), (c["consent"], ""),
        ]
        if c["rejection"]:
            parts += [("\nIf rejected: ", "$text-muted"), (c["rejection"], "")]
        parts.append(("\n“" + c["source"] + "”", "italic $text-secondary"))
        self.update(Content.assemble(*parts))


class HandPanel(Vertical):
    """A hand (or why no hand is shown: hidden during another team's turn, or bots only)."""

    visible: Optional[bool] = None

    def compose(self) -> ComposeResult:
        yield Static(id="hand-note")
        yield HandList(id="hand-list")
        with VerticalScroll(id="card-view", can_focus=False):
            yield CardDetail(id="card-detail")
            yield Static(id="card-text")

    def show(self, state: GameState, owner: Optional[str], note: str) -> None:
        hand_list = self.query_one(HandList)
        self.query_one("#hand-note", Static).update(note)
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
        self.show_detail(state)

    def show_detail(self, state: GameState) -> None:
        hand_list = self.query_one(HandList)
        i = hand_list.highlighted
        card_id = hand_list.get_option_at_index(i).id if i is not None and hand_list.option_count else None
        self.query_one(CardDetail).show(state, card_id)
        text = state.scenario.concession(card_id).text if card_id is not None else ""
        self.query_one("#card-text", Static).update(Content.styled(text, "$text-muted"))
        view = self.query_one("#card-view", VerticalScroll)
        if view.scroll_y:
            view.scroll_home(animate=False)  # each card is read from its first line
