"""Playing concession cards; proposals that need the consent of named delegations.

A card whose `consent` names other delegations in the game is a proposal:
they answer in turn and one rejection ends it, with the card's `on_reject`
effects (or the scenario's default rejection cost). The proposer pays the
capital when proposing, accepted or not: offers are not free.
"""

from __future__ import annotations

from ..model import Action, ConcessionCard, GameState, LogEntry, Proposal
from .effects import apply_effects, describe_effects
from .errors import IllegalAction


def consent_needed(state: GameState, card: ConcessionCard) -> tuple[str, ...]:
    return tuple(d for d in card.consent if d in state.capital and d != card.delegation)


def playable(state: GameState, delegation: str) -> list[str]:
    """Card ids in the delegation's hand that it can pay for now."""
    cap = state.capital[delegation]
    scenario = state.scenario
    return [c for c in state.hands[delegation] if scenario.concession(c).cost <= cap]


def play(state: GameState, action: Action) -> None:
    scenario = state.scenario
    who = action.delegation
    if action.card not in state.hands[who]:
        raise IllegalAction(f"{action.card!r} is not in {scenario.delegation(who).name}'s hand")
    card = scenario.concession(action.card)
    if card.cost > state.capital[who]:
        raise IllegalAction(f"{card.title} costs {card.cost} political capital; {scenario.delegation(who).name} has {state.capital[who]}")
    state.hands[who].remove(card.id)
    state.discards[who].append(card.id)
    state.capital[who] -= card.cost
    d = scenario.delegation(who)
    consent = consent_needed(state, card)
    if consent:
        names = " and ".join(scenario.delegation(d).name for d in consent)
        state.log.append(
            LogEntry(state.round, "proposal", f"{d.says('proposes')} “{card.title}” to {names} ({describe_effects(scenario, card.effects)}).",
                     delegation=who, rationale=action.text, card=card.id)
        )
        state.pending = Proposal(card.id, who, consent)
        return
    changes = apply_effects(state, card.effects)
    state.log.append(
        LogEntry(state.round, "play", f"{d.says('plays')} “{card.title}”: " + ("; ".join(changes) if changes else "no change") + ".",
                 delegation=who, rationale=action.text, card=card.id)
    )
    state.turn_index += 1


def answer(state: GameState, action: Action) -> None:
    scenario = state.scenario
    proposal: Proposal = state.pending
    card = scenario.concession(proposal.card)
    who = action.delegation
    d = scenario.delegation(who)
    if action.accept is None:
        raise IllegalAction("an answer must accept or reject")
    if action.accept:
        state.log.append(LogEntry(state.round, "answer", f"{d.says('accepts')} “{card.title}”.", delegation=who, rationale=action.text, card=card.id))
        rest = proposal.awaiting[1:]
        if rest:
            state.pending = Proposal(proposal.card, proposal.proposer, rest, proposal.accepted + (who,))
            return
        changes = apply_effects(state, card.effects)
        state.log.append(
            LogEntry(state.round, "agreement", f"Agreed: “{card.title}”. " + ("; ".join(changes) + "." if changes else ""),
                     delegation=proposal.proposer, card=card.id)
        )
    else:
        effects = card.on_reject if card.on_reject is not None else scenario.rules.rejection_effects
        changes = apply_effects(state, effects)
        state.log.append(
            LogEntry(state.round, "answer",
                     f"{d.says('rejects')} “{card.title}”. " + ("; ".join(changes) + "." if changes else ""),
                     delegation=who, rationale=action.text, card=card.id)
        )
    state.pending = None
    state.turn_index += 1
