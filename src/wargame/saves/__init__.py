"""Saved games: one self-contained TOML file each, trusted only after a replay.

A workshop stops for lunch and resumes next week on another laptop, perhaps
after a trainer has edited `decks/`. So a save carries everything the game
needs: the scenario's content (not a path to it), the setup, the complete
action log and a snapshot of the state. Three modules, one job each:

- `document`: what a file holds, built from a game, and its integrity values
  (`signing`: this installation's key and the HMAC over a document);
- `verify`: reading a file back: version, migration, the `SaveHeader`, the
  embedded scenario's deck checks, and the replay that must match the snapshot;
- `folder`: the saves folder: names, writing, autosave rotation, listing,
  `wargame saves` and finding the save `wargame load NAME` means (`place`:
  making the folder, checking it takes a file, clearing stale temp files;
  `errors`: `SaveError`; both light, for every start).
"""

import importlib
from typing import TYPE_CHECKING, Any

# Each name is imported from its module when first asked for (PEP 562): a game checks its
# saves folder (`place`) at every start, and should not load the save format for it.
_WHERE = {
    "DATA_ENV": "signing",
    "FORMAT_VERSION": "document",
    "KEEP_AUTOSAVES": "folder",
    "LoadedSave": "verify",
    "MAX_CLOCK_MINUTES": "document",
    "MAX_DISPLAY_NAME": "document",
    "MAX_NAME_LENGTH": "folder",
    "MAX_SAVE_BYTES": "verify",
    "MIGRATIONS": "verify",
    "SUFFIX": "document",
    "SaveError": "errors",
    "SaveHeader": "verify",
    "SaveInfo": "folder",
    "autosave": "folder",
    "build_document": "document",
    "check_save": "verify",
    "clean_saves_folder": "place",
    "cmd_saves": "folder",
    "data_dir": "signing",
    "installation_key": "signing",
    "integrity_of": "document",
    "list_saves": "folder",
    "load_save": "verify",
    "new_game_id": "folder",
    "read_info": "folder",
    "resolve_save": "folder",
    "sanitize_name": "folder",
    "save_game": "folder",
    "state_from": "document",
    "state_table": "document",
    "write_save": "folder",
}
_MODULES = ("document", "errors", "folder", "place", "signing", "verify")


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE, *_MODULES})


if TYPE_CHECKING:
    from .document import (
        FORMAT_VERSION,
        MAX_CLOCK_MINUTES,
        MAX_DISPLAY_NAME,
        SUFFIX,
        build_document,
        integrity_of,
        state_from,
        state_table,
    )
    from .folder import (
        KEEP_AUTOSAVES,
        MAX_NAME_LENGTH,
        SaveInfo,
        autosave,
        cmd_saves,
        list_saves,
        new_game_id,
        read_info,
        resolve_save,
        sanitize_name,
        save_game,
        write_save,
    )
    from .errors import SaveError
    from .place import clean_saves_folder
    from .signing import DATA_ENV, data_dir, installation_key
    from .verify import MAX_SAVE_BYTES, MIGRATIONS, LoadedSave, SaveHeader, check_save, load_save


__all__ = [
    "DATA_ENV",
    "FORMAT_VERSION",
    "KEEP_AUTOSAVES",
    "MAX_CLOCK_MINUTES",
    "MAX_DISPLAY_NAME",
    "MAX_NAME_LENGTH",
    "MAX_SAVE_BYTES",
    "MIGRATIONS",
    "SUFFIX",
    "LoadedSave",
    "SaveError",
    "SaveHeader",
    "SaveInfo",
    "autosave",
    "build_document",
    "check_save",
    "clean_saves_folder",
    "cmd_saves",
    "data_dir",
    "installation_key",
    "integrity_of",
    "list_saves",
    "load_save",
    "new_game_id",
    "read_info",
    "resolve_save",
    "sanitize_name",
    "save_game",
    "state_from",
    "state_table",
    "write_save",
]
