"""The case file's actions: visit forms and the dialogs of each tab, each calling one use case.

Kept apart from the tabs so that a tab only shows and asks; this module opens the
dialog or form. No view is reloaded from here: every write announces what it changed
(services/changes.py) and each open view re-reads what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QWidget

from caseworker_app.domain.entities import Note, Person, Referral, SafetyAssessment, SafetyPlan, Task, Visit
from caseworker_app.domain.vocabulary import PersonRole
from caseworker_app.i18n import _
from caseworker_app.services import tasks
from caseworker_app.store.queries import DraftVisit
from caseworker_app.ui import visit_io
from caseworker_app.ui.background import Op

if TYPE_CHECKING:
    from caseworker_app.ui.case_file.view import CaseFileView
    from caseworker_app.ui.open_cases import OpenCases
    from caseworker_app.ui.visit_form import VisitForm


def wire_case_actions(open_cases: OpenCases, view: CaseFileView) -> None:
    case_id = view.case_id
    contacts, tasks_tab = view.contacts, view.tasks
    contacts.open_visit.connect(lambda visit: open_visit(open_cases, visit.id))
    contacts.record_visit.connect(lambda: start_visit_form(open_cases, case_id))
    contacts.record_attempt.connect(lambda: _attempted(open_cases, view))
    contacts.add_addendum.connect(lambda note: addendum(open_cases, note, view))
    tasks_tab.new_task.connect(lambda: _dialog(open_cases, view, _task_dialog(open_cases, case_id, view)))
    tasks_tab.edit_task.connect(lambda task: _edit_task(open_cases, view, task))
    tasks_tab.complete_task.connect(lambda task: _task_move(view, task, tasks.complete_task))
    tasks_tab.cancel_task.connect(lambda task: _task_move(view, task, tasks.cancel_task))
    tasks_tab.reopen_task.connect(lambda task: _task_move(view, task, tasks.reopen_task))
    tasks_tab.undo_move.connect(lambda move: _undo_task_move(view, move))
    view.safety.new_assessment.connect(lambda: new_assessment(open_cases))
    view.safety.edit_assessment.connect(lambda a: _with_file(open_cases, view, lambda v: _assessment_dialog(v, a)))
    view.safety.new_plan.connect(lambda: _with_file(open_cases, view, _plan_dialog))
    view.safety.edit_plan.connect(lambda plan: _with_file(open_cases, view, lambda v: _plan_dialog(v, plan)))
    view.safety.set_goals.connect(lambda: _with_file(open_cases, view, _goals_dialog))
    view.referrals.new_referral.connect(lambda: _with_file(open_cases, view, _referral_dialog))
    view.referrals.move_referral.connect(lambda r: _with_file(open_cases, view, lambda v: _move_dialog(v, r)))
    view.referrals.edit_referral.connect(lambda r: _with_file(open_cases, view, lambda v: _referral_dialog(v, r)))
    view.attendance.record_attendance.connect(lambda: _with_file(open_cases, view, _attendance_dialog))
    view.members.add_member.connect(lambda: _with_file(open_cases, view, lambda v: _member_dialog(v, None)))
    view.members.edit_member.connect(lambda p: _with_file(open_cases, view, lambda v: _member_dialog(v, p)))
    view.overview.change_stage.connect(lambda: _with_file(open_cases, view, _stage_dialog))


# -- visits -------------------------------------------------------------------------------------


def open_visit(open_cases: OpenCases, visit_id: str) -> None:
    """Bring an open form for the visit forward, or load it and open a tab for it."""
    from caseworker_app.ui.visit_form import VisitForm

    for widget in open_cases.widgets():
        if isinstance(widget, VisitForm) and widget.visit.id == visit_id:
            open_cases.tabs.setCurrentWidget(widget)
            return
    store = open_cases.store
    Op(open_cases, lambda: visit_io.load_visit(store, visit_id), what=_("opening a visit")).success(
        lambda loaded: _show_form(open_cases, loaded)
    ).run()


def start_visit_form(open_cases: OpenCases, case_id: str, on_open: Callable[[VisitForm], None] | None = None) -> None:
    """A new draft visit in the case (Ctrl+N), opened in its own tab."""
    store = open_cases.store

    def opened(loaded: visit_io.LoadedVisit) -> None:
        form = _show_form(open_cases, loaded)
        if on_open is not None:
            on_open(form)

    Op(open_cases, lambda: visit_io.start_visit(store, case_id), what=_("starting a visit")).success(opened).run()


def _show_form(open_cases: OpenCases, loaded: visit_io.LoadedVisit) -> VisitForm:
    from caseworker_app.ui.visit_form import VisitForm

    form = VisitForm(open_cases.store, loaded)
    form.add_addendum.connect(lambda note: addendum(open_cases, note, None, form))
    form.start_assessment.connect(lambda visit: new_assessment(open_cases, visit))
    open_cases.add_tab(form, _("Visit · {family}").format(family=loaded.family_name))
    if form.is_final:
        form.addendum_button.setFocus()
    else:
        form.narrative.setFocus()
    return form


def addendum(open_cases: OpenCases, note: Note, view: CaseFileView | None, form: VisitForm | None = None) -> None:
    from caseworker_app.ui.dialogs.addendum import AddendumDialog

    dialog = AddendumDialog(open_cases.store, note, form or view)

    def added(_note: Note) -> None:
        if form is not None:
            store, visit_id = open_cases.store, form.visit.id
            Op(form, lambda: visit_io.load_visit(store, visit_id), what=_("reloading a visit")).success(
                lambda loaded: form.show_addenda(loaded.addenda)
            ).run()

    dialog.completed.connect(added)
    dialog.open()
    open_cases.last_dialog = dialog


def _attempted(open_cases: OpenCases, view: CaseFileView) -> None:
    from caseworker_app.ui.dialogs.attempted_contact import AttemptedContactDialog

    _dialog(open_cases, view, AttemptedContactDialog(open_cases.store, view.case_id, view))


def new_visit(open_cases: OpenCases) -> None:
    case_id = open_cases.current_case_id()
    if case_id is not None:
        start_visit_form(open_cases, case_id)


def new_assessment(open_cases: OpenCases, visit: Visit | None = None) -> None:
    """Start a safety assessment in the open case (linked to the visit when started from one)."""
    from caseworker_app.ui.dialogs.safety import SafetyAssessmentDialog

    case_id = visit.case_id if visit is not None else open_cases.current_case_id()
    if case_id is None:
        return
    parent = open_cases.tabs.currentWidget() or open_cases
    dialog = SafetyAssessmentDialog(open_cases.store, case_id, visit.id if visit else None, parent)
    dialog.open()
    open_cases.last_dialog = dialog


def open_draft(open_cases: OpenCases, draft: DraftVisit) -> None:
    open_visit(open_cases, draft.visit.id)


# -- tasks --------------------------------------------------------------------------------------


def _task_dialog(open_cases: OpenCases, case_id: str, view: CaseFileView, task: Task | None = None) -> QDialog:
    from caseworker_app.ui.dialogs.task import TaskDialog

    return TaskDialog(open_cases.store, case_id, view, task)


def _task_move(view: CaseFileView, task: Task, move: Callable[[Any, str], Task]) -> None:
    """Mark done, cancel or reopen; the tab then offers to undo it."""
    from caseworker_app.ui.case_file.tasks import TaskMove

    store = view.store
    Op(view, lambda: move(store, task.id), what=_("updating a task")).success(
        lambda moved: view.tasks.remember(TaskMove(task.id, task.title, task.status, moved.status))
        if moved.status is not task.status else None
    ).run()


def _edit_task(open_cases: OpenCases, view: CaseFileView, task: Task) -> None:
    """Edit a task; the tab then offers to undo the edit."""
    from caseworker_app.ui.case_file.tasks import TaskEdit

    dialog = _task_dialog(open_cases, view.case_id, view, task)

    def edited(saved: Any) -> None:
        changed = tuple(getattr(saved, "changed", ()))
        if changed:
            before = {name: getattr(task, name) for name in changed}
            view.tasks.remember(TaskEdit(task.id, saved.record.title, before, saved.record))

    dialog.completed.connect(edited)  # type: ignore[attr-defined]
    _dialog(open_cases, view, dialog)


def _undo_task_move(view: CaseFileView, move: Any) -> None:
    from caseworker_app.ui.case_file.tasks import TaskEdit

    store = view.store
    if isinstance(move, TaskEdit):
        Op(view, lambda: tasks.undo_task_edit(store, move.task_id, before=move.before, after=move.after),
           what=_("undoing a task change")).run()
        return
    Op(view, lambda: tasks.undo_task_move(store, move.task_id, was=move.was, now=move.now),
       what=_("undoing a task change")).run()


# -- dialogs that need the loaded case file ----------------------------------------------------------


def _with_file(open_cases: OpenCases, view: CaseFileView, make: Callable[[CaseFileView], QDialog]) -> None:
    if view.file is not None:
        _dialog(open_cases, view, make(view))


def _children(view: CaseFileView) -> list[Person]:
    assert view.file is not None
    return [p for p in view.file.detail.people if p.role is PersonRole.CHILD]


def _assessment_dialog(view: CaseFileView, assessment: SafetyAssessment) -> QDialog:
    from caseworker_app.ui.dialogs.safety import SafetyAssessmentDialog

    return SafetyAssessmentDialog(view.store, view.case_id, assessment.visit_id, view, assessment)


def _plan_dialog(view: CaseFileView, plan: SafetyPlan | None = None) -> QDialog:
    from caseworker_app.ui.dialogs.safety import SafetyPlanDialog

    return SafetyPlanDialog(view.store, view.case_id, view, plan)


def _goals_dialog(view: CaseFileView) -> QDialog:
    from caseworker_app.ui.dialogs.permanency import PermanencyDialog

    return PermanencyDialog(view.store, _children(view), view)


def _referral_dialog(view: CaseFileView, referral: Referral | None = None) -> QDialog:
    from caseworker_app.ui.dialogs.referral import ReferralDialog

    assert view.file is not None
    return ReferralDialog(view.store, view.case_id, view.file.detail.people, view, referral)


def _move_dialog(view: CaseFileView, referral: Referral) -> QDialog:
    from caseworker_app.ui.dialogs.referral import ReferralMoveDialog

    return ReferralMoveDialog(view.store, referral, view)


def _attendance_dialog(view: CaseFileView) -> QDialog:
    from caseworker_app.ui.dialogs.attendance import AttendanceDialog

    return AttendanceDialog(view.store, _children(view), view)


def _member_dialog(view: CaseFileView, person: Person | None) -> QDialog:
    from caseworker_app.ui.dialogs.member import MemberDialog

    assert view.file is not None
    return MemberDialog(view.store, view.case_id, view.file.schools, person, view)


def _stage_dialog(view: CaseFileView) -> QDialog:
    from caseworker_app.ui.dialogs.case_stage import CaseStageDialog

    assert view.file is not None
    return CaseStageDialog(view.store, view.file.detail.case, view)


# -- shared ---------------------------------------------------------------------------------------


def _dialog(open_cases: OpenCases, view: QWidget, dialog: QDialog) -> None:
    """Open a form dialog; its use case's write announces itself, so nothing reloads here."""
    dialog.open()
    open_cases.last_dialog = dialog
