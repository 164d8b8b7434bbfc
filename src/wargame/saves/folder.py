"""The saves folder: file names, writing, autosave rotation, listing and finding a save.

Manual saves are named after the user's text, sanitized; a manual save never
overwrites a save of another game (or an unreadable file): the user is asked
for another name instead. Autosaves are `autosave-<game>-r<round>-<n>.toml`,
marked `autosave = true` inside; the last `KEEP_AUTOSAVES` of each game are
kept, and rotation deletes only files that are verified autosaves of the same
game written by this installation, never a damaged file or a manual save that
merely looks like one. Writes are atomic (temp file in the same folder, fsync,
rename); temp files a crash left behind are removed at start
(`remove_stale_temp_files`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import attrs

from ..atomic import atomic_write
from ..model import GameState
from ..text import clip
from .document import SUFFIX, build_document, iso, setup_from
from .errors import SaveError
from .place import ensure_folder
from .signing import installation_key
from .verify import GAME_ID, _parse_document, check_version, parse, read_document, read_header, read_text

KEEP_AUTOSAVES = 3
MAX_NAME_LENGTH = 60  # characters of a file name made from a user's text
AUTOSAVE_PREFIX = "autosave-"
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


@attrs.frozen
class SaveInfo:
    """One line of the saves list, read from a file's header without replaying it.

    `problem` is set (and most other fields empty) when the header cannot be read.
    `autosave` is what the header says (only a verified read can tell it was not edited);
    `signed` is known only after a verified read.
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
    # (delegation name, team) for each seat a team plays; None when the file cannot tell
    human_teams: Optional[tuple[tuple[str, str], ...]] = None
    created: Optional[datetime] = None
    autosave: bool = False
    problem: Optional[str] = None
    signed: bool = False

    @property
    def damaged(self) -> bool:
        return self.problem is not None


# --- writing -------------------------------------------------------------------------------


def new_game_id() -> str:
    """A short random id naming one game across all its saves (not from the game's generator:
    it is not part of the game and must differ between two games with the same seed)."""
    return os.urandom(5).hex()  # what secrets.token_hex(5) gives, without importing secrets (hmac, random)


def _check_game_id(game_id: Any, path: Any) -> None:
    if not isinstance(game_id, str) or not GAME_ID.match(game_id):
        raise SaveError(path, f"invalid game id {game_id!r} (letters, digits, - and _ only)")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError as exc:  # a name too long, a folder we may not enter
        raise SaveError(path, f"cannot be used: {exc.strerror or exc}") from None


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
    autosave: bool = False,
) -> Path:
    """Write `state` as a save at `path`, atomically; the folder is created if missing.

    `created` defaults to the created time of the file being replaced when it is a save of
    the same game, else to now.
    """
    path = Path(path)
    _check_game_id(game_id, path)
    ensure_folder(path.parent)
    created_text = iso(created) if created else None
    if created_text is None and _is_file(path):
        info = read_info(path)
        if not info.damaged and info.game_id == game_id and info.created:
            created_text = iso(info.created)
    try:
        _, text = build_document(
            state, game_id=game_id, name=name, notes=notes, created=created_text, updated=iso(updated) if updated else None,
            clock_minutes=clock_minutes, autosave=autosave,
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
    saves folder, never starts with a dot and never contains "..". A name that would
    look like an autosave gets a "save-" prefix. Raises SaveError when nothing usable is left.
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
    if s.split(".")[0].upper() in _WINDOWS_RESERVED or s.lower().startswith(AUTOSAVE_PREFIX):
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
    if path.exists() or path.is_symlink():
        info = read_info(path, verify=True)
        if info.damaged or not path.is_file() or path.is_symlink():
            raise SaveError(path, "already exists and is not a readable save; choose another name")
        if info.game_id != game_id:
            raise SaveError(path, f"a save named {stem!r} already holds another game; choose another name")
    return write_save(state, path, game_id=game_id, name=name if name and name.strip() else None, notes=notes,
                      clock_minutes=clock_minutes)


def _autosave_pattern(game_id: str) -> re.Pattern:
    return re.compile(rf"^{AUTOSAVE_PREFIX}{re.escape(game_id)}-r(\d+)-(\d+){re.escape(SUFFIX)}$")


def _ours_to_rotate(path: Path, game_id: str, key_exists: bool) -> bool:
    """A file rotation may delete: a regular file that verifies, is an autosave of this game
    by its own header, and was signed by this installation (when it has a key)."""
    if path.is_symlink() or not path.is_file():
        return False
    info = read_info(path, verify=True)
    return not info.damaged and info.autosave and info.game_id == game_id and (info.signed or not key_exists)


def autosave(
    state: GameState, saves_dir: Path, *, game_id: str, name: Optional[str] = None, notes: str = "", clock_minutes: int = 0
) -> Path:
    """Write `autosave-<game id>-r<round>-<n>.toml` and keep the last `KEEP_AUTOSAVES` of this game."""
    saves_dir = Path(saves_dir)
    _check_game_id(game_id, saves_dir)
    ensure_folder(saves_dir)
    pattern = _autosave_pattern(game_id)
    existing = []
    try:
        names = [p for p in saves_dir.iterdir()]
    except OSError as exc:
        raise SaveError(saves_dir, f"cannot be read: {exc.strerror or exc}") from None
    for p in names:
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
    path = write_save(state, saves_dir / f"{AUTOSAVE_PREFIX}{game_id}-r{state.round}-{n}{SUFFIX}", game_id=game_id, name=name,
                      notes=notes, created=created, clock_minutes=clock_minutes, autosave=True)
    key_exists = installation_key(create=False) is not None
    for _, old in existing[: max(0, len(existing) + 1 - KEEP_AUTOSAVES)]:
        if _ours_to_rotate(old, game_id, key_exists):
            try:
                old.unlink()
            except OSError:
                pass
    return path


# --- listing -------------------------------------------------------------------------------

_FIRST_TABLE = re.compile(r"^\[", re.M)


def _header_of(path: Path):
    """The header keys only: the text before the first table, parsed alone (fast: no scenario)."""
    text = read_text(path)
    m = _FIRST_TABLE.search(text)
    head = parse(path, text[: m.start()] if m else text)
    check_version(path, head)
    return read_header(path, head, sections=False)


def _mtime(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
    except OSError:
        return datetime.fromtimestamp(0, timezone.utc)


def read_info(path: Path, *, verify: bool = False) -> SaveInfo:
    """A SaveInfo for one file; never raises. `verify` also parses the whole file and checks
    its integrity hash and signature (slower; still no replay)."""
    path = Path(path)
    signed = False
    try:
        doc = None
        if verify:
            doc, _, signed = read_document(path)
            head = read_header(path, doc)
        else:
            head = _header_of(path)
        humans = head.human_teams
        if humans is None:  # a save from before the header held them: read them from its [setup]
            humans = _human_teams_of(path, doc)
        return SaveInfo(
            path=path,
            name=str(head.name or path.stem),
            updated=head.updated_at,
            game_id=head.game_id,
            scenario_id=head.scenario_id,
            scenario_title=head.scenario_title,
            round=head.round,
            phase=head.phase,
            outcome=head.outcome,
            teams=head.teams,
            human_teams=humans,
            created=head.created_at,
            autosave=head.autosave,
            signed=signed,
        )
    except SaveError as exc:
        return SaveInfo(path=path, name=path.stem, updated=_mtime(path), problem=exc.problem)
    except Exception as exc:  # noqa: BLE001 - a listing shows a damaged file, it never stops at one
        return SaveInfo(path=path, name=path.stem, updated=_mtime(path), problem=f"is not a valid save ({type(exc).__name__})")


def list_saves(saves_dir: Path, *, verify: bool = False) -> list[SaveInfo]:
    """Every `*.toml` in the folder, newest first, from headers only; unreadable files are
    listed as damaged. Temp files of interrupted writes (dot files) are not saves. A folder
    that is missing or cannot be read lists nothing (`cmd_saves` says why)."""
    saves_dir = Path(saves_dir)
    try:
        paths = [p for p in saves_dir.iterdir() if p.name.endswith(SUFFIX) and not p.name.startswith(".") and p.is_file()]
    except OSError:
        return []
    infos = [read_info(p, verify=verify) for p in paths]
    infos.sort(key=lambda i: (i.updated, i.path.name), reverse=True)
    return infos


def _when(dt: datetime) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def _human_teams_of(path: Path, doc: Optional[dict]) -> Optional[tuple[tuple[str, str], ...]]:
    """(delegation name, team) for each seat a team plays, from the [setup] and [scenario]
    sections of a save whose header does not list them; None when the file cannot tell."""
    try:
        if doc is None:
            doc, _ = _parse_document(path, read_text(path))
        setup = setup_from(doc["setup"])
        names = {d["id"]: d["name"] for d in doc["scenario"]["delegations"]}
        return tuple((names.get(d, d), setup.humans[d]) for d in setup.delegations if d in setup.humans)
    except Exception:  # noqa: BLE001 - a listing shows what it can; a load says what is wrong
        return None


def teams_cell(seats: int, human_teams: Optional[tuple[tuple[str, str], ...]]) -> str:
    """Human teams by name, bots counted: the list is for telling games apart.

    `seats` is how many delegations are in the game, `human_teams` the (delegation name,
    team) of each seat a team plays (None: unknown, and only the seats are counted)."""
    if human_teams is None:
        return f"{seats} delegation{'s' if seats != 1 else ''}"
    bots = seats - len(human_teams)
    if not human_teams:
        return f"bots only ({bots})"
    named = ", ".join(f"{name}: {team}" for name, team in human_teams)
    return named + (f" + {bots} bot{'s' if bots != 1 else ''}" if bots else "")


def _readable_folder(saves_dir: Path) -> bool:
    """False for a missing folder; SaveError for one that is a file or cannot be read."""
    try:
        if not saves_dir.exists():
            return False
        if not saves_dir.is_dir():
            raise SaveError(saves_dir, "is not a folder (give the saves folder with --saves-dir)")
        next(iter(saves_dir.iterdir()), None)
    except OSError as exc:
        raise SaveError(saves_dir, f"cannot be read: {exc.strerror or exc}") from None
    return True


def cmd_saves(saves_dir: Path) -> int:
    """`wargame saves`: the saves folder as a table, newest first."""
    saves_dir = Path(saves_dir)
    infos = list_saves(saves_dir) if _readable_folder(saves_dir) else []
    if not infos:
        print(f"No saves in {saves_dir}")
        return 0
    rows = [("SAVE", "SCENARIO", "ROUND", "TEAMS", "UPDATED")]
    for i in infos:
        if i.damaged:
            rows.append((i.path.stem, "damaged", "", clip(i.problem or "", 60), _when(i.updated)))
            continue
        where = f"{i.round}" + (f" ({i.outcome})" if i.outcome else "")
        rows.append((clip(i.path.stem, 40), clip(i.scenario_title, 30), where, clip(teams_cell(len(i.teams), i.human_teams), 60), _when(i.updated)))
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
    try:
        if given.is_file():
            return given
        if given.is_dir():
            raise SaveError(text, "is a folder, not a save file")
    except OSError as exc:
        raise SaveError(text, f"cannot be read: {exc.strerror or exc}") from None
    if "/" not in text and "\\" not in text and not text.startswith("."):
        candidates = [saves_dir / text, saves_dir / f"{text}{SUFFIX}"]
        try:
            candidates.append(saves_dir / f"{sanitize_name(text)}{SUFFIX}")
        except SaveError:
            pass
        for c in candidates:
            try:
                if c.is_file() and not c.name.startswith("."):
                    return c
            except OSError:
                continue
        for info in list_saves(saves_dir):
            if not info.damaged and (info.game_id == text or info.name == text):
                return info.path
    raise SaveError(text, f"no such save file, and no save of that name in {saves_dir} (`wargame saves` lists them)")
