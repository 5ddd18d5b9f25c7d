"""Draws a search snippet with its matching words highlighted (the store marks them [like this]).

Painted as plain runs of text with a highlight behind the matches: no rich-text document
per cell, so a screenful of results paints in a few milliseconds.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

_MARK = re.compile(r"\[([^\[\]]+)\]")
_SPACE = re.compile(r"\s+")


def segments(snippet: str) -> list[tuple[str, bool]]:
    """The snippet as (text, is_match) runs, on one line (a paragraph break becomes a space)."""
    snippet = _SPACE.sub(" ", snippet)
    runs: list[tuple[str, bool]] = []
    cursor = 0
    for match in _MARK.finditer(snippet):
        if match.start() > cursor:
            runs.append((snippet[cursor : match.start()], False))
        runs.append((match.group(1), True))
        cursor = match.end()
    if cursor < len(snippet):
        runs.append((snippet[cursor:], False))
    return runs


def plain_snippet(snippet: str) -> str:
    return _MARK.sub(lambda m: m.group(1), snippet)


class SnippetDelegate(QStyledItemDelegate):
    """One line; the model's DisplayRole holds the marked snippet."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        marked = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget).adjusted(2, 0, -2, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        normal = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.save()
        painter.setClipRect(area)
        x = area.left()
        for text, is_match in segments(marked):
            painter.setFont(bold if is_match else opt.font)
            width = painter.fontMetrics().horizontalAdvance(text)
            box = QRect(x, area.top(), width, area.height())
            if is_match:
                painter.fillRect(box.adjusted(-1, 2, 1, -2), opt.palette.color(QPalette.ColorRole.Highlight))
                painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText))
            else:
                painter.setPen(normal)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
            x += width
            if x > area.right():
                break
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 8))
