"""The small marker on a record that still owes the server something: not yet synced, refused, in conflict."""

from __future__ import annotations

from caseworker_app.i18n import _
from caseworker_app.store.queries import CONFLICT, REFUSED, UNSYNCED

_SYMBOLS = {UNSYNCED: "↑", REFUSED: "✕", CONFLICT: "⚠"}
_RANK = {UNSYNCED: 1, REFUSED: 2, CONFLICT: 3}


def symbol(mark: str | None) -> str:
    return _SYMBOLS.get(mark or "", "")


def words(mark: str | None) -> str:
    if mark == CONFLICT:
        return _("Conflict to settle (Sync page)")
    if mark == REFUSED:
        return _("The server refused a change (Sync page)")
    if mark == UNSYNCED:
        return _("Not yet synced")
    return ""


def labelled(mark: str | None) -> str:
    """Symbol and words, for a label: the symbol alone never carries the meaning."""
    return f"{symbol(mark)} {words(mark)}" if mark else ""


def strongest(marks: dict[str, str]) -> str | None:
    return max(marks.values(), key=lambda m: _RANK.get(m, 0), default=None)
