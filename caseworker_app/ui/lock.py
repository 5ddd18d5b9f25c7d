"""Locking: on request (Ctrl+L), after the idle time the settings give, and when the session locks or
the machine suspends. Drafts are saved first, the store is closed and its key forgotten, every window
hides, and unlocking returns to the same tabs.

Idle is measured by the wall clock, not by a timer's ticks, so a laptop that slept past the timeout
is locked the moment it wakes (KeePassXC does the same).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import SLOT, QAbstractNativeEventFilter, QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from caseworker_app.ui.background import Op

if TYPE_CHECKING:
    from caseworker_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

CHECK_MS = 2000  # how often idle is compared with the wall clock; also the delay after waking
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)


def wall_clock() -> float:
    """Seconds of real time; it keeps running while the machine sleeps (a monotonic clock may not)."""
    return time.time()


@dataclass
class OpenTabs:
    """What was open when the lock came, by id only (never case data): reopened after unlocking."""

    tabs: list[tuple[str, str]] = field(default_factory=list)  # ("case" | "visit", id)
    current: int = 0
    pane: int = 0

    @classmethod
    def of(cls, window: MainWindow) -> OpenTabs:
        from caseworker_app.ui.case_file.view import CaseFileView
        from caseworker_app.ui.visit_form import VisitForm

        tabs: list[tuple[str, str]] = []
        for widget in window.open_cases.widgets():
            if isinstance(widget, CaseFileView):
                tabs.append(("case", widget.case_id))
            elif isinstance(widget, VisitForm):
                tabs.append(("visit", widget.visit.id))
        return cls(tabs, max(window.open_cases.tabs.currentIndex(), 0), window.stack.currentIndex())

    def reopen(self, window: MainWindow) -> None:
        from caseworker_app.ui.case_file.actions import open_visit

        for kind, row_id in self.tabs:
            if kind == "case":
                window.open_cases.open_case(row_id)
            else:
                open_visit(window.open_cases, row_id)
        window.go(self.pane)
        # Visit forms load in the background; the current tab is chosen once they are all in.
        wanted = len(self.tabs)
        current = self.current

        def choose(waited: int = 0) -> None:
            if not isValid(window) or not isValid(window.open_cases.tabs):
                return  # locked or closed again meanwhile
            if window.open_cases.count() >= wanted or waited > 20000:
                if 0 <= current < window.open_cases.count():
                    window.open_cases.tabs.setCurrentIndex(current)
                return
            QTimer.singleShot(100, lambda: choose(waited + 100))

        choose()


class IdleWatch(QObject):
    """Notes the wall-clock time of the last keyboard, mouse or touch input anywhere in the app."""

    def __init__(self, clock: Callable[[], float] = wall_clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.last_input = clock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.last_input = self.clock()
        return False

    def idle_seconds(self) -> float:
        return max(0.0, self.clock() - self.last_input)

    def touch(self) -> None:
        self.last_input = self.clock()


class SessionWatch(QObject):
    """The platform telling us the session locked or the machine is about to sleep.

    On Linux: logind over the system D-Bus (QtDBus ships in pyside6-essentials). On Windows:
    session-change and suspend messages (WTSRegisterSessionNotification, WM_POWERBROADCAST).
    Elsewhere, or with no system bus, it stays silent and the idle lock still applies.
    """

    lock_requested = Signal(str)  # why: "session locked" or "suspending"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connected = False

    def listen(self, bus: object | None = None) -> bool:
        """Subscribe to logind on `bus` (the system bus unless a test hands it a private one)."""
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            return self._listen_windows()
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            log.info("QtDBus is not available; locking on session lock or suspend is off")
            return False
        if not isinstance(bus, QDBusConnection):
            bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            log.info("No system D-Bus; locking on session lock or suspend is off")
            return False
        service, manager = "org.freedesktop.login1", "org.freedesktop.login1.Manager"
        ok_sleep = bus.connect(service, "/org/freedesktop/login1", manager, "PrepareForSleep", self,
                               SLOT("_prepare_for_sleep(bool)"))  # type: ignore[call-overload]
        # Any session object: the path of our own needs a blocking call; a second session of the
        # same person locking is reason enough to lock too.
        ok_lock = bus.connect(service, "", "org.freedesktop.login1.Session", "Lock", self,
                              SLOT("_session_locked()"))  # type: ignore[call-overload]  # the stubs say bytes; only str works
        self.connected = bool(ok_sleep or ok_lock)
        return self.connected

    def _listen_windows(self) -> bool:  # pragma: no cover - Windows only; not run in this CI
        import ctypes

        app = QApplication.instance()
        if app is None:
            return False
        self._native = _WindowsSessionFilter(self.lock_requested.emit)
        app.installNativeEventFilter(self._native)
        # A native window that is never shown receives the session messages for the whole app.
        self._receiver = QWidget()
        hwnd = int(self._receiver.winId())
        notify_for_this_session = 0
        if sys.platform == "win32":  # for mypy: windll exists only there
            register = ctypes.windll.wtsapi32.WTSRegisterSessionNotification
            self.connected = bool(register(hwnd, notify_for_this_session))
        return self.connected

    @Slot(bool)
    def _prepare_for_sleep(self, going: bool) -> None:
        if going:
            self.lock_requested.emit("suspending")

    @Slot()
    def _session_locked(self) -> None:
        self.lock_requested.emit("session locked")


class _WindowsSessionFilter(QAbstractNativeEventFilter):  # pragma: no cover - Windows only
    """WM_WTSSESSION_CHANGE with WTS_SESSION_LOCK, and WM_POWERBROADCAST with PBT_APMSUSPEND."""

    WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK = 0x02B1, 0x7
    WM_POWERBROADCAST, PBT_APMSUSPEND = 0x0218, 0x4

    def __init__(self, emit: Callable[[str], object]) -> None:
        super().__init__()
        self.emit = emit

    def nativeEventFilter(self, event_type: object, message: object) -> tuple[bool, int]:
        if bytes(event_type) == b"windows_generic_MSG":  # type: ignore[call-overload]
            import ctypes.wintypes

            msg = ctypes.wintypes.MSG.from_address(int(message))  # type: ignore[call-overload]
            if msg.message == self.WM_WTSSESSION_CHANGE and msg.wParam == self.WTS_SESSION_LOCK:
                self.emit("session locked")
            elif msg.message == self.WM_POWERBROADCAST and msg.wParam == self.PBT_APMSUSPEND:
                self.emit("suspending")
        return False, 0


class LockController(QObject):
    """Owned by the Desktop: watches one main window at a time and locks it when it must."""

    locked = Signal()

    def __init__(
        self,
        home: Path,
        show_unlock: Callable[[], None],
        clock: Callable[[], float] = wall_clock,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.show_unlock = show_unlock
        self.idle = IdleWatch(clock, self)
        self.session = SessionWatch(self)
        self.session.lock_requested.connect(lambda _why: self.lock_now())
        self.minutes: int | None = None  # read from the settings once a profile is open
        self.window: MainWindow | None = None
        self.closing: MainWindow | None = None  # locked, saving and closing behind the unlock screen
        self.reopen: OpenTabs | None = None
        self.locking = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.session.listen()

    def watch(self, window: MainWindow) -> None:
        """A main window just opened: reopen the tabs of the last lock, and start watching idle."""
        from PySide6.QtGui import QKeySequence

        self.window = window
        self.locking = False
        self.idle.touch()
        if window.property("lock_watched"):  # a window brought back after a lock whose draft could not be saved
            if self.minutes is not None:
                self._timer.start()
            return
        window.setProperty("lock_watched", True)
        window.destroyed.connect(self._window_gone)  # quit or closed: hold no reference to it
        action = QAction(_lock_text(), window)
        action.setShortcut(QKeySequence("Ctrl+L"))
        action.triggered.connect(self.lock_now)
        _put_in_file_menu(window, action)
        if self.reopen is not None:
            tabs, self.reopen = self.reopen, None
            tabs.reopen(window)
        home = self.home
        Op(None, lambda: _auto_lock_minutes(home), what="reading the lock setting").success(
            self._set_minutes
        ).failure(lambda _e: self._set_minutes(_default_minutes())).run()

    def _window_gone(self) -> None:
        self.window = self.closing = None
        self._timer.stop()

    def unsaved_window(self) -> MainWindow | None:
        """The window a lock could not close because a draft failed to save: it still holds the text.

        Unlocking brings it back (its store never closed) rather than a new window without that text.
        """
        window = self.closing
        if window is None or not isValid(window) or window.store_closed or window._closing:
            return None
        return window

    def _set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        if self.window is not None:
            self._timer.start()

    def check(self) -> None:
        if self.window is None or self.minutes is None or self.locking:
            return
        if self.idle.idle_seconds() >= self.minutes * 60:
            log.info("Locking after %s idle minutes", self.minutes)
            self.lock_now()

    def lock_now(self) -> None:
        """Hide everything at once, then save drafts, close the store (forgetting the key), show unlock."""
        window = self.window
        if window is None or self.locking:
            return
        self.locking = True
        self._timer.stop()
        self.reopen = OpenTabs.of(window)
        for top in QApplication.topLevelWidgets():
            if top is not window and top.isVisible() and isinstance(top, QWidget):
                top.close()  # dialogs and message boxes: nothing of a case stays on screen
        self.show_unlock()  # first, so closing the main window never leaves the app with no window
        window.hide()
        # Saves every draft, closes the store, then frees the window (MainWindow.closeEvent). If a draft
        # cannot be saved, the window stays (hidden) with its text and comes back after unlocking.
        window.close()
        self.closing = window
        self.window = None
        self.locked.emit()


def _put_in_file_menu(window: QWidget, action: QAction) -> None:
    """File > Lock now, just above the separator before Quit (or at the end); the shortcut works anywhere."""
    window.addAction(action)
    bar = window.menuBar() if hasattr(window, "menuBar") else None
    if bar is None:
        return
    for top in bar.actions():
        menu = top.menu()
        if menu is not None and top.text().replace("&", "") == "File":
            items = menu.actions()
            separators = [a for a in items if a.isSeparator()]
            menu.insertAction(separators[-1] if separators else None, action)
            return


def _lock_text() -> str:
    from caseworker_app.i18n import _

    return _("&Lock now")


def _default_minutes() -> int:
    from caseworker_app.settings import setting

    return int(setting("auto_lock_minutes").default)


def _auto_lock_minutes(home: Path) -> int:
    from caseworker_app.settings import Settings

    return int(Settings(home).get("auto_lock_minutes"))
