"""Pull pages downloaded ahead on a thread of their own and handed over, in order, through a bounded queue.

The sync's own thread applies page k (with its own session) while page k+1 downloads, so a
long first sync runs at the speed of its pages arriving. The feed reads no more of a page than
it needs to ask for the next (its envelope: sync/received), so the server is asked again at
once; the records are decoded on the sync's thread. The feed thread touches
no store session: it only downloads and parses. An error on either side stops both; pages
already handed over are the caller's to apply, and the error comes after them.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Generic, Protocol, TypeVar

from caseworker_app.i18n import _
from caseworker_app.sync.errors import Cancelled

# Pages held ready beyond the one being applied: enough to ride out a slow page, little memory.
AHEAD = 2
_POLL = 0.1  # seconds between looks at the cancel and stop events while waiting


class PageHead(Protocol):
    """What the feed reads of a page to go on."""

    @property
    def has_more(self) -> bool: ...
    @property
    def next_cursor(self) -> int: ...
    @property
    def revocations(self) -> list[str]: ...


P = TypeVar("P", bound=PageHead)


class _End:
    """Put on the queue after the last page (or after an error), so the reader stops waiting."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class PageFeed(Generic[P]):
    """Iterate to get pages; `go_on(page)` after dealing with its revocations; use as a context manager."""

    def __init__(
        self, download: Callable[[int, int], P], cursor: int, first_limit: int, limit: Callable[[], int]
    ) -> None:
        self._download = download
        self._cursor = cursor
        self._first_limit = first_limit
        self._limit = limit
        self._queue: queue.Queue[P | _End] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        # Design rule 7: the edits of a revoked case go up before this device asks for a page past
        # the revocation, so after such a page the feed waits for the sync's thread to say so.
        self._revocations_done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sync-pull-feed", daemon=True)

    def __enter__(self) -> PageFeed[P]:
        self._thread.start()
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop downloading and wait for the feed thread (a request under way ends first)."""
        self._stop.set()
        self._revocations_done.set()
        while self._thread.is_alive():
            self._drain()
            self._thread.join(_POLL)
        self._drain()

    def _drain(self) -> None:
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass

    def pages(self, cancel: threading.Event) -> Iterator[P]:
        """Pages in order until the last; raises the feed's error after the pages before it."""
        while True:
            item = self._next(cancel)
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item

    def go_on(self, page: P) -> None:
        """The revocations of this page (just received) are dealt with: the feed may ask past them.

        Only a page with revocations holds the feed back, so only such a page releases it.
        """
        if page.revocations:
            self._revocations_done.set()

    def _next(self, cancel: threading.Event) -> P | _End:
        while True:
            if cancel.is_set():
                raise Cancelled(_("Sync cancelled; everything received so far is kept."))
            try:
                return self._queue.get(timeout=_POLL)
            except queue.Empty:
                continue

    # -- the feed thread -------------------------------------------------------------------

    def _run(self) -> None:
        cursor, limit = self._cursor, self._first_limit
        try:
            while not self._stop.is_set():
                page = self._download(cursor, limit)
                if not self._put(page) or not page.has_more:
                    break
                if page.revocations:
                    self._revocations_done.wait()
                    self._revocations_done.clear()
                cursor, limit = page.next_cursor, self._limit()
        except BaseException as exc:  # handed to the sync's thread, which raises it there
            self._put(_End(exc))
            return
        self._put(_End())

    def _put(self, item: P | _End) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False
