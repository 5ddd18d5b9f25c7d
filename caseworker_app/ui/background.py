"""Running store work off the GUI thread: one helper, callbacks delivered back on the GUI thread.

In the manner of Anki's CollectionOp: ``Op(parent, fn).success(cb).run()``. One worker
thread owns the store, so writes queue in order and never race each other; the GUI
thread only posts work and receives results. Work that waits on the network (an update
check) runs in a lane of its own, so an autosave never queues behind a slow server; it
must not touch the store.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

log = logging.getLogger(__name__)
T = TypeVar("T")

STORE, NETWORK = "store", "network"
_pools: dict[str, QThreadPool] = {}
_relay: _Relay | None = None
_running: dict[int, Op[Any]] = {}
_numbers = itertools.count(1)


def pool(lane: str = STORE) -> QThreadPool:
    found = _pools.get(lane)
    if found is None:
        found = QThreadPool()
        found.setMaxThreadCount(1)  # one worker per lane: the store's owns the database
        found.setExpiryTimeout(-1)
        _pools[lane] = found
    return found


def busy() -> bool:
    """True while any operation has not yet delivered its result (tests wait on this)."""
    return bool(_running)


def wait_idle(timeout_ms: int = 30000) -> bool:
    """Block until the workers are done (shutdown and benchmarks only; never from a screen)."""
    pool()  # the store's lane, even before any work was posted
    return all([lane.waitForDone(timeout_ms) for lane in list(_pools.values())])  # every lane, not the first idle


class _Relay(QObject):
    """One for the whole app, made on the GUI thread and never deleted: the worker emits through it,
    so results arrive on the GUI thread. (A QObject per operation was freed from whichever thread
    dropped the last reference, which crashed the interpreter in long runs.)"""

    finished = Signal(int, bool, object)

    def deliver(self, number: int, ok: bool, value: Any) -> None:
        op = _running.pop(number, None)
        if op is not None:
            op._deliver(ok, value)


def _gui_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        _relay.finished.connect(_relay.deliver)
    return _relay


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], number: int, relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.number = number
        self.relay = relay  # long-lived: dropping this reference on the worker frees nothing
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the failure callback on the GUI thread
            self.relay.finished.emit(self.number, False, exc)
            return
        self.relay.finished.emit(self.number, True, result)


class Op(Generic[T]):
    """One piece of store work: run it, then success or failure on the GUI thread."""

    def __init__(self, parent: QWidget | None, fn: Callable[[], T], *, what: str = "", lane: str = STORE) -> None:
        self.parent = parent
        self.fn = fn
        self.lane = lane
        self.what = what or getattr(fn, "__name__", "operation")
        self._success: Callable[[T], object] | None = None
        self._failure: Callable[[BaseException], object] | None = None
        self._finally: Callable[[], object] | None = None

    def success(self, callback: Callable[[T], object]) -> Op[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], object]) -> Op[T]:
        """Replaces the default (a plain-language dialog)."""
        self._failure = callback
        return self

    def after(self, callback: Callable[[], object]) -> Op[T]:
        """Runs after success or failure (stop a busy indicator, re-enable a button)."""
        self._finally = callback
        return self

    def run(self) -> None:
        relay = _gui_relay()  # made here, on the GUI thread, before any worker can emit
        number = next(_numbers)
        _running[number] = self
        pool(self.lane).start(_Job(self.fn, number, relay))

    def _deliver(self, ok: bool, value: Any) -> None:
        if self.parent is not None and not isValid(self.parent):
            return  # its screen was closed meanwhile; nothing left to update
        try:
            if ok:
                if self._success is not None:
                    self._success(value)
            elif self._failure is not None:
                self._failure(value)
            else:
                from caseworker_app.ui.errors import show_error

                show_error(self.parent, value, what=self.what)
        finally:
            if self._finally is not None:
                self._finally()
