"""This installation's key, and the HMAC that says "this save was written here".

The plain `integrity` hash of a save catches damage and casual edits, but anyone
can recompute it. The `signature` is an HMAC-SHA256 under a key that only this
installation holds (a file in the user's data folder, 0600), so an edited save
no longer passes as one written here. A save from another laptop has another
key: it still loads, verified by a full replay, and is shown as "not signed here".
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Optional

from ..atomic import atomic_write

DATA_ENV = "WARGAME_DATA"  # overrides the data folder (tests, portable installs)
KEY_FILE = "save-key"
SIGNATURE_PREFIX = "hmac-sha256:"
_KEY_BYTES = 32


def data_dir() -> Path:
    """`$WARGAME_DATA`, else `$XDG_DATA_HOME/wargame`, else `~/.local/share/wargame`."""
    given = os.environ.get(DATA_ENV)
    if given:
        return Path(given)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "wargame"


def _read_key(path: Path) -> Optional[bytes]:
    try:
        if path.is_symlink() or not path.is_file():
            return None
        text = path.read_text("ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError):
        return None
    return key if len(key) == _KEY_BYTES else None


def installation_key(*, create: bool) -> Optional[bytes]:
    """The key of this installation; with `create`, made on first use (0600, written atomically).

    None when there is no key (and `create` is False) or the data folder cannot hold one:
    saves are then written unsigned, and every save loads as "not signed here".
    """
    folder = data_dir()
    path = folder / KEY_FILE
    key = _read_key(path)
    if key is not None or not create:
        return key
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, os.urandom(_KEY_BYTES).hex().encode("ascii") + b"\n", mode=0o600, replace=False)
    except FileExistsError:
        pass  # another process made it first: use theirs
    except OSError:
        return None
    return _read_key(path)


def signature_of(body: bytes, key: bytes) -> str:
    return SIGNATURE_PREFIX + hmac.new(key, body, hashlib.sha256).hexdigest()


def signed_here(body: bytes, signature: object) -> bool:
    """Whether `signature` is this installation's HMAC of `body` (compared in constant time)."""
    if not isinstance(signature, str):
        return False
    key = installation_key(create=False)
    return key is not None and hmac.compare_digest(signature_of(body, key), signature)
