"""What a write changed, announced to every open view (in the manner of Anki's operation_did_execute).

Every use case that writes (a form's autosave, a dialog, a sync run, a background job)
announces a `Changes` once its transaction has committed; each open view re-reads only
what it shows when the change touches it. Views never guess when they might be stale.
Listeners are called on the thread that wrote; the window re-emits them on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from caseworker_app.store import commits
from caseworker_app.store.listeners import Listeners

# Kinds of record, as the domain names them (Visit, Note, Task, AttendanceRecord...), plus
# what is not a record: the outbox, conflicts, audit events (History, recent cases) and sync state.
OUTBOX = commits.OUTBOX  # the count of changes waiting to sync moved
CONFLICT = commits.CONFLICT
AUDIT = commits.AUDIT
SYNC_STATE = "sync_state"  # a sync ran: last sync time, refused changes, conflicts, sign-in


@dataclass(frozen=True)
class Changes:
    """Which cases and which kinds of record a write touched; `everything` after a whole-store change."""

    cases: frozenset[str] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False

    @classmethod
    def of(cls, kinds: Iterable[str], cases: Iterable[str | None] = ()) -> Changes:
        return cls(frozenset(c for c in cases if c), frozenset(kinds))

    def touches(self, *, case_id: str | None = None, kinds: Iterable[str] = ()) -> bool:
        """True if a view showing `case_id` (any case when None) and these kinds must re-read."""
        if self.everything:
            return True
        wanted = set(kinds)
        if wanted and not (wanted & self.kinds):
            return False
        return case_id is None or not self.cases or case_id in self.cases

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.cases | other.cases, self.kinds | other.kinds, self.everything or other.everything)


_listeners: Listeners[Changes] = Listeners("change")


def listen(listener: Callable[[Changes], None]) -> Callable[[], None]:
    """Call `listener` after every announced change; returns the function that stops it."""
    return _listeners.listen(listener)


def announce(changes: Changes) -> None:
    _listeners.call(changes)


def _committed(touched: commits.Touched) -> None:
    """Every committed write transaction, whichever use case made it, is announced from here."""
    announce(Changes.of(touched.kinds, () if touched.any_case else touched.cases))


commits.listen(_committed)
