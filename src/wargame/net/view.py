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
from ..model import (
    PRIVATE_KINDS, ConcessionCard, CounterOffer, Dealt, Delegation, GameRecord, GameState, Inject, LogEntry, Proposal,
    Scenario, Setup,
)


def _public_setup(setup: Setup) -> Setup:
    return attrs.evolve(setup, seed=0)


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


_whole: dict[int, tuple[Scenario, dict, dict]] = {}  # id -> (scenario, its table, each delegation's redacted table)
_parts: dict[tuple, "ScenarioParts"] = {}


def _whole_table(scenario: Scenario) -> tuple[dict, dict]:
    hit = _whole.get(id(scenario))
    if hit is None or hit[0] is not scenario:
        redacted = {d.id: converter.unstructure(_redacted(d)) for d in scenario.delegations}
        whole = converter.unstructure(attrs.evolve(scenario, personalities=(), path=""))
        whole.pop("path", None)
        hit = _whole[id(scenario)] = (scenario, whole, redacted)
    return hit[1], hit[2]


@attrs.frozen
class ScenarioParts:
    """The scenario as one seat may read it, in pieces that change at different times: the base
    (everything but the concession cards and the injects: it never changes in a game), and each
    card and inject by itself, in JSON. A view lists which cards and injects the seat may read."""

    scenario: Scenario
    base_json: str
    mine: frozenset[str]  # the seat's own cards: always readable
    card_ids: tuple[str, ...]  # every concession card, in the scenario's order
    cards_json: dict[str, str]
    inject_ids: tuple[str, ...]
    injects_json: dict[str, str]

    def cards(self, shown: frozenset) -> tuple[str, ...]:
        return tuple(c for c in self.card_ids if c in self.mine or c in shown)

    def injects(self, told: frozenset) -> tuple[str, ...]:
        return tuple(i for i in self.inject_ids if i in told)


def scenario_parts(scenario: Scenario, seat: Optional[str]) -> ScenarioParts:
    """`ScenarioParts` for `seat`, made once per scenario and seat."""
    key = (id(scenario), seat)
    hit = _parts.get(key)
    if hit is None or hit.scenario is not scenario:
        if len(_parts) > 256:
            _parts.clear()
        whole, redacted = _whole_table(scenario)
        base = {
            **whole,
            "delegations": [d if d["id"] == seat else redacted[d["id"]] for d in whole["delegations"]],
            "concessions": [],
            "injects": [],
        }
        hit = _parts[key] = ScenarioParts(
            scenario,
            _json(base),
            frozenset(c.id for c in scenario.concessions if c.delegation == seat),
            tuple(c["id"] for c in whole["concessions"]),
            {c["id"]: _json(c) for c in whole["concessions"]},
            tuple(i["id"] for i in whole["injects"]),
            {i["id"]: _json(i) for i in whole["injects"]},
        )
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
    """What one connection already holds: the scenario's base (the very string), the cards and
    injects it was sent (ids), the log's entries (their JSON)."""

    base: Optional[str] = None
    cards: frozenset[str] = frozenset()
    injects: frozenset[str] = frozenset()
    card_order: tuple[str, ...] = ()
    inject_order: tuple[str, ...] = ()
    log: tuple[str, ...] = ()


def _list(items) -> str:
    return "[" + ",".join(items) + "]"


def seat_view_json(state: GameState, seat: Optional[str], shared: Optional[Shared] = None,
                   sent: Optional[Sent] = None) -> str:
    """The game as `seat` (None: an observer) may see it, in JSON: the public state, the seat's own hand
    beside it, every hand's size, the room's log and the scenario as the seat may read it.

    The log comes as `log_new`, the entries from `log_from` on; the scenario as its base
    (`scenario`), the ids of the cards and injects the seat may read (`cards`, `injects`) and the
    tables of those it lacks (`cards_new`, `injects_new`). With `sent` (what the connection
    already holds, updated here) only what it lacks is filled in: `scenario` and the id lists are
    null when unchanged. `Reader` puts the view back together."""
    shared = shared or shared_part(state)
    parts = scenario_parts(state.scenario, seat)
    cards, injects = parts.cards(shared.shown), parts.injects(shared.told)
    sent = sent if sent is not None else Sent()
    n = len(sent.log)
    log_from = n if n <= len(shared.log) and sent.log == shared.log[:n] else 0
    base = "null" if sent.base is parts.base_json else parts.base_json
    card_list = "null" if cards == sent.card_order and base == "null" else _json(cards)
    inject_list = "null" if injects == sent.inject_order and base == "null" else _json(injects)
    have_cards = sent.cards if base == "null" else frozenset()
    have_injects = sent.injects if base == "null" else frozenset()
    cards_new = _list(parts.cards_json[c] for c in cards if c not in have_cards)
    injects_new = _list(parts.injects_json[i] for i in injects if i not in have_injects)
    sent.base, sent.log = parts.base_json, shared.log
    sent.cards, sent.injects = have_cards | set(cards), have_injects | set(injects)
    sent.card_order, sent.inject_order = cards, injects
    head = _json({
        "seat": seat,
        "hand": list(state.hands.get(seat, [])) if seat is not None else [],
        "hand_sizes": {d: len(cards) for d, cards in state.hands.items()},
        "actions": len(state.actions),
        "log_from": log_from,
    })
    return (f'{head[:-1]},"log_new":{_list(shared.log[log_from:])},"state":{shared.state_json},'
            f'"scenario":{base},"cards":{card_list},"cards_new":{cards_new},'
            f'"injects":{inject_list},"injects_new":{injects_new}}}')


def seat_view(state: GameState, seat: Optional[str]) -> dict[str, Any]:
    """The whole view of `seat_view_json` as plain data, the log in its place in the state."""
    return Reader().whole(json.loads(seat_view_json(state, seat)))


_PIECES = ("log_new", "log_from", "cards", "cards_new", "injects", "injects_new")


class Reader:
    """The client's side of one connection: puts each view back together from what came before
    (the log so far, the scenario's base, cards and injects), and structures only what is new.

    `whole(view)` gives the view with `state.log` and `scenario` filled in; `state(view)` the
    redacted game, ready for the board's widgets (both raise on a malformed view)."""

    def __init__(self) -> None:
        self._log: list[dict] = []
        self._base: Optional[dict] = None
        self._cards: dict[str, dict] = {}
        self._injects: dict[str, dict] = {}
        self._card_order: list[str] = []
        self._inject_order: list[str] = []
        self._scenario: Optional[dict] = None
        self._structured: dict[int, tuple[dict, Any]] = {}  # id of a raw table -> (it, structured)
        self._last: Optional[tuple[dict, Scenario]] = None
        self._entries: list[tuple[dict, LogEntry]] = []

    @staticmethod
    def _tables(items: Any, what: str) -> dict[str, dict]:
        if not isinstance(items, list) or not all(isinstance(t, dict) and isinstance(t.get("id"), str) for t in items):
            raise ValueError(f"{what} is not a list of tables with ids")
        return {t["id"]: t for t in items}

    @staticmethod
    def _order(ids: Any, known: dict[str, dict], what: str) -> list[str]:
        if not isinstance(ids, list) or not all(isinstance(i, str) and i in known for i in ids):
            raise ValueError(f"{what}: an id this connection was never sent")
        return ids

    def whole(self, view: dict[str, Any]) -> dict[str, Any]:
        if "log_new" not in view:  # already whole
            return view
        log_from = view["log_from"]
        if not isinstance(log_from, int) or not 0 <= log_from <= len(self._log):
            raise ValueError(f"log_from {log_from!r}: this connection holds {len(self._log)} entries")
        if not isinstance(view["log_new"], list):
            raise ValueError("log_new is not a list")
        changed = False
        if view["scenario"] is not None:
            if not isinstance(view["scenario"], dict):
                raise ValueError("the scenario is not a table")
            self._base, self._cards, self._injects, changed = view["scenario"], {}, {}, True
        elif self._base is None:
            raise ValueError("the view has no scenario and none came before")
        if view["cards_new"] or view["injects_new"]:
            self._cards = {**self._cards, **self._tables(view["cards_new"], "cards_new")}
            self._injects = {**self._injects, **self._tables(view["injects_new"], "injects_new")}
            changed = True
        if view["cards"] is not None:
            self._card_order, changed = self._order(view["cards"], self._cards, "cards"), True
        if view["injects"] is not None:
            self._inject_order, changed = self._order(view["injects"], self._injects, "injects"), True
        if changed or self._scenario is None:
            self._scenario = {**self._base, "concessions": [self._cards[c] for c in self._card_order],
                              "injects": [self._injects[i] for i in self._inject_order]}
        self._log = self._log[:log_from] + view["log_new"]
        out = {k: v for k, v in view.items() if k not in _PIECES}
        out["scenario"] = self._scenario
        out["state"] = {**view["state"], "log": self._log}
        return out

    def _structure(self, raw: dict, cls: type) -> Any:
        hit = self._structured.get(id(raw))
        if hit is None or hit[0] is not raw:
            hit = self._structured[id(raw)] = (raw, converter.structure(raw, cls))
        return hit[1]

    def state(self, view: dict[str, Any]) -> GameState:
        view = self.whole(view)
        scenario = self._structured_scenario(view["scenario"])
        raw_log = view["state"]["log"]
        known = self._entries
        entries = [known[i] if i < len(known) and known[i][0] is e else (e, converter.structure(e, LogEntry))
                   for i, e in enumerate(raw_log)]
        self._entries = entries
        state = converter.structure({**view["state"], "log": []}, GameState)
        state.log = [e for _, e in entries]
        state.scenario = scenario
        seat = view.get("seat")
        if seat is not None and seat in state.hands:
            state.hands[seat] = list(view["hand"])
        return state

    def _structured_scenario(self, raw: dict) -> Scenario:
        """The scenario of `raw`: its base structured once, each card and inject once."""
        if self._last is not None and self._last[0] is raw:
            return self._last[1]
        base_raw = self._base if raw is self._scenario and self._base is not None else \
            {**raw, "concessions": [], "injects": []}
        base = self._structure(base_raw, Scenario)
        concessions = tuple(self._structure(c, ConcessionCard) for c in raw["concessions"])
        injects = tuple(self._structure(i, Inject) for i in raw["injects"])
        scenario = attrs.evolve(base, concessions=concessions, injects=injects)
        self._last = (raw, scenario)
        return scenario


def state_of(view: dict[str, Any]) -> GameState:
    """The client's side, for one whole view (a `Reader` keeps what came before; raises cattrs errors when malformed)."""
    return Reader().state(view)
