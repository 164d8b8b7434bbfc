"""Atomic file writes: a crash leaves either the old file or the new one, whole."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; not every system lets a folder be opened (Windows)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


TEMP_SUFFIX = ".tmp"
# `.<target name>.<8 random characters>.tmp`: what `atomic_write` leaves if killed mid-write.
TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.[A-Za-z0-9_]{8}\.tmp$")


_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _temp_file(folder: Path, prefix: str) -> tuple[int, str]:
    """`tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=folder)`: a new file only this
    user may read (0600), opened exclusively, its name 8 random hex characters after `prefix`.
    Without tempfile, whose imports (shutil, random, bz2...) were a tenth of a first save."""
    for _ in range(100):
        name = os.path.join(folder, f"{prefix}{os.urandom(4).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(name, _TEMP_FLAGS, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644, replace: bool = True) -> None:
    """Write `data` to `path` so that a crash leaves either the old file or the new one, whole.

    The temp file starts with a dot and ends in .tmp, so a crash that leaves it behind
    never makes it look like a save. With `replace=False` an existing file is never
    replaced, even one that appears during the write: FileExistsError instead.
    """
    path = Path(path)
    folder = path.parent
    fd, tmp = _temp_file(folder, f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the name is taken: no check-then-write race
            os.unlink(tmp)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def remove_stale_temp_files(folder: Path, *, older_than: float = 3600.0) -> list[Path]:
    """Delete temp files a crashed `atomic_write` left in `folder`; returns what was removed.

    Only names `atomic_write` makes, only regular files (never a symlink) owned by this
    user, and only ones untouched for `older_than` seconds, so a write under way in
    another process is never cut short. Errors are ignored: this is housekeeping.
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not TEMP_NAME.match(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if not entry.is_file(follow_symlinks=False) or now - st.st_mtime < older_than:
                continue
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed
