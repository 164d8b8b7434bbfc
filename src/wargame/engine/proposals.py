"""Playing concession cards; proposals that need the consent of named delegations.

A card whose `consent` names other delegations in the game is a proposal:
they answer in turn and one rejection ends it, with the card's `on_reject`
effects (or the scenario's default rejection cost). The proposer pays the
capital when proposing, accepted or not: offers are not free.

Bargaining: a proposer may bundle two cards of its hand into one package (both
costs paid now, one consent round, the first card's rejection effects) and offer
each consenting delegation a side-payment of capital, paid on agreement. A
delegation asked to consent may, once per proposal, counter instead of answering:
drop one of the package's effects, or ask the proposer for capital on agreement.
The proposer then takes the counter (the counterer's consent) or turns it down
(a rejection).
"""

from __future__ import annotations

from typing import Optional

from ..model import (
    CAPITAL,
    Agreed,
    Answer,
    AnswerCounter,
    Answered,
    CardPlayed,
    ConcessionCard,
    Counter,
    CounterAnswered,
    Countered,
    CounterOffer,
    Effect,
    GameState,
    LogEntry,
    PlayCard,
    Proposal,
    Proposed,
    Scenario,
)
from . import support
from .memo import ScenarioMemo
from .effects import apply_effects


def consent_needed(state: GameState, card: ConcessionCard) -> tuple[str, ...]:
    return tuple(d for d in card.consent if d in state.capital and d != card.delegation)


def package_consent(state: GameState, card_id: str, partner: Optional[str]) -> tuple[str, ...]:
    """Who must consent to `card_id` (bundled with `partner`): each card's parties, in order, once."""
    table = _CONSENT.table(state.scenario)
    # Who consents depends only on the cards and on which delegations are in the game (capital's keys).
    key = (card_id, partner, tuple(state.capital))
    out = table.get(key)
    if out is None:
        out = table[key] = _parties(state, card_id, partner)
    return out


def _parties(state: GameState, card_id: str, partner: Optional[str]) -> tuple[str, ...]:
    scenario = state.scenario
    parties = list(consent_needed(state, scenario.concession(card_id)))
    if partner is not None:
        parties += [d for d in consent_needed(state, scenario.concession(partner)) if d not in parties]
    return tuple(parties)


# Every play, its check and every bot's valuation of a play ask who consents (a hundred thousand
# times in 200 bot games).
_CONSENT = ScenarioMemo()


def package_effects(scenario: Scenario, card_id: str, partner: Optional[str], drop: Optional[int] = None) -> tuple[Effect, ...]:
    """The package's effects in order (the first card's, then its partner's), less effect number `drop`."""
    effects = scenario.concession(card_id).effects + (scenario.concession(partner).effects if partner else ())
    return effects if drop is None else effects[:drop] + effects[drop + 1:]


def playable(state: GameState, delegation: str) -> list[str]:
    """Card ids in the delegation's hand that it can pay for now."""
    cap = state.capital[delegation]
    scenario = state.scenario
    return [c for c in state.hands[delegation] if scenario.concession(c).cost <= cap]


def plays(state: GameState, delegation: str) -> list[PlayCard]:
    """Every card play open to `delegation`: each card it can pay for, each proposal with each
    side-payment it can pay, and each package of two cards that goes to consent."""
    scenario = state.scenario
    cap = state.capital[delegation]
    most = scenario.rules.side_payment_max
    hand = state.hands[delegation]
    out: list[PlayCard] = []

    def offers(card: str, partner: Optional[str], cost: int) -> None:
        parties = len(package_consent(state, card, partner))
        if partner is not None and not parties:
            return
        top = min(most, (cap - cost) // parties) if parties else 0
        out.extend(PlayCard(delegation, card, partner=partner, side_payment=s) for s in range(top + 1))

    for c in playable(state, delegation):
        offers(c, None, scenario.concession(c).cost)
    for i, a in enumerate(hand):
        for b in hand[i + 1:]:
            cost = scenario.concession(a).cost + scenario.concession(b).cost
            if cost <= cap:
                offers(a, b, cost)
    return out


def play_refusal(state: GameState, action: PlayCard) -> Optional[str]:
    scenario = state.scenario
    who = action.delegation
    hand = state.hands[who]
    card, partner = action.card, action.partner
    # The common case (a card of the hand, or two) is tested first; the words are made only for a refusal.
    if card not in hand:
        return f"{card!r} is not in {scenario.delegation(who).name}'s hand"
    cost = scenario.concession(card).cost
    if partner is not None:
        if partner not in hand:
            return f"{partner!r} is not in {scenario.delegation(who).name}'s hand"
        if partner == card:
            return "a package bundles two different cards"
        cost += scenario.concession(partner).cost
    capital = state.capital[who]
    if cost > capital:
        what = scenario.concession(card).title if partner is None else "The package"
        return f"{what} costs {cost} political capital; {scenario.delegation(who).name} has {capital}"
    side = action.side_payment
    if partner is None and not side:
        return None  # one card, no side-payment: the tests below are for bargains
    parties = package_consent(state, card, partner)
    if partner is not None and not parties:
        return "a package is a proposal: neither card needs another delegation's consent"
    if side:
        what = scenario.concession(card).title if partner is None else "The package"
        most = scenario.rules.side_payment_max
        if not parties:
            return f"{what} needs nobody's consent: there is nobody to pay a side-payment to"
        if not 0 < side <= most:
            return f"a side-payment is 0 to {most} capital to each consenting delegation, not {side}"
        if cost + side * len(parties) > capital:
            return (f"{what} costs {cost} and a side-payment of {side} to {len(parties)} "
                    f"{'delegation' if len(parties) == 1 else 'delegations'}; {scenario.delegation(who).name} has {capital}")
    elif side < 0:
        return f"a side-payment cannot be negative ({side})"
    return None


def play(state: GameState, action: PlayCard) -> None:
    scenario = state.scenario
    who = action.delegation
    cards = [action.card] if action.partner is None else [action.card, action.partner]
    hand = list(state.hands[who])  # a new list: the old one is shared with earlier states
    for c in cards:
        hand.remove(c)
        state.capital[who] -= scenario.concession(c).cost
    state.hands[who] = hand
    state.discards[who] = [*state.discards[who], *cards]
    consent = package_consent(state, action.card, action.partner)
    if consent:
        payload = Proposed(who, action.card, consent, action.partner, action.side_payment)
        state.log.append(LogEntry(state.round, payload, rationale=action.text))
        state.pending = Proposal(action.card, who, consent, partner=action.partner, side_payment=action.side_payment)
        return
    changes = support.react(state, (who,), apply_effects(state, scenario.concession(action.card).effects))
    state.log.append(LogEntry(state.round, CardPlayed(who, action.card), changes, action.text))
    state.turn_index += 1


def answer_refusal(state: GameState, action: Answer) -> Optional[str]:
    if action.card != state.pending.card:
        return f"the proposal waiting is {state.pending.card!r}, not {action.card!r}"
    return None


def answer(state: GameState, action: Answer) -> None:
    proposal: Proposal = state.pending
    if action.accept:
        state.log.append(LogEntry(state.round, Answered(action.delegation, proposal.card, True), rationale=action.text))
        _consent(state, proposal, action.delegation)
    else:
        changes = _rejection(state, proposal)
        state.log.append(LogEntry(state.round, Answered(action.delegation, proposal.card, False), changes, action.text))
        _close(state)


def _consent(state: GameState, proposal: Proposal, who: str) -> None:
    """`who` consents: the next party is asked, or, the last one, the proposal is agreed."""
    rest = proposal.awaiting[1:]
    consented = _amend(proposal, awaiting=rest, accepted=proposal.accepted + (who,))
    if rest:
        state.pending = consented
        return
    agree(state, consented)
    _close(state)


def _amend(proposal: Proposal, **changes) -> Proposal:
    """`attrs.evolve(proposal, **changes)` for a record with no validators, converters or defaults
    to run: the copy's `__dict__` is the proposal's, updated (a non-slotted record's `__dict__` holds
    its fields). Every answer in a bot's previews amends the proposal: evolve was 5 % of a bot
    game, a call of `Proposal(**fields)` still 4 %."""
    amended = object.__new__(Proposal)
    fields = amended.__dict__
    fields.update(proposal.__dict__)
    fields.update(changes)
    return amended


def agree(state: GameState, proposal: Proposal) -> None:
    """Every party has consented: the payments owed, then the package's effects (less a dropped one)."""
    effects = payments(proposal) + package_effects(state.scenario, proposal.card, proposal.partner, proposal.drop)
    p = proposal
    changes = support.react(state, (p.proposer, *p.accepted), apply_effects(state, effects))
    payload = Agreed(p.proposer, p.card, p.partner, p.countered_by, p.drop, p.ask, p.side_payment)
    state.log.append(LogEntry(state.round, payload, changes))


def payments(proposal: Proposal) -> tuple[Effect, ...]:
    """The capital an agreed proposal moves: its side-payment to each party and a counter's ask."""
    if not proposal.side_payment and not proposal.ask:
        return ()  # most proposals: nothing owed (the common case first)
    paid = [(d, proposal.side_payment) for d in proposal.accepted if proposal.side_payment]
    if proposal.ask:
        paid.append((proposal.countered_by, proposal.ask))
    if not paid:
        return ()
    owed = sum(n for _, n in paid)
    return (Effect(CAPITAL, -owed, proposal.proposer),) + tuple(Effect(CAPITAL, n, d) for d, n in paid)


def _rejection(state: GameState, proposal: Proposal) -> tuple:
    card = state.scenario.concession(proposal.card)
    effects = card.on_reject if card.on_reject is not None else state.scenario.rules.rejection_effects
    return apply_effects(state, effects)


def _close(state: GameState) -> None:
    state.pending = None
    state.turn_index += 1


# --- counters -------------------------------------------------------------------------------


def owed_before_ask(proposal: Proposal) -> int:
    """What the proposer already owes on agreement: its side-payment to every party."""
    return proposal.side_payment * (len(proposal.accepted) + len(proposal.awaiting))


def counter_refusal(state: GameState, action: Counter) -> Optional[str]:
    p: Proposal = state.pending
    scenario = state.scenario
    if action.card != p.card:
        return f"the proposal waiting is {p.card!r}, not {action.card!r}"
    if p.countered_by is not None:
        return f"{scenario.delegation(p.countered_by).name} already countered this proposal; accept or reject it"
    if (action.drop is None) == (not action.ask):
        return "a counter either drops one effect or asks for capital, not both or neither"
    if action.drop is not None:
        effects = package_effects(state.scenario, p.card, p.partner)
        if len(effects) < 2:
            return "the proposal has a single effect: a counter may not drop it (ask for capital instead)"
        if not 0 <= action.drop < len(effects):
            return f"effect number {action.drop} does not exist; the proposal's effects are numbered 0 to {len(effects) - 1}"
        return None
    most = scenario.rules.counter_ask_max
    if not 0 < action.ask <= most:
        return f"a counter asks for 1 to {most} capital, not {action.ask}" if most else "this scenario has no capital counters"
    can = state.capital[p.proposer] - owed_before_ask(p)
    if action.ask > can:
        return f"{scenario.delegation(p.proposer).name} can pay at most {max(0, can)} capital beyond its side-payments"
    return None


def counters(state: GameState, delegation: str) -> list[Counter]:
    """Every counter open to `delegation` on the proposal waiting on it."""
    p: Proposal = state.pending
    if p.countered_by is not None:
        return []
    n = len(package_effects(state.scenario, p.card, p.partner))
    out = [Counter(delegation, p.card, drop=i) for i in range(n)] if n >= 2 else []
    can = min(state.scenario.rules.counter_ask_max, state.capital[p.proposer] - owed_before_ask(p))
    return out + [Counter(delegation, p.card, ask=n) for n in range(1, can + 1)]


def counter(state: GameState, action: Counter) -> None:
    p: Proposal = state.pending
    payload = Countered(action.delegation, p.card, p.proposer, p.partner, action.drop, action.ask)
    state.log.append(LogEntry(state.round, payload, rationale=action.text))
    state.pending = CounterOffer(_amend(p, countered_by=action.delegation, drop=action.drop, ask=action.ask))


def answer_counter_refusal(state: GameState, action: AnswerCounter) -> Optional[str]:
    card = state.pending.proposal.card
    if action.card != card:
        return f"the counter waiting is on {card!r}, not {action.card!r}"
    return None


def answer_counter(state: GameState, action: AnswerCounter) -> None:
    """The proposer takes the counter (the counterer's consent to the amended terms) or turns it down (a rejection)."""
    p = state.pending.proposal
    by = p.countered_by
    if action.accept:
        state.log.append(LogEntry(state.round, CounterAnswered(p.proposer, p.card, by, True), rationale=action.text))
        _consent(state, p, by)
    else:
        changes = _rejection(state, p)
        state.log.append(LogEntry(state.round, CounterAnswered(p.proposer, p.card, by, False), changes, action.text))
        _close(state)
