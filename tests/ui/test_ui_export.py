"""Export summary in the window: Case → Export summary… (Ctrl+E) and the visit form's button, driven
as a person would (keyboard where possible): audience, password rule, preview, progress, Cancel,
then Open file / Show in folder."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from ui_kit import new_visit_form, open_first_case, wait_idle

from caseworker_app.ui.background import Op
from caseworker_app.ui.dialogs import export as export_dialog
from caseworker_app.ui.dialogs.export import ExportDialog
from caseworker_app.ui.main_window import MainWindow

CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def focused(qtbot: QtBot) -> QWidget:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(qtbot), key, modifier)


def opened_dialog(qtbot: QtBot, window: MainWindow) -> ExportDialog:
    qtbot.waitUntil(lambda: isinstance(window.open_cases.last_dialog, ExportDialog), timeout=10000)
    dialog = window.open_cases.last_dialog
    assert isinstance(dialog, ExportDialog)
    qtbot.waitUntil(lambda: dialog.loaded is not None, timeout=20000)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    return dialog


def case_history_dialog(qtbot: QtBot, window: MainWindow) -> tuple[ExportDialog, str]:
    view = open_first_case(qtbot, window)
    assert view.file is not None
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    press(qtbot, Qt.Key.Key_E, CTRL)
    return opened_dialog(qtbot, window), view.file.detail.case.family_name


def choose(qtbot: QtBot, dialog: ExportDialog, audience: export_dialog.Audience, key: Qt.Key) -> None:
    """Alt+letter on an audience (a button's mnemonic clicks it after a short animation)."""
    press(qtbot, key, ALT)
    qtbot.waitUntil(lambda: dialog.audience_buttons[audience].isChecked(), timeout=5000)


def save_into(qtbot: QtBot, dialog: ExportDialog, folder: Path) -> Path:
    """Alt+V to the file name, keep the suggested name, put it in `folder`."""
    press(qtbot, Qt.Key.Key_V, ALT)
    assert focused(qtbot) is dialog.path
    name = Path(dialog.path.text()).name
    press(qtbot, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(dialog.path, str(folder / name))
    return folder / name


def test_case_history_exported_with_the_keyboard_alone(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(export_dialog, "open_url", lambda url: opened.append(url) or True)
    dialog, family = case_history_dialog(qtbot, window)
    assert dialog.windowTitle() == "Export case history"

    choose(qtbot, dialog, export_dialog.Audience.SCHOOL, Qt.Key.Key_S)  # the school's copy
    assert "Optional" in dialog.password_rule.text()
    target = save_into(qtbot, dialog, tmp_path)
    assert family not in target.name
    assert target.name.endswith("school.pdf") and " case history " in target.name
    press(qtbot, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    assert target.is_file()
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Prepared for the school" in text
    assert f"Saved to {target}" in dialog.status.text()
    assert dialog.open_button.isVisible() and dialog.folder_button.isVisible()
    events = window.store.repo.audit_events(action="export")
    assert events[-1]["detail"]["path"] == str(target)  # the export is in the audit log

    assert focused(qtbot) is dialog.open_button  # the next step has the focus
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=5000)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is dialog.folder_button
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=5000)
    assert [u.toLocalFile() for u in opened] == [str(target), str(tmp_path)]


def test_the_internal_copy_asks_for_the_password_the_agency_requires(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog, _family = case_history_dialog(qtbot, window)
    choose(qtbot, dialog, export_dialog.Audience.FULL, Qt.Key.Key_I)
    assert "Required by your agency for this copy: at least 8 characters" in dialog.password_rule.text()
    target = save_into(qtbot, dialog, tmp_path)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.problem.isVisible(), timeout=5000)
    assert "requires a password" in dialog.problem.text()
    assert focused(qtbot) is dialog.password
    assert not target.exists()

    qtbot.keyClicks(dialog.password, "river-stone-42")
    press(qtbot, Qt.Key.Key_R, ALT)
    qtbot.keyClicks(dialog.password_again, "river-stone-42")
    press(qtbot, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter exports too
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    assert PdfReader(io.BytesIO(target.read_bytes())).is_encrypted


def test_cancel_stops_the_export_and_writes_nothing(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog, _family = case_history_dialog(qtbot, window)
    target = save_into(qtbot, dialog, tmp_path)
    wait_idle(qtbot)
    # Hold the store's worker so the export is still waiting when Cancel is pressed.
    gate = threading.Event()
    Op(None, lambda: gate.wait(30), what="holding the worker").run()
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.progress.isVisible()
    assert not dialog.export_button.isEnabled()
    press(qtbot, Qt.Key.Key_Escape)  # Esc cancels the export; it does not close the dialog
    gate.set()
    qtbot.waitUntil(lambda: "cancelled" in dialog.status.text(), timeout=30000)
    assert dialog.isVisible()
    assert not target.exists() and list(tmp_path.glob("*.part")) == []
    assert dialog.export_button.isEnabled()


def test_the_preview_shows_the_first_page_of_the_chosen_copy(qtbot: QtBot, window: MainWindow) -> None:
    dialog, _family = case_history_dialog(qtbot, window)
    qtbot.waitUntil(lambda: dialog.preview.image is not None, timeout=30000)
    family_page = dialog.preview.image
    assert family_page is not None and family_page.width() == 600
    choose(qtbot, dialog, export_dialog.Audience.SCHOOL, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: dialog.preview.image is not None and dialog.preview.image != family_page,
                    timeout=30000)
    assert dialog.preview.image is not None
    assert dialog.preview.image.height() > dialog.preview.image.width()  # a portrait page


def test_a_visit_form_exports_its_visit_summary(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    form = new_visit_form(qtbot, window)
    qtbot.keyClicks(form.location, "Family home")
    form.export_button.click()
    qtbot.waitUntil(lambda: isinstance(getattr(form, "export_dialog", None), ExportDialog), timeout=10000)
    dialog = form.export_dialog
    qtbot.waitUntil(lambda: dialog.loaded is not None, timeout=20000)
    assert dialog.windowTitle() == "Export visit summary"
    assert "visit summary" in Path(dialog.path.text()).name
    dialog.path.setText(str(tmp_path / Path(dialog.path.text()).name))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    text = " ".join(p.extract_text() or "" for p in PdfReader(dialog.written).pages)
    assert "Visit summary" in text and "Family home" in text  # the draft was saved before the export


def test_an_existing_file_is_replaced_only_when_the_person_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog, _family = case_history_dialog(qtbot, window)
    target = save_into(qtbot, dialog, tmp_path)
    target.write_bytes(b"an earlier copy")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.replace_box is not None and dialog.replace_box.isVisible(), timeout=30000)
    box = dialog.replace_box
    assert box is not None and target.name in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # keep it
    qtbot.waitUntil(lambda: dialog.replace_box is None, timeout=5000)
    assert target.read_bytes() == b"an earlier copy"
    assert dialog.written is None
    dialog.activateWindow()  # the offscreen platform does not hand activation back by itself
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.path, timeout=5000)

    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.replace_box is not None and dialog.replace_box.isVisible(), timeout=30000)
    box = dialog.replace_box
    assert box is not None
    qtbot.keyClick(box, Qt.Key.Key_R, ALT)  # Replace
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    assert target.read_bytes().startswith(b"%PDF")


def test_every_control_of_the_export_dialog_has_an_accessible_name(qtbot: QtBot, window: MainWindow) -> None:
    from test_ui_accessibility import unnamed

    dialog, _family = case_history_dialog(qtbot, window)
    assert unnamed(dialog) == []


def test_export_with_nothing_open_says_what_to_open(qtbot: QtBot, window: MainWindow) -> None:
    from ui_kit import wait_for_box

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    press(qtbot, Qt.Key.Key_E, CTRL)
    box = wait_for_box(qtbot, "Export summary")
    assert "Open a case or a visit first" in box.text()
    assert not isinstance(window.open_cases.last_dialog, ExportDialog)
    box.close()
