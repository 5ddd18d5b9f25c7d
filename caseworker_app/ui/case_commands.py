"""The Case menu's commands, acting on the case in hand: the open case tab, else the case selected in Cases or Today.

Ctrl+N and every other case action work wherever the person is looking at a case, not only
in an open case file: a dialog that needs the case file opens it first, then the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from caseworker_app.i18n import N_, _
from caseworker_app.ui.case_file import actions

if TYPE_CHECKING:
    from caseworker_app.ui.case_file.view import CaseFileView
    from caseworker_app.ui.main_window import MainWindow

STATUS_MS = 6000
CaseFileAct = Callable[["MainWindow", "CaseFileView"], None]


def _attempt(window: MainWindow, view: CaseFileView) -> None:
    view.tabs.setCurrentWidget(view.contacts)
    view.contacts.record_attempt.emit()


def _task(window: MainWindow, view: CaseFileView) -> None:
    view.tabs.setCurrentWidget(view.tasks)
    view.tasks.new_task.emit()


def _referral(window: MainWindow, view: CaseFileView) -> None:
    view.tabs.setCurrentWidget(view.referrals)
    view.referrals.new_referral.emit()


def _attendance(window: MainWindow, view: CaseFileView) -> None:
    view.tabs.setCurrentWidget(view.attendance)
    view.attendance.record_attendance.emit()


def _assessment(window: MainWindow, view: CaseFileView) -> None:
    view.tabs.setCurrentWidget(view.safety)
    view.safety.new_assessment.emit()


# (menu text, shortcut, what it does with the open case file), in menu order after Record a visit.
CASE_FILE_COMMANDS: tuple[tuple[str, str, CaseFileAct], ...] = (
    (N_("Record an &attempted contact…"), "Ctrl+Shift+N", _attempt),
    (N_("Start a &safety assessment…"), "Ctrl+Shift+S", _assessment),
    (N_("Add a &task…"), "Ctrl+T", _task),
    (N_("Add a &referral…"), "Ctrl+Shift+R", _referral),
    (N_("Record atte&ndance…"), "Ctrl+Shift+A", _attendance),
)


def case_in_hand(window: MainWindow) -> str | None:
    """The case a Case command acts on: the open tab's, or the row selected on Cases or Today."""
    page = window.nav.stack.currentWidget()
    if page is window.open_cases:
        return window.open_cases.current_case_id()
    if page is window.cases:
        return window.cases.selected_case_id()
    if page is window.today:
        return window.today.selected_case_id()
    return None


def _no_case(window: MainWindow) -> None:
    window.statusBar().showMessage(
        _("Select a case first: open it, or choose its row in Today or Cases."), STATUS_MS
    )


def record_visit(window: MainWindow) -> None:
    """Ctrl+N: a new visit in the case in hand, in its own tab."""
    case_id = case_in_hand(window)
    if case_id is None:
        _no_case(window)
        return
    actions.start_visit_form(window.open_cases, case_id)
    window.show_open_cases()


def on_case_file(window: MainWindow, act: CaseFileAct) -> None:
    """Open the case in hand (or bring its tab forward), then act once its file has loaded."""
    case_id = case_in_hand(window)
    if case_id is None:
        _no_case(window)
        return
    view = window.open_cases.open_case(case_id)
    window.show_open_cases()
    if view.file is not None:
        act(window, view)
        return

    def loaded(_file: object) -> None:
        view.loaded.disconnect(loaded)
        act(window, view)

    view.loaded.connect(loaded)
