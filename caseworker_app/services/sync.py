"""Sync use cases shared by the terminal and the window: one run, its status, the changes refused."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from caseworker_app.i18n import _, ngettext
from caseworker_app.local_format import number_text
from caseworker_app.services import changes
from caseworker_app.services.changes import OUTBOX, SYNC_STATE, Changes
from caseworker_app.services.sync_status import read_status
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync import conflicts as conflict_service
from caseworker_app.sync import refused
from caseworker_app.sync.engine import SyncEngine, SyncReport
from caseworker_app.sync.errors import (
    Cancelled,
    NoServer,
    Offline,
    ServerBusy,
    SignInRequired,
    SyncError,
    SyncRunning,
    WipeOrdered,
)
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
    except WipeOrdered as order:
        # Obeyed only if signed by this profile's server for this laptop (UnverifiedWipe otherwise).
        return SyncOutcome(None, wiped=True, wipe_reported=carry_out_wipe(store, order.order))
    except SyncError as exc:
        _remember_problem(store, exc)
        _remember_run(store, ok=False, words=str(exc))
        changes.announce(Changes.of([SYNC_STATE, OUTBOX]))  # what was pushed before it stopped counts
        raise
    finally:
        engine.transport.close()
    _remember_problem(store, None)
    _remember_run(store, ok=True, words=describe(report))
    changes.announce(what_changed(report))
    return SyncOutcome(report)


RUNS_KEY = "sync_runs"
RECENT_RUNS = 20


@dataclass(frozen=True)
class RunOutcome:
    """One finished run as the Sync page lists it: when, whether it succeeded, in plain words."""

    finished_at: str
    ok: bool
    words: str


def _remember_run(store: LocalStore, *, ok: bool, words: str) -> None:
    from caseworker_app.domain.clock import now_iso

    runs = list(store.get_setting(RUNS_KEY, []) or [])
    runs.insert(0, {"finished_at": now_iso(), "ok": ok, "words": words})
    store.set_setting(RUNS_KEY, runs[:RECENT_RUNS])


def recent_runs(store: LocalStore) -> list[RunOutcome]:
    """The latest runs of this profile, newest first (the terminal's and the window's alike)."""
    return [
        RunOutcome(str(r.get("finished_at", "")), bool(r.get("ok")), str(r.get("words", "")))
        for r in store.get_setting(RUNS_KEY, []) or []
        if isinstance(r, dict)
    ]


def problem_kind(exc: BaseException) -> str | None:
    """How the window words a failed run; None when it says nothing about the server (a cancel)."""
    if isinstance(exc, (Cancelled, SyncRunning)):
        return None
    if isinstance(exc, NoServer):
        return "no_server"
    if isinstance(exc, Offline):
        return "offline"
    if isinstance(exc, SignInRequired):
        return "signed_out"
    if isinstance(exc, ServerBusy):
        return "busy"
    return "server"


def _remember_problem(store: LocalStore, exc: BaseException | None) -> None:
    kind = None if exc is None else problem_kind(exc)
    if exc is not None and kind is None:
        return  # a cancelled run leaves the last outcome standing
    state = SyncState.load(store)
    if state.last_problem != kind:
        state.last_problem = kind
        state.save(store)


def what_changed(report: SyncReport) -> Changes:
    """Open views re-read what a run touched: everything when records arrived or cases left."""
    if report.pulled or report.granted or report.revoked or report.repaired:
        return Changes(everything=True)
    return Changes.of([SYNC_STATE, OUTBOX])


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 case', '2 cases': counts as a person would write them (English; for words that are not shown)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _result_words(status: str, n: int) -> str:
    """One mutation outcome with its count, worded whole in each language."""
    if status == "applied":
        return ngettext("{n} applied", "{n} applied", n).format(n=number_text(n))
    if status == "merged":
        return ngettext("{n} merged", "{n} merged", n).format(n=number_text(n))
    if status == "conflict":
        return ngettext("{n} conflict", "{n} conflicts", n).format(n=number_text(n))
    if status == "rejected":
        return ngettext("{n} rejected", "{n} rejected", n).format(n=number_text(n))
    return f"{n} {status}"  # a status a newer server sends: its own word


def describe(report: SyncReport) -> str:
    """One sentence a person can read about a finished run, in the language in use.

    Each clause is translated whole with its own count (and plural form); they are listed with "; ".
    """
    results = ", ".join(_result_words(status, n) for status, n in sorted(report.results.items()))
    results = results or _("nothing to send")
    n, m = report.pushed, report.pulled
    clauses = [
        ngettext("Synced: sent {n} change ({results})", "Synced: sent {n} changes ({results})", n).format(
            n=number_text(n), results=results
        ),
        ngettext("received {n} record", "received {n} records", m).format(n=number_text(m)),
    ]
    if report.granted:
        k = len(set(report.granted))
        clauses.append(ngettext("{n} case received", "{n} cases received", k).format(n=number_text(k)))
    if report.revoked:
        k = len(set(report.revoked))
        clauses.append(
            ngettext("{n} case removed from this laptop", "{n} cases removed from this laptop", k).format(
                n=number_text(k)
            )
        )
    if report.repaired:
        k = report.repaired
        clauses.append(ngettext("{n} record repaired", "{n} records repaired", k).format(n=number_text(k)))
    if report.waiting:
        k = report.waiting
        clauses.append(
            ngettext(
                "{n} change made during the sync will go next time",
                "{n} changes made during the sync will go next time",
                k,
            ).format(n=number_text(k))
        )
    return "; ".join(clauses) + "."


def rejected_changes(store: LocalStore) -> list[dict[str, Any]]:
    """Changes the server refused, with its reason; kept, never pushed again by themselves."""
    return [asdict(change) for change in refused.list_refused(store)]


def resend_refused(store: LocalStore, mutation_id: str) -> str:
    """Send a refused change again at the next sync, as the record stands now (after a fix)."""
    new_id = refused.resend(store, mutation_id)
    store.repo.audit("resend_refused", detail={"mutation_id": new_id})
    changes.announce(Changes.of([OUTBOX, SYNC_STATE]))
    return _("It will be sent again, as it stands now, at the next sync.")


def discard_refused(store: LocalStore, mutation_id: str) -> str:
    """Give up a refused change: the record goes back to the server's version, or away if it never had it."""
    said = refused.discard(store, mutation_id)
    store.repo.audit("discard_refused")
    changes.announce(Changes(everything=True))  # the record went back to the server's version
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
        "status": read_status(store).headline(),
    }


def sign_in_again(store: LocalStore, password: str) -> str:
    """Signed out (the server refused this laptop's sign-in): sign in with the password, same
    device and same local data; the next run resumes where the last stopped."""
    from caseworker_app.sync.enroll import enroll

    state = SyncState.load(store)
    if not state.server_url or not state.username:
        raise SyncError(_("This profile is not connected to an agency yet."))
    enroll(store, state.server_url, state.username, password)
    _remember_problem(store, None)
    changes.announce(Changes.of([SYNC_STATE]))
    return state.username


def settle_conflict(
    store: LocalStore, conflict: conflict_service.Conflict, keep: conflict_service.Keep, value: Any = None
) -> Any:
    """Keep mine, theirs, or an edited value; it travels as the conflict's resolution at the next sync."""
    kept = conflict_service.resolve(store, conflict.id, keep, value=value)
    changes.announce(Changes.of([OUTBOX, SYNC_STATE, conflict.entity], [conflict.case_id]))
    return kept
