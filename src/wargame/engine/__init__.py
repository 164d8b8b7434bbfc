"""The rules engine: a game is a pure function of its setup and its action log.

`new_game` deals a game from a scenario and a setup; `apply_action` returns a
new state and never changes the one it was given; `legal_actions` lists what
a delegation may do now. Humans, bots and the facilitator all act through
`apply_action`, so `replay` of the action log rebuilds any game exactly, and
undo is a replay without the last action.
"""

from __future__ import annotations

from typing import Iterable, Optional

from ..model import FACILITATOR_KINDS, Action, Choice, GameState, LogEntry, Proposal, Scenario, Setup, ViolationPending
from . import ceasefire, facilitator, proposals, rounds
from .effects import apply_effects
from .errors import IllegalAction, SetupError
from .rng import Draw, seed_state
from .setup import make_setup

__all__ = [
    "Action",
    "IllegalAction",
    "SetupError",
    "apply_action",
    "current_actor",
    "legal_actions",
    "make_setup",
    "new_game",
    "replay",
    "undo",
]


def new_game(scenario: Scenario, setup: Setup) -> GameState:
    """Deal a game: shuffle the decks with the setup's seed and run up to the first decision."""
    s = GameState(setup=setup, scenario=scenario, rng=seed_state(setup.seed))
    draw = Draw(s)
    s.tracks = {t.id: t.start for t in scenario.tracks}
    s.meters = {m.id: m.start for m in scenario.meters}
    s.history = {k: [v] for k, v in {**s.tracks, **s.meters}.items()}
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
    teams = ", ".join(
        f"{scenario.delegation(d).name} ({_team_label(scenario, setup, d)})"
        for d in setup.delegations
    )
    s.log.append(LogEntry(0, "setup", f"{scenario.title}: {setup.rounds} rounds, seed {setup.seed}. At the table: {teams}."))
    rounds.advance(s)
    return s


def _team_label(scenario: Scenario, setup: Setup, d: str) -> str:
    if d in setup.humans:
        team = setup.humans[d]
        return "human team" if team == scenario.delegation(d).name else f"team {team}"
    return f"bot: {setup.bots.get(d, '?')}"


def current_actor(state: GameState) -> Optional[str]:
    """The delegation that must act now, or None when the game is over."""
    if state.outcome is not None:
        return None
    p = state.pending
    if isinstance(p, Proposal):
        return p.awaiting[0]
    if isinstance(p, Choice):
        return p.chooser
    if isinstance(p, ViolationPending):
        return p.injured
    if state.phase == "negotiation" and state.turn_index < len(state.order):
        return state.order[state.turn_index]
    return None


def legal_actions(state: GameState, delegation: str) -> list[Action]:
    """Everything `delegation` may do now (empty when it is not its turn)."""
    if delegation != current_actor(state):
        return []
    p = state.pending
    if isinstance(p, Proposal):
        return [Action("answer", delegation, card=p.card, accept=True), Action("answer", delegation, card=p.card, accept=False)]
    if isinstance(p, Choice):
        return [Action("choose", delegation, card=p.event, option=o.id) for o in state.scenario.event(p.event).options]
    if isinstance(p, ViolationPending):
        return [Action("respond", delegation, response=r.id) for r in ceasefire.responses_open(state)]
    return [Action("play", delegation, card=c) for c in proposals.playable(state, delegation)] + [Action("pass", delegation)]


def _choose(state: GameState, action: Action) -> None:
    p: Choice = state.pending
    card = state.scenario.event(p.event)
    option = next((o for o in card.options if o.id == action.option), None)
    if option is None:
        raise IllegalAction(f"unknown option {action.option!r}; choose one of: {', '.join(o.id for o in card.options)}")
    changes = apply_effects(state, option.effects)
    who = state.scenario.delegation(action.delegation)
    state.log.append(LogEntry(state.round, "choice", f"{who.says('chooses')}: {option.label}. " + ("; ".join(changes) + "." if changes else ""),
                              delegation=action.delegation, rationale=action.text, card=card.id))
    state.pending = None


def apply_action(state: GameState, action: Action) -> GameState:
    """A new state with `action` applied and the game advanced to the next decision."""
    if state.outcome is not None:
        raise IllegalAction("the game is over")
    s = state.clone()
    if action.kind in FACILITATOR_KINDS:
        facilitator.apply(s, action)
    else:
        actor = current_actor(state)
        if action.delegation != actor:
            who = state.scenario.delegation(actor).name if actor else "nobody"
            raise IllegalAction(f"it is not {action.delegation}'s turn; waiting for {who}")
        p = state.pending
        kind = action.kind
        if isinstance(p, Proposal) and kind == "answer":
            proposals.answer(s, action)
        elif isinstance(p, Choice) and kind == "choose":
            _choose(s, action)
        elif isinstance(p, ViolationPending) and kind == "respond":
            ceasefire.respond(s, action)
        elif p is None and kind == "play":
            proposals.play(s, action)
        elif p is None and kind == "pass":
            who = state.scenario.delegation(action.delegation)
            s.log.append(LogEntry(s.round, "pass", f"{who.says('passes')}.", delegation=action.delegation, rationale=action.text))
            s.turn_index += 1
        else:
            raise IllegalAction(f"cannot {kind} now; {_waiting_for(state)}")
    s.actions.append(action)
    rounds.advance(s)
    return s


def _waiting_for(state: GameState) -> str:
    p = state.pending
    if isinstance(p, Proposal):
        return "a proposal is waiting for an answer"
    if isinstance(p, Choice):
        return "an event is waiting for a choice"
    if isinstance(p, ViolationPending):
        return "a violation is waiting for a response"
    return "it is time to play a card or pass"


def replay(scenario: Scenario, setup: Setup, actions: Iterable[Action]) -> GameState:
    """Rebuild a game from its setup and action log."""
    s = new_game(scenario, setup)
    for a in actions:
        s = apply_action(s, a)
    return s


def undo(state: GameState) -> GameState:
    """The state before the last action, by replaying the log without it."""
    if not state.actions:
        raise IllegalAction("nothing to undo")
    return replay(state.scenario, state.setup, state.actions[:-1])
