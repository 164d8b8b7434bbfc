"""Saved games: one self-contained TOML file each, trusted only after a replay.

A workshop stops for lunch and resumes next week on another laptop, perhaps
after a trainer has edited `decks/`. So a save carries everything the game
needs: the scenario's content (not a path to it), the setup, the complete
action log (rationales, facilitator notes and adjudications included) and a
snapshot of the state. Loading never trusts the snapshot: it rebuilds the
game by replaying the log and refuses the file unless the two agree, after
an integrity hash has ruled out damage and casual edits.

Layout of a file, in this order:

    format_version = 2            header: who, when, which scenario, a summary
    game_id, name, app_version,   for listing (round, outcome, teams), the
    created, updated, ...         facilitator's round clock (`clock_minutes`,
                                  when set), and
                                  `integrity` = sha256 over everything else
    integrity = "sha256:..."
    [setup]                       seed, rounds, delegations, humans, bots
    [[actions]]                   the action log, one table per action
    [snapshot]                    the GameState at save time, less what is
                                  elsewhere (setup, actions, scenario); the
                                  story log as a digest (the replay rewrites it)
    [scenario]                    the scenario's content, as the decks held it

`integrity` is "sha256:" + the hex digest of the canonical JSON (sorted keys,
no spaces, UTF-8) of every other key of the parsed file. TOML has no null: None
fields are left out and come back as defaults; the pending decision (a union)
is a table tagged `kind = "proposal" | "choice" | "violation"`. The generator
state (`rng`, 64 bits) is a hex string and a seed beyond 2**63 - 1 a decimal
string, because TOML integers are signed 64-bit. Writes are atomic (temp file in the same folder,
fsync, rename), so a crash never damages an existing save, and a damaged or
edited save is refused with a message naming the file, never modified.

Manual saves are named after the user's text, sanitized; a manual save never
overwrites a save of another game (or an unreadable file): the user is asked
for another name instead. Autosaves are `autosave-<game>-r<round>-<n>.toml`,
the last `KEEP_AUTOSAVES` of each game kept.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import secrets
import tomllib
import unicodedata
import weakref
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional

import attrs
import tomli_w
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import __version__, save_actions
from .convert import converter, error_lines
from .atomic import atomic_write
from .errors import UserError
from .model import Action, Choice, GameState, Proposal, Scenario, Setup, ViolationPending

FORMAT_VERSION = 2
KEEP_AUTOSAVES = 3
MAX_NAME_LENGTH = 60  # characters of a file name made from a user's text
MAX_DISPLAY_NAME = 80
MAX_SAVE_BYTES = 32 * 1024 * 1024  # a 99-round game is well under 1 MB; anything this big is not a save
SUFFIX = ".toml"
_INT64_MAX = 2**63 - 1

# format version n -> function turning a version-n document (a dict) into version n + 1.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: save_actions.upgrade_v1}

_GAME_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_HEADER_REQUIRED: dict[str, type] = {
    "format_version": int,
    "game_id": str,
    "app_version": str,
    "created": str,
    "updated": str,
    "scenario_id": str,
    "scenario_title": str,
    "round": int,
    "phase": str,
    "teams": list,
    "integrity": str,
}
_HEADER_OPTIONAL: dict[str, type] = {"name": str, "outcome": str, "notes": str, "clock_minutes": int}
MAX_CLOCK_MINUTES = 180  # what the facilitator console accepts
_SECTIONS = ("setup", "actions", "snapshot", "scenario")


class SaveError(UserError):
    """A save that cannot be read, written or trusted; the message names the file."""

    def __init__(self, path: Any, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@attrs.frozen
class LoadedSave:
    """A verified save: `state` is the replayed game (its scenario is the save's own)."""

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


@attrs.frozen
class SaveInfo:
    """One line of the saves list, read from a file's header without replaying it.

    `problem` is set (and most other fields empty) when the header cannot be read.
    """

    path: Path
    name: str
    updated: datetime
    game_id: Optional[str] = None
    scenario_id: str = ""
    scenario_title: str = ""
    round: Optional[int] = None
    phase: str = ""
    outcome: Optional[str] = None
    teams: tuple[str, ...] = ()
    created: Optional[datetime] = None
    autosave: bool = False
    problem: Optional[str] = None

    @property
    def damaged(self) -> bool:
        return self.problem is not None


# --- converter hooks: GameState without its scenario, `pending` as a tagged table ----------

_PENDING_KINDS: dict[str, type] = {"proposal": Proposal, "choice": Choice, "violation": ViolationPending}
_PENDING_TAGS = {cls: kind for kind, cls in _PENDING_KINDS.items()}


def _unstructure_pending(pending: Any) -> Optional[dict]:
    if pending is None:
        return None
    return {"kind": _PENDING_TAGS[type(pending)], **converter.unstructure(pending)}


def _structure_pending(value: Any, _: Any) -> Any:
    """A union needs a tag to be read back unambiguously; "kind" names the class."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise TypeError(f"expected a table, got {value!r}"[:160])
    kind = value.get("kind")
    cls = _PENDING_KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"pending needs kind = one of {', '.join(_PENDING_KINDS)}, got {kind!r}")
    return converter.structure({k: v for k, v in value.items() if k != "kind"}, cls)


converter.register_unstructure_hook(
    GameState,
    make_dict_unstructure_fn(GameState, converter, scenario=override(omit=True), pending=override(unstruct_hook=_unstructure_pending)),
)
converter.register_structure_hook(
    GameState,
    make_dict_structure_fn(
        GameState, converter, _cattrs_forbid_extra_keys=True, scenario=override(omit=True), pending=override(struct_hook=_structure_pending)
    ),
)


# --- plain data for TOML -------------------------------------------------------------------


def _clean_str(s: str) -> str:
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
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return _clean_str(value)
    return value


def _canonical(doc: dict) -> bytes:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def integrity_of(doc: dict) -> str:
    """The integrity value of a save document: sha256 of the canonical JSON of all but `integrity`."""
    rest = {k: v for k, v in doc.items() if k != "integrity"}
    return "sha256:" + hashlib.sha256(_canonical(rest)).hexdigest()


def _setup_table(setup: Setup) -> dict:
    table = _plain(converter.unstructure(setup))
    if setup.seed > _INT64_MAX:  # TOML integers are 64-bit; the CLI accepts any whole number
        table["seed"] = str(setup.seed)
    return table


def _setup_from(table: Any) -> Setup:
    if isinstance(table, dict) and isinstance(table.get("seed"), str) and table["seed"].isdigit():
        table = {**table, "seed": int(table["seed"])}
    return converter.structure(table, Setup)


def state_table(state: GameState) -> dict:
    """The [snapshot] table: the state without setup, actions and scenario (saved once, elsewhere).

    The story log is text the replay writes again and would be half the file, so only its
    length and digest are kept: enough for the replay check to cover every line of it.
    """
    table = _plain(converter.unstructure(state))
    del table["setup"], table["actions"]
    log = table.pop("log")
    table["rng"] = f"0x{state.rng:016x}"
    table["log_entries"] = len(log)
    table["log_digest"] = "sha256:" + hashlib.sha256(_canonical(log)).hexdigest()
    return table


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
    table = _plain(converter.unstructure(scenario))
    table.pop("path", None)
    text = tomli_w.dumps({"scenario": table})
    if len(_scenario_cache) > 8:
        _scenario_cache.clear()
    _scenario_cache[id(scenario)] = (weakref.ref(scenario), table, text)
    return table, text


def _teams(state: GameState, scenario: Scenario) -> list[str]:
    setup = state.setup
    out = []
    for d in setup.delegations:
        name = scenario.delegation(d).name if any(x.id == d for x in scenario.delegations) else d
        out.append(f"{name}: {setup.humans[d]}" if d in setup.humans else f"{name}: bot ({setup.bots.get(d, '?')})")
    return out


def _summary(state: GameState, scenario: Scenario) -> dict:
    """Header fields derived from the state; load checks them against the replay."""
    out: dict[str, Any] = {"scenario_id": scenario.id, "scenario_title": scenario.title, "round": state.round, "phase": state.phase}
    if state.outcome is not None:
        out["outcome"] = state.outcome
    out["teams"] = _teams(state, scenario)
    return _plain(out)


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
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
) -> tuple[dict, str]:
    """The save as a dict (what a load will parse) and as TOML text."""
    scenario = state.scenario
    if scenario is None:
        raise ValueError("a state without its scenario cannot be saved")
    now = _iso(datetime.now(timezone.utc))
    header: dict[str, Any] = {"format_version": FORMAT_VERSION, "game_id": game_id}
    display = _display_name(name)
    if display:
        header["name"] = display
    header["app_version"] = __version__
    header["created"] = created or updated or now
    header["updated"] = updated or now
    header.update(_summary(state, scenario))
    if notes:
        header["notes"] = _clean_str(notes)
    if clock_minutes:
        if not 0 < clock_minutes <= MAX_CLOCK_MINUTES:
            raise ValueError(f"the round clock must be 0 to {MAX_CLOCK_MINUTES} minutes, got {clock_minutes}")
        header["clock_minutes"] = int(clock_minutes)
    setup = _setup_table(state.setup)
    actions = _plain(save_actions.actions_table(state.actions))
    snapshot = state_table(state)
    scenario_table, scenario_text = _scenario_section(scenario)
    doc = {**header, "setup": setup, "actions": actions, "snapshot": snapshot, "scenario": scenario_table}
    integrity = integrity_of(doc)

    # tomli_w writes short arrays of tables inline, which would put the action log among the
    # header's keys; writing each [[actions]] table ourselves keeps the layout fixed and readable.
    head = {**header, "integrity": integrity}
    if not actions:
        head = {**header, "actions": [], "integrity": integrity}
    parts = [
        tomli_w.dumps({"format_version": FORMAT_VERSION}),
        "# A wargame save. Load it with `wargame load`; any edit breaks its integrity check.\n",
        tomli_w.dumps({k: v for k, v in head.items() if k != "format_version"}),
        "\n",
        tomli_w.dumps({"setup": setup}),
    ]
    for a in actions:
        parts.append("\n[[actions]]\n")
        parts.append(tomli_w.dumps(a))
    parts.append("\n")
    parts.append(tomli_w.dumps({"snapshot": snapshot}))
    parts.append("\n")
    parts.append(scenario_text)
    return doc, "".join(parts)


# --- writing -------------------------------------------------------------------------------


def new_game_id() -> str:
    """A short random id naming one game across all its saves (not from the game's generator:
    it is not part of the game and must differ between two games with the same seed)."""
    return secrets.token_hex(5)


def _check_game_id(game_id: Any, path: Any) -> None:
    if not isinstance(game_id, str) or not _GAME_ID.match(game_id):
        raise SaveError(path, f"invalid game id {game_id!r} (letters, digits, - and _ only)")


def _ensure_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(folder, f"cannot create the saves folder: {exc.strerror or exc}") from None
    if not folder.is_dir():
        raise SaveError(folder, "is not a folder")


def write_save(
    state: GameState,
    path: Path,
    *,
    game_id: str,
    name: Optional[str] = None,
    notes: str = "",
    created: Optional[datetime] = None,
    updated: Optional[datetime] = None,
    clock_minutes: int = 0,
) -> Path:
    """Write `state` as a save at `path`, atomically; the folder is created if missing.

    `created` defaults to the created time of the file being replaced when it is a save of
    the same game, else to now.
    """
    path = Path(path)
    _check_game_id(game_id, path)
    _ensure_dir(path.parent)
    created_text = _iso(created) if created else None
    if created_text is None and path.is_file():
        info = read_info(path)
        if not info.damaged and info.game_id == game_id and info.created:
            created_text = _iso(info.created)
    try:
        _, text = build_document(
            state, game_id=game_id, name=name, notes=notes, created=created_text, updated=_iso(updated) if updated else None,
            clock_minutes=clock_minutes,
        )
    except ValueError as exc:
        raise SaveError(path, f"cannot be written: {exc}") from None
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise SaveError(path, f"cannot be written: {exc.strerror or exc}") from None
    return path


def sanitize_name(name: str) -> str:
    """A file name (without .toml) from a user's text: letters, digits, - _ and single inner dots.

    Path separators and other characters become "-", so the result never leaves the
    saves folder, never starts with a dot and never contains "..". Raises SaveError when
    nothing usable is left.
    """
    text = unicodedata.normalize("NFKC", str(name))
    chars = [ch if (ch.isalnum() or ch in "-_.") else "-" for ch in text]
    s = "".join(chars)
    s = re.sub(r"\.{2,}", ".", s)
    s = re.sub(r"-{2,}", "-", s)
    s = s.strip("-._")
    if s.lower().endswith(SUFFIX):
        s = s[: -len(SUFFIX)].rstrip("-._")
    s = s[:MAX_NAME_LENGTH].rstrip("-._")
    if not s:
        raise SaveError(repr(name), "a save name needs at least one letter or digit")
    if s.split(".")[0].upper() in _WINDOWS_RESERVED:
        s = f"save-{s}"
    return s


def save_game(
    state: GameState, saves_dir: Path, *, game_id: str, name: Optional[str] = None, notes: str = "", clock_minutes: int = 0
) -> Path:
    """A manual save named by the user (`<sanitized name>.toml`); without a name, `save-<game id>`.

    Saving again under the same name for the same game replaces the file; a name already
    used by another game, or by a file that is not a readable save, is refused.
    """
    saves_dir = Path(saves_dir)
    _check_game_id(game_id, saves_dir)
    stem = sanitize_name(name) if name is not None and name.strip() else f"save-{game_id}"
    path = saves_dir / f"{stem}{SUFFIX}"
    if path.exists():
        info = read_info(path)
        if info.damaged:
            raise SaveError(path, "already exists and is not a readable save; choose another name")
        if info.game_id != game_id:
            raise SaveError(path, f"a save named {stem!r} already holds another game; choose another name")
    return write_save(state, path, game_id=game_id, name=name if name and name.strip() else None, notes=notes,
                      clock_minutes=clock_minutes)


def _autosave_pattern(game_id: str) -> re.Pattern:
    return re.compile(rf"^autosave-{re.escape(game_id)}-r(\d+)-(\d+){re.escape(SUFFIX)}$")


def autosave(
    state: GameState, saves_dir: Path, *, game_id: str, name: Optional[str] = None, notes: str = "", clock_minutes: int = 0
) -> Path:
    """Write `autosave-<game id>-r<round>-<n>.toml` and keep the last `KEEP_AUTOSAVES` of this game."""
    saves_dir = Path(saves_dir)
    _check_game_id(game_id, saves_dir)
    _ensure_dir(saves_dir)
    pattern = _autosave_pattern(game_id)
    existing = []
    for p in saves_dir.iterdir():
        m = pattern.match(p.name)
        if m and p.is_file():
            existing.append((int(m.group(2)), p))
    existing.sort()
    n = existing[-1][0] + 1 if existing else 1
    created = None
    if existing:
        info = read_info(existing[-1][1])
        if not info.damaged and info.game_id == game_id:
            created = info.created
    path = write_save(state, saves_dir / f"autosave-{game_id}-r{state.round}-{n}{SUFFIX}", game_id=game_id, name=name, notes=notes,
                      created=created, clock_minutes=clock_minutes)
    for _, old in existing[: max(0, len(existing) + 1 - KEEP_AUTOSAVES)]:
        info = read_info(old)
        if info.damaged or info.game_id == game_id:  # never delete a file some other game wrote
            try:
                old.unlink()
            except OSError:
                pass
    return path


# --- reading -------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
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


def _parse(path: Path, text: str, what: str = "") -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SaveError(path, f"is not a readable save: TOML syntax error: {exc}{what}") from None


def _check_version(path: Path, doc: dict) -> int:
    if "format_version" not in doc:
        raise SaveError(path, "is not a wargame save (no format_version)")
    version = doc["format_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SaveError(path, f"has an invalid format_version {version!r}")
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


def _check_header(path: Path, doc: dict) -> None:
    problems = []
    for key, typ in _HEADER_REQUIRED.items():
        if key not in doc:
            problems.append(f"required key {key} is missing")
        elif not isinstance(doc[key], typ) or isinstance(doc[key], bool):
            problems.append(f"{key} has the wrong type")
    for key, typ in _HEADER_OPTIONAL.items():
        if key in doc and not isinstance(doc[key], typ):
            problems.append(f"{key} has the wrong type")
    for key in _SECTIONS:
        if key not in doc:
            problems.append(f"the [{key}] section is missing")
    known = set(_HEADER_REQUIRED) | set(_HEADER_OPTIONAL) | set(_SECTIONS)
    for key in sorted(set(doc) - known):
        problems.append(f"unknown key {key}")
    clock = doc.get("clock_minutes", 0)
    if isinstance(clock, bool) or (isinstance(clock, int) and not 0 <= clock <= MAX_CLOCK_MINUTES):
        problems.append(f"clock_minutes must be a whole number from 0 to {MAX_CLOCK_MINUTES}")
    if problems:
        raise SaveError(path, "is not a valid save: " + "; ".join(problems))
    if not all(isinstance(t, str) for t in doc["teams"]):
        raise SaveError(path, "is not a valid save: teams must be a list of strings")
    try:
        _parse_time(doc["created"]), _parse_time(doc["updated"])
    except ValueError:
        raise SaveError(path, "is not a valid save: created and updated must be ISO times") from None
    if not _GAME_ID.match(doc["game_id"]):
        raise SaveError(path, f"is not a valid save: bad game_id {doc['game_id']!r}")


def _structure(path: Path, value: Any, cls: Any, where: str) -> Any:
    try:
        return converter.structure(value, cls)
    except Exception as exc:  # noqa: BLE001 - every structuring failure becomes one message
        lines = error_lines(exc, where)
        raise SaveError(path, f"has a malformed {where.split('.')[0].split('[')[0]}: " + "; ".join(lines[:5])) from None


# The [scenario] section is over half of every save and the same in all saves of a scenario,
# so its parse, and the Scenario built from it, are kept by the sha256 of its text: checking
# a folder of simulated games, or listing then loading, parses it once.
_SCENARIO_HEADER = "\n[scenario]\n"


@attrs.define
class _ScenarioEntry:
    table: dict
    scenario: Optional[Scenario] = None


_parsed_scenarios: dict[bytes, _ScenarioEntry] = {}


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
            doc = tomllib.loads(head)
            entry = _parsed_scenarios.get(key)
            if entry is None:
                part = tomllib.loads(tail)
                if list(part) == ["scenario"] and isinstance(part["scenario"], dict):
                    entry = _ScenarioEntry(part["scenario"])
                    if len(_parsed_scenarios) >= 8:
                        _parsed_scenarios.clear()
                    _parsed_scenarios[key] = entry
            if entry is not None and "scenario" not in doc:
                doc["scenario"] = entry.table
                return doc, entry
        except tomllib.TOMLDecodeError:
            pass
    return _parse(path, text, " (cut short, or not a save file?)"), None


def _read_document(path: Path) -> tuple[dict, Optional[_ScenarioEntry]]:
    """Parse, check the version and the integrity hash, and migrate; no replay yet.

    The cache entry comes back only while `doc["scenario"]` is still its table (no migration).
    """
    doc, entry = _parse_document(path, _read_text(path))
    doc = _read_parsed(path, doc)
    return doc, entry if entry is not None and doc["scenario"] is entry.table else None


def _read_parsed(path: Path, doc: dict) -> dict:
    version = _check_version(path, doc)
    expected = doc.get("integrity")
    if not isinstance(expected, str):
        raise SaveError(path, "is not a valid save: required key integrity is missing")
    try:
        actual = integrity_of(doc)
    except ValueError:  # nan or inf: never written by wargame
        actual = None
    if actual != expected:
        raise SaveError(path, "failed its integrity check: the file was edited or damaged after it was saved")
    return _migrate(path, doc, version)


def load_save(path: Path) -> LoadedSave:
    """Read a save, replay its action log from its own scenario and setup, and compare with the snapshot.

    Raises SaveError naming the file and the problem; the file is opened read-only.
    """
    path = Path(path)
    doc, entry = _read_document(path)
    _check_header(path, doc)

    scenario_table = doc["scenario"]
    if not isinstance(scenario_table, dict):
        raise SaveError(path, "is not a valid save: [scenario] must be a table")
    if entry is not None and entry.scenario is not None:
        scenario = attrs.evolve(entry.scenario, path=str(path))
    else:
        scenario = _structure(path, {**scenario_table, "path": str(path)}, Scenario, "scenario")
        if entry is not None:
            entry.scenario = scenario
    setup = _setup_from_checked(path, doc["setup"])
    if not isinstance(doc["actions"], list):
        raise SaveError(path, "is not a valid save: actions must be an array of tables")
    actions = _structure(path, doc["actions"], save_actions.ACTIONS, "actions")
    if setup.scenario_id != scenario.id:
        raise SaveError(path, f"is inconsistent: the setup is for scenario {setup.scenario_id!r}, the save holds {scenario.id!r}")
    _check_setup(path, scenario, setup)

    state = _replay(path, scenario, setup, actions)

    snapshot = doc["snapshot"]
    expected = save_actions.unchecked(snapshot, state_table(state))
    if snapshot != expected:
        fields = sorted(k for k in set(snapshot) | set(expected) if snapshot.get(k) != expected.get(k)) if isinstance(snapshot, dict) else ["snapshot"]
        raise SaveError(path, f"does not match its own action log: replaying it gives a different {', '.join(fields)}")
    summary = _summary(state, scenario)
    wrong = [k for k in ("scenario_id", "scenario_title", "round", "phase", "outcome", "teams") if doc.get(k) != summary.get(k)]
    if wrong:
        raise SaveError(path, f"does not match its own action log: the header's {', '.join(wrong)} differ from the replay")
    return LoadedSave(
        state=state,
        game_id=doc["game_id"],
        name=doc.get("name"),
        created=_parse_time(doc["created"]),
        updated=_parse_time(doc["updated"]),
        path=path,
        notes=doc.get("notes", ""),
        app_version=doc["app_version"],
        format_version=doc["format_version"],
        clock_minutes=doc.get("clock_minutes", 0),
    )


def _setup_from_checked(path: Path, table: Any) -> Setup:
    try:
        return _setup_from(table)
    except Exception as exc:  # noqa: BLE001
        raise SaveError(path, "has a malformed setup: " + "; ".join(error_lines(exc, "setup")[:5])) from None


def _check_setup(path: Path, scenario: Scenario, setup: Setup) -> None:
    """Every setup comes from make_setup, so it must be what make_setup makes of its own choices;
    this also bounds the rounds a replay may run."""
    from .engine import SetupError, make_setup

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
        )
    except SetupError as exc:
        raise SaveError(path, f"has an invalid setup: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a forged scenario must not crash the app
        raise SaveError(path, f"has an invalid setup ({type(exc).__name__}: {exc})") from None
    if again != setup:
        raise SaveError(path, "has an invalid setup: it is not one this scenario allows")


def _replay(path: Path, scenario: Scenario, setup: Setup, actions: list[Action]) -> GameState:
    """engine.replay, one action at a time so a refusal can say which action failed."""
    from .engine import IllegalAction, apply_action, new_game

    try:
        state = new_game(scenario, setup)
    except Exception as exc:  # noqa: BLE001 - a forged setup or scenario must not crash the app
        raise SaveError(path, f"cannot be replayed: the game cannot be set up ({type(exc).__name__}: {exc})") from None
    for i, action in enumerate(actions, 1):
        try:
            state = apply_action(state, action)
        except IllegalAction as exc:
            who = action.delegation or "the facilitator"
            raise SaveError(path, f"cannot be replayed: action {i} of {len(actions)} ({action.kind} by {who}) is illegal: {exc}") from None
        except Exception as exc:  # noqa: BLE001
            raise SaveError(path, f"cannot be replayed: action {i} of {len(actions)} fails ({type(exc).__name__}: {exc})") from None
    return state


def check_save(path: Path) -> dict:
    """`wargame check SAVE`: load and verify, as a JSON-ready dict."""
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
    )
    return result


# --- listing -------------------------------------------------------------------------------

_FIRST_TABLE = re.compile(r"^\[", re.M)


def _header_of(path: Path) -> dict:
    """The header keys only: the text before the first table, parsed alone (fast: no scenario)."""
    text = _read_text(path)
    m = _FIRST_TABLE.search(text)
    head = _parse(path, text[: m.start()] if m else text)
    _check_version(path, head)
    missing = [k for k in _HEADER_REQUIRED if k not in head]
    if missing:
        raise SaveError(path, f"is not a valid save: missing {', '.join(missing)}")
    return head


def _mtime(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    except OSError:
        return datetime.fromtimestamp(0, timezone.utc)


def read_info(path: Path, *, verify: bool = False) -> SaveInfo:
    """A SaveInfo for one file; never raises. `verify` also parses the whole file and checks
    its integrity hash (slower; still no replay)."""
    path = Path(path)
    autosave_file = path.name.startswith("autosave-")
    try:
        if verify:
            head, _ = _read_document(path)
            _check_header(path, head)
        else:
            head = _header_of(path)
        teams = head["teams"]
        return SaveInfo(
            path=path,
            name=str(head.get("name") or path.stem),
            updated=_parse_time(head["updated"]),
            game_id=str(head["game_id"]),
            scenario_id=str(head["scenario_id"]),
            scenario_title=str(head["scenario_title"]),
            round=head["round"] if isinstance(head["round"], int) else None,
            phase=str(head["phase"]),
            outcome=head.get("outcome") if isinstance(head.get("outcome"), str) else None,
            teams=tuple(str(t) for t in teams) if isinstance(teams, list) else (),
            created=_parse_time(head["created"]),
            autosave=autosave_file,
        )
    except SaveError as exc:
        return SaveInfo(path=path, name=path.stem, updated=_mtime(path), autosave=autosave_file, problem=exc.problem)
    except Exception as exc:  # noqa: BLE001 - a listing shows a damaged file, it never stops at one
        return SaveInfo(path=path, name=path.stem, updated=_mtime(path), autosave=autosave_file, problem=f"is not a valid save ({exc})")


def list_saves(saves_dir: Path, *, verify: bool = False) -> list[SaveInfo]:
    """Every `*.toml` in the folder, newest first, from headers only; unreadable files are
    listed as damaged. Temp files of interrupted writes (dot files) are not saves."""
    saves_dir = Path(saves_dir)
    if not saves_dir.is_dir():
        return []
    infos = [
        read_info(p, verify=verify)
        for p in saves_dir.iterdir()
        if p.name.endswith(SUFFIX) and not p.name.startswith(".") and p.is_file()
    ]
    infos.sort(key=lambda i: (i.updated, i.path.name), reverse=True)
    return infos


def _when(dt: datetime) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _teams_cell(teams: tuple[str, ...]) -> str:
    """Human teams by name, bots counted: the list is for telling games apart."""
    humans = [t for t in teams if not re.search(r": bot \([^)]*\)$", t)]
    bots = len(teams) - len(humans)
    if not humans:
        return f"bots only ({bots})"
    return ", ".join(humans) + (f" + {bots} bot{'s' if bots != 1 else ''}" if bots else "")


def cmd_saves(saves_dir: Path) -> int:
    """`wargame saves`: the saves folder as a table, newest first."""
    saves_dir = Path(saves_dir)
    infos = list_saves(saves_dir)
    if not infos:
        print(f"No saves in {saves_dir}")
        return 0
    rows = [("SAVE", "SCENARIO", "ROUND", "TEAMS", "UPDATED")]
    for i in infos:
        if i.damaged:
            rows.append((i.path.stem, "damaged", "", _clip(i.problem or "", 60), _when(i.updated)))
            continue
        where = f"{i.round}" + (f" ({i.outcome})" if i.outcome else "")
        rows.append((_clip(i.path.stem, 40), _clip(i.scenario_title, 30), where, _clip(_teams_cell(i.teams), 60), _when(i.updated)))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    print(f"Saves in {saves_dir}, newest first:")
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    return 0


def resolve_save(text: str, saves_dir: Path) -> Path:
    """`wargame load NAME`: a path to a file, else a save's file name (with or without .toml),
    display name or game id in the saves folder (the newest save of that game)."""
    saves_dir = Path(saves_dir)
    if not text.strip():
        raise SaveError(repr(text), "no such save: give a save file or a name from `wargame saves`")
    given = Path(text)
    if given.is_file():
        return given
    if given.is_dir():
        raise SaveError(text, "is a folder, not a save file")
    if "/" not in text and "\\" not in text and not text.startswith("."):
        candidates = [saves_dir / text, saves_dir / f"{text}{SUFFIX}"]
        try:
            candidates.append(saves_dir / f"{sanitize_name(text)}{SUFFIX}")
        except SaveError:
            pass
        for c in candidates:
            if c.is_file() and not c.name.startswith("."):
                return c
        for info in list_saves(saves_dir):
            if not info.damaged and (info.game_id == text or info.name == text):
                return info.path
    raise SaveError(text, f"no such save file, and no save of that name in {saves_dir} (`wargame saves` lists them)")
