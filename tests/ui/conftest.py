"""Desktop tests: a demo caseload in a passphrase-only profile, copied fresh for each test, and the unlocked window."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from helpers import FAST_KDF, PASSPHRASE
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from ui_kit import unlock, wait_idle

from caseworker_app.demo.profile import load_demo
from caseworker_app.store.keywrap import KdfParams
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.app import Desktop, make_app
from caseworker_app.ui.main_window import MainWindow


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made once: no keyring, so copies open in any process (the crash test's child too)."""
    home = tmp_path_factory.mktemp("demo-template") / "profile"
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with LocalStore.create(home, PASSPHRASE, worker="liaison", kdf=KdfParams.fresh(**FAST_KDF)) as store:
            load_demo(store)
    finally:
        keyring.set_keyring(previous)
    return home


@pytest.fixture
def demo_home(demo_template: Path, tmp_path: Path) -> Path:
    home = tmp_path / "profile"
    shutil.copytree(demo_template, home)
    return home


@pytest.fixture(autouse=True)
def qt_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def desktop(qtbot: QtBot, demo_home: Path) -> Iterator[Desktop]:
    make_app()
    app = Desktop(demo_home)
    app.start()
    yield app
    wait_idle(qtbot)
    if app.main_window is not None:
        window = app.main_window
        window.close()
        qtbot.waitUntil(lambda: getattr(window, "store_closed", False), timeout=20000)
    wait_idle(qtbot)


@pytest.fixture
def window(qtbot: QtBot, desktop: Desktop) -> MainWindow:
    return unlock(qtbot, desktop)
