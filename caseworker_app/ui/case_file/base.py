"""What every case file tab shares: a row of action buttons above its content, and the loaded case file."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from caseworker_app.domain.entities import ENTITY_NAMES
from caseworker_app.services.caseload import CaseFile
from caseworker_app.store.local_store import LocalStore

# Every kind of case record, as change announcements name them (services/changes.py).
RECORD_KINDS = frozenset(cls.__name__ for cls in ENTITY_NAMES)


class CaseTab(QWidget):
    """A tab of the case file; `changed` asks the case file to reload after a write."""

    changed = Signal()
    title = ""
    kinds: frozenset[str] = RECORD_KINDS  # the kinds of record it shows: a change to another leaves it be

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

    def show_file(self, file: CaseFile, *, fill: bool = True) -> None:
        """Keep the newest case file for the tab's actions; re-fill only when what it shows changed."""
        self.file = file
        if fill:
            self.fill(file)

    def fill(self, file: CaseFile) -> None:
        raise NotImplementedError
