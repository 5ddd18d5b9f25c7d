"""Callbacks any thread may call in turn: who hears of each commit (store) and each change (services)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class Listeners(Generic[T]):
    def __init__(self, what: str) -> None:
        self.what = what
        self._listeners: list[Callable[[T], None]] = []
        self._lock = threading.Lock()

    def listen(self, listener: Callable[[T], None]) -> Callable[[], None]:
        """Call `listener` with every value from now on; returns the function that stops it."""
        with self._lock:
            self._listeners.append(listener)

        def stop() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return stop

    def call(self, value: T) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(value)
            except Exception:  # one broken listener must not look like a failed write to the others
                log.exception("A %s listener failed", self.what)
