"""Playing concession cards; proposals that need the consent of named delegations.

A card whose `consent` names other delegations in the game is a proposal:
they answer in turn and one rejection ends it, with the card's `on_reject`
effects (or the scenario's default rejection cost). The proposer pays the
capital when proposing, accepted or not: offers are not free.
"""

from __future__ import annotations

from typing import Optional

from ..model import Agreed, Answer, Answered, CardPlayed, ConcessionCard, GameState, LogEntry, PlayCard, Proposal, Proposed
from . import support
from .effects import apply_effects


def consent_needed(state: GameState, card: ConcessionCard) -> tuple[str, ...]:
    return tuple(d for d in card.consent if d in state.capital and d != card.delegation)


def playable(state: GameState, delegation: str) -> list[str]:
    """Card ids in the delegation's hand that it can pay for now."""
    cap = state.capital[delegation]
    scenario = state.scenario
    return [c for c in state.hands[delegation] if scenario.concession(c).cost <= cap]


def play_refusal(state: GameState, action: PlayCard) -> Optional[str]:
    scenario = state.scenario
    who = action.delegation
    if action.card not in state.hands[who]:
        return f"{action.card!r} is not in {scenario.delegation(who).name}'s hand"
    card = scenario.concession(action.card)
    if card.cost > state.capital[who]:
        return f"{card.title} costs {card.cost} political capital; {scenario.delegation(who).name} has {state.capital[who]}"
    return None


def play(state: GameState, action: PlayCard) -> None:
    scenario = state.scenario
    who = action.delegation
    card = scenario.concession(action.card)
    hand = list(state.hands[who])  # a new list: the old one is shared with earlier states
    hand.remove(card.id)
    state.hands[who] = hand
    state.discards[who] = [*state.discards[who], card.id]
    state.capital[who] -= card.cost
    consent = consent_needed(state, card)
    if consent:
        state.log.append(LogEntry(state.round, Proposed(who, card.id, consent), rationale=action.text))
        state.pending = Proposal(card.id, who, consent)
        return
    changes = support.react(state, (who,), apply_effects(state, card.effects))
    state.log.append(LogEntry(state.round, CardPlayed(who, card.id), changes, action.text))
    state.turn_index += 1


def answer_refusal(state: GameState, action: Answer) -> Optional[str]:
    if action.card != state.pending.card:
        return f"the proposal waiting is {state.pending.card!r}, not {action.card!r}"
    return None


def answer(state: GameState, action: Answer) -> None:
    scenario = state.scenario
    proposal: Proposal = state.pending
    card = scenario.concession(proposal.card)
    who = action.delegation
    if action.accept:
        state.log.append(LogEntry(state.round, Answered(who, card.id, True), rationale=action.text))
        rest = proposal.awaiting[1:]
        if rest:
            state.pending = Proposal(proposal.card, proposal.proposer, rest, proposal.accepted + (who,))
            return
        changes = support.react(state, (proposal.proposer, *proposal.accepted, who), apply_effects(state, card.effects))
        state.log.append(LogEntry(state.round, Agreed(proposal.proposer, card.id), changes))
    else:
        effects = card.on_reject if card.on_reject is not None else scenario.rules.rejection_effects
        changes = apply_effects(state, effects)
        state.log.append(LogEntry(state.round, Answered(who, card.id, False), changes, action.text))
    state.pending = None
    state.turn_index += 1
