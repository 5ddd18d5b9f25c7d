"""Every interactive widget on every screen has an accessible name (its own, or a label that is its buddy)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from ui_kit import unlock, wait_idle

from caseworker_app.ui.app import Desktop
from caseworker_app.ui.main_window import CASES, OPEN, TODAY, MainWindow
from caseworker_app.ui.visit_form import VisitForm

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit,
               QAbstractItemView, QTabBar)


def unnamed(root: QWidget) -> list[str]:
    """Visible interactive widgets with no accessible name and no buddy label (parts of composite widgets aside)."""
    buddied = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy() is not None}
    missing = []
    seen = 0
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(root.window()) or not widget.isEnabled():
            continue
        if _inside_composite(widget, root):
            continue
        seen += 1
        if widget.accessibleName().strip() or id(widget) in buddied:
            continue
        text = getattr(widget, "text", lambda: "")()
        missing.append(f"{type(widget).__name__} {widget.objectName()!r} text={text!r}")
    assert seen >= 2, "the walk found no interactive widgets: it would prove nothing"
    return missing


def _inside_composite(widget: QWidget, root: QWidget) -> bool:
    # A combo box's line edit, a spin box's editor, a table's header, a tab widget's bar get their names from it.
    parent = widget.parentWidget()
    while parent is not None and parent is not root.parentWidget():
        if isinstance(parent, INTERACTIVE):
            return True
        parent = parent.parentWidget()
    return False


def test_unlock_screen(qtbot: QtBot, desktop: Desktop) -> None:
    qtbot.waitUntil(lambda: desktop.unlock_window is not None)
    assert desktop.unlock_window is not None
    wait_idle(qtbot)
    assert unnamed(desktop.unlock_window) == []


def test_main_window_screens_case_file_visit_and_dialogs(qtbot: QtBot, desktop: Desktop) -> None:
    window = unlock(qtbot, desktop)
    assert isinstance(window, MainWindow)
    for pane in (TODAY, CASES):
        window.go(pane)
        wait_idle(qtbot)
        assert unnamed(window) == [], pane
    qtbot.keyClicks(window.cases.search, "school")
    qtbot.waitUntil(lambda: window.cases.last_page is not None, timeout=20000)
    assert unnamed(window) == []

    case = next(c for c in window.cases.model.cases if c.stage != "closed")
    window.open_case(case.id)
    window.go(OPEN)
    view = window.open_cases.case_views()[0]
    qtbot.waitUntil(lambda: view.file is not None)
    for tab in view.all_tabs():
        view.tabs.setCurrentWidget(tab)
        assert unnamed(window) == [], tab.title

    dialogs = [view.overview.change_stage, view.members.add_member, view.safety.new_assessment,
               view.safety.new_plan, view.safety.set_goals, view.referrals.new_referral,
               view.attendance.record_attendance, view.tasks.new_task, view.contacts.record_attempt]
    for signal in dialogs:
        signal.emit()
        dialog = window.open_cases.last_dialog
        assert dialog is not None and dialog.isVisible()
        assert unnamed(dialog) == [], dialog.windowTitle()
        dialog.close()

    window.open_cases.new_visit()
    qtbot.waitUntil(lambda: isinstance(window.open_cases.tabs.currentWidget(), VisitForm), timeout=10000)
    assert unnamed(window) == []
    wait_idle(qtbot)
    _ = QApplication
