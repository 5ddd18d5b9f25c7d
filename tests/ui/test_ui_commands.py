"""Commands and keyboard: Case actions act on the case in hand, section keys, Ctrl+Enter in dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTabWidget
from pytestqt.qtbot import QtBot
from ui_kit import open_first_case, wait_idle

from caseworker_app.domain import Task
from caseworker_app.ui.dialogs.attempted_contact import AttemptedContactDialog
from caseworker_app.ui.dialogs.task import TaskDialog
from caseworker_app.ui.main_window import CASES, OPEN, TODAY, MainWindow
from caseworker_app.ui.models.case_list import CASE_ID_ROLE
from caseworker_app.ui.visit_form import VisitForm

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def case_menu(window: MainWindow) -> dict[str, str]:
    menu = window._menus["&Case"]
    return {a.text().replace("&", ""): a.shortcut().toString() for a in menu.actions() if a.text()}


def test_ctrl_n_records_a_visit_in_the_case_selected_in_cases(qtbot: QtBot, window: MainWindow) -> None:
    window.go(CASES)
    qtbot.waitUntil(lambda: window.cases.proxy.rowCount() > 2)
    assert window.open_cases.count() == 0  # no case tab open
    table = window.cases.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the second case, chosen with the keyboard
    chosen = table.currentIndex().data(CASE_ID_ROLE)
    qtbot.keyClick(table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: isinstance(window.open_cases.tabs.currentWidget(), VisitForm), timeout=10000)
    form = window.open_cases.tabs.currentWidget()
    assert isinstance(form, VisitForm) and form.case_id == chosen
    assert window.stack.currentIndex() == OPEN


def test_every_case_action_is_in_the_case_menu_with_its_shortcut(window: MainWindow) -> None:
    shown = case_menu(window)
    for words in ("Record a visit", "attempted contact", "safety assessment", "Add a task", "Add a referral",
                  "attendance"):
        found = [keys for text, keys in shown.items() if words in text]
        assert found and found[0], f"{words}: {shown}"
    assert len(set(shown.values())) == len(shown)  # no two actions share a key


def test_a_case_action_from_today_opens_its_dialog_and_ctrl_enter_saves(qtbot: QtBot, window: MainWindow) -> None:
    window.go(TODAY)
    today = window.today
    qtbot.waitUntil(lambda: today.children_due.rows_model.rowCount() > 0, timeout=10000)
    today.children_due.setFocus()
    today.children_due.setCurrentIndex(today.children_due.model().index(0, 0))
    case_id = today.selected_case_id()
    assert case_id
    qtbot.keyClick(today.children_due, Qt.Key.Key_T, CTRL)  # Case > Add a task
    qtbot.waitUntil(lambda: isinstance(window.open_cases.last_dialog, TaskDialog), timeout=10000)
    dialog = window.open_cases.last_dialog
    assert isinstance(dialog, TaskDialog) and dialog.case_id == case_id
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.title.setFocus()
    qtbot.keyClicks(dialog.title, "Ask the nurse about the inhaler")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter saves from the field
    qtbot.waitUntil(lambda: any(t.title == "Ask the nurse about the inhaler"
                                for t in window.store.repo.for_case(Task, case_id)), timeout=10000)
    wait_idle(qtbot)


def test_attempted_contact_errors_speak_of_recording_not_finalizing(qtbot: QtBot, window: MainWindow) -> None:
    open_first_case(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL | SHIFT)  # Case > Record an attempted contact
    qtbot.waitUntil(lambda: isinstance(window.open_cases.last_dialog, AttemptedContactDialog), timeout=10000)
    dialog = window.open_cases.last_dialog
    assert isinstance(dialog, AttemptedContactDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.location.setFocus()
    qtbot.keyClick(dialog.location, Qt.Key.Key_Return, CTRL)  # nothing written yet
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10000)
    text = dialog.error.text()
    assert "finaliz" not in text.lower() and "attempted contact" in text and "narrative" in text
    dialog.reject()


def test_case_file_sections_switch_with_ctrl_page_keys_and_have_mnemonics(qtbot: QtBot, window: MainWindow) -> None:
    view = open_first_case(qtbot, window)
    tabs: QTabWidget = view.tabs
    assert all("&" in tabs.tabText(i).replace("&&", "") for i in range(tabs.count()))
    view.overview.setFocus()
    QApplication.processEvents()
    start = tabs.currentIndex()
    qtbot.keyClick(tabs.currentWidget(), Qt.Key.Key_PageDown, CTRL)
    assert tabs.currentIndex() == (start + 1) % tabs.count()
    qtbot.keyClick(tabs.currentWidget(), Qt.Key.Key_PageUp, CTRL)
    assert tabs.currentIndex() == start
