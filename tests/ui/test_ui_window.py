"""The window over a real encrypted demo profile: unlock, the case list, opening a case file read-only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MemoryKeyring
from pytestqt.qtbot import QtBot
from ui_kit import new_visit_form, open_boxes, unlock, wait_idle

from caseworker_app.store.profile import Profile
from caseworker_app.ui import marks
from caseworker_app.ui.app import Desktop
from caseworker_app.ui.main_window import CASES, OPEN, MainWindow


def test_wrong_passphrase_says_so_and_then_unlocks(qtbot: QtBot, desktop: Desktop) -> None:
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None)
    screen = desktop.unlock_screen
    assert screen is not None
    screen.passphrase.setText("not the passphrase")
    screen.unlock()
    qtbot.waitUntil(lambda: "Wrong passphrase" in screen.message.text(), timeout=20000)
    assert desktop.main_window is None
    # An error reads as an error: its sign and the error colour, not the link colour of a hint.
    assert screen.message_sign.isVisible() and screen.message_sign.text() == marks.WARNING_SIGN
    assert "highlight" not in screen.message.styleSheet()
    assert marks.colour(marks.ERROR).name() in screen.message.styleSheet()
    window = unlock(qtbot, desktop)
    assert window.isVisible()


def test_lockout_shows_a_countdown_and_disables_unlock(qtbot: QtBot, desktop: Desktop, demo_home: Path) -> None:
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None)
    screen = desktop.unlock_screen
    assert screen is not None
    for _ in range(Profile(demo_home).unlock_attempts().free_attempts):
        screen.passphrase.setText("wrong wrong wrong")
        screen.unlock()
        wait_idle(qtbot)
    # the failure that starts the wait shows the countdown at once, not the attempt after it
    qtbot.waitUntil(lambda: "Try again in" in screen.message.text(), timeout=20000)
    assert screen.message.text().startswith("Wrong passphrase.")
    assert not screen.unlock_button.isEnabled()
    first = screen.message.text()
    qtbot.waitUntil(lambda: screen.message.text() != first, timeout=3000)  # it counts down


def test_damaged_profile_is_not_called_a_wrong_passphrase(qtbot: QtBot, desktop: Desktop, demo_home: Path) -> None:
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None)
    (demo_home / "profile.json").write_text("{ not json", encoding="utf-8")
    screen = desktop.unlock_screen
    assert screen is not None
    screen.passphrase.setText("correct horse battery")
    screen.unlock()
    qtbot.waitUntil(lambda: bool(screen.message.text()), timeout=20000)
    assert "damaged" in screen.message.text()
    assert "Wrong passphrase" not in screen.message.text()


def test_profile_without_keyring_says_what_that_means(qtbot: QtBot, desktop: Desktop) -> None:
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None)
    screen = desktop.unlock_screen
    assert screen is not None
    qtbot.waitUntil(lambda: screen.keyring_notice.isVisibleTo(screen), timeout=20000)
    assert "passphrase alone" in screen.keyring_notice.text()
    assert not screen.hint.isVisibleTo(screen)  # only the demo profile shows its passphrase


def test_demo_profile_shows_its_passphrase_as_a_hint(qtbot: QtBot, demo_home: Path) -> None:
    desktop = Desktop(demo_home, demo=True)
    desktop.start()
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None)
    screen = desktop.unlock_screen
    assert screen is not None
    assert "demo passphrase" in screen.hint.text() and screen.hint.isVisibleTo(screen)
    wait_idle(qtbot)
    assert desktop.unlock_window is not None
    desktop.unlock_window.close()


def test_case_list_shows_the_caseload_and_opens_a_case(qtbot: QtBot, window: MainWindow) -> None:
    window.go(CASES)
    cases = window.cases
    qtbot.waitUntil(lambda: cases.model.rowCount() > 0)
    assert cases.count.text() == f"{cases.model.rowCount()} cases"
    first = cases.proxy.index(0, 1)
    family = first.data()
    cases.table.setCurrentIndex(first)
    cases.table.setFocus()
    qtbot.keyClick(cases.table, "\r")
    wait_idle(qtbot)
    assert window.stack.currentIndex() == OPEN
    view = window.open_cases.case_views()[0]
    qtbot.waitUntil(lambda: view.file is not None)
    assert family in view.header.text()
    assert window.open_cases.tabs.tabText(0) == family
    # every tab is filled from the store
    assert view.members.table.rows_model.rowCount() == len(view.file.detail.people)
    assert view.contacts.timeline.topLevelItemCount() > 0
    assert view.history.table.rows_model.rowCount() >= 1  # opening the case is itself audited


def test_core_packages_import_without_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import caseworker_app.domain, caseworker_app.store, caseworker_app.sync, caseworker_app.services\n"
        "for package in (caseworker_app.domain, caseworker_app.store, caseworker_app.sync, caseworker_app.services):\n"
        "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(module.name)\n"
        "assert 'caseworker_app.services.today' in sys.modules and 'caseworker_app.services.visits' in sys.modules\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_shortcuts_help_tabs_status_and_geometry(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from caseworker_app.ui.help import ShortcutsDialog
    from caseworker_app.ui.visit_form import VisitForm

    # F1: the shortcuts dialog
    qtbot.keyClick(window, Qt.Key.Key_F1)
    boxes = [w for w in window.findChildren(ShortcutsDialog) if w.isVisible()]
    assert boxes and {"Ctrl+N", "Ctrl+Tab"} <= {keys for keys, _what in boxes[-1].shown()}
    boxes[-1].close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    # two open cases; Ctrl+Tab moves between them
    ids = [c.id for c in window.cases.model.cases[:2]]
    for case_id in ids:
        window.open_case(case_id)
    wait_idle(qtbot)
    tabs = window.open_cases.tabs
    assert tabs.count() == 2 and tabs.currentIndex() == 1
    qtbot.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 0

    # the status bar counts changes waiting (here on a demo never connected to an agency), and follows a new one
    qtbot.waitUntil(lambda: window.sync_label.text() != "")
    before = window.sync_label.text()
    window.open_cases.new_visit()
    qtbot.waitUntil(lambda: isinstance(tabs.currentWidget(), VisitForm), timeout=10000)
    qtbot.keyClicks(tabs.currentWidget().narrative, "Home visit")  # a new visit is stored on its first edit
    qtbot.waitUntil(lambda: window.sync_label.text() not in ("", before), timeout=10000)
    assert "changes stay on this laptop" in window.sync_label.text()

    # geometry (and only geometry) is remembered
    window.resize(1111, 777)
    window.close()
    qtbot.waitUntil(lambda: getattr(window, "store_closed", False), timeout=20000)
    settings = QSettings()
    # the worker's own full name, for the unlock screen's greeting, is the only other thing kept
    assert sorted(settings.allKeys()) == ["main/geometry", "main/splitter", "unlock/full_name/liaison"]
    assert settings.value("main/geometry") is not None


def test_today_rows_open_what_they_show(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    today = window.today
    qtbot.waitUntil(lambda: today.children_due.rows_model.rowCount() > 0)
    first = today.children_due.rows_model.rows[0]
    today.children_due.setFocus()
    today.children_due.setCurrentIndex(today.children_due.model().index(0, 0))
    qtbot.keyClick(today.children_due, Qt.Key.Key_Return)
    wait_idle(qtbot)
    assert window.stack.currentIndex() == OPEN
    assert window.open_cases.case_views()[0].case_id == first.payload
    # the case now heads "recently opened", and reloading it after a change is not another view
    window.go(0)
    qtbot.waitUntil(lambda: any(r.payload == first.payload for r in today.recent.rows_model.rows))
    opened = len(window.store.repo.audit_events(action="open_case", case_id=first.payload))
    window.open_cases.case_views()[0].reload()
    wait_idle(qtbot)
    assert len(window.store.repo.audit_events(action="open_case", case_id=first.payload)) == opened


def test_closing_the_window_saves_open_drafts(qtbot: QtBot, window: MainWindow, demo_home: Path) -> None:
    from caseworker_app.domain.entities import Note
    from caseworker_app.store.local_store import LocalStore

    form = new_visit_form(qtbot, window)
    form.timer.setInterval(60_000)
    qtbot.keyClicks(form.narrative, "Written just before quitting")
    note_id = form.note.id
    window.close()
    qtbot.waitUntil(lambda: getattr(window, "store_closed", False), timeout=20000)
    with LocalStore.open(demo_home, "correct horse battery") as store:
        assert store.repo.get(Note, note_id).narrative == "Written just before quitting"


def test_missing_device_secret_is_not_called_a_wrong_passphrase(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    from helpers import FAST_KDF, PASSPHRASE

    from caseworker_app.store.keywrap import KdfParams
    from caseworker_app.store.local_store import LocalStore

    home = tmp_path / "keyring-profile"
    LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF)).close()
    memory_keyring.secrets.clear()  # the laptop's keyring lost this profile's device secret
    desktop = Desktop(home)
    desktop.start()
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None)
    screen = desktop.unlock_screen
    assert screen is not None
    screen.passphrase.setText(PASSPHRASE)
    screen.unlock()
    qtbot.waitUntil(lambda: bool(screen.message.text()), timeout=20000)
    assert "keyring" in screen.message.text() and "Wrong passphrase" not in screen.message.text()
    assert not screen.keyring_notice.isVisible()  # this profile does use the keyring
    wait_idle(qtbot)
    assert desktop.unlock_window is not None
    desktop.unlock_window.close()


def test_a_draft_that_cannot_be_saved_keeps_the_window_open(
    qtbot: QtBot, window: MainWindow, demo_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    from caseworker_app.domain.entities import Note
    from caseworker_app.domain.errors import CaseworkerError
    from caseworker_app.store.local_store import LocalStore
    from caseworker_app.ui import visit_io

    form = new_visit_form(qtbot, window)
    form.timer.setInterval(60_000)
    qtbot.keyClicks(form.narrative, "Words that must not be lost")
    real_save = visit_io.save_draft

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise CaseworkerError("The disk is full; free some space and save again.")

    monkeypatch.setattr(visit_io, "save_draft", disk_full)
    window.close()
    # the form says so itself, in place, without a modal box
    qtbot.waitUntil(lambda: form.save_notice.isVisible() and "disk is full" in form.save_notice.text(),
                    timeout=10000)
    wait_idle(qtbot)
    assert window.isVisible() and not window.store_closed
    assert form.narrative.toPlainText() == "Words that must not be lost"
    assert not open_boxes()

    monkeypatch.setattr(visit_io, "save_draft", real_save)  # space freed: closing now saves and closes
    note_id = form.note.id if form.note else ""
    window.close()
    qtbot.waitUntil(lambda: window.store_closed, timeout=20000)
    with LocalStore.open(demo_home, "correct horse battery") as store:
        assert store.repo.get(Note, note_id).narrative == "Words that must not be lost"


def test_the_unlock_screen_says_whose_profile_it_is(qtbot: QtBot, desktop: Desktop) -> None:
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None, timeout=20000)
    screen = desktop.unlock_screen
    assert screen is not None and screen.worker.text() == "liaison"
    assert screen.worker.accessibleName() == "Worker"


def test_garbage_is_collected_on_the_gui_thread_only(qtbot: QtBot, desktop: Desktop) -> None:
    import gc
    import threading

    assert not gc.isenabled()  # no collection can start on the store's worker thread
    collected_on: list[str] = []
    gc.callbacks.append(lambda phase, _info: collected_on.append(threading.current_thread().name))
    try:
        for _ in range(gc.get_threshold()[0] + 10):
            cycle: list[object] = []
            cycle.append(cycle)
        qtbot.waitUntil(lambda: bool(collected_on), timeout=5000)
    finally:
        gc.callbacks.pop()
    assert set(collected_on) == {threading.main_thread().name}


def open_and_close_help(qtbot: QtBot, window: MainWindow, times: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from caseworker_app.ui.help import ShortcutsDialog

    for _ in range(times):
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(window, Qt.Key.Key_F1)
        box = next(w for w in window.findChildren(ShortcutsDialog) if w.isVisible())
        box.accept()
        qtbot.waitUntil(lambda: not window.findChildren(ShortcutsDialog), timeout=5000)


def test_closed_dialogs_and_a_closed_window_give_their_memory_back(qtbot: QtBot, desktop: Desktop) -> None:
    import gc
    import weakref

    from PySide6.QtWidgets import QApplication

    open_and_close_help(qtbot, unlock(qtbot, desktop), 3)  # a day opens hundreds of dialogs
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=5000)  # the session's objects, set aside
    freed = weakref.ref(desktop.main_window)  # type: ignore[arg-type]
    desktop.main_window.close()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: desktop.main_window is None, timeout=20000)
    qtbot.wait(50)
    gc.collect()
    assert freed() is None and gc.get_freeze_count() == 0
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
