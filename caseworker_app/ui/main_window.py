"""The main window: menus, the navigation list, the panes and the status bar. It only wires panes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from caseworker_app.store import queries
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui.background import Op
from caseworker_app.ui.cases import CasesPane
from caseworker_app.ui.gui_gc import freeze_long_lived, unfreeze
from caseworker_app.ui.help import show_shortcuts
from caseworker_app.ui.keep_current import KeepCurrent
from caseworker_app.ui.open_cases import OpenCases
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
        self.currency = KeepCurrent(self)  # every write's announcement reaches the panes it touches
        self.open_cases.emptied.connect(lambda: self.go(CASES))

        self.sync_label = QLabel("")
        self.sync_label.setAccessibleName("Changes waiting to sync")
        self.statusBar().addPermanentWidget(self.sync_label)
        self._build_menus()
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
        self._action("&View", "&Refresh", self.refresh, "F5")
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
        elif pane == CASES:
            self.currency.cases_shown()

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
        """Read everything shown again: the lists, the open case files, the count of unsynced changes."""
        self.cases.refresh()
        if self.stack.currentIndex() == TODAY and self.nav.currentRow() == TODAY:
            self.today.refresh()
        for view in self.open_cases.case_views():
            view.reload()
        self.refresh_count()

    def refresh_count(self) -> None:
        db = self.store.db
        Op(self, lambda: queries.outbox_size(db), what="counting unsynced changes").success(self._show_unsynced).run()

    def _show_unsynced(self, count: int) -> None:
        self.sync_label.setText("All changes synced" if count == 0 else f"{count:,} changes waiting to sync")

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
        self.cases.audit_timer.stop()  # nothing may reach the store once it starts closing
        self.open_cases.save_all(then=lambda: QTimer.singleShot(0, self._finish_close), failed=self._close_cancelled)

    def _close_cancelled(self) -> None:
        self._closing = False

    def _finish_close(self) -> None:
        store = self.store
        Op(None, store.close, what="closing the store").success(lambda _r: self._close_now()).failure(
            lambda _e: self._close_now()
        ).run()

    def _close_now(self) -> None:
        self.store_closed = True
        unfreeze()
        # Freed once closed: the lambdas its children's signals hold keep the Python side alive
        # otherwise, with every widget under it (and its memory) for the rest of the process.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.close()
