"""Runs sync in the window: on request (F5), every N minutes, and when the server answers again.

Thin Qt around `services.sync_schedule` (when to run, backoff, jitter) and `services.sync.run_once`
(the run itself, on a worker lane of its own so autosaves never queue behind a sync).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from caseworker_app.i18n import _
from caseworker_app.services.sync import SyncOutcome, describe, problem_kind, run_once
from caseworker_app.services.sync_schedule import PROBE_EVERY_S, SyncSchedule
from caseworker_app.services.sync_status import SyncStatus, read_status
from caseworker_app.settings import Settings, setting
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.errors import Cancelled, SignInRequired, SyncError, SyncRunning
from caseworker_app.sync.reachability import server_answers
from caseworker_app.ui.background import Op

log = logging.getLogger(__name__)

SYNC_LANE = "sync"  # the run: its own worker, so the store's lane (autosaves) never waits behind it
PROBE_LANE = "probe"  # the reachability question: no store, short timeouts
TICK_MS = 1000
RECENT_RUNS = 20


@dataclass(frozen=True)
class RunRecord:
    """One run of this session, as the Sync page lists it."""

    finished_at: datetime
    ok: bool
    words: str
    automatic: bool


class SyncRunner(QObject):
    started = Signal()
    progress = Signal(float, str)  # emitted from the worker; queued to the GUI thread by Qt
    finished = Signal(object)  # the RunRecord
    status_changed = Signal(object)  # SyncStatus
    signed_out = Signal(str)  # the server's words
    revoked = Signal(list)  # case ids taken off this laptop
    wiped = Signal(bool)  # wipe reported to the server

    def __init__(
        self,
        store: LocalStore,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval_s: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.clock = clock
        self._interval_given = interval_s is not None
        # Until the setting is read (off the GUI thread, in start()): its declared default.
        default = 60.0 * int(setting("sync_interval_minutes").default)
        self.schedule = SyncSchedule(interval_s if interval_s is not None else default)
        self.status: SyncStatus | None = None
        self.runs: list[RunRecord] = []
        self.waiting_for_sign_in = False
        self._cancel: threading.Event | None = None
        self._probing = False
        self._last_probe = 0.0
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._network_information()

    # -- asking -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.schedule.running

    def start(self) -> None:
        """Begin the automatic runs (once the window shows); the status and the interval are read at once."""
        self.refresh_status()
        if not self._interval_given:
            home = self.store.profile.home
            Op(None, lambda: 60.0 * int(Settings(home).get("sync_interval_minutes")),
               what="reading the sync interval").success(self._have_interval).failure(
                lambda exc: log.warning("sync interval not read (%s); using the default", type(exc).__name__)
            ).run()
        self.schedule.start(self.clock())
        self.timer.start()

    def _have_interval(self, seconds: float) -> None:
        if isValid(self):
            self.schedule.interval_s = seconds

    def stop(self) -> None:
        """The window closes or locks: no new run; a run under way is asked to stop."""
        self._stopped = True
        self.timer.stop()
        self.cancel()

    def sync_now(self, *, automatic: bool = False) -> bool:
        """Start a run unless one is under way (never two at once) or the profile has no server."""
        if self._stopped or (self.status is not None and not self.status.enrolled):
            return False
        if not self.schedule.try_start():
            return False
        self._cancel = cancel = threading.Event()
        store = self.store

        def run() -> SyncOutcome:
            return run_once(store, progress=self._report_progress, cancel=cancel)

        self.started.emit()
        Op(None, run, what="syncing", lane=SYNC_LANE).success(
            lambda outcome: self._done(outcome, automatic) if isValid(self) else None
        ).failure(lambda exc: self._failed(exc, automatic) if isValid(self) else None).run()
        return True

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def refresh_status(self) -> None:
        store = self.store
        Op(None, lambda: read_status(store), what="reading the sync status").success(
            lambda status: self._have_status(status) if isValid(self) else None
        ).failure(
            lambda exc: log.warning("sync status could not be read: %s", type(exc).__name__)
        ).run()

    # -- results ------------------------------------------------------------------------------

    def _report_progress(self, fraction: float, message: str) -> None:
        if not self._stopped:
            self.progress.emit(fraction, message)

    def _have_status(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _record(self, ok: bool, words: str, automatic: bool) -> None:
        record = RunRecord(datetime.now().astimezone(), ok, words, automatic)
        self.runs = [record, *self.runs][:RECENT_RUNS]
        self.finished.emit(record)

    def _done(self, outcome: SyncOutcome, automatic: bool) -> None:
        self._cancel = None
        if outcome.report is None:  # wiped on IT's order: nothing else happens in this window
            self.schedule.running = False
            self.stop()
            self.wiped.emit(outcome.wipe_reported)
            return
        self.schedule.succeeded(self.clock())
        self._record(True, describe(outcome.report), automatic)
        if outcome.report.revoked:
            self.revoked.emit(list(dict.fromkeys(outcome.report.revoked)))
        self.refresh_status()

    def _failed(self, exc: BaseException, automatic: bool) -> None:
        self._cancel = None
        now = self.clock()
        if isinstance(exc, SignInRequired):
            self.schedule.stopped(now)
            self._record(False, str(exc), automatic)
            self.waiting_for_sign_in = True
            self.signed_out.emit(str(exc))
        elif isinstance(exc, Cancelled):
            self.schedule.stopped(now)
            self._record(False, _("Sync cancelled; nothing was lost."), automatic)
        elif isinstance(exc, SyncRunning):
            self.schedule.failed(now, unreachable=False)  # the terminal is syncing: try again shortly
            self._record(False, _("Another sync of this profile was under way; trying again shortly."), automatic)
        elif isinstance(exc, SyncError):
            kind = problem_kind(exc)
            wait = self.schedule.failed(now, unreachable=kind in ("offline", "no_server"))
            log.info("sync: %s; next try in %.0f s", kind, wait)
            self._record(False, str(exc), automatic)
        else:  # a fault of ours: said once, plainly; the schedule backs off as for a failing server
            log.error("sync run failed", exc_info=(type(exc), exc, exc.__traceback__))
            self.schedule.failed(now, unreachable=False)
            self._record(False, _("The sync stopped because of an error in the app; your work is kept."), automatic)
        self.refresh_status()

    def signed_in_again(self) -> None:
        """The sign-in dialog succeeded: the sync resumes at once."""
        self.waiting_for_sign_in = False
        self.refresh_status()
        self.sync_now()

    # -- automatic runs -----------------------------------------------------------------------

    def _tick(self) -> None:
        if self._stopped or self.waiting_for_sign_in or self.status is None or not self.status.enrolled:
            return
        now = self.clock()
        if self.schedule.should_probe() and now - self._last_probe >= PROBE_EVERY_S:
            self.probe()
        if self.schedule.due(now):
            self.sync_now(automatic=True)

    def probe(self) -> None:
        """Ask the server (cheaply) whether it answers; if it is back, sync at once."""
        if self._probing or self.status is None or not self.status.server:
            return
        self._probing = True
        self._last_probe = self.clock()
        home, url = self.store.profile.home, self.status.server
        Op(None, lambda: server_answers(home, url), what="checking the server", lane=PROBE_LANE).success(
            self._probed
        ).failure(lambda _exc: None).after(lambda: self._probe_done() if isValid(self) else None).run()

    def _probe_done(self) -> None:
        self._probing = False

    def _probed(self, answers: bool) -> None:
        if answers and isValid(self) and not self._stopped:
            self.schedule.server_back(self.clock())
            self._tick()

    def _network_information(self) -> None:
        """Where the platform reports reachability, a change prompts a probe at once."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except Exception:  # no backend on this platform: the probe's own timer covers it
            return
        if info is not None:
            info.reachabilityChanged.connect(lambda _r: self._network_changed())

    def _network_changed(self) -> None:
        if self.schedule.unreachable and not self._stopped:
            self._last_probe = 0.0
            self._tick()
