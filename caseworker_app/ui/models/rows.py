"""A read-only table model over plain rows: the small lists on Today and in the case file tabs.

Built on QStandardItemModel so that painting, counting and sorting run in C++ without
calling back into Python for every cell; the rows are set once per refresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QStandardItem, QStandardItemModel

from caseworker_app.ui.marks import MARKS, OVERDUE, colour, mark_icon

PAYLOAD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass
class Row:
    """What one line shows, what it sorts by, and the thing it stands for."""

    cells: Sequence[str]
    payload: Any = None
    sort_keys: Sequence[Any] | None = None
    emphasis: set[int] = field(default_factory=set)  # columns marked as a warning (overdue, chronic absence)
    marks: dict[int, str] = field(default_factory=dict)  # column -> meaning (ui/marks.py): icon, colour, weight


class RowsModel(QStandardItemModel):
    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(0, len(headers), parent)
        self.headers = list(headers)
        self.setHorizontalHeaderLabels(self.headers)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.rows = rows
        self.setRowCount(0)
        looks: dict[str, tuple[QBrush, Any, bool]] = {}
        for row in rows:
            marks = {**dict.fromkeys(row.emphasis, OVERDUE), **row.marks}
            keys = row.sort_keys or row.cells
            items = []
            for column, text in enumerate(row.cells):
                item = QStandardItem(text)
                item.setEditable(False)
                # Never hand None to setData: PySide6 on Python 3.11 drops a reference to None
                # each time, and enough of them crash the interpreter.
                if keys[column] is not None:
                    item.setData(keys[column], SORT_ROLE)
                if row.payload is not None:
                    item.setData(row.payload, PAYLOAD_ROLE)
                meaning = marks.get(column)
                if meaning is not None:  # never colour alone: an icon and the weight carry it too
                    if meaning not in looks:
                        looks[meaning] = (QBrush(colour(meaning)), mark_icon(meaning), MARKS[meaning].bold)
                    brush, mark, bold = looks[meaning]
                    item.setForeground(brush)
                    item.setIcon(mark)
                    if bold:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                items.append(item)
            self.appendRow(items)
