"""The case table's model (one row per case) and the proxy that filters it by stage, risk, school, visit due."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush

from caseworker_app.i18n import N_, _
from caseworker_app.local_format import number_text
from caseworker_app.services.caseload import CaseRow
from caseworker_app.ui.labels import label, short_date
from caseworker_app.ui.marks import DUE, OVERDUE, RISK_MARKS, colour, mark_icon
from caseworker_app.ui.widgets.sync_mark import symbol, words

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = (N_("Reference"), N_("Family"), N_("Stage"), N_("Risk"), N_("School"), N_("Last visit"), N_("Next visit due"),
           N_("Open tasks"))  # translated in headerData
Index = QModelIndex | QPersistentModelIndex
MARKED_COLUMNS = frozenset({3, 6})  # risk, next visit due: an icon beside the words


class CaseListModel(QAbstractTableModel):
    """Display text and sort keys are worked out once per refresh, so painting and sorting stay cheap."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.cases: list[CaseRow] = []
        self._text: list[tuple[str, ...]] = []
        self._keys: list[tuple[Any, ...]] = []
        self._today = date.today()
        self.marks: dict[str, str] = {}  # case id -> unsynced / refused / conflict (ui/sync_status.py)

    def set_marks(self, marks: dict[str, str]) -> None:
        if marks != self.marks:
            self.marks = marks
            if self.cases:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.cases) - 1, 0))

    def set_cases(self, cases: list[CaseRow]) -> None:
        self.beginResetModel()
        self.cases = cases
        today = self._today = date.today()
        self._text = [self._display(c, today) for c in cases]
        self._keys = [self._sort_keys(c) for c in cases]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0 and self.marks:
                mark = self.marks.get(self.cases[index.row()].id)
                if mark:
                    return f"{self._text[index.row()][0]} {symbol(mark)}"
            return self._text[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return words(self.marks.get(self.cases[index.row()].id)) or None
        if role == SORT_ROLE:
            return self._keys[index.row()][index.column()]
        if role == CASE_ID_ROLE:
            return self.cases[index.row()].id
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole):
            meaning = self._meaning(index.row(), index.column())
            if meaning is not None:  # colour and icon together, and the words are in the text
                return QBrush(colour(meaning)) if role == Qt.ItemDataRole.ForegroundRole else mark_icon(meaning)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 7:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _meaning(self, row: int, column: int) -> str | None:
        case = self.cases[row]
        if column == 3:  # MARKED_COLUMNS
            return RISK_MARKS.get(case.risk_level)
        if column == 6 and case.visit_due and case.next_visit_due:
            return OVERDUE if case.next_visit_due < self._today else DUE
        return None

    @staticmethod
    def _display(case: CaseRow, today: date) -> tuple[str, ...]:
        due = short_date(case.next_visit_due) if case.next_visit_due else ""
        if case.visit_due and case.next_visit_due:
            due = (_("{date} (overdue)") if case.next_visit_due < today else _("{date} (due)")).format(date=due)
        return (
            case.reference,
            case.family_name,
            label(case.stage),
            label(case.risk_level),
            case.school,
            short_date(case.last_visit) if case.last_visit else _("never"),
            due,
            number_text(case.open_tasks),
        )

    @staticmethod
    def _sort_keys(case: CaseRow) -> tuple[Any, ...]:
        return (
            case.reference,
            case.family_name.lower(),
            STAGE_ORDER.get(case.stage, 9),
            RISK_ORDER.get(case.risk_level, 9),
            case.school.lower(),
            case.last_visit.isoformat() if case.last_visit else "",
            case.next_visit_due.isoformat() if case.next_visit_due else date.max.isoformat(),
            case.open_tasks,
        )

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None


STAGE_ORDER = {"intake": 0, "assessment": 1, "ongoing": 2, "closing": 3, "closed": 4}
RISK_ORDER = {"low": 0, "moderate": 1, "high": 2, "very_high": 3}


class CaseFilterProxy(QSortFilterProxyModel):
    """Filters rows by the chosen stage, risk, school and 'visit due'; sorts by real values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.stage: str | None = None
        self.risk: str | None = None
        self.school: str | None = None
        self.visit_due_only = False

    def set_filters(
        self, *, stage: str | None, risk: str | None, school: str | None, visit_due_only: bool
    ) -> None:
        self.beginFilterChange()
        self.stage, self.risk, self.school, self.visit_due_only = stage, risk, school, visit_due_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, CaseListModel):
            return True
        case = model.cases[source_row]
        return (
            (self.stage is None or case.stage == self.stage)
            and (self.risk is None or case.risk_level == self.risk)
            and (self.school is None or case.school == self.school)
            and (not self.visit_due_only or case.visit_due)
        )
