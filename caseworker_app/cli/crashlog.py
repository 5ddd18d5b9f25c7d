"""The record of unexpected errors: a rotating log file in the profile's log folder, free of case data.

Only the exception's type and where it happened (file, line, function) are written:
an exception's message or a frame's variables can carry a family's name or a note.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path

from caseworker_app import paths

LOG_FOLDER = "logs"
LOG_FILE = "caseworker.log"
MAX_BYTES = 512 * 1024
BACKUPS = 3

log = logging.getLogger("caseworker_app.crash")


def log_folder(home: Path | None) -> Path:
    """The profile's own log folder; the data folder's when the profile folder does not exist (yet)."""
    if home is not None and home.is_dir():
        return home / LOG_FOLDER
    return paths.data_root() / LOG_FOLDER


def describe(exc: BaseException) -> str:
    """The type and the stack of an exception (and of its causes), never its message."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("caused by:")
    return "\n".join(lines)


def record_unexpected(exc: BaseException, home: Path | None, command: str) -> Path | None:
    """Append the error to the rotating log; returns the file's path, or None if it cannot be written."""
    folder = log_folder(home)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.propagate = False  # the terminal gets one line, not the stack
    try:
        log.error("unexpected error in 'caseworker %s':\n%s", command, describe(exc))
    finally:
        log.removeHandler(handler)
        handler.close()
    return folder / LOG_FILE
