"""The round: event, negotiation, ceasefire, upkeep; and how a game begins and ends.

`advance` runs every automatic step until somebody has to decide something
(a delegation's turn, an answer, a choice, a response) or the game is over.
"""

from __future__ import annotations

from typing import Optional

from ..model import VALUE_MAX, Change, Choice, Ended, EventRevealed, EventWaiting, GameState, InjectFired, LogEntry, RoundStarted, TensionDrift
from . import ceasefire, scoring, support
from .effects import apply_effects
from .rng import Draw

TENSION = "tension"


def end_game(state: GameState, outcome: str) -> None:
    if state.history and len(state.history["tension"]) <= state.round:
        record_history(state)
    state.outcome = outcome
    state.phase = "over"
    state.pending = None
    state.log.append(LogEntry(state.round, Ended(outcome)))


def record_history(state: GameState) -> None:
    history = state.history  # new lists, never appended to: the old ones are shared with earlier states
    for k, v in state.tracks.items():
        history[k] = [*history[k], v]
    for k, v in state.meters.items():
        history[k] = [*history[k], v]
    for d, v in state.support.items():
        key = support.history_key(d)
        history[key] = [*history[key], v]


def order_for_round(state: GameState) -> tuple[str, ...]:
    """Delegations take turns in setup order, the first seat moving on each round."""
    base = state.setup.delegations
    k = (state.round - 1) % len(base)
    return tuple(base[k:] + base[:k])


def inject_round(state: GameState, inject_id: str) -> int:
    return state.inject_rounds.get(inject_id, state.scenario.inject(inject_id).round)


def due_injects(state: GameState) -> list[str]:
    """Injects scheduled for this round or earlier, neither fired nor skipped."""
    return [i.id for i in state.scenario.injects if i.id not in state.injects_done and inject_round(state, i.id) <= state.round]


def reveal_event(state: GameState, card_id: str, by: str = "draw") -> None:
    """Show an event card and apply its effects; `by` is draw, inject or facilitator."""
    scenario = state.scenario
    card = scenario.event(card_id)
    if card_id in state.event_deck:
        state.event_deck.remove(card_id)
        state.event_discard.append(card_id)
    state.current_event = card_id
    changes = apply_effects(state, card.effects)
    state.log.append(LogEntry(state.round, EventRevealed(card_id, by), changes))
    if card.chooser is not None and card.chooser in state.capital and card.options:
        state.pending = Choice(card_id, card.chooser)


def fire_inject(state: GameState, inject_id: str) -> None:
    scenario = state.scenario
    inj = scenario.inject(inject_id)
    state.injects_done[inject_id] = "fired"
    changes = apply_effects(state, inj.effects)
    state.log.append(LogEntry(state.round, InjectFired(inject_id), changes))
    if inj.event is not None:
        reveal_event(state, inj.event, by="inject")


def start_round(state: GameState) -> None:
    state.log.append(LogEntry(state.round, RoundStarted(state.setup.rounds)))
    state.order = order_for_round(state)
    state.turn_index = 0
    state.phase = "negotiation"
    if not state.setup.facilitated:
        for inject_id in due_injects(state):
            if state.pending is None:
                fire_inject(state, inject_id)
    if state.pending is not None:
        return
    if not state.event_deck:
        state.event_deck, state.event_discard = state.event_discard, []
        Draw(state).shuffle(state.event_deck)
    if state.event_deck:
        if state.setup.event_preview:
            state.pending = EventWaiting(state.event_deck[0])  # the facilitator fires, swaps or holds it
        else:
            reveal_event(state, state.event_deck[0])


def draw_cards(state: GameState, delegation: str) -> None:
    """Fill the hand from the deck, reshuffling the discards into it when it runs out.

    The hand, deck and discard lists are replaced, never changed: they are shared with earlier states.
    """
    size = state.scenario.hand_size
    hand = state.hands[delegation]
    if len(hand) >= size:
        return
    hand, deck, discard = list(hand), list(state.decks[delegation]), state.discards[delegation]
    while len(hand) < size:
        if not deck:
            if not discard:
                break
            deck.extend(discard)
            discard = []
            Draw(state).shuffle(deck)
        hand.append(deck.pop())
    state.hands[delegation], state.decks[delegation], state.discards[delegation] = hand, deck, discard


def upkeep(state: GameState) -> None:
    scenario = state.scenario
    if not ceasefire.in_effect(state) and scenario.rules.tension_drift:
        before = state.meters[TENSION]
        after = state.meters[TENSION] = min(VALUE_MAX, before + scenario.rules.tension_drift)
        if after != before:
            state.log.append(LogEntry(state.round, TensionDrift(), (Change(TENSION, None, before, after),)))
    for d in state.setup.delegations:
        support.refill(state, d)
        draw_cards(state, d)
    record_history(state)


def ends_now(state: GameState) -> Optional[str]:
    """The outcome that ends the game at once, whatever the phase: tension at the top is a collapse."""
    return "collapse" if state.meters[TENSION] >= VALUE_MAX else None


def advance(state: GameState) -> None:
    """Run automatic steps until a decision is needed or the game ends."""
    while state.outcome is None:
        outcome = ends_now(state)
        if outcome is not None:
            end_game(state, outcome)
            return
        if state.pending is not None:
            return
        phase = state.phase
        if phase == "event":
            start_round(state)
        elif phase == "negotiation":
            if state.turn_index < len(state.order):
                return
            state.phase = "ceasefire"
        elif phase == "ceasefire":
            state.phase = "upkeep"
            ceasefire.check_for_violation(state)
        elif phase == "upkeep":
            upkeep(state)
            if ends_now(state) is not None:
                end_game(state, "collapse")
            elif scoring.framework_reached(state):
                end_game(state, "settlement")
            elif state.round >= state.setup.rounds:
                end_game(state, "frozen")
            else:
                state.round += 1
                state.phase = "event"

