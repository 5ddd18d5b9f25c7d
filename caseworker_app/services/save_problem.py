"""Why a save did not reach the disk, in words a liaison can act on (full disk, folder not writable, store locked).

Read from the error SQLite or the operating system raised; the messages read here are
SQLite's and the OS's own, never case data.
"""

from __future__ import annotations

import errno
from enum import StrEnum

from caseworker_app.i18n import _


class SaveProblem(StrEnum):
    DISK_FULL = "disk_full"
    NOT_WRITABLE = "not_writable"
    LOCKED = "locked"
    UNKNOWN = "unknown"


_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}


def _chain(exc: BaseException) -> list[BaseException]:
    """The error, what caused it, and the driver's error a SQLAlchemy error wraps."""
    found: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        todo += [current.__cause__, current.__context__, getattr(current, "orig", None)]
    return found


def why_not_saved(exc: BaseException) -> SaveProblem:
    for error in _chain(exc):
        if isinstance(error, OSError) and error.errno is not None:
            if error.errno in _FULL_ERRNOS:
                return SaveProblem.DISK_FULL
            if error.errno in _DENIED_ERRNOS:
                return SaveProblem.NOT_WRITABLE
        text = str(error.args[0]).lower() if error.args else ""
        if "disk is full" in text or "no space" in text:
            return SaveProblem.DISK_FULL
        if "readonly" in text or "read-only" in text or "unable to open" in text or "permission denied" in text:
            return SaveProblem.NOT_WRITABLE
        if "locked" in text or "busy" in text:
            return SaveProblem.LOCKED
    return SaveProblem.UNKNOWN


def problem_text(problem: SaveProblem) -> str:
    """The cause in plain words, one sentence."""
    return {
        SaveProblem.DISK_FULL: _("The disk is full."),
        SaveProblem.NOT_WRITABLE: _("The folder that holds your records cannot be written to."),
        SaveProblem.LOCKED: _("Your records are locked by another program or window."),
        SaveProblem.UNKNOWN: _("Something unexpected stopped the save."),
    }[problem]


def what_to_do(problem: SaveProblem) -> str:
    return {
        SaveProblem.DISK_FULL: _("Free some space on this computer (empty the recycle bin, delete large files)."),
        SaveProblem.NOT_WRITABLE: _("Ask IT to check that the Caseworker folder can be written to."),
        SaveProblem.LOCKED: _("Close any other Caseworker window or program using your records."),
        SaveProblem.UNKNOWN: _("If it keeps happening, send the log file to IT."),
    }[problem]
