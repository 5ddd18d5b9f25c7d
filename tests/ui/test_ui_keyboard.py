"""Keyboard only: unlock, find a case, record a home visit and finalize it with key events alone."""

from __future__ import annotations

from helpers import PASSPHRASE
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from ui_kit import wait_idle

from caseworker_app.domain.entities import Note, Visit
from caseworker_app.ui.app import Desktop
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.visit_form import VisitForm


def focused(qtbot: QtBot) -> QWidget:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(qtbot), key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(qtbot), text)


def tab_to(qtbot: QtBot, name: str, *, back: bool = False) -> QWidget:
    """Press Tab (or Shift+Tab) until the widget with this accessible name has the focus."""
    for _ in range(60):
        widget = focused(qtbot)
        if widget.accessibleName() == name:
            return widget
        press(qtbot, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab,
              Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier)
    raise AssertionError(f"Tab never reached {name!r}; stuck on {focused(qtbot).accessibleName()!r}")


def test_record_and_finalize_a_visit_with_the_keyboard_alone(qtbot: QtBot, desktop: Desktop) -> None:
    qtbot.waitUntil(lambda: desktop.unlock_window is not None)
    assert desktop.unlock_window is not None
    desktop.unlock_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and
                    QApplication.focusWidget().accessibleName() == "Passphrase", timeout=5000)
    type_text(qtbot, PASSPHRASE)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.main_window is not None, timeout=20000)
    window = desktop.main_window
    assert isinstance(window, MainWindow)
    window.activateWindow()
    wait_idle(qtbot)
    family = next(c for c in window.cases.model.cases if c.stage != "closed").family_name

    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused(qtbot) is window.cases.search
    type_text(qtbot, family)
    qtbot.waitUntil(lambda: window.cases.last_page is not None and window.cases.last_page.text == family, timeout=20000)
    press(qtbot, Qt.Key.Key_Down)
    assert focused(qtbot) is window.cases.results
    press(qtbot, Qt.Key.Key_Return)
    wait_idle(qtbot)
    view = window.open_cases.case_views()[0]
    qtbot.waitUntil(lambda: view.file is not None)

    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.open_cases.tabs.currentWidget(), VisitForm), timeout=10000)
    form = window.open_cases.tabs.currentWidget()
    assert isinstance(form, VisitForm)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.narrative)
    type_text(qtbot, "Home visit; everyone present. The family is settled in the new apartment.")
    tab_to(qtbot, "Purpose", back=True)
    type_text(qtbot, "Monthly home visit")
    tab_to(qtbot, "Location", back=True)
    type_text(qtbot, "Family home")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is form.participants
    press(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is form.others
    press(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is form.child_rows[0].outcome
    for row in form.child_rows:
        tab_to(qtbot, row.outcome.accessibleName())
        press(qtbot, Qt.Key.Key_Down)  # "Seen", the first choice after the prompt
    # the form reads top to bottom: after the children come purpose, observations, narrative
    tab_to(qtbot, "Purpose")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is form.observations
    press(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is form.narrative
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # save now
    qtbot.waitUntil(lambda: form.saved_label.text().startswith("Saved "), timeout=10000)

    tab_to(qtbot, "Finalize the visit and its note")
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: getattr(form, "confirm_box", None) is not None and form.confirm_box.isVisible(),
                    timeout=10000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and
                    QApplication.focusWidget().window() is form.confirm_box, timeout=5000)
    press(qtbot, Qt.Key.Key_Return)  # Yes is the default button
    qtbot.waitUntil(lambda: form.is_final, timeout=10000)
    wait_idle(qtbot)
    assert form.narrative.isReadOnly()
    note = window.store.repo.get(Note, form.note.id)
    visit = window.store.repo.get(Visit, form.visit.id)
    assert note.is_final and note.narrative.startswith("Home visit; everyone present")
    assert (visit.purpose, visit.location) == ("Monthly home visit", "Family home")
    assert all(c.seen for c in visit.children) and len(visit.children) == len(form.child_rows)
