"""The main window: menus, the navigation list, the panes and the status bar. It only wires panes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.background import Op
from caseworker_app.ui.cases import CasesPane
from caseworker_app.ui.gui_gc import freeze_long_lived, unfreeze
from caseworker_app.ui.help import show_shortcuts
from caseworker_app.ui.open_cases import OpenCases
from caseworker_app.ui.sync_status import attach_sync, wait_stopped
from caseworker_app.ui.today import TodayPane

TODAY, CASES, OPEN = 0, 1, 2
FREEZE_DELAY_MS = 1000  # once the first lists are in: what exists then lives for the session


class MainWindow(QMainWindow):
    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._closing = False
        self.store_closed = False
        self.setWindowTitle(f"Caseworker — {store.worker}")
        self.today = TodayPane(store)
        self.cases = CasesPane(store)
        self.open_cases = OpenCases(store)
        self.nav = QListWidget()
        self.nav.setAccessibleName("Navigation")
        self.nav.addItems(["Today", "Cases", "Open cases"])
        self.nav.setMaximumWidth(180)
        self.stack = QStackedWidget()
        for pane in (self.today, self.cases, self.open_cases):
            self.stack.addWidget(pane)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([140, 1140])
        self.setCentralWidget(self.splitter)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.currentRowChanged.connect(self._pane_shown)

        for pane in (self.today, self.cases):
            pane.open_case.connect(self.open_case)
        self.today.open_draft.connect(self.open_draft)
        self.open_cases.changed.connect(self.refresh)
        # An autosave while typing refreshes only the count: rebuilding the lists on the GUI
        # thread after every save would stall typing.
        self.open_cases.draft_saved.connect(self.refresh_count)
        self.open_cases.emptied.connect(lambda: self.go(CASES))

        self._build_menus()
        self.toolbar = self.addToolBar("Main")
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setAccessibleName("Main toolbar")
        self.sync = attach_sync(self)  # the status area, Sync now (F5), the Sync page
        self.sync_label = self.sync.area.headline
        self._restore_geometry()
        self.refresh()  # the case list first: it is the bigger query
        self.go(TODAY)
        self._freeze_timer = QTimer(self)  # a child: it dies with the window, never freezing after it
        self._freeze_timer.setSingleShot(True)
        self._freeze_timer.timeout.connect(self._freeze_session)
        self._freeze_timer.start(FREEZE_DELAY_MS)

    # -- menus and shortcuts -----------------------------------------------------------------

    def _action(
        self,
        menu_name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        menu = self._menus[menu_name]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {name: bar.addMenu(name) for name in ("&File", "&Edit", "&View", "&Case", "&Help")}
        self.new_visit_action = self._action("&File", "&New visit in this case", self.open_cases.new_visit,
                                             "Ctrl+N")
        self._action("&File", "&Save now", self.open_cases.save_now, "Ctrl+S")
        self._action("&File", "&Close tab", self.open_cases.close_current, "Ctrl+W")
        self._menus["&File"].addSeparator()
        self._action("&File", "&Quit", self.close, "Ctrl+Q")
        self._action("&Edit", "&Find cases…", self.find_cases, "Ctrl+F")
        self._action("&View", "&Today", lambda: self.go(TODAY), "Ctrl+1")
        self._action("&View", "&Cases", lambda: self.go(CASES), "Ctrl+2")
        self._action("&View", "&Open cases", lambda: self.go(OPEN), "Ctrl+3")
        self._action("&View", "&Next open case", lambda: self._cycle(1), "Ctrl+Tab")
        self._action("&View", "&Previous open case", lambda: self._cycle(-1), "Ctrl+Shift+Tab")
        self._action("&View", "&Refresh", self.refresh, "Ctrl+R")  # F5 is Sync now
        self._action("&Case", "Record a &visit", self.open_cases.new_visit)
        self._action("&Case", "Start a &safety assessment", self.open_cases.new_assessment)
        self._action("&Help", "&Keyboard shortcuts", lambda: show_shortcuts(self),
                     "F1")
        self._action("&Help", "Check for &updates…", self.check_updates)

    def check_updates(self) -> None:
        from caseworker_app.ui.updates import check_updates

        check_updates(self)

    def _freeze_session(self) -> None:
        if not self._closing and not self.store_closed:
            freeze_long_lived()

    # -- navigation -------------------------------------------------------------------------

    def go(self, pane: int) -> None:
        self.nav.setCurrentRow(pane)

    def _pane_shown(self, pane: int) -> None:
        if pane == TODAY:
            self.today.refresh()

    def find_cases(self) -> None:
        self.go(CASES)
        self.cases.focus_search()

    def open_case(self, case_id: str) -> None:
        self.open_cases.open_case(case_id)
        self.go(OPEN)

    def open_draft(self, draft: object) -> None:
        self.open_cases.open_draft(draft)
        self.go(OPEN)

    def _cycle(self, step: int) -> None:
        if self.open_cases.count() == 0:
            return
        if self.stack.currentIndex() != OPEN:
            self.go(OPEN)
            return
        self.open_cases.cycle(step)

    def refresh(self) -> None:
        """After a change: the lists and the count of changes waiting to sync."""
        self.cases.refresh()
        if self.stack.currentIndex() == TODAY and self.nav.currentRow() == TODAY:
            self.today.refresh()
        self.refresh_count()

    def refresh_count(self) -> None:
        self.sync.runner.refresh_status()

    # -- geometry (never case data) --------------------------------------------------------------

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def _save_geometry(self) -> None:
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save every open draft first (off the GUI thread), close the store, then close for real.

        If a draft cannot be saved the window stays open with the text in its form.
        """
        if self.store_closed:
            self._save_geometry()
            event.accept()
            return
        event.ignore()
        if self._closing:
            return  # already saving and closing
        self._closing = True
        self.sync.stop()
        self.cases.audit_timer.stop()  # nothing may reach the store once it starts closing
        self.open_cases.save_all(then=lambda: QTimer.singleShot(0, self._finish_close), failed=self._close_cancelled)

    def _close_cancelled(self) -> None:
        self._closing = False

    def _finish_close(self) -> None:
        store = self.store

        def close_store() -> None:
            wait_stopped()  # a sync run under way was asked to stop; the store closes after it
            store.close()

        Op(None, close_store, what="closing the store").success(lambda _r: self._close_now()).failure(
            lambda _e: self._close_now()
        ).run()

    def _close_now(self) -> None:
        self.store_closed = True
        unfreeze()
        # Freed once closed: the lambdas its children's signals hold keep the Python side alive
        # otherwise, with every widget under it (and its memory) for the rest of the process.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close()
