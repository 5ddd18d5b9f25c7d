"""Sync in the window: the status area (always true), Sync now with progress and Cancel, and
what a run's outcome asks of the window (sign in again, a case taken away, a wiped laptop).

`attach_sync(window)` wires it all; the main window only calls it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QWidget,
)

from caseworker_app.i18n import _
from caseworker_app.services.changes import OUTBOX, SYNC_STATE, Changes
from caseworker_app.services.sync_status import SyncStatus
from caseworker_app.store import queries
from caseworker_app.ui import background
from caseworker_app.ui.change_relay import ChangeRelay
from caseworker_app.ui.sync_runner import SYNC_LANE, RunRecord, SyncRunner
from caseworker_app.ui.widgets.sync_mark import labelled, mark_icon, strongest, words

if TYPE_CHECKING:
    from caseworker_app.ui.main_window import MainWindow
    from caseworker_app.ui.sync_page import SyncPage

TIMELINE_ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # ui/case_file/contacts.py ITEM_ROLE: (kind, record)
STATUS_SETTLE_MS = 250  # autosaves come in bursts while typing: one status read after the burst
CLOCK_MS = 30_000  # "Synced 3 min ago" moves on by itself


class SyncStatusArea(QWidget):
    """In the status bar: what holds now, when the last sync succeeded, and a run's progress."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel("")
        self.headline.setAccessibleName(_("Sync status"))
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.last_sync = QLabel("")
        self.last_sync.setAccessibleName(_("Last successful sync"))
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Sync progress"))
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.cancel = QPushButton(_("Cancel sync"))
        self.cancel.setAccessibleName(_("Cancel sync"))
        self.details = QPushButton(_("Sync page…"))
        self.details.setAccessibleName(_("Open the Sync page"))
        self.details.setFlat(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.headline, self.progress, self.cancel, self.last_sync, self.details):
            layout.addWidget(widget)
        self.status: SyncStatus | None = None
        self.syncing = False
        self.show_idle()

    def show_status(self, status: SyncStatus) -> None:
        self.status = status
        if not self.syncing:
            self._render()

    def show_running(self) -> None:
        self.syncing = True
        self.progress.setValue(0)
        self.headline.setText(_("Syncing…"))
        self.progress.setVisible(True)
        self.cancel.setVisible(True)
        self.cancel.setEnabled(True)

    def show_progress(self, fraction: float, message: str) -> None:
        if self.syncing:
            self.progress.setValue(int(100 * max(0.0, min(1.0, fraction))))
            self.headline.setText(_("Syncing: {step}").format(step=message))

    def show_idle(self) -> None:
        self.syncing = False
        self.progress.setVisible(False)
        self.cancel.setVisible(False)
        self._render()

    def _render(self) -> None:
        status = self.status
        if status is None:
            self.headline.setText(_("Reading the sync status…"))
            self.last_sync.setText("")
            return
        others = status.others()
        text = status.headline() if not others else _("{status} ({also})").format(
            status=status.headline(), also=", ".join(others)
        )
        self.headline.setText(text)
        self.headline.setToolTip(status.problem_text or "")
        self.last_sync.setText(status.last_synced())
        self.last_sync.setVisible(status.enrolled)
        self.details.setVisible(status.enrolled)


class SyncInWindow(QObject):
    """The sync runner, the status area, the actions and the dialogs a run's outcome opens."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runner = SyncRunner(window.store, self)
        self.area = SyncStatusArea()
        window.statusBar().addPermanentWidget(self.area, 1)
        self.sync_action = QAction(_("S&ync now"), window)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.sync_action.setToolTip(_("Send your changes and receive the agency's (F5)"))
        self.sync_action.triggered.connect(self.sync_now)
        self.page_action = QAction(_("Sync &page…"), window)
        self.page_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.page_action.triggered.connect(self.show_page)
        self.sign_in_dialog: QWidget | None = None
        self.page: SyncPage | None = None
        self.notices: list[QMessageBox] = []
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(STATUS_SETTLE_MS)
        self._settle.timeout.connect(self.runner.refresh_status)
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_MS)
        self._clock.timeout.connect(self.area._render)
        self.relay = ChangeRelay(self)
        self.relay.changed.connect(self._changed)
        self.area.cancel.clicked.connect(self.runner.cancel)
        self.area.details.clicked.connect(self.show_page)
        self.runner.started.connect(self._started)
        self.runner.progress.connect(self.area.show_progress)
        self.runner.finished.connect(self._finished)
        self.runner.status_changed.connect(self._status)
        self.runner.signed_out.connect(self.ask_sign_in)
        self.runner.revoked.connect(self.close_revoked)
        self.runner.wiped.connect(self.close_everything)
        window.open_cases.tabs.currentChanged.connect(lambda _i: self.refresh_marks())
        self._cases_stale = False
        window.nav.currentRowChanged.connect(self._pane_shown)

    def start(self) -> None:
        self.runner.start()
        self._clock.start()

    def add_actions(self) -> None:
        """Sync now in the File menu and on the toolbar; the Sync page in the View menu."""
        window = self.window
        menus = getattr(window, "_menus", {})
        if "&File" in menus:
            file_menu = menus["&File"]
            first = file_menu.actions()[0] if file_menu.actions() else None
            file_menu.insertAction(first, self.sync_action)
            file_menu.insertSeparator(first)
        if "&View" in menus:
            menus["&View"].addAction(self.page_action)
        icons = getattr(window, "_icons", None)
        if icons is not None:  # painted with the window's other icons, after its first paint
            icons.append((self.sync_action.setIcon, "cloud-upload"))
        toolbar = window.toolbar
        toolbar.addAction(self.sync_action)
        button = toolbar.widgetForAction(self.sync_action)
        if button is not None:
            button.setAccessibleName(_("Sync now"))

    # -- the run ---------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self.runner.status is not None and not self.runner.status.enrolled:
            self.window.statusBar().showMessage(
                _("This profile is not connected to an agency, so there is nothing to sync with."), 8000
            )
            return
        if not self.runner.sync_now():
            self.window.statusBar().showMessage(_("A sync is already under way."), 4000)

    def _started(self) -> None:
        self.area.show_running()
        self.sync_action.setEnabled(False)

    def _finished(self, record: RunRecord) -> None:
        self.sync_action.setEnabled(True)
        self.area.show_idle()
        if not record.ok and not record.automatic:
            self.window.statusBar().showMessage(record.words, 10000)

    def _status(self, status: SyncStatus) -> None:
        self.area.show_status(status)
        self.refresh_marks()

    def refresh_marks(self) -> None:
        """The markers on the case list and on each open case file, from the store's outbox and conflicts."""
        db = self.window.store.db
        open_ids = list(dict.fromkeys(
            case_id for widget in self.window.open_cases.widgets() if (case_id := getattr(widget, "case_id", None))
        ))

        def read() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
            return queries.sync_marks(db), {case_id: queries.sync_marks(db, case_id) for case_id in open_ids}

        background.Op(self.window, read, what=_("reading sync markers")).success(self._show_marks).failure(
            lambda _exc: None  # markers are a hint; the status area carries the truth
        ).run()

    def _show_marks(self, found: tuple[dict[str, str], dict[str, dict[str, str]]]) -> None:
        by_case, per_record = found
        self.window.cases.model.set_marks(by_case)
        tabs = self.window.open_cases.tabs
        for widget in self.window.open_cases.widgets():
            marks = per_record.get(getattr(widget, "case_id", None) or "")
            if marks is None:
                continue
            mark_label = getattr(widget, "sync_mark", None)
            if isinstance(mark_label, QLabel):  # a case file: the strongest mark of anything in the case
                text = labelled(strongest(marks))
                mark_label.setText(text)
                mark_label.setVisible(bool(text))
                self._mark_timeline(widget, marks)
                continue
            visit = getattr(widget, "visit", None)  # a visit form: the mark of that visit
            mark = marks.get(getattr(visit, "id", ""))
            at = tabs.indexOf(widget)
            if at >= 0:
                tabs.setTabIcon(at, mark_icon(mark))
                tabs.setTabToolTip(at, words(mark))

    def _mark_timeline(self, view: QWidget, marks: dict[str, str]) -> None:
        """Each visit and note in the case file's timeline carries its own mark; a refill re-marks."""
        if not view.property("sync_marks_wired"):
            view.setProperty("sync_marks_wired", True)
            loaded = getattr(view, "loaded", None)
            if loaded is not None:
                loaded.connect(lambda _file: self.refresh_marks())
        timeline = getattr(getattr(view, "contacts", None), "timeline", None)
        if not isinstance(timeline, QTreeWidget):
            return
        items = [timeline.topLevelItem(i) for i in range(timeline.topLevelItemCount())]
        while items:
            item = items.pop()
            if item is None:
                continue
            items += [item.child(i) for i in range(item.childCount())]
            data = item.data(0, TIMELINE_ITEM_ROLE)
            record = data[1] if isinstance(data, tuple) and len(data) == 2 else None
            mark = marks.get(getattr(record, "id", ""))
            item.setIcon(0, mark_icon(mark))
            item.setToolTip(0, words(mark))

    def _changed(self, changes: Changes) -> None:
        if changes.touches(kinds=[OUTBOX, SYNC_STATE]):
            self._settle.start()
        if changes.everything:
            # A sync brought records: what is on screen re-reads now, a hidden list when it is shown
            # (rebuilding 300 rows on the GUI thread while the person types stalls the typing); a
            # form being typed in keeps its text (its writes are field by field).
            window = self.window
            if window.stack.currentWidget() is window.cases:
                window.refresh()
            else:
                self._cases_stale = True
                if window.stack.currentWidget() is window.today:
                    window.today.refresh()
            for view in window.open_cases.case_views():
                view.reload()

    def _pane_shown(self, _row: int) -> None:
        if self._cases_stale and self.window.stack.currentWidget() is self.window.cases:
            self._cases_stale = False
            self.window.cases.refresh()

    # -- what an outcome asks of the window ------------------------------------------------------

    def ask_sign_in(self, why: str) -> None:
        from caseworker_app.ui.dialogs.sign_in import SignInDialog

        if self.sign_in_dialog is not None:
            return
        status = self.runner.status
        store = self.window.store
        from caseworker_app.sync.state import SyncState

        dialog = SignInDialog(store, "", (status.server or "") if status else "", why, self.window)
        self.sign_in_dialog = dialog
        # The user name is in the store: read off the GUI thread.
        background.Op(dialog, lambda: SyncState.load(store).username, what="reading the user name").success(
            dialog.username.setText
        ).run()
        dialog.completed.connect(lambda _user: self.runner.signed_in_again())
        dialog.finished.connect(self._sign_in_closed)
        dialog.open()

    def _sign_in_closed(self, _result: int) -> None:
        self.sign_in_dialog = None
        if self.runner.waiting_for_sign_in:  # left for later: the status says signed out meanwhile
            self.runner.refresh_status()

    def close_revoked(self, case_ids: list[str]) -> None:
        """The agency took these cases off this laptop: their tabs close, with a notice."""
        open_cases = self.window.open_cases
        closed = 0
        for widget in open_cases.widgets():
            if getattr(widget, "case_id", None) in case_ids:
                at = open_cases.tabs.indexOf(widget)
                open_cases.tabs.removeTab(at)  # not saved: the case is no longer in this profile
                widget.deleteLater()
                closed += 1
        if open_cases.tabs.count() == 0:
            open_cases.stack.setCurrentWidget(open_cases.empty)
        if not closed:
            return
        box = QMessageBox(QMessageBox.Icon.Information, _("A case was taken off this laptop"),
                          _("The agency reassigned or closed a case you had open, so it was removed from this "
                            "laptop and its tab closed. Your edits that had not synced were sent to the server "
                            "first; any it refused are kept under Refused changes on the Sync page."),
                          QMessageBox.StandardButton.Ok, self.window)
        box.setAccessibleName(_("A case was taken off this laptop"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.notices.append(box)
        box.open()

    def close_everything(self, reported: bool) -> None:
        """IT wiped this laptop: the data and key are gone; every window closes and says why."""
        window = self.window
        for widget in QApplication.topLevelWidgets():
            if widget is not window and widget.isVisible() and not isinstance(widget, QMessageBox):
                widget.close()
        window._close_now()  # nothing is left to save or close: the store and key are gone
        text = _("IT wiped this laptop: its Caseworker data and key were destroyed on the agency's order.")
        if not reported:
            text += " " + _("The server will be told the next time this laptop reaches it.")
        box = QMessageBox(QMessageBox.Icon.Warning, _("IT wiped this laptop"), text, QMessageBox.StandardButton.Ok)
        box.setAccessibleName(_("IT wiped this laptop"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wiped_notice.append(box)
        box.show()

    def show_page(self) -> None:
        from caseworker_app.ui.sync_page import SyncPage

        if self.page is None:
            self.page = SyncPage(self.window.store, self.runner, self.window)
            self.page.destroyed.connect(self._page_gone)
        self.page.show()
        self.page.raise_()
        self.page.activateWindow()

    def _page_gone(self) -> None:
        self.page = None

    def stop(self) -> None:
        """The window closes: no new run; the closing waits for one under way (see wait_stopped)."""
        self.runner.stop()
        self._clock.stop()


wiped_notice: list[QMessageBox] = []  # outlives the window it replaces (tests look at it)


def wait_stopped(timeout_ms: int = 60_000) -> None:
    """Worker side of closing: a run under way finishes (it was asked to cancel) before the store closes."""
    background.pool(SYNC_LANE).waitForDone(timeout_ms)


def attach_sync(window: MainWindow) -> SyncInWindow:
    sync = SyncInWindow(window)
    sync.add_actions()
    QTimer.singleShot(0, sync.start)
    return sync
