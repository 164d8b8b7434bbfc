"""The facilitator's moves: injects, events, adjudication and notes.

They go through `apply_action` like everyone else's, so they are in the
action log, the save and the after-action report, and undo covers them.
They are legal only in a facilitated game: in any other the injects fire on
schedule and nobody sits at the console.
"""

from __future__ import annotations

from typing import Optional

from ..model import (
    MONITORING,
    NOTE_TAGS,
    RATINGS,
    Adjudicate,
    Adjudicated,
    Announce,
    Announced,
    EventHeld,
    EventWaiting,
    FireRoundEvent,
    HoldRoundEvent,
    SwapRoundEvent,
    Change,
    FacilitatorAction,
    FireEvent,
    FireInject,
    GameState,
    InjectPostponed,
    InjectSkipped,
    LogEntry,
    Note,
    Noted,
    PostponeInject,
    Rate,
    Rated,
    SkipInject,
    top_of,
)
from . import rounds
from .effects import set_value

NOT_FACILITATED = "this game has no facilitator: facilitator moves are only for games started as facilitated (--facilitated)"


def _inject_refusal(state: GameState, inject_id: str) -> Optional[str]:
    ids = {i.id for i in state.scenario.injects}
    if inject_id not in ids:
        return f"unknown inject {inject_id!r}"
    if inject_id in state.injects_done:
        return f"inject {inject_id!r} was already {state.injects_done[inject_id]}"
    return None


def _objective_refusal(state: GameState, objective_id: str) -> Optional[str]:
    exercise = state.exercise
    if exercise is None:
        return "this scenario sets no exercise objectives"
    if exercise.objective(objective_id) is None:
        return f"unknown objective {objective_id!r}; choose one of: {', '.join(o.id for o in exercise.objectives)}"
    return None


def _round_event_refusal(state: GameState, action: FacilitatorAction) -> Optional[str]:
    waiting = state.pending
    if not isinstance(waiting, EventWaiting):
        return "no round event is waiting for the facilitator"
    if isinstance(action, SwapRoundEvent):
        if not state.scenario.has_event(action.card):
            return f"unknown event card {action.card!r}"
        if action.card == waiting.event:
            return "swap the round's event for another card, or fire it"
    return None


def round_event_choices(state: GameState) -> list[FacilitatorAction]:
    """What the facilitator may do with the round's event waiting: fire it, swap it for any other card, hold it."""
    waiting = state.pending
    if not isinstance(waiting, EventWaiting) or state.outcome is not None:
        return []
    swaps = [SwapRoundEvent(e.id) for e in state.scenario.events if e.id != waiting.event]
    return [FireRoundEvent(), *swaps, HoldRoundEvent()]


def refusal(state: GameState, action: FacilitatorAction) -> Optional[str]:
    """Why the facilitator may not make this move now, or None."""
    scenario = state.scenario
    if not state.setup.facilitated:
        return NOT_FACILITATED
    if isinstance(action, Note):
        if not action.text.strip():
            return "a note needs some text"
        if action.tag is not None and action.tag not in NOTE_TAGS:
            return f"a note's tag is one of: {', '.join(NOTE_TAGS)} (got {action.tag!r})"
        return None if action.objective is None else _objective_refusal(state, action.objective)
    if isinstance(action, Announce):
        return None if action.text.strip() else "an announcement needs some text"
    if isinstance(action, (FireRoundEvent, SwapRoundEvent, HoldRoundEvent)):
        return _round_event_refusal(state, action)
    if isinstance(action, Rate):
        if action.rating not in RATINGS:
            return f"a rating is one of: {', '.join(RATINGS)} (got {action.rating!r})"
        return _objective_refusal(state, action.objective)
    if isinstance(action, Adjudicate):
        if not action.text.strip():
            return "an adjudication needs a reason"
        valid = set(state.tracks) | set(state.meters) | {MONITORING}
        if action.target not in valid:
            return f"unknown track or meter {action.target!r}; choose one of: {', '.join(sorted(valid))}"
        top = top_of(action.target)
        if not 0 <= action.value <= top:
            return f"the value must be a whole number from 0 to {top}"
        return None
    if isinstance(action, (FireInject, SkipInject, PostponeInject)):
        why = _inject_refusal(state, action.inject)
        if why is None and isinstance(action, FireInject):
            inj = scenario.inject(action.inject)
            if inj.event is not None and scenario.event(inj.event).chooser and state.pending is not None:
                return "finish the decision under way before firing an inject that asks for a choice"
        return why
    if isinstance(action, FireEvent):
        if isinstance(state.pending, EventWaiting):
            return "first fire, swap or hold the round's event"
        if not scenario.has_event(action.card):
            return f"unknown event card {action.card!r}"
        if state.pending is not None and scenario.event(action.card).chooser:
            return "finish the decision under way before firing an event that asks for a choice"
        return None
    return f"unknown facilitator action {type(action).__name__}"


def apply(state: GameState, action: FacilitatorAction) -> None:
    """Make a move that `refusal` allows."""
    if isinstance(action, Note):
        text = action.text.strip()
        state.log.append(LogEntry(state.round, Noted(text, action.tag, action.objective), rationale=text))
    elif isinstance(action, Announce):
        state.log.append(LogEntry(state.round, Announced(" ".join(action.text.split()))))
    elif isinstance(action, Rate):
        evidence = action.text.strip()
        state.log.append(LogEntry(state.round, Rated(action.objective, action.rating, evidence), rationale=evidence))
    elif isinstance(action, Adjudicate):
        reason = action.text.strip()
        old = set_value(state, action.target, action.value)
        changes = (Change(action.target, None, old, action.value),) if old != action.value else ()
        state.log.append(LogEntry(state.round, Adjudicated(action.target, old, action.value, reason), changes, reason))
    elif isinstance(action, FireInject):
        rounds.fire_inject(state, action.inject)
    elif isinstance(action, SkipInject):
        state.injects_done[action.inject] = "skipped"
        state.log.append(LogEntry(state.round, InjectSkipped(action.inject), rationale=action.text))
    elif isinstance(action, PostponeInject):
        new_round = max(state.round, rounds.inject_round(state, action.inject)) + 1
        state.inject_rounds[action.inject] = new_round
        state.log.append(LogEntry(state.round, InjectPostponed(action.inject, new_round), rationale=action.text))
    elif isinstance(action, FireEvent):
        rounds.reveal_event(state, action.card, by="facilitator")
    elif isinstance(action, FireRoundEvent):
        card, state.pending = state.pending.event, None
        rounds.reveal_event(state, card)
    elif isinstance(action, SwapRoundEvent):
        state.pending = None
        rounds.reveal_event(state, action.card, by="facilitator")
    elif isinstance(action, HoldRoundEvent):
        card, state.pending = state.pending.event, None
        state.log.append(LogEntry(state.round, EventHeld(card), rationale=action.text))
