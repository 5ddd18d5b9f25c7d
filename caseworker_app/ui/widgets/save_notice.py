"""A notice on a form that its text is not saved yet: the cause, what to do, retrying; details on request.

Not a dialog: it sits in the form, one per form, and goes away once a save succeeds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QVBoxLayout, QWidget

from caseworker_app.i18n import _


class SaveNotice(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Not saved"))
        # Colour plus an icon plus words: the meaning never rests on colour alone.
        self.setStyleSheet("#saveNotice { border: 2px solid #b3261e; border-radius: 4px; }")
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName(_("Why the text is not saved"))
        self.details_button = QPushButton(_("Show &details"))
        self.details_button.setAccessibleName(_("Show the details of the failed save"))
        self.details_button.setCheckable(True)
        self.details_label = QLabel("")
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setAccessibleName(_("Details of the failed save"))
        self.details_label.setVisible(False)
        self.details_button.toggled.connect(self.details_label.setVisible)
        row = QHBoxLayout(self)
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        texts = QWidget()

        column = QVBoxLayout(texts)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.message)
        column.addWidget(self.details_label)
        row.addWidget(texts, 1)
        row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(False)

    def show_problem(self, message: str, details: str) -> None:
        self.message.setText(message)
        self.details_label.setText(details)
        self.setVisible(True)

    def clear(self) -> None:
        self.setVisible(False)
        self.details_button.setChecked(False)

    def text(self) -> str:
        return self.message.text()

    def details(self) -> str:
        return self.details_label.text()
