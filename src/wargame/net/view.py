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

import json
from typing import Any, Optional

import attrs

from ..convert import converter
from ..model import PRIVATE_KINDS, CounterOffer, Dealt, Delegation, GameRecord, GameState, LogEntry, Proposal, Scenario, Setup


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
    shown |= {p for entry in log if (p := getattr(entry.payload, "partner", None)) is not None}
    pending = state.pending.proposal if isinstance(state.pending, CounterOffer) else state.pending
    if isinstance(pending, Proposal):
        shown.add(pending.card)
        if pending.partner is not None:  # a package's second card is on the table too
            shown.add(pending.partner)
    return shown


def _redacted(delegation: Delegation) -> Delegation:
    """Another team's delegation as a seat sees it: its name and capital, not what it wants."""
    return attrs.evolve(delegation, agenda={}, red_lines=(), wants="", par=None, default_bot="")


def public_scenario(scenario: Scenario, seat: Optional[str], shown: set[str], told: set[str] = frozenset()) -> Scenario:
    """The scenario without the others' agendas and red lines, unseen cards, personalities and injects not yet told (`told`)."""
    delegations = tuple(d if d.id == seat else _redacted(d) for d in scenario.delegations)
    concessions = tuple(c for c in scenario.concessions if c.delegation == seat or c.id in shown)
    return attrs.evolve(scenario, delegations=delegations, concessions=concessions, personalities=(),
                        injects=tuple(i for i in scenario.injects if i.id in told), path="")


_scenario_tables: dict[tuple, tuple[dict, str]] = {}
_whole: dict[int, tuple[Scenario, dict, dict]] = {}  # id -> (scenario, its table, each delegation's redacted table)


def _whole_table(scenario: Scenario) -> tuple[dict, dict]:
    hit = _whole.get(id(scenario))
    if hit is None or hit[0] is not scenario:
        redacted = {d.id: converter.unstructure(_redacted(d)) for d in scenario.delegations}
        whole = converter.unstructure(attrs.evolve(scenario, personalities=(), path=""))
        whole.pop("path", None)
        hit = _whole[id(scenario)] = (scenario, whole, redacted)
    return hit[1], hit[2]


def _scenario_table(scenario: Scenario, seat: Optional[str], shown: frozenset, told: frozenset) -> tuple[dict, str]:
    """`public_scenario` in the converter's form and in JSON, cut from the whole scenario's table
    (made once), once per seat and set of cards shown: it changes only when something is shown first."""
    key = (id(scenario), seat, shown, told)
    hit = _scenario_tables.get(key)
    if hit is None:
        if len(_scenario_tables) > 256:
            _scenario_tables.clear()
        whole, redacted = _whole_table(scenario)
        mine = {c.id for c in scenario.concessions if c.delegation == seat}
        table = {
            **whole,
            "delegations": [d if d["id"] == seat else redacted[d["id"]] for d in whole["delegations"]],
            "concessions": [c for c in whole["concessions"] if c["id"] in mine or c["id"] in shown],
            "injects": [i for i in whole["injects"] if i["id"] in told],
        }
        hit = _scenario_tables[key] = (table, _json(table))
    return hit


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@attrs.frozen
class Shared:
    """What every seat's view has in common at one moment: the public state (no hand at all) in JSON,
    and what the room has been shown. Made once per move, whatever the number of seats."""

    state_json: str
    shown: frozenset[str]
    told: frozenset[str]


def shared_part(state: GameState) -> Shared:
    log = public_log(state)
    public = state.shallow_copy()
    public.setup = _public_setup(state.setup)
    public.hands = {d: [] for d in state.hands}
    public.decks = {d: [] for d in state.decks}
    public.event_deck = []
    public.rng = 0
    public.log = log
    public.actions = []
    public.injects_done = {}
    public.inject_rounds = {}
    public.record = GameRecord()
    public.scenario = None
    told = frozenset(entry.payload.inject for entry in log if entry.kind == "inject")
    return Shared(_json(converter.unstructure(public)), frozenset(shown_cards(state, log)), told)


def seat_view_json(state: GameState, seat: Optional[str], shared: Optional[Shared] = None) -> str:
    """The game as `seat` (None: an observer) may see it, in JSON: the public state, the seat's own hand
    beside it, every hand's size, and the scenario as the seat may read it."""
    shared = shared or shared_part(state)
    _, scenario_json = _scenario_table(state.scenario, seat, shared.shown, shared.told)
    head = _json({
        "seat": seat,
        "hand": list(state.hands.get(seat, [])) if seat is not None else [],
        "hand_sizes": {d: len(cards) for d, cards in state.hands.items()},
        "actions": len(state.actions),
    })
    return f'{head[:-1]},"state":{shared.state_json},"scenario":{scenario_json}}}'


def seat_view(state: GameState, seat: Optional[str]) -> dict[str, Any]:
    """`seat_view_json` as plain data."""
    return json.loads(seat_view_json(state, seat))


def state_of(view: dict[str, Any]) -> GameState:
    """The client's side: the redacted game, ready for the board's widgets (raises cattrs errors when malformed)."""
    scenario = converter.structure(view["scenario"], Scenario)
    state = converter.structure(view["state"], GameState)
    state.scenario = scenario
    seat = view.get("seat")
    if seat is not None and seat in state.hands:
        state.hands[seat] = list(view["hand"])
    return state
