"""Sync use cases shared by the terminal and the window: one run, its status, the changes refused."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync import conflicts as conflict_service
from caseworker_app.sync import refused
from caseworker_app.sync.engine import SyncEngine, SyncReport
from caseworker_app.sync.errors import WipeOrdered
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.wipe import carry_out_wipe

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class SyncOutcome:
    """What one run did: a report, or (report None) the laptop was wiped on IT's order."""

    report: SyncReport | None
    wiped: bool = False
    wipe_reported: bool = False


def run_once(
    store: LocalStore,
    *,
    reconcile: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    wait: float = 0.0,
) -> SyncOutcome:
    """One sync run (and a reconcile if asked); a wipe order destroys the profile here.

    Raises SyncRunning if another run holds the profile for longer than `wait` seconds.
    """
    engine = SyncEngine(store)
    try:
        report = engine.run(progress=progress or (lambda _f, _m: None), cancel=cancel, wait=wait)
        if reconcile:
            report.repaired += engine.reconcile()
        return SyncOutcome(report)
    except WipeOrdered as order:
        # Obeyed only if signed by this profile's server for this laptop (UnverifiedWipe otherwise).
        return SyncOutcome(None, wiped=True, wipe_reported=carry_out_wipe(store, order.order))
    finally:
        engine.transport.close()


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 case', '2 cases': counts as a person would write them."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def describe(report: SyncReport) -> str:
    """One sentence a person can read about a finished run."""
    results = ", ".join(f"{n} {status}" for status, n in sorted(report.results.items())) or "nothing to send"
    extra = ""
    if report.granted:
        extra += f"; {plural(len(set(report.granted)), 'case')} received"
    if report.revoked:
        extra += f"; {plural(len(set(report.revoked)), 'case')} removed from this laptop"
    if report.repaired:
        extra += f"; {plural(report.repaired, 'record')} repaired"
    if report.waiting:
        extra += f"; {plural(report.waiting, 'change')} made during the sync will go next time"
    return (
        f"Synced: sent {plural(report.pushed, 'change')} ({results}); "
        f"received {plural(report.pulled, 'record')}{extra}."
    )


def rejected_changes(store: LocalStore) -> list[dict[str, Any]]:
    """Changes the server refused, with its reason; kept, never pushed again by themselves."""
    return [asdict(change) for change in refused.list_refused(store)]


def resend_refused(store: LocalStore, mutation_id: str) -> str:
    """Send a refused change again at the next sync, as the record stands now (after a fix)."""
    new_id = refused.resend(store, mutation_id)
    store.repo.audit("resend_refused", detail={"mutation_id": new_id})
    return "It will be sent again, as it stands now, at the next sync."


def discard_refused(store: LocalStore, mutation_id: str) -> str:
    """Give up a refused change: the record goes back to the server's version, or away if it never had it."""
    said = refused.discard(store, mutation_id)
    store.repo.audit("discard_refused")
    return said


def sync_status(store: LocalStore) -> dict[str, Any]:
    state = SyncState.load(store)
    return {
        "enrolled": state.enrolled,
        "server": state.server_url or None,
        "last_successful_sync": state.last_success,
        "online": state.online,
        "last_error": state.last_error,
        "rejected_changes": len(rejected_changes(store)),
        "conflicts": len(conflict_service.list_conflicts(store)),
    }
