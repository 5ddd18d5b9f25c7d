"""The failed-unlock counter: after the free attempts, each further attempt waits longer.

The count lives in profile.json beside the wrapped key, so deleting it means deleting the
key: a user cannot reset the delay by removing a file. A count that cannot be read is
treated as the worst case, never as zero, and so is a missing count in a profile that keeps
one (KEPT_KEY): that flag is part of the wrapped key's authenticated data (profile.key_context),
so removing the flag as well makes every passphrase wrong.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caseworker_app.i18n import _, ngettext
from caseworker_app.store.errors import LockedOut, ProfileError
from caseworker_app.store.profile_label import PROFILE_FILE

log = logging.getLogger(__name__)

COUNTER_KEY = "unlock_attempts"
# True in every profile made or unlocked since 0.2: the count is always there, even at zero.
KEPT_KEY = "unlock_attempts_kept"
LEGACY_FILE = "unlock-attempts.json"  # where versions before 0.2 kept the count
MAX_DELAY_SECONDS = 300.0
# A damaged count stands for this many failures beyond the free ones: the longest wait.
UNKNOWN_EXTRA_FAILURES = 9


@dataclass(frozen=True)
class Count:
    failures: int
    last: float
    damaged: bool = False


def retry_delay(failures: int, free_attempts: int) -> float:
    """Seconds to wait after `failures` consecutive failures: 0 for the free ones, then 2, 4, 8 ... 300."""
    over = failures - free_attempts
    return 0.0 if over < 0 else min(MAX_DELAY_SECONDS, 2.0 ** (over + 1))


def _parse(entry: Any) -> tuple[int, float] | None:
    if not isinstance(entry, dict):
        return None
    failures, last = entry.get("failures"), entry.get("last")
    if isinstance(failures, bool) or not isinstance(failures, int | float) or not isinstance(last, int | float):
        return None
    if failures < 0 or not math.isfinite(failures) or not math.isfinite(last):
        return None
    return int(failures), float(last)


def zero_count() -> dict[str, float]:
    return {"failures": 0, "last": 0.0}


class UnlockAttempts:
    """Reads and writes the count in one profile folder.

    Each attempt is counted before the key derivation starts and cleared only on success,
    so an attempt killed half-way (Ctrl-C, a killed process) still counts.
    """

    def __init__(self, home: Path, free_attempts: int, clock: Callable[[], float]) -> None:
        self.home = home
        self.free_attempts = free_attempts
        self.clock = clock

    def _meta(self) -> dict[str, Any]:
        data = json.loads((self.home / PROFILE_FILE).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("profile.json is not an object")
        return data

    def count(self) -> Count:
        """The current count; anything unreadable is the worst case, with `last` unknown (0)."""
        worst = Count(self.free_attempts + UNKNOWN_EXTRA_FAILURES, 0.0, damaged=True)
        try:
            meta = self._meta()
        except (OSError, ValueError):
            return worst
        found = [(0, 0.0)]
        if meta.get(KEPT_KEY) is True and COUNTER_KEY not in meta:
            return worst  # deleted: the count is what someone wanted gone
        if COUNTER_KEY in meta:
            parsed = _parse(meta[COUNTER_KEY])
            if parsed is None:
                return worst
            found.append(parsed)
        legacy = self.home / LEGACY_FILE
        if legacy.exists():
            try:
                parsed = _parse(json.loads(legacy.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                parsed = None
            if parsed is None:
                return worst
            found.append(parsed)
        failures, last = max(found)
        return Count(failures, last)

    def check(self) -> None:
        """Raise LockedOut while the wait after the last failure runs."""
        count = self.count()
        delay = retry_delay(count.failures, self.free_attempts)
        if count.damaged:
            # Start the longest wait now, and keep it on disk so that it ends.
            self._write(count.failures, self.clock())
            raise LockedOut(
                ngettext(
                    "The record of failed unlock attempts is damaged, so unlocking waits {n} second. Try again then.",
                    "The record of failed unlock attempts is damaged, so unlocking waits {n} seconds. Try again then.",
                    int(delay),
                ).format(n=int(delay)),
                delay,
            )
        wait = self.remaining(count)
        if wait > 0:
            seconds = int(wait) + 1
            raise LockedOut(
                ngettext(
                    "Too many failed unlock attempts. Try again in {n} second.",
                    "Too many failed unlock attempts. Try again in {n} seconds.",
                    seconds,
                ).format(n=seconds),
                wait,
            )

    def remaining(self, count: Count | None = None) -> float:
        """Seconds until the next attempt may start (0 or less: now)."""
        count = count or self.count()
        delay = retry_delay(count.failures, self.free_attempts)
        # A `last` in the future (a clock set back) waits no longer than the delay itself.
        return min(delay, count.last + delay - self.clock())

    def begin(self) -> None:
        """Count this attempt as failed until it succeeds; refuse if the count cannot be kept."""
        self._write(self.count().failures + 1, self.clock())

    def succeeded(self) -> None:
        try:
            self._write(0, 0.0)
        except ProfileError:
            # The key is right; the next unlock may wait once more, which is the safe side.
            log.warning("could not clear the failed-unlock count")

    def _write(self, failures: int, last: float) -> None:
        from caseworker_app.store.profile import atomic_write_text  # profile imports this module

        try:
            meta = self._meta()
            legacy = (self.home / LEGACY_FILE).exists()
            if failures:
                meta[COUNTER_KEY] = {"failures": failures, "last": last}
            elif meta.get(KEPT_KEY) is True:
                if _parse(meta.get(COUNTER_KEY)) == (0, 0.0) and not legacy:
                    return  # nothing to clear: a normal unlock writes nothing
                meta[COUNTER_KEY] = zero_count()
            elif meta.pop(COUNTER_KEY, None) is None and not legacy:
                return
            atomic_write_text(self.home / PROFILE_FILE, json.dumps(meta, indent=2))
            (self.home / LEGACY_FILE).unlink(missing_ok=True)
        except (OSError, ValueError) as exc:
            raise ProfileError(
                _(
                    "Caseworker cannot record unlock attempts in {folder} ({reason}), "
                    "so it does not try the passphrase. Check that the profile folder is writable."
                ).format(folder=self.home, reason=type(exc).__name__)
            ) from exc
