"""The game's sentences: every log entry, change, effect and condition worded for the room.

The engine records what happened as data (`LogEntry` payloads and `Change`
records); this is the one module that turns that data into the sentences the
log, the toasts and the after-action report show. Nothing here changes a
state, and nothing is worded until it is shown.
"""

from __future__ import annotations

from typing import Iterable, Optional

from .engine.proposals import package_effects
from .engine.scoring import OUTCOME_TEXT
from .seats import seat
from .text import signed
from .model import (
    CAPITAL,
    SUPPORT,
    SupportRefill,
    Action,
    Adjudicate,
    Adjudicated,
    Announce,
    Answer,
    Choose,
    FireEvent,
    FireInject,
    Note,
    Pass,
    PlayCard,
    PostponeInject,
    Rate,
    Respond,
    SkipInject,
    Agreed,
    Answered,
    AnswerCounter,
    CardPlayed,
    CeasefireCollapsed,
    Counter,
    CounterAnswered,
    Countered,
    CeasefireHeld,
    Change,
    Chose,
    Dealt,
    Discarded,
    Effect,
    Ended,
    EventRevealed,
    InjectFired,
    InjectPostponed,
    InjectSkipped,
    LogEntry,
    Noted,
    Announced,
    EventHeld,
    FireRoundEvent,
    HoldRoundEvent,
    SwapRoundEvent,
    RATINGS,
    Rated,
    Passed,
    Proposed,
    Responded,
    RoundStarted,
    Scenario,
    Setup,
    TensionDrift,
    possessive,
    ViolationRolled,
)

__all__ = ["change_text", "changes_text", "condition_text", "describe_effect", "describe_effects", "played_by", "sentence"]

_EVENT_HOW = {"draw": "Event", "facilitator": "The facilitator fires an event"}


def played_by(scenario: Scenario, setup: Setup, delegation: str) -> str:
    """Who plays a delegation, in the game's words: "human team", "team Kyiv" or "bot: pragmatist"."""
    s = seat(scenario, setup, delegation)
    if s.human:
        return f"team {s.named_team}" if s.named_team else "human team"
    return f"bot: {s.personality}"


def condition_text(scenario: Scenario, target: str, at_least: Optional[int], at_most: Optional[int]) -> str:
    """A guard on a value in words: "Ceasefire ≥ 6", "Tension ≤ 3 and …"."""
    name = scenario.name_of(target)
    parts = []
    if at_least is not None:
        parts.append(f"{name} ≥ {at_least}")
    if at_most is not None:
        parts.append(f"{name} ≤ {at_most}")
    return " and ".join(parts) or name


def describe_effect(scenario: Scenario, e: Effect) -> str:
    """What a deck's effect would do: "Ukraine capital +1 (if Tension ≥ 5)"."""
    name = scenario.name_of(e.delegation) + " capital" if e.target == CAPITAL else scenario.name_of(e.target)
    text = f"{name} {signed(e.delta)}"
    if e.when is not None:
        text += f" (if {condition_text(scenario, e.when.target, e.when.at_least, e.when.at_most)})"
    return text


def describe_effects(scenario: Scenario, effects: Iterable[Effect]) -> str:
    return ", ".join(describe_effect(scenario, e) for e in effects) or "no direct effect"


def change_text(scenario: Scenario, c: Change) -> str:
    """What moved: "Ceasefire +2", "Russia capital −1"."""
    if c.target == CAPITAL:
        return f"{scenario.delegation(c.delegation).name} capital {signed(c.delta)}"
    if c.target == SUPPORT:
        return f"{possessive(scenario.delegation(c.delegation).name)} support at home {signed(c.delta)} (now {c.after})"
    return f"{scenario.name_of(c.target)} {signed(c.delta)}"


def changes_text(scenario: Scenario, changes: Iterable[Change]) -> str:
    """The changes joined for a sentence ("Ceasefire +2; Tension −1"); empty when nothing moved."""
    return "; ".join(change_text(scenario, c) for c in changes)


def _then(scenario: Scenario, changes: tuple[Change, ...]) -> str:
    """The changes as a closing sentence: "Ceasefire +2." (nothing when nothing moved)."""
    return changes_text(scenario, changes) + "." if changes else ""


def _aside(scenario: Scenario, changes: tuple[Change, ...]) -> str:
    return "(" + changes_text(scenario, changes) + ")" if changes else ""


def objective_label(scenario: Scenario, objective_id: Optional[str]) -> str:
    """'objective O1' as the room reads it, with its text when the scenario has it."""
    exercise = scenario.exercise
    objective = exercise.objective(objective_id) if exercise and objective_id else None
    return f"objective {objective_id}" + (f" “{objective.text}”" if objective else "")


def note_filing(scenario: Scenario, tag: Optional[str], objective_id: Optional[str]) -> str:
    """'strength, objective O1': where a tagged note is filed in the after-action report."""
    parts = [{"strength": "strength", "improvement": "area for improvement"}.get(tag, tag)] if tag else []
    if objective_id:
        parts.append(f"objective {objective_id}")
    return ", ".join(parts)


def package_title(scenario: Scenario, card: str, partner: Optional[str]) -> str:
    """“Title”, or “Title” with “Partner” for a package of two cards."""
    text = f"“{scenario.concession(card).title}”"
    return text + (f" with “{scenario.concession(partner).title}”" if partner else "")


def counter_terms(scenario: Scenario, card: str, partner: Optional[str], drop: Optional[int], ask: int, proposer: str) -> str:
    """What a counter amends: "dropping Tension +1", "asking Russia for 2 capital"."""
    if drop is not None:
        return f"dropping {describe_effect(scenario, package_effects(scenario, card, partner)[drop])}"
    return f"asking {scenario.delegation(proposer).name} for {ask} capital"


def sentence(scenario: Scenario, entry: LogEntry) -> str:
    """The line of the game's story that `entry` records, as it is read out to the room."""
    p = entry.payload
    ch = entry.changes
    sc = scenario
    if isinstance(p, CardPlayed):
        return f"{sc.delegation(p.delegation).says('plays')} “{sc.concession(p.card).title}”: {changes_text(sc, ch) or 'no change'}."
    if isinstance(p, Answered):
        title = sc.concession(p.card).title
        if p.accept:
            return f"{sc.delegation(p.delegation).says('accepts')} “{title}”."
        return f"{sc.delegation(p.delegation).says('rejects')} “{title}”. {_then(sc, ch)}"
    if isinstance(p, Passed):
        return f"{sc.delegation(p.delegation).says('passes')}."
    if isinstance(p, Discarded):
        return f"{sc.delegation(p.delegation).says('discards')} “{sc.concession(p.card).title}” and will draw another."
    if isinstance(p, Proposed):
        names = " and ".join(sc.delegation(d).name for d in p.to)
        what = package_title(sc, p.card, p.partner)
        effects = describe_effects(sc, package_effects(sc, p.card, p.partner))
        paid = f", offering {p.side_payment} capital to each on agreement" if p.side_payment else ""
        package = "the package " if p.partner else ""
        return f"{sc.delegation(p.delegation).says('proposes')} {package}{what} to {names} ({effects}){paid}."
    if isinstance(p, Countered):
        terms = counter_terms(sc, p.card, p.partner, p.drop, p.ask, p.proposer)
        return f"{sc.delegation(p.delegation).says('counters')} “{sc.concession(p.card).title}”, {terms}."
    if isinstance(p, CounterAnswered):
        verb = sc.delegation(p.delegation).says("takes" if p.accept else "turns down")
        text = f"{verb} {possessive(sc.delegation(p.by).name)} counter to “{sc.concession(p.card).title}”."
        return text if p.accept else f"{text} {_then(sc, ch)}"
    if isinstance(p, Agreed):
        amended = ""
        if p.countered_by is not None:
            terms = counter_terms(sc, p.card, p.partner, p.drop, p.ask, p.delegation)
            amended = f" as amended by {possessive(sc.delegation(p.countered_by).name)} counter ({terms})"
        return f"Agreed: {package_title(sc, p.card, p.partner)}{amended}. {_then(sc, ch)}"
    if isinstance(p, Chose):
        option = next((o.label for o in sc.event(p.card).options if o.id == p.option), p.option)
        return f"{sc.delegation(p.delegation).says('chooses')}: {option}. {_then(sc, ch)}"
    if isinstance(p, RoundStarted):
        return f"Round {entry.round} of {p.of} begins."
    if isinstance(p, EventRevealed):
        card = sc.event(p.card)
        if p.by == "inject":  # the inject's sentence, just before, has told the story
            return f"The inject brings the event “{card.title}”. {_aside(sc, ch)}".rstrip()
        return f"{_EVENT_HOW.get(p.by, 'Event')}: {card.title}. {card.text} {_aside(sc, ch)}"
    if isinstance(p, InjectFired):
        inj = sc.inject(p.inject)
        return f"Inject: {inj.title}. {inj.text} {_aside(sc, ch)}"
    if isinstance(p, InjectSkipped):
        return f"The facilitator skips the inject “{sc.inject(p.inject).title}”."
    if isinstance(p, InjectPostponed):
        return f"The facilitator postpones the inject “{sc.inject(p.inject).title}” to round {p.to_round}."
    if isinstance(p, CeasefireHeld):
        return f"The ceasefire held this round (violation chance was {p.chance:.0%})."
    if isinstance(p, ViolationRolled):
        return (f"Ceasefire violation: {sc.delegation(p.delegation).says('is')} blamed for fire along the line of contact "
                f"(chance was {p.chance:.0%}). {_then(sc, ch)}")
    if isinstance(p, CeasefireCollapsed):
        return f"The ceasefire collapses after {p.violations} violations in {p.window} rounds. {_then(sc, ch)}"
    if isinstance(p, Responded):
        response = sc.violations.response(p.response)
        return f"{sc.delegation(p.delegation).says('responds')}: {response.label if response else p.response}. {_then(sc, ch)}"
    if isinstance(p, TensionDrift):
        return f"With no ceasefire in effect, fighting goes on: {changes_text(sc, ch)}."
    if isinstance(p, SupportRefill):
        dl = sc.delegation(p.delegation)
        mood = "Low" if p.delta < 0 else "High"
        return f"{mood} support at home ({p.support} of 10): {dl.says('refills')} {abs(p.delta)} capital {'less' if p.delta < 0 else 'more'} this upkeep. {_then(sc, ch)}"
    if isinstance(p, Noted):
        filed = note_filing(sc, p.tag, p.objective)
        return f"Facilitator's note{f' ({filed})' if filed else ''}: {p.text}"
    if isinstance(p, EventHeld):
        return f"The facilitator holds back this round's event, “{sc.event(p.card).title}”."
    if isinstance(p, Announced):
        return f"The facilitator announces: {p.text}"
    if isinstance(p, Rated):
        return f"The facilitator rates {objective_label(sc, p.objective)} {p.rating} ({RATINGS.get(p.rating, p.rating)})" + (
            f": {p.evidence}" if p.evidence else "")
    if isinstance(p, Adjudicated):
        return f"The facilitator sets {sc.name_of(p.target)} from {p.old} to {p.new}: {p.reason}"
    if isinstance(p, Ended):
        return f"Game over after round {entry.round}. {OUTCOME_TEXT[p.outcome]}"
    if isinstance(p, Dealt):
        s = p.setup
        teams = ", ".join(f"{sc.delegation(d).name} ({played_by(sc, s, d)})" for d in s.delegations)
        return f"{sc.title}: {s.rounds} rounds, seed {s.seed}. At the table: {teams}."
    raise TypeError(f"no sentence for {type(p).__name__}")


def action_sentence(scenario: Scenario, action: Action) -> str:
    """An action in one line, who did what: for the undo question and the record of undone actions."""
    sc = scenario
    who = sc.delegation(action.delegation).name if action.delegation else "The facilitator"
    if isinstance(action, Pass):
        return f"{who} passes"
    if isinstance(action, PlayCard):
        return f"{who} plays {package_title(sc, action.card, action.partner)}"
    if isinstance(action, Answer):
        return f"{who} {'accepts' if action.accept else 'rejects'} “{sc.concession(action.card).title}”"
    if isinstance(action, Counter):
        return f"{who} counters “{sc.concession(action.card).title}”"
    if isinstance(action, AnswerCounter):
        return f"{who} {'takes' if action.accept else 'turns down'} the counter to “{sc.concession(action.card).title}”"
    if isinstance(action, (FireInject, SkipInject, PostponeInject)):
        verb = {FireInject: "fires", SkipInject: "skips", PostponeInject: "postpones"}[type(action)]
        return f"{who} {verb} the inject “{sc.inject(action.inject).title}”"
    if isinstance(action, FireEvent):
        return f"{who} fires the event “{sc.event(action.card).title}”"
    if isinstance(action, FireRoundEvent):
        return f"{who} fires the round's event"
    if isinstance(action, SwapRoundEvent):
        return f"{who} swaps the round's event for “{sc.event(action.card).title}”"
    if isinstance(action, HoldRoundEvent):
        return f"{who} holds back the round's event"
    if isinstance(action, Adjudicate):
        return f"{who} sets {sc.name_of(action.target)} to {action.value} ({action.text})"
    if isinstance(action, Note):
        return f"{who} notes: {action.text}"
    if isinstance(action, Announce):
        return f"{who} announces: {action.text}"
    if isinstance(action, Rate):
        return f"{who} rates {objective_label(sc, action.objective)} {action.rating}"
    if isinstance(action, Choose):
        return f"{who} chooses an option of “{sc.event(action.card).title}”"
    if isinstance(action, Respond):
        return f"{who} responds to a violation ({action.response})"
    return f"{who}: {action.kind}"
