"""A notice on a form that its text is not saved yet: the cause, what to do, retrying; details on request.

Not a dialog: it sits in the form, one per form, and goes away once a save succeeds.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QVBoxLayout, QWidget

from caseworker_app.domain.errors import CaseworkerError
from caseworker_app.i18n import _
from caseworker_app.services.save_problem import problem_text, what_to_do, why_not_saved
from caseworker_app.ui.log_folder import log_place

log = logging.getLogger(__name__)


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

    def show_failure(self, exc: BaseException, *, first: bool) -> bool:
        """Say why a save failed; True if trying again can help (the disk, the folder, a lock).

        `first` of a run of failures is logged (its type and where, never its message)."""
        from caseworker_app.ui.errors import technical_details

        if isinstance(exc, CaseworkerError):  # a rule the values break: retrying cannot help
            self.show_problem(_("{problem} Your text is still on screen and is not saved.").format(problem=str(exc)),
                              log_place())
            return False
        problem = why_not_saved(exc)
        if first:  # once per run of failures, not every few seconds
            log.warning("A draft could not be saved (%s): %s", problem.value, technical_details(exc))
        message = _("{cause} Your text is still on screen and is not saved yet; trying again every few "
                    "seconds. {todo}").format(cause=problem_text(problem), todo=what_to_do(problem))
        self.show_problem(message, "\n".join([log_place(), _("While saving:"), technical_details(exc)]))
        return True

    def clear(self) -> None:
        self.setVisible(False)
        self.details_button.setChecked(False)

    def text(self) -> str:
        return self.message.text()

    def details(self) -> str:
        return self.details_label.text()
