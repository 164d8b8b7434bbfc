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
    """What every seat's view has in common at one moment: the public state (no hand, no log) in
    JSON, the room's log an entry at a time in JSON, and what the room has been shown. Made once
    per move, whatever the number of seats; an entry's JSON is made once, when it is new."""

    state_json: str
    log: tuple[str, ...]
    shown: frozenset[str]
    told: frozenset[str]


_entry_tables: dict[int, tuple[LogEntry, str]] = {}  # id of an entry of the host's log -> (it, its public JSON)


def _public_entry(entry: LogEntry, humans) -> LogEntry:
    if isinstance(entry.payload, Dealt):
        return attrs.evolve(entry, payload=Dealt(_public_setup(entry.payload.setup)))
    if entry.rationale and entry.delegation is not None and entry.delegation not in humans:
        return attrs.evolve(entry, rationale="")
    return entry


def public_log(state: GameState) -> list[LogEntry]:
    """The log as the room sees it: no facilitator's notes or ratings, no seed in the setup line,
    and no bot's reasons (they weigh moves by agendas, the others' too: "Russia would gain +4.9")."""
    humans = state.setup.humans
    return [_public_entry(e, humans) for e in state.log if e.kind not in PRIVATE_KINDS]


def _public_log_json(state: GameState) -> tuple[str, ...]:
    humans = state.setup.humans
    out = []
    for entry in state.log:
        if entry.kind in PRIVATE_KINDS:
            continue
        hit = _entry_tables.get(id(entry))
        if hit is None or hit[0] is not entry:
            if len(_entry_tables) > 20_000:
                _entry_tables.clear()
            hit = _entry_tables[id(entry)] = (entry, _json(converter.unstructure(_public_entry(entry, humans))))
        out.append(hit[1])
    return tuple(out)


def shared_part(state: GameState) -> Shared:
    log = public_log(state)
    public = state.shallow_copy()
    public.setup = _public_setup(state.setup)
    public.hands = {d: [] for d in state.hands}
    public.decks = {d: [] for d in state.decks}
    public.event_deck = []
    public.rng = 0
    public.log = []
    public.actions = []
    public.injects_done = {}
    public.inject_rounds = {}
    public.record = GameRecord()
    public.scenario = None
    told = frozenset(entry.payload.inject for entry in log if entry.kind == "inject")
    return Shared(_json(converter.unstructure(public)), _public_log_json(state), frozenset(shown_cards(state, log)), told)


@attrs.define
class Sent:
    """What one connection already holds: the scenario's JSON (the very string) and the log's entries."""

    scenario: Optional[str] = None
    log: tuple[str, ...] = ()


def seat_view_json(state: GameState, seat: Optional[str], shared: Optional[Shared] = None,
                   sent: Optional[Sent] = None) -> str:
    """The game as `seat` (None: an observer) may see it, in JSON: the public state, the seat's own hand
    beside it, every hand's size, the room's log and the scenario as the seat may read it.

    With `sent` (what the connection already holds, updated here), only what it lacks: the log
    from entry `log_from` on, and the scenario only when it changed (else `"scenario": null`).
    The log is a list of entries in `log_new`; `Reader` puts the view back together."""
    shared = shared or shared_part(state)
    _, scenario_json = _scenario_table(state.scenario, seat, shared.shown, shared.told)
    log_from = 0
    scenario_part = scenario_json
    if sent is not None:
        n = len(sent.log)
        if n <= len(shared.log) and sent.log == shared.log[:n]:
            log_from = n
        if sent.scenario is scenario_json:
            scenario_part = "null"
        sent.scenario, sent.log = scenario_json, shared.log
    head = _json({
        "seat": seat,
        "hand": list(state.hands.get(seat, [])) if seat is not None else [],
        "hand_sizes": {d: len(cards) for d, cards in state.hands.items()},
        "actions": len(state.actions),
        "log_from": log_from,
    })
    log_new = ",".join(shared.log[log_from:])
    return f'{head[:-1]},"log_new":[{log_new}],"state":{shared.state_json},"scenario":{scenario_part}}}'


def seat_view(state: GameState, seat: Optional[str]) -> dict[str, Any]:
    """The whole view of `seat_view_json` as plain data, the log in its place in the state."""
    return Reader().whole(json.loads(seat_view_json(state, seat)))


class Reader:
    """The client's side of one connection: puts each view back together from what came before
    (the log so far, the scenario), and structures only what is new.

    `whole(view)` gives the view with `state.log` and `scenario` filled in; `state(view)` the
    redacted game, ready for the board's widgets (both raise on a malformed view)."""

    def __init__(self) -> None:
        self._log: list[dict] = []
        self._scenario: Optional[dict] = None
        self._structured_scenario: Optional[tuple[dict, Scenario]] = None
        self._entries: list[tuple[dict, LogEntry]] = []

    def whole(self, view: dict[str, Any]) -> dict[str, Any]:
        if "log_new" not in view:  # already whole
            return view
        log_from = view["log_from"]
        if not isinstance(log_from, int) or not 0 <= log_from <= len(self._log):
            raise ValueError(f"log_from {log_from!r}: this connection holds {len(self._log)} entries")
        if not isinstance(view["log_new"], list):
            raise ValueError("log_new is not a list")
        self._log = self._log[:log_from] + view["log_new"]
        if view["scenario"] is None:
            if self._scenario is None:
                raise ValueError("the view has no scenario and none came before")
        else:
            self._scenario = view["scenario"]
        out = {k: v for k, v in view.items() if k not in ("log_new", "log_from")}
        out["scenario"] = self._scenario
        out["state"] = {**view["state"], "log": self._log}
        return out

    def state(self, view: dict[str, Any]) -> GameState:
        view = self.whole(view)
        raw_scenario = view["scenario"]
        if self._structured_scenario is None or self._structured_scenario[0] is not raw_scenario:
            self._structured_scenario = (raw_scenario, converter.structure(raw_scenario, Scenario))
        raw_log = view["state"]["log"]
        known = self._entries
        entries = [known[i] if i < len(known) and known[i][0] is raw else (raw, converter.structure(raw, LogEntry))
                   for i, raw in enumerate(raw_log)]
        self._entries = entries
        state = converter.structure({**view["state"], "log": []}, GameState)
        state.log = [e for _, e in entries]
        state.scenario = self._structured_scenario[1]
        seat = view.get("seat")
        if seat is not None and seat in state.hands:
            state.hands[seat] = list(view["hand"])
        return state


def state_of(view: dict[str, Any]) -> GameState:
    """The client's side, for one whole view (a `Reader` keeps what came before; raises cattrs errors when malformed)."""
    return Reader().state(view)
