"""A cache of checked scenarios, so a game starts without reading its decks again.

Reading the decks (TOML, the strict converter, every cross-check) is the
largest part of wargame's own start-up. A scenario that passed every check is
kept as a pickle under a key made of the bytes of every deck file, the
folder's path, the Python and attrs versions and the source of the modules
that define and check a scenario: a change to any of them gives a new key, so
an edited deck is always read afresh. Only scenarios that loaded without a problem are
kept, so every error is still reported from the decks themselves.

The cache is a convenience, never a source of truth: a file that cannot be
read, written or trusted (not the user's own, writable by others) is ignored
and the decks are read as usual. `wargame check` never uses it.

Where: `$WARGAME_CACHE`, else `$XDG_CACHE_HOME/wargame`, else `~/.cache/wargame`.
`WARGAME_CACHE=off` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Iterable, Optional

from .model import Scenario

KEEP = 8  # newest cache files kept; a trainer switching between a few decks keeps them all
SUFFIX = ".scenario.json"
FORMAT = 1  # the layout of a cache file; part of the key too, through this module's source
MAX_BYTES = 4 * 1024 * 1024  # the built-in decks take ~120 KB; anything far larger is not ours


def cache_dir() -> Optional[Path]:
    """The folder of the cache, or None when it is turned off."""
    setting = os.environ.get("WARGAME_CACHE", "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg:
        return Path(xdg) / "wargame"
    try:
        return Path.home() / ".cache" / "wargame"
    except (RuntimeError, KeyError):  # no home folder to be found: no cache
        return None


def key(folder: Path, deck_files: Iterable[str]) -> Optional[str]:
    """The cache key of a scenario folder; None when a deck file cannot be read."""
    h = hashlib.sha256()
    h.update(sys.version.encode())
    h.update(str(folder).encode())
    here = Path(__file__).resolve().parent
    try:
        for module in ("model.py", "scenario.py", "convert.py", "scenario_cache.py"):
            h.update((here / module).read_bytes())
        for name in deck_files:
            path = folder / name
            h.update(b"\0" + name.encode() + b"\0")
            if path.is_file():
                h.update(path.read_bytes())
            else:
                h.update(b"missing")
    except OSError:
        return None
    return h.hexdigest()[:32]


def get(folder: Path, cache_key: str) -> Optional[Scenario]:
    """The cached scenario under `cache_key`, or None (nothing there, or nothing to trust)."""
    where = cache_dir()
    if where is None:
        return None
    data = _read_own_file(where / (cache_key + SUFFIX))
    if data is None:
        return None
    try:
        document = json.loads(data)
        if not isinstance(document, dict) or document.get("format") != FORMAT or set(document) != {"format", "scenario"}:
            return None
        from .convert import converter
        from .scenario import check_structured

        scenario = converter.structure(document["scenario"], Scenario)
        if scenario.path != str(folder) or check_structured(scenario):
            return None
    except Exception:  # noqa: BLE001 - a damaged or foreign cache file only means reading the decks
        return None
    return scenario


def _read_own_file(path: Path) -> Optional[bytes]:
    """The bytes of `path` if it is a regular file of the user's own that no one else can write."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:  # missing, a symlink (ELOOP), unreadable
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def put(cache_key: str, scenario: Scenario) -> None:
    """Keep `scenario` under `cache_key`; failures are ignored (the cache is optional)."""
    where = cache_dir()
    if where is None:
        return
    import tempfile

    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Renamed into place, so a reader never sees half a file; not fsynced: a cache file
        # lost in a crash is only read from the decks again.
        fd, tmp = tempfile.mkstemp(prefix=".scenario.", suffix=".tmp", dir=where)
        from .convert import converter

        document = {"format": FORMAT, "scenario": converter.unstructure(scenario)}
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(document, f, ensure_ascii=False, separators=(",", ":"))
            os.chmod(tmp, 0o644)
            os.replace(tmp, where / (cache_key + SUFFIX))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(where)
    except Exception:  # noqa: BLE001 - a read-only home or a full disk must not stop a game
        return


def _prune(where: Path) -> None:
    files = sorted(where.glob("*" + SUFFIX), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
