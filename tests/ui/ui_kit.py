"""Helpers the desktop tests share: wait for the store's worker, unlock the window, open a visit, find a message."""

from __future__ import annotations

from helpers import PASSPHRASE
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from caseworker_app.ui import background
from caseworker_app.ui.app import Desktop
from caseworker_app.ui.case_file.view import CaseFileView
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.visit_form import VisitForm


def wait_idle(qtbot: QtBot, timeout: int = 20000) -> None:
    qtbot.waitUntil(lambda: not background.busy(), timeout=timeout)


def closed(widget: QWidget) -> bool:
    """Hidden, or already freed (dialogs and the main window are deleted once closed)."""
    return not isValid(widget) or not widget.isVisible()


def unlock(qtbot: QtBot, desktop: Desktop, passphrase: str = PASSPHRASE) -> MainWindow:
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None, timeout=20000)
    screen = desktop.unlock_screen
    assert screen is not None
    screen.passphrase.setText(passphrase)
    screen.unlock()
    qtbot.waitUntil(lambda: desktop.main_window is not None, timeout=20000)
    window = desktop.main_window
    assert isinstance(window, MainWindow)
    wait_idle(qtbot)
    return window


def open_first_case(qtbot: QtBot, window: MainWindow) -> CaseFileView:
    """The first case of the list that is not closed, opened with its tabs filled."""
    qtbot.waitUntil(lambda: window.cases.model.rowCount() > 0)
    case = next(c for c in window.cases.model.cases if c.stage != "closed")
    window.open_case(case.id)
    view = window.open_cases.case_views()[0]
    qtbot.waitUntil(lambda: view.file is not None)
    return view


def current_form(window: MainWindow) -> VisitForm:
    widget = window.open_cases.tabs.currentWidget()
    assert isinstance(widget, VisitForm)
    return widget


def new_visit_form(qtbot: QtBot, window: MainWindow) -> VisitForm:
    """A new visit in the first open case, as File > New visit starts it."""
    open_first_case(qtbot, window)
    window.open_cases.new_visit()
    qtbot.waitUntil(lambda: isinstance(window.open_cases.tabs.currentWidget(), VisitForm), timeout=10000)
    return current_form(window)


def open_boxes(title: str | None = None) -> list[QMessageBox]:
    """The message boxes on screen (with that title, when one is given)."""
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible() and title in (None, w.windowTitle())]


def wait_for_box(qtbot: QtBot, title: str, timeout: int = 10000) -> QMessageBox:
    qtbot.waitUntil(lambda: bool(open_boxes(title)), timeout=timeout)
    return open_boxes(title)[0]
