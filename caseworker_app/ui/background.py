"""Running store work off the GUI thread: one helper, callbacks delivered back on the GUI thread.

In the manner of Anki's CollectionOp: ``Op(parent, fn).success(cb).run()``. One worker
thread owns the store, so writes queue in order and never race each other; the GUI
thread only posts work and receives results.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

log = logging.getLogger(__name__)
T = TypeVar("T")

_pool: QThreadPool | None = None
_running: set[_Relay] = set()


def pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)  # one worker owns the database
        _pool.setExpiryTimeout(-1)
    return _pool


def busy() -> bool:
    """True while any operation has not yet delivered its result (tests wait on this)."""
    return bool(_running)


def wait_idle(timeout_ms: int = 30000) -> bool:
    """Block until the worker is done (shutdown and benchmarks only; never from a screen)."""
    return pool().waitForDone(timeout_ms)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it, so slots run on the GUI thread."""

    finished = Signal(bool, object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the failure callback on the GUI thread
            self.relay.finished.emit(False, exc)
            return
        self.relay.finished.emit(True, result)


class Op(Generic[T]):
    """One piece of store work: run it, then success or failure on the GUI thread."""

    def __init__(self, parent: QWidget | None, fn: Callable[[], T], *, what: str = "") -> None:
        self.parent = parent
        self.fn = fn
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
        relay = _Relay()
        _running.add(relay)
        relay.finished.connect(lambda ok, value: self._deliver(relay, ok, value))
        pool().start(_Job(self.fn, relay))

    def _deliver(self, relay: _Relay, ok: bool, value: Any) -> None:
        _running.discard(relay)
        relay.deleteLater()
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
