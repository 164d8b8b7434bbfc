"""The saves folder on disk, before any save is read or written: made, checked for writing,
cleared of temp files that interrupted writes left. Light on purpose: a game checks its
folder at every start, before its first frame, and needs nothing of the save format for it."""

from __future__ import annotations

from pathlib import Path

from ..atomic import remove_stale_temp_files
from .errors import SaveError


def ensure_folder(folder: Path, what: str = "saves folder") -> None:
    """Create `folder` if missing; SaveError if it cannot be, or if a file is in its way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        is_dir = folder.is_dir()
    except FileExistsError:
        raise SaveError(folder, f"cannot be the {what}: it is a file") from None
    except NotADirectoryError:
        raise SaveError(folder, f"cannot be the {what}: part of its path is a file, not a folder") from None
    except OSError as exc:
        raise SaveError(folder, f"cannot create the {what}: {exc.strerror or exc}") from None
    if not is_dir:
        raise SaveError(folder, f"cannot be the {what}: it is not a folder")


def ensure_writable_folder(folder: Path, what: str = "saves folder") -> None:
    """`ensure_folder`, and a probe write: a folder we may not write to is refused up front."""
    import os
    import tempfile

    ensure_folder(folder, what)
    try:
        fd, probe = tempfile.mkstemp(prefix=".wargame-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise SaveError(folder, f"cannot be the {what}: {exc.strerror or exc}") from None


def clean_saves_folder(saves_dir: Path) -> list[Path]:
    """At start: remove temp files of interrupted writes (only ours, only old ones)."""
    return remove_stale_temp_files(Path(saves_dir))
