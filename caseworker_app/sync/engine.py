"""The sync run: push the outbox in batches, then pull pages until the server has no more.

Each pulled page is applied and the cursor advanced in one transaction, so a run
stopped at any moment (crash, cancel, lost network) resumes where it left off
and applies nothing twice. The engine has no Qt: the CLI and the desktop app
drive it with a progress callback and a cancel event.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import func, select

from caseworker_app.domain.clock import now_iso
from caseworker_app.i18n import _, ngettext
from caseworker_app.store import models, queries, search_index
from caseworker_app.store.local_store import LocalStore
from caseworker_app.sync import apply
from caseworker_app.sync.enroll import what_to_ask_it
from caseworker_app.sync.errors import Cancelled, NotEnrolled, Offline, SignInRequired, SyncError, WipeOrdered
from caseworker_app.sync.page_feed import PageFeed
from caseworker_app.sync.protocol import (
    FieldChange,
    HeldRecord,
    Mutation,
    PushRequest,
    PushResponse,
    ReconcileRequest,
    RefreshRequest,
    TokenResponse,
)
from caseworker_app.sync.received import Downloaded, Page, read_reconcile
from caseworker_app.sync.run_lock import RunLock
from caseworker_app.sync.state import KEY as SYNC_STATE_KEY
from caseworker_app.sync.state import SyncState
from caseworker_app.sync.transport import Transport, transport_for_profile

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
PUSH_BATCH = 200
PULL_PAGE = 5000
FIRST_PULL_PAGE = 500


def _quiet(_fraction: float, _message: str) -> None:
    pass


@dataclass
class SyncReport:
    pushed: int = 0
    results: dict[str, int] = field(default_factory=dict)
    pulled: int = 0
    granted: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    cursor: int = 0
    repaired: int = 0
    # Changes made while the run was under way that it could not send; they go next time.
    waiting: int = 0


class SyncEngine:
    """Runs sync for one unlocked profile against its enrolled server."""

    def __init__(self, store: LocalStore, transport: Transport | None = None) -> None:
        self.store = store
        self.state = SyncState.load(store)
        if not self.state.enrolled:
            raise NotEnrolled(_("This profile is not enrolled with a sync server; run 'caseworker enroll'."))
        self.transport = transport or make_transport(store, self.state.server_url)
        self._access: str | None = None
        self._token_lock = threading.Lock()
        self._diverged = False  # set when a pulled record could not be placed: reconcile at the end

    # -- the run ---------------------------------------------------------------------------

    def run(
        self, progress: Progress = _quiet, cancel: threading.Event | None = None, *, wait: float = 0.0
    ) -> SyncReport:
        """One run: push, pull, repair if needed. Raises SyncRunning if another run holds the
        profile for longer than `wait` seconds."""
        with RunLock(self.store.profile.home, wait=wait):
            return self._run(progress, cancel or threading.Event())

    def _run(self, progress: Progress, cancel: threading.Event) -> SyncReport:
        report = SyncReport()
        progress = self._told_when_busy(progress, cancel)
        self.state.last_attempt = now_iso()
        try:
            progress(0.0, _("Connecting to the server"))
            self._sign_in()
            self._push(report, progress, cancel)
            self._pull(report, progress, cancel)
            asked = SyncState.load(self.store).repair_next_run
            if self._diverged or asked:
                progress(0.95, _("Repairing the local copy"))
                report.repaired = self._reconcile()
                self._diverged = False
                if asked:
                    fresh = SyncState.load(self.store)
                    fresh.repair_next_run = False
                    fresh.save(self.store)
            if _unsent(self.store):
                # Edits made while this run was under way: one more push sends them now.
                self._push(report, lambda _f, message: progress(0.97, message), cancel)
            report.waiting = _unsent(self.store)
        except Offline as exc:
            self._remember(online=False, error=str(exc))
            raise
        except WipeOrdered:
            raise
        except SyncError as exc:
            self._remember(online=True, error=str(exc))
            raise
        self.state = SyncState.load(self.store)  # the cursor moved inside page transactions
        self.state.last_success = now_iso()
        self._remember(online=True, error=None)
        report.cursor = self.state.cursor
        progress(1.0, up_to_date(report))
        return report

    def _told_when_busy(self, progress: Progress, cancel: threading.Event) -> Progress:
        """A busy server's "trying again in N s" goes where the run's progress goes (window, terminal),
        and a cancel stops that wait at once."""
        last = [0.0]

        def said(fraction: float, message: str) -> None:
            last[0] = fraction
            progress(fraction, message)

        self.transport.cancel = cancel
        self.transport.on_wait = lambda message: progress(last[0], message)
        return said

    def _remember(self, *, online: bool, error: str | None) -> None:
        fresh = SyncState.load(self.store)
        fresh.online, fresh.last_error = online, error
        fresh.last_attempt, fresh.last_success = (
            self.state.last_attempt,
            self.state.last_success or fresh.last_success,
        )
        fresh.save(self.store)
        self.state = fresh

    # -- tokens ----------------------------------------------------------------------------

    def _sign_in(self) -> None:
        if self._access:
            return
        # Another run (the terminal, the window) may have rotated the token since this engine
        # started: the one in the store is the only one still valid.
        self.state = SyncState.load(self.store)
        try:
            tokens = self.transport.call(
                "POST",
                "/v1/auth/refresh",
                TokenResponse,
                body=RefreshRequest(refresh_token=self.state.refresh_token, device_id=self.state.device_id),
            )
        except SignInRequired as exc:
            advice = what_to_ask_it(exc.code, self.state.username, self.state.device_id)
            message = advice or f"{exc} Your local work is safe; sign in again with 'caseworker enroll'."
            raise SignInRequired(message, code=exc.code) from exc
        self._access = tokens.access_token
        fresh = SyncState.load(self.store)
        fresh.refresh_token = tokens.refresh_token  # the old one is spent: keep the new one at once
        fresh.save(self.store)
        self.state = fresh

    def _authorized(self, request: Callable[[str | None], T]) -> T:
        """Run a request with the access token; one refresh if the token expired mid-run.

        The pull's feed thread and this one may both find it expired: only the first refreshes
        (a refresh token spent twice would look like a replay and end the device's sign-in).
        """
        token = self._access
        try:
            return request(token)
        except SignInRequired:
            with self._token_lock:
                if self._access == token:
                    self._access = None
                    self._sign_in()
            return request(self._access)

    def _call(self, path: str, model: type[M], body: BaseModel) -> M:
        return self._authorized(lambda token: self.transport.call("POST", path, model, body=body, token=token))

    # -- push ------------------------------------------------------------------------------

    def _push(self, report: SyncReport, progress: Progress, cancel: threading.Event) -> None:
        total = queries.outbox_size(self.store.db)
        while True:
            if cancel.is_set():
                raise Cancelled(_("Sync cancelled; nothing was lost."))
            batch = self._next_batch()
            if not batch:
                return
            progress(0.05 + 0.45 * min(1.0, report.pushed / max(total, 1)), _sending(len(batch)))
            response = self._call("/v1/sync/push", PushResponse, PushRequest(mutations=batch))
            with self.store.db.transaction(remote=True) as session:
                for result in response.results:
                    status = apply.apply_push_result(session, result)
                    report.results[status] = report.results.get(status, 0) + 1
            report.pushed += len(batch)
            if len(batch) < PUSH_BATCH:
                return

    def _next_batch(self) -> list[Mutation]:
        """The oldest entries still to send, marked sent so later edits start a new entry."""
        with self.store.db.transaction(remote=True) as session:
            refused_rows = select(models.OutboxEntry.row_id).where(models.OutboxEntry.rejected_at.isnot(None))
            entries = list(
                session.scalars(
                    select(models.OutboxEntry)
                    .where(
                        models.OutboxEntry.rejected_at.is_(None),
                        # Edits behind a refused change wait for it to be resent or discarded.
                        models.OutboxEntry.row_id.not_in(refused_rows),
                    )
                    .order_by(models.OutboxEntry.seq)
                    .limit(PUSH_BATCH)
                )
            )
            now = now_iso()
            for entry in entries:
                entry.sent_at = entry.sent_at or now
            return [
                Mutation(
                    mutation_id=e.mutation_id,
                    entity=e.entity,
                    row_id=e.row_id,
                    case_id=e.case_id,
                    base_version=e.base_version,
                    changes={k: FieldChange(base=v["base"], new=v["new"]) for k, v in e.changes.items()},
                    resolves_conflict=e.resolves_conflict,
                )
                for e in entries
            ]

    # -- pull ------------------------------------------------------------------------------

    def _pull(self, report: SyncReport, progress: Progress, cancel: threading.Event) -> None:
        # A feed thread downloads and parses the next pages while this thread applies the one in
        # hand, so server time and apply time overlap (page_feed). A first sync (from cursor 0, or
        # resumed after a crash cut one short) leaves the search index to one build at its end.
        cursor = SyncState.load(self.store).cursor
        with self.store.db.reading() as session:
            first = cursor == 0 or search_index.is_pending(session)
        # A reader thread decodes the records of the page after this one while this one is written.
        reader = ThreadPoolExecutor(1, thread_name_prefix="sync-pull-reader")
        feed = PageFeed(
            lambda at, limit: self._download_page(at, limit, reader), cursor, FIRST_PULL_PAGE, lambda: PULL_PAGE
        )
        try:
            with reader, feed:  # the feed stops first: nothing is handed to a reader that has shut down
                for page in feed.pages(cancel):
                    if cancel.is_set():
                        raise Cancelled(_("Sync cancelled; everything received so far is kept."))
                    if self._edits_in(page.revocations):
                        # Design rule 7: edits of a case taken away go up before it is purged. The
                        # server takes them until this device asks for a page past the revocation,
                        # so the feed waits for this push before it downloads on; what the server
                        # refuses stays as refused changes.
                        self._push(report, lambda _f, message: progress(0.5, message), cancel)
                    feed.go_on(page)
                    self._apply_page(page.read(), report, index_later=first)
                    progress(0.5 + (0.25 if page.has_more else 0.45), _received(report.pulled))
        except BaseException:
            if first:
                # What arrived before the run stopped is searchable now; should this fail too, the
                # next open or sync builds it (the store says the index is owed).
                try:
                    self._build_search_index(progress)
                except Exception:
                    log.warning("sync: the search index could not be built now; it will be at the next open")
            raise
        if first:
            self._build_search_index(progress)

    def _build_search_index(self, progress: Progress) -> None:
        with self.store.db.transaction(remote=True, durable=False) as session:
            if not search_index.is_pending(session):
                return
            progress(0.96, _("Making the caseload searchable"))
            search_index.rebuild(session)

    def _edits_in(self, case_ids: list[str]) -> bool:
        """Whether any of these cases has local changes still to send."""
        if not case_ids:
            return False
        with self.store.db.reading() as session:
            found = session.scalar(
                select(models.OutboxEntry.seq)
                .where(models.OutboxEntry.case_id.in_(case_ids), models.OutboxEntry.rejected_at.is_(None))
                .limit(1)
            )
        return found is not None

    def _download_page(self, cursor: int, limit: int, reader: Executor) -> Downloaded:
        """One page, downloaded and its envelope read (on the feed thread), its records given to `reader`."""
        params = {"cursor": cursor, "limit": limit}
        raw = self._authorized(lambda token: self.transport.fetch("GET", "/v1/sync/pull", params=params, token=token))
        return Downloaded(raw, reader)

    def _apply_page(self, page: Page, report: SyncReport, *, index_later: bool = False) -> None:
        """One page and the cursor after it, in one transaction."""
        with self.store.db.transaction(remote=True, durable=False) as session:
            # The server repeats revocations on later pages, and a first pull carries those of
            # cases this laptop never held: only a case that was here counts as removed, and a
            # case with neither rows nor unsent edits here has nothing to purge (a dozen deletes saved).
            held_cases, with_edits = apply.cases_here(session, page.revocations)
            for case_id in dict.fromkeys(page.revocations):
                held = case_id in held_cases
                if not held and case_id not in with_edits:
                    continue
                kept = apply.purge_case(session, case_id)
                if held and case_id not in report.revoked:
                    report.revoked.append(case_id)
                if kept:
                    log.warning("sync: %d changes of a revoked case could not be sent; kept as refused", kept)
            received = [record for grant in page.grants for record in grant.records] + page.changes
            report.granted += [grant.case_id for grant in page.grants]
            placed = apply.apply_changes(session, received, index_later=index_later)
            report.pulled += placed
            if placed < len(received):
                self._diverged = True
            state = session.get(models.LocalSetting, SYNC_STATE_KEY)
            assert state is not None
            state.value = {**state.value, "cursor": page.next_cursor}

    # -- reconcile -------------------------------------------------------------------------

    def reconcile(self, *, wait: float = 0.0) -> int:
        """Ask the server what this device is missing, holds stale, or should not hold; repair it."""
        with RunLock(self.store.profile.home, wait=wait):
            return self._reconcile()

    def _reconcile(self) -> int:
        self._sign_in()
        with self.store.db.reading() as session:
            held = apply.held_rows(session)
        request = ReconcileRequest(records=[HeldRecord(entity=e, row_id=r, version=v) for e, r, v in held])
        answer = read_reconcile(
            self._authorized(
                lambda token: self.transport.fetch("POST", "/v1/sync/reconcile", body=request, token=token)
            )
        )
        if answer.match:
            return 0
        with self.store.db.transaction(remote=True) as session:
            repaired = apply.apply_changes(session, [*answer.missing, *answer.stale], repair=True)
            for ref in answer.extra:
                repaired += int(apply.remove_extra(session, ref.entity, ref.row_id))
        self.store.repo.audit("reconcile", detail={"repaired": repaired})
        return repaired


def up_to_date(report: SyncReport) -> str:
    if not report.waiting:
        return _("Up to date")
    n = report.waiting
    return ngettext(
        "Up to date, {n} change made during the sync will go next time",
        "Up to date, {n} changes made during the sync will go next time",
        n,
    ).format(n=n)


def _sending(n: int) -> str:
    return ngettext("Sending {n} change", "Sending {n} changes", n).format(n=n)


def _received(n: int) -> str:
    return ngettext("Received {n} record", "Received {n} records", n).format(n=n)


def _unsent(store: LocalStore) -> int:
    """Entries never sent (refused ones and those held behind them apart): after a push and a pull,
    the edits made during the run."""
    with store.db.reading() as session:
        refused_rows = select(models.OutboxEntry.row_id).where(models.OutboxEntry.rejected_at.isnot(None))
        count = session.scalar(
            select(func.count())
            .select_from(models.OutboxEntry)
            .where(
                models.OutboxEntry.rejected_at.is_(None),
                models.OutboxEntry.sent_at.is_(None),
                models.OutboxEntry.row_id.not_in(refused_rows),
            )
        )
        return int(count or 0)


def make_transport(store: LocalStore, server_url: str) -> Transport:
    return transport_for_profile(store.profile.home, server_url)
