"""Settings page, change passphrase, Help > About, and File > Connect to my agency… for a local profile."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from agency_kit import FAMILY_NAME, agency_server
from helpers import FAST_KDF, PASSPHRASE, SERVER_PASSWORD
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot
from ui_kit import unlock, wait_idle

from caseworker_app.services import profiles
from caseworker_app.settings import SETTINGS
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.state import SyncState
from caseworker_app.ui.app import Desktop, make_app
from caseworker_app.ui.main_window import MainWindow
from caseworker_app.ui.profile_menus import menu_named, open_about, open_connect, open_settings
from caseworker_app.ui.settings_page import SettingsPage

NEW_PASSPHRASE = "lantern orchard velvet compass"


def labels_of(widget: object) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))  # type: ignore[attr-defined]


def test_every_setting_is_shown_with_its_description_and_it_policy_fixes_are_disabled(
    qtbot: QtBot, window: MainWindow
) -> None:
    Path(os.environ["CASEWORKER_POLICY"]).write_text(json.dumps({"agency_name": "Hillside County"}))
    page = open_settings(window)
    assert isinstance(page, SettingsPage)
    qtbot.waitUntil(lambda: len(page.editors) == len(SETTINGS), timeout=10000)
    text = labels_of(page)
    for setting in SETTINGS:
        assert setting.description in text
    agency = page.editors["agency_name"]
    assert isinstance(agency, QLineEdit) and not agency.isEnabled() and agency.text() == "Hillside County"
    assert "Set by your organization" in text
    assert not page.editors["auto_lock_minutes"].isEnabled()  # IT's alone, even when the policy is silent
    assert page.editors["family_shows_household_members"].isEnabled()
    assert all(page.editors[s.name].accessibleName() for s in SETTINGS)


def test_a_changed_setting_is_saved_in_the_profile(qtbot: QtBot, window: MainWindow) -> None:
    page = open_settings(window)
    assert isinstance(page, SettingsPage)
    qtbot.waitUntil(lambda: bool(page.editors), timeout=10000)
    box = page.editors["family_shows_household_members"]
    assert isinstance(box, QCheckBox)
    box.setChecked(not box.isChecked())
    page.save()
    qtbot.waitUntil(lambda: not page.isVisible(), timeout=10000)
    saved = json.loads((window.store.profile.home / "settings.json").read_text())
    assert saved == {"family_shows_household_members": box.isChecked()}


def test_change_passphrase_rewraps_the_key(qtbot: QtBot, window: MainWindow) -> None:
    page = open_settings(window)
    assert isinstance(page, SettingsPage)
    page.old_passphrase.setText("not it at all")
    page.new_passphrase.setText(NEW_PASSPHRASE)
    page.confirm_passphrase.setText(NEW_PASSPHRASE)
    page.change_passphrase()
    qtbot.waitUntil(lambda: "Wrong passphrase" in page.passphrase_message.text(), timeout=20000)
    qtbot.waitUntil(lambda: page.meter.verdict.text() != "", timeout=20000)
    page.old_passphrase.setText(PASSPHRASE)
    page.change_passphrase()
    qtbot.waitUntil(lambda: "changed" in page.passphrase_message.text(), timeout=20000)
    assert page.old_passphrase.text() == "" and not page.rewrap.isVisible()
    LocalStore.open(window.store.profile.home, NEW_PASSPHRASE).close()
    wait_idle(qtbot)


def test_about_names_version_build_folders_and_server(qtbot: QtBot, window: MainWindow, desktop: Desktop) -> None:
    from caseworker_app import __version__

    dialog = open_about(window, desktop.log_folder)
    fields = dialog.fields  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: fields["version"].text() == __version__, timeout=10000)
    assert fields["build"].text() not in ("", "…")
    assert fields["profile_folder"].text() == str(window.store.profile.home)
    assert fields["log_folder"].text() == str(desktop.log_folder)
    assert fields["server"].text() == "Not connected to an agency"
    assert menu_named(window, "Help") is not None
    help_texts = [a.text() for a in menu_named(window, "Help").actions()]  # type: ignore[union-attr]
    assert "&About Caseworker" in help_texts


def test_a_demo_profile_offers_no_connect_to_my_agency(qtbot: QtBot, window: MainWindow) -> None:
    wait_idle(qtbot)
    assert not window.connect_action.isVisible()  # type: ignore[attr-defined]


def test_a_local_profile_connects_later_from_the_file_menu(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "local"
    profiles.create_local(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF)).close()
    with agency_server(tmp_path) as server:
        make_app()
        desktop = Desktop(home)
        desktop.start()
        window = unlock(qtbot, desktop)
        qtbot.waitUntil(lambda: window.connect_action.isVisible(), timeout=10000)  # type: ignore[attr-defined]
        file_texts = [a.text() for a in menu_named(window, "File").actions()]  # type: ignore[union-attr]
        assert "C&onnect to my agency…" in file_texts
        open_connect(window)
        qtbot.waitUntil(lambda: getattr(window, "connect_dialog", None) is not None, timeout=10000)
        dialog = window.connect_dialog  # type: ignore[attr-defined]
        dialog.server.setText(server.url)
        dialog.password.setText(SERVER_PASSWORD)
        dialog.connect_now()
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60000)
        qtbot.waitUntil(lambda: window.cases.model.rowCount() == 1, timeout=20000)
        assert window.cases.model.cases[0].family_name == FAMILY_NAME
        assert SyncState.load(window.store).enrolled
        assert not window.connect_action.isVisible()  # type: ignore[attr-defined]
        window.close()
        qtbot.waitUntil(lambda: getattr(window, "store_closed", False), timeout=30000)
        wait_idle(qtbot)


def test_settings_editors_match_their_types(qtbot: QtBot, window: MainWindow) -> None:
    page = open_settings(window)
    assert isinstance(page, SettingsPage)
    qtbot.waitUntil(lambda: len(page.editors) == len(SETTINGS), timeout=10000)
    for s in SETTINGS:
        expected = {bool: QCheckBox, int: QSpinBox, str: QLineEdit}[s.type]
        assert isinstance(page.editors[s.name], expected), s.name


def test_every_control_of_settings_and_about_has_an_accessible_name(qtbot: QtBot, window: MainWindow,
                                                                   desktop: Desktop) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QProgressBar

    page = open_settings(window)
    qtbot.waitUntil(lambda: len(page.editors) == len(SETTINGS), timeout=10000)  # type: ignore[attr-defined]
    about = open_about(window, desktop.log_folder)
    for dialog in (page, about):
        controls = (dialog.findChildren(QLineEdit) + dialog.findChildren(QAbstractButton)
                    + dialog.findChildren(QAbstractSpinBox) + dialog.findChildren(QProgressBar))
        unnamed = [type(c).__name__ for c in controls if not c.accessibleName()
                   and not isinstance(c.parent(), QAbstractSpinBox)]  # a spin box's own text field
        assert not unnamed, (type(dialog).__name__, unnamed)
    wait_idle(qtbot)
