"""The main window: menus, toolbar, the navigation side pane, the pages and the status bar. It only wires them.

Other parts add to it in one line each: `self.toolbar.addAction(...)`, `self.add_page(name, icon, widget)`,
`self._action(menu, text, slot, shortcut)`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter, QWidget

from caseworker_app.i18n import N_, _
from caseworker_app.services.staff import staff_directory
from caseworker_app.store.local_store import LocalStore
from caseworker_app.ui import case_commands
from caseworker_app.ui.background import Op
from caseworker_app.ui.cases import CasesPane
from caseworker_app.ui.export_entry import export_summary
from caseworker_app.ui.gui_gc import freeze_long_lived, unfreeze
from caseworker_app.ui.help import show_shortcuts
from caseworker_app.ui.icons import icon
from caseworker_app.ui.keep_current import KeepCurrent
from caseworker_app.ui.log_folder import show_log_folder
from caseworker_app.ui.open_cases import OpenCases
from caseworker_app.ui.sync_status import attach_sync, wait_stopped
from caseworker_app.ui.today import TodayPane
from caseworker_app.ui.unlock import FULL_NAME_SETTING
from caseworker_app.ui.widgets.nav_pane import NavPane
from caseworker_app.ui.widgets.toolbar import MainToolBar

TODAY, CASES, OPEN = 0, 1, 2
FREEZE_DELAY_MS = 1000  # once the first lists are in: what exists then lives for the session


# (object name, title): the titles are translated when the bar is built.
MENUS = (("File", N_("&File")), ("Edit", N_("&Edit")), ("View", N_("&View")), ("Case", N_("&Case")),
         ("Help", N_("&Help")))


class MainWindow(QMainWindow):
    def __init__(self, store: LocalStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._closing = False
        self.store_closed = False
        self.setWindowTitle(_("Caseworker — {worker}").format(worker=store.worker))
        self.today = TodayPane(store)
        self.cases = CasesPane(store)
        self.open_cases = OpenCases(store)
        self.nav = NavPane()
        self.stack = self.nav.stack
        # Icons are painted once the window is up (SVG rendering), while the first lists load.
        self._icons: list[tuple[Callable[[QIcon], None], str]] = []
        pages = ((_("Today"), "calendar-days", self.today), (_("Cases"), "folder-open", self.cases),
                 (_("Open cases"), "files", self.open_cases))
        for name, page_icon, page in pages:
            item = self.nav.item(self.add_page(name, QIcon(), page))
            self._icons.append((item.setIcon, page_icon))
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([170, 1110])
        self.setCentralWidget(self.splitter)
        self.nav.shown.connect(self._pane_shown)

        for pane in (self.today, self.cases):
            pane.open_case.connect(self.open_case)
        self.today.open_draft.connect(self.open_draft)
        self.currency = KeepCurrent(self)  # every write's announcement reaches the panes it touches
        self.open_cases.emptied.connect(lambda: self.go(CASES))

        self.toolbar = MainToolBar(_("Main toolbar"))
        self.addToolBar(self.toolbar)
        self._build_menus()
        self._build_toolbar()
        self.sync = attach_sync(self)  # the status area, Sync now (F5, File menu, toolbar), the Sync page
        self.sync_label = self.sync.area.headline
        self._restore_geometry()
        self.refresh()  # the case list first: it is the bigger query
        self.go(TODAY)
        self._show_full_name()
        QTimer.singleShot(0, self, self._paint_icons)  # never after the window is gone
        self._freeze_timer = QTimer(self)  # a child: it dies with the window, never freezing after it
        self._freeze_timer.setSingleShot(True)
        self._freeze_timer.timeout.connect(self._freeze_session)
        self._freeze_timer.start(FREEZE_DELAY_MS)

    def _paint_icons(self) -> None:
        pending, self._icons = self._icons, []
        for put, name in pending:
            put(icon(name))

    def add_page(self, name: str, page_icon: QIcon, widget: QWidget) -> int:
        """A page in the side pane; returns its index for `go`."""
        return self.nav.add_page(name, page_icon, widget)

    # -- menus, toolbar and shortcuts ----------------------------------------------------------

    def _action(
        self,
        menu_name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        action_icon: str | None = None,
    ) -> QAction:
        menu = self._menus[menu_name]
        action = QAction(text, self)
        if action_icon:
            self._icons.append((action.setIcon, action_icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus: dict[str, QMenu] = {}
        for name, title in MENUS:
            menu = bar.addMenu(_(title))
            menu.setObjectName(name)  # found by this name whatever the language (profile_menus.menu_named)
            self._menus[title] = menu
        # One action, two menus: Ctrl+N records a visit in the case in hand, wherever it is selected.
        self.new_visit_action = self._action("&Case", _("Record a &visit"), lambda: case_commands.record_visit(self),
                                             "Ctrl+N", "file-plus")
        self._menus["&File"].addAction(self.new_visit_action)
        self._action("&File", _("&Save now"), self.open_cases.save_now, "Ctrl+S")
        self._action("&File", _("&Close tab"), self.open_cases.close_current, "Ctrl+W")
        self._menus["&File"].addSeparator()
        self._action("&File", _("&Quit"), self.close, "Ctrl+Q")
        self.find_action = self._action("&Edit", _("&Find cases…"), self.find_cases, "Ctrl+F", "search")
        self._action("&View", _("&Today"), lambda: self.go(TODAY), "Ctrl+1", "calendar-days")
        self._action("&View", _("&Cases"), lambda: self.go(CASES), "Ctrl+2", "folder-open")
        self._action("&View", _("&Open cases"), lambda: self.go(OPEN), "Ctrl+3", "files")
        self._action("&View", _("&Next open case"), lambda: self._cycle(1), "Ctrl+Tab")
        self._action("&View", _("&Previous open case"), lambda: self._cycle(-1), "Ctrl+Shift+Tab")
        # Ctrl+R, not F5: F5 is left for Sync now.
        self.refresh_action = self._action("&View", _("&Refresh"), self.refresh, "Ctrl+R", "refresh-cw")
        self.case_actions = [self.new_visit_action]
        for text, keys, act in case_commands.CASE_FILE_COMMANDS:
            self.case_actions.append(self._action("&Case", _(text), self._on_case_file(act), keys))
        self.export_action = self._action("&Case", _("E&xport summary…"), lambda: export_summary(self.open_cases),
                                          "Ctrl+E")
        self.shortcuts_action = self._action("&Help", _("&Keyboard shortcuts"), lambda: show_shortcuts(self), "F1",
                                             "keyboard")
        self._action("&Help", _("Check for &updates…"), self.check_updates)
        self._action("&Help", _("Show the &log folder"), lambda: show_log_folder(self))

    def _on_case_file(self, act: case_commands.CaseFileAct) -> Callable[[], None]:
        return lambda: case_commands.on_case_file(self, act)

    def _build_toolbar(self) -> None:
        for action, name in zip(self.case_actions[1:], ("phone-missed", "shield-alert", "list-todo", "hand-helping",
                                                         "school"), strict=True):
            self._icons.append((action.setIcon, name))
        for action in (self.new_visit_action, self.case_actions[1], self.case_actions[3], self.find_action):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.refresh_action)
        self.toolbar.addAction(self.shortcuts_action)

    def check_updates(self) -> None:
        from caseworker_app.ui.updates import check_updates

        check_updates(self)

    def _freeze_session(self) -> None:
        if not self._closing and not self.store_closed:
            freeze_long_lived()

    # -- navigation -------------------------------------------------------------------------

    def go(self, pane: int) -> None:
        self.nav.setCurrentRow(pane)

    def show_open_cases(self) -> None:
        self.go(OPEN)

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
        self.sync.runner.refresh_status()

    def _show_full_name(self) -> None:
        """The worker's full name in the title, and kept for the unlock screen's greeting next time."""
        store = self.store
        Op(self, lambda: staff_directory(store).get(store.worker), what=_("reading your name")).success(
            self._named
        ).run()

    def _named(self, member: object) -> None:
        name = str(getattr(member, "name", "") or "").strip()
        if not name or name == self.store.worker:
            return
        self.setWindowTitle(_("Caseworker — {name}").format(name=name))
        QSettings().setValue(FULL_NAME_SETTING.format(worker=self.store.worker), name)

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
