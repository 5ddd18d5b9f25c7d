"""What every case file tab shares: a row of action buttons above its content, and the loaded case file."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore


class CaseTab(QWidget):
    """A tab of the case file; `changed` asks the case file to reload after a write."""

    changed = Signal()
    title = ""

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.file: CaseFile | None = None
        self.layout_ = QVBoxLayout(self)
        self.actions_row = QHBoxLayout()
        self.actions_row.addStretch(1)
        self.layout_.addLayout(self.actions_row)

    def button(self, text: str, slot: Callable[[], None], accessible: str | None = None) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible or text.replace("&", ""))
        button.clicked.connect(slot)
        self.actions_row.insertWidget(self.actions_row.count() - 1, button)
        return button

    @property
    def case_id(self) -> str:
        assert self.file is not None
        return self.file.detail.case.id

    def show_file(self, file: CaseFile) -> None:
        self.file = file
        self.fill(file)

    def fill(self, file: CaseFile) -> None:
        raise NotImplementedError
