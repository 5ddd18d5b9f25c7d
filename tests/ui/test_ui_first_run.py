"""The first run in the window: an empty folder leads to the wizard, and a person reaches their caseload by keyboard."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backends.fail
from agency_kit import FAMILY_NAME, agency_server
from helpers import SERVER_PASSWORD
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from screen_text import visible_text
from ui_kit import wait_idle

from caseworker_app.store.profile_label import read_label
from caseworker_app.sync.state import SyncState
from caseworker_app.ui.app import Desktop, make_app
from caseworker_app.ui.main_window import MainWindow

STRONG = "lantern orchard velvet compass"




def start(qtbot: QtBot, home: Path) -> Desktop:
    make_app()
    desktop = Desktop(home)
    desktop.start()
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None or getattr(desktop, "first_run", None) is not None,
                    timeout=20000)
    return desktop


def close_main(qtbot: QtBot, desktop: Desktop) -> None:
    window = desktop.main_window
    if window is not None:
        window.close()
        qtbot.waitUntil(lambda: getattr(window, "store_closed", False), timeout=30000)
    wait_idle(qtbot)


def type_into(qtbot: QtBot, text: str) -> None:
    """Into whatever has the keyboard focus, as a person types."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, text)


def press(qtbot: QtBot, key: Qt.Key) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key)


def test_an_empty_profile_folder_opens_the_wizard_not_an_unlock_screen(qtbot: QtBot, tmp_path: Path) -> None:
    desktop = start(qtbot, tmp_path / "profile")
    shown = visible_text()
    assert "not recorded in this profile" not in shown
    assert "caseworker init" not in shown
    assert desktop.unlock_screen is None
    assert "Connect to my agency" in shown and "Try the demo" in shown and "Work offline for now" in shown


def test_without_a_keyring_the_wizard_says_what_to_ask_it_before_anything_is_typed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    desktop = start(qtbot, tmp_path / "profile")
    pages = desktop.first_run
    assert pages is not None
    assert pages.blocked.isVisible() and "Ask IT" in pages.blocked.text()  # type: ignore[attr-defined]
    buttons = pages.choice_buttons  # type: ignore[attr-defined]
    assert [b.isEnabled() for b in buttons.values()] == [False, False, True]  # only the demo


def test_connect_to_my_agency_by_keyboard_reaches_the_caseload(qtbot: QtBot, tmp_path: Path) -> None:
    home = tmp_path / "profile"
    with agency_server(tmp_path) as server:
        desktop = start(qtbot, home)
        pages = desktop.first_run
        assert pages is not None
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        press(qtbot, Qt.Key.Key_Space)  # the first choice has the focus: Connect to my agency
        type_into(qtbot, server.url)
        press(qtbot, Qt.Key.Key_Tab)
        type_into(qtbot, "liaison")
        press(qtbot, Qt.Key.Key_Tab)
        type_into(qtbot, SERVER_PASSWORD)
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is pages.passphrase)  # type: ignore[attr-defined]
        type_into(qtbot, STRONG)
        qtbot.waitUntil(lambda: pages.meter.verdict.text() != "", timeout=20000)  # type: ignore[attr-defined]
        assert pages.meter.bar.value() >= 3  # type: ignore[attr-defined]
        press(qtbot, Qt.Key.Key_Tab)
        type_into(qtbot, STRONG)
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: desktop.main_window is not None, timeout=60000)
        window = desktop.main_window
        assert isinstance(window, MainWindow)
        wait_idle(qtbot)
        qtbot.waitUntil(lambda: window.cases.model.rowCount() == 1, timeout=20000)
        assert window.cases.model.cases[0].family_name == FAMILY_NAME
        assert SyncState.load(window.store).enrolled
        assert not read_label(home).demo and "Jordan Rivera" in window.windowTitle()  # the worker's full name
        close_main(qtbot, desktop)


def test_a_wrong_password_keeps_the_person_on_the_account_page_with_the_reason(
    qtbot: QtBot, tmp_path: Path
) -> None:
    home = tmp_path / "profile"
    with agency_server(tmp_path) as server:
        desktop = start(qtbot, home)
        pages = desktop.first_run
        assert pages is not None
        pages.choose(pages.choice_buttons.__iter__().__next__())  # type: ignore[attr-defined]
        pages.server.setText(server.url)  # type: ignore[attr-defined]
        pages.username.setText("liaison")  # type: ignore[attr-defined]
        pages.password.setText("not the password")  # type: ignore[attr-defined]
        pages.next()  # type: ignore[attr-defined]
        pages.passphrase.setText(STRONG)  # type: ignore[attr-defined]
        pages.confirm.setText(STRONG)  # type: ignore[attr-defined]
        pages.next()  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: "Wrong username or password" in pages.message.text(), timeout=30000)  # type: ignore[attr-defined]
        assert pages.stack.currentWidget() is pages.pages[pages.wizard.step]  # type: ignore[attr-defined]
        assert pages.server.isVisible() and not home.exists() and desktop.main_window is None  # type: ignore[attr-defined]
        wait_idle(qtbot)


def test_work_offline_for_now_opens_an_empty_local_profile(qtbot: QtBot, tmp_path: Path) -> None:
    from caseworker_app.services.first_run import Choice

    desktop = start(qtbot, tmp_path / "profile")
    pages = desktop.first_run
    assert pages is not None
    pages.choose(Choice.OFFLINE)  # type: ignore[attr-defined]
    pages.offline_username.setText("liaison")  # type: ignore[attr-defined]
    pages.full_name.setText("Jordan Rivera")  # type: ignore[attr-defined]
    pages.next()  # type: ignore[attr-defined]
    pages.passphrase.setText(STRONG)  # type: ignore[attr-defined]
    pages.confirm.setText(STRONG)  # type: ignore[attr-defined]
    pages.next()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: desktop.main_window is not None, timeout=60000)
    window = desktop.main_window
    assert isinstance(window, MainWindow)
    wait_idle(qtbot)
    assert window.cases.model.rowCount() == 0 and not SyncState.load(window.store).enrolled
    close_main(qtbot, desktop)


def test_cancel_during_the_first_sync_keeps_the_profile_and_says_the_rest_comes_later(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from caseworker_app.services.first_run import Choice

    home = tmp_path / "profile"
    with agency_server(tmp_path) as server:
        desktop = start(qtbot, home)
        pages = desktop.first_run
        assert pages is not None
        pages.choose(Choice.AGENCY)  # type: ignore[attr-defined]
        pages.server.setText(server.url)  # type: ignore[attr-defined]
        pages.username.setText("liaison")  # type: ignore[attr-defined]
        pages.password.setText(SERVER_PASSWORD)  # type: ignore[attr-defined]
        pages.next()  # type: ignore[attr-defined]
        pages.passphrase.setText(STRONG)  # type: ignore[attr-defined]
        pages.confirm.setText(STRONG)  # type: ignore[attr-defined]
        pages.next()  # type: ignore[attr-defined]
        assert pages.cancel_button.isVisible()  # type: ignore[attr-defined]
        qtbot.mouseClick(pages.cancel_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: desktop.main_window is not None, timeout=60000)
        window = desktop.main_window
        assert isinstance(window, MainWindow)
        assert SyncState.load(window.store).enrolled
        notice = getattr(desktop, "first_sync_notice", None)
        if notice is not None:  # the sync may have finished before Cancel landed: then nothing to say
            assert "next sync" in notice.text()
            notice.close()
        close_main(qtbot, desktop)


def test_every_control_of_the_wizard_has_an_accessible_name(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QAbstractButton, QProgressBar

    desktop = start(qtbot, tmp_path / "profile")
    pages = desktop.first_run
    assert pages is not None
    controls = pages.findChildren(QLineEdit) + pages.findChildren(QAbstractButton) + pages.findChildren(QProgressBar)
    unnamed = [type(c).__name__ for c in controls if not c.accessibleName()]
    assert controls and not unnamed


def test_a_server_set_by_it_policy_is_prefilled_and_read_only(qtbot: QtBot, tmp_path: Path) -> None:
    import json
    import os

    from caseworker_app.services.first_run import Choice

    Path(os.environ["CASEWORKER_POLICY"]).write_text(json.dumps({"server_url": "https://sync.county.example"}))
    desktop = start(qtbot, tmp_path / "profile")
    pages = desktop.first_run
    assert pages is not None
    pages.choose(Choice.AGENCY)  # type: ignore[attr-defined]
    server = pages.server  # type: ignore[attr-defined]
    assert server.text() == "https://sync.county.example" and server.isReadOnly()
    assert "Set by your organization" in visible_text()
    assert QApplication.focusWidget() is pages.username  # type: ignore[attr-defined]  # straight to the user name


def test_try_the_demo_from_the_default_folder_keeps_that_folder_free_and_locks_to_the_demo(
    qtbot: QtBot,
) -> None:
    from caseworker_app import paths
    from caseworker_app.services.first_run import Choice
    from caseworker_app.services.profiles import DEMO_PASSPHRASE

    home = paths.profile_home()  # the default: under this test's XDG_DATA_HOME
    desktop = start(qtbot, home)
    pages = desktop.first_run
    assert pages is not None
    pages.choose(Choice.DEMO)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: desktop.main_window is not None, timeout=120000)
    window = desktop.main_window
    assert isinstance(window, MainWindow)
    assert window.store.profile.home == paths.demo_home() and not home.exists()
    wait_idle(qtbot)
    desktop.lock.lock_now()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: desktop.unlock_screen is not None and desktop.unlock_screen.isVisible(), timeout=20000)
    assert DEMO_PASSPHRASE in desktop.unlock_screen.hint.text()  # type: ignore[union-attr]
    wait_idle(qtbot)
    from ui_kit import unlock

    again = unlock(qtbot, desktop, DEMO_PASSPHRASE)
    assert again.store.profile.home == paths.demo_home()
    close_main(qtbot, desktop)
