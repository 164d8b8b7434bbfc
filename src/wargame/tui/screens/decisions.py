"""Modal decisions: play a card, pass, answer a proposal, meet an event, respond to a violation.

One screen class does them all: a description, a list of options (each one
the `Action` it stands for, or None to go back), and a one-line rationale
the team may type. Keys: ↑/↓ to pick, Enter to confirm, Tab to write the
rationale (only then does typing go into it; ctrl+u clears it), Esc to go
back to the board. Unaffordable options are shown but disabled. Each option
says what it would do to the team's score (from `engine.preview`), and one that
would collapse the talks or cross the team's own red line asks "are you sure?"
first. The screen only returns an Action; the app sends it through the turn
flow to the engine.
"""

from __future__ import annotations

from typing import Optional

import attrs
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...engine import ceasefire, check, legal_actions
from ...engine.proposals import package_consent, package_effects
from ...model import (
    Action, Answer, AnswerCounter, Choice, Choose, Counter, CounterOffer, Discard, GameState, Pass, PlayCard, Proposal, Respond,
    ViolationPending,
)
from ...narrate import counter_terms, describe_effects, sentence
from .. import present, stakes
from ..notices import refuse
from .confirm import ConfirmScreen
from ..widgets.clock import ClockedScreen
from .console_key import CONSOLE_CTRL_BINDING, OpensConsole
from ..widgets.hand import stake_style
from ..widgets.footer import KeysFooter

Choices = list[tuple[Optional[Action], Content | str, bool]]  # action (None = back), prompt, disabled


class RationaleInput(Input):
    """The one-line rationale, kept in the log and the after-action report."""


class DecisionScreen(OpensConsole, ClockedScreen, ModalScreen[Optional[Action]]):
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    BINDINGS = [
        Binding("escape", "back", "Back to the board"),
        Binding("up", "move(-1)", "Previous option", show=False),
        Binding("down", "move(1)", "Next option", show=False),
        Binding("tab", "write", "Rationale"),
        Binding("ctrl+u", "clear_rationale", "Clear rationale", priority=True),
        CONSOLE_CTRL_BINDING,
    ]

    def __init__(self, heading: str, body: Content | str, choices: Choices, *, state: Optional[GameState] = None,
                 placeholder: str = "Why? One line for the record (optional)") -> None:
        """`state`: the game the choices are for; given, each option shows its stake for the acting team."""
        super().__init__(classes="decision")
        self.confirmed = False
        self.heading = heading
        self.body = body
        self.placeholder = placeholder
        self.warnings: dict[int, str] = {}  # option index -> the question to ask before it is taken
        if state is not None:
            choices = [self._staked(i, state, choice) for i, choice in enumerate(choices)]
        self.choices = choices

    def _staked(self, index: int, state: GameState, choice: tuple[Optional[Action], Content | str, bool]):
        action, prompt, disabled = choice
        stake = stakes.stake(state, action) if action is not None else None
        if stake is None:
            return choice
        if stake.warning:
            self.warnings[index] = stake.warning
        prompt = Content.assemble(prompt if isinstance(prompt, Content) else Content(prompt), ("  score ", "$text-muted"),
                                  (stake.label, stake_style(stake)))
        return action, prompt, disabled

    def compose(self) -> ComposeResult:
        yield self.round_clock()
        with Vertical(id="dialog") as dialog:
            dialog.border_title = self.heading
            with VerticalScroll(id="decision-body"):
                yield Static(self.body)
            yield OptionList(
                *(Option(prompt, id=str(i), disabled=disabled) for i, (_, prompt, disabled) in enumerate(self.choices)),
                id="decision-options",
            )
            yield RationaleInput(placeholder=self.placeholder, max_length=240, id="rationale")
            yield Static("↑↓ choose · Enter confirm · Tab write a rationale · ctrl+u clear it · Esc back", classes="hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        found = self.query(OptionList)
        if not found:  # closed before it mounted (the app exiting as the decision came up): nothing to focus
            return
        options = found.first()
        first = next((i for i, (_, _, disabled) in enumerate(self.choices) if not disabled), None)
        options.highlighted = first
        options.focus()  # keys typed by mistake pick nothing and write nothing: the rationale needs Tab

    def action_write(self) -> None:
        self.query_one(RationaleInput).focus()

    def action_clear_rationale(self) -> None:
        self.query_one(RationaleInput).clear()

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step < 0:
            options.action_cursor_up()
        else:
            options.action_cursor_down()

    def action_back(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(self.query_one(OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submit(event.option_index)

    def _submit(self, index: Optional[int]) -> None:
        if index is None or self.choices[index][2]:
            refuse(self, "Pick one of the options that are open.")
            return
        action = self.choices[index][0]
        if action is None:
            self.dismiss(None)
            return
        chosen = attrs.evolve(action, text=" ".join(self.query_one(RationaleInput).value.split()))
        question = self.warnings.get(index)
        if question is None:
            self.dismiss(chosen)
            return
        def answered(sure: Optional[bool]) -> None:
            if sure:
                self.confirmed = True  # the team was asked already: the app does not ask again
                self.dismiss(chosen)

        self.app.push_screen(ConfirmScreen(question), answered)


def _card_body(state: GameState, card_id: str, intro: str = "", deal: Optional[Proposal] = None) -> Content:
    """The card to decide on; with `deal`, the effects are the deal's: the package's, less any
    effect a counter dropped."""
    c = present.card_lines(state, card_id)
    effects = c["effects"]
    label = "\nEffects: "
    if deal is not None and (deal.partner is not None or deal.drop is not None):
        sc = state.scenario
        effects = describe_effects(sc, package_effects(sc, deal.card, deal.partner, deal.drop))
        label = "\nEffects of the deal: " if deal.drop is None else "\nEffects of the amended deal: "
    parts: list[tuple[str, str] | str] = []
    if intro:
        parts.append((intro + "\n\n", "bold"))
    # What decides the vote first (it stays in view on small screens), then the card's story.
    parts += [
        (c["title"], "bold $text-accent"),
        (label, "$text-muted"), (effects, "bold"),
        ("\nConsent: ", "$text-muted"), (c["consent"], ""),
    ]
    if c["rejection"]:
        parts += [("\nIf rejected: ", "$text-muted"), (c["rejection"], "")]
    parts += [
        ("\nCost: ", "$text-muted"), (c["cost"], "bold"),
        ("\n\n" + c["text"], ""),
        ("\n“" + c["source"] + "”", "italic $text-secondary"),
    ]
    return Content.assemble(*parts)


def play_card(state: GameState, delegation: str, card_id: str) -> DecisionScreen:
    """Play the card; a proposal also offers each side-payment the team can pay and each package
    with another card of its hand (one consent round for both), each with its stake."""
    c = present.card_lines(state, card_id)
    consent = c["consent"] != "no consent needed"
    verb = "Propose" if consent else "Play"
    choices: Choices = [(PlayCard(delegation, card_id), f"{verb} “{c['title']}” ({c['cost']})", False)]
    for play in bargains(state, delegation, card_id):
        choices.append((play, bargain_label(state, play), False))
    return DecisionScreen(
        f"{present.name(state, delegation)}: {verb.lower()} a card",
        _card_body(state, card_id),
        [*choices, (None, "Cancel", False)],
        state=state,
    )


def bargains(state: GameState, delegation: str, card_id: str) -> list[PlayCard]:
    """The side-payments and packages open to `card_id` now (in the rules' own `check`)."""
    most = state.scenario.rules.side_payment_max
    plays = [PlayCard(delegation, card_id, side_payment=n) for n in range(1, most + 1)]
    plays += [PlayCard(delegation, card_id, partner=other) for other in state.hands[delegation] if other != card_id]
    return [p for p in plays if check(state, p) is None]


def bargain_label(state: GameState, play: PlayCard) -> str:
    sc = state.scenario
    if play.partner is not None:
        cost = sc.concession(play.card).cost + sc.concession(play.partner).cost
        return f"Package with “{sc.concession(play.partner).title}” ({cost} capital, one consent round)"
    parties = len(package_consent(state, play.card, None))
    return f"Propose, offering {play.side_payment} capital to each party on agreement ({play.side_payment * parties} in all)"


def pass_turn(state: GameState, delegation: str) -> DecisionScreen:
    return DecisionScreen(
        f"{present.name(state, delegation)}: pass",
        "Pass this turn: play no card now. Political capital is refilled at the end of the round.",
        [(Pass(delegation), "Pass", False), (None, "Cancel", False)],
        state=state,
    )


def discard_card(state: GameState, delegation: str, card_id: str) -> DecisionScreen:
    title = state.scenario.concession(card_id).title
    return DecisionScreen(
        f"{present.name(state, delegation)}: discard a card",
        _card_body(state, card_id, "Spend this turn discarding this card: it goes to your discard pile, "
                   "and your hand is drawn back up at the end of the round."),
        [(Discard(delegation, card_id), f"Discard “{title}”", False), (None, "Cancel", False)],
        state=state,
    )


def _terms(state: GameState, p: Proposal) -> str:
    """A proposal's bargaining terms, in a sentence each: the package, the side-payment, a counter taken."""
    sc = state.scenario
    out = ""
    if p.partner:
        out += f" A package: with “{sc.concession(p.partner).title}” ({describe_effects(sc, sc.concession(p.partner).effects)})."
    if p.side_payment:
        out += f" It offers {p.side_payment} capital to each party on agreement."
    if p.countered_by is not None:
        terms = counter_terms(sc, p.card, p.partner, p.drop, p.ask, p.proposer)
        out += f" Amended by {possessive_name(state, p.countered_by)} counter: {terms}."
    return out


def possessive_name(state: GameState, delegation: str) -> str:
    from ...model import possessive

    return possessive(present.name(state, delegation))


def answer_proposal(state: GameState) -> DecisionScreen:
    p: Proposal = state.pending
    me = p.awaiting[0]
    others = [present.name(state, d) for d in p.awaiting[1:]]
    intro = f"{present.who(state, p.proposer)} proposes this to {present.name(state, me)}." + _terms(state, p)
    if p.accepted:
        intro += " Already accepted by " + ", ".join(present.name(state, d) for d in p.accepted) + "."
    if others:
        intro += " Still to answer after you: " + ", ".join(others) + "."
    title = state.scenario.concession(p.card).title
    choices: Choices = [
        (Answer(me, p.card, True), f"Accept “{title}”", False),
        (Answer(me, p.card, False), f"Reject “{title}”", False),
    ]
    for c in legal_actions(state, me):
        if isinstance(c, Counter):
            terms = counter_terms(state.scenario, p.card, p.partner, c.drop, c.ask, p.proposer)
            choices.append((c, f"Counter: send it back {terms}", False))
    return DecisionScreen(f"{present.name(state, me)}: answer a proposal", _card_body(state, p.card, intro, deal=p), choices, state=state)


def answer_counter(state: GameState) -> DecisionScreen:
    """The proposer takes the counter (the amended deal goes on) or turns it down (a rejection, with its cost)."""
    p = state.pending.proposal
    me = p.proposer
    terms = counter_terms(state.scenario, p.card, p.partner, p.drop, p.ask, p.proposer)
    intro = (f"{present.who(state, p.countered_by)} counters your proposal, {terms}."
             " Take it and the amended deal goes on; turn it down and the proposal is rejected, with its cost.")
    title = state.scenario.concession(p.card).title
    return DecisionScreen(
        f"{present.name(state, me)}: answer a counter",
        _card_body(state, p.card, intro, deal=p),
        [
            (AnswerCounter(me, p.card, True), f"Take the counter to “{title}”", False),
            (AnswerCounter(me, p.card, False), f"Turn the counter down (“{title}” is rejected)", False),
        ],
        state=state,
    )


def event_choice(state: GameState) -> DecisionScreen:
    p: Choice = state.pending
    card = state.scenario.event(p.event)
    body = Content.assemble(
        (card.title, "bold $text-accent"), ("\n" + card.text, ""), ("\n“" + card.source + "”", "italic $text-secondary"),
    )
    choices: Choices = [
        (Choose(p.chooser, card.id, o.id),
         Content.assemble((o.label, "bold"), (f" — {describe_effects(state.scenario, o.effects)}", "$text-muted")), False)
        for o in card.options
    ]
    return DecisionScreen(f"{present.name(state, p.chooser)}: choose", body, choices, state=state)


def violation_response(state: GameState) -> DecisionScreen:
    p: ViolationPending = state.pending
    news = [sentence(state.scenario, e) for e in state.log if e.round == state.round and e.kind in ("violation", "collapse")]
    open_ids = {r.id for r in ceasefire.responses_open(state)}
    cap = state.capital[p.injured]
    responses = state.scenario.violations.responses
    parts: list[tuple[str, str]] = [("\n".join(news[-2:]) or "A ceasefire violation.", "bold")]
    for r in responses:
        if r.text:
            parts += [(f"\n\n{r.label}: ", "bold"), (r.text, "$text-muted")]
    parts.append((f"\n\n{present.name(state, p.injured)} has {cap} political capital. How do you respond?", "bold"))
    body = Content.assemble(*parts)
    roles = {"injured": p.injured, "violator": p.violator}
    choices: Choices = []
    for r in responses:
        # Name the sides for the room ("Ukraine capital +1", not "injured capital +1").
        effects = [attrs.evolve(e, delegation=roles.get(e.delegation, e.delegation)) for e in r.effects]
        prompt = Content.assemble(
            (r.label, "bold"),
            (f" · cost {r.cost}" + ("" if r.id in open_ids else " (cannot afford)"), "$text-warning"),
            (f" · {describe_effects(state.scenario, effects)}", "$text-muted"),
        )
        choices.append((Respond(p.injured, r.id), prompt, r.id not in open_ids))
    return DecisionScreen(f"{present.name(state, p.injured)}: respond to a violation", body, choices, state=state)


def for_pending(state: GameState) -> Optional[DecisionScreen]:
    """The decision screen for whatever the state is waiting on, if anything."""
    p = state.pending
    if isinstance(p, Proposal):
        return answer_proposal(state)
    if isinstance(p, CounterOffer):
        return answer_counter(state)
    if isinstance(p, Choice):
        return event_choice(state)
    if isinstance(p, ViolationPending):
        return violation_response(state)
    return None
