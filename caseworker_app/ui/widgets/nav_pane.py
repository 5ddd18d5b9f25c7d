"""The navigation side pane: one entry with an icon per page of the window, and the stack of pages.

Another page joins with one line: `nav.add_page(_("Sync"), icon("cloud-upload"), widget)`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStackedWidget, QWidget

from caseworker_app.i18n import _


class NavPane(QListWidget):
    """The list of pages; choosing one shows its widget in `stack` and emits `shown` with its index."""

    shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Navigation"))
        self.setIconSize(QSize(20, 20))
        self.setSpacing(2)
        self.setMinimumWidth(150)
        self.setMaximumWidth(220)
        self.stack = QStackedWidget()
        self.currentRowChanged.connect(self._show)

    def add_page(self, name: str, page_icon: QIcon, widget: QWidget) -> int:
        """Add a page; returns its index (for `go`)."""
        item = QListWidgetItem(page_icon, name)
        item.setToolTip(name)
        self.addItem(item)
        return self.stack.addWidget(widget)

    def _show(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)
            self.shown.emit(row)
