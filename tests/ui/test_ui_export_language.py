"""The export dialog writes a family's copy in the family's language, the others in the worker's, and
says so when the family's language has no translation (driven by the keyboard)."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_ui_export import ALT, choose, focused, opened_dialog, press, save_into
from ui_kit import open_first_case

from caseworker_app.domain import Case
from caseworker_app.services import cases
from caseworker_app.ui.dialogs import export as export_dialog
from caseworker_app.ui.dialogs.export import ExportDialog
from caseworker_app.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def history_dialog_for(qtbot: QtBot, window: MainWindow, language: str) -> ExportDialog:
    """The first case, its family's written language set to `language`, then Ctrl+E."""
    view = open_first_case(qtbot, window)
    assert view.file is not None
    case = window.store.repo.get(Case, view.file.detail.case.id)
    cases.edit_case(window.store, case.id, {"preferred_language": language}, seen=case)
    window.activateWindow()
    press(qtbot, Qt.Key.Key_E, CTRL)
    return opened_dialog(qtbot, window)


def pdf_text(path: Path) -> str:
    return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_a_spanish_family_gets_its_copy_in_spanish_and_the_school_in_english(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = history_dialog_for(qtbot, window, "es")
    assert dialog.audience_buttons[export_dialog.Audience.FAMILY].isChecked()
    assert dialog.language.code() == "es" and dialog.language.combo.currentText() == "Spanish"
    assert not dialog.language.note.isVisible()

    choose(qtbot, dialog, export_dialog.Audience.SCHOOL, Qt.Key.Key_S)
    assert dialog.language.code() == "en"  # the school's copy follows the worker's language
    choose(qtbot, dialog, export_dialog.Audience.FAMILY, Qt.Key.Key_A)
    assert dialog.language.code() == "es"

    target = save_into(qtbot, dialog, tmp_path)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    text = pdf_text(target)
    assert "Historial del caso" in text and "Redactado en español" in text
    assert window.store.repo.audit_events(action="export")[-1]["detail"]["language"] == "es"


def test_the_worker_can_write_the_familys_copy_in_english_instead(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = history_dialog_for(qtbot, window, "es")
    press(qtbot, Qt.Key.Key_L, ALT)
    assert focused(qtbot) is dialog.language.combo
    press(qtbot, Qt.Key.Key_Up)
    assert dialog.language.code() == "en"
    target = save_into(qtbot, dialog, tmp_path)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=30000)
    assert "Case history" in pdf_text(target) and "Prepared for the family" in pdf_text(target)


def test_a_vietnamese_family_is_told_there_is_no_translation_and_offered_english_or_spanish(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = history_dialog_for(qtbot, window, "vi")
    assert dialog.language.note.isVisible()
    assert dialog.language.note.text() == "No Vietnamese translation is available; choose English or Spanish."
    combo = dialog.language.combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["en", "es"]
    assert dialog.language.code() == "en"
    choose(qtbot, dialog, export_dialog.Audience.SCHOOL, Qt.Key.Key_S)
    assert not dialog.language.note.isVisible()  # only the family's copy is in the family's language
