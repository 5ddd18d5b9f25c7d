"""Draws a search snippet with its matching words highlighted (the store marks them [like this])."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

_MARK = re.compile(r"\[([^\[\]]+)\]")


def snippet_html(snippet: str, palette: QPalette) -> str:
    colour = palette.color(QPalette.ColorRole.Highlight).name()
    text_colour = palette.color(QPalette.ColorRole.HighlightedText).name()
    escaped = html.escape(snippet)
    return _MARK.sub(
        lambda m: f'<span style="background-color:{colour}; color:{text_colour}; font-weight:bold">{m.group(1)}</span>',
        escaped,
    )


def plain_snippet(snippet: str) -> str:
    return _MARK.sub(lambda m: m.group(1), snippet)


class SnippetDelegate(QStyledItemDelegate):
    """One line of rich text; the model's DisplayRole holds the marked snippet."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        marked = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(2)
        doc.setHtml(f'<span style="white-space:pre">{snippet_html(marked, opt.palette)}</span>')
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        painter.save()
        painter.translate(text_rect.topLeft())
        painter.setClipRect(QRectF(0, 0, text_rect.width(), text_rect.height()))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 8))


