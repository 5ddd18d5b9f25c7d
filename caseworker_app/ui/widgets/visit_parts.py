"""Pieces of the visit form kept apart to keep it readable: the discard confirmation and the finalized bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from caseworker_app.i18n import _


def confirm_discard(parent: QWidget, discard: Callable[[], None]) -> QMessageBox:
    """Ask before a draft goes (Cancel is the default); `discard` runs only on Discard."""
    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowTitle(_("Discard this draft"))
    box.setAccessibleName(_("Discard this draft"))
    box.setIcon(QMessageBox.Icon.Warning)
    box.setText(_("Discard this visit draft and everything typed in it? This cannot be undone."))
    box.setStandardButtons(QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    # the buttons say what they do in the window's language, whether or not Qt's own catalog is there
    box.button(QMessageBox.StandardButton.Discard).setText(_("&Discard draft"))
    box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
    box.finished.connect(lambda result: discard() if result == QMessageBox.StandardButton.Discard else None)
    box.open()
    return box


def final_bar(addendum_button: QPushButton) -> tuple[QWidget, QLabel]:
    """What a finalized form shows first: that it is final, and the next step beside it."""
    banner = QLabel(_("This visit is finalized and can no longer be changed. "
                      "To correct it or add to it, add an addendum."))
    banner.setWordWrap(True)
    banner.setAccessibleName(_("This visit is finalized"))
    bar = QWidget()
    row = QHBoxLayout(bar)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(banner, 1)
    row.addWidget(addendum_button)
    return bar, banner
