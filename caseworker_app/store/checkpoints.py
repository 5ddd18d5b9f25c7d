"""The write-ahead log copied into the database on a thread of its own, while a sync writes on.

SQLite copies its log into the database file (a checkpoint, with two waits for the disk) inside
whichever commit finds the log past 1,000 pages. A first sync commits a 5 MB page of records
every tenth of a second, so nearly every one of its commits stopped for that copy. Refetchable
transactions (database.transaction(durable=False)) leave it to this thread instead, which runs a
passive checkpoint after each: it never waits for, or holds up, the writer or any reader.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)

_IDLE = 2.0  # seconds without a request before the thread ends (the next request starts another)


class Checkpointer:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._wanted = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def soon(self) -> None:
        """Ask for a checkpoint (after a commit that did not make one)."""
        with self._lock:
            if self._stopped:
                return
            self._wanted.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="store-checkpoint", daemon=True)
                self._thread.start()

    def close(self) -> None:
        """Stop, after the checkpoint under way (if any); before the engine goes."""
        with self._lock:
            self._stopped = True
            thread = self._thread
            self._wanted.set()
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            self._wanted.wait(_IDLE)
            with self._lock:  # soon() either sees this thread gone or its request seen
                if self._stopped or not self._wanted.is_set():
                    self._thread = None
                    return
                self._wanted.clear()
            try:
                connection = self._engine.raw_connection()
                try:
                    connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
                finally:
                    connection.close()
            except Exception:  # a locked store, a full disk: the next commit's own checkpoint does it
                log.warning("store: the write-ahead log could not be checkpointed now", exc_info=True)
