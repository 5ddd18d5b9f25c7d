"""What a person can read on screen right now: every visible window title, label, field and button."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)


def _item_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts: list[str] = []
    root = QModelIndex()
    for row in range(min(model.rowCount(root), 500)):
        for column in range(1 if isinstance(model, QAbstractListModel) else model.columnCount(root)):
            value = model.index(row, column).data()
            if value is not None:
                texts.append(str(value))
    return texts


def visible_text() -> str:
    parts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        parts.append(top.windowTitle())
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QLineEdit):
                parts.append(widget.text())
            elif isinstance(widget, QPlainTextEdit | QTextEdit):
                parts.append(widget.toPlainText())
            elif isinstance(widget, QAbstractItemView):
                parts.extend(_item_texts(widget))
            elif isinstance(widget, QTabWidget):
                parts.extend(widget.tabText(i) for i in range(widget.count()))
            elif hasattr(widget, "text") and callable(widget.text):
                parts.append(str(widget.text()))
    return "\n".join(parts)
