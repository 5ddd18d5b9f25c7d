"""A safety assessment (threats checklist, protective capacities, decision, rationale) and, if needed, its plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from caseworker_app.domain.entities import SafetyAssessment, SafetyPlan
from caseworker_app.domain.vocabulary import PROTECTIVE_CAPACITIES, SAFETY_THREATS, SafetyDecision
from caseworker_app.i18n import _
from caseworker_app.services import safety
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.labels import label
from caseworker_app.ui.widgets.dates import in_language
from caseworker_app.ui.widgets.form_dialog import FormDialog
from caseworker_app.ui.widgets.plan_actions import PlanActions


def checklist(items: dict[str, str], name: str) -> QListWidget:
    widget = QListWidget()
    widget.setAccessibleName(name)
    # long items wrap within the dialog instead of scrolling sideways (Spanish runs about 30% longer)
    widget.setWordWrap(True)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for code, text in items.items():
        item = QListWidgetItem(_(text))  # the vocabulary marks its words; shown in the window's language
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMinimumHeight(min(230, 22 * len(items) + 6))
    return widget


def checked(widget: QListWidget) -> list[str]:
    return [str(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


class SafetyAssessmentDialog(FormDialog):
    """A new assessment (with its plan when conditionally safe), or `assessment` to correct."""

    def __init__(self, store: LocalStore, case_id: str, visit_id: str | None = None,
                 parent: QWidget | None = None, assessment: SafetyAssessment | None = None) -> None:
        super().__init__(parent, _("Edit safety assessment") if assessment else _("Safety assessment"),
                         submit=_("&Save assessment"))
        self.assessment = assessment
        self.setMinimumWidth(760)
        self.store, self.case_id, self.visit_id = store, case_id, visit_id
        self.assessed_on = QDateEdit(QDate.currentDate())
        self.assessed_on.setCalendarPopup(True)
        in_language(self.assessed_on, "d MMM yyyy")
        self.threats = checklist(SAFETY_THREATS, _("Safety threats found"))
        self.capacities = checklist(PROTECTIVE_CAPACITIES, _("Protective capacities"))
        self.decision = QComboBox()
        for decision in SafetyDecision:
            self.decision.addItem(label(decision.value), decision.value)
        self.rationale = QPlainTextEdit()
        self.rationale.setTabChangesFocus(True)
        self.rationale.setMaximumHeight(80)
        self.plan = PlanActions()
        self.review_on = QDateEdit(QDate.currentDate().addDays(30))
        self.review_on.setCalendarPopup(True)
        in_language(self.review_on, "d MMM yyyy")
        self.linked = QCheckBox(_("Linked to the visit it was started from"))
        self.linked.setChecked(visit_id is not None)
        self.linked.setEnabled(False)
        self.linked.setVisible(visit_id is not None)
        self.add_row(_("&Assessed on:"), self.assessed_on)
        self.add_row(_("&Threats found:"), self.threats, _("Safety threats found"))
        self.add_row(_("&Protective capacities:"), self.capacities)
        self.add_row(_("&Decision:"), self.decision, _("Safety decision"))
        self.add_row(_("&Rationale:"), self.rationale)
        self.add_row(_("Safety plan (if conditionally safe):"), self.plan, _("Safety plan actions"))
        self.add_row(_("Plan re&view on:"), self.review_on)
        if visit_id is not None:
            self.form.addRow(self.linked)
        if assessment is not None:
            self._show(assessment)

    def _show(self, a: SafetyAssessment) -> None:
        self.assessed_on.setDate(QDate(a.assessed_on.year, a.assessed_on.month, a.assessed_on.day))
        for widget, codes in ((self.threats, a.threats), (self.capacities, a.protective_capacities)):
            for i in range(widget.count()):
                item = widget.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in codes
                                   else Qt.CheckState.Unchecked)
        self.decision.setCurrentIndex(self.decision.findData(a.decision.value))
        self.rationale.setPlainText(a.rationale)
        for row in range(self.form.rowCount()):  # the plan is changed from its own dialog
            field = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if field is not None and field.widget() in (self.plan, self.review_on):
                self.form.setRowVisible(row, False)

    def work(self) -> Callable[[], Any] | None:
        assessed_on, review_on = self.assessed_on.date().toPython(), self.review_on.date().toPython()
        assert isinstance(assessed_on, date) and isinstance(review_on, date)
        store, case_id, visit_id = self.store, self.case_id, self.visit_id
        threats, capacities = checked(self.threats), checked(self.capacities)
        decision, rationale = self.decision.currentData(), self.rationale.toPlainText()
        seen = self.assessment
        if seen is not None:
            changes = {"assessed_on": assessed_on, "threats": threats, "protective_capacities": capacities,
                       "decision": decision, "rationale": rationale}
            return lambda: safety.edit_assessment(store, seen.id, changes, seen)
        actions = self.plan.plan_actions()
        return lambda: safety.add_assessment(
            store, case_id, assessed_on=assessed_on, decision=decision, threats=threats,
            protective_capacities=capacities, rationale=rationale, visit_id=visit_id,
            plan_actions=actions, plan_review_on=review_on if actions else None,
        )


class SafetyPlanDialog(FormDialog):
    """A new safety plan, which becomes the case's current plan; or corrections to an existing one."""

    def __init__(
        self, store: LocalStore, case_id: str, parent: QWidget | None = None, plan: SafetyPlan | None = None
    ) -> None:
        super().__init__(parent, _("Safety plan"), submit=_("&Save plan"))
        self.setMinimumWidth(700)
        self.store, self.case_id, self.seen = store, case_id, plan
        self.plan = PlanActions()
        self.starts_on = QDateEdit(QDate.currentDate())
        self.review_on = QDateEdit(QDate.currentDate().addDays(30))
        for edit in (self.starts_on, self.review_on):
            edit.setCalendarPopup(True)
            in_language(edit, "d MMM yyyy")
        if plan is None:
            self.plan.add_action()
        else:
            for action in plan.actions:
                self.plan.add_action(action.action, action.responsible, action.monitoring)
            self.starts_on.setDate(QDate(plan.starts_on.year, plan.starts_on.month, plan.starts_on.day))
            if plan.review_on is not None:
                self.review_on.setDate(QDate(plan.review_on.year, plan.review_on.month, plan.review_on.day))
        self.add_row(_("&Actions:"), self.plan, _("Safety plan actions"))
        self.add_row(_("&Starts on:"), self.starts_on)
        self.add_row(_("Re&view on:"), self.review_on)

    def work(self) -> Callable[[], Any] | None:
        starts, review = self.starts_on.date().toPython(), self.review_on.date().toPython()
        assert isinstance(starts, date) and isinstance(review, date)
        store, case_id, actions, seen = self.store, self.case_id, self.plan.plan_actions(), self.seen
        if seen is not None:
            changes = {"actions": actions, "starts_on": starts, "review_on": review}
            return lambda: safety.edit_safety_plan(store, seen.id, changes, seen)
        return lambda: safety.add_safety_plan(store, case_id, actions=actions, starts_on=starts, review_on=review)
