"""The facilitator's moves: injects, events, adjudication and notes.

They go through `apply_action` like everyone else's, so they are in the
action log, the save and the after-action report, and undo covers them.
"""

from __future__ import annotations

from ..model import MONITORING, Action, GameState, LogEntry
from . import rounds
from .effects import set_value
from .errors import IllegalAction


def _inject(state: GameState, action: Action):
    ids = {i.id for i in state.scenario.injects}
    if action.inject not in ids:
        raise IllegalAction(f"unknown inject {action.inject!r}")
    if action.inject in state.injects_done:
        raise IllegalAction(f"inject {action.inject!r} was already {state.injects_done[action.inject]}")
    return state.scenario.inject(action.inject)


def apply(state: GameState, action: Action) -> None:
    scenario = state.scenario
    kind = action.kind
    if kind == "note":
        if not action.text.strip():
            raise IllegalAction("a note needs some text")
        state.log.append(LogEntry(state.round, "note", f"Facilitator's note: {action.text.strip()}", rationale=action.text.strip()))
    elif kind == "adjudicate":
        if not action.text.strip():
            raise IllegalAction("an adjudication needs a reason")
        valid = set(state.tracks) | set(state.meters) | {MONITORING}
        if action.target not in valid:
            raise IllegalAction(f"unknown track or meter {action.target!r}; choose one of: {', '.join(sorted(valid))}")
        top = 5 if action.target == MONITORING else 10
        if action.value is None or not 0 <= action.value <= top:
            raise IllegalAction(f"the value must be a whole number from 0 to {top}")
        old = set_value(state, action.target, action.value)
        state.log.append(LogEntry(state.round, "adjudication",
                                  f"The facilitator sets {scenario.name_of(action.target)} from {old} to {action.value}: {action.text.strip()}",
                                  rationale=action.text.strip()))
    elif kind == "fire_inject":
        inj = _inject(state, action)
        if inj.event is not None and scenario.event(inj.event).chooser and state.pending is not None:
            raise IllegalAction("finish the decision under way before firing an inject that asks for a choice")
        rounds.fire_inject(state, inj.id)
    elif kind == "skip_inject":
        inj = _inject(state, action)
        state.injects_done[inj.id] = "skipped"
        state.log.append(LogEntry(state.round, "inject", f"The facilitator skips the inject “{inj.title}”.", rationale=action.text))
    elif kind == "postpone_inject":
        inj = _inject(state, action)
        new_round = max(state.round, rounds.inject_round(state, inj.id)) + 1
        state.inject_rounds[inj.id] = new_round
        state.log.append(LogEntry(state.round, "inject", f"The facilitator postpones the inject “{inj.title}” to round {new_round}.", rationale=action.text))
    elif kind == "fire_event":
        if action.card is None or not scenario.has_event(action.card):
            raise IllegalAction(f"unknown event card {action.card!r}")
        if state.pending is not None and scenario.event(action.card).chooser:
            raise IllegalAction("finish the decision under way before firing an event that asks for a choice")
        rounds.reveal_event(state, action.card, how="The facilitator fires an event")
    else:
        raise IllegalAction(f"unknown facilitator action {kind!r}")
