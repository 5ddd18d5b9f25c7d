"""The family's language for written material, recorded in the case file: on the case (stage dialog,
shown on the overview by name) and on an adult member (member dialog), chosen with the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_ui_case_actions import dialog_of, open_case, submit

from caseworker_app.domain.entities import Case, Person
from caseworker_app.domain.vocabulary import PersonRole
from caseworker_app.ui.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier


def pick_by_keyboard(qtbot: QtBot, dialog: object, combo: object, mnemonic: Qt.Key, name: str) -> None:
    """Alt+mnemonic to the list, then Down until `name` shows."""
    dialog.activateWindow()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog and QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), mnemonic, ALT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo, timeout=5000)
    for _ in range(combo.count()):  # type: ignore[attr-defined]
        if combo.currentText() == name:  # type: ignore[attr-defined]
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # type: ignore[arg-type]
    raise AssertionError(f"{name} is not in the list")


def test_the_familys_written_language_is_set_and_shown_by_name(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window, lambda c: not c.preferred_language)
    qtbot.waitUntil(lambda: view.overview.values["Written language"].text() == "Not recorded")
    view.overview.change_stage.emit()
    dialog = dialog_of(window)
    pick_by_keyboard(qtbot, dialog, dialog.language, Qt.Key.Key_W, "Vietnamese")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    assert window.store.repo.get(Case, view.case_id).preferred_language == "vi"
    qtbot.waitUntil(lambda: view.overview.values["Written language"].text() == "Vietnamese")


def test_an_adult_members_written_language_is_edited_in_the_member_dialog(qtbot: QtBot, window: MainWindow) -> None:
    view = open_case(qtbot, window)
    adult = next(p for p in window.store.repo.for_case(Person, view.case_id) if p.role is PersonRole.CAREGIVER)
    view.tabs.setCurrentWidget(view.members)
    view.members.edit_member.emit(adult)
    dialog = dialog_of(window)
    pick_by_keyboard(qtbot, dialog, dialog.language, Qt.Key.Key_W, "Spanish")  # type: ignore[attr-defined]
    submit(qtbot, dialog)
    assert window.store.repo.get(Person, adult.id).preferred_language == "es"
