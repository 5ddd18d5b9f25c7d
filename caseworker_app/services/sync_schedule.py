"""When the app syncs by itself: every N minutes, at once when the server is back, and after a
failure a capped backoff with jitter. Plain Python with an injected clock: tested without Qt."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

FIRST_RETRY_S = 5.0
MAX_RETRY_S = 300.0
JITTER = 0.25  # each wait is within +-25% of its nominal length, so laptops do not retry in step
PROBE_EVERY_S = 3.0  # while the server is unreachable: a cheap request this often (back within 10 s)


@dataclass
class SyncSchedule:
    interval_s: float
    rng: random.Random = field(default_factory=random.Random)
    first_retry_s: float = FIRST_RETRY_S
    max_retry_s: float = MAX_RETRY_S
    failures: int = 0
    next_due: float | None = None  # monotonic seconds; None: not before someone asks
    running: bool = False
    unreachable: bool = False

    def start(self, now: float) -> None:
        """The window opened: a first run soon, then every interval."""
        self.next_due = now

    def try_start(self) -> bool:
        """Never two runs at once: False if one is under way."""
        if self.running:
            return False
        self.running = True
        return True

    def due(self, now: float) -> bool:
        return not self.running and self.next_due is not None and now >= self.next_due

    def succeeded(self, now: float) -> None:
        self.running, self.failures, self.unreachable = False, 0, False
        self.next_due = now + self.interval_s

    def failed(self, now: float, *, unreachable: bool) -> float:
        """A failed run: the next try waits longer each time, capped, jittered; returns the wait."""
        self.running = False
        self.unreachable = unreachable
        wait: float = min(self.max_retry_s, self.first_retry_s * 2.0**self.failures)
        wait = min(self.max_retry_s, wait * self.rng.uniform(1 - JITTER, 1 + JITTER))
        self.failures += 1
        self.next_due = now + wait
        return wait

    def stopped(self, now: float) -> None:
        """Cancelled, or a run that needs the person first (sign-in): no automatic retry until asked."""
        self.running = False
        self.next_due = now + self.interval_s

    def server_back(self, now: float) -> None:
        """A probe reached the server again: sync now, whatever the backoff said."""
        if self.unreachable:
            self.unreachable = False
            self.failures = 0
            self.next_due = now

    def should_probe(self) -> bool:
        return self.unreachable and not self.running
