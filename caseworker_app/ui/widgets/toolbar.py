"""The main toolbar: icon and text buttons whose accessible names follow their actions, however they are added."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QActionEvent, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget


class MainToolBar(QToolBar):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("main-toolbar")
        self.setAccessibleName(title)
        self.setIconSize(QSize(20, 20))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setMovable(False)

    def actionEvent(self, event: QActionEvent) -> None:
        super().actionEvent(event)
        action = event.action()
        if event.type() != QEvent.Type.ActionAdded or action is None:
            return
        button = self.widgetForAction(action)
        if button is None:
            return
        text = action.text().replace("&", "").rstrip("…")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setAccessibleName(text)  # `self.toolbar.addAction(a)` is all another part needs to write
        action.setToolTip(f"{text} ({keys})" if keys else text)
