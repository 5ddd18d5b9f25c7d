"""Helpers the desktop tests share: wait for the store's worker, unlock the window."""

from __future__ import annotations

from helpers import PASSPHRASE
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from caseworker_app.ui import background
from caseworker_app.ui.app import Desktop
from caseworker_app.ui.main_window import MainWindow


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
