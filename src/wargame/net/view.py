"""What one seat may see: the game with every other team's secrets taken out, as boardgame.io's playerView.

A seat gets its own hand, its own delegation's agenda and red lines, the cards
already shown to the room, and the size of every other hand. An observer (a
second projector) gets no hand at all. Decks, the random generator's state, the
seed (with it and the public deck the hands could be dealt again), bot
personalities, the facilitator's injects and private notes never leave the host.

The view is a redacted `GameState` and `Scenario` in the converter's form, so
the client draws it with the board's own widgets.
"""

from __future__ import annotations

from typing import Any, Optional

import attrs

from ..convert import converter
from ..model import PRIVATE_KINDS, Dealt, GameRecord, GameState, LogEntry, Proposal, Scenario, Setup


def _public_setup(setup: Setup) -> Setup:
    return attrs.evolve(setup, seed=0)


def public_log(state: GameState) -> list[LogEntry]:
    """The log as the room sees it: no facilitator's notes or ratings, no seed in the setup line,
    and no bot's reasons (they weigh moves by agendas, the others' too: "Russia would gain +4.9")."""
    out = []
    humans = state.setup.humans
    for entry in state.log:
        if entry.kind in PRIVATE_KINDS:
            continue
        if isinstance(entry.payload, Dealt):
            entry = attrs.evolve(entry, payload=Dealt(_public_setup(entry.payload.setup)))
        elif entry.rationale and entry.delegation is not None and entry.delegation not in humans:
            entry = attrs.evolve(entry, rationale="")
        out.append(entry)
    return out


def shown_cards(state: GameState, log: list[LogEntry]) -> set[str]:
    """Concession cards the room has seen: played, proposed, answered, discarded."""
    shown = {entry.card for entry in log if entry.card is not None}
    if isinstance(state.pending, Proposal):
        shown.add(state.pending.card)
    return shown


def public_scenario(scenario: Scenario, seat: Optional[str], shown: set[str], told: set[str] = frozenset()) -> Scenario:
    """The scenario without the others' agendas and red lines, unseen cards, personalities and injects not yet told (`told`)."""
    delegations = tuple(
        d if d.id == seat else attrs.evolve(d, agenda={}, red_lines=(), wants="", par=None, default_bot="")
        for d in scenario.delegations
    )
    concessions = tuple(c for c in scenario.concessions if c.delegation == seat or c.id in shown)
    return attrs.evolve(scenario, delegations=delegations, concessions=concessions, personalities=(),
                        injects=tuple(i for i in scenario.injects if i.id in told), path="")


def seat_view(state: GameState, seat: Optional[str]) -> dict[str, Any]:
    """The game as `seat` (None: an observer) may see it, as plain data for the wire."""
    log = public_log(state)
    hands = {d: (list(cards) if d == seat else []) for d, cards in state.hands.items()}
    public = state.shallow_copy()
    public.setup = _public_setup(state.setup)
    public.hands = hands
    public.decks = {d: [] for d in state.decks}
    public.event_deck = []
    public.rng = 0
    public.log = log
    public.actions = []
    public.injects_done = {}
    public.inject_rounds = {}
    public.record = GameRecord()
    public.scenario = None
    told = {entry.payload.inject for entry in log if hasattr(entry.payload, "inject")}
    scenario = public_scenario(state.scenario, seat, shown_cards(state, log), told)
    table = converter.unstructure(scenario)
    table.pop("path", None)
    return {
        "seat": seat,
        "state": converter.unstructure(public),
        "scenario": table,
        "hand_sizes": {d: len(cards) for d, cards in state.hands.items()},
        "actions": len(state.actions),
    }


def state_of(view: dict[str, Any]) -> GameState:
    """The client's side: the redacted game, ready for the board's widgets (raises cattrs errors when malformed)."""
    scenario = converter.structure(view["scenario"], Scenario)
    state = converter.structure(view["state"], GameState)
    state.scenario = scenario
    return state
