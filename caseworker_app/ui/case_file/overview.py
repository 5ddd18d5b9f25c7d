"""Overview tab: type, placement, stage, risk, permanency goals, worker, school, opened on."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from caseworker_app.i18n import N_, _
from caseworker_app.services.caseload import CaseFile
from caseworker_app.services.written_language import language_name
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.labels import label, short_date

FIELDS = ("Reference", "Family", "Type", "Placement", "Stage", "Risk level", "Permanency goals",
          "Assigned worker", "School", "Opened on", "Children due a visit", "Written language")


class OverviewTab(CaseTab):
    title = N_("Overvie&w")
    change_stage = Signal()

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.button("Change &stage or risk…", self.change_stage.emit, "Change the case stage or risk level")
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for name in FIELDS:
            value = QLabel("")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[name] = value
            form.addRow(f"{name}:", value)
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)

    def fill(self, file: CaseFile) -> None:
        case = file.detail.case
        people = file.people_by_id
        goals = []
        for goal in file.detail.permanency_goals:
            child = people.get(goal.child_id)
            alt = f"; alternative {label(goal.alternative)}" if goal.alternative else ""
            goals.append(f"{child.full_name if child else 'Child'}: {label(goal.primary)}{alt}")
        due = [f"{c.child_name} ({c.days_overdue} days overdue)" if c.days_overdue else f"{c.child_name} (this month)"
               for c in file.children_due]
        values = {
            "Reference": case.reference,
            "Family": case.family_name,
            "Type": label(case.case_type),
            "Placement": label(case.placement),
            "Stage": label(case.stage),
            "Risk level": label(case.risk_level),
            "Permanency goals": "\n".join(goals) or "None set",
            "Assigned worker": case.assigned_worker,
            "School": file.school or "—",
            "Opened on": short_date(case.opened_on),
            "Children due a visit": ", ".join(due) or "None — every child was seen this month",
            "Written language": language_name(case.preferred_language) if case.preferred_language
            else _("Not recorded"),
        }
        for name, text in values.items():
            self.values[name].setText(text)
