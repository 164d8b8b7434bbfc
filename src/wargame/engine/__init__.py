"""The rules engine: a game is a pure function of its setup and its action log.

`new_game` deals a game from a scenario and a setup; `apply_action` returns a
new state and never changes the one it was given (`apply_in_place` is the same
check and steps on a state its caller owns alone); `legal_actions` lists what
a delegation may do now, `check` says why an action is refused, and `preview`
says what an action would change without making it. Humans, bots and the
facilitator all act through `apply_action`, so `replay` of the action log
rebuilds any game exactly, and undo is a replay without the last action.
"""

from __future__ import annotations

from typing import Iterable, Optional

from ..model import (
    CAPITAL,
    FACILITATOR_CLASSES,
    MONITORING,
    Action,
    Answer,
    AnswerCounter,
    Change,
    Choice,
    Choose,
    Chose,
    Counter,
    CounterOffer,
    Dealt,
    Discard,
    Discarded,
    EventWaiting,
    GameState,
    LogEntry,
    Pass,
    Passed,
    PlayCard,
    Proposal,
    Rate,
    Respond,
    Scenario,
    SUPPORT,
    Setup,
    ViolationPending,
)
from . import ceasefire, facilitator, proposals, rounds, scoring, support
from .effects import apply_effects
from .errors import IllegalAction, ReplayError, SetupError
from .rng import Draw, seed_state
from .setup import make_setup

__all__ = [
    "Action",
    "IllegalAction",
    "Preview",
    "ReplayError",
    "SetupError",
    "apply_action",
    "apply_in_place",
    "check",
    "current_actor",
    "legal_actions",
    "make_setup",
    "new_game",
    "preview",
    "preview_result",
    "replay",
    "undo",
    "waiting_for_facilitator",
]


def new_game(scenario: Scenario, setup: Setup) -> GameState:
    """Deal a game: shuffle the decks with the setup's seed and run up to the first decision."""
    s = GameState(setup=setup, scenario=scenario, rng=seed_state(setup.seed))
    draw = Draw(s)
    s.tracks = {t.id: t.start for t in scenario.tracks}
    s.meters = {m.id: m.start for m in scenario.meters}
    s.history = {k: [v] for k, v in {**s.tracks, **s.meters}.items()}
    support.start(s)
    in_game = set(setup.delegations)
    for d in setup.delegations:
        s.capital[d] = scenario.delegation(d).capital
        deck = [c.id for c in scenario.concessions if c.delegation == d]
        draw.shuffle(deck)
        s.decks[d] = deck
        s.hands[d] = []
        s.discards[d] = []
        rounds.draw_cards(s, d)
    s.event_deck = [e.id for e in scenario.events if e.chooser is None or e.chooser in in_game]
    draw.shuffle(s.event_deck)
    s.log.append(LogEntry(0, Dealt(setup)))
    rounds.advance(s)
    return s


def current_actor(state: GameState) -> Optional[str]:
    """The delegation that must act now, or None when the game is over."""
    if state.outcome is not None:
        return None
    p = state.pending
    if p is None:  # a turn of play (the common case, tested first)
        if state.phase == "negotiation" and state.turn_index < len(state.order):
            return state.order[state.turn_index]
        return None
    if isinstance(p, Proposal):
        return p.awaiting[0]
    if isinstance(p, CounterOffer):
        return p.proposal.proposer
    if isinstance(p, Choice):
        return p.chooser
    if isinstance(p, EventWaiting):
        return None  # the facilitator's: `waiting_for_facilitator`
    return p.injured  # ViolationPending


def waiting_for_facilitator(state: GameState) -> bool:
    """The game waits on the facilitator's decision: the round's event, previewed (`Setup.event_preview`)."""
    return isinstance(state.pending, EventWaiting) and state.outcome is None


def legal_actions(state: GameState, delegation: Optional[str]) -> list[Action]:
    """Everything `delegation` may do now (empty when it is not its turn); each passes `check`.

    `delegation` None is the facilitator, for the decision that waits on them (the round's
    event); their other moves (injects, notes, ...) are open at any time and not listed.
    """
    if delegation is None:
        return facilitator.round_event_choices(state)
    if delegation != current_actor(state):
        return []
    p = state.pending
    if isinstance(p, Proposal):
        return [Answer(delegation, p.card, True), Answer(delegation, p.card, False), *proposals.counters(state, delegation)]
    if isinstance(p, CounterOffer):
        return [AnswerCounter(delegation, p.proposal.card, True), AnswerCounter(delegation, p.proposal.card, False)]
    if isinstance(p, Choice):
        return [Choose(delegation, p.event, o.id) for o in state.scenario.event(p.event).options]
    if isinstance(p, ViolationPending):
        return [Respond(delegation, r.id) for r in ceasefire.responses_open(state)]
    plays: list[Action] = list(proposals.plays(state, delegation))
    return plays + [Pass(delegation)] + [Discard(delegation, c) for c in state.hands[delegation]]


# What each kind of delegation action answers: the pending decision it needs (None: a turn of play).
_NEEDS = {
    PlayCard: None, Pass: None, Discard: None, Answer: Proposal, Counter: Proposal, AnswerCounter: CounterOffer, Choose: Choice,
    Respond: ViolationPending,
}


def check(state: GameState, action: Action) -> Optional[str]:
    """Why the rules refuse `action` now, or None when it is legal; `apply_action` refuses with the same words."""
    if state.outcome is not None and not isinstance(action, Rate):
        return "the game is over"
    kind = type(action)
    if kind not in _NEEDS:
        if isinstance(action, FACILITATOR_CLASSES):
            return facilitator.refusal(state, action)
        return f"unknown action {kind.__name__}"
    actor = current_actor(state)
    if actor is None and waiting_for_facilitator(state):
        return "the round's event is waiting for the facilitator"
    if action.delegation != actor:
        who = state.scenario.delegation(actor).name if actor else "nobody"
        return f"it is not {action.delegation}'s turn; waiting for {who}"
    p = state.pending
    needs = _NEEDS[kind]
    if (p is not None) if needs is None else not isinstance(p, needs):
        return f"cannot {action.kind} now; {_waiting_for(state)}"
    refusal = _REFUSALS.get(kind)
    return None if refusal is None else refusal(state, action)


def _choose_refusal(state: GameState, action: Choose) -> Optional[str]:
    p: Choice = state.pending
    if action.card != p.event:
        return f"the event waiting for a choice is {p.event!r}, not {action.card!r}"
    card = state.scenario.event(p.event)
    if not any(o.id == action.option for o in card.options):
        return f"unknown option {action.option!r}; choose one of: {', '.join(o.id for o in card.options)}"
    return None


def _choose(state: GameState, action: Choose) -> None:
    p: Choice = state.pending
    card = state.scenario.event(p.event)
    option = next(o for o in card.options if o.id == action.option)
    changes = apply_effects(state, option.effects)
    state.log.append(LogEntry(state.round, Chose(action.delegation, card.id, option.id), changes, action.text))
    state.pending = None


def _discard_refusal(state: GameState, action: Discard) -> Optional[str]:
    if action.card not in state.hands[action.delegation]:
        return f"{action.card!r} is not in {state.scenario.delegation(action.delegation).name}'s hand"
    return None


def _discard(state: GameState, action: Discard) -> None:
    """The card goes to the discard pile; upkeep draws the hand back up (so nothing hidden is drawn now)."""
    who = action.delegation
    hand = list(state.hands[who])  # new lists: the old ones are shared with earlier states
    hand.remove(action.card)
    state.hands[who] = hand
    state.discards[who] = [*state.discards[who], action.card]
    state.log.append(LogEntry(state.round, Discarded(action.delegation, action.card), rationale=action.text))
    state.turn_index += 1


# Each kind's own refusal, once the turn and the pending decision fit (`check`); Pass has none.
_REFUSALS = {
    PlayCard: proposals.play_refusal, Discard: _discard_refusal, Answer: proposals.answer_refusal,
    Counter: proposals.counter_refusal, AnswerCounter: proposals.answer_counter_refusal, Choose: _choose_refusal,
    Respond: ceasefire.respond_refusal,
}


def _pass(state: GameState, action: Pass) -> None:
    state.log.append(LogEntry(state.round, Passed(action.delegation), rationale=action.text))
    state.turn_index += 1


_STEPS = {
    PlayCard: proposals.play, Pass: _pass, Discard: _discard, Answer: proposals.answer, Counter: proposals.counter,
    AnswerCounter: proposals.answer_counter, Choose: _choose, Respond: ceasefire.respond,
}


def _step(state: GameState, action: Action) -> None:
    """The action's own step (after `check`), without advancing the game to the next decision."""
    step = _STEPS.get(type(action))
    if step is None:
        facilitator.apply(state, action)
    else:
        step(state, action)


def apply_action(state: GameState, action: Action) -> GameState:
    """A new state with `action` applied and the game advanced to the next decision."""
    reason = check(state, action)
    if reason is not None:
        raise IllegalAction(reason)
    s = state.clone()
    _advance_by(s, action)
    return s


def apply_in_place(state: GameState, action: Action) -> None:
    """`apply_action` on `state` itself, for a caller that owns it and keeps no earlier state (a bot
    game playing to its end, a replay): the same check and the same steps, without the copy."""
    reason = check(state, action)
    if reason is not None:
        raise IllegalAction(reason)
    _advance_by(state, action)


def _advance_by(s: GameState, action: Action) -> None:
    """Apply a checked `action` to `s` itself and run the game on to the next decision."""
    _step(s, action)
    s.actions.append(action)
    rounds.advance(s)


def _waiting_for(state: GameState) -> str:
    p = state.pending
    if isinstance(p, Proposal):
        return "a proposal is waiting for an answer"
    if isinstance(p, CounterOffer):
        return "a counter is waiting for the proposer's answer"
    if isinstance(p, Choice):
        return "an event is waiting for a choice"
    if isinstance(p, ViolationPending):
        return "a violation is waiting for a response"
    if isinstance(p, EventWaiting):
        return "the round's event is waiting for the facilitator"
    return "it is time to play a card or pass"


# --- preview --------------------------------------------------------------------------------


class Preview:
    """What an action would do, computed by the rules that apply it, on a scratch copy.

    `changes` are the values it moves (capital paid included); `entries` the log entries
    it would write; `outcome` the end it brings at once (tension at the top: collapse),
    else None. Only the action's own step is run: no next event drawn, no violation
    rolled, so a preview consumes no chance and reveals nothing hidden. `if_agreed`,
    for a card that needs consent (played, accepted, countered, or a counter taken), is what
    the action and the agreement would change together; None otherwise. `scores` are each delegation's
    score if the game ended right after. Each figure is worked out when first read:
    a bot reads one of them for each of thousands of previews.
    """

    # A plain slotted class, not attrs: a bot makes thousands of these a second.
    __slots__ = ("before", "after", "agreed", "_changes", "_if_agreed")

    def __init__(self, before: GameState, after: GameState, agreed: Optional[GameState] = None) -> None:
        self.before = before
        self.after = after
        self.agreed = agreed
        self._changes: Optional[tuple[Change, ...]] = None
        self._if_agreed: Optional[tuple[Change, ...]] = None

    def __repr__(self) -> str:
        return f"Preview(changes={self.changes!r}, outcome={self.outcome!r}, if_agreed={self.if_agreed!r})"

    @property
    def entries(self) -> tuple[LogEntry, ...]:
        return tuple(self.after.log)

    @property
    def changes(self) -> tuple[Change, ...]:
        if self._changes is None:
            self._changes = _diff(self.before, self.after)
        return self._changes

    @property
    def if_agreed(self) -> Optional[tuple[Change, ...]]:
        if self.agreed is None:
            return None
        if self._if_agreed is None:
            self._if_agreed = _diff(self.before, self.agreed)
        return self._if_agreed

    @property
    def outcome(self) -> Optional[str]:
        return self.after.outcome

    @property
    def result(self) -> GameState:
        """The game as it would stand: after the agreement for a card that needs consent, else after the action.

        A scratch state, shared with this preview: read it, never change it. A bot reads
        the few values it weighs from here, without building every `Change`.
        """
        return self.after if self.agreed is None else self.agreed

    @property
    def scores(self) -> dict[str, scoring.DelegationScore]:
        return scoring.scores(self.after)


# What each kind of action's step may change, beyond tracks, meters, monitoring, capital and
# the pending decision: those containers are copied for a preview, the others shared.
# (The lists inside hands, decks and discards are replaced, never changed: copying the dicts is enough.)
_STEP_TOUCHES: dict[type, tuple[str, ...]] = {
    PlayCard: ("hands", "discards"),
    Pass: (),
    Discard: ("hands", "discards"),
    Answer: (),
    Counter: (),
    AnswerCounter: (),
    Choose: (),
    Respond: ("violations",),
}
_BARGAINING = frozenset({PlayCard, Answer, Counter, AnswerCounter})  # the kinds whose step may lead to an agreement
_FACILITATOR_TOUCHES = ("event_deck", "event_discard", "injects_done", "inject_rounds")


def _scratch(state: GameState, touches: tuple[str, ...]) -> GameState:
    """A copy for one step: the values, a log of its own and what the step touches are copied, the rest shared.

    (The copy's `__dict__` is filled before it is set: item stores, quicker than attribute stores.)"""
    fields = state.__dict__.copy()
    fields["tracks"] = state.tracks.copy()
    fields["meters"] = state.meters.copy()
    fields["capital"] = state.capital.copy()
    fields["support"] = state.support.copy()
    fields["log"] = []
    for name in touches:
        fields[name] = fields[name].copy()
    s = object.__new__(GameState)
    s.__dict__ = fields
    return s


def _diff(before: GameState, after: GameState) -> tuple[Change, ...]:
    out = []
    for values_before, values_after in ((before.tracks, after.tracks), (before.meters, after.meters)):
        for k, v in values_after.items():
            old = values_before[k]
            if v != old:
                out.append(Change(k, None, old, v))
    if after.monitoring != before.monitoring:
        out.append(Change(MONITORING, None, before.monitoring, after.monitoring))
    for d, v in after.capital.items():
        old = before.capital[d]
        if v != old:
            out.append(Change(CAPITAL, d, old, v))
    for d, v in after.support.items():
        old = before.support[d]
        if v != old:
            out.append(Change(SUPPORT, d, old, v))
    return tuple(out)


def preview(state: GameState, action: Action, *, legal: bool = False) -> Preview:
    """What `action` would change, and how the game would stand, without changing `state`.

    Raises IllegalAction (with `check`'s reason) for an action the rules refuse. With `legal`
    the caller vouches that `action` is legal now, having taken it from what the rules list
    for this very state (`legal_actions`, `proposals.plays`, `proposals.counters`, the
    pending decision's own options): `check` is not run again. The bots do, for each of
    the hundreds of options they weigh a game (`check` was a tenth of a preview); an action
    that is not legal then gives a meaningless preview instead of an error.
    """
    if not legal:
        reason = check(state, action)
        if reason is not None:
            raise IllegalAction(reason)
    s = _stepped(state, action)
    agreed = None
    if _leads_to_agreement(action, s):
        # Every party consents (and the proposer takes a counter): the engine's own steps, no bot asked.
        agreed = _scratch(s, ())
        _consent_round(agreed)
    s.outcome = rounds.ends_now(s)
    return Preview(state, s, agreed)


def preview_result(state: GameState, action: Action) -> GameState:
    """`preview(state, action, legal=True).result`, for a caller that reads nothing else: how the game
    would stand (as agreed, for a card that needs consent), on one scratch copy.

    The same steps as `preview`'s, without the copy kept of the game before the agreement
    (`Preview.after`) and without the `Preview`: the bots value answers and counters this way,
    thousands of them a game. The values, the pending decision and the outcome are `result`'s;
    the scratch's log holds the action's own entries before the agreement's. `action` must be
    legal now, as for `preview(..., legal=True)`.
    """
    s = _stepped(state, action)
    if _leads_to_agreement(action, s):
        _consent_round(s)
    else:
        s.outcome = rounds.ends_now(s)
    return s


def _stepped(state: GameState, action: Action) -> GameState:
    """A scratch copy of `state` with `action`'s own step run on it (a preview's first part)."""
    kind = type(action)
    s = _scratch(state, _STEP_TOUCHES.get(kind, _FACILITATOR_TOUCHES))
    step = _STEPS.get(kind)  # `_step`, without its call
    if step is None:
        facilitator.apply(s, action)
    else:
        step(s, action)
    return s


def _leads_to_agreement(action: Action, s: GameState) -> bool:
    """Whether `action`'s step (on `s`) opened or carried on a consent round that could end agreed."""
    return type(action) in _BARGAINING and (isinstance(s.pending, (Proposal, CounterOffer)) or getattr(action, "accept", False))


def _consent_round(s: GameState) -> None:
    """Every party still to answer consents, and the proposer takes a counter waiting: the rules' own steps, on `s`."""
    while isinstance(s.pending, (Proposal, CounterOffer)):
        p = s.pending
        if isinstance(p, CounterOffer):
            proposals.answer_counter(s, AnswerCounter(p.proposal.proposer, p.proposal.card, True))
        else:
            proposals.answer(s, Answer(p.awaiting[0], p.card, True))


def replay(scenario: Scenario, setup: Setup, actions: Iterable[Action]) -> GameState:
    """Rebuild a game from its setup and action log.

    The replay works on one state of its own, which nobody else sees until it is
    returned, so it needs no copy per action: its cost grows with the log, not with
    the log's square (a save of 40,000 notes replays in well under a second).
    Raises `ReplayError` naming the action that cannot be replayed.
    """
    s = new_game(scenario, setup)
    for index, a in enumerate(actions, 1):
        try:
            apply_in_place(s, a)
        except Exception as exc:  # noqa: BLE001 - a forged log may break any rule; say which action did
            raise ReplayError(index, a, exc) from exc
    return s


def undo(state: GameState) -> GameState:
    """The state before the last action, by replaying the log without it."""
    if not state.actions:
        raise IllegalAction("nothing to undo")
    return replay(state.scenario, state.setup, state.actions[:-1])
