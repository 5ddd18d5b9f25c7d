"""One open case file: a header and a tab per part of the case.

It re-reads itself when a change announcement touches its case, and re-fills only the
tabs that show the kinds of record that changed (see services/changes.py).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from caseworker_app.i18n import N_, _
from caseworker_app.services.caseload import CaseFile, open_case_file
from caseworker_app.services.changes import Changes
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
from caseworker_app.ui.marks import RISK_MARKS, mark_icon
from caseworker_app.ui.widgets.table import heading

# Each level as a whole phrase: "High risk" / "Riesgo alto" (the word order and case differ by language)
RISK_PHRASES = {
    "low": N_("Low risk"), "moderate": N_("Moderate risk"), "high": N_("High risk"), "very_high": N_("Very high risk"),
}


class CaseFileView(QWidget):
    loaded = Signal(object)  # CaseFile

    def __init__(self, store: LocalStore, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.case_id = case_id
        self.file: CaseFile | None = None
        self._loading = False
        self._again: set[CaseTab] = set()  # tabs a change touched while a load was under way
        self.header = heading(_("Opening the case…"))
        self.subheader = QLabel("")
        self.risk_mark = QLabel()  # high risk gets a sign beside the words, not only the words
        self.risk_mark.setAccessibleName(_("Risk level"))
        self.risk_mark.setVisible(False)
        self.overview = OverviewTab(store)
        self.members = MembersTab(store)
        self.contacts = ContactsTab(store)
        self.safety = SafetyTab(store)
        self.referrals = ReferralsTab(store)
        self.attendance = AttendanceTab(store)
        self.tasks = TasksTab(store)
        self.history = HistoryTab(store)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Case file sections"))
        self.tabs.tabBar().setAccessibleName(_("Case file sections"))
        self.tabs.setDocumentMode(True)
        for tab in self.all_tabs():
            self.tabs.addTab(tab, _(tab.title))
            tab.changed.connect(self.reload)
        # Ctrl+PgDn / Ctrl+PgUp move between sections, as in browsers and office suites.
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.step_section(step))
        self.sync_mark = QLabel("")  # set by ui/sync_status.py from the store's sync marks
        self.sync_mark.setAccessibleName(_("Sync marker"))
        self.sync_mark.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.sync_mark)
        facts = QHBoxLayout()
        facts.setContentsMargins(0, 0, 0, 0)
        facts.addWidget(self.risk_mark)
        facts.addWidget(self.subheader, 1)
        layout.addLayout(facts)
        layout.addWidget(self.tabs)
        self.reload()

    def all_tabs(self) -> list[CaseTab]:
        return [self.overview, self.members, self.contacts, self.safety, self.referrals, self.attendance,
                self.tasks, self.history]

    def step_section(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def kinds(self) -> frozenset[str]:
        return frozenset().union(*(tab.kinds for tab in self.all_tabs()))

    def apply_changes(self, changes: Changes) -> None:
        """Re-read the case when a change touches it; only the tabs showing what changed re-fill."""
        if not changes.touches(case_id=self.case_id, kinds=self.kinds()):
            return
        touched = {tab for tab in self.all_tabs() if changes.touches(case_id=self.case_id, kinds=tab.kinds)}
        self.reload(touched)

    def reload(self, tabs: set[CaseTab] | None = None) -> None:
        """Read the case file again off the GUI thread; fill `tabs` (every tab when None)."""
        wanted = set(self.all_tabs()) if tabs is None else tabs
        if self._loading:
            self._again |= wanted  # read again once this load is in: it may have read too early
            return
        self._loading = True
        store, case_id, day, again = self.store, self.case_id, date.today(), self.file is not None
        Op(self, lambda: open_case_file(store, case_id, day, reopen=again), what=_("opening a case")).success(
            lambda file: self.show_file(file, wanted)
        ).after(self._loaded).run()

    def _loaded(self) -> None:
        self._loading = False
        if self._again:
            again, self._again = self._again, set()
            self.reload(again)

    def show_file(self, file: CaseFile, tabs: set[CaseTab] | None = None) -> None:
        first = self.file is None
        self.file = file
        case = file.detail.case
        self.header.setText(_("{family} family — {reference}").format(family=case.family_name,
                                                                         reference=case.reference))
        risk = _(RISK_PHRASES.get(case.risk_level, "")) or label(case.risk_level)
        self.subheader.setText(
            _("{stage} · {risk} · {case_type}, {placement} · {school}").format(
                stage=label(case.stage), risk=risk, case_type=label(case.case_type),
                placement=label(case.placement).lower(), school=file.school or _("no school"))
        )
        meaning = RISK_MARKS.get(case.risk_level)
        if meaning is not None:
            self.risk_mark.setPixmap(mark_icon(meaning).pixmap(18, 18))
            self.risk_mark.setToolTip(risk)
        self.risk_mark.setVisible(meaning is not None)
        for tab in self.all_tabs():
            tab.show_file(file, fill=first or tabs is None or tab in tabs)
        self.loaded.emit(file)

    @property
    def title(self) -> str:
        return self.file.detail.case.family_name if self.file else _("Case")
