"""Keeps every pane of the window current: change announcements, gathered briefly, go to what they touch.

Whatever wrote (a form's autosave, a dialog, a background operation, a sync), the store
announces the change after it commits (services/changes.py). Announcements that arrive
close together (a sync applies many pages) are merged, then each pane re-reads only
when the change touches what it shows; a hidden list re-reads when it is next shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from caseworker_app.services.changes import AUDIT, OUTBOX, Changes
from caseworker_app.ui.change_relay import ChangeRelay

if TYPE_CHECKING:
    from caseworker_app.ui.main_window import MainWindow

SETTLE_MS = 80  # long enough to merge a burst, short enough that a person never sees it stale
# What each list shows, as the store names the kinds of record.
TODAY_KINDS = frozenset({"Case", "Person", "Visit", "Note", "Task", AUDIT})  # AUDIT: recently opened cases
CASE_LIST_KINDS = frozenset({"Case", "Person", "Visit", "Task"})


class KeepCurrent(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pending: Changes | None = None
        self.cases_stale = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self._apply)
        self.relay = ChangeRelay(self)
        self.relay.changed.connect(self.heard)

    def heard(self, changes: Changes) -> None:
        self.pending = changes if self.pending is None else self.pending | changes
        if not self.timer.isActive():
            self.timer.start()

    def _apply(self) -> None:
        changes, self.pending = self.pending, None
        window = self.window
        if changes is None or window._closing or window.store_closed:
            return  # nothing may reach a store that is closing
        window.open_cases.apply_changes(changes)
        if changes.touches(kinds=TODAY_KINDS) and window.stack.currentWidget() is window.today:
            window.today.refresh()  # when hidden, Today re-reads as it is shown
        if changes.touches(kinds=CASE_LIST_KINDS):
            if window.stack.currentWidget() is window.cases:
                window.cases.refresh()
            else:
                self.cases_stale = True
        if changes.everything or OUTBOX in changes.kinds:
            window.refresh_count()

    def cases_shown(self) -> None:
        if self.cases_stale:
            self.cases_stale = False
            self.window.cases.refresh()
