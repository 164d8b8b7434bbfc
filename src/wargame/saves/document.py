"""The save document: what a file holds, built from a game, and its integrity values.

A save is one self-contained TOML file. Layout, in this order:

    format_version = 4            header: who, when, which scenario, a summary
    game_id, name, app_version,   for listing (round, outcome, teams, and the
    created, updated, ...         human teams as data: `human_teams`), the
                                  facilitator's round clock (`clock_minutes`,
                                  when set), `autosave = true` on autosaves,
    signature = "hmac-sha256:..." this installation's HMAC of the rest, and
    integrity = "sha256:..."      sha256 over everything else
    [setup]                       seed, rounds, delegations, humans, bots
    [[actions]]                   the action log, one table per action
    [snapshot]                    the GameState at save time, less what is
                                  elsewhere (setup, actions, scenario); the
                                  story log as a digest (the replay rewrites it)
    [scenario]                    the scenario's content, as the decks held it

`integrity` is "sha256:" + the hex digest of the canonical JSON (sorted keys,
no spaces, UTF-8) of every other key of the parsed file; `signature` is the
HMAC-SHA256 (see `signing`) of the canonical JSON of every key but these two.
TOML has no null: None fields are left out and come back as defaults; the
pending decision (a union) is a table tagged `kind = "proposal" | "choice" |
"violation"`. The generator state (`rng`, 64 bits) is a hex string and a seed
beyond 2**63 - 1 a decimal string, because TOML integers are signed 64-bit.
"""

from __future__ import annotations

import hashlib
import json
import operator
import re
import unicodedata
import weakref
from datetime import datetime, timezone
from typing import Any, Optional

import attrs

from .. import __version__, save_actions
from ..convert import converter
from ..model import PAYLOAD_CLASSES, Action, GameRecord, GameState, LogEntry, Scenario, Setup
from ..seats import seat
from .signing import installation_key, signature_of

FORMAT_VERSION = 4  # 3: personalities without weights, the discard action; 4: support at home
MAX_DISPLAY_NAME = 80
MAX_CLOCK_MINUTES = 180  # what the facilitator console accepts
SUFFIX = ".toml"
_INT64_MAX = 2**63 - 1
_UNSIGNED_KEYS = ("integrity", "signature")


# --- plain data for TOML -------------------------------------------------------------------


def clean_str(s: str) -> str:
    """TOML files are UTF-8: a lone surrogate (from a bad paste) becomes U+FFFD instead of failing the save."""
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in s)


def _plain(value: Any) -> Any:
    """Unstructured data as TOML can hold it: None dropped from tables, tuples as lists."""
    kind = type(value)
    if kind is str:
        return value if value.isascii() else clean_str(value)
    if kind is int or kind is bool:
        return value
    if kind is dict:
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if kind is list:
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return clean_str(value)
    return value


def canonical(doc: Any) -> bytes:
    """The canonical JSON both integrity values are computed over.

    Raises ValueError for nan or inf and TypeError for values JSON has not (a TOML date):
    wargame never writes either, so a document holding one is not a save of ours.
    """
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


# The canonical JSON of a document's [scenario] table, by the table object: that table is
# over half of every document and the same object in every save and load of a scenario
# (`_scenario_section`, and the parse cache of `verify`), which never change it.
_canonical_tables: dict[int, tuple[Any, bytes]] = {}


def _canonical_value(key: str, value: Any) -> bytes:
    if key != "scenario" or type(value) is not dict:
        return canonical(value)
    hit = _canonical_tables.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    data = canonical(value)
    if len(_canonical_tables) >= 8:
        _canonical_tables.clear()
    _canonical_tables[id(value)] = (value, data)  # kept alive with it, so the id is not reused
    return data


def _canonical_parts(doc: dict, leave_out: tuple[str, ...]) -> list[tuple[str, bytes]]:
    """Each key's `"key":value` of the canonical JSON, in sorted order, less `leave_out`."""
    return [(k, canonical(k) + b":" + _canonical_value(k, v)) for k, v in sorted(doc.items(), key=lambda kv: kv[0]) if k not in leave_out]


def _joined(parts: list[tuple[str, bytes]], leave_out: tuple[str, ...] = ()) -> bytes:
    return b"{" + b",".join(part for k, part in parts if k not in leave_out) + b"}"


def _canonical_doc(doc: dict, leave_out: tuple[str, ...]) -> bytes:
    """`canonical` of the document less `leave_out`, key by key: the same bytes (sorted keys,
    no spaces) with the scenario table's part made once."""
    return _joined(_canonical_parts(doc, leave_out))


def integrity_of(doc: dict) -> str:
    """The integrity value of a save document: sha256 of the canonical JSON of all but `integrity`."""
    return "sha256:" + hashlib.sha256(_canonical_doc(doc, ("integrity",))).hexdigest()


def signed_body(doc: dict) -> bytes:
    """What the signature covers: every key but the integrity values."""
    return _canonical_doc(doc, _UNSIGNED_KEYS)


def integrity_and_signed_body(doc: dict) -> tuple[str, bytes]:
    """`integrity_of(doc), signed_body(doc)`, from one canonical reading of each key."""
    parts = _canonical_parts(doc, ("integrity",))
    return "sha256:" + hashlib.sha256(_joined(parts)).hexdigest(), _joined(parts, ("signature",))


def toml_dumps(table: dict) -> str:
    """`tomli_w.dumps(table)`, tomli_w imported at a process's first save."""
    import tomli_w

    return tomli_w.dumps(table)


def setup_table(setup: Setup) -> dict:
    table = _plain(converter.unstructure(setup))
    if setup.seed > _INT64_MAX:  # TOML integers are 64-bit; the CLI accepts any whole number
        table["seed"] = str(setup.seed)
    return table


def setup_from(table: Any) -> Setup:
    if isinstance(table, dict) and isinstance(table.get("seed"), str) and table["seed"].isdigit():
        table = {**table, "seed": int(table["seed"])}
    return converter.structure(table, Setup)


def state_table(state: GameState) -> dict:
    """The [snapshot] table: the state without setup, actions and scenario (saved once, elsewhere).

    The story log is text the replay writes again and would be half the file, so only its
    length and digest are kept: enough for the replay check to cover every line of it.
    """
    bare = state.shallow_copy()  # the parts saved elsewhere left out before unstructuring
    bare.actions, bare.record, bare.log = [], GameRecord(), []
    table = _plain(converter.unstructure(bare))
    del table["setup"], table["actions"], table["record"], table["log"]
    table["rng"] = f"0x{state.rng:016x}"
    table["log_entries"] = len(state.log)
    table["log_digest"] = "sha256:" + hashlib.sha256(log_json(state.log)).hexdigest()
    return table


def log_json_reference(log: list) -> bytes:
    """The canonical JSON of the story log, the definition: the converter's unstructured
    entries, as TOML would hold them (`_plain`), through `canonical`."""
    return canonical(_plain(converter.unstructure(log, list[LogEntry])))


def log_json(log: list) -> bytes:
    """`log_json_reference(log)`, the same bytes, without building the plain entries first:
    the JSON encoder asks `_log_plain` for each record it meets (sorted keys make the order
    of a record's fields irrelevant). Anything that reading does not cover (a lone
    surrogate, which `_plain` replaces; a record of another class) takes the definition."""
    try:
        return json.dumps(
            log, default=_log_plain, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).encode("utf-8")
    except (TypeError, UnicodeEncodeError, _NotPlain):
        return log_json_reference(log)


class _NotPlain(Exception):
    """A value `_log_plain` does not read as the converter would."""


def _record_reader(cls: type, omit: tuple[str, ...] = (), tag: Optional[str] = None) -> Any:
    """What the converter's unstructure hook of `cls`, then `_plain`, makes of one record:
    its fields less those that are None, less `omit` at their defaults (the converter's
    `omit_if_default` overrides), plus the union's tag `type` when `tag` is given."""
    fields = attrs.fields(cls)
    names = tuple(f.name for f in fields)
    if len(names) > 1:
        get = operator.attrgetter(*names)
    else:  # attrgetter of one name gives the value, of none is not allowed
        get = (lambda obj, _n=names[0]: (getattr(obj, _n),)) if names else (lambda obj: ())
    defaults = {f.name: f.default for f in fields if f.name in omit}
    if any(isinstance(d, attrs.Factory) or d is attrs.NOTHING for d in defaults.values()):
        raise AssertionError(f"{cls.__name__}: an omitted field needs a plain default")

    def read(obj: Any) -> dict:
        out = {n: v for n, v in zip(names, get(obj)) if v is not None and not (n in defaults and v == defaults[n])}
        if tag is not None:
            out["type"] = tag
        return out

    return read


_PAYLOAD_READERS: dict[type, Any] = {}
_INNER_READERS: dict[type, Any] = {}


def _make_readers() -> None:
    from ..convert import BARGAIN_FIELDS, SETUP_OMITTED
    from ..model import Change, Exercise, Objective

    _INNER_READERS.update({
        Change: _record_reader(Change),
        Setup: _record_reader(Setup, SETUP_OMITTED),
        Exercise: _record_reader(Exercise),
        Objective: _record_reader(Objective),
    })
    _PAYLOAD_READERS.update({cls: _record_reader(cls, BARGAIN_FIELDS.get(cls, ()), cls.__name__) for cls in PAYLOAD_CLASSES})


def _log_plain(obj: Any) -> Any:
    """The JSON encoder's `default` for the story log: a `LogEntry` with its payload tagged
    (the converter tags a payload where a `Payload` is expected: in an entry), and the
    records inside a payload or an entry (a change, a setup), untagged. Any other object
    raises `_NotPlain`; strings are checked by the UTF-8 encoding after."""
    if not _PAYLOAD_READERS:
        _make_readers()
    if type(obj) is LogEntry:
        read = _PAYLOAD_READERS.get(type(obj.payload))
        if read is None:
            raise _NotPlain
        return {"round": obj.round, "payload": read(obj.payload), "changes": obj.changes, "rationale": obj.rationale}
    read = _INNER_READERS.get(type(obj))
    if read is None:
        raise _NotPlain
    return read(obj)


def record_table(record: GameRecord) -> dict:
    """The [record] section: the wall-clock times and the undone actions (empty: no section)."""
    table = _plain(converter.unstructure(record))
    return {k: v for k, v in table.items() if v not in ("", [])}


def state_from(
    table: dict, setup: Setup, actions: list[Action], scenario: Optional[Scenario] = None, log: Optional[list] = None
) -> GameState:
    """The inverse of `state_table`, given the parts saved elsewhere (the log itself comes from a replay).

    Raises cattrs errors on a malformed table.
    """
    rng = table.get("rng")
    if not (isinstance(rng, str) and re.fullmatch(r"0x[0-9a-f]{1,16}", rng)):
        raise ValueError(f"rng must be a hex string like 0x0123abcd, got {rng!r}"[:160])
    data = {
        **{k: v for k, v in table.items() if k not in ("log_entries", "log_digest")},
        "rng": int(rng, 16),
        "setup": converter.unstructure(setup),
        "actions": save_actions.actions_table(actions),
        "log": converter.unstructure(log or []),
    }
    state = converter.structure(data, GameState)
    state.scenario = scenario
    return state


# The scenario's table and TOML text are the bulk of every save and never change under a
# running game, so they are made once per Scenario object (autosaves, `simulate --save-dir`).
_scenario_cache: dict[int, tuple[weakref.ref, dict, str]] = {}


def _scenario_section(scenario: Scenario) -> tuple[dict, str]:
    hit = _scenario_cache.get(id(scenario))
    if hit is not None and hit[0]() is scenario:
        return hit[1], hit[2]
    table = scenario_table(scenario)
    text = toml_dumps({"scenario": table})
    if len(_scenario_cache) > 8:
        _scenario_cache.clear()
    _scenario_cache[id(scenario)] = (weakref.ref(scenario), table, text)
    return table, text


def action_tables(actions: list[Action]) -> list[dict]:
    """The [[actions]] tables: `_plain(save_actions.actions_table(actions))`, read from each
    action's fields (`_action_reader`) without generating the converter's hooks for each
    kind of action at a process's first save; the definition for anything else."""
    try:
        readers = _ACTION_READERS or _make_action_readers()
        return [readers[type(a)](a) for a in actions]
    except (KeyError, _NotPlain):
        return _plain(save_actions.actions_table(actions))


_ACTION_READERS: dict[type, Any] = {}


def _make_action_readers() -> dict[type, Any]:
    from ..convert import BARGAIN_FIELDS
    from ..model import ACTION_CLASSES

    _ACTION_READERS.update({cls: _action_reader(cls, BARGAIN_FIELDS.get(cls, ())) for cls in ACTION_CLASSES})
    return _ACTION_READERS


def _action_reader(cls: type, omit: tuple[str, ...]) -> Any:
    """What the converter's tagged union makes of an action, then `_plain`: its fields in
    order, less those that are None and `omit` at their defaults, then `kind`; strings
    cleaned as `_plain` cleans them. A field of another type raises `_NotPlain`."""
    fields = attrs.fields(cls)
    names = tuple(f.name for f in fields)
    defaults = {f.name: f.default for f in fields if f.name in omit}
    kind = cls.kind

    def read(action: Any) -> dict:
        out: dict[str, Any] = {}
        for name in names:
            v = getattr(action, name)
            if v is None or (name in defaults and v == defaults[name]):
                continue
            t = type(v)
            if t is str:
                out[name] = v if v.isascii() else clean_str(v)
            elif t is int or t is bool:
                out[name] = v
            else:
                raise _NotPlain
        out["kind"] = kind
        return out

    return read


def scenario_table(scenario: Scenario) -> dict:
    """The [scenario] table: `_plain(converter.unstructure(scenario))` less its `path`, read
    from the records' fields (`_plain_record`) without generating the converter's hooks for
    every deck class at a process's first save; the definition where that reading stops."""
    try:
        table = _plain_record(scenario)
    except _NotPlain:
        table = _plain(converter.unstructure(scenario))
    table.pop("path", None)
    return table


_DECK_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain_record(value: Any) -> Any:
    """`_plain(converter.unstructure(value))` for a scenario's records: attrs classes of the
    decks, which the converter unstructures field by field (no hook of their own: `convert`
    registers hooks only for the setup, the game's records and the state). A value of any
    other class raises `_NotPlain`."""
    kind = type(value)
    if kind is str:
        return value if value.isascii() else clean_str(value)
    if kind is int or kind is bool or kind is float:
        return value
    if kind is tuple or kind is list:
        return [_plain_record(v) for v in value]
    if kind is dict:
        return {_plain_record(k): _plain_record(v) for k, v in value.items() if v is not None}
    names = _DECK_FIELDS.get(kind)
    if names is None:
        if kind not in _deck_classes():
            raise _NotPlain
        names = _DECK_FIELDS[kind] = tuple(f.name for f in attrs.fields(kind))
    out = {}
    for name in names:
        v = getattr(value, name)
        if v is not None:
            out[name] = _plain_record(v)
    return out


def _deck_classes() -> frozenset:
    from .. import model

    return frozenset({
        model.Scenario, model.Rules, model.Track, model.Meter, model.Level, model.ViolationRules, model.ViolationSide,
        model.Response, model.Delegation, model.RedLine, model.EventCard, model.Option, model.ConcessionCard,
        model.Personality, model.Condition, model.Effect, model.Inject, model.Exercise, model.Objective, model.SupportRules,
    })


def _teams(state: GameState, scenario: Scenario) -> list[str]:
    """The header's list of seats, "Ukraine: Kyiv" or "Russia: bot (pragmatist)": its wording is
    part of format 1, which the replay checks against."""
    seats = [seat(scenario, state.setup, d) for d in state.setup.delegations]
    return [f"{s.name}: {s.team}" if s.human else f"{s.name}: bot ({s.personality})" for s in seats]


def human_teams(scenario: Scenario, setup: Setup) -> list[list[str]]:
    """The header's `human_teams`: [delegation name, team] for each seat a team plays, in seat
    order, as data for the saves list (`teams` is the wording format 1 fixed)."""
    seats = [seat(scenario, setup, d) for d in setup.delegations]
    return [[s.name, s.team] for s in seats if s.human]


def summary(state: GameState, scenario: Scenario) -> dict:
    """Header fields derived from the state; load checks them against the replay."""
    out: dict[str, Any] = {"scenario_id": scenario.id, "scenario_title": scenario.title, "round": state.round, "phase": state.phase}
    if state.outcome is not None:
        out["outcome"] = state.outcome
    out["teams"] = _teams(state, scenario)
    out["human_teams"] = human_teams(scenario, state.setup)
    return _plain(out)


def iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _display_name(name: Optional[str]) -> Optional[str]:
    if name is None:
        return None
    text = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return text[:MAX_DISPLAY_NAME] or None


def build_document(
    state: GameState,
    *,
    game_id: str,
    name: Optional[str] = None,
    notes: str = "",
    created: Optional[str] = None,
    updated: Optional[str] = None,
    clock_minutes: int = 0,
    autosave: bool = False,
) -> tuple[dict, str]:
    """The save as a dict (what a load will parse) and as TOML text, signed with this
    installation's key (made on first use; unsigned if the data folder cannot hold one)."""
    scenario = state.scenario
    if scenario is None:
        raise ValueError("a state without its scenario cannot be saved")
    now = iso(datetime.now(timezone.utc))
    header: dict[str, Any] = {"format_version": FORMAT_VERSION, "game_id": game_id}
    display = _display_name(name)
    if display:
        header["name"] = display
    header["app_version"] = __version__
    header["created"] = created or updated or now
    header["updated"] = updated or now
    header.update(summary(state, scenario))
    if notes:
        header["notes"] = clean_str(notes)
    if clock_minutes:
        if not 0 < clock_minutes <= MAX_CLOCK_MINUTES:
            raise ValueError(f"the round clock must be 0 to {MAX_CLOCK_MINUTES} minutes, got {clock_minutes}")
        header["clock_minutes"] = int(clock_minutes)
    if autosave:
        header["autosave"] = True
    setup = setup_table(state.setup)
    actions = action_tables(state.actions)
    snapshot = state_table(state)
    record = record_table(state.record)
    scenario_table, scenario_text = _scenario_section(scenario)
    doc = {**header, "setup": setup, "actions": actions, "snapshot": snapshot, "scenario": scenario_table}
    if record:
        doc["record"] = record
    key = installation_key(create=True)
    parts = _canonical_parts(doc, ())  # each key's canonical JSON once, for both values
    if key is not None:
        header["signature"] = doc["signature"] = signature_of(_joined(parts), key)
        parts = sorted([*parts, ("signature", canonical("signature") + b":" + canonical(doc["signature"]))])
    integrity = "sha256:" + hashlib.sha256(_joined(parts)).hexdigest()
    doc["integrity"] = integrity

    # tomli_w writes short arrays of tables inline, which would put the action log among the
    # header's keys; writing each [[actions]] table ourselves keeps the layout fixed and readable.
    head = {**header, "integrity": integrity}
    if not actions:
        head = {**header, "actions": [], "integrity": integrity}
    parts = [
        toml_dumps({"format_version": FORMAT_VERSION}),
        "# A wargame save. Load it with `wargame load`; any edit breaks its integrity check.\n",
        toml_dumps({k: v for k, v in head.items() if k != "format_version"}),
        "\n",
        toml_dumps({"setup": setup}),
    ]
    for a in actions:
        parts.append("\n[[actions]]\n")
        parts.append(toml_dumps(a))
    if record:
        parts.append("\n")
        parts.append(toml_dumps({"record": record}))
    parts.append("\n")
    parts.append(toml_dumps({"snapshot": snapshot}))
    parts.append("\n")
    parts.append(scenario_text)
    return doc, "".join(parts)
