"""The self-test's window check: open a profile in the main window offscreen and save a picture of it."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui import background
from caseworker_app.ui.app import make_app

SIZE = (1280, 800)
TIMEOUT_S = 60.0


class WindowCheckFailed(Exception):
    pass


def _settle(app: QApplication) -> None:
    """Let the worker deliver every result and the window repaint."""
    deadline = time.monotonic() + TIMEOUT_S
    while background.busy():
        if time.monotonic() > deadline:
            raise WindowCheckFailed(f"the main window was still loading after {TIMEOUT_S:.0f} s")
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def render_main_window(home: Path, passphrase: str, png: Path) -> None:
    # Window geometry and other Qt settings go to the throw-away folder, not the user's.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(png.parent / "qt-settings"))
    app = make_app(["caseworker-self-test"])
    from caseworker_app.ui.main_window import MainWindow

    store = LocalStore.open(home, passphrase)
    try:
        window = MainWindow(store)
        window.resize(*SIZE)
        window.show()
        _settle(app)
        image = window.grab().toImage()
        window.close()
        _settle(app)
        window.deleteLater()
        app.processEvents()
    finally:
        background.wait_idle()
        store.close()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 23)}
    if image.width() < 400 or len(colours) < 3:
        raise WindowCheckFailed("the main window drew nothing")
    if not image.save(str(png)):  # PNG, from the suffix
        raise WindowCheckFailed(f"the picture of the main window could not be saved to {png}")
