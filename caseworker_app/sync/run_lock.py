"""One sync run per profile at a time: an OS file lock in the profile folder, across processes and threads.

The OS drops the lock when its holder exits or crashes, so a killed run never
leaves the profile locked.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

from caseworker_app.i18n import N_, _
from caseworker_app.sync.errors import SyncRunning

LOCK_FILE = "sync.lock"
RUNNING_MESSAGE = N_("A sync is already running for this profile; this one did not start. Your changes are kept.")


class RunLock:
    """Held for the length of a run; `wait` seconds to wait for another run to finish (0: do not wait)."""

    def __init__(self, home: Path, wait: float = 0.0) -> None:
        self.path = home / LOCK_FILE
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise SyncRunning(_(RUNNING_MESSAGE))
            time.sleep(0.1)
        self._fd = fd
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        # flock locks belong to the open file, so two runs in one process exclude each other too.
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
