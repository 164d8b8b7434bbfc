"""Reading a save and trusting it only after a replay.

Loading never trusts the snapshot: it checks the version, the integrity hash
(damage, casual edits), whether this installation signed it, migrates an old
format, structures the header (`SaveHeader`) and every section with the strict
converter, runs the embedded scenario through the same checks as a deck folder,
then rebuilds the game by replaying the log and refuses the file unless the
replay agrees with the snapshot and the header. The file is opened read-only
and never modified.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional

import attrs

from .. import __version__, save_actions
from ..convert import converter, error_lines
from ..model import Action, GameRecord, GameState, Scenario, Setup
from .document import (
    FORMAT_VERSION,
    MAX_CLOCK_MINUTES,
    integrity_and_signed_body,
    parse_time,
    setup_from,
    state_table,
    summary,
)
from .errors import SaveError
from .signing import signed_here

MAX_SAVE_BYTES = 32 * 1024 * 1024  # a 99-round game is well under 1 MB; anything this big is not a save

# format version n -> function turning a version-n document (a dict) into version n + 1.
# `_migrate` walks it, so a new format only adds an entry.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: save_actions.upgrade_v1, 2: save_actions.upgrade_v2, 3: save_actions.upgrade_v3}

GAME_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
SECTIONS = ("setup", "actions", "snapshot", "scenario")
OPTIONAL_SECTIONS = ("record",)  # the wall-clock times and undone actions: saves before them have none


@attrs.frozen
class SaveHeader:
    """The keys before a save's first table: enough to list it without replaying it."""

    format_version: int
    game_id: str
    app_version: str
    created: str
    updated: str
    scenario_id: str
    scenario_title: str
    round: int
    phase: str
    teams: tuple[str, ...]
    integrity: str
    name: Optional[str] = None
    outcome: Optional[str] = None
    notes: str = ""
    clock_minutes: int = 0
    autosave: bool = False
    signature: Optional[str] = None
    # [delegation name, team] for each seat a team plays; saves before it have only `teams`.
    human_teams: Optional[tuple[tuple[str, str], ...]] = None

    @property
    def created_at(self) -> datetime:
        return parse_time(self.created)

    @property
    def updated_at(self) -> datetime:
        return parse_time(self.updated)


_HEADER_KEYS = frozenset(f.name for f in attrs.fields(SaveHeader))


@attrs.frozen
class LoadedSave:
    """A verified save: `state` is the replayed game (its scenario is the save's own).

    `signed` is True when this installation wrote it; otherwise it was verified by the
    replay alone ("not signed here": made on another computer, or edited).
    """

    state: GameState
    game_id: str
    name: Optional[str]
    created: datetime
    updated: datetime
    path: Path
    notes: str = ""
    app_version: str = ""
    format_version: int = FORMAT_VERSION
    clock_minutes: int = 0  # the facilitator's round clock (0 = off); not part of the game itself
    signed: bool = False


# --- reading -------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file's text, opened read-only; every failure is a SaveError."""
    try:
        if path.is_dir():
            raise SaveError(path, "is a folder, not a save file")
        with open(path, "rb") as f:
            data = f.read(MAX_SAVE_BYTES + 1)
    except SaveError:
        raise
    except FileNotFoundError:
        raise SaveError(path, "no such save file") from None
    except OSError as exc:
        raise SaveError(path, f"cannot be read: {exc.strerror or exc}") from None
    if not data.strip():
        raise SaveError(path, "is empty: not a wargame save (perhaps a write was interrupted)")
    if len(data) > MAX_SAVE_BYTES:
        raise SaveError(path, "is far too large to be a wargame save")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveError(path, "is not a wargame save (not UTF-8 text)") from None


def parse(path: Path, text: str, what: str = "") -> dict:
    import tomllib  # imported at a process's first load

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SaveError(path, f"is not a readable save: TOML syntax error: {exc}{what}") from None
    except RecursionError:
        raise SaveError(path, "is not a wargame save: its TOML is nested far too deeply") from None


def check_version(path: Path, doc: dict) -> int:
    if "format_version" not in doc:
        raise SaveError(path, "is not a wargame save (no format_version)")
    version = doc["format_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SaveError(path, f"has an invalid format_version {version!r}"[:200])
    if version > FORMAT_VERSION:
        raise SaveError(
            path,
            f"was written by a newer wargame (save format {version}; this is wargame {__version__}, which reads up to format "
            f"{FORMAT_VERSION}): update wargame to load it",
        )
    return version


def _migrate(path: Path, doc: dict, version: int) -> dict:
    if version < FORMAT_VERSION:
        doc = copy.deepcopy(doc)  # migrations may change tables in place; parses are cached
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise SaveError(path, f"uses save format {version}, which this wargame can no longer read")
        try:
            doc = step(doc)
        except Exception as exc:  # noqa: BLE001 - an old file the migration cannot handle
            raise SaveError(path, f"cannot be upgraded from save format {version}: {exc}") from None
        version += 1
        doc["format_version"] = version
    return doc


def read_header(path: Path, doc: dict, *, sections: bool = True) -> SaveHeader:
    """The header of a parsed document, structured strictly; SaveError with every problem.

    `sections`: the document is the whole file, so the four sections must be there too
    (a listing parses the header alone and passes False).
    """
    problems = []
    head = {k: v for k, v in doc.items() if k not in SECTIONS and k not in OPTIONAL_SECTIONS}
    header: Optional[SaveHeader] = None
    try:
        header = converter.structure(head, SaveHeader)
    except Exception as exc:  # noqa: BLE001 - every structuring failure becomes a line
        for line in error_lines(exc, "header"):
            message, _, where = line.rpartition(" @ ")
            field = where.removeprefix("header").lstrip(".")
            if message == "required key is missing":
                problems.append(f"required key {field} is missing")
            else:
                problems.append(f"{field}: {message}" if field else (message or line))
    if sections:
        problems += [f"the [{key}] section is missing" for key in SECTIONS if key not in doc]
    if header is not None:
        if not 0 <= header.clock_minutes <= MAX_CLOCK_MINUTES:
            problems.append(f"clock_minutes must be a whole number from 0 to {MAX_CLOCK_MINUTES}")
        if not GAME_ID.match(header.game_id):
            problems.append(f"bad game_id {header.game_id!r}"[:120])
        try:
            header.created_at, header.updated_at
        except ValueError:
            problems.append("created and updated must be ISO times")
    if problems:
        raise SaveError(path, "is not a valid save: " + "; ".join(problems[:6]))
    assert header is not None
    return header


def _structure(path: Path, value: Any, cls: Any, where: str) -> Any:
    try:
        return converter.structure(value, cls)
    except Exception as exc:  # noqa: BLE001 - every structuring failure becomes one message
        lines = error_lines(exc, where)
        raise SaveError(path, f"has a malformed {where.split('.')[0].split('[')[0]}: " + "; ".join(lines[:5])) from None


# The [scenario] section is over half of every save and the same in all saves of a scenario,
# so its parse, and the Scenario built (and checked) from it, are kept by the sha256 of its
# text: checking a folder of simulated games, or listing then loading, parses it once.
_SCENARIO_HEADER = "\n[scenario]\n"


@attrs.define
class _ScenarioEntry:
    table: dict
    scenario: Optional[Scenario] = None


_parsed_scenarios: dict[bytes, _ScenarioEntry] = {}


class _TOMLDecodeError(Exception):
    """tomllib's refusal of a part of a save (the whole text is then parsed again, for its message)."""


def _toml(text: str) -> dict:
    """tomllib.loads(text), tomllib imported at a process's first load; its refusal as
    `_TOMLDecodeError`."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise _TOMLDecodeError from None


def _parse_document(path: Path, text: str) -> tuple[dict, Optional[_ScenarioEntry]]:
    """tomllib.loads(text), with the trailing [scenario] section parsed once per content.

    When the text before `[scenario]` parses alone and the rest holds nothing but the
    scenario table, the two halves cannot interact, so their union is the whole parse;
    otherwise (a hand-edited file) the whole text is parsed as usual.
    """
    cut = text.rfind(_SCENARIO_HEADER)
    if cut != -1:
        head, tail = text[: cut + 1], text[cut + 1:]
        key = hashlib.sha256(tail.encode("utf-8")).digest()
        try:
            doc = _toml(head)
            entry = _parsed_scenarios.get(key)
            if entry is None:
                part = _toml(tail)
                if list(part) == ["scenario"] and isinstance(part["scenario"], dict):
                    entry = _ScenarioEntry(part["scenario"])
                    if len(_parsed_scenarios) >= 8:
                        _parsed_scenarios.clear()
                    _parsed_scenarios[key] = entry
            if entry is not None and "scenario" not in doc:
                doc["scenario"] = entry.table
                return doc, entry
        except (_TOMLDecodeError, RecursionError):
            pass
    return parse(path, text, " (cut short, or not a save file?)"), None


def read_document(path: Path) -> tuple[dict, Optional[_ScenarioEntry], bool]:
    """Parse, check the version and the integrity hash, and migrate; no replay yet.

    Returns the document, its scenario cache entry (only while `doc["scenario"]` is still
    its table: no migration) and whether this installation signed it.
    """
    doc, entry = _parse_document(path, read_text(path))
    doc, signed = _read_parsed(path, doc)
    return doc, entry if entry is not None and doc["scenario"] is entry.table else None, signed


def _read_parsed(path: Path, doc: dict) -> tuple[dict, bool]:
    version = check_version(path, doc)
    expected = doc.get("integrity")
    if not isinstance(expected, str):
        raise SaveError(path, "is not a valid save: required key integrity is missing")
    try:
        actual, body = integrity_and_signed_body(doc)
        signed = signed_here(body, doc.get("signature"))
    except ValueError:  # nan or inf: never written by wargame
        raise SaveError(path, "is not a wargame save: it holds nan or inf, which wargame never writes") from None
    except TypeError:  # a TOML date or time: never written by wargame either
        raise SaveError(path, "is not a wargame save: it holds a TOML date or time, which wargame never writes") from None
    if actual != expected:
        raise SaveError(path, "failed its integrity check: the file was edited or damaged after it was saved")
    return _migrate(path, doc, version), signed


def _scenario_of(path: Path, table: Any, entry: Optional[_ScenarioEntry]) -> Scenario:
    """The save's own scenario, structured and checked like a deck folder (once per content)."""
    from ..scenario import scenario_problems

    if not isinstance(table, dict):
        raise SaveError(path, "is not a valid save: [scenario] must be a table")
    if entry is not None and entry.scenario is not None:
        return attrs.evolve(entry.scenario, path=str(path))
    scenario = _structure(path, {**table, "path": str(path)}, Scenario, "scenario")
    problems = scenario_problems(scenario)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise SaveError(path, "holds a scenario that cannot be played: " + "; ".join(problems[:5]) + more)
    if entry is not None:
        entry.scenario = scenario
    return scenario


def load_save(path: Path) -> LoadedSave:
    """Read a save, replay its action log from its own scenario and setup, and compare with the snapshot.

    Raises SaveError naming the file and the problem; the file is opened read-only.
    """
    path = Path(path)
    doc, entry, signed = read_document(path)
    header = read_header(path, doc)
    scenario = _scenario_of(path, doc["scenario"], entry)
    setup = _setup_from_checked(path, doc["setup"])
    if not isinstance(doc["actions"], list):
        raise SaveError(path, "is not a valid save: actions must be an array of tables")
    actions = _structure(path, doc["actions"], save_actions.ACTIONS, "actions")
    if setup.scenario_id != scenario.id:
        raise SaveError(path, f"is inconsistent: the setup is for scenario {setup.scenario_id!r}, the save holds {scenario.id!r}")
    _check_setup(path, scenario, setup)

    state = _replay(path, scenario, setup, actions)
    state.record = _record_of(path, doc.get("record", {}), state)

    snapshot = doc["snapshot"]
    expected = save_actions.unchecked(snapshot, state_table(state))
    if snapshot != expected:
        fields = sorted(k for k in set(snapshot) | set(expected) if snapshot.get(k) != expected.get(k)) if isinstance(snapshot, dict) else ["snapshot"]
        raise SaveError(path, f"does not match its own action log: replaying it gives a different {', '.join(fields)}")
    told = summary(state, scenario)
    checked = ("scenario_id", "scenario_title", "round", "phase", "outcome", "teams") + (("human_teams",) if "human_teams" in doc else ())
    wrong = [k for k in checked if doc.get(k) != told.get(k)]
    if wrong:
        raise SaveError(path, f"does not match its own action log: the header's {', '.join(wrong)} differ from the replay")
    return LoadedSave(
        state=state,
        game_id=header.game_id,
        name=header.name,
        created=header.created_at,
        updated=header.updated_at,
        path=path,
        notes=header.notes,
        app_version=header.app_version,
        format_version=header.format_version,
        clock_minutes=header.clock_minutes,
        signed=signed,
    )


def _record_of(path: Path, table: Any, state: GameState) -> GameRecord:
    """The [record] section, checked against the game it stands beside (metadata: the replay ignores it)."""
    if not isinstance(table, dict):
        raise SaveError(path, "is not a valid save: [record] must be a table")
    record = _structure(path, table, GameRecord, "record")
    problems = []
    if len(record.action_times) > len(state.actions):
        problems.append(f"it times {len(record.action_times)} actions, the log has {len(state.actions)}")
    if len(record.round_times) > state.round:
        problems.append(f"it times {len(record.round_times)} rounds, the game reached round {state.round}")
    for u in record.undone:
        if not 0 <= u.index <= MAX_UNDONE_INDEX:
            problems.append(f"an undone action's index {u.index} is out of range")
    for text in (*record.action_times, *record.round_times, record.ended, *(t for u in record.undone for t in (u.at, u.taken_at))):
        if text:
            try:
                parse_time(text)
            except ValueError:
                problems.append(f"{text!r} is not an ISO time"[:80])
                break
    if problems:
        raise SaveError(path, "has a malformed record: " + "; ".join(problems[:4]))
    return record


MAX_UNDONE_INDEX = 100_000


def _setup_from_checked(path: Path, table: Any) -> Setup:
    try:
        return setup_from(table)
    except Exception as exc:  # noqa: BLE001
        raise SaveError(path, "has a malformed setup: " + "; ".join(error_lines(exc, "setup")[:5])) from None


def _check_setup(path: Path, scenario: Scenario, setup: Setup) -> None:
    """Every setup comes from make_setup, so it must be what make_setup makes of its own choices;
    this also bounds the rounds a replay may run."""
    from ..engine import SetupError, make_setup

    ids = [d.id for d in scenario.delegations]
    try:
        again = make_setup(
            scenario,
            setup.seed,
            rounds=setup.rounds,
            humans=dict(setup.humans),
            bots=dict(setup.bots),
            leave_out=tuple(d for d in ids if d not in setup.delegations),
            facilitated=setup.facilitated,
            event_preview=setup.event_preview,
            exercise=setup.exercise,
        )
    except SetupError as exc:
        raise SaveError(path, f"has an invalid setup: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a forged scenario must not crash the app
        raise SaveError(path, f"has an invalid setup ({type(exc).__name__}: {exc})") from None
    if again != setup:
        raise SaveError(path, "has an invalid setup: it is not one this scenario allows")


def _replay(path: Path, scenario: Scenario, setup: Setup, actions: list[Action]) -> GameState:
    """engine.replay, with a refusal that says which action failed and why."""
    from ..engine import IllegalAction, ReplayError, replay

    try:
        return replay(scenario, setup, actions)
    except ReplayError as err:
        i, action, exc = err.index, err.action, err.cause
        if isinstance(exc, IllegalAction):
            who = action.delegation or "the facilitator"
            raise SaveError(path, f"cannot be replayed: action {i} of {len(actions)} ({action.kind} by {who}) is illegal: {exc}") from None
        raise SaveError(path, f"cannot be replayed: action {i} of {len(actions)} fails ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # noqa: BLE001 - a forged setup or scenario must not crash the app
        raise SaveError(path, f"cannot be replayed: the game cannot be set up ({type(exc).__name__}: {exc})") from None


NOT_SIGNED_HERE = (
    "not signed here: written by another installation of wargame, or edited since; its log replays "
    "consistently from its own scenario and setup, but who made its moves and whether its scenario is "
    "the one the workshop used cannot be vouched for"
)
SIGNED_HERE = "signed here: written by this installation of wargame and unchanged since"


def check_save(path: Path) -> dict:
    """`wargame check SAVE`: load and verify, as a JSON-ready dict, saying what it vouches for."""
    path = Path(path)
    result: dict[str, Any] = {"ok": True, "save": str(path), "errors": []}
    try:
        loaded = load_save(path)
    except SaveError as exc:
        result.update(ok=False, errors=[exc.problem])
        return result
    state = loaded.state
    result.update(
        game_id=loaded.game_id,
        name=loaded.name,
        scenario_id=state.scenario.id if state.scenario else None,
        round=state.round,
        outcome=state.outcome,
        counts={"actions": len(state.actions)},
        signed=loaded.signed,
        vouch=SIGNED_HERE if loaded.signed else NOT_SIGNED_HERE,
    )
    return result

