"""Tasks in the case file: buttons enabled only when they can act, Undo (Ctrl+Z) and Reopen for a slip."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_kit import open_first_case, wait_idle

from caseworker_app.domain import Task
from caseworker_app.domain.vocabulary import TaskStatus
from caseworker_app.services import tasks
from caseworker_app.ui.background import Op
from caseworker_app.ui.case_file.tasks import TasksTab
from caseworker_app.ui.dialogs.task import TaskDialog
from caseworker_app.ui.main_window import MainWindow

TITLE = "Bring the winter coat voucher"


def row_of(tab: TasksTab, task_id: str) -> int:
    model = tab.table.model()
    for row in range(model.rowCount()):
        payload = tab.table.rows_model.rows[tab.table.proxy.mapToSource(model.index(row, 0)).row()].payload
        if payload.id == task_id:
            return row
    return -1


def status_of(window: MainWindow, task_id: str) -> TaskStatus:
    return window.store.repo.get(Task, task_id).status


def test_task_buttons_follow_the_selection_and_a_slip_is_undone_or_reopened(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = open_first_case(qtbot, window)
    view.tabs.setCurrentWidget(view.tasks)
    tab = view.tasks
    store, case_id = window.store, view.case_id
    added: list[Task] = []
    Op(None, lambda: tasks.add_task(store, case_id, TITLE, date.today())).success(added.append).run()
    qtbot.waitUntil(lambda: bool(added) and row_of(tab, added[0].id) >= 0, timeout=10000)
    task_id = added[0].id

    tab.table.clearSelection()
    buttons = (tab.edit_button, tab.done_button, tab.cancel_button, tab.reopen_button)
    assert [b.isEnabled() for b in buttons] == [False, False, False, False]  # nothing selected: nothing to act on

    tab.table.setFocus()
    tab.table.selectRow(row_of(tab, task_id))
    assert [b.isEnabled() for b in buttons] == [True, True, True, False]  # an open task cannot be reopened

    qtbot.mouseClick(tab.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_of(window, task_id) is TaskStatus.DONE, timeout=10000)
    qtbot.waitUntil(lambda: TITLE in tab.moved.text() and tab.reopen_button.isEnabled(), timeout=10000)
    assert tab.undo_button.isVisible() and not tab.done_button.isEnabled()

    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z
    qtbot.waitUntil(lambda: status_of(window, task_id) is TaskStatus.OPEN, timeout=10000)
    qtbot.waitUntil(lambda: tab.done_button.isEnabled(), timeout=10000)
    assert tab.moved.text() == "" and not tab.undo_button.isVisible()

    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_of(window, task_id) is TaskStatus.CANCELLED, timeout=10000)
    qtbot.waitUntil(lambda: tab.reopen_button.isEnabled(), timeout=10000)
    qtbot.mouseClick(tab.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status_of(window, task_id) is TaskStatus.OPEN, timeout=10000)
    wait_idle(qtbot)
    actions = [e["action"] for e in store.repo.audit_events(case_id=case_id) if e["row_id"] == task_id]
    assert actions == ["create", "complete_task", "undo_task", "cancel_task", "reopen_task"]


def test_an_edit_is_undone_with_ctrl_z(qtbot: QtBot, window: MainWindow) -> None:
    view = open_first_case(qtbot, window)
    view.tabs.setCurrentWidget(view.tasks)
    tab = view.tasks
    store, case_id = window.store, view.case_id
    added: list[Task] = []
    Op(None, lambda: tasks.add_task(store, case_id, TITLE, date.today())).success(added.append).run()
    qtbot.waitUntil(lambda: bool(added) and row_of(tab, added[0].id) >= 0, timeout=10000)
    tab.table.setFocus()
    tab.table.selectRow(row_of(tab, added[0].id))
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.open_cases.last_dialog
    assert isinstance(dialog, TaskDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.title.selectAll()
    qtbot.keyClicks(dialog.title, "Bring two coat vouchers")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.store.repo.get(Task, added[0].id).title == "Bring two coat vouchers", timeout=10000)
    qtbot.waitUntil(lambda: "changed" in tab.moved.text(), timeout=10000)
    window.activateWindow()  # the dialog has closed: the window is active again
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.store.repo.get(Task, added[0].id).title == TITLE, timeout=10000)
    wait_idle(qtbot)
