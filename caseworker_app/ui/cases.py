"""Cases: the sortable, filterable case table and search as you type over names, visits and notes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.domain.vocabulary import CaseStage, ContactType, RiskLevel
from caseworker_app.i18n import _, ngettext
from caseworker_app.local_format import number_text
from caseworker_app.services.caseload import CaseRow, case_rows
from caseworker_app.services.search_page import SearchPage, record_search, search_page
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.background import Op
from caseworker_app.ui.labels import label
from caseworker_app.ui.models.case_list import CASE_ID_ROLE, MARKED_COLUMNS, CaseFilterProxy, CaseListModel
from caseworker_app.ui.models.search_results import FAMILY, MATCH, REFERENCE, SCHOOL, STAGE, SearchResultsModel
from caseworker_app.ui.widgets.grouped_results import GroupedResults
from caseworker_app.ui.widgets.highlight import SnippetDelegate
from caseworker_app.ui.widgets.table import heading

AUDIT_AFTER_MS = 1500  # a search is audited once the person stops typing


def readable(snippet: str) -> str:
    """Contact types are indexed by their code ('school_visit'); show their label."""
    for kind in ContactType:
        if kind.value in snippet:
            snippet = snippet.replace(kind.value, label(kind.value))
    return snippet


class CaseTable(QTableView):
    activated_case = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_case.emit(self.currentIndex().data(CASE_ID_ROLE))
            return
        super().keyPressEvent(event)


class CasesPane(QWidget):
    open_case = Signal(str)

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.model = CaseListModel(self)
        self.proxy = CaseFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._searching = False
        self._sized = False
        self.audit_timer = QTimer(self)
        self.audit_timer.setSingleShot(True)
        self.audit_timer.setInterval(AUDIT_AFTER_MS)
        self.audit_timer.timeout.connect(self._audit_search)
        self._queued: str | None = None
        self.last_page: SearchPage | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search names, visits and notes…"))
        self.search.setAccessibleName(_("Search cases"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.installEventFilter(self)
        self.stage = self._combo(_("Filter by stage"), _("Any stage"), [(label(s.value), s.value) for s in CaseStage])
        self.risk = self._combo(_("Filter by risk"), _("Any risk"), [(label(r.value), r.value) for r in RiskLevel])
        self.school = self._combo(_("Filter by school"), _("Any school"), [])
        self.due_only = QCheckBox(_("Visit &due"))
        self.due_only.setAccessibleName(_("Only cases with a visit due"))
        self.due_only.toggled.connect(self._filter)

        self.table = CaseTable()
        self.table.setAccessibleName(_("Case list"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        # The service already orders by family name: show that order without sorting it again.
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.proxy.sort(-1)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated_case.connect(self.open_case.emit)

        self.results_model = SearchResultsModel(self)
        self.results = GroupedResults(_("Search results"))
        self.results.setModel(self.results_model)
        self.results.setItemDelegateForColumn(MATCH, SnippetDelegate(self.results))
        self.results.activated_payload.connect(self.open_case.emit)
        self.count = QLabel("")
        self.count.setAccessibleName(_("Number of cases shown"))
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.results)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for caption, combo in ((_("&Stage:"), self.stage), (_("&Risk:"), self.risk), (_("Sc&hool:"), self.school)):
            text = QLabel(caption)
            text.setBuddy(combo)
            filters.addWidget(text)
            filters.addWidget(combo, 1)
        filters.addWidget(self.due_only)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Cases")))
        layout.addLayout(filters)
        layout.addWidget(self.count)
        layout.addWidget(self.views)
        for first, second in ((self.search, self.stage), (self.stage, self.risk), (self.risk, self.school),
                              (self.school, self.due_only), (self.due_only, self.table)):
            self.setTabOrder(first, second)

    def _combo(self, accessible_name: str, any_text: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(accessible_name)
        combo.addItem(any_text, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self._filter)
        return combo

    # -- the case list -----------------------------------------------------------------------

    def refresh(self) -> None:
        store, day = self.store, date.today()
        Op(self, lambda: case_rows(store, day), what="loading the case list").success(self.show_cases).run()

    def show_cases(self, cases: list[CaseRow]) -> None:
        self.model.set_cases(cases)
        schools = sorted({c.school for c in cases if c.school})
        chosen = self.school.currentData()
        self.school.blockSignals(True)
        self.school.clear()
        self.school.addItem(_("Any school"), None)
        for name in schools:
            self.school.addItem(name, name)
        self.school.setCurrentIndex(max(0, self.school.findData(chosen)) if chosen else 0)
        self.school.blockSignals(False)
        if not self._sized and cases:
            self._size_columns()  # once: a refresh keeps the widths the person chose
            self._sized = True
        self._filter()

    def _size_columns(self) -> None:
        """Widths from the header and the first rows' text (cheaper than asking the view to measure)."""
        metrics = self.table.fontMetrics()
        sample = range(min(60, self.model.rowCount()))
        for column in range(self.model.columnCount()):
            texts = [str(self.model.headerData(column, Qt.Orientation.Horizontal))]
            texts += [self.model.data(self.model.index(row, column)) for row in sample]
            icon_room = 24 if column in MARKED_COLUMNS else 0  # risk and visit due carry an icon
            self.table.setColumnWidth(column, max(metrics.horizontalAdvance(t) for t in texts) + 24 + icon_room)

    def _filter(self) -> None:
        self.proxy.set_filters(
            stage=self.stage.currentData(),
            risk=self.risk.currentData(),
            school=self.school.currentData(),
            visit_due_only=self.due_only.isChecked(),
        )
        if self.views.currentWidget() is self.table:
            self._count_cases()

    def _count_cases(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            ngettext("{n} case", "{n} cases", total).format(n=number_text(total)) if shown == total
            else ngettext("{shown} of {n} case", "{shown} of {n} cases", total).format(
                shown=number_text(shown), n=number_text(total))
        )

    def _activated(self, index: QModelIndex) -> None:
        self.open_case.emit(index.data(CASE_ID_ROLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down arrow (or Enter) in the search box moves into the list below it."""
        moves_down = (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )
        if moves_down:  # every other event of the box goes straight on
            view = self.views.currentWidget()
            if isinstance(view, QAbstractItemView) and view.model().rowCount() > 0:
                view.setFocus()
                view.setCurrentIndex(view.model().index(0, 0))
                return True
        return super().eventFilter(watched, event)

    def selected_case_id(self) -> str | None:
        """The case of the selected row, in the case list or the search results (Ctrl+N acts on it)."""
        if self.views.currentWidget() is self.results:
            payload = self.results.current_payload()
            return payload if isinstance(payload, str) else None
        index = self.table.currentIndex()
        return index.data(CASE_ID_ROLE) if index.isValid() else None

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- search as you type -------------------------------------------------------------------

    def _search_changed(self, text: str) -> None:
        if not text.strip():
            self._queued = None
            self.views.setCurrentWidget(self.table)
            self._count_cases()
            return
        # One search at a time; keystrokes made meanwhile collapse into the latest text.
        if self._searching:
            self._queued = text
            return
        self._run_search(text)

    def _run_search(self, text: str) -> None:
        self._searching = True
        store = self.store
        Op(self, lambda: search_page(store, text), what="searching").success(self.show_results).after(
            self._search_done
        ).run()

    def _search_done(self) -> None:
        self._searching = False
        if self._queued is not None:
            text, self._queued = self._queued, None
            self._run_search(text)

    def _audit_search(self) -> None:
        page, store = self.last_page, self.store
        if page is not None:
            Op(self, lambda: record_search(store, page), what="recording a search").run()

    def show_results(self, page: SearchPage) -> None:
        if page.text != self.search.text() or not self.search.text().strip():
            return  # typed on since; the newer search is queued
        self.last_page = page
        # One row per case, its hits beneath: same-name families differ by reference, school and stage.
        self.results_model.set_page(page, readable)
        self.results.expandAll()
        for column, width in ((FAMILY, 200), (REFERENCE, 130), (SCHOOL, 200), (STAGE, 100)):
            self.results.setColumnWidth(column, width)
        self.views.setCurrentWidget(self.results)
        self.audit_timer.start()
        if page.capped:
            self.count.setText(_("First {shown} of {n} matches — type more words to narrow").format(
                shown=number_text(len(page.hits)), n=number_text(page.total)))
        else:
            total = number_text(page.total)
            if len(page.cases) > 1:  # several cases: several matches
                cases = number_text(len(page.cases))
                self.count.setText(_("{n} matches in {cases} cases").format(n=total, cases=cases))
            else:
                self.count.setText(ngettext("{n} match in one case", "{n} matches in one case", page.total).format(
                    n=total))
