"""The profile's own menu items, added to a main window by the Desktop: File > Connect to my agency…,
File > Settings…, Help > About Caseworker. Kept out of main_window.py, which only wires panes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from caseworker_app.i18n import _
from caseworker_app.ui.background import Op

if TYPE_CHECKING:
    from caseworker_app.ui.main_window import MainWindow


def menu_named(window: QWidget, name: str) -> QMenu | None:
    bar = window.menuBar() if hasattr(window, "menuBar") else None
    if bar is None:
        return None
    for top in bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and menu.objectName() == name:  # its English name, whatever the language
            return menu
    return None


def _insert_before_last_separator(menu: QMenu, action: QAction) -> None:
    separators = [a for a in menu.actions() if a.isSeparator()]
    if separators:
        menu.insertAction(separators[-1], action)
    else:
        menu.addAction(action)


def add_profile_actions(window: MainWindow, log_folder: Path) -> None:
    file_menu, help_menu = menu_named(window, "File"), menu_named(window, "Help")
    connect = QAction(_("C&onnect to my agency…"), window)
    connect.triggered.connect(lambda: open_connect(window))
    connect.setVisible(False)  # shown once the store says this profile may connect
    settings = QAction(_("Se&ttings…"), window)
    settings.setShortcut(QKeySequence("Ctrl+,"))
    settings.triggered.connect(lambda: open_settings(window))
    about = QAction(_("&About Caseworker"), window)
    about.triggered.connect(lambda: open_about(window, log_folder))
    if file_menu is not None:
        _insert_before_last_separator(file_menu, connect)
        _insert_before_last_separator(file_menu, settings)
    if help_menu is not None:
        help_menu.addAction(about)
    window.connect_action = connect  # type: ignore[attr-defined]
    store = window.store
    Op(window, lambda: _may_connect(store), what="checking the profile").success(connect.setVisible).failure(
        lambda _e: None
    ).run()


def _may_connect(store: object) -> bool:
    """A local, not yet enrolled profile that is not the demo."""
    from caseworker_app.services.profiles import is_demo
    from caseworker_app.sync.state import SyncState

    return not is_demo(store) and not SyncState.load(store).enrolled  # type: ignore[arg-type]


def open_settings(window: MainWindow) -> QWidget:
    from caseworker_app.ui.settings_page import SettingsPage

    page = SettingsPage(window.store.profile.home, window.store.worker, window)
    page.open()
    window.settings_page = page  # type: ignore[attr-defined]
    return page


def open_about(window: MainWindow, log_folder: Path) -> QWidget:
    from caseworker_app.ui.about import AboutDialog

    dialog = AboutDialog(window.store, log_folder, window)
    dialog.open()
    window.about_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def open_connect(window: MainWindow) -> None:
    from caseworker_app.ui.connect_agency import ConnectDialog, connect_defaults

    store = window.store

    def show(defaults: object) -> None:
        dialog = ConnectDialog(store, defaults, window)  # type: ignore[arg-type]
        dialog.connected.connect(lambda: window.connect_action.setVisible(False))  # type: ignore[attr-defined]
        dialog.connected.connect(window.refresh)
        dialog.open()
        window.connect_dialog = dialog  # type: ignore[attr-defined]

    Op(window, lambda: connect_defaults(store), what="reading the server setting").success(show).run()
