"""Errors in plain words: a typed error shows its message; anything else, Details and a log line without case data."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from ui_kit import open_boxes, wait_idle

from caseworker_app.domain.errors import ValidationError
from caseworker_app.ui.app import DEMO_PASSPHRASE, Desktop
from caseworker_app.ui.background import Op


def test_typed_error_shows_its_message(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def fails() -> None:
        raise ValidationError("purpose", "Enter the purpose of the contact.")

    Op(parent, fails, what="saving").run()
    qtbot.waitUntil(lambda: bool(open_boxes()))
    box = open_boxes()[-1]
    assert box.text() == "Enter the purpose of the contact." and not box.detailedText()
    box.close()


def test_unexpected_error_has_details_and_logs_no_case_data(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def fails() -> None:
        raise RuntimeError("Jessica Cooper said the landlord hit her")

    with caplog.at_level(logging.ERROR):
        Op(parent, fails, what="saving a visit draft").run()
        qtbot.waitUntil(lambda: bool(open_boxes()))
    box = open_boxes()[-1]
    assert "unexpected" in box.text() and "Jessica" not in box.text()
    assert "RuntimeError" in box.detailedText() and "Jessica" not in box.detailedText()
    assert "RuntimeError" in caplog.text and "saving a visit draft" in caplog.text
    assert "Jessica" not in caplog.text and "landlord" not in caplog.text
    box.close()


def test_demo_profile_is_created_behind_a_progress_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QProgressDialog

    desktop = Desktop(tmp_path / "demo", demo=True)
    desktop.start()
    progress = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    assert progress and "demo profile" in progress[0].labelText()
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None, timeout=120000)
    screen = desktop.unlock_screen
    assert screen is not None and DEMO_PASSPHRASE in screen.hint.text()
    assert (tmp_path / "demo" / "profile.json").exists()
    wait_idle(qtbot)
    assert desktop.unlock_window is not None
    desktop.unlock_window.close()
