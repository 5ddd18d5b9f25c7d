"""One true account of where sync stands, derived from the store and the last run's outcome.

The window's status area and `caseworker status` both read it; nothing here is remembered
by a screen. Which state wins when several hold: what a person must act on comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from caseworker_app.i18n import _, ngettext, number
from caseworker_app.local_format import moment_text
from caseworker_app.store import queries
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync.state import SyncState

# The states, in the order they win.
NOT_CONNECTED = "not_connected"
SIGNED_OUT = "signed_out"
CONFLICTS = "conflicts"
REFUSED = "refused"
OFFLINE = "offline"
NO_SERVER = "no_server"
SERVER_PROBLEM = "server_problem"
SERVER_BUSY = "server_busy"  # the last run gave up waiting on a server that said "busy, come back later"
WAITING = "waiting"
NEVER_SYNCED = "never_synced"
SYNCED = "synced"


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server: str | None
    waiting: int
    refused: int
    conflicts: int
    last_success: str | None
    problem: str | None  # the last run's: offline, no_server, signed_out, server, busy (None after a good run)
    problem_text: str | None

    @property
    def state(self) -> str:
        if not self.enrolled:
            return NOT_CONNECTED
        if self.problem == "signed_out":
            return SIGNED_OUT
        if self.conflicts:
            return CONFLICTS
        if self.refused:
            return REFUSED
        if self.problem in ("offline", "no_server", "server", "busy"):
            return {"offline": OFFLINE, "no_server": NO_SERVER, "server": SERVER_PROBLEM, "busy": SERVER_BUSY}[
                self.problem
            ]
        if self.waiting:
            return WAITING
        return SYNCED if self.last_success else NEVER_SYNCED

    def headline(self) -> str:
        """The status in one short sentence; never 'all synced' unless it is."""
        state, n = self.state, 0
        if state == NOT_CONNECTED:
            if self.waiting:
                return ngettext(
                    "Not connected to an agency: {n} change stays on this laptop",
                    "Not connected to an agency: {n} changes stay on this laptop",
                    self.waiting,
                ).format(n=number(self.waiting))
            return _("Not connected to an agency: work stays on this laptop")
        if state == SIGNED_OUT:
            return _("Signed out: sign in again to sync (your work is kept)")
        if state == CONFLICTS:
            n = self.conflicts
            return ngettext("{n} conflict to settle", "{n} conflicts to settle", n).format(n=number(n))
        if state == REFUSED:
            n = self.refused
            return ngettext(
                "{n} change the server refused", "{n} changes the server refused", n
            ).format(n=number(n))
        if state == OFFLINE:
            return ngettext(
                "Offline: {n} change waiting", "Offline: {n} changes waiting", self.waiting
            ).format(n=number(self.waiting))
        if state == NO_SERVER:
            return _("Network, but no sync server (a sign-in page or proxy?)")
        if state == SERVER_PROBLEM:
            return _("The sync server had a problem; trying again later")
        if state == SERVER_BUSY:
            return _("The sync server is busy; your changes are kept and go at the next try")
        if state == WAITING:
            return ngettext("{n} change waiting to sync", "{n} changes waiting to sync", self.waiting).format(
                n=number(self.waiting)
            )
        if state == NEVER_SYNCED:
            return _("Not synced yet")
        return _("All changes synced")

    def others(self) -> list[str]:
        """What else holds besides the headline (a conflict and a refused change at once)."""
        extra: list[str] = []
        state = self.state
        if self.enrolled and state != CONFLICTS and self.conflicts:
            extra.append(ngettext("{n} conflict", "{n} conflicts", self.conflicts).format(n=number(self.conflicts)))
        if self.enrolled and state != REFUSED and self.refused:
            extra.append(ngettext("{n} refused", "{n} refused", self.refused).format(n=number(self.refused)))
        said_elsewhere = (CONFLICTS, REFUSED, SIGNED_OUT, NO_SERVER, SERVER_PROBLEM, SERVER_BUSY)
        if self.enrolled and state in said_elsewhere and self.waiting:
            extra.append(ngettext("{n} waiting", "{n} waiting", self.waiting).format(n=number(self.waiting)))
        return extra

    def last_synced(self, now: datetime | None = None) -> str:
        """'Synced 3 min ago', always shown once enrolled."""
        if not self.enrolled:
            return ""
        if not self.last_success:
            return _("Never synced")
        when = datetime.fromisoformat(self.last_success)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        minutes = max(0, int(((now or datetime.now(UTC)) - when).total_seconds() // 60))
        if minutes < 1:
            return _("Synced just now")
        if minutes < 60:
            return ngettext("Synced {n} min ago", "Synced {n} min ago", minutes).format(n=minutes)
        hours = minutes // 60
        if hours < 24:
            return ngettext("Synced {n} hour ago", "Synced {n} hours ago", hours).format(n=hours)
        return _("Last synced {date}").format(date=moment_text(when))


def read_status(store: LocalStore) -> SyncStatus:
    """From the store alone (its sync state and its outbox and conflicts): worker thread only."""
    state = SyncState.load(store)
    counts = queries.sync_counts(store.db)
    problem = state.last_problem
    if problem is None and state.last_error and state.online is False:
        problem = "offline"  # written by an engine run outside run_once (older profiles, tests)
    return SyncStatus(
        enrolled=state.enrolled,
        server=state.server_url or None,
        waiting=counts.waiting,
        refused=counts.refused,
        conflicts=counts.conflicts,
        last_success=state.last_success,
        problem=problem if state.enrolled else None,
        problem_text=state.last_error,
    )
