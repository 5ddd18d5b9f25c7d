"""Locking: idle by the wall clock (IT's auto_lock_minutes), Ctrl+L, session lock; no case data left on
screen, the store's key forgotten, drafts saved, and the same tabs after unlocking."""

from __future__ import annotations

import gc
import json
import os
import time
from pathlib import Path

import pytest
from helpers import PASSPHRASE
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from screen_text import visible_text
from ui_kit import current_form, new_visit_form, open_first_case, unlock, wait_idle

from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.app import Desktop
from caseworker_app.ui.main_window import MainWindow


def family_names(window: MainWindow) -> list[str]:
    return sorted({c.family_name for c in window.cases.model.cases})


def shows_case_data(names: list[str]) -> list[str]:
    shown = visible_text()
    return [n for n in names if n in shown]


def keys_held() -> list[LocalStore]:
    """Every store object still alive in this process that could open a connection."""
    return [o for o in gc.get_objects() if isinstance(o, LocalStore) and o.db.engine is not None
            and getattr(o.db, "holds_key", True)]


@pytest.fixture
def lock_after_one_minute() -> None:
    Path(os.environ["CASEWORKER_POLICY"]).write_text(json.dumps({"auto_lock_minutes": 1}))


def test_it_policy_one_minute_locks_after_75_seconds_idle(
    qtbot: QtBot, lock_after_one_minute: None, desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = unlock(qtbot, desktop)
    view = open_first_case(qtbot, window)
    qtbot.waitUntil(lambda: bool(window.cases.model.cases))
    names = family_names(window)
    assert shows_case_data(names), "the case is on screen before the lock"
    store = window.store

    # 75 s pass with no input (the laptop slept, or the liaison walked away): the wall clock moves.
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 75)
    qtbot.waitUntil(lambda: not shows_case_data(names), timeout=20000)
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None and desktop.unlock_screen.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: not store.holds_key, timeout=30000)
    wait_idle(qtbot)
    assert desktop.main_window is None
    assert not [s for s in keys_held() if s.holds_key]
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            assert not any(n in top.windowTitle() for n in names)
    del view


def test_no_lock_before_the_idle_time(qtbot: QtBot, lock_after_one_minute: None, desktop: Desktop,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    window = unlock(qtbot, desktop)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 40)
    qtbot.wait(3000)  # more than one check of the clock
    assert desktop.main_window is window and window.isVisible() and window.store.holds_key


def test_ctrl_l_saves_the_draft_locks_and_unlocking_returns_to_the_same_tabs(
    qtbot: QtBot, desktop: Desktop
) -> None:
    window = unlock(qtbot, desktop)
    form = new_visit_form(qtbot, window)
    case_id = form.case_id
    form.narrative.setFocus()
    qtbot.keyClicks(form.narrative, "Met the family at the kitchen table")
    names = family_names(window)
    tabs_before = window.open_cases.count()
    assert any(a.shortcut().toString() == "Ctrl+L" for a in window.findChildren(QAction))
    qtbot.keyClick(form.narrative, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: desktop.unlock_screen is not None and desktop.unlock_screen.isVisible(), timeout=20000)
    assert not shows_case_data(names)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    wait_idle(qtbot)

    again = unlock(qtbot, desktop, PASSPHRASE)
    assert again is not window
    qtbot.waitUntil(lambda: again.open_cases.count() == tabs_before, timeout=20000)
    wait_idle(qtbot)
    restored = current_form(again)
    assert restored.case_id == case_id
    assert "Met the family at the kitchen table" in restored.narrative.toPlainText()
    assert [v.case_id for v in again.open_cases.case_views()] == [case_id]


def test_lock_now_is_in_the_file_menu(qtbot: QtBot, desktop: Desktop) -> None:
    window = unlock(qtbot, desktop)
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    texts = [a.text() for a in file_menu.actions()]
    assert "&Lock now" in texts and texts.index("&Lock now") < texts.index("&Quit")


def test_the_session_locking_locks_the_app(qtbot: QtBot, desktop: Desktop) -> None:
    window = unlock(qtbot, desktop)
    open_first_case(qtbot, window)
    names = family_names(window)
    store = window.store
    assert desktop.lock is not None
    desktop.lock.session.lock_requested.emit("session locked")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not shows_case_data(names) and not store.holds_key, timeout=30000)
    wait_idle(qtbot)


def test_a_draft_that_cannot_be_saved_is_kept_and_its_window_returns_after_unlocking(
    qtbot: QtBot, desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from caseworker_app.domain.errors import CaseworkerError
    from caseworker_app.ui import visit_io

    window = unlock(qtbot, desktop)
    form = new_visit_form(qtbot, window)
    names = family_names(window)
    qtbot.keyClicks(form.narrative, "Text that must not be lost")

    def disk_full(*_args: object) -> None:
        raise CaseworkerError("The disk is full; nothing was written.")

    monkeypatch.setattr(visit_io, "save_draft", disk_full)
    desktop.lock.lock_now()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None and desktop.unlock_screen.isVisible(), timeout=20000)
    wait_idle(qtbot)
    assert not window.isVisible() and not shows_case_data(names)
    unlock_window = desktop.unlock_window
    for box in [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not unlock_window]:
        box.close()  # the save failure's message, read and dismissed

    monkeypatch.undo()
    again = unlock(qtbot, desktop, PASSPHRASE)
    assert again is window and window.isVisible()
    assert "Text that must not be lost" in current_form(window).narrative.toPlainText()
