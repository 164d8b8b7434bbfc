"""`wargame report SAVE [--format md|html] [--output FILE]`, and writing a report safely.

A report never replaces a save, never writes through a symlink or to anything
but a regular file, and replaces an existing report only with `--force`.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from ..atomic import atomic_write
from ..errors import UserError

FORMATS = ("md", "html")


def default_report_path(save_path: Path, fmt: str = "md") -> Path:
    """Where the report of a save goes by default: next to it, `NAME.report.md` (or `.report.html`)."""
    save_path = Path(save_path)
    return save_path.with_name(f"{save_path.stem}.report.{fmt}")


def _looks_like_save(path: Path) -> bool:
    """Whether a file is, or was, a wargame save: a report must never replace one.

    A damaged save may not parse, so a file whose start names a save format counts too.
    """
    import tomllib

    try:
        with open(path, "rb") as f:
            data = f.read(64 * 1024 * 1024)
    except OSError:
        return False
    if b"format_version" in data[:4096]:
        return True
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return False
    return "integrity" in doc or "snapshot" in doc


def _check_output(path: Path, force: bool = False) -> None:
    """Refuse any --output a report must not be written to; `force` allows replacing a report."""
    try:
        if path.is_symlink():
            raise UserError(f"{path} is a symbolic link; a report is never written through one (give another file name)")
        if path.is_dir():
            raise UserError(f"{path} is a folder; give a file name for the report, like {path / 'report.md'}")
        parent = path.parent
        if not parent.exists():
            raise UserError(f"cannot write {path}: the folder {parent} does not exist")
        if not parent.is_dir():
            raise UserError(f"cannot write {path}: {parent} is not a folder")
        if path.exists():
            if not path.is_file():
                raise UserError(f"{path} is not a regular file (a device, a pipe or a socket); a report is never written to one")
            if _looks_like_save(path):
                raise UserError(f"{path} is a saved game; a report never replaces a save (give another file name)")
            if not force:
                raise UserError(f"{path} already exists; add --force to replace it")
    except OSError as exc:  # a name too long, a folder we may not enter
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_report(text: str, path: Path, *, force: bool = False) -> Path:
    """Write a report atomically (temp file in the same folder, fsync, rename); UserError on failure.

    An existing file is replaced only with `force`, and never a save, a symlink or anything
    that is not a regular file; without `force` the write cannot replace a file that
    appears meanwhile either.
    """
    path = Path(path)
    _check_output(path, force)
    try:
        atomic_write(path, text.encode("utf-8"), replace=force)
    except FileExistsError:
        raise UserError(f"{path} already exists; add --force to replace it") from None
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def _print(text: str) -> None:
    out = sys.stdout
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            out.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
            return
        text = text.encode(encoding, errors="replace").decode(encoding)
    out.write(text)
    out.flush()


def format_time(when) -> Optional[str]:
    """A save's time for the header: 'YYYY-MM-DD HH:MM UTC' (a string is shown as given)."""
    if when is None:
        return None
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return str(when)


def cmd_report(args, saves_dir: Path) -> int:
    """`wargame report SAVE [--format md|html] [--output FILE]`: the after-action report of a save."""
    fmt = getattr(args, "format", None) or "md"
    if fmt not in FORMATS:
        raise UserError(f"unknown report format {fmt!r}; choose md (Markdown) or html (a self-contained page with charts)")
    output = Path(args.output) if getattr(args, "output", None) else None
    force = bool(getattr(args, "force", False))
    if output is not None:
        _check_output(output, force)  # refuse a bad --output before the (slower) replay of the save
    from ..saves import load_save, resolve_save
    from .facts import SaveMeta, game_facts
    from .html import render_html
    from .markdown import render_markdown, report_sections

    loaded = load_save(resolve_save(args.save, Path(saves_dir)))
    if not loaded.signed:
        print(f"wargame: note: {loaded.path} is not signed here (made on another computer, or edited); "
              "its log replays consistently, but its origin cannot be vouched for", file=sys.stderr)
    meta = SaveMeta(format_time(loaded.created), loaded.name or None, loaded.notes or "")
    facts = game_facts(loaded.state, meta)
    sections = report_sections(facts)
    text = render_html(facts, sections) if fmt == "html" else render_markdown(sections)
    if output is None:
        _print(text)
    else:
        write_report(text, output, force=force)
        print(f"Report written to {output}")
    return 0
