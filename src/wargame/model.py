"""The game's nouns: a scenario read from the decks, and the state of one game.

Scenario classes are frozen: a deck never changes under a running game.
`GameState` is mutable only inside the engine, which always works on a copy
(see `GameState.clone`), so a state handed out is never changed afterwards.
"""

from __future__ import annotations

import typing
from typing import ClassVar, Optional, Union

import attrs
from attrs import frozen, field

# Targets that are not tracks or meters.
MONITORING = "monitoring"
CAPITAL = "capital"
SUPPORT = "support"  # a delegation's support at home (`Change.delegation` says whose)
MONITORING_MAX = 5  # the top of the monitoring scale
VALUE_MAX = 10  # the top of every track and meter
MAX_ROUNDS = 99  # what `play` and `simulate` accept
CAPITAL_LIMIT = 99  # the most political capital any deck may hand out
BARGAIN_LIMIT = 3  # the most capital a side-payment or a counter's ask may be, per delegation
SCORE_LIMIT = 100  # points: penalties, pars, agenda weights and bot thresholds stay within ±this
RANGE = "range"


# The records a game makes by the thousand (actions, changes, log entries and their payloads,
# pending decisions) are frozen without slots: attrs then fills an instance's `__dict__`
# directly, which makes one about a quarter faster than through the frozen `__setattr__`.
_record = frozen(slots=False)


def top_of(target: str) -> int:
    """The highest value `target` (a track, a meter or monitoring) can take; the lowest is 0."""
    return MONITORING_MAX if target == MONITORING else VALUE_MAX


def ranged(low: float, high: float, default: object = attrs.NOTHING, **kwargs: object) -> object:
    """A deck number with its allowed range, declared once: `wargame check` reads it from the
    field's metadata (`RANGE`), and docs/deck-format.md lists it. For a table of numbers
    (an agenda, a personality's weights) the range bounds each value."""
    return field(default=default, metadata={RANGE: (low, high)}, **kwargs)


def possessive(name: str) -> str:
    """"Russia's", "United States'", "European leaders'"."""
    return name + ("'" if name.endswith("s") else "'s")


@frozen
class Condition:
    """A guard on a value: `target` between `at_least` and `at_most` (inclusive)."""

    target: str
    at_least: Optional[int] = ranged(0, VALUE_MAX, None)
    at_most: Optional[int] = ranged(0, VALUE_MAX, None)


@frozen
class Effect:
    """Move one target by `delta`; `delegation` names whose capital for `capital`."""

    target: str
    delta: int = ranged(-CAPITAL_LIMIT, CAPITAL_LIMIT)
    delegation: Optional[str] = None
    when: Optional[Condition] = None


@frozen
class Level:
    at: int = ranged(0, VALUE_MAX)
    label: str


@frozen
class Track:
    id: str
    name: str
    start: int = ranged(0, VALUE_MAX)
    description: str = ""
    levels: tuple[Level, ...] = ()

    def level(self, value: int) -> str:
        label = ""
        for level in sorted(self.levels, key=lambda lv: lv.at):
            if value >= level.at:
                label = level.label
        return label


@frozen
class Meter:
    id: str
    name: str
    start: int = ranged(0, VALUE_MAX)
    description: str = ""


@frozen
class Rules:
    ceasefire_threshold: int = ranged(0, VALUE_MAX, 6)
    framework_threshold: int = ranged(0, VALUE_MAX, 6)
    framework_sovereignty: int = ranged(0, VALUE_MAX, 5)
    tension_drift: int = ranged(0, VALUE_MAX, 1)
    rejection_effects: tuple[Effect, ...] = ()
    collapse_penalty: int = ranged(0, SCORE_LIMIT, 20)
    # Added to every delegation's total on a framework agreement (0: an older deck, no bonus).
    settlement_bonus: int = ranged(0, SCORE_LIMIT, 0)
    # Long-term diplomacy rises above `diplomacy_trust_level` only while Trust is at least
    # `diplomacy_trust_needed` (the defaults put no limit: an older deck plays as before).
    diplomacy_trust_level: int = ranged(0, VALUE_MAX, VALUE_MAX)
    diplomacy_trust_needed: int = ranged(0, VALUE_MAX, 0)
    # Bargaining: the most capital a proposal may offer each consenting delegation, and the
    # most a counter may ask of the proposer (0: an older deck, neither is offered).
    # Bargains stay small, as the brief has them (a side-payment or an ask of 1-2): each unit
    # is one more option every bot weighs on every proposal, a package's too.
    side_payment_max: int = ranged(0, BARGAIN_LIMIT, 0)
    counter_ask_max: int = ranged(0, BARGAIN_LIMIT, 0)


@frozen
class SupportRules:
    """Support at home, as PeaceMaker models domestic audiences: a meter 0–10 per delegation.

    A card a delegation plays, or an agreement it proposed or consented to, that moves its
    agenda against it by `concession_points` score points or more costs it a step of support
    (two steps for twice as much, up to `max_step`); one that gains it `gain_points` or more
    wins a step. At upkeep a delegation at `low` or below refills `low_refill` capital more
    (a negative number: less), one at `high` or above `high_refill` more. A scenario without
    a [support] table (an older deck or save) has no support at home.
    """

    start: dict[str, int] = ranged(0, VALUE_MAX, factory=dict)  # per delegation; the others start at `default_start`
    default_start: int = ranged(0, VALUE_MAX, 5)
    concession_points: float = ranged(0.1, SCORE_LIMIT, 3)
    gain_points: float = ranged(0.1, SCORE_LIMIT, 3)
    max_step: int = ranged(1, VALUE_MAX, 2)
    low: int = ranged(0, VALUE_MAX, 3)
    high: int = ranged(0, VALUE_MAX, 7)
    low_refill: int = ranged(-CAPITAL_LIMIT, 0, -1)
    high_refill: int = ranged(0, CAPITAL_LIMIT, 1)

    def start_of(self, delegation: str) -> int:
        return self.start.get(delegation, self.default_start)

    def refill_change(self, support: int) -> int:
        """What support at home adds to a delegation's refill at upkeep (negative: takes away)."""
        if support <= self.low:
            return self.low_refill
        if support >= self.high:
            return self.high_refill
        return 0


@frozen
class Response:
    """One answer an injured side may give to a ceasefire violation."""

    id: str
    label: str
    text: str = ""
    cost: int = ranged(0, CAPITAL_LIMIT, 0)
    effects: tuple[Effect, ...] = ()


@frozen
class ViolationSide:
    delegation: str
    weight: int = ranged(1, 100, 1)  # relative odds of being the violator


@frozen
class ViolationRules:
    base_chance: float = ranged(0, 1, 0.1)
    tension_factor: float = ranged(0, 1, 0.05)
    monitoring_factor: float = ranged(0, 1, 0.08)
    min_chance: float = ranged(0, 1, 0.02)
    max_chance: float = ranged(0, 1, 0.85)
    window: int = ranged(1, MAX_ROUNDS, 3)
    collapse_after: int = ranged(1, MAX_ROUNDS, 3)
    effects: tuple[Effect, ...] = ()
    collapse_effects: tuple[Effect, ...] = ()
    sides: tuple[ViolationSide, ...] = ()
    responses: tuple[Response, ...] = ()

    def response(self, response_id: str) -> Optional[Response]:
        for r in self.responses:
            if r.id == response_id:
                return r
        return None


@frozen
class RedLine:
    target: str
    text: str
    penalty: int = ranged(0, SCORE_LIMIT, 25)
    at_least: Optional[int] = ranged(0, VALUE_MAX, None)
    at_most: Optional[int] = ranged(0, VALUE_MAX, None)

    def holds(self, value: int) -> bool:
        if self.at_least is not None and value < self.at_least:
            return False
        if self.at_most is not None and value > self.at_most:
            return False
        return True


@frozen
class Delegation:
    id: str
    name: str
    short: str = ""
    capital: int = ranged(0, CAPITAL_LIMIT, 3)
    income: int = ranged(0, CAPITAL_LIMIT, 2)
    capital_max: int = ranged(1, CAPITAL_LIMIT, 6)
    optional: bool = False
    wants: str = ""
    default_bot: str = "pragmatist"
    agenda: dict[str, int] = ranged(-SCORE_LIMIT, SCORE_LIMIT, factory=dict)
    red_lines: tuple[RedLine, ...] = ()
    plural: bool = False  # "European leaders accept", not "accepts"
    # The total this delegation usually reaches when bots play the standard setup
    # (`wargame simulate`, mean score). Agendas differ in how much they can get, so a
    # team judges its result against its own par, not only against the others.
    par: Optional[float] = ranged(-SCORE_LIMIT, SCORE_LIMIT, None)

    def verb(self, singular: str) -> str:
        """`singular` ("accepts", "passes", "is") agreed with the delegation's name."""
        if not self.plural:
            return singular
        if singular == "is":
            return "are"
        if singular == "has":
            return "have"
        return singular[:-2] if singular.endswith("sses") else singular[:-1]

    def says(self, singular: str) -> str:
        """The name and the agreed verb: "European leaders accept"."""
        return f"{self.name} {self.verb(singular)}"


@frozen
class Option:
    id: str
    label: str
    effects: tuple[Effect, ...] = ()


@frozen
class EventCard:
    id: str
    title: str
    text: str
    source: str
    effects: tuple[Effect, ...] = ()
    chooser: Optional[str] = None
    options: tuple[Option, ...] = ()


@frozen
class ConcessionCard:
    id: str
    delegation: str
    title: str
    text: str
    source: str
    cost: int = ranged(0, CAPITAL_LIMIT, 1)
    consent: tuple[str, ...] = ()
    effects: tuple[Effect, ...] = ()
    on_reject: Optional[tuple[Effect, ...]] = None


@frozen
class Personality:
    """A bot's style. What it plays for is its delegation's agenda (the score `preview`
    gives); the personality sets how much gain it asks for, how much risk it takes and
    how it answers violations. Thresholds are in score points."""

    id: str
    delegation: str
    name: str
    description: str = ""
    accept_threshold: float = ranged(-SCORE_LIMIT, SCORE_LIMIT, 1)
    play_threshold: float = ranged(-SCORE_LIMIT, SCORE_LIMIT, 1)
    risk_tolerance: int = ranged(0, VALUE_MAX, 8)
    # How much a consenting delegation must gain beyond its own threshold before this bot
    # counts on its agreement: negative, a bold proposer who tables hard bargains.
    proposal_margin: float = ranged(-SCORE_LIMIT, SCORE_LIMIT, 0)
    # How much of the settlement bonus it counts on, in proportion to the way covered (0–1).
    settlement_hope: float = ranged(0, 1, 0.5)
    # How heavily it weighs the risk of a collapse as tension rises (0: not at all).
    caution: float = ranged(0, 5, 1)
    response: str = "protest"
    response_when_tense: str = "protest"
    tense_at: int = ranged(0, VALUE_MAX, 7)
    red_lines: tuple[Condition, ...] = ()
    # The expert (wargame.expert): with rollouts above 0 the bot looks ahead. For each of its
    # `candidates` best options it plays the game to the end `rollouts` times with default bots
    # at every seat, and leaves its normal choice only for an option that averages at least
    # `rollout_margin` score points more.
    rollouts: int = ranged(0, 500, 0)
    candidates: int = ranged(2, 8, 4)
    rollout_margin: float = ranged(0, SCORE_LIMIT, 1)


@frozen
class Inject:
    """A scripted event of the master scenario events list (MSEL)."""

    id: str
    round: int = ranged(1, MAX_ROUNDS)
    title: str
    text: str
    question: str = ""
    source: str = ""
    effects: tuple[Effect, ...] = ()
    event: Optional[str] = None


# --- exercise design: what the session is meant to test (HSEEP) -----------------------

# How the facilitator rates an objective at the end, as HSEEP does.
RATINGS = {
    "P": "performed without challenges",
    "S": "performed with some challenges",
    "M": "performed with major challenges",
    "U": "unable to be performed",
}
# How the facilitator may tag a note: what went well, or what must improve.
NOTE_TAGS = ("strength", "improvement")


@frozen
class Objective:
    """One exercise objective: what the room should be able to do, and the capability it tests."""

    id: str
    text: str
    capability: str = ""


@frozen
class Exercise:
    """The exercise a scenario is played for: its name, scope and objectives (the AAR's overview)."""

    name: str
    scope: str = ""
    objectives: tuple[Objective, ...] = ()

    def objective(self, objective_id: str) -> Optional[Objective]:
        return next((o for o in self.objectives if o.id == objective_id), None)


@frozen(slots=False)
class Scenario:
    id: str
    title: str
    description: str
    rounds: int = ranged(1, MAX_ROUNDS)
    hand_size: int = ranged(1, 20)
    rules: Rules
    tracks: tuple[Track, ...]
    meters: tuple[Meter, ...]
    violations: ViolationRules
    delegations: tuple[Delegation, ...]
    events: tuple[EventCard, ...]
    concessions: tuple[ConcessionCard, ...]
    personalities: tuple[Personality, ...] = ()
    injects: tuple[Inject, ...] = ()
    exercise: Optional[Exercise] = None
    support: Optional[SupportRules] = None  # None: no support at home (an older deck or save)
    path: str = field(default="", eq=False)

    # Lookups are built once; scenarios are frozen so they never go stale.
    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_event", {c.id: c for c in self.events})
        object.__setattr__(self, "_concession", {c.id: c for c in self.concessions})
        object.__setattr__(self, "_delegation", {d.id: d for d in self.delegations})
        object.__setattr__(self, "_inject", {i.id: i for i in self.injects})
        object.__setattr__(self, "_names", {t.id: t.name for t in self.tracks} | {m.id: m.name for m in self.meters} | {MONITORING: "Monitoring"})

    def event(self, card_id: str) -> EventCard:
        return self._event[card_id]  # type: ignore[attr-defined]

    def concession(self, card_id: str) -> ConcessionCard:
        return self._concession[card_id]  # type: ignore[attr-defined]

    def delegation(self, delegation_id: str) -> Delegation:
        return self._delegation[delegation_id]  # type: ignore[attr-defined]

    def inject(self, inject_id: str) -> Inject:
        return self._inject[inject_id]  # type: ignore[attr-defined]

    def has_delegation(self, delegation_id: str) -> bool:
        return delegation_id in self._delegation  # type: ignore[attr-defined]

    def has_event(self, card_id: str) -> bool:
        return card_id in self._event  # type: ignore[attr-defined]

    def has_concession(self, card_id: str) -> bool:
        return card_id in self._concession  # type: ignore[attr-defined]

    def name_of(self, target: str) -> str:
        """Display name of a track, meter or delegation id."""
        names = self._names  # type: ignore[attr-defined]
        if target in names:
            return names[target]
        if target in self._delegation:  # type: ignore[attr-defined]
            return self._delegation[target].name  # type: ignore[attr-defined]
        return target

    def personalities_for(self, delegation_id: str) -> tuple[Personality, ...]:
        return tuple(p for p in self.personalities if p.delegation == delegation_id)

    def personality(self, delegation_id: str, personality_id: str) -> Optional[Personality]:
        for p in self.personalities:
            if p.delegation == delegation_id and p.id == personality_id:
                return p
        return None

    @property
    def track_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tracks)

    @property
    def meter_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.meters)


# --- one game ---------------------------------------------------------------


@_record
class Setup:
    """Everything chosen before the first round; with the action log it fixes the game."""

    scenario_id: str
    seed: int
    rounds: int
    delegations: tuple[str, ...]
    humans: dict[str, str] = field(factory=dict)  # delegation id -> team name
    bots: dict[str, str] = field(factory=dict)  # delegation id -> personality id
    facilitated: bool = False
    # The facilitator sees each round's event before it applies, and fires, swaps or holds it.
    # Off in games saved before it existed, so they replay as they were played.
    event_preview: bool = False
    # The exercise as the facilitator edited it at setup (name, scope, objectives); None: the
    # scenario's own, as it is. Play never reads it; the console, the ratings and the report do.
    exercise: Optional[Exercise] = None


# --- actions: anything a delegation, a bot or the facilitator does -------------------
#
# Each kind of action is a class of its own; `kind` is the tag it carries in a save
# (`kind = "play"`), set once in the class. `text` carries the rationale a team typed,
# a bot's one-line reason, or the facilitator's reason or note.


@_record
class PlayCard:
    """Play `card`; for a proposal, `partner` bundles a second card of the hand into one package
    (one consent round, both costs paid now) and `side_payment` is the capital offered to each
    consenting delegation, paid on agreement."""

    delegation: str
    card: str
    text: str = ""
    partner: Optional[str] = None
    side_payment: int = 0
    kind: ClassVar[str] = "play"


@_record
class Pass:
    delegation: str
    text: str = ""
    kind: ClassVar[str] = "pass"


@_record
class Discard:
    """Spend the turn putting `card` on the discard pile; the hand is drawn back up at upkeep."""

    delegation: str
    card: str
    text: str = ""
    kind: ClassVar[str] = "discard"


@_record
class Answer:
    """Accept or reject the proposal waiting on `delegation`; `card` names it."""

    delegation: str
    card: str
    accept: bool
    text: str = ""
    kind: ClassVar[str] = "answer"


@_record
class Counter:
    """Send the proposal waiting on `delegation` back amended: without its effect number `drop`
    (from 0, over the package's effects in order), or asking the proposer for `ask` capital."""

    delegation: str
    card: str
    drop: Optional[int] = None
    ask: int = 0
    text: str = ""
    kind: ClassVar[str] = "counter"


@_record
class AnswerCounter:
    """The proposer accepts or rejects the counter waiting on it; `card` names the proposal."""

    delegation: str
    card: str
    accept: bool
    text: str = ""
    kind: ClassVar[str] = "answer_counter"


@_record
class Choose:
    """Pick option `option` of the event `card` that waits on `delegation`."""

    delegation: str
    card: str
    option: str
    text: str = ""
    kind: ClassVar[str] = "choose"


@_record
class Respond:
    delegation: str
    response: str
    text: str = ""
    kind: ClassVar[str] = "respond"


class _Facilitator:
    """The facilitator's moves belong to no delegation."""

    __slots__ = ()
    delegation: ClassVar[None] = None


@_record
class FireInject(_Facilitator):
    inject: str
    text: str = ""
    kind: ClassVar[str] = "fire_inject"


@_record
class SkipInject(_Facilitator):
    inject: str
    text: str = ""
    kind: ClassVar[str] = "skip_inject"


@_record
class PostponeInject(_Facilitator):
    inject: str
    text: str = ""
    kind: ClassVar[str] = "postpone_inject"


@_record
class FireEvent(_Facilitator):
    card: str
    text: str = ""
    kind: ClassVar[str] = "fire_event"


@_record
class Adjudicate(_Facilitator):
    """Set a track, meter or monitoring to `value`; `text` is the reason, told to the room."""

    target: str
    value: int
    text: str = ""
    kind: ClassVar[str] = "adjudicate"


@_record
class Note(_Facilitator):
    """A note for the debrief; `tag` ("strength" or "improvement") and `objective` file it
    under an exercise objective in the after-action report."""

    text: str
    tag: Optional[str] = None
    objective: Optional[str] = None
    kind: ClassVar[str] = "note"


@_record
class FireRoundEvent(_Facilitator):
    """The round's event, waiting for the facilitator (`EventWaiting`), applies as drawn."""

    text: str = ""
    kind: ClassVar[str] = "fire_round_event"


@_record
class SwapRoundEvent(_Facilitator):
    """Another event card applies in place of the round's; the one drawn stays in the deck."""

    card: str
    text: str = ""
    kind: ClassVar[str] = "swap_round_event"


@_record
class HoldRoundEvent(_Facilitator):
    """No event this round: the card drawn stays in the deck."""

    text: str = ""
    kind: ClassVar[str] = "hold_round_event"


ROUND_EVENT_CLASSES = (FireRoundEvent, SwapRoundEvent, HoldRoundEvent)


@_record
class Announce(_Facilitator):
    """A line the facilitator reads to the room: it goes in the public log (a `Note` never does)."""

    text: str
    kind: ClassVar[str] = "announce"


@_record
class Rate(_Facilitator):
    """Rate an exercise objective P, S, M or U (see `RATINGS`); `text` is the line of evidence.

    The one move allowed once the game is over: the rating is given at the debrief."""

    objective: str
    rating: str
    text: str = ""
    kind: ClassVar[str] = "rate"


DelegationAction = Union[PlayCard, Pass, Discard, Answer, Counter, AnswerCounter, Choose, Respond]
FacilitatorAction = Union[
    FireInject, SkipInject, PostponeInject, FireEvent, Adjudicate, Note, Rate, Announce, FireRoundEvent, SwapRoundEvent,
    HoldRoundEvent,
]
Action = Union[
    PlayCard, Pass, Discard, Answer, Counter, AnswerCounter, Choose, Respond, FireInject, SkipInject, PostponeInject, FireEvent, Adjudicate, Note,
    Rate, Announce, FireRoundEvent, SwapRoundEvent, HoldRoundEvent,
]
ACTION_CLASSES: tuple[type, ...] = typing.get_args(Action)
FACILITATOR_CLASSES: tuple[type, ...] = typing.get_args(FacilitatorAction)


# --- what happened: typed changes and the log's entries ------------------------------


@_record
class Change:
    """One value moved by the rules: a track, meter, monitoring, or (with `delegation`) a capital."""

    target: str
    delegation: Optional[str]
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


# Each entry's payload says what happened, as data; `wargame.narrate` words it for the room.
# `kind` is the entry's kind as the report and the screens group entries (all three inject
# payloads are "inject"); `tag` names the payload class in data.


@_record
class Dealt:
    setup: "Setup"
    kind: ClassVar[str] = "setup"


@_record
class RoundStarted:
    of: int  # the number of rounds in the game
    kind: ClassVar[str] = "round"


@_record
class EventRevealed:
    card: str
    by: str = "draw"  # draw | inject | facilitator
    kind: ClassVar[str] = "event"


@_record
class InjectFired:
    inject: str
    kind: ClassVar[str] = "inject"


@_record
class InjectSkipped:
    inject: str
    kind: ClassVar[str] = "inject"


@_record
class InjectPostponed:
    inject: str
    to_round: int
    kind: ClassVar[str] = "inject"


@_record
class CardPlayed:
    delegation: str
    card: str
    kind: ClassVar[str] = "play"


@_record
class Proposed:
    delegation: str
    card: str
    to: tuple[str, ...]
    partner: Optional[str] = None  # the package's second card
    side_payment: int = 0  # offered to each of `to`, paid on agreement
    kind: ClassVar[str] = "proposal"


@_record
class Countered:
    """`delegation` sends the proposal back to its proposer amended (`drop` or `ask`, see `Counter`)."""

    delegation: str
    card: str
    proposer: str
    partner: Optional[str] = None  # the package's second card (`drop` counts its effects too)
    drop: Optional[int] = None
    ask: int = 0
    kind: ClassVar[str] = "counter"


@_record
class CounterAnswered:
    """The proposer (`delegation`) takes or turns down the counter of `by`."""

    delegation: str
    card: str
    by: str
    accept: bool
    kind: ClassVar[str] = "counter_answer"


@_record
class Answered:
    delegation: str
    card: str
    accept: bool
    kind: ClassVar[str] = "answer"


@_record
class Agreed:
    delegation: str  # the proposer
    card: str
    partner: Optional[str] = None  # a package's second card
    countered_by: Optional[str] = None  # the delegation whose counter amended the deal
    drop: Optional[int] = None
    ask: int = 0
    side_payment: int = 0
    kind: ClassVar[str] = "agreement"


@_record
class Passed:
    delegation: str
    kind: ClassVar[str] = "pass"


@_record
class Discarded:
    delegation: str
    card: str
    kind: ClassVar[str] = "discard"


@_record
class Chose:
    delegation: str
    card: str
    option: str
    kind: ClassVar[str] = "choice"


@_record
class CeasefireHeld:
    chance: float
    kind: ClassVar[str] = "ceasefire"


@_record
class ViolationRolled:
    delegation: str  # the side blamed
    injured: str
    chance: float
    kind: ClassVar[str] = "violation"


@_record
class CeasefireCollapsed:
    violations: int
    window: int
    kind: ClassVar[str] = "collapse"


@_record
class Responded:
    delegation: str
    response: str
    kind: ClassVar[str] = "response"


@_record
class TensionDrift:
    """Upkeep with no ceasefire in effect: fighting goes on and tension rises."""

    kind: ClassVar[str] = "upkeep"


@_record
class Noted:
    text: str
    tag: Optional[str] = None
    objective: Optional[str] = None
    kind: ClassVar[str] = "note"


@_record
class Announced:
    text: str
    kind: ClassVar[str] = "announcement"


@_record
class EventHeld:
    """The facilitator held the round's event back."""

    card: str
    kind: ClassVar[str] = "event_held"


@_record
class Rated:
    objective: str
    rating: str
    evidence: str = ""
    kind: ClassVar[str] = "rating"


@_record
class Adjudicated:
    target: str
    old: int
    new: int
    reason: str
    kind: ClassVar[str] = "adjudication"


@_record
class SupportRefill:
    """Upkeep: support at home (`support`, 0–10) changed the delegation's refill by `delta`."""

    delegation: str
    support: int
    delta: int
    kind: ClassVar[str] = "upkeep"


@_record
class Ended:
    outcome: str
    kind: ClassVar[str] = "end"


Payload = Union[
    Dealt, RoundStarted, EventRevealed, InjectFired, InjectSkipped, InjectPostponed, CardPlayed, Proposed, Answered,
    Agreed, Passed, Discarded, Chose, CeasefireHeld, ViolationRolled, CeasefireCollapsed, Responded, TensionDrift, Noted,
    Adjudicated, Ended, Rated, Announced, EventHeld, Countered, CounterAnswered, SupportRefill,
]
# What only the facilitator sees: the console, the save and the report's facilitator section
# have these entries, the board's log and its notices never do.
PRIVATE_KINDS = frozenset({"note", "rating"})
PAYLOAD_CLASSES: tuple[type, ...] = typing.get_args(Payload)


@_record
class LogEntry:
    """One line of the game's story, as data: what happened (`payload`) and what it moved (`changes`).

    `rationale` is the text of the action behind it (a team's rationale, a bot's reason,
    the facilitator's reason). The sentence read to the room is `narrate.sentence`.
    """

    round: int
    payload: Payload
    changes: tuple[Change, ...] = ()
    rationale: str = ""

    @property
    def kind(self) -> str:
        return self.payload.kind

    @property
    def delegation(self) -> Optional[str]:
        return getattr(self.payload, "delegation", None)

    @property
    def card(self) -> Optional[str]:
        return getattr(self.payload, "card", None)


@frozen(slots=False, repr=False)
class Proposal:
    """A proposal in its consent round. `partner` and `side_payment` are the proposer's terms
    (see `PlayCard`); `countered_by`, `drop` and `ask` the one counter it took (see `Counter`).

    Its repr leaves out the bargaining fields at their defaults: a plain proposal reads as
    it did before bargaining existed."""

    card: str
    proposer: str
    awaiting: tuple[str, ...]
    accepted: tuple[str, ...] = ()
    partner: Optional[str] = None
    side_payment: int = 0
    countered_by: Optional[str] = None
    drop: Optional[int] = None
    ask: int = 0

    def __repr__(self) -> str:
        shown = []
        for a in attrs.fields(type(self)):
            value = getattr(self, a.name)
            if a.name in ("card", "proposer", "awaiting", "accepted") or value != a.default:
                shown.append(f"{a.name}={value!r}")
        return f"Proposal({', '.join(shown)})"


@_record
class CounterOffer:
    """A counter waiting on the proposer: `proposal` carries the amended terms and `countered_by`."""

    proposal: Proposal


@_record
class Choice:
    event: str
    chooser: str


@_record
class EventWaiting:
    """The round's event, drawn, waits for the facilitator to fire, swap or hold it (`Setup.event_preview`)."""

    event: str


@_record
class ViolationPending:
    violator: str
    injured: str


@_record
class Violation:
    round: int
    violator: str
    injured: str
    response: Optional[str] = None
    collapsed: bool = False


Pending = Optional[Proposal | CounterOffer | Choice | ViolationPending | EventWaiting]


# --- the record beside the action log: wall-clock times and undone actions ---------------------


@_record
class UndoneAction:
    """An action the facilitator took back: where it stood in the action log, when, and why."""

    index: int  # its place (from 0) in the action log when it was undone
    action: Action
    at: str  # ISO time of the undo
    reason: str = ""
    taken_at: str = ""  # ISO time it had been taken, if known
    round: int = 0  # the round it was taken (and undone) in


@_record
class GameRecord:
    """What the room did and when, kept beside the action log; the replay never reads it.

    The game is a pure function of its setup and its live action log; this is the
    exercise's record around it: `action_times[i]` is when `actions[i]` was taken,
    `round_times[r - 1]` when round r began, `ended` when the game ended, and
    `undone` every action the facilitator took back, in order.
    """

    action_times: tuple[str, ...] = ()
    round_times: tuple[str, ...] = ()
    ended: str = ""
    undone: tuple[UndoneAction, ...] = ()


# The containers of a `GameState` that `clone` copies (all of them: the lists inside are shared).
_CLONED = ("tracks", "meters", "capital", "support", "hands", "decks", "discards", "event_deck", "event_discard",
           "violations", "history", "injects_done", "inject_rounds", "log", "actions")


@attrs.define(eq=True, slots=False)
class GameState:
    """One game at one moment.

    The engine copies a state before it changes it (`clone`), and copies only the
    containers: the lists inside `hands`, `decks`, `discards` and `history` are shared
    between a state and its copies, so the engine never changes one of them in place,
    it puts a new list in their place (`proposals.play`, `rounds.draw_cards`,
    `rounds.record_history`). Not slotted: a copy is one `__dict__` update.
    """

    setup: Setup
    round: int = 1
    phase: str = "event"  # event | negotiation | ceasefire | upkeep | over
    order: tuple[str, ...] = ()
    turn_index: int = 0
    tracks: dict[str, int] = field(factory=dict)
    meters: dict[str, int] = field(factory=dict)
    monitoring: int = 0
    capital: dict[str, int] = field(factory=dict)
    support: dict[str, int] = field(factory=dict)  # support at home, 0–10 (empty: the scenario has none)
    hands: dict[str, list[str]] = field(factory=dict)
    decks: dict[str, list[str]] = field(factory=dict)
    discards: dict[str, list[str]] = field(factory=dict)
    event_deck: list[str] = field(factory=list)
    event_discard: list[str] = field(factory=list)
    current_event: Optional[str] = None
    pending: Pending = None
    violations: list[Violation] = field(factory=list)
    ceasefire_collapses: int = 0
    history: dict[str, list[int]] = field(factory=dict)
    injects_done: dict[str, str] = field(factory=dict)  # inject id -> fired | skipped
    inject_rounds: dict[str, int] = field(factory=dict)  # postponed injects' new rounds
    rng: int = 0
    outcome: Optional[str] = None  # settlement | frozen | collapse
    log: list[LogEntry] = field(factory=list)
    actions: list[Action] = field(factory=list)
    scenario: Optional[Scenario] = field(default=None, eq=False, repr=False)
    # Metadata, not play: the replay leaves it empty and a save carries it in its own section.
    record: GameRecord = field(factory=GameRecord, eq=False, repr=False)

    @property
    def exercise(self) -> Optional[Exercise]:
        """The exercise this game is played for: as edited at setup, else the scenario's."""
        if self.setup.exercise is not None:
            return self.setup.exercise
        return self.scenario.exercise if self.scenario is not None else None

    def shallow_copy(self) -> "GameState":
        """A copy sharing every container with this state: the caller puts copies in place of what it will change."""
        s = object.__new__(GameState)
        s.__dict__ = self.__dict__.copy()  # one new dict, filled in C (quicker than an update of an empty one)
        return s

    def clone(self) -> "GameState":
        """A copy whose containers can be changed without touching this state (see the class's docstring for the lists inside)."""
        fields = self.__dict__.copy()  # filled before it is set: item stores, quicker than attribute stores
        for name in _CLONED:
            fields[name] = fields[name].copy()
        s = object.__new__(GameState)
        s.__dict__ = fields
        return s

    def value(self, target: str) -> int:
        if target in self.tracks:
            return self.tracks[target]
        if target in self.meters:
            return self.meters[target]
        if target == MONITORING:
            return self.monitoring
        raise KeyError(target)

    @property
    def over(self) -> bool:
        return self.outcome is not None

    def is_human(self, delegation_id: str) -> bool:
        return delegation_id in self.setup.humans
