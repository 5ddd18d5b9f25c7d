"""The Sync page: where sync stands, this session's runs in plain words, the changes the server
refused (with its reason; send again or discard) and the conflicts to settle."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseworker_app.i18n import _
from caseworker_app.services.changes import Changes
from caseworker_app.services.sync import RunOutcome, discard_refused, recent_runs, resend_refused
from caseworker_app.services.sync_status import SyncStatus
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.conflicts import Conflict, list_conflicts
from caseworker_app.sync.refused import RefusedChange, list_refused
from caseworker_app.ui.background import Op
from caseworker_app.ui.change_relay import ChangeRelay
from caseworker_app.ui.models.sync_lists import (
    CONFLICT_HEADERS,
    REFUSED_HEADERS,
    conflict_rows,
    refused_rows,
    when,
)
from caseworker_app.ui.sync_runner import SyncRunner
from caseworker_app.ui.widgets.table import RowTable, heading


@dataclass(frozen=True)
class SyncLists:
    refused: list[RefusedChange]
    conflicts: list[Conflict]
    runs: list[RunOutcome]


def read_lists(store: LocalStore) -> SyncLists:
    return SyncLists(list_refused(store), list_conflicts(store), recent_runs(store))


def button(text: str, name: str) -> QPushButton:
    made = QPushButton(text)
    made.setAccessibleName(name)
    made.setAutoDefault(False)
    return made


class SyncPage(QDialog):
    def __init__(self, store: LocalStore, runner: SyncRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle(_("Caseworker — Sync"))
        self.setAccessibleName(_("Sync page"))
        self.resize(1000, 700)
        self.store, self.runner, self.main = store, runner, parent
        self.lists: SyncLists | None = None
        self.last_box: QWidget | None = None  # the dialog an action opened last (tests look at it)
        self.status = QLabel("")
        self.status.setAccessibleName(_("Sync status"))
        self.status.setWordWrap(True)
        self.sync_now = button(_("S&ync now"), _("Sync now"))
        self.sync_now.clicked.connect(lambda: runner.sync_now())
        self.runs = QListWidget()
        self.runs.setAccessibleName(_("Recent syncs"))
        self.runs.setMaximumHeight(130)
        self.refused = RowTable(REFUSED_HEADERS, _("Changes the server refused"), sortable=False)
        self.open_record = button(_("&Open its case to edit"), _("Open the case of the refused change"))
        self.resend = button(_("Send &again"), _("Send the refused change again"))
        self.discard = button(_("&Discard…"), _("Discard the refused change"))
        self.conflicts = RowTable(CONFLICT_HEADERS, _("Conflicts to settle"), sortable=False)
        self.settle = button(_("&Settle…"), _("Settle the selected conflict"))
        self.open_record.clicked.connect(self._open_refused_case)
        self.resend.clicked.connect(self._resend)
        self.discard.clicked.connect(self._discard)
        self.settle.clicked.connect(self._settle_current)
        self.conflicts.activated_payload.connect(self.settle_conflict)
        self.refused.activated_payload.connect(lambda _item: self._resend())

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.sync_now)
        refused_buttons = QHBoxLayout()
        for made in (self.open_record, self.resend, self.discard):
            refused_buttons.addWidget(made)
        refused_buttons.addStretch(1)
        conflict_buttons = QHBoxLayout()
        conflict_buttons.addWidget(self.settle)
        conflict_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for title, widget in ((_("Recent syncs"), self.runs), (_("Changes the server refused"), self.refused)):
            label = heading(title)
            label.setBuddy(widget)
            layout.addWidget(label)
            layout.addWidget(widget)
        layout.addLayout(refused_buttons)
        self.refused_hint = QLabel(_("Fix the record in its case file, then send it again as it stands now; "
                                     "or discard the change and take the server's version."))
        self.refused_hint.setWordWrap(True)
        layout.addWidget(self.refused_hint)
        conflicts_label = heading(_("Conflicts to settle"))
        conflicts_label.setBuddy(self.conflicts)
        layout.addWidget(conflicts_label)
        layout.addWidget(self.conflicts)
        layout.addLayout(conflict_buttons)
        self.sync_key = QShortcut(QKeySequence("F5"), self)
        self.sync_key.activated.connect(lambda: runner.sync_now())

        runner.status_changed.connect(self.show_status)
        runner.finished.connect(lambda _record: self.reload())
        runner.started.connect(lambda: self.status.setText(_("Syncing…")))
        self.relay = ChangeRelay(self)
        self.relay.changed.connect(self._changed)
        if runner.status is not None:
            self.show_status(runner.status)
        self.reload()

    # -- what it shows -------------------------------------------------------------------------

    def reload(self) -> None:
        store = self.store
        Op(self, lambda: read_lists(store), what=_("reading refused changes and conflicts")).success(
            self.show_lists
        ).run()

    def show_lists(self, lists: SyncLists) -> None:
        self.lists = lists
        self.show_runs(lists.runs)
        self.refused.set_rows(refused_rows(lists.refused))
        self.conflicts.set_rows(conflict_rows(lists.conflicts))
        for made in (self.open_record, self.resend, self.discard):
            made.setEnabled(bool(lists.refused))
        self.settle.setEnabled(bool(lists.conflicts))
        for table in (self.refused, self.conflicts):
            if table.model().rowCount() and not table.currentIndex().isValid():
                table.selectRow(0)

    def show_status(self, status: SyncStatus) -> None:
        parts = [status.headline(), *status.others(), status.last_synced()]
        self.status.setText(" · ".join(p for p in parts if p))

    def show_runs(self, runs: list[RunOutcome]) -> None:
        """The profile's latest runs, from the store: the terminal's as well as the window's."""
        self.runs.clear()
        if not runs:
            self.runs.addItem(_("This profile has not synced yet."))
        for run in runs:
            outcome = run.words if run.ok else _("Did not finish: {why}").format(why=run.words)
            self.runs.addItem(_("{time}  {outcome}").format(time=when(run.finished_at), outcome=outcome))

    def _changed(self, changes: Changes) -> None:
        self.reload()

    # -- refused changes ---------------------------------------------------------------------

    def _current_refused(self) -> RefusedChange | None:
        item = self.refused.current_payload()
        return item if isinstance(item, RefusedChange) else None

    def _open_refused_case(self) -> None:
        item = self._current_refused()
        open_case = getattr(self.main, "open_case", None)
        if item is not None and self.main is not None and open_case is not None:
            open_case(item.case_id)
            self.main.activateWindow()

    def _resend(self) -> None:
        item = self._current_refused()
        if item is None:
            return
        store = self.store
        Op(self, lambda: resend_refused(store, item.mutation_id), what=_("sending a change again")).success(
            self._acted
        ).run()

    def _discard(self) -> None:
        item = self._current_refused()
        if item is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Discard this change?"),
                          _("Discard the refused change to this {record}? Your version of it is given up and "
                            "the record goes back to the server's version. This cannot be undone.").format(
                              record=item.entity.replace("_", " ")),
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
        box.setAccessibleName(_("Discard this change?"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda result: self._discard_confirmed(item, result))
        self.last_box = box
        box.open()

    def _discard_confirmed(self, item: RefusedChange, result: int) -> None:
        if result != QMessageBox.StandardButton.Discard:
            return
        store = self.store
        Op(self, lambda: discard_refused(store, item.mutation_id), what=_("discarding a change")).success(
            self._acted
        ).run()

    def _acted(self, said: str) -> None:
        status_bar = getattr(self.main, "statusBar", None)
        if status_bar is not None:
            status_bar().showMessage(said, 10000)

    # -- conflicts ---------------------------------------------------------------------------

    def _settle_current(self) -> None:
        item = self.conflicts.current_payload()
        if isinstance(item, Conflict):
            self.settle_conflict(item)

    def settle_conflict(self, conflict: Conflict) -> None:
        from caseworker_app.ui.dialogs.conflict import ConflictDialog

        dialog = ConflictDialog(self.store, conflict, self)
        self.last_box = dialog
        dialog.open()
