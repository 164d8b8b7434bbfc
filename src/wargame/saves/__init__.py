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
  `wargame saves` and finding the save `wargame load NAME` means.
"""

from .document import (
    FORMAT_VERSION,
    MAX_CLOCK_MINUTES,
    MAX_DISPLAY_NAME,
    SUFFIX,
    SaveError,
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
    clean_saves_folder,
    cmd_saves,
    list_saves,
    new_game_id,
    read_info,
    resolve_save,
    sanitize_name,
    save_game,
    write_save,
)
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
