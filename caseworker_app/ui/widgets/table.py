"""A read-only, keyboard-friendly table: whole-row selection, Enter or double-click activates the row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from caseworker_app.i18n import _
from caseworker_app.ui.models.rows import PAYLOAD_ROLE, SORT_ROLE, Row, RowsModel


class RowTable(QTableView):
    """Emits `activated_payload` with the row's payload on Enter or double-click."""

    activated_payload = Signal(object)

    def __init__(self, headers: list[str], name: str, parent: QWidget | None = None, *, sortable: bool = True) -> None:
        super().__init__(parent)
        # headers may come marked with N_ (module tables) or already translated: translated here either way
        self.rows_model = RowsModel([_(header) for header in headers], self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.rows_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setSortingEnabled(sortable)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)  # the service's order until a header is clicked
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setResizeContentsPrecision(40)  # size columns from the first rows, not all
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as on every other form
        self.doubleClicked.connect(self._activate)
        self.empty_text = ""  # what an empty list says to do, painted where the rows would be
        self._stretch: int | None = None

    def fit_to_width(self, stretch: int) -> None:
        """Never wider than the view: short columns take their text's width and `stretch` takes
        the rest, eliding its text (Today's grids at 1280x800 clipped columns otherwise)."""
        self._stretch = stretch
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(self.rows_model.columnCount()):
            mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(column, mode)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.rows_model.rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            rect = self.viewport().rect().adjusted(12, 12, -12, -12)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            painter.drawText(rect, int(flags), self.empty_text)
            painter.end()

    def set_rows(self, rows: list[Row]) -> None:
        self.rows_model.set_rows(rows)
        self.setAccessibleDescription(self.empty_text if not rows else "")
        if self._stretch is not None:
            return  # the header sizes the columns to fit
        # Widths from the header and the first rows' text: cheaper than asking the view to measure.
        metrics = self.fontMetrics()
        marked = {column for row in rows[:40] for column in (*row.emphasis, *row.marks)}  # an icon beside the text
        bold = self.font()
        bold.setBold(True)
        wide = QFontMetrics(bold)
        for column, header in enumerate(self.rows_model.headers[:-1]):
            texts = [header] + [row.cells[column] for row in rows[:40]]
            measure = wide if column in marked else metrics
            room = 24 + (self.iconSize().width() or 16) + 6 if column in marked else 24
            self.setColumnWidth(column, min(380, max(measure.horizontalAdvance(t) for t in texts) + room))

    def current_payload(self) -> Any:
        index = self.currentIndex()
        return index.data(PAYLOAD_ROLE) if index.isValid() else None

    def emit_current(self, signal: Any) -> None:
        """A button's action on the selected row: emit its payload, or nothing when no row is selected."""
        payload = self.current_payload()
        if payload is not None:
            signal.emit(payload)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _activate(self, index: QModelIndex) -> None:
        payload = index.data(PAYLOAD_ROLE)
        if payload is not None:
            self.activated_payload.emit(payload)


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


def section(title: str, table: QWidget, parent: QWidget | None = None) -> QWidget:
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = heading(title)
    label.setBuddy(table)
    layout.addWidget(label)
    layout.addWidget(table)
    return box
