"""Overview tab: type, placement, stage, risk, permanency goals, worker, school, opened on."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from caseworker_app.i18n import N_, _, ngettext
from caseworker_app.services.caseload import CaseFile
from caseworker_app.services.written_language import language_name
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.case_file.base import CaseTab
from caseworker_app.ui.labels import label, short_date

# marked here, translated where shown
FIELDS = (N_("Reference"), N_("Family"), N_("Type"), N_("Placement"), N_("Stage"), N_("Risk level"),
          N_("Permanency goals"), N_("Assigned worker"), N_("School"), N_("Opened on"), N_("Children due a visit"),
          N_("Written language"))


class OverviewTab(CaseTab):
    title = N_("Overvie&w")
    change_stage = Signal()

    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.button(_("Change &stage or risk…"), self.change_stage.emit, _("Change the case stage or risk level"))
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for name in FIELDS:
            value = QLabel("")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[name] = value
            form.addRow(f"{_(name)}:", value)  # the colon is the same in every language we ship
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)

    def fill(self, file: CaseFile) -> None:
        case = file.detail.case
        people = file.people_by_id
        goals = []
        for goal in file.detail.permanency_goals:
            child = people.get(goal.child_id)
            name = child.full_name if child else _("Child")
            if goal.alternative:
                goals.append(_("{child}: {primary}; alternative {alternative}").format(
                    child=name, primary=label(goal.primary), alternative=label(goal.alternative)))
            else:
                goals.append(f"{name}: {label(goal.primary)}")
        due = [ngettext("{child} ({n} day overdue)", "{child} ({n} days overdue)", c.days_overdue).format(
                   child=c.child_name, n=c.days_overdue) if c.days_overdue
               else _("{child} (this month)").format(child=c.child_name)
               for c in file.children_due]
        values = {
            "Reference": case.reference,
            "Family": case.family_name,
            "Type": label(case.case_type),
            "Placement": label(case.placement),
            "Stage": label(case.stage),
            "Risk level": label(case.risk_level),
            "Permanency goals": "\n".join(goals) or _("None set"),
            "Assigned worker": case.assigned_worker,
            "School": file.school or "—",
            "Opened on": short_date(case.opened_on),
            "Children due a visit": ", ".join(due) or _("None — every child was seen this month"),
            "Written language": language_name(case.preferred_language) if case.preferred_language
            else _("Not recorded"),
        }
        for name, text in values.items():
            self.values[name].setText(text)
