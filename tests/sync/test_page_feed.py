"""The pull feed downloads ahead, but never past a revocation before the sync's thread has dealt with it
(design rule 7: a revoked case's edits go up before the device asks for a page past the revocation)."""

from __future__ import annotations

import threading
import time

import pytest

from caseworker_app.sync.errors import Cancelled, ServerFault
from caseworker_app.sync.page_feed import PageFeed
from caseworker_app.sync.protocol import PullResponse

REVOKED = "0b7d2c1e-5a43-4f0e-9d59-6a1f4c3e2b10"


def pages_with_revocation_on(second: int, count: int = 4) -> list[PullResponse]:
    return [
        PullResponse(
            changes=[],
            revocations=[REVOKED] if n == second else [],
            has_more=n < count - 1,
            next_cursor=n + 1,
        )
        for n in range(count)
    ]


class Server:
    """Answers the feed's downloads from a list of pages, remembering the cursors asked for."""

    def __init__(self, pages: list[PullResponse], fail_at: int | None = None) -> None:
        self.pages = pages
        self.fail_at = fail_at
        self.asked: list[int] = []

    def download(self, cursor: int, _limit: int) -> PullResponse:
        self.asked.append(cursor)
        if cursor == self.fail_at:
            raise ServerFault("The sync server is failing (HTTP 500); try again later.")
        return self.pages[cursor]


def wait_until(condition, seconds: float = 2.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_the_feed_waits_at_a_revocation_until_the_sync_says_it_pushed() -> None:
    server = Server(pages_with_revocation_on(1))
    cancel = threading.Event()
    with PageFeed(server.download, 0, 1, lambda: 1) as feed:
        pages = feed.pages(cancel)
        first = next(pages)
        feed.go_on(first)  # a page without revocations releases nothing
        second = next(pages)
        assert second.revocations == [REVOKED]
        time.sleep(0.3)  # time enough to run ahead, were it allowed to
        assert server.asked == [0, 1]
        feed.go_on(second)
        wait_until(lambda: len(server.asked) == 4)
        assert server.asked == [0, 1, 2, 3]
        assert [page.next_cursor for page in pages] == [3, 4]


def test_a_download_error_comes_after_the_pages_before_it_and_stops_the_feed() -> None:
    server = Server(pages_with_revocation_on(-1, count=5), fail_at=2)
    received = []
    with PageFeed(server.download, 0, 1, lambda: 1) as feed, pytest.raises(ServerFault):
        for page in feed.pages(threading.Event()):
            received.append(page.next_cursor)
    assert received == [1, 2]
    assert server.asked == [0, 1, 2]
    assert not [t for t in threading.enumerate() if t.name == "sync-pull-feed"]


def test_cancel_while_waiting_for_a_page_stops_both_sides() -> None:
    release = threading.Event()

    def slow_download(cursor: int, _limit: int) -> PullResponse:
        release.wait(5)
        return PullResponse(changes=[], has_more=True, next_cursor=cursor + 1)

    cancel = threading.Event()
    feed = PageFeed(slow_download, 0, 1, lambda: 1)
    with pytest.raises(Cancelled), feed:
        threading.Timer(0.2, cancel.set).start()
        threading.Timer(0.4, release.set).start()  # the request under way ends
        for _page in feed.pages(cancel):
            pass
    assert not [t for t in threading.enumerate() if t.name == "sync-pull-feed"]
