"""Every case file tab's actions, driven through the window, reach the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from ui_kit import wait_idle

from caseworker_app.domain.entities import (
    AttendanceRecord,
    Case,
    Person,
    Referral,
    SafetyAssessment,
    SafetyPlan,
    Task,
    Visit,
)
from caseworker_app.domain.vocabulary import Placement, ReferralStatus, TaskStatus
from caseworker_app.ui.case_file.view import CaseFileView
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.widgets.form_dialog import FormDialog


def open_case(qtbot: QtBot, window: MainWindow, pick: Callable[[Case], bool] = lambda c: True) -> CaseFileView:
    qtbot.waitUntil(lambda: window.cases.model.rowCount() > 0)
    children = {p.case_id for p in window.store.repo.all(Person) if p.role == "child"}
    case = next(c for c in window.store.repo.all(Case) if c.stage != "closed" and c.id in children and pick(c))
    window.open_case(case.id)
    view = window.open_cases.case_views()[-1]
    qtbot.waitUntil(lambda: view.file is not None)
    return view


def dialog_of(window: MainWindow) -> FormDialog:
    dialog = window.open_cases.last_dialog
    assert isinstance(dialog, FormDialog) and dialog.isVisible()
    return dialog


def submit(qtbot: QtBot, dialog: FormDialog) -> None:
    """Save; once saved the dialog closes and is freed, so it is not touched after that."""
    saved: list[object] = []
    dialog.completed.connect(saved.append)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: bool(saved) or dialog.error.isVisible(), timeout=10000)
    assert saved, dialog.error.text()
    wait_idle(qtbot)


def check_first(widget: object, count: int) -> None:
    for i in range(count):
        widget.item(i).setCheckState(Qt.CheckState.Checked)  # type: ignore[attr-defined]


def test_safety_assessment_with_plan_and_a_later_plan(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window)
    view.tabs.setCurrentWidget(view.safety)
    view.safety.new_assessment.emit()
    dialog = dialog_of(window)
    check_first(dialog.threats, 1)  # type: ignore[attr-defined]
    check_first(dialog.capacities, 2)  # type: ignore[attr-defined]
    dialog.decision.setCurrentIndex(dialog.decision.findData("conditionally_safe"))  # type: ignore[attr-defined]
    dialog.rationale.setPlainText("Mother agreed to the plan; grandmother will stay nights.")  # type: ignore[attr-defined]
    dialog.plan.add_action("Grandmother stays overnight", "Grandmother", "Daily call")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    assessments = window.store.repo.for_case(SafetyAssessment, view.case_id)
    latest = max(assessments, key=lambda a: (a.assessed_on, a.rationale.startswith("Mother agreed")))
    assert latest.decision == "conditionally_safe" and len(latest.threats) == 1
    plans = [p for p in window.store.repo.for_case(SafetyPlan, view.case_id) if p.active]
    assert [a.action for p in plans for a in p.actions] == ["Grandmother stays overnight"]
    qtbot.waitUntil(lambda: "Grandmother stays overnight" in view.safety.plan.text())

    # correct the assessment: its rationale and one more protective capacity
    view.safety.edit_assessment.emit(latest)
    dialog = dialog_of(window)
    assert dialog.rationale.toPlainText() == latest.rationale  # type: ignore[attr-defined]
    check_first(dialog.capacities, 3)  # type: ignore[attr-defined]
    dialog.rationale.setPlainText("Mother agreed to the plan; grandmother stays nights and checks in daily.")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    corrected = window.store.repo.get(SafetyAssessment, latest.id)
    assert corrected.rationale.endswith("checks in daily.") and len(corrected.protective_capacities) == 3
    assert corrected.threats == latest.threats

    view.safety.new_plan.emit()
    dialog = dialog_of(window)
    dialog.plan.table.item(0, 0).setText("Mother attends counselling weekly")  # type: ignore[attr-defined]
    dialog.plan.table.item(0, 1).setText("Mother")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    active = [p for p in window.store.repo.for_case(SafetyPlan, view.case_id) if p.active]
    assert [a.action for p in active for a in p.actions] == ["Mother attends counselling weekly"]

    # correct the current plan: who is responsible, and a second action; still one plan in force
    qtbot.waitUntil(lambda: view.safety.current_plan is not None and view.safety.current_plan.id == active[0].id)
    view.safety._edit_plan()
    dialog = dialog_of(window)
    assert dialog.plan.table.item(0, 0).text() == "Mother attends counselling weekly"  # type: ignore[attr-defined]
    dialog.plan.table.item(0, 1).setText("Mother and aunt")  # type: ignore[attr-defined]
    dialog.plan.add_action("Aunt drives to counselling", "Aunt", "Counsellor confirms attendance")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    (edited,) = [p for p in window.store.repo.for_case(SafetyPlan, view.case_id) if p.active]
    assert edited.id == active[0].id
    assert [(a.action, a.responsible) for a in edited.actions] == [
        ("Mother attends counselling weekly", "Mother and aunt"),
        ("Aunt drives to counselling", "Aunt"),
    ]
    qtbot.waitUntil(lambda: "Aunt drives to counselling" in view.safety.plan.text())


def test_a_rule_broken_in_a_dialog_stays_in_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window)
    view.safety.new_assessment.emit()
    dialog = dialog_of(window)
    check_first(dialog.threats, 1)  # type: ignore[attr-defined]
    dialog.decision.setCurrentIndex(dialog.decision.findData("safe"))  # type: ignore[attr-defined]
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10000)
    assert "cannot be 'safe'" in dialog.error.text() and dialog.isVisible()
    dialog.reject()


def test_permanency_goals_for_an_out_of_home_child(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window, lambda c: c.placement is Placement.OUT_OF_HOME)
    view.safety.set_goals.emit()
    dialog = dialog_of(window)
    dialog.primary.setCurrentIndex(dialog.primary.findData("reunification"))  # type: ignore[attr-defined]
    dialog.alternative.setCurrentIndex(dialog.alternative.findData("guardianship"))  # type: ignore[attr-defined]
    child_id = dialog.child.currentData()  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    goals = [g for g in case_service_goals(window, view.case_id) if g.child_id == child_id]
    assert [(g.primary, g.alternative) for g in goals] == [("reunification", "guardianship")]
    goals_label = view.overview.values["Permanency goals"]
    qtbot.waitUntil(lambda: "Reunification; alternative Guardianship" in goals_label.text())


def case_service_goals(window: MainWindow, case_id: str) -> list:  # type: ignore[type-arg]
    from caseworker_app.domain.entities import PermanencyGoal

    return window.store.repo.for_case(PermanencyGoal, case_id)


def test_referral_added_edited_then_moved(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window)
    before = {r.id for r in window.store.repo.for_case(Referral, view.case_id)}
    view.tabs.setCurrentWidget(view.referrals)
    view.referrals.new_referral.emit()
    dialog = dialog_of(window)
    dialog.service.setCurrentIndex(dialog.service.findData("food_backpack"))  # type: ignore[attr-defined]
    dialog.agency.setText("Westside Food Pantry")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    new = [r for r in window.store.repo.for_case(Referral, view.case_id) if r.id not in before]
    assert [(r.service, r.agency, r.status) for r in new] == [("food_backpack", "Westside Food Pantry", "referred")]
    qtbot.waitUntil(lambda: any(row.payload.id == new[0].id for row in view.referrals.table.rows_model.rows))

    # Enter on the row edits its details; the status stays where it was
    table = view.referrals.table
    row = next(i for i, r in enumerate(table.rows_model.rows) if r.payload.id == new[0].id)
    table.setCurrentIndex(table.model().index(row, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = dialog_of(window)
    assert dialog.windowTitle() == "Edit the referral" and dialog.agency.text() == "Westside Food Pantry"  # type: ignore[attr-defined]
    dialog.agency.setText("Eastside Food Pantry")  # type: ignore[attr-defined]
    dialog.notes.setPlainText("Pickup on Fridays after school.")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    edited = window.store.repo.get(Referral, new[0].id)
    assert (edited.agency, edited.notes, edited.service, edited.status) == (
        "Eastside Food Pantry", "Pickup on Fridays after school.", "food_backpack", "referred")

    view.referrals.move_referral.emit(edited)
    dialog = dialog_of(window)
    dialog.status.setCurrentIndex(dialog.status.findData("accepted"))  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    moved = window.store.repo.get(Referral, new[0].id)
    assert (moved.status, moved.agency) == (ReferralStatus.ACCEPTED, "Eastside Food Pantry")


def test_attendance_recorded_and_flagged_chronic(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window)
    view.tabs.setCurrentWidget(view.attendance)
    view.attendance.record_attendance.emit()
    dialog = dialog_of(window)
    dialog.period.setDate(QDate(2027, 6, 1))  # type: ignore[attr-defined]
    dialog.enrolled.setValue(20)  # type: ignore[attr-defined]
    dialog.absent.setValue(19)  # type: ignore[attr-defined]
    child_id = dialog.child.currentData()  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    records = [r for r in window.store.repo.for_case(AttendanceRecord, view.case_id) if r.period == "2027-06"]
    assert [(r.child_id, r.days_absent) for r in records] == [(child_id, 19)]
    qtbot.waitUntil(lambda: any(r.cells[1] == "Jun 2027" and r.cells[6].startswith("Chronically")
                                for r in view.attendance.table.rows_model.rows))


def test_tasks_added_done_and_cancelled(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window)
    view.tabs.setCurrentWidget(view.tasks)
    for title in ("Call the school nurse", "Drop off bus pass"):
        view.tasks.new_task.emit()
        dialog = dialog_of(window)
        dialog.title.setText(title)  # type: ignore[attr-defined]
        submit(qtbot, dialog)
    stored = {t.title: t for t in window.store.repo.for_case(Task, view.case_id)}
    assert stored["Call the school nurse"].status is TaskStatus.OPEN
    view.tasks.edit_task.emit(stored["Call the school nurse"])
    dialog = dialog_of(window)
    dialog.title.setText("Call the school nurse about the inhaler")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    assert window.store.repo.get(Task, stored["Call the school nurse"].id).title.endswith("about the inhaler")
    stored["Call the school nurse"] = window.store.repo.get(Task, stored["Call the school nurse"].id)
    view.tasks.complete_task.emit(stored["Call the school nurse"])
    view.tasks.cancel_task.emit(stored["Drop off bus pass"])
    wait_idle(qtbot)
    assert window.store.repo.get(Task, stored["Call the school nurse"].id).status is TaskStatus.DONE
    assert window.store.repo.get(Task, stored["Drop off bus pass"].id).status is TaskStatus.CANCELLED


def test_members_added_and_edited(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window)
    view.tabs.setCurrentWidget(view.members)
    view.members.add_member.emit()
    dialog = dialog_of(window)
    dialog.role.setCurrentIndex(dialog.role.findData("caregiver"))  # type: ignore[attr-defined]
    dialog.first_name.setText("Rosa")  # type: ignore[attr-defined]
    dialog.last_name.setText("Delgado")  # type: ignore[attr-defined]
    dialog.relationship.setText("aunt")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    people = window.store.repo.for_case(Person, view.case_id)
    assert any(p.first_name == "Rosa" and p.relationship == "aunt" for p in people)

    child = next(p for p in people if p.role == "child")
    view.members.edit_member.emit(child)
    dialog = dialog_of(window)
    dialog.grade.setText("4")  # type: ignore[attr-defined]
    dialog.student_id.setText("S-55501")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    edited = window.store.repo.get(Person, child.id)
    assert (edited.grade, edited.student_id, edited.first_name) == ("4", "S-55501", child.first_name)


def test_stage_and_risk_changed(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window, lambda c: c.stage != "closing" and c.risk_level != "very_high")
    view.overview.change_stage.emit()
    dialog = dialog_of(window)
    dialog.stage.setCurrentIndex(dialog.stage.findData("closing"))  # type: ignore[attr-defined]
    dialog.risk.setCurrentIndex(dialog.risk.findData("very_high"))  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    case = window.store.repo.get(Case, view.case_id)
    assert (case.stage, case.risk_level) == ("closing", "very_high")
    qtbot.waitUntil(lambda: view.overview.values["Risk level"].text() == "Very high")


def test_attempted_contact_is_recorded_final(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window)
    before = {v.id for v in window.store.repo.for_case(Visit, view.case_id)}
    view.contacts.record_attempt.emit()
    dialog = dialog_of(window)
    dialog.when.setDateTime(dialog.when.dateTime().addSecs(-3600))  # type: ignore[attr-defined]
    dialog.location.setText("Family home")  # type: ignore[attr-defined]
    dialog.narrative.setPlainText("No answer at the door; left a card.")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    new = [v for v in window.store.repo.for_case(Visit, view.case_id) if v.id not in before]
    assert [v.status for v in new] == ["attempted"]
    _ = date
