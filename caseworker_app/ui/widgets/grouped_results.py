"""A read-only tree for grouped results: Enter or double-click opens what the row stands for."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from caseworker_app.ui.models.rows import PAYLOAD_ROLE


class GroupedResults(QTreeView):
    activated_payload = Signal(object)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)  # cheap to lay out however many hits a search finds
        self.setWordWrap(False)
        self.setAllColumnsShowFocus(True)
        self.setExpandsOnDoubleClick(False)  # double-click opens the case, as in the case table
        self.header().setStretchLastSection(True)
        self.doubleClicked.connect(self._activate)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex())
            return
        super().keyPressEvent(event)

    def current_payload(self) -> Any:
        index = self.currentIndex()
        return index.data(PAYLOAD_ROLE) if index.isValid() else None

    def _activate(self, index: QModelIndex | QPersistentModelIndex) -> None:
        payload = index.data(PAYLOAD_ROLE)
        if payload is not None:
            self.activated_payload.emit(payload)
