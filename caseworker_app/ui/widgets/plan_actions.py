"""An editable table of safety plan actions: what, who is responsible, how it is monitored."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from caseworker_app.domain.entities import SafetyPlanAction
from caseworker_app.i18n import _


class PlanActions(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Action"), _("Responsible"), _("Monitoring")])
        self.table.setAccessibleName(_("Safety plan actions"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.table.setColumnWidth(1, 150)
        self.table.setMinimumHeight(130)
        add = QPushButton(_("Add &action"))
        add.setAccessibleName(_("Add a safety plan action"))
        add.clicked.connect(self.add_action)
        remove = QPushButton(_("&Remove action"))
        remove.setAccessibleName(_("Remove the selected safety plan action"))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_action(self, action: str = "", responsible: str = "", monitoring: str = "") -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((action, responsible, monitoring)):
            self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setCurrentCell(row, 0)

    def plan_actions(self) -> list[SafetyPlanAction]:
        result = []
        for row in range(self.table.rowCount()):
            cells = [self._text(row, column) for column in range(3)]
            if any(cells):
                result.append(SafetyPlanAction(action=cells[0], responsible=cells[1], monitoring=cells[2]))
        return result

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""
