"""What laptops hold: closed cases leave them N days after closing, and per-user holdings are watched.

A laptop should carry the families a worker is working with, not years of closed files:
`closed_case_days` after its closing date a closed case is revoked from every laptop through
the ordinary revocation path (the laptop pushes its pending edits of it first, then purges it).
A user whose laptop would hold more than `records_per_user_warning` records is warned about
in the admin commands and the server log: the laptop still works, but slowly.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseworker_server.access import retire_case, visible_cases_query
from caseworker_server.changelog import ChangeSet
from caseworker_server.config import Settings
from caseworker_server.db import Database
from caseworker_server.models import CaseAssignment, Record, User, aware, utcnow

log = logging.getLogger(__name__)


def closing_date(fields: dict[str, object], updated: date) -> date | None:
    """When a case record says it was closed: its closed_on, else (older data) its last change."""
    if fields.get("stage") != "closed":
        return None
    closed_on = fields.get("closed_on")
    if isinstance(closed_on, str):
        try:
            return date.fromisoformat(closed_on[:10])
        except ValueError:
            pass
    return updated


def closed_cases_due(session: Session, days: int, today: date | None = None) -> list[str]:
    """Ids of closed cases someone still holds whose closing date is `days` or more ago."""
    today = today or utcnow().date()
    held = select(CaseAssignment.case_id).where(CaseAssignment.unassigned_at.is_(None))
    rows = session.execute(
        select(Record.id, Record.fields, Record.updated_at).where(
            Record.entity == "case",
            Record.id.in_(held.scalar_subquery()),
            Record.fields.like('%"stage":"closed"%'),  # stored JSON is compact and sorted (dump_fields)
        )
    ).all()
    due: list[str] = []
    for case_id, text, updated_at in rows:
        closed = closing_date(json.loads(text), aware(updated_at).date())
        if closed is not None and closed + timedelta(days=days) <= today:
            due.append(case_id)
    return sorted(due)


def retire_closed_cases(session: Session, days: int, today: date | None = None) -> list[str]:
    """Revoke every closed case past `days` from the laptops that hold it; the ids retired."""
    changes = ChangeSet()
    retired = [case_id for case_id in closed_cases_due(session, days, today) if retire_case(session, changes, case_id)]
    changes.stamp(session)
    if retired:
        log.info("retention: %d closed case(s) past %d days revoked from laptops", len(retired), days)
    return retired


class ClosedCaseSweep:
    """Runs retire_closed_cases on a pull at most every `closed_case_sweep_seconds` per process.

    Any node may do it (they all share the database); two at once are harmless, the
    case row lock in retire_case lets only one end each assignment.
    """

    def __init__(self, settings: Settings) -> None:
        self.days = settings.closed_case_days
        self.every = settings.closed_case_sweep_seconds
        self._lock = threading.Lock()
        self._last: float | None = None

    def is_due(self) -> bool:
        if self.days <= 0:
            return False
        with self._lock:
            return self._last is None or time.monotonic() - self._last >= self.every

    def _claim(self) -> bool:
        """True for the one caller that runs this round (the others pull on without waiting)."""
        with self._lock:
            now = time.monotonic()
            if self.days <= 0 or (self._last is not None and now - self._last < self.every):
                return False
            self._last = now
            return True

    def run_if_due(self, db: Database) -> None:
        if self._claim():
            with db.write() as session:
                retire_closed_cases(session, self.days)


@dataclass(frozen=True)
class Holding:
    username: str
    role: str
    cases: int
    records: int


def holding(session: Session, user: User) -> Holding:
    """How many cases and case records a user's laptop holds (reference rows aside)."""
    cases = visible_cases_query(user).scalar_subquery()
    n_cases = session.execute(select(func.count()).select_from(visible_cases_query(user).subquery())).scalar_one()
    n_records = session.execute(select(func.count()).where(Record.case_id.in_(cases))).scalar_one()
    return Holding(user.username, user.role, int(n_cases), int(n_records))


def over_limit_warning(found: Holding, limit: int) -> str | None:
    if found.records <= limit:
        return None
    return (
        f"{found.username} would hold {found.records:,} records on a laptop ({found.cases} cases), "
        f"more than {limit:,}: syncs and searches slow down; consider reassigning or closing cases."
    )


def holders_to_check(session: Session, case_ids: list[str]) -> list[User]:
    """The current holders of these cases and their supervisors (who hold their team's cases too)."""
    holders = list(
        session.execute(
            select(User)
            .join(CaseAssignment, CaseAssignment.user_id == User.id)
            .where(CaseAssignment.case_id.in_(case_ids), CaseAssignment.unassigned_at.is_(None))
            .distinct()
        ).scalars()
    )
    boss_ids = {u.supervisor_id for u in holders if u.supervisor_id is not None}
    bosses = list(session.execute(select(User).where(User.id.in_(boss_ids))).scalars()) if boss_ids else []
    return sorted({u.id: u for u in holders + bosses}.values(), key=lambda u: u.username)


class HoldingsWarnings:
    """The server log's warning when a pull hands cases to someone already holding too much: once
    per user per `every` seconds in a process, not on each page of every first sync (a count
    query and a log line a page)."""

    def __init__(self, limit: int, every: float = 3600.0) -> None:
        self.limit = limit
        self.every = every
        self._lock = threading.Lock()
        self._checked: dict[int, float] = {}

    def check(self, session: Session, user: User) -> None:
        now = time.monotonic()
        with self._lock:
            last = self._checked.get(user.id)
            if last is not None and now - last < self.every:
                return
            self._checked[user.id] = now
        found = holding(session, user)
        if found.records > self.limit:
            log.warning(
                "holdings: user #%d holds %d records (%d cases), more than %d",
                user.id,
                found.records,
                found.cases,
                self.limit,
            )


def holding_warnings(session: Session, case_ids: list[str], limit: int) -> list[str]:
    """Warnings for everyone whose laptop would hold more than `limit` records after these cases moved
    (the admin commands print them; the server log says it when such a laptop next pulls)."""
    found = (over_limit_warning(holding(session, user), limit) for user in holders_to_check(session, case_ids))
    return [warning for warning in found if warning]
