"""One open case file: a header and a tab per part of the case; it reloads itself after each change."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from caseworker_app.services.caseload import CaseFile, open_case_file
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.background import Op
from caseworker_app.ui.case_file.attendance import AttendanceTab
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.case_file.contacts import ContactsTab
from caseworker_app.ui.case_file.history import HistoryTab
from caseworker_app.ui.case_file.members import MembersTab
from caseworker_app.ui.case_file.overview import OverviewTab
from caseworker_app.ui.case_file.referrals import ReferralsTab
from caseworker_app.ui.case_file.safety import SafetyTab
from caseworker_app.ui.case_file.tasks import TasksTab
from caseworker_app.ui.labels import label
from caseworker_app.ui.widgets.table import heading


class CaseFileView(QWidget):
    loaded = Signal(object)  # CaseFile
    changed = Signal()  # something in the case was written

    def __init__(self, store: LocalStore, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.case_id = case_id
        self.file: CaseFile | None = None
        self.header = heading("Opening the case…")
        self.subheader = QLabel("")
        self.overview = OverviewTab(store)
        self.members = MembersTab(store)
        self.contacts = ContactsTab(store)
        self.safety = SafetyTab(store)
        self.referrals = ReferralsTab(store)
        self.attendance = AttendanceTab(store)
        self.tasks = TasksTab(store)
        self.history = HistoryTab(store)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Case file sections")
        self.tabs.tabBar().setAccessibleName("Case file sections")
        self.tabs.setDocumentMode(True)
        for tab in self.all_tabs():
            self.tabs.addTab(tab, tab.title)
            tab.changed.connect(self.reload)
        self.sync_mark = QLabel("")  # set by ui/sync_status.py from the store's sync marks
        self.sync_mark.setAccessibleName("Sync marker")
        self.sync_mark.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.sync_mark)
        layout.addWidget(self.subheader)
        layout.addWidget(self.tabs)
        self.reload()

    def all_tabs(self) -> list[CaseTab]:
        return [self.overview, self.members, self.contacts, self.safety, self.referrals, self.attendance,
                self.tasks, self.history]

    def reload(self) -> None:
        store, case_id, day, again = self.store, self.case_id, date.today(), self.file is not None
        Op(self, lambda: open_case_file(store, case_id, day, reopen=again), what="opening a case").success(
            self.show_file
        ).run()

    def show_file(self, file: CaseFile) -> None:
        self.file = file
        case = file.detail.case
        self.header.setText(f"{case.family_name} family — {case.reference}")
        self.subheader.setText(
            f"{label(case.stage)} · {label(case.risk_level)} risk · {label(case.case_type)}, "
            f"{label(case.placement).lower()} · {file.school or 'no school'}"
        )
        for tab in self.all_tabs():
            tab.show_file(file)
        self.loaded.emit(file)

    @property
    def title(self) -> str:
        return self.file.detail.case.family_name if self.file else "Case"
