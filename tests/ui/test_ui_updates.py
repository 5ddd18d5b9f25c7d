"""Help → Check for updates, and the network lane it runs in (a slow feed never holds up a save)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from ui_kit import wait_for_box, wait_idle

from caseworker_app.ui import background
from caseworker_app.ui.background import NETWORK, Op
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.updates import TITLE


def set_policy(**policy: object) -> None:
    Path(os.environ["CASEWORKER_POLICY"]).write_text(json.dumps(policy), encoding="utf-8")


def check_from_the_menu(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    action = next(a for a in window.findChildren(QAction) if a.text() == "Check for &updates…")
    action.trigger()
    return wait_for_box(qtbot, TITLE, timeout=20000)


def test_without_a_feed_the_window_says_so(qtbot: QtBot, window: MainWindow) -> None:
    set_policy()
    box = check_from_the_menu(qtbot, window)
    assert box.text() == "No update feed is configured."
    box.accept()
    set_policy(updates_url="https://updates.example.invalid", updates_managed_by_it=True)
    box = check_from_the_menu(qtbot, window)
    assert box.text() == "IT installs updates on this computer."
    box.accept()


def test_a_build_without_a_signing_root_refuses_to_check(qtbot: QtBot, window: MainWindow) -> None:
    set_policy(updates_url="http://127.0.0.1:9/feed")
    box = check_from_the_menu(qtbot, window)
    assert "no update signing root" in box.text()
    box.accept()


def test_a_save_never_waits_behind_the_network(qtbot: QtBot, window: MainWindow) -> None:
    feed_answers = threading.Event()
    store_work: list[str] = []
    Op(window, lambda: feed_answers.wait(20), lane=NETWORK).run()  # a feed that does not answer yet
    Op(window, lambda: window.store.worker).success(store_work.append).run()
    try:
        qtbot.waitUntil(lambda: bool(store_work), timeout=5000)
        assert background.busy()  # the network lane is still waiting
    finally:
        feed_answers.set()
    wait_idle(qtbot)
