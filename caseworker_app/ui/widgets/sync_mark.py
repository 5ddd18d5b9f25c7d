"""The small marker on a record that still owes the server something: not yet synced, refused, in conflict."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

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


def mark_icon(mark: str | None) -> QIcon:
    """The symbol as a small icon, for a tab; an empty icon when the record owes nothing."""
    if not mark:
        return QIcon()
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#a40000") if mark != UNSYNCED else QColor("#1a5fb4"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, symbol(mark))
    painter.end()
    return QIcon(pixmap)
