"""Admission: a saturated node says "come back in N seconds" (503 + Retry-After), never hangs or fails.

Two ways a node saturates. Too many pushes at once: each worker process applies at most
`max_concurrent_pushes`, lets a short queue wait for a slot, and turns the rest away. The
database pool runs dry (SQLAlchemy's pool timeout), or SQLite's write lock is held too long:
that request is turned away the same way. Retry-After is the work ahead of the caller
(pushes running and waiting) times the recent mean push time, spread over the slots, bounded.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from caseworker_server.config import Settings
from caseworker_server.errors import Refusal

log = logging.getLogger(__name__)

BUSY_CODE = "busy"
# A push's duration before any has been measured: one second is a fair guess for a batch.
_FIRST_GUESS_SECONDS = 1.0
_SMOOTHING = 0.2  # weight of the newest push in the running mean


class PushGate:
    """Counts pushes under way in this process and decides who may start one now."""

    def __init__(self, settings: Settings) -> None:
        self.limit = max(1, settings.max_concurrent_pushes)
        self.queue_length = settings.push_queue_length
        self.queue_wait = settings.push_queue_wait_seconds
        self.bounds = (settings.retry_after_min_seconds, max(1, settings.retry_after_max_seconds))
        self._slots = threading.BoundedSemaphore(self.limit)
        self._lock = threading.Lock()
        self.running = 0
        self.waiting = 0
        self.mean_seconds = _FIRST_GUESS_SECONDS

    def retry_after(self) -> int:
        """Seconds until a push sent now would likely find a slot: the queue ahead, spread over the slots."""
        with self._lock:
            ahead = self.running + self.waiting + 1
            mean = self.mean_seconds
        low, high = self.bounds
        return max(low, min(high, math.ceil(ahead * mean / self.limit)))

    def busy(self, why: str) -> Refusal:
        seconds = self.retry_after()
        log.warning("busy: %s; answered 503, retry after %d s", why, seconds)
        return Refusal(
            503,
            f"The server is busy; try again in {seconds} seconds. Nothing was applied.",
            code=BUSY_CODE,
            headers={"Retry-After": str(seconds)},
            extra={"retry_after": seconds},
        )

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Hold a push slot for the block (worker thread only: it may wait), or raise the 503 refusal."""
        with self._lock:
            full_queue = self.waiting >= self.queue_length
            if not full_queue:
                self.waiting += 1
        if full_queue:
            raise self.busy("push queue full")
        try:
            got = self._slots.acquire(timeout=self.queue_wait) if self.queue_wait > 0 else self._slots.acquire(False)
        finally:
            with self._lock:
                self.waiting -= 1
        if not got:
            raise self.busy("no push slot free in time")
        with self._lock:
            self.running += 1
        started = time.monotonic()
        try:
            yield
        finally:
            spent = time.monotonic() - started
            with self._lock:
                self.running -= 1
                self.mean_seconds += _SMOOTHING * (spent - self.mean_seconds)
            self._slots.release()


def saturated(exc: BaseException) -> str | None:
    """Why an exception means the node is saturated (a pool or lock wait ran out), else None."""
    if isinstance(exc, PoolTimeout):
        return "database pool exhausted"
    if isinstance(exc, OperationalError) and "database is locked" in str(exc.orig):
        return "database write lock held too long"
    return None


def busy_response(gate: PushGate, why: str) -> JSONResponse:
    refusal = gate.busy(why)
    return JSONResponse(refusal.body(), status_code=503, headers=refusal.headers)


class SaturationGuard:
    """ASGI middleware: a pool or lock timeout raised before the routes (the token check in
    DecodedBodies reads the database) answers 503 like one raised inside them, without a traceback."""

    def __init__(self, app: ASGIApp, gate: PushGate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            why = saturated(exc)
            if why is None or started:
                raise
            await busy_response(self.gate, why)(scope, receive, send)
